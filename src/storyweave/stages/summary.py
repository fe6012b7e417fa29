"""Timeline and cited brief."""

from __future__ import annotations

from storyweave.model import Corpus
from storyweave.pipeline import Context, stage


@stage("summary", scope="corpus", assigns={"timeline"}, order=60)
def summary(corpus: Corpus, ctx: Context) -> Corpus:
    return corpus
