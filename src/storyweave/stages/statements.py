"""The same utterance aligned across articles."""

from __future__ import annotations

from storyweave.model import Corpus
from storyweave.pipeline import Context, stage


@stage("statements", scope="corpus", assigns={"statements"}, order=30)
def statements(corpus: Corpus, ctx: Context) -> Corpus:
    return corpus
