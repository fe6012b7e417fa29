"""Everything a command can name as input: files, folders, stdin, URLs, lists of URLs and feeds.

``read_inputs`` is what the commands call. Paths go to :mod:`storyweave.ingest`; http(s) URLs are
fetched (:mod:`storyweave.fetch`) and read by their content type: a page as HTML, an RSS/Atom feed
as the list of its entries' pages (each fetched in turn, :mod:`storyweave.feeds`), plain text, JSON.
Every article carries its provenance, and the bytes it was read from travel to the store.
Titles of several pages of one site lose the decoration they share (:mod:`storyweave.titles`).
A bad URL, like a bad file, costs one error and the rest of the batch goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

from storyweave import provenance
from storyweave.errors import IngestError
from storyweave.feeds import FeedEntry, looks_like_feed, parse_feed
from storyweave.fetch import Fetched, Fetcher, FetchPolicy, is_url
from storyweave.ingest import IngestResult, article_warnings, ingest_paths, keep_first, read_bytes, read_html
from storyweave.model import Article
from storyweave.settings import Settings
from storyweave.titles import strip_shared_decoration

_CHARSET = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.I)


def policy_for(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        timeout=settings.fetch_timeout,
        max_bytes=settings.max_html_bytes,
        min_interval=settings.fetch_interval,
    )


def read_url_list(path: str | Path) -> tuple[list[str], list[IngestError]]:
    """The URLs in a file, one per line (blank lines and ``#`` comments skipped); each other line is
    one error naming ``file:line``."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        return [], [IngestError(source, f"cannot read the URL list: {reason}")]
    urls: list[str] = []
    errors: list[IngestError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line) and not any(c.isspace() for c in line):
            urls.append(line)
        else:
            errors.append(IngestError(f"{source}:{number}", "not an http(s) URL"))
    if not urls and not errors:
        errors.append(IngestError(source, "the URL list holds no URLs"))
    return urls, errors


def _document_kind(fetched: Fetched) -> str:
    """How to read a fetched document: by its content type, else by its bytes."""
    kind = fetched.content_type.split(";", 1)[0].strip().lower()
    if "html" in kind:
        return "html"
    if kind in ("text/plain", "text/markdown"):
        return "text"
    if kind in ("application/json", "text/json"):
        return "json"
    if kind in ("application/x-ndjson", "application/jsonl", "application/jsonlines"):
        return "jsonl"
    return "sniff"


def read_document(
    fetched: Fetched,
    settings: Settings,
    *,
    keep: dict[str, bytes] | None = None,
    via: str | None = None,
    entry: FeedEntry | None = None,
) -> tuple[list[Article], list[IngestError]]:
    """The articles of one fetched document (not a feed), each with the fetch's provenance."""
    kind = _document_kind(fetched)
    source = fetched.requested
    if kind == "html":
        charset = _CHARSET.search(fetched.content_type)
        if not fetched.body.strip():
            raise IngestError(source, "empty page")
        found = [
            read_html(fetched.body, source, settings, url=fetched.final, declared=charset.group(1) if charset else None)
        ]
        errors: list[IngestError] = []
    else:
        found, errors = read_bytes(fetched.body, source, kind, settings)
    origin = provenance.record(
        fetched.body,
        requested=fetched.requested,
        final=fetched.final,
        fetched_at=fetched.fetched_at,
        status=fetched.status,
        content_type=fetched.content_type,
        redirects=fetched.redirects,
        via=via,
        keep=keep,
    )
    articles = [a if a.url else replace(a, url=fetched.final) for a in provenance.attach(found, origin)]
    if entry is not None:  # the feed entry fills in what the page leaves out
        articles = [
            replace(a, title=a.title or entry.title, published=a.published or entry.published) for a in articles
        ]
    return articles, errors


def read_url(
    fetcher: Fetcher, url: str, settings: Settings, *, keep: dict[str, bytes] | None = None
) -> tuple[list[Article], list[IngestError]]:
    """The articles at ``url``: a page, or every entry of a feed (a failed entry is one error)."""
    fetched = fetcher.get(url)
    if not looks_like_feed(fetched.body, fetched.content_type):
        return read_document(fetched, settings, keep=keep)
    return read_feed_entries(fetcher, fetched.body, fetched.final, settings, keep=keep, name=url)


def read_feed_entries(
    fetcher: Fetcher,
    body: bytes,
    base_url: str,
    settings: Settings,
    *,
    keep: dict[str, bytes] | None = None,
    name: str | None = None,
) -> tuple[list[Article], list[IngestError]]:
    """The pages a feed's entries link to (resolved against ``base_url``), each fetched in turn; the
    feed is named ``name`` (its URL, or the file it was saved in) in errors and provenance."""
    where = name or base_url
    feed = parse_feed(body, base_url or where, max_entries=settings.feed_max_entries)
    articles: list[Article] = []
    errors: list[IngestError] = []
    for entry in feed.entries:
        try:
            page = fetcher.get(entry.link)
            if looks_like_feed(page.body, page.content_type):
                raise IngestError(entry.link, "a feed entry links to another feed (not followed)")
            found, page_errors = read_document(page, settings, keep=keep, via=where, entry=entry)
        except IngestError as exc:
            errors.append(IngestError(exc.source, f"{exc.reason} (an entry of the feed {where})"))
            continue
        articles.extend(found)
        errors.extend(page_errors)
    return articles, errors


#: A feed saved as a file is named so; a folder's .xml files are left to the file readers.
_FEED_SUFFIXES = (".rss", ".atom", ".xml")


def _is_feed_file(item: str) -> bool:
    """A file named on the command line that holds an RSS/Atom feed."""
    if is_url(item) or not item.lower().endswith(_FEED_SUFFIXES):
        return False
    try:
        with open(item, "rb") as fh:
            return looks_like_feed(fh.read(4096))
    except OSError:
        return False


def read_inputs(
    items: Sequence[str],
    settings: Settings | None = None,
    *,
    url_lists: Iterable[str | Path] = (),
    stdin: IO[bytes] | None = None,
    fetcher: Fetcher | None = None,
) -> IngestResult:
    """Articles from paths, ``-``, URLs and the URLs listed in ``url_lists``, each kept once."""
    settings = settings or Settings()
    feeds = [i for i in items if _is_feed_file(i)]
    paths = [i for i in items if not is_url(i) and i not in feeds]
    urls = [i for i in items if is_url(i)]
    errors: list[IngestError] = []
    for listing in url_lists:
        listed, list_errors = read_url_list(listing)
        urls.extend(listed)
        errors.extend(list_errors)
    result = ingest_paths(paths, settings, stdin=stdin) if paths else IngestResult([], [])
    found: list[Article] = list(result.articles)
    errors = list(result.errors) + errors
    raw = dict(result.raw)
    if urls or feeds:
        own = fetcher is None
        fetcher = fetcher or Fetcher(policy_for(settings))
        try:
            for path in feeds:  # a feed saved as a file: its entries' pages are fetched
                try:
                    fetched, feed_errors = read_feed_entries(
                        fetcher, Path(path).read_bytes(), "", settings, keep=raw, name=path
                    )
                except (IngestError, OSError) as exc:
                    errors.append(exc if isinstance(exc, IngestError) else IngestError(path, f"cannot read: {exc}"))
                    continue
                found.extend(fetched)
                errors.extend(feed_errors)
            for url in dict.fromkeys(urls):  # each URL once, in the order given
                try:
                    fetched, url_errors = read_url(fetcher, url, settings, keep=raw)
                except IngestError as exc:
                    errors.append(exc)
                    continue
                found.extend(fetched)
                errors.extend(url_errors)
        finally:
            if own:
                fetcher.close()
    articles: list[Article] = []
    duplicates = list(result.duplicates)
    first_source: dict[str, str] = {}
    keep_first(strip_shared_decoration(found), first_source, articles, duplicates)
    warnings = [w for a in articles for w in article_warnings(a)]
    return IngestResult(articles, errors, duplicates, warnings=warnings, raw=raw)
