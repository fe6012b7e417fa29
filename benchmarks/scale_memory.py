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
Each size runs in a fresh process so peak RSS is that size's own.

    .venv/bin/python benchmarks/scale_memory.py [--sizes 1000 10000 100000] [--no-embeddings] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
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


def measure(size: int, use_embeddings: bool) -> dict[str, float]:
    """Cluster ``size`` synthetic articles in this process; time, peak RSS and purity of the result."""
    import resource

    from storyweave.cluster import cluster_stream

    embedder = None
    if use_embeddings:
        from storyweave.embed import load_embedder

        embedder = load_embedder()
        embedder.encode(["warm up"])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    assigned = dict(cluster_stream(synthetic_stream(size), embedder=embedder))
    seconds = time.perf_counter() - started
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
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: measure one size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, not args.no_embeddings)))
        return 0
    rows = []
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size)] + (["--no-embeddings"] if args.no_embeddings else [])
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        if not args.json:
            r = rows[-1]
            print(
                f"{r['articles']:>7} articles {r['seconds']:>8.1f} s {r['articles_per_s']:>7.0f}/s "
                f"RSS {r['rss_before_mb']:.0f} -> {r['rss_peak_mb']:.0f} MB  "
                f"stories {r['stories']} (true {r['true_stories']})  B3 P/R/F1 "
                f"{r['b3_precision']:.3f}/{r['b3_recall']:.3f}/{r['b3_f1']:.3f}",
                flush=True,
            )
    exponent = fit_exponent([(r["articles"], r["seconds"]) for r in rows]) if len(rows) > 1 else float("nan")
    if args.json:
        print(json.dumps({"embeddings": not args.no_embeddings, "sizes": rows, "exponent": exponent}, indent=2))
    else:
        print(f"fitted exponent (time ~ n^k): k = {exponent:.3f}; embeddings {'off' if args.no_embeddings else 'on'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
