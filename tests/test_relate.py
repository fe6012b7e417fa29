"""relate(a, b): one judgement with a kind, a score and the reasons, symmetric in its arguments."""

from __future__ import annotations

import pytest

from storyweave.pipeline import Context, analyse
from storyweave.relate import Relation, relate, texts_to_embed
from storyweave.relate.facts import Facts, corpus_facts
from support import make_article


def _facts(ctx: Context, first: str, second: str) -> tuple[Facts, Facts, dict]:
    a = make_article(first, source="a.txt")
    b = make_article(second, source="b.txt")
    facts = corpus_facts(analyse([a, b], ctx))
    fa = next(f for f in facts if f.article == a.id)
    fb = next(f for f in facts if f.article == b.id)
    pairs = [(fa.index, fb.index)]
    texts = sorted(texts_to_embed(facts, pairs))
    return fa, fb, dict(zip(texts, ctx.embedder.encode(texts), strict=True))


@pytest.mark.parametrize(
    ("first", "second", "kind", "reason"),
    [
        (
            "The Kelby council closed the Elm Street library.",
            "The Kelby council kept the Elm Street library open.",
            "contradicts",
            "antonym",
        ),
        (
            "The mayor of Kelby resigned on Tuesday.",
            "Reports that the mayor of Kelby resigned are false.",
            "contradicts",
            "debunk",
        ),
        (
            "A river ferry sank near the Dornbridge pier on Tuesday.",
            "The river ferry sank close to the Dornbridge pier on Tuesday.",
            "same",
            "paraphrase",
        ),
        (
            "The mayor of Kelby resigned on Tuesday.",
            "Heavy rain flooded the vineyards of the southern valley.",
            "unrelated",
            "dissimilar",
        ),
    ],
)
def test_relate_gives_kind_score_and_reason(ctx: Context, first: str, second: str, kind: str, reason: str) -> None:
    fa, fb, vectors = _facts(ctx, first, second)
    rel = relate(fa, fb, vectors)
    assert isinstance(rel, Relation)
    assert (rel.kind, rel.reasons[0]) == (kind, reason)
    assert 0.0 <= rel.score <= 1.0
    back = relate(fb, fa, vectors)
    assert (back.kind, back.reasons) == (rel.kind, rel.reasons)


def test_stance_fit_is_deterministic_and_learns_a_separable_rule() -> None:
    import numpy as np

    from storyweave.relate.stance import STANCES, fit

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 3))
    y = np.where(x[:, 0] > 0.5, 3, np.where(x[:, 1] > 0, 2, np.where(x[:, 2] > 0, 1, 0)))
    first, second = fit(x, y, steps=300), fit(x, y, steps=300)
    assert np.array_equal(first.weights, second.weights)
    predicted = first.probabilities(x).argmax(axis=1)
    assert (predicted == y).mean() > 0.85
    assert first.probabilities(x).shape == (400, len(STANCES))
