"""Fetching from a real HTTP server on 127.0.0.1: redirects, robots.txt, limits, pace, one-line errors."""

from __future__ import annotations

import hashlib
import itertools
import re

import pytest

from local_site import Route, Site, page, serve
from storyweave.errors import IngestError
from storyweave.fetch import Fetcher, FetchPolicy

FAST = FetchPolicy(min_interval=0.0, timeout=5.0, read_timeout=5.0)
BRIDGE = page("Bridge reopens after repairs", "The bridge reopened on Friday after eight months of repairs.")


def fetch(site: Site, path: str, policy: FetchPolicy = FAST) -> object:
    with Fetcher(policy) as fetcher:
        return fetcher.get(site.url(path))


def test_fetch_records_status_time_hash_and_names_itself() -> None:
    with serve(Site({"/bridge": Route(BRIDGE)})) as site, Fetcher(FAST) as fetcher:
        got = fetcher.get(site.url("/bridge"))
        assert got.status == 200
        assert got.final == got.requested == site.url("/bridge")
        assert got.body == BRIDGE
        assert got.sha256 == hashlib.sha256(BRIDGE).hexdigest()
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", got.fetched_at)
        assert got.content_type.startswith("text/html")
        agents = {ua for path, ua, _t in site.log}
        assert all(ua.startswith("storyweave/") for ua in agents), agents
        assert site.hits("/robots.txt") == 1


def test_fetch_follows_redirects_and_records_each_hop() -> None:
    routes = {
        "/old": Route(status=301, headers={"Location": "/moved"}),
        "/moved": Route(status=302, headers={"Location": "/bridge"}),
        "/bridge": Route(BRIDGE),
    }
    with serve(Site(routes)) as site, Fetcher(FAST) as fetcher:
        got = fetcher.get(site.url("/old"))
        assert got.final == site.url("/bridge")
        assert got.redirects == (site.url("/old"), site.url("/moved"))
        assert got.body == BRIDGE


@pytest.mark.parametrize(
    ("routes", "path", "reason"),
    [
        ({"/loop": Route(status=302, headers={"Location": "/loop"})}, "/loop", "too many redirects"),
        ({"/gone": Route(b"gone", status=410)}, "/gone", "HTTP 410"),
        ({"/x": Route(status=302, headers={"Location": "ftp://127.0.0.1/x"})}, "/x", "not http(s)"),
        ({"/big": Route(b"x" * 5000)}, "/big", "too large"),
        ({"/slow": Route(b"y" * 400, drip=0.01)}, "/slow", "timed out"),
    ],
)
def test_fetch_failures_are_one_line_errors(routes: dict[str, Route], path: str, reason: str) -> None:
    policy = FetchPolicy(min_interval=0.0, timeout=1.0, read_timeout=1.0, max_bytes=4000, max_redirects=3)
    with serve(Site(routes)) as site, Fetcher(policy) as fetcher, pytest.raises(IngestError) as caught:
        fetcher.get(site.url(path))
    assert caught.value.source == site.url(path)
    assert reason in caught.value.reason
    assert "\n" not in caught.value.reason


def test_fetch_decodes_a_compressed_response_and_limits_the_decoded_size() -> None:
    routes = {"/bridge": Route(BRIDGE, gzip=True), "/bomb": Route(b"a" * 200_000, gzip=True)}
    with serve(Site(routes)) as site, Fetcher(FetchPolicy(min_interval=0.0, max_bytes=100_000)) as fetcher:
        assert fetcher.get(site.url("/bridge")).body == BRIDGE
        with pytest.raises(IngestError, match="too large"):
            fetcher.get(site.url("/bomb"))


def test_robots_txt_is_obeyed_and_a_disallowed_page_is_never_requested() -> None:
    robots = b"User-agent: *\nDisallow: /private/\n\nUser-agent: storyweave\nDisallow: /archive/\n"
    routes = {
        "/robots.txt": Route(robots, content_type="text/plain"),
        "/private/a": Route(BRIDGE),
        "/archive/b": Route(BRIDGE),
        "/news/c": Route(BRIDGE),
        "/redirect": Route(status=302, headers={"Location": "/archive/b"}),
    }
    with serve(Site(routes)) as site, Fetcher(FAST) as fetcher:
        assert fetcher.get(site.url("/news/c")).status == 200
        for path in ("/archive/b", "/redirect"):
            with pytest.raises(IngestError, match=r"robots\.txt"):
                fetcher.get(site.url(path))
        assert site.hits("/archive/b") == 0
        assert site.hits("/robots.txt") == 1
    # rules for other agents only: "*" does not apply when a group names storyweave
    with serve(Site(routes)) as site, Fetcher(FAST) as fetcher:
        assert fetcher.get(site.url("/private/a")).status == 200


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (410, True), (500, False), (503, False)])
def test_robots_txt_missing_allows_and_failing_forbids(status: int, allowed: bool) -> None:
    routes = {"/robots.txt": Route(b"", status=status, content_type="text/plain"), "/a": Route(BRIDGE)}
    with serve(Site(routes)) as site, Fetcher(FAST) as fetcher:
        if allowed:
            assert fetcher.get(site.url("/a")).status == 200
        else:
            with pytest.raises(IngestError, match=r"robots\.txt"):
                fetcher.get(site.url("/a"))
            assert site.hits("/a") == 0


def test_requests_to_one_host_keep_the_minimum_interval_and_the_crawl_delay() -> None:
    routes = {f"/p{i}": Route(BRIDGE) for i in range(3)}
    with serve(Site(dict(routes))) as site, Fetcher(FetchPolicy(min_interval=0.3)) as fetcher:
        for i in range(3):
            fetcher.get(site.url(f"/p{i}"))
        times = [t for path, _ua, t in site.log]  # robots.txt, p0, p1, p2
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 0.28, gaps
    routes["/robots.txt"] = Route(b"User-agent: *\nCrawl-delay: 0.6\n", content_type="text/plain")
    with serve(Site(routes)) as site, Fetcher(FetchPolicy(min_interval=0.0)) as fetcher:
        fetcher.get(site.url("/p0"))
        fetcher.get(site.url("/p1"))
        times = [t for path, _ua, t in site.log if path != "/robots.txt"]
        assert times[1] - times[0] >= 0.55


def test_an_unreachable_host_is_one_error() -> None:
    with Fetcher(FAST) as fetcher, pytest.raises(IngestError) as caught:
        fetcher.get("http://127.0.0.1:9/nothing")  # the discard port: nothing listens
    assert "robots.txt" in caught.value.reason or "could not connect" in caught.value.reason


def test_only_http_urls_are_fetched() -> None:
    with Fetcher(FAST) as fetcher, pytest.raises(IngestError, match="not an http"):
        fetcher.get("file:///etc/passwd")
