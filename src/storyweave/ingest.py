"""Reads files, directories and stdin into Articles, with one clear error per bad file or record.

Supported inputs: plain text (``.txt`` and anything unrecognised), HTML (``.html``/``.htm``,
extracted with trafilatura), JSON (an object or a list of objects), JSONL (one object per line)
and WARC archives (``.warc``/``.warc.gz``, HTML response records). ``-`` reads stdin and sniffs
its format.

The article text is the decoded text with line endings normalised (CRLF and CR become LF); from
then on it is kept exactly, so every span offset computed later indexes this text. The article id
is a hash of that normalised text, so the same article read twice, or under two names, gets the
same id and is kept once.

Bytes are decoded by detection, never by assumption (:mod:`storyweave.decoding`); folders are
walked by :mod:`storyweave.walk`; JSON is read through the one depth-limited loader in
:mod:`storyweave.codec`. What was read but not exactly as written (bytes that were not UTF-8,
lone surrogates in JSON) is kept with the article (``meta["ingest_warning"]``) and listed in
``IngestResult.warnings``; every message names its file or record with :func:`storyweave.errors.shown`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from storyweave import provenance
from storyweave.codec import JSONDepthError, json_list_items, load_json, repair_surrogates
from storyweave.compressed import gunzip, gzip_holds_warc, inner_name, is_gzip
from storyweave.decoding import Decoded, declared_charset, decode_bytes
from storyweave.errors import IngestError, IngestWarning, shown
from storyweave.model import Article
from storyweave.settings import Settings
from storyweave.titles import clean_title, declared_site_name, outlet_for, text_title, with_clean_title
from storyweave.walk import STDIN, iter_files, open_regular

__all__ = ["STDIN", "IngestResult", "decode_bytes", "ingest_paths", "iter_files", "read_path", "record_article"]

STDIN_SOURCE = "<stdin>"

_TEXT_SUFFIXES = {".txt", ".text"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_JSON_SUFFIXES = {".json"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_WARC_SUFFIXES = {".warc", ".warc.gz"}

_OPTIONAL_FIELDS = ("title", "url", "published", "outlet", "source")
#: The ``Article.meta`` key that says what was not read exactly as written (see ``IngestResult.warnings``).
WARNING_KEY = "ingest_warning"


# --------------------------------------------------------------------------- ids and results


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so one article has one text whatever system wrote it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_id(text: str) -> str:
    """Content hash of the line-ending-normalised text: the same article always gets the same id."""
    return hashlib.sha256(normalise_newlines(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What a batch of paths gave: the articles (first source wins), one error per bad input,
    ``(source, id of the article already read)`` for each duplicate under another name, one
    warning per article that was read but not exactly as written, and the raw bytes the articles'
    provenance points at."""

    articles: list[Article]
    errors: list[IngestError]
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[IngestWarning] = field(default_factory=list)
    #: sha256 -> compressed bytes of the documents read (see provenance.py), for the store to keep.
    raw: dict[str, bytes] = field(default_factory=dict)


