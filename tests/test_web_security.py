"""The web app trusts no other site: Host checked against the bound address (DNS rebinding),
state changes only from its own pages (CSRF), search markers that article text cannot forge,
out-of-range ids answered 404, and the security headers on every response, errors included
(issue table rows 1 (upload), 13-15)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hostile import deep_json
from report_samples import sample_report, store_report
from storyweave.store import Store
from storyweave.web.app import create_app

ORIGIN = "http://127.0.0.1:8008"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store_report(tmp_path / "web.db", sample_report())
    app = create_app(tmp_path / "web.db", max_body=256 * 1024)  # bound to 127.0.0.1 by default
    with TestClient(app, base_url=ORIGIN) as test_client:
        yield test_client
    app.state.library.close()


def assert_secured(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


# --------------------------------------------------------------------------- 13: snippet markers


def test_web_security_control_characters_in_text_do_not_become_marks(tmp_path: Path) -> None:
    from storyweave.ingest import article_id
    from storyweave.model import Article

    text = "The pier \x02reopened\x03 on Friday after the storm, the harbour master said.\n"
    with Store.open(tmp_path / "s.db") as store:
        store.save_article(Article(id=article_id(text), source="pier.txt", text=text))
        (hit,) = store.search("harbour")
        assert hit["snippet_html"].count("<mark>") == 1
        assert "<mark>harbour</mark>" in hit["snippet_html"]
        assert "<mark>reopened" not in hit["snippet_html"]
        assert "\x02reopened\x03" in hit["snippet"]  # the article's own characters, kept as text
        assert [hit["snippet"][s:e] for s, e in hit["matches"]] == ["harbour"]
        app = create_app(tmp_path / "s.db")
        with TestClient(app, base_url="http://127.0.0.1") as web:
            page = web.get("/search", params={"q": "harbour"}).text
            api = web.get("/api/search", params={"q": "harbour"}).json()
        app.state.library.close()
    assert page.count("<mark>") == 1
    assert [h["snippet"][s:e] for h in api for s, e in h["matches"]] == ["harbour"]


# --------------------------------------------------------------------------- 14: ids and error responses


@pytest.mark.parametrize(
    "url",
    [
        "/runs/99999999999999999999",
        "/api/runs/99999999999999999999/report",
        "/runs/-1",
        "/runs/0",
        "/runs/9223372036854775808",
    ],
)
def test_web_security_out_of_range_run_ids_are_not_found(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert_secured(response)


def test_web_security_a_server_error_carries_the_security_headers(tmp_path: Path) -> None:
    store_report(tmp_path / "web.db", sample_report())
    app = create_app(tmp_path / "web.db")

    def broken(run_id: int) -> None:
        raise RuntimeError("a fault in the store")

    app.state.library.report = broken
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as web:
        page = web.get("/runs/1")
        api = web.get("/api/runs/1/report")
    app.state.library.close()
    assert page.status_code == api.status_code == 500
    assert_secured(page)
    assert_secured(api)
    assert "a fault in the store" not in page.text  # no internals shown to the page


# --------------------------------------------------------------------------- 15: Host and Origin


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8008", "127.0.0.1.attacker.example", ""])
def test_web_security_a_foreign_host_header_is_refused(client: TestClient, host: str) -> None:
    for url in ("/", "/api/runs", "/api/runs/1/report"):
        response = client.get(url, headers={"host": host})
        assert response.status_code == 400, (url, host)
        assert_secured(response)
        assert "Hilde" not in response.text


@pytest.mark.parametrize("host", ["127.0.0.1:8008", "localhost:8008", "127.0.0.1", "LOCALHOST:8008"])
def test_web_security_own_host_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/runs", headers={"host": host}).status_code == 200


def test_web_security_host_names_follow_the_bound_address() -> None:
    from storyweave.web.app import allowed_host_names

    assert allowed_host_names("127.0.0.1") >= {"127.0.0.1", "localhost"}
    assert "attacker.example" not in allowed_host_names("127.0.0.1")
    assert allowed_host_names("::1") >= {"[::1]", "localhost"}
    assert "192.168.1.5" in allowed_host_names("192.168.1.5")
    assert "news.internal" in allowed_host_names("0.0.0.0", extra=["news.internal"])


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://attacker.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"sec-fetch-site": "cross-site", "origin": ORIGIN},
    ],
)
def test_web_security_cross_site_upload_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    files = [("files", ("story.txt", b"The pier reopened on Friday after the storm.", "text/plain"))]
    response = client.post("/upload", files=files, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert_secured(response)
    assert len(client.get("/api/runs").json()) == 1  # nothing was analysed or stored


@pytest.mark.parametrize(
    "headers", [{"origin": ORIGIN}, {"sec-fetch-site": "same-origin"}, {"sec-fetch-site": "none"}, {}]
)
def test_web_security_same_origin_upload_passes_the_check(client: TestClient, headers: dict[str, str]) -> None:
    files = [("files", ("blank.txt", b"   ", "text/plain"))]  # refused by ingest (422), after the check
    response = client.post("/upload", files=files, headers=headers)
    assert response.status_code == 422
    assert "blank.txt" in response.text


# --------------------------------------------------------------------------- 1: deep JSON upload


@pytest.mark.slow
def test_web_security_deep_json_upload_names_the_file_and_analyses_the_rest(client: TestClient, ctx: object) -> None:
    client.app.state.ctx = ctx  # type: ignore[attr-defined]  # the session's models, loaded once
    good = json.dumps({"text": "The pier in Dunmere reopened on Friday after the storm, the harbour master said."})
    files = [
        ("files", ("good.json", good.encode(), "application/json")),
        ("files", ("deep.json", deep_json(100_000).encode(), "application/json")),
    ]
    response = client.post("/upload", files=files, headers={"origin": ORIGIN}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "deep.json: nested too deeply" in page  # the error names the file as uploaded
    assert "upload-001" not in page
