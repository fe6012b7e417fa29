"""Fetching web pages politely, with a record of what was fetched.

One :class:`Fetcher` per run. Every request:

* names storyweave in its ``User-Agent`` (:data:`USER_AGENT`);
* is allowed by the site's ``robots.txt`` (read once per origin with protego; RFC 9309: a missing
  file allows everything, a server error or an unreachable file allows nothing);
* waits its turn: ``min_interval`` seconds after the host's last response, or the site's
  ``Crawl-delay`` when that is longer (up to :data:`MAX_CRAWL_DELAY`);
* follows at most ``max_redirects`` redirects itself, checking each hop's scheme and robots.txt and
  recording every URL on the way;
* stops reading past ``max_bytes`` (the decoded body) or past ``timeout`` seconds in all, whatever
  the server trickles.

What comes back is a :class:`Fetched`: the requested and final URL, the redirect chain, the HTTP
status, the UTC time, the content type and the body with its SHA-256. Any failure is an
:class:`~storyweave.errors.IngestError` naming the URL, with one line of reason.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from storyweave.errors import IngestError
from storyweave.provenance import utc_now


def _package_version() -> str:
    """storyweave's installed version (without importing the whole package from here)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storyweave")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0"


_VERSION = _package_version()

#: Says who is asking and why; sites can match it in robots.txt ("User-agent: storyweave").
USER_AGENT = f"storyweave/{_VERSION} (news coverage comparison; fetches only the pages its user names)"
#: The robots.txt token storyweave answers to.
ROBOTS_AGENT = "storyweave"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: A site's Crawl-delay is honoured up to this many seconds; a longer one would stall a run.
MAX_CRAWL_DELAY = 30.0
#: robots.txt files are read up to this size (RFC 9309 asks crawlers to read at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchPolicy:
    """How politely and how far one run fetches; each default with its reason."""

    #: Seconds for the whole of one fetch (connect, redirects, body): a page is small.
    timeout: float = 30.0
    #: Seconds to connect or to wait for the next bytes.
    read_timeout: float = 15.0
    #: The largest decoded body read; the HTML reader refuses larger pages anyway.
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    #: Seconds between two requests to one host: a person reading, not a crawler hammering.
    min_interval: float = 1.0
    user_agent: str = USER_AGENT
    respect_robots: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Fetched:
    """One fetched document and how it was got."""

    requested: str
    final: str
    status: int
    fetched_at: str  # UTC, ISO 8601, seconds
    content_type: str
    body: bytes
    sha256: str
    redirects: tuple[str, ...] = ()  # the URLs that redirected, in order (the final URL not included)


