"""What the claim stages cost: pipeline time with claims, republications and align on vs off.

Runs the whole pipeline once over the seed articles repeated N times (each copy made unique by a
trailing line, so ids differ and the republication stage sees real near-duplicates) and times every
stage. "Off" is the same run without the claim stages (``claims``, ``republications``, ``align``),
so the ratio is total / (total - claim stages); parsing and the other stages are shared. Times are
CPU seconds of this process (all threads), so other jobs on a shared machine do not inflate them.

    .venv/bin/python benchmarks/claims_stage_cost.py [--copies 50] [--seeds ../shared/seeds]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyweave import pipeline  # noqa: E402
from storyweave.ingest import article_id  # noqa: E402
from storyweave.model import Article  # noqa: E402
from storyweave.pipeline import Context, analyse  # noqa: E402

CLAIM_STAGES = ("claims", "republications", "align")


def _timed(name: str, func: Callable[..., Any], totals: dict[str, float]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        started = time.process_time()
        try:
            return func(*args)
        finally:
            totals[name] += time.process_time() - started

    return run


def corpus(seeds: Path, copies: int) -> list[Article]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    out = []
    for i in range(copies):
        for j, text in enumerate(texts):
            unique = f"{text}\n\nArchive copy {i}."
            out.append(Article(id=article_id(unique), source=f"copy{i}-{j}.txt", text=unique))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = parser.parse_args()
    articles = corpus(args.seeds, args.copies)
    ctx = Context()
    ctx.nlp  # noqa: B018 - load the models before timing
    ctx.embedder.encode(["warm up"])
    totals: dict[str, float] = defaultdict(float)
    pipeline.load_default_stages()
    for name, info in list(pipeline._REGISTRY.items()):
        pipeline._REGISTRY[name] = replace(info, func=_timed(name, info.func, totals))
    started = time.process_time()
    wall = time.perf_counter()
    result = analyse(articles, ctx)
    total = time.process_time() - started
    wall = time.perf_counter() - wall
    mine = sum(totals[s] for s in CLAIM_STAGES)
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles, {words} words, total {total:.1f} s")
    for name, secs in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<16} {secs:7.2f} s")
    print(f"  parse + runner   {total - sum(totals.values()):7.2f} s")
    print(f"claim stages {mine:.2f} s; on/off ratio {total / max(1e-9, total - mine):.3f}; wall {wall:.1f} s")
    # What the output costs a reader: copies should add one record and a few flags each.
    flags = [f for a in result.analyses for f in a.flags] + list(result.flags)
    contested = [c for c in result.claims if c.status == "contested"]
    print(
        f"republications {len(result.republications)}, duplicate/insertion flags "
        f"{sum(f.kind in ('duplicate', 'insertion') for f in flags)}, claims {len(result.claims)}, "
        f"contested {len(contested)}, contradicting spans {sum(len(c.contradicted_by) for c in contested)} "
        f"(most on one claim {max((len(c.contradicted_by) for c in contested), default=0)}), "
        f"discrepancies {len(result.discrepancies)}"
    )


if __name__ == "__main__":
    main()
