"""Planted changes in real news: ECB+ dev articles copied with one change each, and what the pipeline finds.

Each case takes one article of the ECB+ dev topics (2, 5, 12, 18, 21, 23, 34, 35), copies it with
one planted change and runs the whole pipeline on the article, the copy and the article's
same-event neighbours (other articles of its sub-topic):

* ``number``   a figure (a spaCy CARDINAL / MONEY / QUANTITY / PERCENT entity) changed by a clear
  factor. Found when a numeric discrepancy points at the changed figure.
* ``date``     a day changed: a month and day shifted by a few days, or a weekday replaced by
  another. Found when a date discrepancy points at it.
* ``negation`` a main clause negated ("was" -> "was not", "said" -> "did not say"). Found when a
  contested claim has a mention or a contradicting span in it.
* ``opposite`` a main verb replaced by its opposite ("won" -> "lost"; the pairs are this script's
  own, not the package's lexicon). Found as ``negation``.
* ``inserted`` a sentence of another topic's article slipped into a copied paragraph or added as
  a paragraph of its own. Found when an insertion flag covers it.

Alarms are the outputs of those four detectors (numeric and date discrepancies, contested claims,
insertion flags) that do not touch the planted change, per report (one report per case).

The baseline is a simple detector of each kind run on the same per-article analyses: figures with
the same counted noun (or unit) and different values; written dates whose sentences share two
content words and differ; two claims with the same predicate and subject of which one is negated;
and, for insertions, every sentence of a near-duplicate copy that its original lacks word for word
plus every sentence with a first-person pronoun outside quotation marks.

    .venv/bin/python benchmarks/public/planted_changes.py              # 30 cases per kind (150)
    .venv/bin/python benchmarks/public/planted_changes.py --quick      # 6 per kind, CI-sized
    .venv/bin/python benchmarks/public/planted_changes.py --misses --alarms 40 --cache /tmp/x

The data is read from ``../shared/eval-data/ecbplus-dev/`` (dev topics only); the script exits
cleanly with a message when it is absent. Generation is deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from storyweave.ingest import read_text  # noqa: E402
from storyweave.model import ArticleAnalysis, Corpus, Span  # noqa: E402
from storyweave.pipeline import Context, analyse_corpus, new_analysis, run_article_stages  # noqa: E402
from storyweave.settings import Settings  # noqa: E402

DATA = ROOT.parent / "shared" / "eval-data" / "ecbplus-dev"
DEV_TOPICS = ("2", "5", "12", "18", "21", "23", "34", "35")
KINDS = ("number", "date", "negation", "opposite", "inserted")
#: the detector each kind is meant to be found by
MECHANISM = {
    "number": "numeric",
    "date": "date",
    "negation": "contested",
    "opposite": "contested",
    "inserted": "insertion",
}
DETECTORS = ("numeric", "date", "contested", "insertion")
FIGURE_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})
MONTHS = (
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ],
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {
    w: i + 2
    for i, w in enumerate(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])
}
#: The generator's own opposite verbs (past and present forms); not the package's lexicon.
OPPOSITES = {
    "won": "lost",
    "lost": "won",
    "wins": "loses",
    "loses": "wins",
    "rose": "fell",
    "fell": "rose",
    "increased": "decreased",
    "decreased": "increased",
    "opened": "closed",
    "closed": "opened",
    "arrested": "released",
    "released": "arrested",
    "confirmed": "denied",
    "denied": "confirmed",
    "accepted": "rejected",
    "rejected": "accepted",
    "approved": "rejected",
    "survived": "died",
    "died": "survived",
    "began": "ended",
    "started": "stopped",
    "ended": "began",
    "allowed": "banned",
    "banned": "allowed",
    "convicted": "acquitted",
    "acquitted": "convicted",
    "hired": "fired",
    "fired": "hired",
    "joined": "left",
    "left": "joined",
    "admitted": "denied",
    "launched": "cancelled",
    "cancelled": "launched",
    "announced": "denied",
    "supported": "opposed",
    "opposed": "supported",
    "passed": "failed",
    "succeeded": "failed",
    "failed": "succeeded",
    "agreed": "refused",
    "refused": "agreed",
    "named": "dropped",
    "signed": "rejected",
    "struck": "spared",
    "destroyed": "spared",
    "killed": "spared",
    "captured": "freed",
    "freed": "captured",
    "raised": "lowered",
    "lowered": "raised",
    "gained": "lost",
    "upheld": "overturned",
    "overturned": "upheld",
}
NEGATION = frozenset({"not", "n't", "never", "no", "nobody", "none", "nothing", "neither", "nor"})
FIRST_PERSON = re.compile(r"\b(?:I|we|me|us|my|our|ours|myself|ourselves)\b", re.IGNORECASE)
QUOTES = re.compile(r"[\"“”„«»]")
WORD = re.compile(r"[a-z][a-z'-]+")
STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "with",
        "by",
        "from",
        "as",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "said",
        "says",
        "who",
        "which",
    ]
)


# --------------------------------------------------------------------------- data


def dev_docs(data: Path = DATA) -> dict[str, dict[str, Any]]:
    """Dev-topic documents by file name: {text, subtopic, topic}."""
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    out = {}
    for name, doc in sorted(gold["docs"].items()):
        if doc["split"] == "dev" and str(doc["topic"]) in DEV_TOPICS:
            out[name] = {"text": doc["text"], "subtopic": doc["subtopic"], "topic": str(doc["topic"])}
    return out


# --------------------------------------------------------------------------- planting


@dataclass(frozen=True)
class Case:
    """One planted change: ``copy`` is ``original``'s text edited at ``[start, end)``."""

    kind: str
    original: str
    copy: str
    start: int
    end: int
    note: str
    neighbours: tuple[str, ...] = ()


