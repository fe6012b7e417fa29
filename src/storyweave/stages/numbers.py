"""Numbers with their unit and what they count."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, stage


@stage("numbers", scope="article", requires={"article"}, assigns={"quantities"}, order=60)
def numbers(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    return analysis
