"""The web app in Chromium: the start page, search, an article, an entity page, the run report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_support import LiveServer


def test_browser_app_search_then_open_an_article(page: Any, live_app: LiveServer, artifacts: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_app.url + "/")
    assert page.locator("h1").inner_text() == "storyweave"
    page.fill("input[name=q]", "bridge crack")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ol.hits > li")
    assert hits.count() >= 1
    assert page.locator("ol.hits mark").count() >= 1
    page.screenshot(path=str(artifacts / "app-search.png"))
    hits.first.locator("a").first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator("#text").inner_text().strip() != ""
    assert errors == [], errors  # includes CSP violations, which Chromium reports as console errors


def test_browser_app_entity_page(page: Any, live_app: LiveServer, artifacts: Path) -> None:
    page.goto(live_app.url + "/entities")
    page.get_by_role("link", name="Hilde Varga").first.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text() == "Hilde Varga"
    assert "reopen it until it is safe" in page.locator("#quotes").inner_text()
    page.screenshot(path=str(artifacts / "app-entity.png"), full_page=True)


def test_browser_app_run_report_is_styled_and_linked(
    page: Any, live_app: LiveServer, seeds_run: dict[str, Any], artifacts: Path
) -> None:
    page.goto(f"{live_app.url}/runs/{seeds_run['result'].run_id}")
    # the stylesheet loaded under the CSP: the sticky section bar is styled
    assert page.eval_on_selector("nav.toc", "el => getComputedStyle(el).position") == "sticky"
    link = page.locator("table.matrix td.cell a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"() => location.hash === {href!r}")
    assert page.evaluate("document.querySelector(':target') !== null")
    page.screenshot(path=str(artifacts / "app-run.png"))


def test_browser_app_fits_a_phone_screen(browser: Any, live_app: LiveServer, seeds_run: dict[str, Any]) -> None:
    # 320 px is the narrowest phone still in use; long unbroken tokens (file paths as titles) must wrap there too.
    widths = {}
    for width in (390, 320):
        context = browser.new_context(viewport={"width": width, "height": 844})
        phone = context.new_page()
        for path in ("/", "/search?q=coup", f"/runs/{seeds_run['result'].run_id}", "/entities", "/articles"):
            phone.goto(live_app.url + path)
            widths[(width, path)] = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        context.close()
    assert all(w <= 1 for w in widths.values()), widths


def test_browser_app_run_page_counts_sections_and_keys_its_chips(
    page: Any, live_app: LiveServer, seeds_run: dict[str, Any]
) -> None:
    page.goto(f"{live_app.url}/runs/{seeds_run['result'].run_id}")
    claims = page.locator("nav.toc a[href='#coverage'] .count").inner_text()
    assert int(claims) == page.locator("table.matrix tr[id^='c-']").count()
    # every brief chip is explained by the legend just below the brief
    legend = page.eval_on_selector_all(".source-legend li a.cite", "els => els.map(e => e.textContent)")
    chips = set(page.eval_on_selector_all("ol.brief a.cite", "els => els.map(e => e.textContent)"))
    assert chips
    assert chips <= set(legend)
    # the folded single-source claims open from the keyboard
    summary = page.locator("details.single-claims > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.eval_on_selector("details.single-claims", "d => d.open")
