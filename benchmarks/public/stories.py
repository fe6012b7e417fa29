"""Story clustering on public annotated news: ours beside a TF-IDF average-link baseline, in one run.

Sets (``../shared/eval-data``; each is skipped when absent):

* ``ecbplus-dev``: ECB+ dev topics 2, 5, 12, 18, 21, 23, 34, 35 (196 documents, 16 sub-topics: two
  similar events per topic). The join model was trained on the train topics, never on these.
* ``gvc-dev``: the GVC dev split (78 articles, 37 look-alike shooting incidents). Never trained on.
* ``ecbplus-train`` (with ``--train``): the topics the model was trained on, for reference only.

Headline: pairwise F1 (precision / recall over document pairs placed together); B³ F1 beside it.
The baseline is TF-IDF cosine with average-link agglomerative clustering at several similarity cuts,
all printed (the best cut per set is chosen on that set itself, which flatters the baseline).

    .venv/bin/python benchmarks/public/stories.py [--no-embeddings] [--train] [--json] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import story_sets

from storyweave.cluster import cluster_articles
from storyweave.model import Article

BASELINE_CUTS = (0.1, 0.15, 0.2, 0.25, 0.3)


def ours(articles: Sequence[Article], embedder: object | None) -> dict[str, str]:
    """Our clustering of a whole set, as ``storyweave cluster FILES`` runs it."""
    return dict(cluster_articles(articles, embedder=embedder))


def scores(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    p, r, f = story_sets.pairwise(predicted, gold)
    _bp, _br, bf = story_sets.b_cubed(predicted, gold)
    return {"pair_p": p, "pair_r": r, "pair_f1": f, "b3_f1": bf, "clusters": len(set(predicted.values()))}


def _row(name: str, s: dict[str, float]) -> str:
    return (
        f"  {name:<32} {s['clusters']:>4.0f}  {100 * s['pair_p']:5.1f} {100 * s['pair_r']:5.1f} "
        f"{100 * s['pair_f1']:5.1f}   {100 * s['b3_f1']:5.1f}"
    )


def errors(data: story_sets.LabelledSet, predicted: dict[str, str], limit: int) -> list[str]:
    """Wrong merges and splits, by gold story: what a person reads to name the class of an error."""
    by_pred: dict[str, list[Article]] = {}
    for a in data.articles:
        by_pred.setdefault(predicted[a.id], []).append(a)
    lines = []
    for members in by_pred.values():
        golds = sorted({data.story[a.id] for a in members})
        if len(golds) > 1:
            lines.append("MERGED " + " | ".join(f"{g}: {sum(data.story[a.id] == g for a in members)}" for g in golds))
            lines += [f"    {data.story[a.id]:<12} {(a.title or '')[:90]}" for a in members][:8]
    by_gold: dict[str, set[str]] = {}
    for a in data.articles:
        by_gold.setdefault(data.story[a.id], set()).add(predicted[a.id])
    for gold, preds in sorted(by_gold.items()):
        if len(preds) > 1:
            sizes = sorted((sum(predicted[a.id] == p for a in data.articles) for p in preds), reverse=True)
            lines.append(f"SPLIT {gold} into {len(preds)} stories of sizes {sizes}")
    return lines[:limit]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-embeddings", action="store_true", help="cluster without sentence embeddings")
    parser.add_argument("--train", action="store_true", help="also the ECB+ train topics (trained on)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", type=int, default=0, help="print up to N error lines per set")
    args = parser.parse_args(argv)
    embedder = None
    if not args.no_embeddings:
        from storyweave.embed import load_embedder

        embedder = load_embedder()
    sets = [("ecbplus-dev", story_sets.load_ecbplus("dev")), ("gvc-dev", story_sets.load_gvc())]
    if args.train:
        sets.append(("ecbplus-train (trained on)", story_sets.load_ecbplus("train")))
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, data in sets:
        if data is None:
            print(f"{name}: absent, skipped")
            continue
        started = time.process_time()
        predicted = ours(data.articles, embedder)
        seconds = time.process_time() - started
        results[name] = {"ours": scores(predicted, data.story)}
        for cut in BASELINE_CUTS:
            results[name][f"tfidf-avg@{cut}"] = scores(story_sets.tfidf_average_link(data.articles, cut), data.story)
        if args.json:
            continue
        stories = len(set(data.story.values()))
        print(f"{name}: {len(data.articles)} documents, {stories} gold stories; ours {seconds:.1f} s CPU")
        print(f"  {'system':<32} {'#cl':>4}  {'P':>5} {'R':>5} {'F1':>5}   {'B3F1':>5}")
        best = max(BASELINE_CUTS, key=lambda c: results[name][f"tfidf-avg@{c}"]["pair_f1"])
        print(_row("ours" + (" (no embeddings)" if embedder is None else ""), results[name]["ours"]))
        for cut in BASELINE_CUTS:
            label = f"tfidf average-link @{cut}" + (" best" if cut == best else "")
            print(_row(label, results[name][f"tfidf-avg@{cut}"]))
        for line in errors(data, predicted, args.errors):
            print("   ", line)
    if args.json:
        print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
