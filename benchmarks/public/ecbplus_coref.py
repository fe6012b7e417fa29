"""Entity coreference on ECB+ dev topics, scored as the corpus README says, beside an exact-name baseline.

usage: python benchmarks/public/ecbplus_coref.py [--split dev|train] [--topics 2,5] [--errors N] [--cost]

Each topic (both of its sub-topics: two similar events) is analysed as one run of the tool: the
per-article stages up to ``quotes`` on the cached parses, then ``resolve``, then the report's
``entities``. Every validated gold mention is matched to the reported entity whose mention overlaps
it most by characters (a gold mention no reported mention overlaps is a singleton); MUC, B³, CEAF-e
and CoNLL F1 (their mean) are computed over all topics as one meta-document, singletons included,
for the core types (PER+ORG+GPE+LOC) and for each type alone. "found" is mention recall: the share
of gold mentions some reported mention overlaps.

The baseline, printed beside it in the same run: spaCy's named-entity spans from the same parse
(PERSON, ORG, GPE, LOC, FAC, NORP), one entity per exact (case-folded) text within the topic.

``--cost`` also parses every article afresh (no cache) and prints the CPU seconds of the parse and
of the entity stages, so their ratio can be followed (CPU time: the machine is shared).

Data: ``../shared/eval-data/ecbplus-dev/`` (ECB+ CC BY 3.0); the script exits 0 with a note when
it is absent. Train topics are for fitting; report on dev; the test topics are not in the folder.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coref_scores import conll
from public import ecbplus_data as ecb

from storyweave.contract import to_report
from storyweave.model import Corpus
from storyweave.pipeline import Context
from storyweave.stages.resolve import resolve

#: spaCy labels the baseline keeps (the recogniser's persons, organisations and places).
BASELINE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})

Predicted = dict[str, list[tuple[int, int, str, str]]]  # doc -> [(start, end, entity id, kind)]


def reported_mentions(topic: ecb.Topic, report: dict[str, Any]) -> Predicted:
    out: Predicted = defaultdict(list)
    for e in report["entities"]:
        for m in e["mentions"]:
            out[topic.doc_of[m["article"]]].append((m["start"], m["end"], e["id"], m.get("kind", "name")))
    return out


def baseline_mentions(topic: ecb.Topic, docs: dict[str, Any]) -> Predicted:
    out: Predicted = defaultdict(list)
    for article in topic.articles:
        doc = docs[article.id]
        for ent in doc.ents:
            if ent.label_ in BASELINE_LABELS:
                key = ent.text.casefold().removeprefix("the ")
                out[topic.doc_of[article.id]].append((ent.start_char, ent.end_char, f"base:{key}", "name"))
    return out


def match(gold: ecb.GoldMention, predicted: Predicted) -> tuple[int, int, str, str] | None:
    """The predicted mention overlapping the gold one most (ties: the shorter, then the first)."""
    best, best_key = None, (0, 0, 0)
    for p in predicted.get(gold.doc, ()):
        overlap = min(gold.end, p[1]) - max(gold.start, p[0])
        if overlap <= 0:
            continue
        key = (overlap, -(p[1] - p[0]), -p[0])
        if key > best_key:
            best, best_key = p, key
    return best


def score(topics: Sequence[tuple[ecb.Topic, Predicted]], groups: Sequence[str]) -> tuple[dict[str, Any], float, int]:
    key: dict[Hashable, Hashable] = {}
    response: dict[Hashable, Hashable] = {}
    found = 0
    for topic, predicted in topics:
        for g in topic.gold:
            if g.tgroup not in groups:
                continue
            item = (g.doc, g.start, g.end)
            key[item] = (topic.number, g.chain)
            p = match(g, predicted)
            if p is not None:
                response[item] = (topic.number, p[2])
                found += 1
    return conll(key, response), found / max(1, len(key)), len(key)


def line(label: str, s: dict[str, Any], found: float, n: int) -> str:
    m, b, c = s["muc"], s["b3"], s["ceafe"]
    return (
        f"{label:<24} CoNLL {100 * s['conll']:5.1f}  MUC {100 * m[2]:5.1f}  B3 {100 * b[2]:5.1f}"
        f"  CEAF-e {100 * c[2]:5.1f}  found {100 * found:5.1f} %  (n={n})"
    )


def show_errors(topics: Sequence[tuple[ecb.Topic, Predicted]], limit: int, groups: Sequence[str]) -> None:
    """A sample of missed gold mentions and of wrong links, for looking at errors in bulk."""
    missed: list[str] = []
    split: list[str] = []
    merged: list[str] = []
    for topic, predicted in topics:
        gold = [g for g in topic.gold if g.tgroup in groups]
        entity_of = {}
        for g in gold:
            p = match(g, predicted)
            if p is None:
                missed.append(f"{g.doc}: {g.text!r} ({g.tgroup}) in ...{_context(topic, g)}...")
            else:
                entity_of[g] = p[2]
        by_chain: dict[str, list[ecb.GoldMention]] = defaultdict(list)
        for g in gold:
            by_chain[g.chain].append(g)
        for chain, ms in by_chain.items():
            ents = Counter(entity_of.get(g, f"none:{id(g)}") for g in ms)
            if len(ms) > 1 and len(ents) > 1:
                split.append(f"t{topic.number} {chain[:18]}: {[(g.doc, g.text) for g in ms][:6]} -> {len(ents)} ents")
        by_entity: dict[str, set[str]] = defaultdict(set)
        for g, e in entity_of.items():
            by_entity[e].add(g.chain)
        for e, chains in by_entity.items():
            if len(chains) > 1:
                texts = [(g.doc, g.text, g.chain[:10]) for g in gold if entity_of.get(g) == e][:8]
                merged.append(f"t{topic.number} {e}: {texts}")
    for title, rows in (("missed", missed), ("split chains", split), ("merged chains", merged)):
        print(f"\n{title}: {len(rows)}")
        step = max(1, len(rows) // limit)
        for row in rows[::step][:limit]:
            print("  " + row)


def _context(topic: ecb.Topic, g: ecb.GoldMention) -> str:
    text = next(a.text for a in topic.articles if topic.doc_of[a.id] == g.doc)
    return text[max(0, g.start - 40) : g.end + 30].replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--topics", default="", help="comma-separated topic numbers of that split")
    parser.add_argument("--errors", type=int, default=0, help="print this many sample errors of each kind")
    parser.add_argument("--cost", action="store_true", help="also time a fresh parse (CPU seconds)")
    args = parser.parse_args(argv)
    if not ecb.available():
        print(f"ECB+ not found at {ecb.DATA}; nothing to score")
        return 0
    numbers = ecb.topics_of(args.split)
    if args.topics:
        wanted = {int(t) for t in args.topics.split(",")}
        numbers = [n for n in numbers if n in wanted]
    ctx = Context()
    ours: list[tuple[ecb.Topic, Predicted]] = []
    base: list[tuple[ecb.Topic, Predicted]] = []
    resolve_cpu = 0.0
    n_articles = 0
    for number in numbers:
        topic = ecb.load_topic(number)
        n_articles += len(topic.articles)
        analyses = ecb.analyses(topic, ctx, keep_doc=True)
        docs = {a.article.id: a.doc for a in analyses}
        started = time.process_time()
        corpus = resolve(Corpus(analyses=tuple(replace(a, doc=None) for a in analyses)), ctx)
        resolve_cpu += time.process_time() - started
        ours.append((topic, reported_mentions(topic, to_report(corpus))))
        base.append((topic, baseline_mentions(topic, docs)))
    print(f"ECB+ {args.split} topics {','.join(map(str, numbers))}: {n_articles} articles, one run per topic")
    for label, groups in (
        ("core (PER+ORG+GPE+LOC)", ecb.CORE),
        *((g, (g,)) for g in ecb.CORE),
        ("NON_HUMAN", ("NON_HUMAN",)),
    ):
        s, found, n = score(ours, groups)
        print(line(f"storyweave {label}", s, found, n))
        s, found, n = score(base, groups)
        print(line(f"  baseline {label}", s, found, n))
    kinds = Counter(kind for _t, pred in ours for ms in pred.values() for *_, kind in ms)
    print("reported mentions by kind:", dict(sorted(kinds.items())))
    stage_cpu = {k: round(v, 2) for k, v in sorted(ctx.stage_seconds.items())}
    print(f"CPU s: stages {stage_cpu}, resolve {resolve_cpu:.2f}")
    if args.cost:
        texts = [a.text for number in numbers for a in ecb.load_topic(number).articles]
        started = time.process_time()
        for _doc in ctx.nlp.pipe(texts, batch_size=16):
            pass
        parse = time.process_time() - started
        ents = ctx.stage_seconds.get("entities", 0.0) + resolve_cpu
        print(
            f"CPU s: fresh spaCy parse {parse:.2f}; entities + resolve {ents:.2f}"
            f" ({100 * ents / parse:.1f} % of the parse)"
        )
    if args.errors:
        show_errors(ours, args.errors, ecb.CORE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
