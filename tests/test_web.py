"""The web app over a real SQLite store: pages, JSON API, security headers and input checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from report_samples import sample_report, store_report
from storyweave.contract import validate
from storyweave.web.app import create_app, exposure_warning


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store_report(tmp_path / "web.db", sample_report())
    app = create_app(tmp_path / "web.db", max_body=64 * 1024)
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
    app.state.library.close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "report of run 1"),
        ("/runs/1", "Claims across sources"),
        ("/articles", "Northline News"),
        ("/entities", "Hilde Varga"),
        ("/entities?speakers=true", "Hilde Varga"),
        ("/entities/e_varga", "We will not reopen it until it is safe"),
        ("/search?q=reopen", "<mark>reopen</mark>"),
        ("/upload", 'enctype="multipart/form-data"'),
    ],
)
def test_web_page_shows(client: TestClient, url: str, expected: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert expected in response.text


def test_web_run_page_reuses_the_report_sections_with_app_links(client: TestClient) -> None:
    page = client.get("/runs/1").text
    for section in ("brief", "coverage", "statements", "numbers", "dates", "timeline", "entities", "sources"):
        assert f'<section id="{section}"' in page
    assert 'href="/entities/e_varga"' in page
    assert 'href="/articles/' in page


def test_web_article_page_highlights_from_the_latest_report(client: TestClient) -> None:
    article = sample_report()["articles"][1]
    page = client.get(f"/articles/{article['id']}").text
    assert 'class="hl m-flag-insertion m-inserted"' in page
    assert "Highlights from" in page


def test_web_api_serves_the_report_contract(client: TestClient) -> None:
    runs = client.get("/api/runs").json()
    assert runs[0]["id"] == 1
    report = client.get("/api/runs/1/report").json()
    validate(report)
    assert report == sample_report()
    article = client.get(f"/api/articles/{report['articles'][0]['id']}").json()
    assert article["text"] == report["articles"][0]["text"]
    hits = client.get("/api/search", params={"q": "contractor"}).json()
    assert [h["id"] for h in hits] == [report["articles"][2]["id"]]
    assert "snippet_html" not in hits[0]


def test_web_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/runs", "/api/runs/{run_id}/report", "/api/articles/{article_id}", "/api/search"} <= set(paths)


@pytest.mark.parametrize("url", ["/", "/runs/1", "/api/runs", "/static/report.css", "/nowhere", "/openapi.json"])
def test_web_every_response_carries_security_headers(client: TestClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert "script-src" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"  # no referrer ever leaves for another site


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/articles/..%2F..%2Fetc%2Fpasswd", 404),
        ("/articles/a.b", 422),
        ("/api/articles/%3Cscript%3E", 422),
        ("/static/..%2Fstore.py", 404),
        ("/static/view.py", 404),
        ("/runs/notanumber", 422),
        ("/runs/7", 404),
        ("/api/runs/7/report", 404),
        ("/entities/nobody", 404),
        ("/api/search?q=", 422),
    ],
)
def test_web_rejects_bad_ids_and_paths(client: TestClient, url: str, status: int) -> None:
    assert client.get(url).status_code == status


def test_web_refuses_a_body_over_the_limit(client: TestClient) -> None:
    response = client.post("/upload", files={"files": ("big.txt", b"x" * (65 * 1024), "text/plain")})
    assert response.status_code == 413


def test_web_refuses_a_chunked_body_over_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(200):
            yield b"x" * 1024

    response = client.post("/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.request.headers.get("content-length") is None  # no declared size to check up front
    assert response.status_code == 413


def test_web_search_escapes_the_query_and_snippets(client: TestClient) -> None:
    page = client.get("/search", params={"q": '<script>alert(1)</script> "reopen'}).text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("host", "warned"),
    [("127.0.0.1", False), ("::1", False), ("localhost", False), ("0.0.0.0", True), ("192.168.1.5", True)],
)
def test_web_serve_warns_only_beyond_loopback(host: str, warned: bool) -> None:
    warning = exposure_warning(host)
    assert (warning is not None) is warned
    if warning:
        assert host in warning


UPLOAD_A = (
    "Ferry service suspended\n\nThe harbour authority in Dunmere suspended the island ferry on Monday after a "
    'storm damaged the pier. "We expect to resume within a week," said harbour master Ilse Brandt.\n'
)
UPLOAD_B = (
    "Island ferry halted\n\nDunmere's harbour authority halted the ferry on Monday because a storm damaged the "
    'pier. Harbour master Ilse Brandt said: "We expect to resume within a week."\n'
)


@pytest.mark.slow
def test_web_upload_analyses_files_and_reports_bad_ones(client: TestClient) -> None:
    files = [
        ("files", ("ferry-a.txt", UPLOAD_A.encode(), "text/plain")),
        ("files", ("ferry-b.txt", UPLOAD_B.encode(), "text/plain")),
        ("files", ("empty <b>.txt", b"", "text/plain")),
    ]
    response = client.post("/upload", files=files, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/runs/2"
    report = client.get("/api/runs/2/report").json()
    assert len(report["articles"]) == 2
    assert all("upload-" not in a["text"] for a in report["articles"])
    page = client.get("/runs/2").text
    assert "Dunmere" in page
    assert "1 file could not be analysed" in page
    assert "empty &lt;b&gt;.txt" in page


def test_web_upload_with_nothing_usable_says_why(client: TestClient) -> None:
    response = client.post("/upload", files=[("files", ("blank <i>.txt", b"   ", "text/plain"))])
    assert response.status_code == 422
    assert "blank &lt;i&gt;.txt" in response.text
    assert "upload-000" not in response.text