def _with_notes(meta: tuple[tuple[str, str], ...], notes: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``meta`` with what was not read exactly (``notes``) under :data:`WARNING_KEY`."""
    said = [n for n in notes if n]
    kept = tuple((k, v) for k, v in meta if k != WARNING_KEY)  # a record cannot forge a warning
    return (*kept, (WARNING_KEY, "; ".join(said))) if said else kept


def article_warnings(article: Article) -> list[IngestWarning]:
    """The warning an article carries from being read (none when it was read exactly)."""
    return [IngestWarning(article.source, v) for k, v in article.meta if k == WARNING_KEY]


# --------------------------------------------------------------------------- reading bytes


def _read_limited(stream: IO[bytes], limit: int, source: str) -> bytes:
    """At most ``limit`` bytes; refuses (without reading on) when there are more."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise IngestError(source, f"file too large (more than {limit} bytes, the max_file_bytes limit)")
    return raw


def _read_file(path: Path, settings: Settings) -> bytes:
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise IngestError(str(path), f"file too large ({size} bytes > max_file_bytes {settings.max_file_bytes})")
    with open_regular(path) as fh:
        return _read_limited(fh, settings.max_file_bytes, str(path))


def _decode(raw: bytes, source: str, *, declared: str | None = None) -> Decoded:
    """The text of ``raw`` (line endings normalised), what it was read as and any warning."""
    if not raw.strip():
        raise IngestError(source, "empty file" if not raw else "whitespace-only file")
    try:
        decoded = decode_bytes(raw, declared=declared)
    except ValueError as exc:
        raise IngestError(source, str(exc)) from exc
    return Decoded(normalise_newlines(decoded.text), decoded.encoding, decoded.notes)


def _check_text(text: str, source: str, settings: Settings) -> None:
    if not text.strip():
        raise IngestError(source, "no text (empty or whitespace only)")
    if len(text) > settings.max_article_chars:
        raise IngestError(
            source, f"article too long ({len(text)} characters > max_article_chars {settings.max_article_chars})"
        )


# --------------------------------------------------------------------------- plain text

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_FORMS = (
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\s*,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)(?!\d)"),
)
#: A header line that says when the piece was published ("Published: 5 March 2024", "Posted on …").
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:(?:first\s+)?published|posted|date(?:d)?|publication date)(?:\s+on)?\s*[:\-–—]?\s*(?P<rest>.{4,80})$",
    re.I,
)
#: A wire-style dateline: "CITY, Month D, YYYY —" or "CITY, D Month YYYY (Agency) -".
_PLACE = r"[A-Z][A-Za-z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?"
_DATELINE = re.compile(rf"^{_PLACE},?\s+(?P<rest>.{{6,40}}?)\s*(?:\([^()\n]{{1,40}}\)\s*)?[-–—]\s")
_OUTLET_LINE = re.compile(r"^\s*(?:source|publisher|published by|outlet)\s*:\s*(?P<name>[A-Z][^\n.:]{1,60}?)\s*$", re.I)


def parse_date(text: str) -> str | None:
    """An ISO date from the first full date (with a year) in ``text``, else None; never guesses."""
    for form in _DATE_FORMS:
        m = form.search(text)
        if not m:
            continue
        groups = m.groupdict()
        try:
            month = int(groups["mn"]) if groups.get("mn") else _MONTHS[groups["m"].lower().rstrip(".")]
            return date(int(groups["y"]), month, int(groups["d"])).isoformat()
        except (KeyError, ValueError):
            continue
    return None


def text_published(text: str, *, header_lines: int = 12) -> str | None:
    """The publication date where the text plainly states it: a "Published: …" line or a
    dateline, among the first lines (or a "Published" line at the very end)."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[:header_lines] + lines[-3:]:
        m = _PUBLISHED_LINE.match(line)
        if m:
            found = parse_date(m.group("rest"))
            if found:
                return found
    for line in lines[:header_lines]:
        m = _DATELINE.match(line)
        if m:
            found = parse_date(m.group("rest"))
            if found:
                return found
    return None


def text_outlet(text: str, *, header_lines: int = 12) -> str | None:
    """The outlet where the text names it: a "Source: X" or "Publisher: X" header line.

    A dateline agency ("CITY (Agency) —") is not taken as the outlet: a paper that prints a wire
    story is still the outlet, and the agency is what the story credits (see the ``cites`` stage).
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:header_lines]
    for line in lines:
        m = _OUTLET_LINE.match(line)
        if m:
            return m.group("name").strip()
    return None


def read_text(
    text: str, source: str, encoding: str | None, settings: Settings, *, notes: tuple[str, ...] = ()
) -> Article:
    _check_text(text, source, settings)
    return Article(
        id=article_id(text),
        source=source,
        text=text,
        title=text_title(text),
        published=text_published(text),
        outlet=text_outlet(text),
        encoding=encoding,
        meta=_with_notes((), notes),
    )