def _edit(text: str, start: int, end: int, new: str) -> tuple[str, int, int]:
    return text[:start] + new + text[end:], start, start + len(new)


def _format_like(old: str, value: float) -> str:
    decimals = len(old.split(".")[1]) if "." in old else 0
    if decimals:
        return f"{value:,.{decimals}f}" if "," in old else f"{value:.{decimals}f}"
    return f"{round(value):,}" if "," in old else str(round(value))


def number_edits(text: str, doc: Any, rng: random.Random) -> list[tuple[int, int, str, str]]:
    """(start, end, new text, note) for each figure the parse marks as an amount."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in FIGURE_LABELS:
            continue
        for tok in ent:
            word = tok.lower_
            if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", tok.text):
                value = float(tok.text.replace(",", ""))
                if value < 2 or (1900 <= value <= 2100 and "." not in tok.text):
                    continue
                factor = rng.choice((2.0, 3.0, 0.5, 1.5))
                new = _format_like(tok.text, value * factor)
                if new == tok.text:
                    continue
            elif word in NUMBER_WORDS:
                value = NUMBER_WORDS[word]
                choices = [w for w, v in NUMBER_WORDS.items() if abs(v - value) >= 2]
                new = rng.choice(choices)
                new = new.capitalize() if tok.text[0].isupper() else new
            else:
                continue
            out.append((tok.idx, tok.idx + len(tok.text), new, f"{ent.text!r}: {tok.text} -> {new}"))
            break
    return out


def date_edits(text: str, doc: Any, rng: random.Random) -> list[tuple[int, int, str, str]]:
    """A month and day shifted by two to six days, or a weekday replaced by another."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        toks = list(ent)
        for k, tok in enumerate(toks):
            low = tok.lower_.rstrip(".")
            if low in WEEKDAYS:
                new = rng.choice([w for w in WEEKDAYS if w != low]).capitalize()
                out.append((tok.idx, tok.idx + len(tok.text), new, f"{ent.text!r}: {tok.text} -> {new}"))
                break
            if low in MONTHS[0] or low in MONTHS[1]:
                # the day right after or right before the month
                for j in (k + 1, k - 1):
                    if 0 <= j < len(toks) and re.fullmatch(r"\d{1,2}", toks[j].text) and 1 <= int(toks[j].text) <= 31:
                        day = int(toks[j].text)
                        shift = rng.choice((2, 3, 4, 5, 6))
                        new_day = day + shift if day + shift <= 28 else day - shift
                        new = str(new_day)
                        d = toks[j]
                        out.append((d.idx, d.idx + len(d.text), new, f"{ent.text!r}: {d.text} -> {new}"))
                        break
                else:
                    continue
                break
    return out


