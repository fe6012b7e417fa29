"""A real HTTP server on 127.0.0.1 that serves invented pages and feeds, for the fetching tests."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False  # send with Content-Encoding: gzip
    drip: float = 0.0  # seconds between 1-byte chunks (a slow server)


@dataclass
class Site:
    """Routes by path; every request is logged as (path, user agent, monotonic time)."""

    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, str, float]] = field(default_factory=list)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ua, _t in self.log if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:
            site.log.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
            route = site.routes.get(self.path)
            if route is None:
                route = Route(b"not found", status=404, content_type="text/plain")
            body = gzip.compress(route.body) if route.gzip else route.body
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.gzip:
                self.send_header("Content-Encoding", "gzip")
            for key, value in route.headers.items():
                self.send_header(key, value)
            if not route.drip:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if route.drip:
                    for i in range(len(body)):
                        self.wfile.write(body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def page(title: str, body: str, *, site_name: str = "Valley Courier") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | {site_name}</title>"
        f"<meta property='og:site_name' content='{site_name}'></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def rss(items: list[tuple[str, str, str]], *, title: str = "Valley Courier") -> bytes:
    """An RSS 2.0 feed of (title, link, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>" for t, link, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.invalid/</link><description>News</description>{entries}</channel></rss>"
    ).encode()


def atom(items: list[tuple[str, str, str]], *, title: str = "Harbour Radio") -> bytes:
    """An Atom feed of (title, link, ISO date) entries."""
    entries = "".join(
        f"<entry><title>{t}</title><link rel='alternate' href='{link}'/><id>{link}</id><updated>{d}</updated></entry>"
        for t, link, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>'
        f"<id>urn:x</id><updated>2025-06-14T08:00:00Z</updated>{entries}</feed>"
    ).encode()
