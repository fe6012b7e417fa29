"""Where an offset lies in an article's analysis: its sentence, and the name a mention's chain goes by."""

from __future__ import annotations

from bisect import bisect_right

from storyweave.model import ArticleAnalysis


def sentence_of(starts: list[int], offset: int) -> int:
    """Index of the sentence (by start offsets) that ``offset`` falls in; -1 before the first."""
    return bisect_right(starts, offset) - 1 if starts else -1


def chain_names(analysis: ArticleAnalysis) -> dict[int, str]:
    """Start offset of each entity mention -> the name its chain goes by, so that a pronoun
    ("he said") can be reported as the person it refers to."""
    by_chain: dict[int, str] = {}
    for m in analysis.mentions:
        if m.kind == "name" and m.chain >= 0 and m.chain not in by_chain:
            by_chain[m.chain] = m.name or m.span.text
    return {m.span.start: by_chain[m.chain] for m in analysis.mentions if m.chain in by_chain}