def _main_verbs(doc: Any) -> Iterator[Any]:
    for sent in doc.sents:
        root = sent.root
        if root.pos_ in ("VERB", "AUX") and not any(c.lower_ in NEGATION or c.dep_ == "neg" for c in root.children):
            yield root


def negation_edits(text: str, doc: Any, rng: random.Random) -> list[tuple[int, int, str, str]]:
    """A main clause negated: "not" after its auxiliary or copula, or "did not" + the lemma."""
    out = []
    for root in _main_verbs(doc):
        if len(root.sent) < 6 or QUOTES.search(root.sent.text):
            continue
        aux = [c for c in root.children if c.dep_ in ("aux", "auxpass") and c.i < root.i]
        if aux:
            a = aux[0]
            if a.lower_ in ("to",):
                continue
            out.append((a.idx, a.idx + len(a.text), a.text + " not", f"{root.sent.text[:80]!r}: {a.text} not"))
        elif root.lemma_ == "be" and root.tag_ in ("VBD", "VBZ", "VBP"):
            out.append((root.idx, root.idx + len(root.text), root.text + " not", f"{root.text} not"))
        elif root.tag_ == "VBD":
            new = f"did not {root.lemma_}"
            out.append((root.idx, root.idx + len(root.text), new, f"{root.sent.text[:80]!r}: {root.text} -> {new}"))
        elif root.tag_ == "VBZ":
            new = f"does not {root.lemma_}"
            out.append((root.idx, root.idx + len(root.text), new, f"{root.sent.text[:80]!r}: {root.text} -> {new}"))
    return out


def opposite_edits(text: str, doc: Any, rng: random.Random) -> list[tuple[int, int, str, str]]:
    out = []
    for sent in doc.sents:
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lower_ not in OPPOSITES or tok.dep_ not in ("ROOT", "conj", "ccomp"):
                continue
            new = OPPOSITES[tok.lower_]
            new = new.capitalize() if tok.text[0].isupper() else new
            out.append((tok.idx, tok.idx + len(tok.text), new, f"{sent.text[:80]!r}: {tok.text} -> {new}"))
    return out


def inserted_edits(text: str, donors: list[str], rng: random.Random) -> list[tuple[int, int, str, str]]:
    """A donor sentence appended to a line of the body, or added as a line of its own."""
    lines = text.split("\n")
    starts = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    body = [i for i, line in enumerate(lines) if i > 0 and len(line.split()) >= 4]
    if not body or not donors:
        return []
    out = []
    for _ in range(3):
        i = rng.choice(body)
        sentence = rng.choice(donors)
        end_of_line = starts[i] + len(lines[i])
        if rng.random() < 0.5:
            out.append((end_of_line, end_of_line, " " + sentence, f"slipped into line {i}: {sentence[:80]!r}"))
        else:
            out.append((end_of_line, end_of_line, "\n" + sentence, f"new line after {i}: {sentence[:80]!r}"))
    return out


def donor_sentences(docs: dict[str, dict[str, Any]], topic: str) -> list[str]:
    out = []
    for name in sorted(docs):
        if docs[name]["topic"] == topic:
            continue
        for line in docs[name]["text"].split("\n")[1:]:
            if 10 <= len(line.split()) <= 30 and not QUOTES.search(line) and line.endswith("."):
                out.append(line.strip())
    return out


