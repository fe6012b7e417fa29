"""Absolute and relative date expressions."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage


@stage("dates", scope="article", requires={"article"}, assigns={"dates"}, order=70)
def dates(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    return analysis
