"""URLs, URL lists and RSS/Atom feeds become articles with provenance (served from 127.0.0.1)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from local_site import Route, Site, atom, page, rss, serve
from storyweave.fetch import Fetcher, FetchPolicy
from storyweave.provenance import decompress
from storyweave.sources import read_inputs, read_url_list
from storyweave.store import Store

FAST = FetchPolicy(min_interval=0.0, timeout=5.0, read_timeout=5.0)
BRIDGE = page(
    "Bridge reopens after repairs",
    "The old stone bridge over the Marlow river reopened to traffic on Friday after eight months of repairs "
    "that cost the county about 2 million euros, officials said.\n\nEngineers replaced two of the five arches.",
)
DAM = page(
    "Dam inspections begin in the valley",
    "Inspectors began checking the upper dam on Monday, a week after the flood, the water board said.\n\n"
    "The board expects the first results by the end of the month.",
)


def read(site: Site, items: list[str], **kw: object) -> object:
    with Fetcher(FAST) as fetcher:
        return read_inputs(items, fetcher=fetcher, **kw)  # type: ignore[arg-type]


def test_a_page_url_becomes_an_article_with_its_provenance_and_bytes() -> None:
    routes = {"/old": Route(status=301, headers={"Location": "/bridge"}), "/bridge": Route(BRIDGE)}
    with serve(Site(routes)) as site:
        result = read(site, [site.url("/old")])
    assert result.errors == []
    (article,) = result.articles
    assert article.source == site.url("/old")
    assert article.url == site.url("/bridge")
    assert article.title == "Bridge reopens after repairs"  # the site's name is not part of it
    assert article.outlet == "Valley Courier"
    p = article.provenance
    assert p is not None
    assert (p.requested, p.final, p.redirects) == (site.url("/old"), site.url("/bridge"), (site.url("/old"),))
    assert p.status == 200
    assert p.sha256 == hashlib.sha256(BRIDGE).hexdigest()
    assert p.size == len(BRIDGE)
    assert p.kept
    assert decompress(result.raw[p.sha256]) == BRIDGE


def test_an_rss_feed_becomes_the_articles_of_its_entries() -> None:
    routes = {"/bridge": Route(BRIDGE), "/dam": Route(DAM)}
    with serve(Site(routes)) as site:
        items = [
            ("Bridge reopens", site.url("/bridge"), "Fri, 13 Jun 2025 08:00:00 GMT"),
            ("Dam inspections begin", "/dam", "Mon, 16 Jun 2025 09:00:00 GMT"),  # relative link
            ("Missing story", site.url("/missing"), "Mon, 16 Jun 2025 10:00:00 GMT"),
        ]
        site.routes["/feed.xml"] = Route(rss(items), content_type="application/rss+xml")
        result = read(site, [site.url("/feed.xml")])
    assert [a.source for a in result.articles] == [site.url("/bridge"), site.url("/dam")]
    assert [a.published for a in result.articles] == ["2025-06-13", "2025-06-16"]  # from the feed
    assert all(a.provenance is not None and a.provenance.via == site.url("/feed.xml") for a in result.articles)
    (error,) = result.errors
    assert error.source == site.url("/missing")
    assert "HTTP 404" in error.reason
    assert "feed" in error.reason


def test_an_atom_feed_served_as_plain_xml_is_recognised() -> None:
    with serve(Site({"/dam": Route(DAM)})) as site:
        feed = atom([("Dam inspections begin", site.url("/dam"), "2025-06-16T09:00:00Z")])
        site.routes["/atom"] = Route(feed, content_type="text/xml")
        result = read(site, [site.url("/atom")])
    assert result.errors == []
    assert [a.title for a in result.articles] == ["Dam inspections begin in the valley"]


def test_a_feed_saved_as_a_file_is_read_as_its_entries(tmp_path: Path) -> None:
    with serve(Site({"/bridge": Route(BRIDGE)})) as site:
        saved = tmp_path / "courier.rss"
        saved.write_bytes(rss([("Bridge reopens", site.url("/bridge"), "Fri, 13 Jun 2025 08:00:00 GMT")]))
        result = read(site, [str(saved)])
    assert result.errors == []
    (article,) = result.articles
    assert article.source == site.url("/bridge")
    assert article.provenance is not None
    assert article.provenance.via == str(saved)


def test_a_url_list_file_gives_one_error_per_bad_line(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    with serve(Site({"/bridge": Route(BRIDGE), "/dam": Route(DAM)})) as site:
        listing.write_text(
            f"# monday's coverage\n{site.url('/bridge')}\n\nnot a url\n{site.url('/dam')}\n{site.url('/bridge')}\n",
            encoding="utf-8",
        )
        result = read(site, [], url_lists=[listing])
    assert len(result.articles) == 2
    assert [(e.source, e.reason) for e in result.errors] == [(f"{listing}:4", "not an http(s) URL")]


def test_url_list_problems_are_errors_not_crashes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert read_url_list(empty)[1][0].reason == "the URL list holds no URLs"
    assert "cannot read" in read_url_list(tmp_path / "absent.txt")[1][0].reason


def test_files_and_urls_mix_and_the_same_text_is_kept_once(tmp_path: Path) -> None:
    (tmp_path / "bridge.html").write_bytes(BRIDGE)
    with serve(Site({"/bridge": Route(BRIDGE), "/copy": Route(BRIDGE)})) as site:
        result = read(site, [str(tmp_path / "bridge.html"), site.url("/bridge"), site.url("/copy")])
    assert [a.source for a in result.articles] == [str(tmp_path / "bridge.html")]
    assert [s for s, _id in result.duplicates] == [site.url("/bridge"), site.url("/copy")]
    file_provenance = result.articles[0].provenance
    assert file_provenance is not None
    assert file_provenance.status is None
    assert file_provenance.sha256 == hashlib.sha256(BRIDGE).hexdigest()


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(b"\x89PNG\r\n\x1a\n\x00\x00\x00", content_type="image/png"), "binary"),
        (
            Route(b'<rss version="2.0"><channel><title>X</title></channel></rss>', content_type="application/rss+xml"),
            "no entries",
        ),
        (Route(b"<rss><channel><item>", content_type="application/rss+xml"), "feed"),
        (Route(b"", content_type="text/html"), "empty"),
    ],
)
def test_unreadable_documents_are_one_error_each(route: Route, reason: str) -> None:
    with serve(Site({"/x": route, "/bridge": Route(BRIDGE)})) as site:
        result = read(site, [site.url("/x"), site.url("/bridge")])
    assert len(result.articles) == 1
    (error,) = result.errors
    assert error.source == site.url("/x")
    assert reason in error.reason


def test_the_store_keeps_provenance_and_the_bytes(tmp_path: Path) -> None:
    from storyweave.runner import ingest_into_store

    listing = tmp_path / "urls.txt"
    with serve(Site({"/bridge": Route(BRIDGE)})) as site:
        listing.write_text(site.url("/bridge") + "\n", encoding="utf-8")
        summary = ingest_into_store([], db=tmp_path / "news.db", url_lists=[listing])
    assert (summary.new, summary.errors) == (1, [])
    with Store.open(tmp_path / "news.db") as store:
        (article,) = list(store.iter_articles())
        assert article.provenance is not None
        assert article.provenance.final == site.url("/bridge")
        assert store.raw_document(article.provenance.sha256) == BRIDGE
        assert store.article(article.id)["provenance"]["status"] == 200
        kept = store.raw_document(article.provenance.sha256)
    # the kept bytes are the evidence: read again, they give the same article, without the network
    from storyweave.ingest import read_html
    from storyweave.settings import Settings

    assert kept is not None
    again = read_html(kept, article.source, Settings(), url=article.provenance.final)
    assert (again.id, again.text, again.title) == (article.id, article.text, article.title)


def test_cli_analyze_urls_and_a_url_list_reports_provenance(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from storyweave.cli import app

    listing = tmp_path / "urls.txt"
    out = tmp_path / "report"
    with serve(Site({"/bridge": Route(BRIDGE), "/dam": Route(DAM)})) as site:
        listing.write_text(f"{site.url('/dam')}\n{site.url('/gone')}\n", encoding="utf-8")
        result = CliRunner().invoke(app, ["analyze", site.url("/bridge"), "--urls", str(listing), "--out", str(out)])
    assert result.exit_code == 0, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {site.url('/gone')}: HTTP 404"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    by_source = {a["source"]: a for a in report["articles"]}
    assert set(by_source) == {site.url("/bridge"), site.url("/dam")}
    for url, body in ((site.url("/bridge"), BRIDGE), (site.url("/dam"), DAM)):
        p = by_source[url]["provenance"]
        assert p["final"] == url
        assert p["status"] == 200
        assert p["sha256"] == hashlib.sha256(body).hexdigest()
        assert p["fetched_at"].endswith("+00:00")