def generate(
    docs: dict[str, dict[str, Any]], parses: dict[str, Any], per_kind: int, neighbours: int, seed: int
) -> list[Case]:
    """Up to ``per_kind`` cases of each kind, from distinct articles where there are enough."""
    by_subtopic: dict[str, list[str]] = defaultdict(list)
    for name, d in docs.items():
        by_subtopic[d["subtopic"]].append(name)
    donors_by_topic = {t: donor_sentences(docs, t) for t in sorted({d["topic"] for d in docs.values()})}
    cases: list[Case] = []
    for kind in KINDS:
        rng = random.Random(f"{seed}:{kind}")
        names = sorted(docs)
        rng.shuffle(names)
        found: list[Case] = []
        for name in names:
            if len(found) >= per_kind:
                break
            text = docs[name]["text"]
            if kind == "number":
                edits = number_edits(text, parses[name], rng)
            elif kind == "date":
                edits = date_edits(text, parses[name], rng)
            elif kind == "negation":
                edits = negation_edits(text, parses[name], rng)
            elif kind == "opposite":
                edits = opposite_edits(text, parses[name], rng)
            else:
                edits = inserted_edits(text, donors_by_topic[docs[name]["topic"]], rng)
            if not edits:
                continue
            start, end, new, note = rng.choice(edits)
            copy, s, e = _edit(text, start, end, new)
            if kind == "inserted":
                s += 1  # the edit starts with the space or line break before the sentence
            pool = sorted(n for n in by_subtopic[docs[name]["subtopic"]] if n != name)
            rng.shuffle(pool)
            found.append(Case(kind, name, copy, s, e, note, tuple(sorted(pool[:neighbours]))))
        cases += found
    return cases


# --------------------------------------------------------------------------- running


class Runner:
    """The real pipeline with per-article analyses cached in memory and parses cached on disk."""

    def __init__(self, cache: Path | None) -> None:
        self.ctx = Context()
        self.cache = cache
        self._analyses: dict[str, ArticleAnalysis] = {}
        self.parse_seconds = 0.0

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.ctx.settings.spacy_model}\0{text}".encode()).hexdigest()

    def parses(self, texts: Iterable[str]) -> dict[str, Any]:
        from spacy.tokens import Doc

        out: dict[str, Any] = {}
        todo = []
        for text in dict.fromkeys(texts):
            path = self.cache / f"{self._key(text)}.doc" if self.cache else None
            if path is not None and path.exists():
                out[text] = Doc(self.ctx.nlp.vocab).from_bytes(path.read_bytes())
            else:
                todo.append(text)
        started = time.process_time()
        for text, doc in zip(todo, self.ctx.nlp.pipe(todo, batch_size=16), strict=True):
            out[text] = doc
            if self.cache is not None:
                self.cache.mkdir(parents=True, exist_ok=True)
                (self.cache / f"{self._key(text)}.doc").write_bytes(doc.to_bytes())
        self.parse_seconds += time.process_time() - started
        return out

    def analysis(self, source: str, text: str, doc: Any | None = None) -> ArticleAnalysis:
        key = f"{source}\0{text}"
        if key not in self._analyses:
            article = read_text(text, source, "utf-8", Settings())
            if doc is None:
                doc = self.parses([text])[text]
            self._analyses[key] = run_article_stages(replace(new_analysis(article), doc=doc), self.ctx)
        return self._analyses[key]


def _touches(span: Span, article: str, start: int, end: int) -> bool:
    return span.article == article and span.start < end and start < span.end


def outputs(corpus: Corpus) -> list[tuple[str, str, list[Span]]]:
    """(detector, description, spans) of every output of the four detectors."""
    out: list[tuple[str, str, list[Span]]] = []
    linked = {q.id: q.span for a in corpus.analyses for q in a.quantities}
    linked.update({d.id: d.span for a in corpus.analyses for d in a.dates})
    for d in corpus.discrepancies:
        if d.kind in ("numeric", "date"):
            spans = [*d.spans, *(linked[q] for q in d.quantities if q in linked)]
            out.append((d.kind, d.about, spans))
    for c in corpus.claims:
        if c.status == "contested":
            out.append(("contested", c.text, [*c.mentions, *c.contradicted_by]))
    flags = [f for a in corpus.analyses for f in a.flags] + list(corpus.flags)
    for f in flags:
        if f.kind == "insertion":
            out.append(("insertion", f"{f.reason}: {f.span.text[:100]}", [f.span]))
    return out


