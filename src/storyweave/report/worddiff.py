"""Word-level differences between two renderings of the same quote.

Reporters trim, translate and re-punctuate quotes; comparing case-folded words without
punctuation shows the changes a reader cares about (a word added, dropped or swapped) and
ignores curly-versus-straight quote marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text and whether it differs from the other side."""

    text: str
    changed: bool


def _words(text: str) -> tuple[list[str], list[str]]:
    """The raw words (with the whitespace before them kept) and their comparison keys."""
    raw: list[str] = []
    keys: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        raw.append(text[pos : m.end()])
        keys.append(_EDGE_PUNCT.sub("", m.group().casefold()) or m.group())
        pos = m.end()
    if pos < len(text) and raw:
        raw[-1] += text[pos:]
    return raw, keys


def _pieces(raw: list[str], changed: list[bool]) -> list[Piece]:
    pieces: list[Piece] = []
    for word, flag in zip(raw, changed, strict=True):
        if pieces and pieces[-1].changed == flag:
            pieces[-1] = Piece(pieces[-1].text + word, flag)
        else:
            pieces.append(Piece(word, flag))
    return pieces


def changed_words(a: str, b: str) -> tuple[list[bool], list[bool]]:
    """For each word of ``a`` and of ``b``: is it absent from the other side's alignment?"""
    _, ka = _words(a)
    _, kb = _words(b)
    in_a = [True] * len(ka)
    in_b = [True] * len(kb)
    for block in SequenceMatcher(None, ka, kb, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            in_a[block.a + k] = False
            in_b[block.b + k] = False
    return in_a, in_b


def compare(base: str, others: list[str]) -> tuple[list[Piece], list[list[Piece]]]:
    """``base`` marked where it differs from any other rendering, and each other marked against ``base``."""
    raw_base, _ = _words(base)
    base_changed = [False] * len(raw_base)
    other_pieces: list[list[Piece]] = []
    for other in others:
        in_base, in_other = changed_words(base, other)
        base_changed = [x or y for x, y in zip(base_changed, in_base, strict=True)]
        raw_other, _ = _words(other)
        other_pieces.append(_pieces(raw_other, in_other))
    return _pieces(raw_base, base_changed), other_pieces


def diff_summary(a: str, b: str) -> str:
    """A compact ``-removed +added`` description of how ``b`` rewords ``a``."""
    ra, ka = _words(a)
    rb, kb = _words(b)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append("-" + "".join(ra[i1:i2]).strip())
        if op in ("insert", "replace"):
            parts.append("+" + "".join(rb[j1:j2]).strip())
    return " ".join(parts)
