"""How cross-article entity resolution scales with the number of mentions.

usage: python benchmarks/entities_scaling.py [SIZE ...]   (default: 10000 30000 100000)

Generates synthetic mention sets without spaCy: articles of ~20 mentions each, naming people from a
pool that grows with the corpus (full names, romanisation variants of their surnames, surname-only
and honorific forms, role phrases), organisations with acronyms and places. Times the resolution
stage alone (chains -> clusters -> entities) and prints the scaling exponent fitted on log time
against log size: ~1 means linear; 2 would mean all pairs are compared.
"""

from __future__ import annotations

import math
import random
import sys
import time

from storyweave.model import Article, ArticleAnalysis, Corpus, Mention, Span
from storyweave.pipeline import Context
from storyweave.stages.resolve import resolve

SYLLABLES = ("ka", "lo", "mi", "ren", "sto", "va", "dor", "bel", "tri", "gan", "pol", "zu", "ner", "shi", "ro", "tav")
ENDINGS = ("sky", "skyy", "skiy", "enko", "ov", "ich", "ek", "berg", "son", "ani")
GIVEN = ("Anna", "Boris", "Clara", "Dmitry", "Elena", "Farid", "Greta", "Hugo", "Ilse", "Jonas", "Katya", "Luis")
ROLES = ("the finance minister", "the Palace spokesman", "the central bank governor", "the army chief")


def surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() + rng.choice(ENDINGS)


def variant(name: str, rng: random.Random) -> str:
    """A romanisation variant of a surname ending (what different outlets would print)."""
    for a, b in (("skyy", "sky"), ("sky", "skiy"), ("skiy", "skyy")):
        if name.endswith(a) and rng.random() < 0.5:
            return name[: -len(a)] + b
    return name


def synthetic_corpus(n_mentions: int, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    n_people = max(10, n_mentions // 25)
    people = [(rng.choice(GIVEN), surname(rng)) for _ in range(n_people)]
    orgs = [
        f"{surname(rng)} {rng.choice(('Bank', 'Authority', 'Union'))} of {surname(rng)}" for _ in range(n_people // 4)
    ]
    places = [surname(rng).replace("sky", "sk") for _ in range(n_people // 4)]
    analyses = []
    made = 0
    article_no = 0
    while made < n_mentions:
        parts: list[tuple[str, str, str, str, str | None]] = []  # (text, label, kind, name, role)
        story_people = rng.sample(people, 4)
        for _ in range(20):
            r = rng.random()
            given, sur = rng.choice(story_people)
            sur = variant(sur, rng)
            if r < 0.35:
                parts.append((f"{given} {sur}", "PERSON", "name", f"{given} {sur}", None))
            elif r < 0.55:
                parts.append((f"Mr {sur}", "PERSON", "name", sur, None))
            elif r < 0.65:
                parts.append((rng.choice(ROLES), "PERSON", "role", "", None))
            elif r < 0.8:
                org = rng.choice(orgs)
                short = "".join(w[0] for w in org.split() if w[0].isupper())
                parts.append(
                    (org, "ORG", "name", org, None) if rng.random() < 0.5 else (short, "ORG", "acronym", short, None)
                )
            else:
                place = rng.choice(places)
                parts.append((place, "GPE", "name", place, None))
        text = ". ".join(p[0] for p in parts) + "."
        article = Article(id=f"a{article_no:06d}", source="synthetic", text=text)
        mentions = []
        offset = 0
        chains: dict[str, int] = {}
        for surface, label, kind, name, _role in parts:
            key = name.split()[-1] if label == "PERSON" and name else surface
            chain = chains.setdefault(key, len(chains))
            span = Span(article.id, offset, offset + len(surface), surface)
            role = surface if kind == "role" else None
            mentions.append(Mention(span=span, label=label, kind=kind, name=name, role=role, chain=chain))  # type: ignore[arg-type]
            offset += len(surface) + 2
        analyses.append(ArticleAnalysis(article=article, mentions=tuple(mentions)))
        made += len(mentions)
        article_no += 1
    return Corpus(analyses=tuple(analyses))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 30_000, 100_000]
    ctx = Context()
    points = []
    for size in sizes:
        corpus = synthetic_corpus(size)
        n = sum(len(a.mentions) for a in corpus.analyses)
        start = time.perf_counter()
        result = resolve(corpus, ctx)
        elapsed = time.perf_counter() - start
        points.append((n, elapsed))
        print(
            f"{n:>8} mentions  {len(corpus.analyses):>6} articles  {len(result.entities):>6} entities  {elapsed:7.2f} s"
        )
    if len(points) >= 2:
        xs = [math.log(n) for n, _ in points]
        ys = [math.log(t) for _, t in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
        print(f"fitted scaling exponent: {slope:.2f} (time ~ mentions^{slope:.2f})")


if __name__ == "__main__":
    main()
