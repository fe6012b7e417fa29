"""Paragraphs and sentences with character offsets, shared by every later stage."""

from __future__ import annotations

import re
from dataclasses import replace

from storyweave.model import ArticleAnalysis, Sentence, Span
from storyweave.pipeline import Context, stage

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


def paragraphs(analysis: ArticleAnalysis) -> tuple[Span, ...]:
    """Non-blank lines or blank-line separated blocks, stripped of surrounding white space."""
    text = analysis.article.text
    out: list[Span] = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        out.extend(_stripped(analysis, start, m.start()))
        start = m.end()
    out.extend(_stripped(analysis, start, len(text)))
    return tuple(out)


def _stripped(analysis: ArticleAnalysis, start: int, end: int) -> list[Span]:
    chunk = analysis.article.text[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    trail = len(chunk) - len(chunk.rstrip())
    if start + lead >= end - trail:
        return []
    return [analysis.span(start + lead, end - trail)]


@stage("segment", scope="article", requires={"doc", "flags"}, assigns={"paragraphs", "sentences"}, order=20)
def segment(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Sentences from the parser, never crossing a paragraph boundary."""
    paras = paragraphs(analysis)
    text = analysis.article.text
    sentences: list[Sentence] = []
    sent_bounds = [(s.start_char, s.end_char) for s in analysis.doc.sents] if analysis.doc is not None else []
    for index, para in enumerate(paras):
        cuts = {para.start, para.end}
        for s, e in sent_bounds:
            if para.start < s < para.end:
                cuts.add(s)
            if para.start < e < para.end:
                cuts.add(e)
        points = sorted(cuts)
        for s, e in zip(points, points[1:], strict=False):
            chunk = text[s:e]
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk) - len(chunk.rstrip())
            if s + lead >= e - trail:
                continue
            s2, e2 = s + lead, e - trail
            sentences.append(Sentence(span=analysis.span(s2, e2), paragraph=index, skip=analysis.skipped(s2, e2)))
    return replace(analysis, paragraphs=paras, sentences=tuple(sentences))
