"""Provenance records and the raw bytes kept for them.

Every article carries a :class:`~storyweave.model.Provenance`: for a fetched page the requested and
final URL, redirects, HTTP status and fetch time; for a file its path and the time it was last
modified (so the same file always gives the same report); for a web-archive record its WARC-Date;
for all the SHA-256 and size of the bytes. The bytes themselves travel beside the articles (compressed,
keyed by their hash) to the store, which keeps each distinct document once, so a stored analysis can
be re-run from exactly what was read and the evidence shown.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable, MutableMapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from storyweave.model import Article, Provenance

#: Documents up to this size are kept in the store (compressed): a page, a feed, a batch file.
#: Larger inputs (a big archive) are named by their hash only; the file itself is the evidence.
RAW_KEEP_BYTES = 10 * 1024 * 1024
#: zlib level: 6 is zlib's default balance (HTML shrinks 4-8x); 9 saves a few per cent for much more CPU.
_LEVEL = 6


def utc_now() -> str:
    """The time now in UTC, ISO 8601 to the second: when a document was fetched or read."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def file_time(path: Path) -> str | None:
    """When the file at ``path`` was last modified (UTC, ISO 8601), the time a file's provenance
    records: reading the same file again then gives the same report, byte for byte."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
    except (OSError, ValueError, OverflowError):
        return None


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def compress(raw: bytes) -> bytes:
    return zlib.compress(raw, _LEVEL)


def decompress(blob: bytes) -> bytes:
    return zlib.decompress(blob)


def record(
    raw: bytes,
    *,
    requested: str,
    fetched_at: str | None,
    final: str | None = None,
    status: int | None = None,
    content_type: str | None = None,
    redirects: tuple[str, ...] = (),
    via: str | None = None,
    keep: MutableMapping[str, bytes] | None = None,
) -> Provenance:
    """The provenance of ``raw``; when ``keep`` is given and the bytes are small enough, their
    compressed form is added to it under their hash."""
    digest = sha256(raw)
    kept = keep is not None and len(raw) <= RAW_KEEP_BYTES
    if kept and keep is not None and digest not in keep:
        keep[digest] = compress(raw)
    return Provenance(
        requested=requested,
        final=final or requested,
        fetched_at=fetched_at,
        sha256=digest,
        size=len(raw),
        status=status,
        content_type=content_type or None,
        redirects=redirects,
        via=via,
        kept=kept,
    )


def attach(articles: Iterable[Article], provenance: Provenance) -> list[Article]:
    """``articles`` with ``provenance``, keeping any (more precise) provenance they already have."""
    return [a if a.provenance is not None else replace(a, provenance=provenance) for a in articles]
