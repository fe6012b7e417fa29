"""An article's stance towards a claim, from the relations of its clauses to the claim's.

The features are what :func:`storyweave.relate.relate` found (how close the closest clauses are,
how many state or contradict the claim and by which rule) and facts of those clauses and of the
article (negated, hedged, attributed, reported, called false), never words of one story. A
multinomial logistic model weighs them; its weights are package data (``weights/stance.json``),
trained by ``scripts/train_stance.py`` on the FNC-1 dev half (split by article body: trained on
some bodies, reported on the others; the data has no licence stated, see the README there).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from storyweave.language.negation import DENIAL_VERBS, falsity_words, reportive_nouns
from storyweave.model import ArticleAnalysis
from storyweave.relate.facts import FABRICATION_WORDS, Facts

#: Stances in the order of the model's outputs.
STANCES = ("unrelated", "discusses", "supports", "contradicts")
_REASON_GROUPS = {
    "negation": ("negation", "denial", "accusation-denial"),
    "debunk": ("debunk",),
    "antonym": ("antonym",),
    "event": ("existence", "count", "number"),
}

FEATURES = (
    "max_score",
    "top3_score",
    "lemma_overlap",
    "argument_overlap",
    "same_count",
    "same_score",
    "contradicts_count",
    "contradicts_score",
    "by_negation",
    "by_debunk",
    "by_antonym",
    "by_event",
    "closest_negated",
    "closest_attributed",
    "closest_hedged",
    "closest_modal",
    "polarity_differs",
    "claim_negated",
    "claim_hedged",
    "article_hedged",
    "article_attributed",
    "article_negated",
    "article_denial",
    "article_falsity",
    "article_reportive",
    "article_size",
    "score_x_contradicts",
    "score_x_hedged",
    "score_x_falsity",
    "claim_hedged_x_same",
    "score_squared",
    "sentence_max",
    "sentence_top3",
    "sentence_first",
    "sentence_max_squared",
)


@dataclass
class Judged:
    """A claim, an article, the facts each was read as and every pair's relation."""

    claim: ArticleAnalysis
    article: ArticleAnalysis
    claim_facts: list[Facts]
    article_facts: list[Facts]
    relations: list = field(default_factory=list)  # (claim Facts, article Facts, Relation)
    sentences: list[float] = field(default_factory=list)  # cosine of the whole claim with each sentence


def _share(facts: list[Facts], test: Callable[[Facts], object]) -> float:
    if not facts:
        return 0.0
    return sum(1 for f in facts if test(f)) / len(facts)


