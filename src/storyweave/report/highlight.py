"""Article text with overlapping highlights, as well-formed, fully escaped HTML.

Findings overlap freely (a quote contains entity mentions, a claim crosses a quote's edge), but
HTML elements must nest. :func:`highlight` cuts the text at every span boundary and, when a mark
ends while a later-opened one is still open, closes the inner ones and reopens them as
continuation pieces. The first piece of a mark carries its anchor ``id``; the last carries its
links back to the report items that cite it. Every piece of text and every attribute goes
through :func:`escape`, so article text can never become markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as _escape
from typing import Any

from markupsafe import Markup

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def escape(text: str) -> str:
    """HTML-escape text for element content and quoted attributes (``& < > " '``)."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return _escape(text, quote=True)
    return text  # most pieces need nothing: five searches cost less than five replacements


@lru_cache(maxsize=65536)
def safe_token(value: object) -> str:
    """An id fragment safe in HTML ``id``/``href`` and URLs: kept when already plain, else hashed."""
    text = str(value)
    if _SAFE_ID.match(text):
        return text
    return "h" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def span_anchor(span: dict[str, Any]) -> str:
    """The element id of a span inside its article: ``s-ARTICLE-START-END``."""
    return f"s-{safe_token(span['article'])}-{int(span['start'])}-{int(span['end'])}"


@dataclass(slots=True)
class BackLink:
    """A link from a highlighted span back to a report item that cites it."""

    href: str
    label: str
    title: str


@dataclass(slots=True)
class Mark:
    """One highlighted range; marks with identical ranges are merged before rendering."""

    start: int
    end: int
    classes: set[str] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)
    links: list[BackLink] = field(default_factory=list)
    anchor: str | None = None


def merge_marks(marks: Iterable[Mark]) -> list[Mark]:
    """One mark per distinct range, so each span has exactly one anchor element."""
    merged: dict[tuple[int, int], Mark] = {}
    for m in marks:
        have = merged.get((m.start, m.end))
        if have is None:
            merged[(m.start, m.end)] = Mark(m.start, m.end, set(m.classes), list(m.titles), list(m.links), m.anchor)
            continue
        have.classes |= m.classes
        have.titles.extend(t for t in m.titles if t not in have.titles)
        seen = {link.href for link in have.links}
        have.links.extend(link for link in m.links if link.href not in seen)
        have.anchor = have.anchor or m.anchor
    return sorted(merged.values(), key=lambda m: (m.start, -m.end))


def _open(mark: Mark, first: bool) -> str:
    """The opening tag of a mark's first piece (with its id) or of a continuation piece."""
    classes = " ".join(sorted(mark.classes | ({"hl"} if first else {"hl", "cont"})))
    attrs = f'class="{escape(classes)}"'
    if first and mark.anchor:
        attrs = f'id="{escape(mark.anchor)}" ' + attrs
    if mark.titles:
        attrs += f' title="{escape(" · ".join(mark.titles))}"'
    return f"<span {attrs}>"


def _close(mark: Mark, last: bool) -> str:
    if not last or not mark.links:
        return "</span>"
    links = "".join(f'<a href="#{escape(link.href)}">{escape(link.label)}</a>' for link in mark.links)
    return f'<sup class="bks">{links}</sup></span>'


def highlight(text: str, marks: Iterable[Mark]) -> Markup:
    """``text`` as HTML with every mark wrapped in properly nested ``<span>`` pieces.

    Marks outside the text or with ``start > end`` are dropped rather than trusted.
    """
    usable = [m for m in merge_marks(marks) if 0 <= m.start <= m.end <= len(text)]
    starts: dict[int, list[Mark]] = {}
    for m in usable:
        starts.setdefault(m.start, []).append(m)
    boundaries = sorted({0, len(text)} | {m.start for m in usable} | {m.end for m in usable})
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0
    for p in boundaries:
        if p > pos:
            out.append(escape(text[pos:p]))
            pos = p
        ending = [i for i, m in enumerate(stack) if m.end == p]
        if ending:
            popped = stack[ending[0] :]
            del stack[ending[0] :]
            out.extend(_close(m, last=m.end == p) for m in reversed(popped))
            for m in popped:
                if m.end != p:
                    out.append(_open(m, first=False))
                    stack.append(m)
        for m in starts.get(p, ()):
            if m.start == m.end:  # an empty span still gets its anchor and back links
                out.append(_open(m, first=True) + _close(m, last=True))
                continue
            out.append(_open(m, first=True))
            stack.append(m)
    out.extend(_close(m, last=True) for m in reversed(stack))
    return Markup("".join(out))  # noqa: S704 -- every text piece and attribute above went through escape()
