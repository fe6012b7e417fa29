"""Claims aligned across articles: support, contradiction, insertions, discrepancies."""

from __future__ import annotations

from storyweave.model import Corpus
from storyweave.pipeline import Context, stage


@stage("align", scope="corpus", assigns={"claims"}, order=40)
def align(corpus: Corpus, ctx: Context) -> Corpus:
    return corpus