# --------------------------------------------------------------------------- HTML


def read_html(
    raw: bytes, source: str, settings: Settings, *, url: str | None = None, declared: str | None = None
) -> Article:
    """Main text and metadata via trafilatura; any parser failure is an ``IngestError``."""
    if len(raw) > settings.max_html_bytes:
        raise IngestError(source, f"HTML page too large ({len(raw)} bytes > max_html_bytes {settings.max_html_bytes})")
    decoded = _decode(raw, source, declared=declared or declared_charset(raw))
    document = _extract_html(decoded.text, source, url)
    text = normalise_newlines(document.get("text") or "")
    if not text.strip():
        raise IngestError(source, "no article text found in the HTML")
    _check_text(text, source, settings)
    meta = _html_meta(document)
    published = _iso_date(document.get("date")) or text_published(text)
    page_url = _clean_str(document.get("url")) or url
    site_name = declared_site_name(decoded.text)
    extracted = _clean_str(document.get("sitename"))
    where = page_url or _clean_str(document.get("hostname")) or None
    article = Article(
        id=article_id(text),
        source=source,
        text=text,
        title=_clean_str(document.get("title")) or None,
        published=published,
        outlet=outlet_for(site_name, extracted, where) or text_outlet(text),
        url=page_url,
        language=_clean_str(document.get("language")) or None,
        encoding=decoded.encoding,
        meta=_with_notes(meta, decoded.notes),
    )
    names = [n for n in (site_name, extracted) if n]
    return with_clean_title(article, clean_title(article.title, site_names=names, url=where))


def _extract_html(html: str, source: str, url: str | None) -> dict[str, Any]:
    import trafilatura  # imported on first use: it is slow to import and only HTML needs it

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # a third-party parser on hostile markup: any failure is this file's error
        raise IngestError(source, f"could not parse HTML ({type(exc).__name__}: {exc})") from exc
    if document is None:
        raise IngestError(source, "no article text found in the HTML")
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


_META_KEYS = ("author", "sitename", "hostname", "description", "date", "categories", "tags", "license", "pagetype")


def _html_meta(document: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for key in _META_KEYS:
        value = document.get(key)
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value if v)
        value = _clean_str(value)
        if value:
            out.append((key, value))
    return tuple(out)