# --------------------------------------------------------------------------- the simple baseline


def _content(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if w not in STOP}


def baseline_outputs(corpus: Corpus, copy_of: dict[str, str]) -> list[tuple[str, str, list[Span]]]:
    out: list[tuple[str, str, list[Span]]] = []
    # numbers: same counted noun (or unit), different values, across articles
    groups: dict[str, list[Any]] = defaultdict(list)
    for a in corpus.analyses:
        for q in a.quantities:
            key = q.measure_lemma or (f"unit {q.unit}" if q.unit else None)
            if key and not q.vague:
                groups[key].append(q)
    for key, qs in sorted(groups.items()):
        if len({q.span.article for q in qs}) > 1 and len({q.value for q in qs}) > 1:
            out.append(("numeric", key, [q.span for q in qs]))
    # dates: written dates of sentences sharing two content words, differing
    dated = [d for a in corpus.analyses for d in a.dates if d.value and not d.relative and d.context is not None]
    words = {d.id: _content(d.context.text) for d in dated}  # type: ignore[union-attr]
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            if a.span.article != b.span.article and a.value != b.value and len(words[a.id] & words[b.id]) >= 2:
                out.append(("date", f"{a.value} vs {b.value}", [a.span, b.span]))
    # claims: same predicate and subject, one negated
    mentions = [(a.id, m) for a in corpus.analyses for m in a.claims if m.subject]
    by_key: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for _, m in mentions:
        by_key[(m.predicate, (m.subject or "").lower().split()[-1])].append(m)
    for key, ms in sorted(by_key.items()):
        for i, a in enumerate(ms):
            for b in ms[i + 1 :]:
                if a.span.article != b.span.article and a.negated != b.negated:
                    out.append(("contested", " ".join(key), [a.span, b.span]))
    # insertions: copy sentences absent from the original word for word; first person outside quotes
    by_id = {a.id: a for a in corpus.analyses}
    for copy_id, original_id in copy_of.items():
        original = {" ".join(s.span.text.split()) for s in by_id[original_id].sentences}
        for s in by_id[copy_id].sentences:
            if " ".join(s.span.text.split()) not in original:
                out.append(("insertion", "not in the original", [s.span]))
    for a in corpus.analyses:
        for s in a.sentences:
            if FIRST_PERSON.search(s.span.text) and not QUOTES.search(s.span.text) and s.span.text != "US":
                out.append(("insertion", "first person", [s.span]))
    return out


# --------------------------------------------------------------------------- scoring


@dataclass
class Tally:
    cases: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    alarms: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    alarm_samples: list[str] = field(default_factory=list)

    def add(self, case: Case, copy_id: str, names: dict[str, str], found_outputs: list[tuple[str, str, list[Span]]]):
        self.cases[case.kind] += 1
        hit = False
        for detector, about, spans in found_outputs:
            touches = any(_touches(sp, copy_id, case.start, case.end) for sp in spans)
            if touches and detector == MECHANISM[case.kind]:
                hit = True
            if not touches:
                self.alarms[detector] += 1
                where = ", ".join(sorted({names.get(sp.article, sp.article) for sp in spans}))
                self.alarm_samples.append(f"[{case.kind} {case.original}] {detector} in {where}: {about[:160]}")
        if hit:
            self.found[case.kind] += 1
        else:
            self.misses.append(f"[{case.kind}] {case.original}: {case.note}")


