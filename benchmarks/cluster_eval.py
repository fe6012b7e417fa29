"""Story clustering against labelled events: B³ and pairwise F1, ours next to a TF-IDF single-link baseline.

The data (tests/data/clusters/events.jsonl) is an invented set in the spirit of ECB+: every topic holds
two *similar but different* events (two earthquakes, two journalist arrests, two bank mergers…) with
3–4 short reports each. Scores are given against the events (what a story should be) and against the
topics (what a topic-level clusterer would find); a good story clusterer is high on the first.

    .venv/bin/python benchmarks/cluster_eval.py [--no-embeddings] [--sweep] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from storyweave.cluster import StoryClusterer, cluster_analysed, cluster_batch, extract_features, featurise
from storyweave.model import Article

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "clusters" / "events.jsonl"


def load_events(path: Path = DATA) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Articles (in publication order), and article id -> event label, article id -> topic label."""
    articles, events, topics = [], {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        articles.append(
            Article(
                id=rec["id"],
                source=str(path),
                text=rec["text"],
                title=rec["title"],
                published=rec["published"],
                outlet=rec["outlet"],
            )
        )
        events[rec["id"]] = rec["event"]
        topics[rec["id"]] = rec["topic"]
    articles.sort(key=lambda a: (a.published or "", a.id))
    return articles, events, topics


# --------------------------------------------------------------------------- metrics


def b_cubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B³ precision, recall, F1 (Bagga & Baldwin): per item, overlap of its predicted and gold clusters."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item, label in predicted.items():
        by_pred.setdefault(label, set()).add(item)
    for item, label in gold.items():
        by_gold.setdefault(label, set()).add(item)
    precision = recall = 0.0
    for item in gold:
        pred_cluster = by_pred[predicted[item]]
        gold_cluster = by_gold[gold[item]]
        overlap = len(pred_cluster & gold_cluster)
        precision += overlap / len(pred_cluster)
        recall += overlap / len(gold_cluster)
    precision /= len(gold)
    recall /= len(gold)
    return precision, recall, _f1(precision, recall)


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall, F1 over pairs of items placed together."""
    items = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(items, 2):
        same_pred = predicted[a] == predicted[b]
        same_gold = gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --------------------------------------------------------------------------- systems


def cluster_ours(
    articles: Sequence[Article], *, embedder: object | None, threshold: float | None = None
) -> dict[str, str]:
    clusterer = StoryClusterer(threshold=threshold, embedder=embedder)
    return dict(cluster_analysed(((a, None) for a in articles), clusterer))


def cluster_tfidf_single_link(articles: Sequence[Article], threshold: float) -> dict[str, str]:
    """The baseline: TF-IDF over all words and names (corpus-wide IDF), cosine, single-link components.

    All-pairs, so quadratic: fine for an evaluation set, which is what it is for.
    """
    bags = []
    for article in articles:
        f = extract_features(article)
        bags.append(Counter({**f.terms, **{k: v for k, v in f.keys.items() if k.startswith("e:")}}))
    df = Counter(k for bag in bags for k in bag)
    n = len(bags)
    vectors = []
    for bag in bags:
        vec = {k: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[k])) + 1) for k, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors.append({k: w / norm for k, w in vec.items()})
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(n), 2):
        a, b = vectors[i], vectors[j]
        if len(b) < len(a):
            a, b = b, a
        if sum(w * b.get(k, 0.0) for k, w in a.items()) >= threshold:
            parent[find(i)] = find(j)
    return {article.id: f"c{find(i)}" for i, article in enumerate(articles)}


# --------------------------------------------------------------------------- report


def score(predicted: dict[str, str], events: dict[str, str], topics: dict[str, str]) -> dict[str, float]:
    out = {}
    for name, gold in (("event", events), ("topic", topics)):
        p, r, f = b_cubed(predicted, gold)
        out[f"{name}_b3_p"], out[f"{name}_b3_r"], out[f"{name}_b3_f1"] = p, r, f
        p, r, f = pairwise(predicted, gold)
        out[f"{name}_pair_p"], out[f"{name}_pair_r"], out[f"{name}_pair_f1"] = p, r, f
    out["clusters"] = len(set(predicted.values()))
    return out


def _row(name: str, s: dict[str, float]) -> str:
    return (
        f"{name:<34} {s['clusters']:>4.0f}  "
        f"{s['event_b3_p']:.3f} {s['event_b3_r']:.3f} {s['event_b3_f1']:.3f}  "
        f"{s['event_pair_p']:.3f} {s['event_pair_r']:.3f} {s['event_pair_f1']:.3f}  "
        f"{s['topic_b3_f1']:.3f} {s['topic_pair_f1']:.3f}"
    )


def cluster_batch_ours(articles: Sequence[Article], *, embedder: object | None, split: bool = True) -> dict[str, str]:
    """Ours as ``storyweave cluster FILES`` runs it: the online pass, then the split refinement."""
    stories = cluster_batch(featurise(((a, None) for a in articles), embedder), split=split)
    return {article_id: s["id"] for s in stories for article_id in s["articles"]}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-embeddings", action="store_true", help="cluster without sentence embeddings")
    parser.add_argument("--sweep", action="store_true", help="also show our clusterer across thresholds")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)

    articles, events, topics = load_events()
    embedder = None
    if not args.no_embeddings:
        from storyweave.embed import load_embedder

        embedder = load_embedder()
    started = time.perf_counter()
    ours = score(cluster_ours(articles, embedder=embedder), events, topics)
    ours_seconds = time.perf_counter() - started
    baselines = {t: score(cluster_tfidf_single_link(articles, t), events, topics) for t in (0.15, 0.2, 0.25, 0.3, 0.4)}
    best_t = max(baselines, key=lambda t: baselines[t]["event_b3_f1"])
    results: dict[str, dict[str, float]] = {"ours": ours, f"tfidf-single-link@{best_t}": baselines[best_t]}
    if args.json:
        print(json.dumps({"articles": len(articles), "events": len(set(events.values())), **results}, indent=2))
        return 0
    print(
        f"{len(articles)} articles, {len(set(events.values()))} events in {len(set(topics.values()))} topics; "
        f"embeddings {'off' if embedder is None else 'on'}; ours took {ours_seconds:.2f} s"
    )
    print(f"{'system':<34} {'#cl':>4}  {'event B³ P/R/F1':<17}  {'event pair P/R/F1':<17}  topic B³F1 pairF1")
    print(_row("ours (online stream)", ours))
    print(_row("ours (batch: online + split)", score(cluster_batch_ours(articles, embedder=embedder), events, topics)))
    for t, s in baselines.items():
        print(_row(f"tfidf single-link @{t}" + (" (best)" if t == best_t else ""), s))
    if args.sweep:
        for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
            print(_row(f"ours @{t}", score(cluster_ours(articles, embedder=embedder, threshold=t), events, topics)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
