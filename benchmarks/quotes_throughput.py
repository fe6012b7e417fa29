"""Quote extraction throughput, and how statement alignment scales with the number of quotes.

    .venv/bin/python benchmarks/quotes_throughput.py [--repeat 20] [--sizes 100,1000,10000] [--json]

Part 1 parses the invented articles of tests/data/quotes_annotated.json (repeated ``--repeat``
times) once, runs the stages before ``quotes`` on them, then times the ``quotes`` stage alone:
quotes per second and its cost relative to the spaCy parse.

Part 2 builds synthetic corpora of N quotes (speakers drawn from a Zipf-like law, so a few blocks are
large; each utterance rendered by 1-4 articles with word substitutions) and times ``build_statements``
with the real embedder, reporting embedding time and alignment time apart. The exponent is the slope
of log(time) against log(N) between the sizes measured. Its small vocabulary makes one speaker's
different utterances look alike, so it also shows how far matched pairs chain into one statement:
pairwise precision and recall against the utterances the generator rendered.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np

from storyweave.model import Article, ArticleAnalysis, Corpus, Quote, Span, Statement, stable_id
from storyweave.pipeline import Context, stages
from storyweave.stages.statements import build_statements

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "quotes_annotated.json"

_WORDS = [
    "harbour",
    "bridge",
    "council",
    "budget",
    "strike",
    "pilots",
    "roster",
    "levy",
    "barrier",
    "flood",
    "inquiry",
    "report",
    "warning",
    "letter",
    "contract",
    "ferry",
    "clinic",
    "winter",
    "repairs",
    "schedule",
    "safety",
    "union",
    "airline",
    "ministry",
    "court",
    "ruling",
    "appeal",
    "taxes",
    "families",
    "workers",
    "crane",
    "audit",
    "engineer",
    "tunnel",
    "road",
    "river",
    "dam",
    "water",
    "price",
    "market",
    "election",
    "vote",
    "ballot",
    "school",
    "teachers",
    "hospital",
]
_FRAMES = (
    "We will never accept {a} cuts to the {b}",
    "The {a} has nothing to do with the {b}",
    "Our {a} plan will protect the {b} this year",
    "Nobody told us about the {a} or the {b}",
    "The {a} is safe and the {b} will reopen soon",
    "There was no {a} and there will be no {b}",
    "We asked the {a} to review the {b} twice",
    "This {a} decision is a mistake for the {b}",
)
_SWAPS = {"never": "not ever", "will": "shall", "nothing": "no link", "safe": "secure", "twice": "two times"}


# --------------------------------------------------------------------------- part 1: quotes per second


def quotes_per_second(ctx: Context, repeat: int) -> dict[str, float]:
    gold = json.loads(DATA.read_text(encoding="utf-8"))
    texts = [a["text"] for a in gold["articles"]] * repeat
    articles = [Article(id=f"b{i}", source=f"b{i}.txt", text=t) for i, t in enumerate(texts)]
    t0 = time.perf_counter()
    docs = list(ctx.nlp.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - t0
    before = [s for s in stages("article") if s.order < 40]
    quotes_stage = next(s for s in stages("article") if s.name == "quotes")
    ready: list[ArticleAnalysis] = []
    for article, doc in zip(articles, docs, strict=True):
        analysis = ArticleAnalysis(article=article, doc=doc)
        for info in before:
            analysis = info.func(analysis, ctx)
        ready.append(analysis)
    t0 = time.perf_counter()
    found = sum(len(quotes_stage.func(a, ctx).quotes) for a in ready)
    quotes_s = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    return {
        "articles": len(texts),
        "words": words,
        "quotes": found,
        "parse_seconds": round(parse_s, 3),
        "quotes_stage_seconds": round(quotes_s, 3),
        "quotes_per_second": round(found / quotes_s, 1),
        "articles_per_second": round(len(texts) / quotes_s, 1),
        "stage_cost_vs_parse": round(quotes_s / parse_s, 4),
    }


# --------------------------------------------------------------------------- part 2: alignment scaling


def synthetic_corpus(n_quotes: int, seed: int = 7) -> Corpus:
    """N quotes in N/8 articles; utterances by Zipf-distributed speakers, each rendered 1-4 times."""
    return synthetic_corpus_with_truth(n_quotes, seed)[0]


def synthetic_corpus_with_truth(n_quotes: int, seed: int = 7) -> tuple[Corpus, dict[str, tuple[str, str]]]:
    """The synthetic corpus and, per quote id, the utterance it renders: (speaker, wording before
    the word substitutions). Two utterances of one speaker with the same wording count as one."""
    rng = random.Random(seed)
    n_articles = max(2, n_quotes // 8)
    n_speakers = max(2, n_quotes // 25)
    per_article: dict[int, list[tuple[str, str, bool]]] = {i: [] for i in range(n_articles)}
    made = 0
    while made < n_quotes:
        speaker = f"ent{min(n_speakers - 1, int(rng.paretovariate(1.1)) - 1)}"
        a, b = rng.sample(_WORDS, 2)
        base = rng.choice(_FRAMES).format(a=a, b=b)
        for _ in range(min(rng.randint(1, 4), n_quotes - made)):
            words = [(_SWAPS.get(w, w) if rng.random() < 0.3 else w) for w in base.split()]
            per_article[rng.randrange(n_articles)].append((" ".join(words), speaker, rng.random() < 0.7, base))
            made += 1
    analyses = []
    truth: dict[str, tuple[str, str]] = {}
    for i, rows in per_article.items():
        text = "\n\n".join(t for t, _, _, _ in rows) or "."
        article = Article(id=f"s{i:06d}", source=f"s{i}.txt", text=text)
        quotes, start = [], 0
        for quote_text, speaker, direct, base in rows:
            truth[stable_id("q", article.id, start)] = (speaker, base)
            span = Span(article.id, start, start + len(quote_text), quote_text)
            words = quote_text.casefold().split()
            quotes.append(
                Quote(
                    id=stable_id("q", article.id, start),
                    span=span,
                    direct=direct,
                    speaker=speaker,
                    lemmas=tuple(sorted({w for w in words if len(w) > 3})),
                    negated=any(w in ("never", "no", "nobody", "nothing", "not") for w in words),
                )
            )
            start += len(quote_text) + 2
        analyses.append(ArticleAnalysis(article=article, quotes=tuple(quotes)))
    return Corpus(analyses=tuple(analyses)), truth


def pair_agreement(statements: tuple[Statement, ...], truth: dict[str, tuple[str, str]]) -> tuple[float, float]:
    """Precision and recall of quote pairs put in one statement, against the utterances
    the generator rendered: how much joining matched pairs transitively over-merges this vocabulary."""
    groups: dict[tuple[str, str], list[str]] = {}
    for qid, utterance in truth.items():
        groups.setdefault(utterance, []).append(qid)
    gold = {frozenset(p) for ids in groups.values() for p in combinations(ids, 2)}
    predicted = {frozenset(p) for st in statements for p in combinations(st.quotes, 2)}
    right = len(gold & predicted)
    return right / max(1, len(predicted)), right / max(1, len(gold))


def time_alignment(ctx: Context, n_quotes: int) -> dict[str, float]:
    corpus, truth = synthetic_corpus_with_truth(n_quotes)
    embed_seconds = 0.0

    def embed(texts: list[str]) -> np.ndarray:
        nonlocal embed_seconds
        t0 = time.perf_counter()
        out = ctx.embedder.encode(texts)
        embed_seconds += time.perf_counter() - t0
        return out

    t0 = time.perf_counter()
    statements = build_statements(corpus, embed)
    total = time.perf_counter() - t0
    precision, recall = pair_agreement(statements, truth)
    return {
        "quotes": n_quotes,
        "articles": len(corpus.analyses),
        "statements": len(statements),
        "pair_precision": round(precision, 3),
        "pair_recall": round(recall, 3),
        "total_seconds": round(total, 3),
        "embed_seconds": round(embed_seconds, 3),
        "align_seconds": round(total - embed_seconds, 3),
    }


def exponent(rows: list[dict[str, float]], key: str) -> float | None:
    """Least-squares slope of log(time) on log(quotes)."""
    pts = [(math.log(r["quotes"]), math.log(max(r[key], 1e-6))) for r in rows]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / den, 2) if den else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ctx = Context()
    ctx.embedder.encode(["warm up"])
    result: dict[str, object] = {"extraction": quotes_per_second(ctx, args.repeat)}
    rows = [time_alignment(ctx, int(n)) for n in args.sizes.split(",")]
    result["alignment"] = rows
    result["exponent_total"] = exponent(rows, "total_seconds")
    result["exponent_align"] = exponent(rows, "align_seconds")
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    ext = result["extraction"]
    assert isinstance(ext, dict)
    print(
        f"extraction: {ext['quotes']} quotes in {ext['articles']} articles ({ext['words']} words): "
        f"{ext['quotes_per_second']} quotes/s, {ext['articles_per_second']} articles/s; "
        f"stage {ext['quotes_stage_seconds']} s vs parse {ext['parse_seconds']} s "
        f"({100 * ext['stage_cost_vs_parse']:.1f}% of parsing)"
    )
    for r in rows:
        print(
            f"alignment: {r['quotes']:>6} quotes, {r['articles']:>5} articles -> {r['statements']:>5} statements: "
            f"total {r['total_seconds']:.2f} s (embedding {r['embed_seconds']:.2f} s, "
            f"alignment {r['align_seconds']:.2f} s); pairs vs the generator's utterances: "
            f"precision {r['pair_precision']:.3f}, recall {r['pair_recall']:.3f}"
        )
    print(f"fitted exponent: total {result['exponent_total']}, alignment without embedding {result['exponent_align']}")


if __name__ == "__main__":
    main()
