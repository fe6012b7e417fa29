"""Flags boilerplate spans (captions, credits, video links) without deleting them."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage


@stage("clean", scope="article", requires={"article"}, assigns={"flags"}, order=10)
def clean(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    return analysis
