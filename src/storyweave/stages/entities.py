"""Entity mentions within one article, grouped into coreference chains."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage


@stage("entities", scope="article", requires={"article"}, assigns={"mentions"}, order=30)
def entities(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    return analysis
