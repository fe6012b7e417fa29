"""How much the whole pipeline costs compared with spaCy parsing alone.

Input: the shared seed articles, each repeated COPIES times. Article ids are content hashes, so
identical copies would be stored and analysed once; each copy therefore gets a small counter line
appended ("[copy 17]"), which makes its text (and id) unique while leaving the article as it was.

Measured, with both models loaded beforehand (their load times are printed separately):
  1. spaCy alone: nlp.pipe over all texts with the pipeline's batch size (same spaCy pipeline and
     garbage-collector settings as a run);
  2. the whole pipeline in one run: run_analysis (ingest, per-article stages, store, cross-article
     stages, contract validation, report files) into a temporary store.
Prints wall-clock and CPU times of both, their ratios, and the peak resident memory of the process.
On a shared machine the wall-clock ratio is noisy (other load comes and goes); the CPU-time ratio
is the steadier figure.

    .venv/bin/python benchmarks/pipeline_vs_spacy.py [--copies 50] [--seeds ../shared/seeds]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from storyweave.pipeline import Context
from storyweave.runner import run_analysis, run_gc_settings

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    args = parser.parse_args()

    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no .txt articles in {args.seeds}")
    with tempfile.TemporaryDirectory(prefix="storyweave-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        texts = []
        for n in range(args.copies):
            for seed in seeds:
                text = seed.read_text(encoding="utf-8").rstrip("\n") + f"\n\n[copy {n}]\n"
                (folder / f"{seed.stem}-{n:03d}.txt").write_text(text, encoding="utf-8")
                texts.append(text)
        words = sum(len(t.split()) for t in texts)
        print(f"input: {len(texts)} articles ({len(seeds)} seeds x {args.copies}), {words:,} words")
        print(f"cpus: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")

        ctx = Context()
        started = time.perf_counter()
        nlp = ctx.nlp
        print(f"spaCy model load: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        ctx.embedder.encode(["warm up"])
        print(f"embedder load: {time.perf_counter() - started:.1f} s")

        started, cpu = time.perf_counter(), time.process_time()
        with run_gc_settings():  # the garbage-collector settings run_analysis uses, for a fair baseline
            for _doc in nlp.pipe(texts, batch_size=ctx.settings.batch_size):
                pass
        spacy_s, spacy_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"spaCy alone (nlp.pipe, batch {ctx.settings.batch_size}): {spacy_s:.1f} s "
            f"({words / spacy_s:,.0f} words/s); peak RSS {peak_rss_mb():,.0f} MB"
        )

        started, cpu = time.perf_counter(), time.process_time()
        result = run_analysis([folder], out_dir=Path(tmp) / "out", ctx=ctx, quiet=True)
        pipeline_s, pipeline_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"whole pipeline (run_analysis): {pipeline_s:.1f} s ({words / pipeline_s:,.0f} words/s); "
            f"status {result.status}, {result.analysed} analysed, {len(result.errors)} errors"
        )
        for phase, (wall, cpu_s) in result.timings.items():
            print(f"  {phase:15} {wall:7.1f} s wall {cpu_s:7.1f} s CPU")
        print("CPU by stage:", ", ".join(f"{name} {sec:.1f} s" for name, sec in ctx.stage_seconds.items()))
        print(f"CPU time (all threads of this process): spaCy {spacy_cpu:.1f} s, pipeline {pipeline_cpu:.1f} s")
        print(
            f"ratio pipeline / spaCy: wall {pipeline_s / spacy_s:.2f}x, "
            f"CPU {pipeline_cpu / spacy_cpu:.2f}x (target < 1.5x)"
        )
        print(f"peak RSS: {peak_rss_mb():,.0f} MB; load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
