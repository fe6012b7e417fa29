"""The seeds' report.html in Chromium: citations navigate both ways, and it reads on a phone and on paper."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def in_view(page: Any, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            selector,
            "el => { const r = el.getBoundingClientRect();"
            " return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth; }",
        )
    )


def test_browser_report_claim_links_to_its_source_span_and_back(
    page: Any, seeds_run: dict[str, Any], artifacts: Path
) -> None:
    page.goto(seeds_run["html"].as_uri())
    link = page.locator("table.matrix td.cell:is(.supports, .discusses) a").first
    href = link.get_attribute("href")
    assert href
    assert href.startswith("#s-")
    link.click()
    page.wait_for_function("() => document.querySelector(':target') !== null")
    assert page.evaluate("location.hash") == href
    assert page.evaluate("document.querySelector(':target').id") == href[1:]
    assert in_view(page, ":target")
    page.screenshot(path=str(artifacts / "report-span-target.png"))
    # and back: the span's own link leads to the claim row
    back = page.locator(f"[id='{href[1:]}'] > sup.bks a[href^='#c-']").first
    claim_href = back.get_attribute("href")
    back.click()
    page.wait_for_function(f"() => location.hash === {claim_href!r}")
    assert in_view(page, ":target")
    assert page.evaluate("document.querySelector(':target').tagName") == "TR"


def test_browser_report_fits_a_phone_screen(browser: Any, seeds_run: dict[str, Any], artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    phone = context.new_page()
    phone.goto(seeds_run["html"].as_uri())
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    phone.screenshot(path=str(artifacts / "report-phone.png"))
    context.close()
    assert overflow <= 1, f"the page is {overflow}px wider than a phone screen"


def test_browser_report_keyboard_reaches_the_skip_link_first(page: Any, seeds_run: dict[str, Any]) -> None:
    page.goto(seeds_run["html"].as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the report"
    assert in_view(page, ":focus")  # the skip link becomes visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_browser_report_print_hides_navigation(page: Any, seeds_run: dict[str, Any], artifacts: Path) -> None:
    page.goto(seeds_run["html"].as_uri())
    page.emulate_media(media="print")
    assert page.eval_on_selector("nav.toc", "el => getComputedStyle(el).display") == "none"
    assert page.eval_on_selector(".body", "el => getComputedStyle(el).whiteSpace") == "pre-wrap"
    assert page.locator("details.single-claims table.matrix tr[id^='c-']").first.is_visible()  # folded claims print
    page.pdf(path=str(artifacts / "report.pdf"))


def test_browser_report_makes_no_requests(page: Any, seeds_run: dict[str, Any]) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(seeds_run["html"].as_uri())
    assert [u for u in requests if not u.startswith("file:")] == []


def test_browser_report_link_to_a_collapsed_claim_opens_it(page: Any, seeds_run: dict[str, Any]) -> None:
    page.goto(seeds_run["html"].as_uri())
    row = page.locator("details.single-claims table.matrix tr[id^='c-']").first
    claim_id = row.get_attribute("id")
    assert claim_id
    assert not row.is_visible()  # single-source claims start folded away
    back = page.locator(f"sup.bks a[href='#{claim_id}']").first
    back.evaluate("a => a.click()")  # the back-link shows on hover or focus; clicking it is what counts
    page.wait_for_function(f"() => location.hash === '#{claim_id}'")
    assert page.eval_on_selector("details.single-claims", "d => d.open")
    assert in_view(page, ":target")


def test_browser_report_brief_chips_name_their_article(page: Any, seeds_run: dict[str, Any]) -> None:
    page.goto(seeds_run["html"].as_uri())
    names = page.eval_on_selector_all(".source-legend li .src-name", "els => els.map(e => e.textContent)")
    assert len(names) == page.locator("article.source").count()
    for item in page.locator("ol.brief > li").all():
        labels = item.locator("a.cite").all_inner_texts()
        assert labels
        assert len(labels) == len(set(labels))  # one chip per article
        for chip in item.locator("a.cite").all():
            title = chip.get_attribute("title") or ""
            label = chip.inner_text()
            assert title.startswith(names[int(label[1:]) - 1])  # the outlet or title, then the cited words
    assert in_view(page, ".source-legend")  # the key to S1, S2… is on the first screen
