"""Story clustering at scale: wall time and peak RSS at growing corpus sizes, and the fitted exponent.

The large corpus is synthetic, built from invented articles only: the clustering evaluation set
(tests/data/clusters, 26 events) and the sample corpus (examples/sample, one event). Synthetic story
``k`` copies the reports of template event ``k mod 27``, with

* every name in them (the name keys the clusterer itself would read) replaced by a pseudo-name made
  from syllables seeded by ``(k, name)``, consistently within the story, so every story has its own
  people, places and organisations;
* every number of two or more digits shifted by a story-specific offset, years left alone;
* publication dates shifted so that ``stories_per_day`` new stories start each day, keeping each
  report's offset from its event's first day.

Articles stream in publication order from a generator, so the corpus itself is never held in memory.

Embeddings (``--embeddings``): ``template`` (default) gives every copy the real model's embedding of
its template article's title + lead, computed once up front. That is the worst case for separating
stories — every copy of a template looks like the same event to the embedding, and only names and
numbers tell them apart — and it costs the clusterer exactly what per-article embeddings cost; the
model inference itself, linear in the number of articles, is timed apart (leads/s, on 256 leads).
``each`` embeds every article's own lead inside the timed loop; ``off`` clusters without embeddings.
Each size runs in a fresh process so peak RSS is that size's own.

    .venv/bin/python benchmarks/scale_memory.py [--sizes 1000 10000 100000] [--embeddings off|template|each]
        [--batch] [--json]

``--batch`` clusters the whole set at once as ``storyweave cluster FILES`` and ``--db`` do (the online
pass, then the split of each story, features of every article held until the end) instead of the stream.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = (
    "ka", "ro", "vel", "mi", "dan", "su", "tor", "li", "ber", "ne", "go", "sha",
    "pri", "lo", "zan", "ke", "mar", "ti", "ost", "ra", "bu", "len", "ha", "qui",
)  # fmt: skip
STORIES_PER_DAY = 30


def _templates() -> list[list]:
    """Template events: lists of articles (dates kept) from the invented evaluation set and sample corpus."""
    from storyweave.ingest import ingest_paths
    from storyweave.model import Article

    events: dict[str, list] = {}
    for line in (ROOT / "tests" / "data" / "clusters" / "events.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        events.setdefault(rec["event"], []).append(
            Article(id=rec["id"], source="events", text=rec["text"], title=rec["title"], published=rec["published"])
        )
    sample = list(ingest_paths([str(ROOT / "examples" / "sample")]).articles)
    dated = [a.published for a in sample if a.published]
    first = min(dated) if dated else "2026-03-04"
    events["sample"] = [a if a.published else _with_date(a, first) for a in sample]
    return [sorted(v, key=lambda a: (a.published, a.id)) for _k, v in sorted(events.items())]


def _with_date(article, day: str):
    from dataclasses import replace

    return replace(article, published=day)


def _pseudo_name(story: int, name: str) -> str:
    digest = hashlib.blake2b(f"{story}\x1f{name}".encode(), digest_size=8).digest()
    parts = [SYLLABLES[b % len(SYLLABLES)] for b in digest[: 2 + digest[7] % 3]]
    return "".join(parts).capitalize()


_NUM = re.compile(r"\b\d{2,}\b")
_CAP = re.compile(r"\b[A-Z][\w'’\-]*")


def synthetic_stream(size: int) -> Iterator:
    """``size`` synthetic articles in publication order (see the module docstring)."""
    from dataclasses import replace

    from storyweave.cluster import name_keys

    templates = _templates()
    names_of = [set().union(*(name_keys(a.text).keys() for a in event)) for event in templates]
    base = date(2020, 1, 1)
    produced = 0
    story = 0
    window: list[tuple[str, int, object]] = []  # (published, seq, article), emitted once safely past
    seq = 0
    while produced < size:
        event_index = story % len(templates)
        event = templates[event_index]
        names = names_of[event_index]
        start = base + timedelta(days=story // STORIES_PER_DAY)
        first_day = date.fromisoformat(event[0].published[:10])
        offset = story % 97 + 1

        def rename(m: re.Match, story: int = story, names: set[str] = names) -> str:
            word = m.group(0)
            key = "e:" + word.lower().replace("'", "").replace("-", "")
            return _pseudo_name(story, word) if key in names else word

        def renumber(m: re.Match, offset: int = offset) -> str:
            value = int(m.group(0))
            return m.group(0) if 1900 <= value <= 2099 else str(value + offset)

        for article in event:
            if produced >= size:
                break
            day = start + (date.fromisoformat(article.published[:10]) - first_day)
            text = _NUM.sub(renumber, _CAP.sub(rename, article.text))
            title = _NUM.sub(renumber, _CAP.sub(rename, article.title or ""))
            copy = replace(
                article, id=f"syn-{story:06d}-{article.id}", text=text, title=title, published=day.isoformat()
            )
            window.append((day.isoformat(), seq, copy))
            seq += 1
            produced += 1
        story += 1
        # Stories start in date order and last at most a few days: emit everything older than today's start.
        window.sort(key=lambda t: (t[0], t[1]))
        cut = start.isoformat()
        while window and window[0][0] < cut:
            yield window.pop(0)[2]
    window.sort(key=lambda t: (t[0], t[1]))
    for _day, _seq, article in window:
        yield article


def _template_embeddings(embedder: object) -> dict[str, object]:
    """The real model's embedding of every template article's title + lead, by template article id."""
    from storyweave.cluster import extract_features

    articles = [a for event in _templates() for a in event]
    vectors = embedder.encode([extract_features(a).lead for a in articles])
    return {a.id: v for a, v in zip(articles, vectors, strict=True)}


def _embedding_rate(embedder: object, count: int = 256) -> float:
    """Leads embedded per second (wall), on real synthetic leads in batches of 64."""
    from storyweave.cluster import extract_features

    leads = [extract_features(a).lead for _i, a in zip(range(count), synthetic_stream(count), strict=False)]
    started = time.perf_counter()
    for i in range(0, len(leads), 64):
        embedder.encode(leads[i : i + 64])
    return len(leads) / (time.perf_counter() - started)


def measure(size: int, embeddings: str, batch: bool = False) -> dict[str, float]:
    """Cluster ``size`` synthetic articles in this process; time, peak RSS and purity of the result.

    ``embeddings``: ``off``; ``each`` (every article's lead embedded, inference included in the time);
    ``template`` (each copy reuses its template article's real embedding, computed once up front).
    """
    import resource

    from storyweave.cluster import StoryClusterer, cluster_batch, cluster_stream, extract_features, featurise

    embedder, table, rate = None, {}, float("nan")
    if embeddings != "off":
        from storyweave.embed import load_embedder

        embedder = load_embedder()
        embedder.encode(["warm up"])
        table = _template_embeddings(embedder) if embeddings == "template" else {}
        rate = _embedding_rate(embedder) if size <= 1000 else float("nan")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    if batch:  # the whole set at once, as `storyweave cluster FILES` / `--db`: online pass, then split
        if embeddings == "template":
            featured = ((extract_features(a), table[a.id.split("-", 2)[2]]) for a in synthetic_stream(size))
        else:
            featured = featurise(((a, None) for a in synthetic_stream(size)), embedder)
        assigned = {aid: s["id"] for s in cluster_batch(featured) for aid in s["articles"]}
    elif embeddings == "template":
        clusterer = StoryClusterer(embedder=None)
        assigned = {
            a.id: clusterer.add(extract_features(a), table[a.id.split("-", 2)[2]]) for a in synthetic_stream(size)
        }
    else:
        assigned = dict(cluster_stream(synthetic_stream(size), embedder=embedder))
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Every synthetic story is its own event: purity/completeness against that truth.
    gold = {aid: aid.split("-")[1] for aid in assigned}
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for aid, story in assigned.items():
        by_pred.setdefault(story, set()).add(aid)
        by_gold.setdefault(gold[aid], set()).add(aid)
    precision = sum(len(by_pred[assigned[a]] & by_gold[gold[a]]) / len(by_pred[assigned[a]]) for a in assigned)
    recall = sum(len(by_pred[assigned[a]] & by_gold[gold[a]]) / len(by_gold[gold[a]]) for a in assigned)
    precision, recall = precision / len(assigned), recall / len(assigned)
    return {
        "articles": len(assigned),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "embeddings": embeddings,
        "batch": batch,
        "embedding_leads_per_s": rate,
        "load_average": os.getloadavg()[0],
        "articles_per_s": len(assigned) / seconds,
        "rss_before_mb": rss_before,
        "rss_peak_mb": rss_peak,
        "stories": len(by_pred),
        "true_stories": len(by_gold),
        "b3_precision": precision,
        "b3_recall": recall,
        "b3_f1": 2 * precision * recall / (precision + recall),
    }


def fit_exponent(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of log(time) against log(size)."""
    xs = [math.log(n) for n, _t in points]
    ys = [math.log(t) for _n, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument(
        "--embeddings",
        choices=("off", "template", "each"),
        default="template",
        help="off; each article's lead embedded in the timed loop; or each copy reusing its template's embedding",
    )
    parser.add_argument("--batch", action="store_true", help="cluster the set at once (online pass + split)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: measure one size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.embeddings, args.batch)))
        return 0
    rows = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size), "--embeddings", args.embeddings]
        cmd += ["--batch"] if args.batch else []
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        if not args.json:
            r = rows[-1]
            print(
                f"{r['articles']:>7} articles {r['seconds']:>7.1f} s wall {r['cpu_seconds']:>7.1f} s CPU "
                f"{r['articles_per_s']:>5.0f}/s (load {r['load_average']:.1f}) "
                f"RSS {r['rss_before_mb']:.0f} -> {r['rss_peak_mb']:.0f} MB  "
                f"stories {r['stories']} (true {r['true_stories']})  B3 P/R/F1 "
                f"{r['b3_precision']:.3f}/{r['b3_recall']:.3f}/{r['b3_f1']:.3f}"
                + (f"  embedding {r['embedding_leads_per_s']:.0f} leads/s" if r["embedding_leads_per_s"] > 0 else ""),
                flush=True,
            )
    fits = {"wall": float("nan"), "cpu": float("nan")}
    if len(rows) > 1:
        fits["wall"] = fit_exponent([(r["articles"], r["seconds"]) for r in rows])
        fits["cpu"] = fit_exponent([(r["articles"], r["cpu_seconds"]) for r in rows])
    if args.json:
        print(json.dumps({"embeddings": args.embeddings, "sizes": rows, "exponent": fits}, indent=2))
    else:
        print(
            f"fitted exponent (time ~ n^k): wall k = {fits['wall']:.3f}, CPU k = {fits['cpu']:.3f}; "
            f"embeddings {args.embeddings}" + ("; batch (online pass + split)" if args.batch else "; stream")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
