"""Hostile articles in Chromium: no dialog fires, no injected element exists, the payload shows as text.

The articles go through the real pipeline into a store; the report.html file and the app pages
(including a run whose report has a payload in every free-text field) are opened in the browser.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import LiveServer

from hostile import INJECTED_SELECTORS, PAYLOADS, poison_report, write_hostile_files
from report_samples import store_report
from storyweave.report.html import render_html


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from storyweave.runner import run_analysis

    root = tmp_path_factory.mktemp("xss-browser")
    result = run_analysis(write_hostile_files(root / "in"), out_dir=root / "out", db=root / "x.db", quiet=True)
    assert result.status == "ok", result.errors
    poisoned = poison_report(result.report)
    poisoned_html = root / "poisoned.html"
    poisoned_html.write_text(render_html(poisoned), encoding="utf-8")
    poisoned_run = store_report(root / "x.db", poisoned)
    with LiveServer(root / "x.db") as server:
        yield {"result": result, "server": server, "poisoned_html": poisoned_html, "poisoned_run": poisoned_run}


def assert_inert(page: Any, url: str, dialogs: list[str]) -> str:
    page.goto(url)
    page.wait_for_load_state("load")
    for selector in INJECTED_SELECTORS:
        assert page.query_selector(selector) is None, f"{selector} injected into {url}"
    assert dialogs == [], f"a dialog fired on {url}"
    return str(page.inner_text("body"))


@pytest.fixture
def watched(page: Any) -> tuple[Any, list[str]]:
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page, dialogs


def test_xss_browser_report_files_are_inert(
    watched: tuple[Any, list[str]], hostile: dict[str, Any], artifacts: Path
) -> None:
    page, dialogs = watched
    text = assert_inert(page, hostile["result"].outputs["html"].as_uri(), dialogs)
    for payload in PAYLOADS:
        assert payload in text
    page.hover("#sources .body")  # hover handlers would fire here
    text = assert_inert(page, hostile["poisoned_html"].as_uri(), dialogs)
    assert PAYLOADS[0] in text
    page.screenshot(path=str(artifacts / "xss-report.png"))


def test_xss_browser_app_pages_are_inert(watched: tuple[Any, list[str]], hostile: dict[str, Any]) -> None:
    page, dialogs = watched
    base = hostile["server"].url
    report = hostile["result"].report
    urls = [
        f"{base}/",
        f"{base}/articles",
        f"{base}/entities",
        f"{base}/runs/{hostile['result'].run_id}",
        f"{base}/runs/{hostile['poisoned_run']}",
        f"{base}/search?q=script%20alert",
    ]
    urls += [f"{base}/articles/{a['id']}" for a in report["articles"]]
    urls += [f"{base}/entities/{e['id']}" for e in report["entities"][:3]]
    for url in urls:
        text = assert_inert(page, url, dialogs)
        if "/articles/" in url or "/runs/" in url:
            assert PAYLOADS[0] in text, url


def test_xss_browser_search_box_reflects_the_query_as_text(
    watched: tuple[Any, list[str]], hostile: dict[str, Any]
) -> None:
    page, dialogs = watched
    page.goto(hostile["server"].url + "/")
    page.fill("input[name=q]", PAYLOADS[2])
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.input_value("input[name=q]") == PAYLOADS[2]
    assert_inert(page, page.url, dialogs)
    assert PAYLOADS[2] in page.inner_text("main")