def _clean_str(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _iso_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or timestamp, or a plainly written date; else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    return parse_date(value)


# --------------------------------------------------------------------------- JSON and JSONL

Records = tuple[list[Article], list[IngestError]]


def read_json(text: str, source: str, encoding: str, settings: Settings, *, notes: tuple[str, ...] = ()) -> Records:
    """An object or a list of objects; a file that is really JSONL is read as JSONL.

    A list nested too deeply somewhere is read item by item, so one deep record costs only itself.
    """
    try:
        data = load_json(text)
    except JSONDepthError as exc:
        if not text.lstrip().startswith("["):
            raise IngestError(source, str(exc)) from exc
        return _read_json_items(json_list_items(text), source, encoding, settings, notes)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return read_jsonl(text, source, encoding, settings, notes=notes)
        raise IngestError(source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(data, dict):
        return [record_article(data, source, encoding, settings, default_source=source, notes=notes)], []
    if not isinstance(data, list):
        raise IngestError(source, f"expected a JSON object or a list of objects, got {_json_type(data)}")
    articles: list[Article] = []
    errors: list[IngestError] = []
    for index, item in enumerate(data):
        where = f"{source}[{index}]"
        try:
            articles.append(record_article(item, where, encoding, settings, default_source=where, notes=notes))
        except IngestError as exc:
            errors.append(exc)
    if not data:
        errors.append(IngestError(source, "empty JSON list (no articles)"))
    return articles, errors


def _read_json_items(
    items: list[str], source: str, encoding: str, settings: Settings, notes: tuple[str, ...]
) -> Records:
    articles: list[Article] = []
    errors: list[IngestError] = []
    for index, item in enumerate(items):
        where = f"{source}[{index}]"
        try:
            data = load_json(item)
        except (JSONDepthError, json.JSONDecodeError) as exc:
            errors.append(
                IngestError(where, str(exc) if isinstance(exc, JSONDepthError) else f"malformed JSON: {exc.msg}")
            )
            continue
        try:
            articles.append(record_article(data, where, encoding, settings, default_source=where, notes=notes))
        except IngestError as exc:
            errors.append(exc)
    return articles, errors


def read_jsonl(text: str, source: str, encoding: str, settings: Settings, *, notes: tuple[str, ...] = ()) -> Records:
    """One object per line; a bad line is one error naming ``file:line`` and the rest still count."""
    articles: list[Article] = []
    errors: list[IngestError] = []
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            articles.append(jsonl_record(line, where, encoding, settings, notes=notes))
        except IngestError as exc:
            errors.append(exc)
    if not articles and not errors:
        errors.append(IngestError(source, "no JSON records"))
    return articles, errors


def jsonl_record(
    line: str, where: str, encoding: str | None, settings: Settings, *, notes: tuple[str, ...] = ()
) -> Article:
    """The Article on one JSONL line (``where`` names it as ``file:line``), or an ``IngestError``."""
    try:
        data = load_json(line)
    except JSONDepthError as exc:
        raise IngestError(where, str(exc)) from exc
    except json.JSONDecodeError as exc:
        raise IngestError(where, f"malformed JSON line (column {exc.colno}: {exc.msg})") from exc
    return record_article(data, where, encoding, settings, default_source=where, notes=notes)


def record_article(
    data: object,
    where: str,
    encoding: str | None,
    settings: Settings,
    *,
    default_source: str,
    notes: tuple[str, ...] = (),
) -> Article:
    """One Article from a JSON object with ``text`` and optional title/url/published/outlet/source.

    Lone surrogates (``"\\ud800"``: valid JSON, but no text) become U+FFFD, with a warning.
    """
    if not isinstance(data, dict):
        raise IngestError(where, f"expected a JSON object with a 'text' field, got {_json_type(data)}")
    data, repaired = repair_surrogates(data)
    assert isinstance(data, dict)  # repairing keeps the object an object
    if repaired:
        plural = "s" if repaired != 1 else ""
        notes = (*notes, f"{repaired} lone surrogate{plural} (invalid Unicode escapes) replaced by U+FFFD")
    if "text" not in data:
        raise IngestError(where, "record has no 'text' field")
    raw_text = data["text"]
    if not isinstance(raw_text, str):
        raise IngestError(where, f"'text' must be a string, got {_json_type(raw_text)}")
    for key in _OPTIONAL_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise IngestError(where, f"'{key}' must be a string or null, got {_json_type(value)}")
    text = normalise_newlines(raw_text)
    _check_text(text, where, settings)
    if "\x00" in text:
        raise IngestError(where, "'text' contains NUL characters")
    published_raw = data.get("published")
    published = _iso_date(published_raw) if published_raw else text_published(text)
    meta = tuple(
        sorted(
            (str(k), _clean_str(v) if isinstance(v, str) else json.dumps(v, sort_keys=True))
            for k, v in data.items()
            if k not in ("text", *_OPTIONAL_FIELDS) and v is not None
        )
    )
    if published_raw and not published:
        meta = (*meta, ("published_raw", str(published_raw)))
    return Article(
        id=article_id(text),
        source=shown(_clean_str(data.get("source"))) or default_source,  # a name people read: one printable line
        text=text,
        title=_clean_str(data.get("title")) or None,
        published=published,
        outlet=_clean_str(data.get("outlet")) or None,
        url=_clean_str(data.get("url")) or None,
        encoding=encoding,
        meta=_with_notes(meta, notes),
    )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


# --------------------------------------------------------------------------- WARC


def read_warc(stream: IO[bytes], source: str, settings: Settings, *, keep: dict[str, bytes] | None = None) -> Records:
    """HTML response (and resource) records, each through the HTML path; source is the record URL.

    An archive cut short (a copy that stopped, a crawl that was killed) keeps its whole records: a
    record whose body ends before its declared length is one error naming it, and bytes after the
    last whole record that hold no record are one error naming the archive.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    articles: list[Article] = []
    errors: list[IngestError] = []
    size = _stream_size(stream)
    iterator = ArchiveIterator(stream)
    starts: list[int] = []  # where each record began
    try:
        for number, record in enumerate(iterator, start=1):
            starts.append(int(getattr(iterator, "offset", 0) or 0))
            uri = record.rec_headers.get_header("WARC-Target-URI")
            where = shown(uri) if uri else f"{source}#record{number}"  # a name people read: one printable line
            if record.rec_type is None or not str(record.rec_headers.get_header("Content-Length") or "").isdigit():
                errors.append(IngestError(where, "record header truncated or damaged (no WARC-Type or Content-Length)"))
                continue
            try:
                article = _warc_article(record, uri, where, settings, archive=source, keep=keep)
            except IngestError as exc:
                errors.append(exc)
                article = None
            missing = _unread_length(record)
            if missing:
                errors.append(IngestError(where, f"record truncated ({missing} bytes of its declared length missing)"))
            elif article is not None:
                articles.append(article)
    except ArchiveLoadFailed as exc:
        # warcio's message quotes the raw line it could not read, and advice on several lines
        errors.append(IngestError(source, f"not a readable WARC archive ({_first_words(str(exc))})"))
    except Exception as exc:  # warcio on damaged archives raises all sorts (found by fuzzing): this file's error
        errors.append(IngestError(source, f"damaged WARC archive ({type(exc).__name__}: {_first_words(str(exc))})"))
    else:
        leftover = _bytes_after_last_record(stream, iterator, starts, size)
        if leftover:
            errors.append(
                IngestError(source, f"archive truncated or damaged: its last {leftover} bytes hold no whole record")
            )
    if not articles and not errors:
        errors.append(IngestError(source, "no HTML response records in the WARC archive"))
    return articles, errors


def _warc_article(
    record: Any,
    uri: str | None,
    where: str,
    settings: Settings,
    *,
    archive: str,
    keep: dict[str, bytes] | None = None,
) -> Article | None:
    """The article in one WARC record, or None for a record that holds no HTML page; its provenance
    is the record's (target URI, WARC-Date, HTTP status, the body's hash), found in ``archive``."""
    if record.rec_type not in ("response", "resource"):
        return None
    if record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    if record.http_headers is not None and not str(record.http_headers.get_statuscode() or "").startswith("2"):
        return None
    charset = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", content_type)
    body = _read_limited(record.content_stream(), settings.max_file_bytes, where)
    if _unread_length(record):
        return None  # cut short: reported by the caller, not read as if whole
    article = read_html(body, where, settings, url=uri, declared=charset.group(1) if charset else None)
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    origin = provenance.record(
        body,
        requested=uri or where,
        fetched_at=record.rec_headers.get_header("WARC-Date"),
        status=int(status) if status and str(status).isdigit() else None,
        content_type=content_type,
        via=archive,
        keep=keep,
    )
    return provenance.attach([article], origin)[0]


def _unread_length(record: Any) -> int:
    """Bytes of ``record``'s declared length that the archive does not hold (0 for a whole record).

    Reads what is left of the record (warcio would skip it anyway) and counts what never came.
    """
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return max(0, int(getattr(raw, "limit", 0) or 0))


def _bytes_after_last_record(stream: IO[bytes], iterator: Any, starts: list[int], size: int | None) -> int:
    """How many bytes after the end of the last whole record are more than blank lines (0: none).

    warcio ends quietly at a record header or a compressed member cut short: its last member is
    then not one of the records it gave, and what follows the last record is what was lost.
    """
    if size is None:
        return 0
    member = getattr(iterator, "member_info", None)  # (offset, length) of the last member read
    if not (isinstance(member, tuple) and len(member) == 2):
        end = starts[-1] if starts else 0
    elif starts and member[0] == starts[-1]:
        end = member[0] + member[1]
    else:
        end = member[0]  # a member began there and gave no record
    if end >= size:
        return 0
    try:
        stream.seek(end)
        rest = stream.read(size - end)
    except (OSError, ValueError):
        return 0
    return len(rest) if rest.strip() else 0


def _stream_size(stream: IO[bytes]) -> int | None:
    try:
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
        return end
    except (OSError, ValueError, AttributeError):
        return None


# --------------------------------------------------------------------------- dispatch


def _kind_of(name: str) -> str:
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return "warc"
    suffix = os.path.splitext(lower)[1]
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _JSON_SUFFIXES:
        return "json"
    return "text" if suffix in _TEXT_SUFFIXES else "sniff"


def _sniff(raw: bytes) -> str:
    """The format of unnamed bytes (stdin, unknown extensions) from how they start."""
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"WARC/"):
        return "warc"
    lowered = head[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or b"<body" in lowered:
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first_line = head.split(b"\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith(b"}") and b"\n" in raw.strip() else "json"
    return "text"


def read_bytes(
    raw: bytes, source: str, kind: str, settings: Settings, *, keep: dict[str, bytes] | None = None
) -> tuple[list[Article], list[IngestError]]:
    """Articles (and per-record errors) from the bytes of one input of ``kind``."""
    if is_gzip(raw):  # a gzip is read as what it holds (see compressed.py), a web archive only when it is one
        content = gunzip(raw, settings.max_file_bytes, source)
        if content.lstrip(b"\r\n").startswith(b"WARC/"):
            return _read_warc_quietly(io.BytesIO(raw), source, settings, keep=keep)
        inner = _kind_of(inner_name(source))
        if inner == "warc":
            raise IngestError(source, "not a web archive: the compressed content does not start with a WARC record")
        return read_bytes(content, source, inner, settings, keep=keep)
    if kind == "sniff":
        kind = _sniff(raw)
    if kind == "warc":
        return _read_warc_quietly(io.BytesIO(raw), source, settings, keep=keep)
    if kind == "html":
        if not raw.strip():
            raise IngestError(source, "empty file" if not raw else "whitespace-only file")
        return [read_html(raw, source, settings)], []
    decoded = _decode(raw, source)
    if kind == "json":
        return read_json(decoded.text, source, decoded.encoding, settings, notes=decoded.notes)
    if kind == "jsonl":
        return read_jsonl(decoded.text, source, decoded.encoding, settings, notes=decoded.notes)
    return [read_text(decoded.text, source, decoded.encoding, settings, notes=decoded.notes)], []


def read_path(
    path: Path, settings: Settings, *, keep: dict[str, bytes] | None = None
) -> tuple[list[Article], list[IngestError]]:
    """Articles and per-record errors from one file; a whole-file problem raises ``IngestError``.

    Each article gets the file's provenance (path, modification time, hash of its bytes); with
    ``keep``, the bytes are added to it compressed (see provenance.py). Web-archive records get
    their own.
    """
    source = shown(str(path))  # a name that is not text (bytes that are not UTF-8) is stored as shown
    kind = _kind_of(path.name)
    try:
        if kind == "warc" and (not path.name.lower().endswith(".gz") or gzip_holds_warc(path)):
            with open_regular(path) as fh:  # streamed: archives may be far larger than one article
                return _read_warc_quietly(fh, source, settings, keep=keep)
        raw = _read_file(path, settings)
        modified = provenance.file_time(path)
        found, errors = read_bytes(raw, source, kind, settings, keep=keep)
    except OSError as exc:
        raise IngestError(source, f"cannot read: {exc.strerror or exc}") from exc
    origin = provenance.record(raw, requested=source, fetched_at=modified, keep=keep)
    return provenance.attach(found, origin), errors


def read_stdin(
    settings: Settings, stream: IO[bytes] | None = None, *, keep: dict[str, bytes] | None = None
) -> tuple[list[Article], list[IngestError]]:
    stream = stream if stream is not None else sys.stdin.buffer
    raw = _read_limited(stream, settings.max_file_bytes, STDIN_SOURCE)
    found, errors = read_bytes(raw, STDIN_SOURCE, "sniff", settings, keep=keep)
    origin = provenance.record(raw, requested=STDIN_SOURCE, fetched_at=None, keep=keep)
    return provenance.attach(found, origin), errors


def _first_words(message: str) -> str:
    """A library message without the raw bytes it quotes: its first line, up to a colon."""
    line = next((ln.strip() for ln in message.splitlines() if ln.strip()), "")
    return (line.split(":", 1)[0] if ":" in line else line)[:80] or "unreadable"


def _read_warc_quietly(
    stream: IO[bytes], source: str, settings: Settings, *, keep: dict[str, bytes] | None = None
) -> tuple[list[Article], list[IngestError]]:
    """:func:`read_warc`, with what the archive reader writes to stderr about damaged records (its
    warnings quote the raw bytes) turned into one error line for the file."""
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):
        articles, errors = read_warc(stream, source, settings, keep=keep)
    warnings = captured.getvalue().count("WARNING")
    if warnings and not any(e.source == source for e in errors):
        errors.append(IngestError(source, f"damaged WARC archive ({warnings} records whose length is wrong)"))
    return articles, errors


def ingest_paths(
    paths: Iterable[str], settings: Settings | None = None, *, stdin: IO[bytes] | None = None
) -> IngestResult:
    """Every article under ``paths`` (files, directories, ``-`` for stdin), each kept once.

    Bad files and records become errors and never stop the batch. An article whose text was
    already read under another name is recorded in ``duplicates``; the same file given twice is
    silently read once.
    """
    settings = settings or Settings()
    articles: list[Article] = []
    errors: list[IngestError] = []
    duplicates: list[tuple[str, str]] = []
    raw: dict[str, bytes] = {}
    first_source: dict[str, str] = {}
    for path in iter_files(paths, errors, follow_symlinks=settings.follow_symlinks):
        try:
            found, record_errors = (
                read_stdin(settings, stdin, keep=raw) if str(path) == STDIN else read_path(path, settings, keep=raw)
            )
        except IngestError as exc:
            errors.append(exc)
            continue
        except Exception as exc:  # a reader bug costs its file, never the batch (the fuzzers hunt these)
            errors.append(IngestError(str(path), f"could not be read ({type(exc).__name__}: {exc})"))
            continue
        errors.extend(record_errors)
        keep_first(found, first_source, articles, duplicates)
    warnings = [w for a in articles for w in article_warnings(a)]
    return IngestResult(articles, errors, duplicates, warnings, raw)


def keep_first(
    found: Iterable[Article], first_source: dict[str, str], articles: list[Article], duplicates: list[tuple[str, str]]
) -> None:
    """Add each of ``found`` to ``articles`` unless its text was read before; a text read again under
    another name is recorded once in ``duplicates`` (``first_source``: id -> the name read first)."""
    for article in found:
        seen = first_source.get(article.id)
        if seen is None:
            first_source[article.id] = article.source
            articles.append(article)
        elif seen != article.source and (article.source, article.id) not in duplicates:
            duplicates.append((article.source, article.id))
