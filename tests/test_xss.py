"""Hostile article text renders inert everywhere: report.html, report.md and every page of the app.

The articles go through the real pipeline (ingest, stages, store); a second pass also poisons every
free-text field of the report the stages may have left empty. The checks parse the output and look
for any element or attribute the payloads could have created. tests/browser/test_xss_browser.py
runs the same pages in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hostile import PAYLOADS, poison_report, write_hostile_files
from report_samples import store_report
from storyweave.report.html import render_html
from storyweave.report.markdown import render_markdown
from storyweave.runner import run_analysis
from storyweave.web.app import create_app

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "a",
    "header",
    "nav",
    "ul",
    "ol",
    "li",
    "main",
    "section",
    "h1",
    "h2",
    "h3",
    "p",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "sup",
    "small",
    "br",
    "strong",
    "abbr",
    "div",
    "blockquote",
    "mark",
    "details",
    "summary",
    "article",
    "footer",
    "svg",
    "line",
    "g",
    "text",
    "circle",
    "link",
    "form",
    "label",
    "input",
    "button",
    "code",
    "time",
}


class TagAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "src", "formaction"):
                self.bad.append(f"{tag}[{name}]")
            if name in ("href", "action") and value and not re.match(r"^(#|/(?!/)|data:,$)", value):
                self.bad.append(f"{tag}[{name}={value}]")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def audit(page: str) -> TagAudit:
    checker = TagAudit()
    checker.feed(page)
    checker.close()
    return checker


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The hostile articles analysed by the real pipeline into a real store."""
    root = tmp_path_factory.mktemp("xss")
    paths = write_hostile_files(root / "in")
    result = run_analysis(paths, out_dir=root / "out", db=root / "xss.db", quiet=True)
    assert result.status == "ok", result.errors
    assert result.report is not None
    poisoned_id = store_report(root / "xss.db", poison_report(result.report))
    return {"root": root, "result": result, "db": root / "xss.db", "poisoned_run": poisoned_id}


def test_xss_pipeline_report_html_is_inert(hostile_run: dict[str, Any]) -> None:
    page = hostile_run["result"].outputs["html"].read_text(encoding="utf-8")
    checked = audit(page)
    assert not checked.bad
    text = "".join(checked.text)
    for payload in PAYLOADS:
        assert payload in text  # shown as text, not dropped


def test_xss_poisoned_report_html_is_inert(hostile_run: dict[str, Any]) -> None:
    report = poison_report(hostile_run["result"].report)
    checked = audit(render_html(report))
    assert not checked.bad


def test_xss_report_md_has_no_raw_markup(hostile_run: dict[str, Any]) -> None:
    text = render_markdown(poison_report(hostile_run["result"].report))
    without_anchors = re.sub(r'<a id="a-[A-Za-z0-9_-]+"></a>', "", text)
    assert "<" not in without_anchors
    assert "](javascript" not in text


@pytest.fixture(scope="module")
def client(hostile_run: dict[str, Any]) -> Iterator[TestClient]:
    app = create_app(hostile_run["db"])
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
    app.state.library.close()


def _app_urls(client: TestClient, hostile_run: dict[str, Any]) -> list[str]:
    report = hostile_run["result"].report
    urls = [
        "/",
        "/articles",
        "/entities",
        "/entities?speakers=true",
        f"/runs/{hostile_run['result'].run_id}",
        f"/runs/{hostile_run['poisoned_run']}",
        "/search?q=script+alert",
        "/search?q=%3Cimg+src%3Dx%3E",
    ]
    urls += [f"/articles/{a['id']}" for a in report["articles"]]
    urls += [f"/entities/{e['id']}" for e in report["entities"][:5]]
    return urls


def test_xss_every_app_page_is_inert(client: TestClient, hostile_run: dict[str, Any]) -> None:
    for url in _app_urls(client, hostile_run):
        response = client.get(url)
        assert response.status_code == 200, url
        checked = audit(response.text)
        assert not checked.bad, url


def test_xss_api_returns_json_never_html(client: TestClient, hostile_run: dict[str, Any]) -> None:
    run_id = hostile_run["result"].run_id
    response = client.get(f"/api/runs/{run_id}/report")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert PAYLOADS[0] in response.json()["articles"][0]["text"] + response.json()["articles"][1]["text"]