def stance_features(judged: Judged) -> np.ndarray:
    """The feature vector (in :data:`FEATURES` order) of one claim-article pair."""
    rels = judged.relations
    closeness = judged.sentences
    scores = sorted((r.score for _, _, r in rels), reverse=True)
    same = [r for _, _, r in rels if r.kind == "same"]
    against = [r for _, _, r in rels if r.kind == "contradicts"]
    reasons = {r.reasons[0] for r in against}
    closest = max(rels, key=lambda t: t[2].score)[1].mention if rels else None
    claim_main = [f for f in judged.claim_facts if f.mention.clause == "main"] or judged.claim_facts
    claim_lemmas = {lemma for f in claim_main for lemma in f.mention.lemmas}
    article_lemmas = {lemma for f in judged.article_facts for lemma in f.mention.lemmas}
    claim_words = {w for f in claim_main for w in (f.subject_words | f.object_words)}
    article_words = judged.article_facts[0].article_words if judged.article_facts else frozenset()
    false_words = falsity_words() | FABRICATION_WORDS
    reportive = reportive_nouns()
    facts = judged.article_facts
    claim_negated = any(f.mention.negated for f in claim_main)
    claim_hedged = any(f.mention.hedged or f.mention.modality for f in claim_main) or "?" in judged.claim.article.text
    top = scores[0] if scores else 0.0
    falsity = _share(facts, lambda f: bool(false_words.intersection(f.mention.lemmas)) or f.mention.debunked)
    hedged = _share(facts, lambda f: f.mention.hedged)
    values = {
        "max_score": top,
        "top3_score": float(np.mean(scores[:3])) if scores else 0.0,
        "lemma_overlap": len(claim_lemmas & article_lemmas) / max(1, len(claim_lemmas)),
        "argument_overlap": len({w for w in claim_words if w in article_words}) / max(1, len(claim_words)),
        "same_count": math.log1p(len(same)),
        "same_score": max((r.score for r in same), default=0.0),
        "contradicts_count": math.log1p(len(against)),
        "contradicts_score": max((r.score for r in against), default=0.0),
        **{f"by_{g}": float(bool(reasons & set(rs))) for g, rs in _REASON_GROUPS.items()},
        "closest_negated": float(bool(closest and closest.negated)),
        "closest_attributed": float(bool(closest and closest.attributed)),
        "closest_hedged": float(bool(closest and (closest.hedged or closest.modality))),
        "closest_modal": float(bool(closest and closest.modality)),
        "polarity_differs": float(bool(closest) and closest.negated != claim_negated),  # type: ignore[union-attr]
        "claim_negated": float(claim_negated),
        "claim_hedged": float(claim_hedged),
        "article_hedged": hedged,
        "article_attributed": _share(facts, lambda f: f.mention.attributed),
        "article_negated": _share(facts, lambda f: f.mention.negated),
        "article_denial": _share(facts, lambda f: (f.mention.cue or "") in DENIAL_VERBS or f.mention.debunked),
        "article_falsity": falsity,
        "article_reportive": _share(facts, lambda f: bool(reportive.intersection(f.mention.lemmas))),
        "article_size": math.log1p(len(facts)),
        "score_x_contradicts": top * float(bool(against)),
        "score_x_hedged": top * hedged,
        "score_x_falsity": top * falsity,
        "claim_hedged_x_same": float(claim_hedged) * max((r.score for r in same), default=0.0),
        "score_squared": top * top,
        "sentence_max": max(closeness, default=0.0),
        "sentence_top3": float(np.mean(sorted(closeness, reverse=True)[:3])) if closeness else 0.0,
        "sentence_first": closeness[0] if closeness else 0.0,
        "sentence_max_squared": max(closeness, default=0.0) ** 2,
    }
    return np.array([values[name] for name in FEATURES], dtype=np.float64)


@dataclass(frozen=True)
class StanceModel:
    """Multinomial logistic regression over standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features + 1, classes), the last row the bias

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.weights[:-1] + self.weights[-1]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def as_json(self, meta: dict[str, object]) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "classes": list(STANCES),
                "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(),
                "weights": self.weights.round(6).tolist(),
                **meta,
            },
            indent=1,
        )


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = 1e-3, steps: int = 600) -> StanceModel:
    """A deterministic fit (zero start, full-batch Adam) with classes weighted by the square root
    of their inverse frequency, so the rare stances are not ignored."""
    mean = x.mean(axis=0)
    spread = x.std(axis=0)
    scale = np.where(spread > 1e-6, spread, 1.0)  # a feature constant in training weighs nothing
    xs = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    k = len(STANCES)
    counts = np.bincount(y, minlength=k).astype(float)
    class_weight = np.sqrt(len(y) / (k * np.maximum(counts, 1.0)))
    w_row = class_weight[y]
    target = np.eye(k)[y]
    w = np.zeros((xs.shape[1], k))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):
        z = xs @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = xs.T @ ((p - target) * w_row[:, None]) / w_row.sum() + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return StanceModel(mean, scale, w)


@cache
def stance_model() -> StanceModel:
    """The shipped model (package data)."""
    data = json.loads(resources.files("storyweave.relate").joinpath("weights/stance.json").read_text("utf-8"))
    if tuple(data["features"]) != FEATURES or tuple(data["classes"]) != STANCES:
        raise ValueError("weights/stance.json was trained on other features; run scripts/train_stance.py")
    scale = np.array(data["scale"])
    return StanceModel(np.array(data["mean"]), np.where(scale > 0, scale, 1.0), np.array(data["weights"]))
