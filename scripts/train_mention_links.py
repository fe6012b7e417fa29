"""Train the model that links descriptions and pronouns to their chains (``mention_links.json``).

usage: python scripts/train_mention_links.py [--out src/storyweave/mention_links.json]

Data: the ECB+ **train** topics in ``../shared/eval-data/ecbplus-dev/`` (annotation CC BY 3.0,
Cybulska & Vossen 2014); the dev topics are left for ``benchmarks/public/ecbplus_coref.py`` and the
test topics are not in the folder. Every annotated entity mention (all sentences, all types but
times) labels the markables whose head word it holds.

For each new markable (a description or pronoun found by ``mention_links.markables``) that an
annotated mention holds, every earlier candidate that one holds too is an example: positive when
both are in one annotated chain. Features are computed on the chains correct decisions would
have built (the nearest positive candidate is taken as the antecedent). An L2-regularised logistic
regression is fitted by Newton's method (deterministic, numpy only); the threshold is the one
that maximises the F1 of best-first antecedent choices on the same train topics.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from public import ecbplus_data as ecb  # noqa: E402

from storyweave.mention_links import Markable, link, markables  # noqa: E402
from storyweave.pipeline import Context  # noqa: E402
from storyweave.stages.entities import named_mentions  # noqa: E402

#: L2 strength of the logistic regression (per example; the features are binary).
L2 = 1.0
#: Features seen in fewer examples than this are dropped (too rare to weigh).
MIN_COUNT = 5
#: Threshold for descriptions, chosen by benchmarks/public/ecbplus_coref.py --split train (core
#: CoNLL F1 64.0 / 65.5 / 64.5 / 63.6 at 0.21 / 0.35 / 0.5 / 0.65): a wrong link of a description
#: merges two entities, a missed one still leaves it to be matched across articles.
NOMINAL_THRESHOLD = 0.35

Example = tuple[list[str], int]
Decision = list[tuple[list[str], int]]  # one anaphor's candidates: (features, label)


def gold_of(doc: Any, marks: list[Markable], gold: list[ecb.GoldMention]) -> dict[int, str]:
    """Markable index -> gold chain, for markables whose head word the smallest gold mention holds."""
    out: dict[int, str] = {}
    for i, m in enumerate(marks):
        tok = doc[m.head]
        holding = [g for g in gold if g.start <= tok.idx < g.end]
        if holding:
            out[i] = min(holding, key=lambda g: g.end - g.start).chain
    return out


def collect(split: str) -> list[Decision]:
    ctx = Context()
    decisions: list[Decision] = []
    for number in ecb.topics_of(split):
        topic = ecb.load_topic(number)
        gold_by_doc: dict[str, list[ecb.GoldMention]] = {}
        for g in topic.gold_all:
            if g.tgroup != "TIME":
                gold_by_doc.setdefault(g.doc, []).append(g)
        for analysis in ecb.analyses(topic, ctx, through="segment", keep_doc=True):
            doc = analysis.doc
            marks = markables(analysis, doc, named_mentions(replace(analysis), doc))
            gold = gold_of(doc, marks, gold_by_doc.get(topic.doc_of[analysis.id], []))
            index = {id(m): i for i, m in enumerate(marks)}

            def oracle(
                a: Markable,
                scored: list[tuple[Markable, list[str]]],
                gold: dict[int, str] = gold,
                index: dict[int, int] = index,
            ) -> Any:
                ga = gold.get(index[id(a)])
                if ga is None:
                    return None
                decision: Decision = []
                chosen = None
                for c, features in scored:
                    gc = gold.get(index[id(c)])
                    if gc is None:
                        continue
                    decision.append((features, int(gc == ga)))
                    if gc == ga and chosen is None:
                        chosen = c
                if decision:
                    decisions.append(decision)
                return chosen

            link(marks, doc, oracle=oracle)
        print(f"topic {number}: {len(decisions)} decisions so far", file=sys.stderr)
    return decisions


def fit(examples: list[Example], names: list[str]) -> tuple[np.ndarray, float]:
    col = {n: j for j, n in enumerate(names)}
    x = np.zeros((len(examples), len(names) + 1))
    y = np.zeros(len(examples))
    for i, (features, label) in enumerate(examples):
        x[i, -1] = 1.0
        for f in features:
            if f in col:
                x[i, col[f]] = 1.0
        y[i] = label
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], L2)
    reg[-1] = 0.0
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + reg * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w[:-1], float(w[-1])


def best_threshold(decisions: list[Decision], weights: dict[str, float], bias: float) -> tuple[float, float]:
    """The threshold that maximises F1 of best-first antecedent choices (and that F1)."""
    rows = []
    for d in decisions:
        scores = [bias + sum(weights.get(f, 0.0) for f in fs) for fs, _ in d]
        k = int(np.argmax(scores))
        rows.append((1 / (1 + np.exp(-scores[k])), d[k][1], any(label for _, label in d)))
    best = (0.5, 0.0)
    for t in np.arange(0.05, 0.96, 0.01):
        made = [r for r in rows if r[0] >= t]
        correct = sum(r[1] for r in made)
        p = correct / len(made) if made else 0.0
        r = correct / max(1, sum(r[2] for r in rows))
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[1] + 1e-9:
            best = (round(float(t), 2), f1)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(ROOT / "src" / "storyweave" / "mention_links.json"))
    args = parser.parse_args(argv)
    if not ecb.available():
        print(f"ECB+ not found at {ecb.DATA}", file=sys.stderr)
        return 1
    decisions = collect("train")
    examples = [e for d in decisions for e in d]
    counts: dict[str, int] = {}
    for features, _ in examples:
        for f in features:
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    w, bias = fit(examples, names)
    weights = {n: round(float(v), 4) for n, v in zip(names, w, strict=True)}
    threshold, f1 = best_threshold(decisions, weights, round(bias, 4))
    positives = sum(label for _, label in examples)
    data = {
        "about": "Logistic weights of pair cues for linking a description or pronoun to an earlier mention "
        "(storyweave.mention_links); trained by scripts/train_mention_links.py.",
        "trained_on": f"ECB+ train topics ({len(decisions)} decisions, {len(examples)} pairs, {positives} positive); "
        "ECB+ annotation CC BY 3.0, Cybulska & Vossen 2014",
        "threshold_note": f"pronouns: best-first link F1 {f1:.3f} on the train topics at this threshold",
        "bias": round(bias, 4),
        "threshold": threshold,
        "nominal_threshold": NOMINAL_THRESHOLD,
        "nominal_threshold_note": "core CoNLL F1 on the ECB+ train topics, see NOMINAL_THRESHOLD in the script",
        "weights": weights,
    }
    Path(args.out).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(names)} features, threshold {threshold} (train F1 {f1:.3f}) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
