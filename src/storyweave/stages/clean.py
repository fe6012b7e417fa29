"""The ``clean`` stage: boilerplate flagged, never deleted, so no offset ever shifts.

What counts as boilerplate is found by :mod:`storyweave.boilerplate`; this stage turns each stretch
into a :class:`~storyweave.model.Flag` with a stable id. The outlets an article credits are found by
the next stage (``stages/cites.py``).
"""

from __future__ import annotations

from dataclasses import replace

from storyweave.boilerplate import boilerplate_spans
from storyweave.model import ArticleAnalysis, Flag, stable_id
from storyweave.pipeline import Context, stage

__all__ = ["boilerplate_flags", "boilerplate_spans", "clean"]


def boilerplate_flags(analysis: ArticleAnalysis) -> tuple[Flag, ...]:
    seen: set[tuple[int, int]] = set()
    flags: list[Flag] = []
    for start, end, reason in boilerplate_spans(analysis.article.text):
        if (start, end) in seen or start >= end:
            continue
        seen.add((start, end))
        flags.append(
            Flag(
                id=stable_id("flag-", analysis.article.id, "boilerplate", start, end),
                span=analysis.span(start, end),
                kind="boilerplate",
                reason=reason,
            )
        )
    return tuple(sorted(flags, key=lambda f: (f.span.start, f.span.end)))


@stage("clean", scope="article", requires={"article"}, assigns={"flags"}, order=10)
def clean(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Adds boilerplate flags; earlier flags (if any) are kept."""
    new = boilerplate_flags(analysis)
    have = {f.id for f in analysis.flags}
    return replace(analysis, flags=analysis.flags + tuple(f for f in new if f.id not in have))