def is_url(value: str) -> bool:
    """Whether ``value`` is an http(s) URL (what the command line fetches instead of reading a file)."""
    return value.lower().startswith(("http://", "https://"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _reason(exc: Exception) -> str:
    """One line for a transport error: the kind of failure, without library internals."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server broke the HTTP exchange"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"request failed ({type(exc).__name__}: {text[:120]})"


@dataclass
class _Robots:
    parser: Any  # a protego.Protego, or None when everything is allowed
    allow_all: bool = False
    deny_all: bool = False

    def allowed(self, url: str) -> bool:
        if self.deny_all:
            return False
        return self.allow_all or bool(self.parser.can_fetch(url, ROBOTS_AGENT))

    def delay(self) -> float | None:
        if self.parser is None:
            return None
        value = self.parser.crawl_delay(ROBOTS_AGENT)
        return float(value) if value is not None else None


@dataclass
class Fetcher:
    """Fetches URLs under a :class:`FetchPolicy`; use as a context manager (it holds a connection pool)."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _client: Any = None
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import httpx

            timeout = httpx.Timeout(self.policy.read_timeout, connect=self.policy.read_timeout)
            self._client = httpx.Client(
                headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
                timeout=timeout,
                follow_redirects=False,
                trust_env=False,  # no proxy or netrc from the environment: the URL is what is fetched
            )
        return self._client

    # ------------------------------------------------------------------ politeness

    def _wait_turn(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        interval = self.policy.min_interval
        robots = self._robots.get(_origin(url))
        delay = robots.delay() if robots is not None else None
        if delay is not None:
            interval = max(interval, min(delay, MAX_CRAWL_DELAY))
        last = self._last.get(host)
        if last is not None:
            wait = last + interval - self.clock()
            if wait > 0:
                self.sleep(wait)

    def _done(self, url: str) -> None:
        """The pause before a host's next request counts from the end of its last response."""
        self._last[(urlsplit(url).hostname or "").lower()] = self.clock()

    def robots_for(self, url: str) -> _Robots:
        """The origin's robots.txt rules, fetched once (RFC 9309 on missing or failing files)."""
        origin = _origin(url)
        found = self._robots.get(origin)
        if found is not None:
            return found
        from protego import Protego

        robots_url = f"{origin}/robots.txt"
        self._wait_turn(robots_url)
        try:
            response, body = self._get_once(robots_url, ROBOTS_MAX_BYTES, deadline=self.clock() + self.policy.timeout)
            status = response.status_code
            if status in _REDIRECTS:  # one redirect, as RFC 9309 allows at least five; keep it simple
                target = urljoin(robots_url, response.headers.get("location", ""))
                response, body = self._get_once(target, ROBOTS_MAX_BYTES, deadline=self.clock() + self.policy.timeout)
                status = response.status_code
        except IngestError:
            found = _Robots(None, deny_all=True)  # unreachable: assume complete disallow
        else:
            if 200 <= status < 300:
                found = _Robots(Protego.parse(body.decode("utf-8", "replace")))
            elif 400 <= status < 500:
                found = _Robots(None, allow_all=True)  # no rules published
            else:
                found = _Robots(None, deny_all=True)  # server error: assume complete disallow
        self._robots[origin] = found
        return found

    # ------------------------------------------------------------------ requests

    def _get_once(self, url: str, limit: int, *, deadline: float) -> tuple[Any, bytes]:
        """One GET without following redirects: (response, body read up to ``limit``)."""
        try:
            return self._read(url, limit, deadline=deadline)
        finally:
            self._done(url)

    def _read(self, url: str, limit: int, *, deadline: float) -> tuple[Any, bytes]:
        try:
            with self.client.stream("GET", url) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit and response.status_code < 300:
                    raise IngestError(url, f"document too large ({declared} bytes > {limit})")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise IngestError(url, f"document too large (more than {limit} bytes)")
                    if self.clock() > deadline:
                        raise IngestError(url, f"timed out (more than {self.policy.timeout:g} s in all)")
                    chunks.append(chunk)
                return response, b"".join(chunks)
        except IngestError:
            raise
        except Exception as exc:  # any transport failure is this URL's error, in one line
            raise IngestError(url, _reason(exc)) from exc

    def get(self, url: str) -> Fetched:
        """Fetch ``url`` under the policy; an ``IngestError`` for anything that stops it."""
        if not is_url(url):
            raise IngestError(url, "not an http(s) URL")
        deadline = self.clock() + self.policy.timeout
        current = url
        hops: list[str] = []
        fetched_at = utc_now()
        while True:
            if self.policy.respect_robots and not self.robots_for(current).allowed(current):
                raise IngestError(
                    url, f"disallowed by robots.txt ({current})" if current != url else "disallowed by robots.txt"
                )
            self._wait_turn(current)
            response, body = self._get_once(current, self.policy.max_bytes, deadline=deadline)
            status = response.status_code
            if status in _REDIRECTS and response.headers.get("location"):
                if len(hops) >= self.policy.max_redirects:
                    raise IngestError(url, f"too many redirects (more than {self.policy.max_redirects})")
                target = urljoin(current, response.headers["location"])
                if not is_url(target):
                    raise IngestError(url, f"redirected to a URL that is not http(s): {target[:120]}")
                hops.append(current)
                current = target
                continue
            if not 200 <= status < 300:
                raise IngestError(url, f"HTTP {status}" + (f" (after redirects to {current})" if hops else ""))
            return Fetched(
                requested=url,
                final=current,
                status=status,
                fetched_at=fetched_at,
                content_type=response.headers.get("content-type", ""),
                body=body,
                sha256=hashlib.sha256(body).hexdigest(),
                redirects=tuple(hops),
            )
