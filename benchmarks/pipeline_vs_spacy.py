"""How much the whole pipeline costs compared with spaCy parsing alone.

Input: the shared seed articles, each repeated COPIES times. Article ids are content hashes, so
identical copies would be stored and analysed once; each copy therefore gets a small counter line
appended ("[copy 17]"), which makes its text (and id) unique while leaving the article as it was.

Measured, with both models loaded beforehand (their load times are printed separately):
  1. spaCy alone: nlp.pipe over all texts with the pipeline's batch size (the same spaCy pipeline
     as a run, every component of it in use by some stage, and the same garbage-collector
     settings), once before and once after the pipeline run;
  2. the whole pipeline in one run: run_analysis (ingest, per-article stages, store, cross-article
     stages, contract validation, report files) into a temporary store. Its own parse time is
     recorded too, so "everything but the parse" is measured inside the same run.
Prints wall-clock and CPU times, the ratios, the load average around each measurement and the
peak resident memory of the process. On a shared machine the wall-clock ratio is noisy (other load
comes and goes) and even CPU time stretches when the other cores are busy; the CPU-time ratio
against the mean of the two spaCy-alone runs, and the overhead measured within the run, are
the steadier figures.

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
from storyweave.runner import PARSE, run_analysis, run_gc_settings

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

        print(f"spaCy pipeline: {', '.join(nlp.pipe_names)} (none disabled: the stages read all of them)")

        def spacy_alone(when: str) -> tuple[float, float]:
            load = os.getloadavg()[0]
            started, cpu = time.perf_counter(), time.process_time()
            with run_gc_settings():  # the garbage-collector settings run_analysis uses, for a fair baseline
                for _doc in nlp.pipe(texts, batch_size=ctx.settings.batch_size):
                    pass
            wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"spaCy alone {when} (nlp.pipe, batch {ctx.settings.batch_size}): {wall_s:.1f} s wall "
                f"({words / wall_s:,.0f} words/s), {cpu_s:.1f} s CPU; load average {load:.1f} -> "
                f"{os.getloadavg()[0]:.1f}; peak RSS {peak_rss_mb():,.0f} MB"
            )
            return wall_s, cpu_s

        before = spacy_alone("before")
        load = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        result = run_analysis([folder], out_dir=Path(tmp) / "out", ctx=ctx, quiet=True)
        pipeline_s, pipeline_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"whole pipeline (run_analysis): {pipeline_s:.1f} s wall ({words / pipeline_s:,.0f} words/s), "
            f"{pipeline_cpu:.1f} s CPU; load average {load:.1f} -> {os.getloadavg()[0]:.1f}; "
            f"status {result.status}, {result.analysed} analysed, {len(result.errors)} errors"
        )
        for phase, (wall, cpu_s) in result.timings.items():
            print(f"  {phase:15} {wall:7.1f} s wall {cpu_s:7.1f} s CPU")
        print("CPU by stage:", ", ".join(f"{name} {sec:.1f} s" for name, sec in ctx.stage_seconds.items()))
        after = spacy_alone("after")

        spacy_s, spacy_cpu = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
        parse_cpu = ctx.stage_seconds.get(PARSE, 0.0)
        rest_cpu = pipeline_cpu - parse_cpu
        print(
            f"CPU time (all threads of this process): spaCy alone {before[1]:.1f} / {after[1]:.1f} s "
            f"(mean {spacy_cpu:.1f} s), pipeline {pipeline_cpu:.1f} s = parse {parse_cpu:.1f} s + "
            f"everything else {rest_cpu:.1f} s"
        )
        print(
            f"ratio pipeline / spaCy alone: wall {pipeline_s / spacy_s:.2f}x, "
            f"CPU {pipeline_cpu / spacy_cpu:.2f}x (against before {pipeline_cpu / before[1]:.2f}x, "
            f"after {pipeline_cpu / after[1]:.2f}x); within the run: CPU (parse + rest) / parse "
            f"{pipeline_cpu / parse_cpu if parse_cpu else float('nan'):.2f}x (target < 1.5x)"
        )
        print(f"peak RSS: {peak_rss_mb():,.0f} MB; load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
