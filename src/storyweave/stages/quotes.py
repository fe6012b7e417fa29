"""Direct and indirect quotes with their speakers."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage


@stage("quotes", scope="article", requires={"article"}, assigns={"quotes"}, order=40)
def quotes(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    return analysis
