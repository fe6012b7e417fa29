"""Checkable claims, one per sentence or conjunct."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage


@stage("claims", scope="article", requires={"article"}, assigns={"claims"}, order=50)
def claims(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    return analysis
