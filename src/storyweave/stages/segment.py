"""Paragraphs and sentences with character offsets, shared by every later stage.

A paragraph is a line of the article, except that a hard-wrapped line (one that does not end a
sentence and is followed by a line starting in lower case) continues onto the next line. So
headlines, bullet items and wiki ``= Heading =`` lines are paragraphs of their own, and a
paragraph typed with line breaks inside it is still one paragraph. Sentences come from the
parser but are cut at every paragraph boundary, so no sentence spans two paragraphs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from itertools import pairwise
from typing import Any

from storyweave.model import ArticleAnalysis, Sentence, Span
from storyweave.pipeline import Context, stage

_HEADING = re.compile(r"^=+.*=+$")
_BULLET = re.compile(r"^(?:[-*•·▪–]|\d+[.)])\s+\S")
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’')\]]$")
#: Fallback sentence ends when there is no parse: terminal punctuation, closing quotes, then space.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank line, white space (Unicode included) trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(raw) + 1
    return out


def _continues(text: str, line: tuple[int, int], following: tuple[int, int]) -> bool:
    """True when ``following`` is the hard-wrapped rest of ``line`` (same paragraph)."""
    current, nxt = text[line[0] : line[1]], text[following[0] : following[1]]
    if text.count("\n", line[1], following[0]) > 1:  # a blank line between them
        return False
    if _HEADING.match(current) or _BULLET.match(current) or _BULLET.match(nxt) or _HEADING.match(nxt):
        return False
    return not _ENDS_SENTENCE.search(current) and nxt[:1].islower()


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``."""
    out: list[tuple[int, int]] = []
    previous: tuple[int, int] | None = None  # the last physical line, for the wrap test
    for line in _line_bounds(text):
        if out and previous is not None and _continues(text, previous, line):
            out[-1] = (out[-1][0], line[1])
        else:
            out.append(line)
        previous = line
    return out


def paragraphs(analysis: ArticleAnalysis) -> tuple[Span, ...]:
    """The article's paragraphs as spans."""
    return tuple(analysis.span(s, e) for s, e in paragraph_bounds(analysis.article.text))


def _sentence_starts(analysis: ArticleAnalysis) -> list[int]:
    """Character offsets where the parser (or, without a parse, punctuation) starts a sentence."""
    text = analysis.article.text
    doc: Any = analysis.doc
    if doc is not None and doc.text == text:
        return [s.start_char for s in doc.sents]
    return [m.end() for m in _SENTENCE_BREAK.finditer(text)]


def _boilerplate_share(analysis: ArticleAnalysis, start: int, end: int) -> float:
    """Fraction of ``[start, end)`` covered by boilerplate flags."""
    covered: list[tuple[int, int]] = sorted(
        (max(start, f.span.start), min(end, f.span.end))
        for f in analysis.flags
        if f.kind == "boilerplate" and f.span.start < end and start < f.span.end
    )
    total, reach = 0, start
    for s, e in covered:
        s = max(s, reach)
        if e > s:
            total += e - s
            reach = e
    return total / max(1, end - start)


@stage("segment", scope="article", requires={"doc", "flags"}, assigns={"paragraphs", "sentences"}, order=20)
def segment(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Sentences from the parser, never crossing a paragraph boundary.

    A sentence is marked ``skip`` when boilerplate covers at least half of it, so a sentence that
    only carries an inline photo credit keeps its content while a caption or link line is skipped.
    """
    text = analysis.article.text
    paras = paragraphs(analysis)
    starts = sorted(set(_sentence_starts(analysis)))
    sentences: list[Sentence] = []
    for index, para in enumerate(paras):
        lo = bisect.bisect_right(starts, para.start)
        hi = bisect.bisect_left(starts, para.end)
        points = [para.start, *starts[lo:hi], para.end]
        for s, e in pairwise(points):
            chunk = text[s:e]
            stripped = chunk.strip()
            if not stripped:
                continue
            s2 = s + (len(chunk) - len(chunk.lstrip()))
            e2 = s2 + len(stripped)
            skip = _boilerplate_share(analysis, s2, e2) >= 0.5
            sentences.append(Sentence(span=analysis.span(s2, e2), paragraph=index, skip=skip))
    return replace(analysis, paragraphs=paras, sentences=tuple(sentences))
