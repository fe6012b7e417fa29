"""Throughput of the per-article pipeline: local engine vs the Dask engine on 1 and 2 local workers.

The corpus cycles through the invented sample corpus (examples/sample) and the invented clustering
set (tests/data/clusters), each copy with its own id, to the requested size. Each engine's start-up
(loading models; for Dask also starting the cluster and loading the pipeline on every worker) is timed
apart from the steady-state processing, and the ratios are of the steady-state rates. Engines run in
interleaved rounds and the fastest round of each is kept, which evens out load from other jobs.

    .venv/bin/python benchmarks/scale_throughput.py [--articles 200] [--batch-size 32] [--repeat 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus(size: int) -> list:
    from storyweave.ingest import ingest_paths
    from storyweave.model import Article

    templates = list(ingest_paths([str(ROOT / "examples" / "sample")]).articles)
    for line in (ROOT / "tests" / "data" / "clusters" / "events.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        templates.append(
            Article(id=rec["id"], source="events", text=rec["text"], title=rec["title"], published=rec["published"])
        )
    return [replace(templates[i % len(templates)], id=f"bench-{i:06d}") for i in range(size)]


def words(articles: Iterable) -> int:
    return sum(len(a.text.split()) for a in articles)


def run_local(articles: list, ctx) -> dict[str, float]:
    from storyweave.pipeline import analyse_articles

    started = time.perf_counter()
    _ = ctx.nlp, ctx.embedder
    list(analyse_articles(articles[:2], ctx))  # first call pays lazy imports of the stages
    ready = time.perf_counter()
    out = list(analyse_articles(articles, ctx))
    done = time.perf_counter()
    assert len(out) == len(articles)
    return {"startup_s": ready - started, "seconds": done - ready}


def run_dask(articles: list, ctx, workers: int, batch_size: int) -> dict[str, float]:
    from storyweave import scale

    started = time.perf_counter()
    with scale.dask_client(n_workers=workers, processes=True) as client:
        scale.warm_up(client, ctx)  # every worker loads its pipeline before the clock starts
        list(scale.analyse_on_client(articles[: 2 * workers], ctx, client, batch_size=1))  # and runs the stages
        ready = time.perf_counter()
        out = list(scale.analyse_on_client(articles, ctx, client, batch_size=batch_size))
        done = time.perf_counter()
    assert [a.id for a in out] == [a.id for a in articles]
    return {"startup_s": ready - started, "seconds": done - ready}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=2, help="rounds over all engines (best of each kept)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from storyweave.pipeline import Context

    articles = corpus(args.articles)
    n_words = words(articles)
    ctx = Context()
    results: dict[str, dict[str, float]] = {}
    for _round in range(args.repeat):  # interleaved rounds; the fastest of each engine is kept
        rounds = {"local": run_local(articles, ctx)}
        for workers in (1, 2):
            rounds[f"dask-{workers}"] = run_dask(articles, ctx, workers, args.batch_size)
        for name, r in rounds.items():
            if name not in results or r["seconds"] < results[name]["seconds"]:
                results[name] = r
    base = results["local"]["seconds"]
    for r in results.values():
        r["articles_per_s"] = len(articles) / r["seconds"]
        r["words_per_s"] = n_words / r["seconds"]
        r["speedup_vs_local"] = base / r["seconds"]
    summary = {
        "articles": len(articles),
        "words": n_words,
        "batch_size": args.batch_size,
        "rounds": args.repeat,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "engines": results,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(
        f"{len(articles)} articles, {n_words} words, batch {args.batch_size}, best of {args.repeat} rounds, "
        f"{os.cpu_count()} cpus, load average {summary['load_average']:.2f}"
    )
    print(f"{'engine':<8} {'startup s':>9} {'run s':>7} {'art/s':>7} {'words/s':>8} {'× local':>8}")
    for name, r in results.items():
        print(
            f"{name:<8} {r['startup_s']:>9.1f} {r['seconds']:>7.1f} {r['articles_per_s']:>7.1f} "
            f"{r['words_per_s']:>8.0f} {r['speedup_vs_local']:>8.2f}"
        )
    return 0


if __name__ == "__main__":  # worker processes are spawned and re-import this module
    sys.exit(main())
