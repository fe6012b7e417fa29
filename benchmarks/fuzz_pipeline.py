"""Long span-integrity fuzzing of the whole pipeline on generated articles.

usage: python benchmarks/fuzz_pipeline.py [N] [--seed S] [--minutes M]

Generates N batches of one to three articles with the strategies of tests/test_span_integrity.py
and runs each through every per-article stage, a store round trip, every corpus stage and the
report, checking after each step that every span is the slice of its article it claims to be and
that the report follows the contract. Unlike the test, a failing batch does not stop the run:
every batch is tried, and the script prints the cases run, the failures found (stage errors
included) and the first few failing inputs; with ``--minutes`` it stops generating when the time
is up, and it prints a progress line every 50 batches. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from storyweave.pipeline import Context
from test_span_integrity import article_texts, check_batch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=1000, help="number of generated batches")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--minutes", type=float, default=0, help="time budget (0: none)")
    args = parser.parse_args(argv)
    ctx = Context()
    ctx.nlp  # noqa: B018 - load the models before timing
    ctx.embedder  # noqa: B018
    failures: list[tuple[list[str], str]] = []
    cases = 0
    articles = 0

    @seed(args.seed)
    @settings(
        max_examples=args.n,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # no shrinking: every failure is kept and counted
        suppress_health_check=list(HealthCheck),
    )
    @given(texts=article_texts())
    def one(texts: list[str]) -> None:
        nonlocal cases, articles
        if budget and time.perf_counter() - started > budget:
            return  # out of time: the remaining generated batches are not run
        cases += 1
        if cases % 50 == 0:
            print(f"... {cases} batches, {len(failures)} failures, {time.perf_counter() - started:.0f} s", flush=True)
        articles += len(texts)
        try:
            problems = check_batch(texts, ctx)
        except Exception:  # a stage crash on generated text is a finding like a bad span
            problems = [traceback.format_exc(limit=4)]
        if problems:
            failures.append((texts, "\n".join(problems[:5])))

    budget = args.minutes * 60
    started = time.perf_counter()
    one()
    elapsed = time.perf_counter() - started
    print(
        f"cases run: {cases} batches ({articles} articles), failures: {len(failures)}, "
        f"{elapsed:.0f} s ({cases / max(elapsed, 1e-9):.2f} batches/s)"
    )
    for texts, problem in failures[:10]:
        print(f"--- input: {texts!r}\n{problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
