"""FNC-1 dev half: the stance of an article body towards a headline, ours beside a baseline.

    .venv/bin/python benchmarks/public/fnc1.py            # report part, shipped weights
    .venv/bin/python benchmarks/public/fnc1.py --limit 60  # the first 60 report-part bodies only

Data: ``../shared/eval-data/fnc1-dev/`` (FNC-1 competition test set, dev half; no licence stated
by FNC-1, news texts copyright of their publishers: read from there, never copied). Skips cleanly
when absent. The bodies are split in five parts by SHA-1 of ``"stance:" + body id``; the stance
model (``scripts/train_stance.py``) is trained on parts 1-4 and this script reports on part 0,
whose bodies it never saw. Headlines recur across bodies, so the report part's pairs are also
scored on the headlines that never occur with a training body (no headline memorisation is
possible there). Printed side by side, in one run on the same pairs:

* the README's baseline: TF-IDF cosine of headline and body below a threshold (tuned on the
  training parts) is "unrelated", else "contradicts" when the body holds a refuting word, else
  "discusses";
* ours: ``storyweave.check`` (relate + the shipped stance model).

Metrics as the dataset's README defines them: FNC-1 relative score and macro-F1 over the four
stances, with per-class F1. Analyses and vectors are cached under ``/tmp/relate-cache/``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import pickle
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from storyweave import codec
from storyweave.check import judge, read_claim
from storyweave.ingest import article_id
from storyweave.model import Article, ArticleAnalysis
from storyweave.pipeline import Context, analyse_articles
from storyweave.relate.stance import FEATURES, STANCES, stance_features, stance_model
from storyweave.runner import pipeline_version

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "eval-data" / "fnc1-dev"
CACHE = Path("/tmp/relate-cache")
LABELS = {"agree": "supports", "disagree": "contradicts", "discuss": "discusses", "unrelated": "unrelated"}
#: refuting words of the baseline (the README's: hoax, fake, denies, ...)
REFUTING = (
    "fake",
    "fraud",
    "hoax",
    "false",
    "deny",
    "denies",
    "denied",
    "not",
    "despite",
    "nope",
    "doubt",
    "doubts",
    "bogus",
    "debunk",
    "debunked",
    "pranks",
    "retract",
)
_WORD = re.compile(r"[a-z0-9]+")


def part(body_id: int) -> int:
    return int(hashlib.sha1(f"stance:{body_id}".encode(), usedforsecurity=False).hexdigest(), 16) % 5


def load() -> tuple[list[dict], dict[int, str]]:
    pairs = [json.loads(line) for line in (DATA / "pairs.jsonl").open(encoding="utf-8")]
    bodies = {}
    for line in (DATA / "bodies.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        bodies[row["body_id"]] = row["text"]
    return pairs, bodies


def analyses(texts: list[str], ctx: Context) -> dict[str, ArticleAnalysis]:
    """Each text read by the per-article stages (cached per pipeline version)."""
    # STORYWEAVE_FNC1_CACHE names another pipeline version's readings to reuse (a development
    # shortcut on a slow machine: say so beside any figure measured with it)
    version = os.environ.get("STORYWEAVE_FNC1_CACHE") or pipeline_version()
    path = CACHE / f"fnc1-analyses-{version}.pkl.gz"
    cached: dict[str, str] = {}
    if path.exists():
        with gzip.open(path, "rb") as f:
            cached = pickle.load(f)
    missing = [t for t in dict.fromkeys(texts) if article_id(t) not in cached]
    if missing:
        articles = [Article(id=article_id(t), source="fnc1", text=t) for t in missing]
        for done, analysis in enumerate(analyse_articles(articles, ctx), 1):
            cached[analysis.id] = codec.dumps(analysis)
            if done % 200 == 0:
                print(f"  read {done}/{len(missing)}", file=sys.stderr, flush=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wb") as f:
            pickle.dump(cached, f)
    return {t: codec.loads(ArticleAnalysis, cached[article_id(t)]) for t in dict.fromkeys(texts)}


def features(pairs: list[dict], bodies: dict[int, str], ctx: Context) -> np.ndarray:
    """The stance features of every pair (cached per pipeline version)."""
    key = hashlib.sha1(json.dumps([p["id"] for p in pairs]).encode(), usedforsecurity=False).hexdigest()[:10]
    version = os.environ.get("STORYWEAVE_FNC1_CACHE") or pipeline_version()
    key += hashlib.sha1(repr(FEATURES).encode(), usedforsecurity=False).hexdigest()[:6]
    path = CACHE / f"fnc1-features-{version}-{key}.npy"
    if path.exists():
        return np.load(path)
    read = analyses([bodies[p["body_id"]] for p in pairs], ctx)
    claims = {c: read_claim(c, ctx) for c in dict.fromkeys(p["claim"] for p in pairs)}
    rows = []
    for n, p in enumerate(pairs, 1):
        rows.append(stance_features(judge(claims[p["claim"]], read[bodies[p["body_id"]]], ctx)))
        if n % 1000 == 0:
            print(f"  judged {n}/{len(pairs)}", file=sys.stderr, flush=True)
    x = np.vstack(rows)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, x)
    return x


def scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    """FNC-1 relative score, macro-F1 and per-class F1 (the README's definitions)."""
    got = maximum = 0.0
    for g, p in zip(gold, predicted, strict=True):
        maximum += 0.25 if g == "unrelated" else 1.0
        if (g == "unrelated") == (p == "unrelated"):
            got += 0.25
        if g != "unrelated" and g == p:
            got += 0.75
    out = {"relative": got / maximum}
    f1s = []
    for s in STANCES:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == s)
        pp = sum(1 for p in predicted if p == s)
        gp = sum(1 for g in gold if g == s)
        precision, recall = (tp / pp if pp else 0.0), (tp / gp if gp else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[f"f1 {s}"] = f1
        f1s.append(f1)
    out["macro-F1"] = float(np.mean(f1s))
    return out


def _tfidf(texts: list[str]) -> tuple[dict[str, float], list[dict[str, float]]]:
    df: Counter[str] = Counter()
    tokenised = [_WORD.findall(t.lower()) for t in texts]
    for words in tokenised:
        df.update(set(words))
    idf = {w: math.log((len(texts) + 1) / (n + 1)) + 1 for w, n in df.items()}
    vectors = []
    for words in tokenised:
        tf = Counter(words)
        v = {w: c * idf[w] for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return idf, vectors


def baseline(pairs: list[dict], bodies: dict[int, str], train: list[int], test: list[int]) -> list[str]:
    """TF-IDF cosine below a threshold (best relatedness accuracy on ``train``) -> unrelated; else
    contradicts when the body holds a refuting word, else discusses."""
    texts = sorted({p["claim"] for p in pairs} | set(bodies.values()))
    _, vectors = _tfidf(texts)
    vec = dict(zip(texts, vectors, strict=True))

    def cosine(p: dict) -> float:
        a, b = vec[p["claim"]], vec[bodies[p["body_id"]]]
        return sum(x * b.get(w, 0.0) for w, x in a.items())

    cos = {i: cosine(pairs[i]) for i in train + test}
    best = max(
        (sum((cos[i] >= t) == (pairs[i]["stance"] != "unrelated") for i in train), t)
        for t in np.arange(0.01, 0.3, 0.01)
    )[1]
    out = []
    for i in test:
        words = set(_WORD.findall(bodies[pairs[i]["body_id"]].lower()))
        if cos[i] < best:
            out.append("unrelated")
        else:
            out.append("contradicts" if words.intersection(REFUTING) else "discusses")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N report-part bodies")
    args = parser.parse_args()
    if not (DATA / "pairs.jsonl").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    pairs, bodies = load()
    train = [i for i, p in enumerate(pairs) if part(p["body_id"]) != 0]
    test = [i for i, p in enumerate(pairs) if part(p["body_id"]) == 0]
    if args.limit:
        keep = sorted({pairs[i]["body_id"] for i in test})[: args.limit]
        test = [i for i in test if pairs[i]["body_id"] in set(keep)]
    seen_headlines = {pairs[i]["claim"] for i in train}
    unseen = [k for k, i in enumerate(test) if pairs[i]["claim"] not in seen_headlines]
    ctx = Context()
    started = time.process_time()
    x = features([pairs[i] for i in test], bodies, ctx)
    ours = [STANCES[int(k)] for k in stance_model().probabilities(x).argmax(axis=1)]
    cpu = time.process_time() - started
    gold = [LABELS[pairs[i]["stance"]] for i in test]
    base = baseline(pairs, bodies, train, test)
    print(
        f"FNC-1 dev, report part: {len(test)} pairs, {len({pairs[i]['body_id'] for i in test})} bodies "
        f"never seen in training ({len(unseen)} pairs with headlines never seen in training)"
    )
    rows = [("baseline (TF-IDF + refuting words)", scores(gold, base)), ("storyweave check", scores(gold, ours))]
    if unseen:
        rows.append(
            ("storyweave check, unseen headlines", scores([gold[k] for k in unseen], [ours[k] for k in unseen]))
        )
        rows.append(("baseline, unseen headlines", scores([gold[k] for k in unseen], [base[k] for k in unseen])))
    names = ["macro-F1", "relative", *(f"f1 {s}" for s in STANCES)]
    print(f"{'':38}" + "".join(f"{n:>15}" for n in names))
    for label, s in rows:
        print(f"{label:38}" + "".join(f"{s[n]:>15.3f}" for n in names))
    confusion = Counter(zip(gold, ours, strict=True))
    print("confusion (gold -> ours):", {f"{g}->{p}": n for (g, p), n in sorted(confusion.items())})
    print(f"features CPU {cpu:.1f} s (analyses cached after the first run; shared machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
