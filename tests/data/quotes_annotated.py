"""Scores quote extraction, attribution and statement alignment against quotes_annotated.json.

Run directly for a report: ``.venv/bin/python tests/data/quotes_annotated.py [-v] [--heldout | --voices]``.
The tests import :func:`evaluate` and assert floors on its numbers.

Matching: a predicted quote matches a gold quote in the same article with the same ``direct`` flag
when their spans overlap by at least half of the shorter one (the seed scorer's rule). A quote is
matched by its pieces (``Quote.pieces``): a quotation broken by its attribution by each fragment, a
report holding a quotation ("mixed") by itself and by the quoted fragment, which these annotations
mark as a quote of its own. A speaker is
right when the last word of the gold speaker (or of one of its aliases) is a word of the predicted
speaker name or speaker span. Statement alignment is scored on cross-article pairs of gold quotes:
a predicted pair is two matched pieces in one statement (``Statement.spans``: of a quote quoted in
pieces, only the piece that aligned).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from storyweave.model import Article, Corpus, Quote, Span
from storyweave.pipeline import Context, analyse_articles, stages

GOLD_PATH = Path(__file__).with_suffix(".json")


@dataclass
class Scores:
    gold_quotes: int = 0
    predicted_quotes: int = 0
    matched_gold: int = 0
    matched_predicted: int = 0
    speaker_right: int = 0
    speaker_wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    gold_pairs: int = 0
    predicted_pairs: int = 0
    right_pairs: int = 0
    wrong_pairs: list[str] = field(default_factory=list)
    missed_pairs: list[str] = field(default_factory=list)

    @property
    def span_precision(self) -> float:
        return self.matched_predicted / max(1, self.predicted_quotes)

    @property
    def span_recall(self) -> float:
        return self.matched_gold / max(1, self.gold_quotes)

    @property
    def speaker_accuracy(self) -> float:
        """Share of matched gold quotes whose speaker is right."""
        return self.speaker_right / max(1, self.matched_gold)

    @property
    def statement_precision(self) -> float:
        return self.right_pairs / max(1, self.predicted_pairs)

    @property
    def statement_recall(self) -> float:
        return self.right_pairs / max(1, self.gold_pairs)


def load_gold(split: str = "dev") -> dict[str, Any]:
    """The annotated articles of one split: ``dev`` (what the rules were developed against),
    ``heldout`` (written afterwards and scored without tuning) or ``voices`` (organisations quoted
    directly and through spokespeople, written with the rules known)."""
    gold = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    gold["articles"] = [a for a in gold["articles"] if a.get("split", "dev") == split]
    return gold


def gold_articles(gold: dict[str, Any]) -> list[Article]:
    return [
        Article(id=a["key"], source=f"{a['key']}.txt", text=a["text"], outlet=a["outlet"]) for a in gold["articles"]
    ]


def run(ctx: Context, gold: dict[str, Any]) -> Corpus:
    """Per-article stages, then the corpus stages up to and including statements."""
    analyses = tuple(sorted(analyse_articles(gold_articles(gold), ctx), key=lambda a: a.article.id))
    corpus = Corpus(analyses=analyses)
    for info in stages("corpus"):
        corpus = info.func(corpus, ctx)
        if info.name == "statements":
            break
    return corpus


def _locate(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter >= max(1, 0.5 * min(a[1] - a[0], b[1] - b[0]))


_WORD = re.compile(r"[^\W_]+")
#: A quote or piece of one, by where it lies: (article, start, end).
Piece = tuple[str, int, int]


def _piece(span: Span) -> Piece:
    return span.article, span.start, span.end


def _speaker_right(q: Quote, gold_q: dict[str, Any]) -> bool:
    names = " ".join(filter(None, [q.speaker_name, q.speaker_span.text if q.speaker_span else None]))
    words = {w.casefold() for w in _WORD.findall(names)}
    if gold_q["speaker"] is None:
        return q.speaker_span is None
    forms = [gold_q["speaker"], *gold_q.get("speaker_aliases", [])]
    return any(_WORD.findall(f)[-1].casefold() in words for f in forms)


def evaluate(corpus: Corpus, gold: dict[str, Any]) -> Scores:
    scores = Scores()
    match: dict[Piece, list[tuple[str, int]]] = {}  # predicted piece -> [(article, gold index)]
    for art in gold["articles"]:
        analysis = corpus.analysis(art["key"])
        scores.predicted_quotes += len(analysis.quotes)
        predicted = [piece for q in analysis.quotes for piece in q.pieces()]
        scores.gold_quotes += len(art["quotes"])
        used: set[str] = set()
        for gi, gq in enumerate(art["quotes"]):
            span = _locate(art["text"], gq["text"], gq.get("nth", 0))
            hits = [p for p in predicted if p.direct == gq["direct"] and _overlaps((p.span.start, p.span.end), span)]
            if not hits:
                scores.missed.append(f"{art['key']}: {gq['text'][:60]!r}")
                continue
            scores.matched_gold += 1
            best = max(hits, key=lambda p: min(p.span.end, span[1]) - max(p.span.start, span[0]))
            for p in hits:
                match.setdefault(_piece(p.span), []).append((art["key"], gi))
                used.add(p.id)
            if _speaker_right(best, gq):
                scores.speaker_right += 1
            else:
                got = best.speaker_name or (best.speaker_span.text if best.speaker_span else None)
                scores.speaker_wrong.append(f"{art['key']}: {gq['text'][:50]!r} -> {got!r}, want {gq['speaker']!r}")
        scores.matched_predicted += len(used)
        scores.spurious += [f"{art['key']}: {p.span.text[:60]!r}" for p in analysis.quotes if p.id not in used]
    _score_statements(corpus, gold, match, scores)
    return scores


def _score_statements(
    corpus: Corpus, gold: dict[str, Any], match: dict[Piece, list[tuple[str, int]]], scores: Scores
) -> None:
    group_of: dict[tuple[str, int], str] = {}
    for art in gold["articles"]:
        for gi, gq in enumerate(art["quotes"]):
            if gq.get("group"):
                group_of[(art["key"], gi)] = gq["group"]
    members: dict[str, list[tuple[str, int]]] = {}
    for key, grp in group_of.items():
        members.setdefault(grp, []).append(key)
    gold_pairs = {frozenset((a, b)) for ms in members.values() for a, b in combinations(ms, 2) if a[0] != b[0]}
    predicted_pairs: set[frozenset[tuple[str, int]]] = set()
    for st in corpus.statements:
        keys = [key for sp in st.spans for key in dict.fromkeys(match.get(_piece(sp), [(sp.article, -sp.start - 1)]))]
        for a, b in combinations(keys, 2):
            if a[0] != b[0] and a != b:
                predicted_pairs.add(frozenset((a, b)))
    scores.gold_pairs = len(gold_pairs)
    scores.predicted_pairs = len(predicted_pairs)
    scores.right_pairs = len(gold_pairs & predicted_pairs)
    text = {(a["key"], gi): gq["text"][:40] for a in gold["articles"] for gi, gq in enumerate(a["quotes"])}

    def show(pair: frozenset[tuple[str, int]]) -> str:
        return " ~ ".join(f"{k[0]}:{text.get(k, '?')!r}" for k in sorted(pair))

    scores.wrong_pairs = sorted(show(p) for p in predicted_pairs - gold_pairs)
    scores.missed_pairs = sorted(show(p) for p in gold_pairs - predicted_pairs)


def main() -> None:
    split = "heldout" if "--heldout" in sys.argv else "voices" if "--voices" in sys.argv else "dev"
    gold = load_gold(split)
    print(f"split: {split}, {len(gold['articles'])} articles")
    corpus = run(Context(), gold)
    s = evaluate(corpus, gold)
    verbose = "-v" in sys.argv
    print(f"quotes: gold {s.gold_quotes}, predicted {s.predicted_quotes}")
    print(f"quote spans: precision {s.span_precision:.3f}, recall {s.span_recall:.3f}")
    print(f"speakers: {s.speaker_right}/{s.matched_gold} = {s.speaker_accuracy:.3f}")
    print(
        f"statement pairs: gold {s.gold_pairs}, predicted {s.predicted_pairs}, right {s.right_pairs}; "
        f"precision {s.statement_precision:.3f}, recall {s.statement_recall:.3f}"
    )
    if verbose:
        for title, rows in (
            ("missed", s.missed),
            ("spurious", s.spurious),
            ("wrong speaker", s.speaker_wrong),
            ("wrong pairs", s.wrong_pairs),
            ("missed pairs", s.missed_pairs),
        ):
            print(f"-- {title} ({len(rows)})")
            for row in rows:
                print("  ", row)


if __name__ == "__main__":
    main()
