"""Boilerplate flags on real pages: does removing what ``clean`` flags bring the text closer to the article body?

Data: ``../shared/eval-data/article-extraction-dev/`` (92 real pages of the public article-extraction
benchmark, MIT licence, with its ground truth and its own scorer ``evaluate.py``). Each page is read the
way ``storyweave`` reads an ``.html.gz`` file; four texts are scored against the person-marked
``articleBody`` with the benchmark's shingle F1 (``evaluate.py``, imported from the data folder):

* ``trafilatura`` — plain ``trafilatura.extract`` with its defaults (the baseline),
* ``storyweave text`` — the article text storyweave keeps (its trafilatura settings),
* ``text - flags`` — that text with every boilerplate-flagged span removed (what a reader of the
  report sees undimmed); it must score higher than ``storyweave text``.

With ``--flags`` the script also lists, per flag reason, how many flags there are and how many cut
body text (a flagged line whose 4-word shingles are mostly in the article body), with a sample, and
with ``--json FILE`` it writes the per-page figures.

    .venv/bin/python benchmarks/extraction_flags.py [--data DIR] [--flags] [--sample 40]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

from storyweave.boilerplate import boilerplate_spans
from storyweave.ingest import read_path
from storyweave.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval-data" / "article-extraction-dev"
#: A flag "cuts body text" when at least this share of its 4-word shingles are in the article body.
BODY_SHARE = 0.5


def load_scorer(data: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_evaluate", data / "evaluate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def without_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` with the flagged ranges removed (overlapping ranges merged)."""
    out: list[str] = []
    pos = 0
    for start, end, _reason in sorted(spans):
        if start > pos:
            out.append(text[pos:start])
        pos = max(pos, end)
    out.append(text[pos:])
    return "".join(out)


def plain_trafilatura(path: Path) -> str:
    import trafilatura

    html = gzip.decompress(path.read_bytes())
    return trafilatura.extract(html) or ""


def score(scorer: ModuleType, truth: dict[str, dict[str, str]], texts: dict[str, str]) -> dict[str, float]:
    prediction = {key: {"articleBody": texts.get(key, "")} for key in truth}
    metrics = scorer.evaluate(truth, prediction, n_bootstrap=200)
    return {k: metrics[k] for k in ("f1", "precision", "recall", "accuracy", "f1_std")}


def body_share(scorer: ModuleType, body: str, piece: str) -> float:
    """Share of ``piece``'s 4-word shingles (or words, for shorter pieces) found in ``body``."""
    words = scorer._tokenize(piece)
    n = 4 if len(words) >= 4 else max(1, len(words))
    grams = [tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]
    body_words = scorer._tokenize(body)
    have = {tuple(body_words[i : i + n]) for i in range(max(1, len(body_words) - n + 1))}
    return sum(g in have for g in grams) / len(grams) if grams else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--flags", action="store_true", help="list flags per reason and which cut body text")
    parser.add_argument("--sample", type=int, default=40, help="flags shown per reason with --flags")
    parser.add_argument("--json", type=Path, help="write per-page figures here")
    args = parser.parse_args()
    if not (args.data / "ground-truth.json").exists():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    scorer = load_scorer(args.data)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    settings = Settings()
    plain: dict[str, str] = {}
    ours: dict[str, str] = {}
    kept: dict[str, str] = {}
    flag_rows: list[dict[str, Any]] = []
    errors: list[str] = []
    cpu = {"trafilatura": 0.0, "storyweave": 0.0, "flags": 0.0}
    for key in sorted(truth):
        path = args.data / "html" / f"{key}.html.gz"
        t0 = time.process_time()
        plain[key] = plain_trafilatura(path)
        t1 = time.process_time()
        articles, errs = read_path(path, settings)
        t2 = time.process_time()
        cpu["trafilatura"] += t1 - t0
        cpu["storyweave"] += t2 - t1
        errors.extend(f"{e.source}: {e.reason}" for e in errs)
        if not articles:
            continue
        text = articles[0].text
        spans = boilerplate_spans(text)
        cpu["flags"] += time.process_time() - t2
        ours[key] = text
        kept[key] = without_spans(text, spans)
        body = truth[key].get("articleBody", "")
        for start, end, reason in spans:
            piece = text[start:end]
            flag_rows.append(
                {"page": key, "reason": reason, "text": piece, "body": body_share(scorer, body, piece) >= BODY_SHARE}
            )
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    rows = [
        ("trafilatura (defaults)", score(scorer, truth, plain)),
        ("storyweave text", score(scorer, truth, ours)),
        ("storyweave text - flags", score(scorer, truth, kept)),
    ]
    print(f"article-extraction dev: {len(truth)} pages, {len(ours)} read, {len(flag_rows)} flags")
    print(f"{'':26} {'F1':>12} {'precision':>10} {'recall':>8} {'exact':>7}")
    for name, m in rows:
        print(
            f"{name:26} {m['f1']:.3f} ±{m['f1_std']:.3f} {m['precision']:10.3f} {m['recall']:8.3f} {m['accuracy']:7.3f}"
        )
    cut = sum(r["body"] for r in flag_rows)
    print(f"flags cutting body text: {cut} of {len(flag_rows)} (≥{BODY_SHARE:.0%} of a flag's shingles in the body)")
    print(
        f"CPU s: trafilatura {cpu['trafilatura']:.1f}, storyweave read {cpu['storyweave']:.1f}, "
        f"flags {cpu['flags']:.2f}"
    )
    if args.flags:
        by_reason: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in flag_rows:
            by_reason[r["reason"]].append(r)
        for reason, items in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
            bad = [r for r in items if r["body"]]
            pages = Counter(r["page"][:8] for r in bad)
            print(f"\n== {reason}: {len(items)} flags, {len(bad)} cut body text, on pages {dict(pages)}")
            for r in (bad + [r for r in items if not r["body"]])[: args.sample]:
                mark = "BODY" if r["body"] else "ok  "
                print(f"  {mark} {r['page'][:8]} {r['text'][:150]!r}")
    if args.json:
        args.json.write_text(json.dumps({"scores": dict(rows), "flags": flag_rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
