"""Scores the real pipeline on generalisation.json: entity groups, quote speakers and cites.

Every per-article stage runs, then ``resolve`` (the corpus stage that makes entities and gives
quotes their speaker entity); later corpus stages do not bear on these scores.

Run directly for a report: ``.venv/bin/python tests/data/entity_coref/generalisation.py``. The
end-to-end test imports :func:`evaluate` and asserts on its numbers.

Each story lists its entities as ``[article index, surface form]`` pairs. A surface form is located
at its first occurrence in the article that is not part of a longer listed form, and belongs to
the resolved entity whose mention overlaps it. Quotes are ``[article, words inside, speaker]``;
the speaker is right when the quote's entity is the entity of the speaker's first (full) form. Cites
are the outlets each article credits, compared case-insensitively.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from storyweave.model import Article, Corpus
from storyweave.pipeline import Context, analyse_articles
from storyweave.stages.resolve import resolve

DATA = Path(__file__).with_suffix(".json")


@dataclass
class Scores:
    linked_pairs: int = 0
    gold_pairs: int = 0
    false_merges: list[str] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)
    quotes: int = 0
    speakers_right: int = 0
    speaker_errors: list[str] = field(default_factory=list)
    cites_expected: int = 0
    cites_found: int = 0
    cites_spurious: list[str] = field(default_factory=list)
    cites_missed: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)


def _occurrence(text: str, surface: str, longer: list[str]) -> tuple[int, int] | None:
    blocked = [
        (m.start(), m.end())
        for form in longer
        if len(form) > len(surface) and surface in form
        for m in re.finditer(re.escape(form), text)
    ]
    for m in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", text):
        if not any(s <= m.start() and m.end() <= e for s, e in blocked):
            return m.start(), m.end()
    return None


def _entity_at(corpus: Corpus, article_id: str, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for entity in corpus.entities:
        for span in entity.mentions:
            if span.article == article_id and span.start < end and start < span.end:
                size = span.end - span.start
                if best is None or size < best[0]:
                    best = (size, entity.id)
    return best[1] if best else None


def score_story(story: dict[str, Any], corpus: Corpus, ids: list[str], scores: Scores) -> None:
    texts = story["articles"]
    forms_by_article: dict[int, list[str]] = {}
    for forms in story["entities"].values():
        for index, surface in forms:
            forms_by_article.setdefault(index, []).append(surface)
    predicted: dict[str, list[str | None]] = {}
    for gold, forms in story["entities"].items():
        found: list[str | None] = []
        for index, surface in forms:
            where = _occurrence(texts[index], surface, forms_by_article[index])
            if where is None:
                scores.unlocated.append(f"{story['story']}: {surface!r} in article {index}")
                found.append(None)
                continue
            found.append(_entity_at(corpus, ids[index], *where))
        predicted[gold] = found
        for (fa, a), (fb, b) in combinations(zip(forms, found, strict=True), 2):
            scores.gold_pairs += 1
            if a is not None and a == b:
                scores.linked_pairs += 1
            else:
                scores.split.append(f"{story['story']}: {fa[1]!r}@{fa[0]} / {fb[1]!r}@{fb[0]}")
    for (ga, pa), (gb, pb) in combinations(predicted.items(), 2):
        shared = {p for p in pa if p} & {p for p in pb if p}
        if shared:
            scores.false_merges.append(f"{story['story']}: {ga} + {gb}")
    by_id = {a.article.id: a for a in corpus.analyses}
    for index, words, speaker in story["quotes"]:
        scores.quotes += 1
        analysis = by_id[ids[index]]
        quote = next((q for q in analysis.quotes if words in q.span.text), None)
        right = {p for p in predicted.get(speaker, [])[:1] if p}  # the entity of the first (full) form
        if quote is not None and quote.speaker in right:
            scores.speakers_right += 1
        else:
            got = None if quote is None else (quote.speaker_name, quote.speaker)
            scores.speaker_errors.append(f"{story['story']}: {words!r} -> {got}, want {speaker}")
    for index, expected in enumerate(story["cites"]):
        found = {c.casefold() for c in by_id[ids[index]].article.cites}
        want = {c.casefold() for c in expected}
        scores.cites_expected += len(want)
        scores.cites_found += len(want & found)
        scores.cites_missed += [f"{story['story']}@{index}: {c}" for c in sorted(want - found)]
        scores.cites_spurious += [f"{story['story']}@{index}: {c}" for c in sorted(found - want)]


def evaluate(ctx: Context, path: Path = DATA) -> Scores:
    scores = Scores()
    for story in json.loads(path.read_text(encoding="utf-8")):
        articles = [
            Article(id=f"{story['story'][:12].replace(' ', '-')}-{i}", source=f"{i}.txt", text=text)
            for i, text in enumerate(story["articles"])
        ]
        corpus = resolve(Corpus(analyses=tuple(analyse_articles(articles, ctx))), ctx)
        score_story(story, corpus, [a.id for a in articles], scores)
    return scores


def main() -> None:
    scores = evaluate(Context(), Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
    print(f"entity links: {scores.linked_pairs}/{scores.gold_pairs}, false merges: {len(scores.false_merges)}")
    print(f"quote speakers: {scores.speakers_right}/{scores.quotes}")
    print(f"cites: {scores.cites_found}/{scores.cites_expected}, spurious: {len(scores.cites_spurious)}")
    for label in ("false_merges", "unlocated", "split", "speaker_errors", "cites_missed", "cites_spurious"):
        for line in getattr(scores, label):
            print(f"  {label}: {line}")


if __name__ == "__main__":
    main()
