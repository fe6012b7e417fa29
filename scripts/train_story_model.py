"""Train the story-clustering models (src/storyweave/story_model.json) on the ECB+ train topics.

**Join models** (online clustering, :mod:`storyweave.cluster`). The clusterer is replayed over the
training articles with the gold stories (ECB+ sub-topics) forced: at every article, each candidate
story the inverted index retrieves gives one example — its pair features
(``StoryClusterer.pair_features``) and whether it is the article's own story. Replays: the order the
clusterer sees in use (publication date, then id) and seeded shuffles, over all 25 train topics and
over seeded samples of 2–5 topics (small inputs, where document frequencies are young). Two logistic
regressions are fitted (Newton's method, L2): one with the embedding cue, one without.

**Split model** (batch refinement, :mod:`storyweave.story_split`). Groups of training articles — each
topic (two events), each sub-topic (one event), seeded samples of both, seeded mixtures of 2–12
stories with 1–4 articles each, and the stories the online pass makes at several join probabilities —
are cut the way the refinement cuts them; each cut is an example, positive when it raises the pairwise
F1 of its group against the gold.

**Thresholds** are chosen by leave-topics-out cross-validation on the train topics only (3 folds;
each fold clustered with models fitted on the other four): the stream's join probability by the
online pass's mean pairwise F1, and the batch pair (online join probability, split probability) by
the whole batch procedure's. The dev topics and GVC are never read here;
``benchmarks/public/stories.py`` reports on them.

Data: ECB+ (Cybulska & Vossen 2014), CC BY 3.0, read from ../shared/eval-data/ecbplus-dev (train split).

    .venv/bin/python scripts/train_story_model.py [--out src/storyweave/story_model.json] [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "public"))

import story_sets  # noqa: E402

from storyweave.cluster import ArticleFeatures, StoryClusterer, cluster_batch, extract_features  # noqa: E402
from storyweave.model import Article  # noqa: E402
from storyweave.story_model import FEATURES, JoinModel, fit_logistic, model_record  # noqa: E402
from storyweave.story_split import SPLIT_FEATURES, Member, candidate_cuts  # noqa: E402

L2 = 1.0
SHUFFLES = 2
SUBSETS = 10
MIXTURES = 60
FOLDS = 3
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
ONLINE_THRESHOLDS = (0.05, 0.1, 0.2, 0.3)
SPLIT_THRESHOLDS = (0.4, 0.5, 0.6)
CACHE = Path(tempfile.gettempdir()) / "storyweave-story-model-cache"


def lead_embeddings(articles: Sequence[Article]) -> dict[str, np.ndarray]:
    """The lead embedding of every article (cached on disk by lead text between runs)."""
    from storyweave.embed import load_embedder

    CACHE.mkdir(parents=True, exist_ok=True)
    leads = {a.id: extract_features(a).lead for a in articles}
    keys = {aid: hashlib.sha1(lead.encode(), usedforsecurity=False).hexdigest() for aid, lead in leads.items()}
    path = CACHE / "leads.npz"
    stored: dict[str, np.ndarray] = dict(np.load(path)) if path.is_file() else {}
    missing = sorted({keys[aid] for aid in leads if keys[aid] not in stored})
    if missing:
        by_key = {keys[aid]: lead for aid, lead in leads.items()}
        vectors = load_embedder().encode([by_key[k] for k in missing])
        stored.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        np.savez(path, **stored)
    return {aid: stored[keys[aid]] for aid in leads}


_FEATURES: dict[str, ArticleFeatures] = {}


def features_of(article: Article) -> ArticleFeatures:
    """The article's clustering features, computed once per run of this script."""
    if article.id not in _FEATURES:
        _FEATURES[article.id] = extract_features(article)
    return _FEATURES[article.id]


def _ordered(articles: Sequence[Article], seed: int | None) -> list[Article]:
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    if seed is not None:
        random.Random(seed).shuffle(ordered)
    return ordered


def replay(
    articles: Sequence[Article], gold: dict[str, str], embeddings: dict[str, np.ndarray] | None, seed: int | None
) -> tuple[list[list[float]], list[int]]:
    """Pair examples from one gold-forced replay of ``articles``."""
    clusterer = StoryClusterer(embedder=None, models={})
    xs: list[list[float]] = []
    ys: list[int] = []
    for article in _ordered(articles, seed):
        embedding = embeddings[article.id] if embeddings is not None else None
        for x, own in clusterer.add_labelled(features_of(article), embedding, gold[article.id]):
            xs.append(x)
            ys.append(int(own))
    return xs, ys