def run(args: argparse.Namespace) -> None:
    if not (args.data / "gold.json").exists():
        print(f"planted_changes: {args.data} is absent; nothing to measure")
        return
    started, cpu = time.perf_counter(), time.process_time()
    docs = dev_docs(args.data)
    runner = Runner(args.cache)
    parses = runner.parses(d["text"] for d in docs.values())
    doc_parses = {name: parses[d["text"]] for name, d in docs.items()}
    cases = generate(docs, doc_parses, args.per_kind, args.neighbours, args.seed)
    ours, base = Tally(), Tally()
    articles = 0
    for case in cases:
        names_texts = [(n, docs[n]["text"]) for n in (case.original, *case.neighbours)]
        analyses = [runner.analysis(n, t, parses.get(t)) for n, t in names_texts]
        copy = runner.analysis("copy of " + case.original, case.copy)
        analyses.append(copy)
        articles += len(analyses)
        corpus = analyse_corpus(analyses, runner.ctx)
        names = {a.id: a.article.source for a in analyses}
        ours.add(case, copy.id, names, outputs(corpus))
        base.add(case, copy.id, names, baseline_outputs(corpus, {copy.id: analyses[0].id}))
    n = len(cases)
    print(
        f"ECB+ dev planted changes: {n} cases (seed {args.seed}, {args.per_kind} per kind at most), "
        f"{articles / max(1, n):.1f} articles per report (article + copy + up to {args.neighbours} neighbours)"
    )
    print(f"{'kind':<10} {'cases':>5} {'found (ours)':>13} {'found (baseline)':>17}   mechanism")
    total_ours = total_base = 0
    for kind in KINDS:
        c = ours.cases[kind]
        if not c:
            continue
        total_ours += ours.found[kind]
        total_base += base.found[kind]
        print(
            f"{kind:<10} {c:>5} {ours.found[kind]:>6} {ours.found[kind] / c:>5.0%} "
            f"{base.found[kind]:>10} {base.found[kind] / c:>5.0%}   {MECHANISM[kind]}"
        )
    share_ours, share_base = total_ours / max(1, n), total_base / max(1, n)
    print(f"{'all':<10} {n:>5} {total_ours:>6} {share_ours:>5.0%} {total_base:>10} {share_base:>5.0%}")
    print(f"{'alarms per report':<22} {'ours':>8} {'baseline':>10}")
    for detector in DETECTORS:
        print(f"  {detector:<20} {ours.alarms[detector] / max(1, n):>8.2f} {base.alarms[detector] / max(1, n):>10.2f}")
    print(f"  {'all':<20} {sum(ours.alarms.values()) / max(1, n):>8.2f} {sum(base.alarms.values()) / max(1, n):>10.2f}")
    print(
        f"({time.perf_counter() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU of which parsing "
        f"{runner.parse_seconds:.0f} s; per-article CPU by stage: "
        + ", ".join(f"{k} {v:.1f}" for k, v in sorted(runner.ctx.stage_seconds.items(), key=lambda kv: -kv[1])[:8])
        + ")"
    )
    if args.misses:
        for line in ours.misses:
            print("missed " + line)
    if args.alarms:
        sample = sorted(set(ours.alarm_samples))
        random.Random(args.seed).shuffle(sample)
        for line in sorted(sample[: args.alarms]):
            print("alarm " + line)
    if args.json:
        result = {
            "cases": dict(ours.cases),
            "found": dict(ours.found),
            "baseline_found": dict(base.found),
            "alarms": dict(ours.alarms),
            "baseline_alarms": dict(base.alarms),
            "reports": n,
        }
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=30, help="cases per kind (at most)")
    parser.add_argument("--quick", action="store_true", help="6 cases per kind (a CI-sized check)")
    parser.add_argument("--neighbours", type=int, default=5, help="same-sub-topic articles per report (at most)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=None, help="a folder for cached parses (outside the repo)")
    parser.add_argument("--misses", action="store_true", help="list the cases not found")
    parser.add_argument("--alarms", type=int, default=0, help="print a sample of this many alarms")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    if args.quick:
        args.per_kind = 6
    run(args)


if __name__ == "__main__":
    main()
