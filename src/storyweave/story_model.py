"""The join model of story clustering: how likely an article belongs to a candidate story.

Many weighted cues decide a join — shared names, topic words, title words, numbers and years, the
embedding of title and lead, how many of the article's distinctive names the story already has, a
clash of years — so instead of hand-set weights a logistic regression over those cues decides. It is
trained by ``scripts/train_story_model.py`` on the ECB+ **train** topics (Cybulska & Vossen 2014,
CC BY 3.0; two similar events of one kind per topic) by replaying the article stream and asking, at
every article, which of the candidate stories built so far is its own; the weights ship beside this
module (``story_model.json``), two sets: with and without the embedding cue.

Pure numpy, deterministic (Newton's method from zero, no sampling), CPU only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

#: The cues, in the order of a feature vector (``bias`` first). Each is defined in
#: :func:`storyweave.cluster.StoryClusterer.pair_features`.
FEATURES = (
    "bias",
    "terms",
    "names",
    "numbers",
    "title",
    "embedding",
    "name_cover",
    "story_cover",
    "year_clash",
    "gap",
    "size",
)
MODEL_FILE = "story_model.json"


@dataclass(frozen=True, slots=True)
class JoinModel:
    """A logistic regression over :data:`FEATURES`; ``threshold`` is the probability that joins."""

    weights: np.ndarray
    threshold: float

    def logit(self, x: Sequence[float]) -> float:
        return float(np.dot(self.weights, np.asarray(x, dtype=float)))

    def probability(self, x: Sequence[float]) -> float:
        return _sigmoid(self.logit(x))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cache
def _data() -> dict[str, Any]:
    return json.loads(resources.files("storyweave").joinpath(MODEL_FILE).read_text(encoding="utf-8"))


def batch_online_threshold() -> float:
    """The join probability of the online pass that batch clustering then refines by splitting:
    lower than a stream's, since the split undoes merges (chosen with the split model, see the trainer)."""
    return float(_data()["models"]["split"]["online_threshold"])


@cache
def load_models() -> dict[str, JoinModel]:
    """The shipped models: ``"embedding"`` (all join cues), ``"text"`` (the embedding cue left out)
    and ``"split"`` (:mod:`storyweave.story_split`)."""
    from storyweave.story_split import SPLIT_FEATURES

    data = _data()
    models = {}
    for name, spec in data["models"].items():
        expected = SPLIT_FEATURES if name == "split" else FEATURES
        if tuple(spec["features"]) != expected:
            raise ValueError(f"{MODEL_FILE}: model {name!r} was trained on {spec['features']}, not {list(expected)}")
        models[name] = JoinModel(np.asarray(spec["weights"], dtype=float), float(spec["threshold"]))
    return models


def fit_logistic(
    x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, sample_weight: np.ndarray | None = None, iterations: int = 50
) -> np.ndarray:
    """Weights of an L2-regularised logistic regression by Newton's method (the bias, column 0, is
    not penalised). Deterministic: starts from zero and stops when the step is below 1e-10."""
    n, d = x.shape
    w = np.zeros(d)
    sw = np.ones(n) if sample_weight is None else sample_weight
    penalty = np.full(d, l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (sw * (p - y)) + penalty * w
        hessian = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(d)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return w


def model_record(features: Sequence[str], weights: np.ndarray, threshold: float, **info: Any) -> dict[str, Any]:
    """One model as stored in :data:`MODEL_FILE`."""
    return {
        "features": list(features),
        "weights": [round(float(v), 6) for v in weights],
        "threshold": threshold,
        **info,
    }