def examples(
    data: story_sets.LabelledSet, embeddings: dict[str, np.ndarray] | None, topics: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    chosen = [a for a in data.articles if data.topic[a.id] in set(topics)]
    xs: list[list[float]] = []
    ys: list[int] = []
    for seed in (None, *range(SHUFFLES)):
        x, y = replay(chosen, data.story, embeddings, seed)
        xs += x
        ys += y
    rng = random.Random(7)
    for i in range(SUBSETS):
        sample = rng.sample(sorted(topics), min(len(topics), rng.randint(2, 5)))
        x, y = replay([a for a in chosen if data.topic[a.id] in set(sample)], data.story, embeddings, 100 + i)
        xs += x
        ys += y
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def idf_of(articles: Sequence[Article]) -> Callable[[str], float]:
    """Corpus IDF over ``articles``, the formula the clusterer uses."""
    df: dict[str, int] = {}
    for a in articles:
        f = features_of(a)
        for k in {*f.terms, *f.keys}:
            df[k] = df.get(k, 0) + 1
    n = len(articles)
    return lambda k: math.log((1 + n) / (1 + df.get(k, 0))) + 1.0


def _pairwise_f1(ids: Sequence[str], labels: Sequence[object], gold: dict[str, str]) -> float:
    return story_sets.pairwise(
        {i: str(label) for i, label in zip(ids, labels, strict=True)}, {i: gold[i] for i in ids}
    )[2]


def split_examples(
    data: story_sets.LabelledSet,
    embeddings: dict[str, np.ndarray],
    topics: Sequence[str],
    join: dict[str, JoinModel],
) -> tuple[np.ndarray, np.ndarray]:
    chosen = [a for a in data.articles if data.topic[a.id] in set(topics)]
    features = {a.id: features_of(a) for a in chosen}
    idf = idf_of(chosen)
    by_story: dict[str, list[str]] = {}
    by_topic: dict[str, list[str]] = {}
    for a in chosen:
        by_story.setdefault(data.story[a.id], []).append(a.id)
        by_topic.setdefault(data.topic[a.id], []).append(a.id)
    rng = random.Random(11)
    groups: list[list[str]] = []
    for ids in [*by_topic.values(), *by_story.values()]:
        groups.append(ids)
        for _ in range(2):
            groups.append(rng.sample(ids, rng.randint(2, len(ids))) if len(ids) > 2 else ids)
    stories = sorted(by_story)
    for _ in range(MIXTURES):
        mix: list[str] = []
        for story in rng.sample(stories, min(len(stories), rng.randint(2, 12))):
            mix += rng.sample(by_story[story], rng.randint(1, min(4, len(by_story[story]))))
        groups.append(mix)
    featured = [(features[a.id], embeddings[a.id]) for a in chosen]
    for cut in ONLINE_THRESHOLDS:
        groups += [s["articles"] for s in cluster_batch(featured, threshold=cut, models=join, split=False)]
    xs: list[list[float]] = []
    ys: list[int] = []
    for group in groups:
        if len(group) < 2:
            continue
        members = [Member(features[i].keys, features[i].terms) for i in group]
        for a, b, cues in candidate_cuts(members, idf):
            ids = [group[i] for i in a + b]
            cut_f1 = _pairwise_f1(ids, [0] * len(a) + [1] * len(b), data.story)
            xs.append(cues)
            ys.append(int(cut_f1 > _pairwise_f1(ids, [0] * len(ids), data.story)))
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def fit(x: np.ndarray, y: np.ndarray, *, embedding: bool) -> np.ndarray:
    x = x.copy()
    if not embedding:
        x[:, FEATURES.index("embedding")] = 0.0
    return fit_logistic(x, y, l2=L2)


def fit_all(
    data: story_sets.LabelledSet, embeddings: dict[str, np.ndarray], topics: Sequence[str]
) -> dict[str, np.ndarray]:
    """Weights of the three models fitted on ``topics``."""
    x, y = examples(data, embeddings, topics)
    weights = {"embedding": fit(x, y, embedding=True), "text": fit(x, y, embedding=False)}
    join = {name: JoinModel(w, 0.5) for name, w in weights.items()}
    sx, sy = split_examples(data, embeddings, topics, join)
    weights["split"] = fit_logistic(sx, sy, l2=L2)
    print(f"  fitted on {len(topics)} topics: {len(y)} join examples, {len(sy)} cuts ({int(sy.sum())} good)")
    return weights


def cross_validate(
    data: story_sets.LabelledSet, embeddings: dict[str, np.ndarray], topics: list[str]
) -> tuple[dict[str, dict[float, float]], dict[tuple[float, float], float]]:
    """Mean pairwise F1 on held-out folds: of the online pass per join probability, with and without
    embeddings; and of the batch procedure (with embeddings) per (online, split) probability pair."""
    folds = [topics[i::FOLDS] for i in range(FOLDS)]
    online: dict[str, dict[float, list[float]]] = {
        "embedding": {t: [] for t in THRESHOLDS},
        "text": {t: [] for t in THRESHOLDS},
    }
    batch: dict[tuple[float, float], list[float]] = {(o, c): [] for o in ONLINE_THRESHOLDS for c in SPLIT_THRESHOLDS}
    for held in folds:
        weights = fit_all(data, embeddings, [t for t in topics if t not in held])
        articles = [a for a in data.articles if data.topic[a.id] in set(held)]
        gold = {a.id: data.story[a.id] for a in articles}
        for name in ("embedding", "text"):
            models = {"embedding": JoinModel(weights[name], 0.5), "text": JoinModel(weights[name], 0.5)}
            featured = [(features_of(a), embeddings[a.id] if name == "embedding" else None) for a in articles]
            for cut in THRESHOLDS:
                stories = cluster_batch(featured, threshold=cut, models=models, split=False)
                online[name][cut].append(story_sets.pairwise(_labels(stories), gold)[2])
        featured = [(features_of(a), embeddings[a.id]) for a in articles]
        for o in ONLINE_THRESHOLDS:
            for c in SPLIT_THRESHOLDS:
                models = {
                    "embedding": JoinModel(weights["embedding"], 0.5),
                    "text": JoinModel(weights["text"], 0.5),
                    "split": JoinModel(weights["split"], c),
                }
                stories = cluster_batch(featured, threshold=o, models=models)
                batch[(o, c)].append(story_sets.pairwise(_labels(stories), gold)[2])
    return (
        {name: {t: float(np.mean(v)) for t, v in by.items()} for name, by in online.items()},
        {k: float(np.mean(v)) for k, v in batch.items()},
    )


def _labels(stories: list[dict[str, object]]) -> dict[str, str]:
    return {article_id: str(s["id"]) for s in stories for article_id in s["articles"]}  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "storyweave" / "story_model.json")
    parser.add_argument("--check", action="store_true", help="train and compare with --out; write nothing")
    args = parser.parse_args(argv)
    data = story_sets.load_ecbplus("train")
    if data is None:
        print("ECB+ is not in ../shared/eval-data/ecbplus-dev: nothing to train on", file=sys.stderr)
        return 2
    embeddings = lead_embeddings(data.articles)
    topics = sorted(set(data.topic.values()), key=int)
    print(f"{len(data.articles)} articles, {len(topics)} topics")
    online, batch = cross_validate(data, embeddings, topics)
    weights = fit_all(data, embeddings, topics)
    join_cut = {name: max(THRESHOLDS, key=lambda t, n=name: round(online[n][t], 4)) for name in online}
    batch_cut = max(batch, key=lambda k: round(batch[k], 4))
    for name in ("embedding", "text"):
        print(f"{name}: " + ", ".join(f"{f}={v:+.3f}" for f, v in zip(FEATURES, weights[name], strict=True)))
        print(
            f"{name}: online pairwise F1 by join probability "
            + ", ".join(f"{t}:{m:.3f}" for t, m in online[name].items())
        )
    print("split: " + ", ".join(f"{f}={v:+.3f}" for f, v in zip(SPLIT_FEATURES, weights["split"], strict=True)))
    print("batch pairwise F1 by (online, split) probability " + ", ".join(f"{k}:{m:.3f}" for k, m in batch.items()))
    record: dict[str, object] = {
        "trained_on": "ECB+ 1.0 train topics (Cybulska & Vossen 2015 split), sub-topics as stories",
        "licence": "ECB+ annotation CC BY 3.0 (Cybulska & Vossen, LREC 2014)",
        "script": "scripts/train_story_model.py",
        "models": {
            name: model_record(
                FEATURES,
                weights[name],
                join_cut[name],
                cv_pairwise_f1={str(t): round(m, 4) for t, m in online[name].items()},
            )
            for name in ("embedding", "text")
        },
    }
    record["models"]["split"] = model_record(  # type: ignore[index]
        SPLIT_FEATURES,
        weights["split"],
        batch_cut[1],
        online_threshold=batch_cut[0],
        cv_pairwise_f1={f"{o}/{c}": round(m, 4) for (o, c), m in batch.items()},
    )
    text = json.dumps(record, indent=1) + "\n"
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("the shipped model matches" if same else "the shipped model differs from a fresh training")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
