"""Cross-article entity resolution and quote speakers."""

from __future__ import annotations

from storyweave.model import Corpus
from storyweave.pipeline import Context, stage


@stage("resolve", scope="corpus", assigns={"entities"}, order=10)
def resolve(corpus: Corpus, ctx: Context) -> Corpus:
    return corpus
