"""Quotation marks: where a paragraph's quoted stretches start and end, one scanner for every stage.

Curly double marks pair open with close; a straight double quote, or a pair of apostrophes, toggles;
an opening mark with no closing mark before the paragraph ends is the multi-paragraph convention
(each paragraph reopens, only the last one closes). Single-quoted stretches (headline style) are
told apart from apostrophes by what stands on either side, and count only outside double-quoted ones.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_DOUBLE_APOSTROPHE = "''"
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[^\W_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘’])['’](?=$|[\s.,;:!?)\]—–-])")
#: A single-quoted stretch longer than this is more likely two apostrophes than a quotation.
_MAX_SINGLE_QUOTE_CHARS = 240


@dataclass(frozen=True, slots=True)
class Marked:
    """A stretch of text between quotation marks: ``[start, end)`` excludes the marks."""

    start: int
    end: int
    outer_start: int  # the opening mark
    outer_end: int  # one past the closing mark (or the paragraph end when unclosed)
    paragraph: int
    closed: bool


def find_marked(text: str, para_start: int, para_end: int, paragraph: int) -> list[Marked]:
    """Double-quoted stretches of one paragraph, then single-quoted ones outside them.

    A straight double quote toggles, and so does a pair of apostrophes (``''``, the double mark of
    some newspaper archives and typewriter text); a closing mark that opens a paragraph opens a
    quotation (a mistyped mark); an opening mark with no closing mark before the paragraph ends is
    the multi-paragraph convention (each paragraph reopens, only the last one closes).
    """
    found: list[Marked] = []
    open_at: int | None = None
    open_width = 1
    i = para_start
    while i < para_end:
        ch = text[i]
        width = 2 if text.startswith(_DOUBLE_APOSTROPHE, i) and i + 1 < para_end else 1
        if width == 2 and open_at is not None and text.startswith("'", i + 2) and i + 2 < para_end:
            width = 1  # ",'''": a single mark closing inside, then the double mark
        straight = ch == '"' or width == 2
        opens_paragraph = ch in _CLOSE_DOUBLE and not text[para_start:i].strip()  # a mistyped opening mark
        if (ch in _OPEN_DOUBLE or straight or opens_paragraph) and open_at is None:
            open_at, open_width = i, width
        elif (ch in _CLOSE_DOUBLE or straight) and open_at is not None:
            found.append(_marked(text, open_at, i, paragraph, closed=True, widths=(open_width, width)))
            open_at = None
        i += width
    if open_at is not None:
        found.append(_marked(text, open_at, para_end, paragraph, closed=False, widths=(open_width, 0)))
    found = [m for m in found if m.end > m.start]
    found.extend(_single_quoted(text, para_start, para_end, paragraph, found))
    return sorted(found, key=lambda m: m.start)


def _marked(
    text: str, open_at: int, close_at: int, paragraph: int, *, closed: bool, widths: tuple[int, int] = (1, 1)
) -> Marked:
    start, end = open_at + widths[0], close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return Marked(start, end, open_at, close_at + widths[1] if closed else close_at, paragraph, closed)


def _single_quoted(text: str, para_start: int, para_end: int, paragraph: int, doubles: list[Marked]) -> list[Marked]:
    """Top-level single-quoted stretches (headline style), told apart from apostrophes by context."""
    chunk = text[para_start:para_end]
    closes = [para_start + m.start() for m in _SINGLE_CLOSE.finditer(chunk)]
    out: list[Marked] = []
    last_end = -1
    for m in _SINGLE_OPEN.finditer(chunk):
        open_at = para_start + m.start()
        if open_at < last_end or any(d.outer_start <= open_at < d.outer_end for d in doubles):
            continue
        k = bisect.bisect_right(closes, open_at)
        if k == len(closes) or closes[k] - open_at > _MAX_SINGLE_QUOTE_CHARS:
            continue
        close_at = closes[k]
        if any(d.outer_start <= close_at < d.outer_end for d in doubles):
            continue
        out.append(_marked(text, open_at, close_at, paragraph, closed=True))
        last_end = close_at + 1
    return [m for m in out if m.end > m.start]


def quoted_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks within ``text[start:end]`` (one paragraph), marks
    included: the stretches :func:`find_marked` finds."""
    return [(m.outer_start, m.outer_end) for m in find_marked(text, start, end, 0)]


def mostly_inside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when at least half of ``[start, end)`` lies inside the ranges."""
    covered = sum(max(0, min(e, end) - max(s, start)) for s, e in ranges)
    return covered * 2 >= max(1, end - start)
