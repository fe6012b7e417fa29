"""Compressed inputs: a gzip file is read as what it holds, never assumed to be a web archive.

``page.html.gz`` is HTML, ``feed.jsonl.gz`` is JSONL, ``notes.gz`` is whatever its content looks
like; only a gzip whose content starts with a WARC record header is a web archive (and then it is
streamed, since archives may be far larger than one article). Decompression is bounded: a file that
inflates beyond the file-size limit is refused with one line, so a small "zip bomb" cannot fill
memory. Nothing here prints: every problem is an :class:`~storyweave.errors.IngestError` with a
reason a person can read, never the decompressor's raw bytes.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from storyweave.errors import IngestError
from storyweave.walk import open_regular

GZIP_MAGIC = b"\x1f\x8b"
_GZIP_SUFFIXES = (".gz", ".gzip")
#: Bytes read to tell a compressed web archive from compressed pages: a WARC record starts with
#: its version line, so the first decompressed bytes decide.
_PEEK = 16


def is_gzip(raw: bytes) -> bool:
    return raw.startswith(GZIP_MAGIC)


def inner_name(name: str) -> str:
    """The name without its compression suffix: ``page.html.gz`` -> ``page.html``."""
    lower = name.lower()
    for suffix in _GZIP_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def gunzip(raw: bytes, limit: int, source: str) -> bytes:
    """The content of the gzip data ``raw`` (concatenated members included), at most ``limit`` bytes."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = bytearray()
    data = raw
    try:
        while data:
            out += inflater.decompress(data, limit + 1 - len(out))
            if len(out) > limit:
                raise IngestError(source, f"compressed file inflates beyond {limit} bytes (the max_file_bytes limit)")
            if inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
                continue
            if not inflater.eof:
                raise IngestError(source, "truncated gzip file (the compressed data ends early)")
            data = inflater.unused_data
            if data and not is_gzip(data):
                break  # trailing garbage after the last member, as gzip(1) tolerates
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    except zlib.error as exc:
        raise IngestError(source, f"damaged gzip file ({_zlib_reason(exc)})") from exc
    if is_gzip(bytes(out[:2])):
        raise IngestError(source, "gzip inside gzip: decompress the file once and read the result")
    return bytes(out)


def _zlib_reason(exc: zlib.error) -> str:
    """zlib's message without its "Error -3 while decompressing data:" prefix."""
    text = str(exc)
    return text.split(":", 1)[1].strip() if ":" in text else text


def gzip_holds_warc(path: Path) -> bool:
    """Whether the gzip file at ``path`` holds a web archive (its content starts with ``WARC/``).

    Opened as a regular file only (a FIFO in its place is refused, never waited on). A damaged or
    unreadable file is not a web archive; reading it as bytes then reports what is wrong with it.
    """
    try:
        with open_regular(path) as raw, gzip.GzipFile(fileobj=raw) as fh:
            head = fh.read(_PEEK)
    except (OSError, EOFError, zlib.error, IngestError):
        return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")
