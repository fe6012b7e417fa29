"""RSS and Atom feeds: the entries a feed lists, each pointing at an article page.

Parsing is feedparser's (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, with its encoding detection and its
sanitising of entry markup). A feed is recognised by its content type or, when a server labels it
generically, by its first element (``<rss>``, ``<feed>``, ``<rdf:RDF>``). Each entry keeps the link
(resolved against the feed's URL), its title and its publication date, which fill in what an
article page leaves out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urljoin

from storyweave.errors import IngestError

#: Entries read from one feed: a feed is a front page, not an archive; a run that wants more
#: gives more feeds.
MAX_ENTRIES = 100
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_XML_TYPES = ("application/xml", "text/xml")
#: The root element of a feed, after an XML declaration, comments and a doctype.
_FEED_ROOT = re.compile(rb"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None  # ISO date


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]


def looks_like_feed(body: bytes, content_type: str = "") -> bool:
    """Whether ``body`` (served as ``content_type``) is an RSS or Atom feed."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in _FEED_TYPES:
        return True
    if kind and kind not in _XML_TYPES and "xml" not in kind and kind != "text/plain":
        return False
    return bool(_FEED_ROOT.match(body[:4096].lstrip(b"\xef\xbb\xbf")))


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    except (AttributeError, ValueError):
        return None


def parse_feed(body: bytes, url: str, *, max_entries: int = MAX_ENTRIES) -> Feed:
    """The feed at ``url`` with its entries' links (first ``max_entries``); an ``IngestError`` when it
    is no readable feed or lists nothing to read."""
    import feedparser

    try:
        parsed = feedparser.parse(body, response_headers={"content-location": url})
    except Exception as exc:  # a third-party parser on hostile input: any failure is this feed's error
        raise IngestError(url, f"not a readable RSS/Atom feed ({type(exc).__name__})") from exc
    if not parsed.entries:
        if parsed.get("bozo") and not parsed.get("feed"):
            raise IngestError(url, "not a readable RSS/Atom feed")
        raise IngestError(url, "the feed lists no entries")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in parsed.entries[:max_entries]:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", ()) if x.get("rel", "alternate") == "alternate"), None
        )
        if not link:
            continue
        link = urljoin(url, link.strip())
        if link in seen:
            continue
        seen.add(link)
        title = " ".join((entry.get("title") or "").split()) or None
        published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
        entries.append(FeedEntry(link=link, title=title, published=published))
    if not entries:
        raise IngestError(url, "the feed's entries have no links")
    title = " ".join((parsed.feed.get("title") or "").split()) or None
    return Feed(url=url, title=title, entries=tuple(entries))
