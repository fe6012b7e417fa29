"""Perturbation suite: edit invented reports of one event and measure what the pipeline detects.

Three short reports of one invented event (tests/data/perturb/) are edited one change at a time:

* ``comment``  a labelled paragraph ("Comment: X did not do Y.") contradicting a fact, inserted into
  one report. Detected when an insertion flag covers it; ``claim`` recall also needs a contested
  claim with a mention in it.
* ``aside``    the same contradicting sentence inserted as a paragraph of its own, with no label:
  only the contradiction with the article's own body (or other reports) can give it away.
* ``negation`` a fact sentence replaced by its negation, with no label. Detected when a contested
  claim has a mention or a contradicting span in the edited sentence.
* ``number``   a figure changed. Detected by a numeric discrepancy (or a contested claim) there.
* ``date``     a date changed. Detected by a date discrepancy there.
* ``event``    a paragraph that denies the story's event happened ("The landslide never happened.",
  "The landslide was a hoax."), with no label. Detected when a contested claim has a mention or a
  contradicting span in it; ``claim`` recall needs the denial itself contested.
* ``zero``     a paragraph that says no one met the fate the reports count ("Nobody died when the
  ferry sank.", "There were no casualties."), with no label. Detected and scored as ``event``.
* ``slipped``  a republished copy of one report (added as another article) with a negated fact
  sentence slipped onto the end of one of its paragraphs, with no label. Detected when an insertion
  flag covers it; ``claim`` recall also needs a contested claim with a mention in it.
* ``changed``  a republished copy of one report with a fact sentence replaced in place by its
  negation, with no label. Detected and scored as ``slipped``.

Recall is the share of variants in which the edit was detected; precision is the share of the
detector's outputs of that kind (insertion flags, contested claims, numeric or date discrepancies)
that touch the edit, among those the unedited corpus does not already produce: a new false alarm
anywhere in the corpus counts against it. The unedited corpus' own outputs are printed first (it
has a real accusation and denial, so two contested claims there are expected).

    .venv/bin/python benchmarks/perturbations.py [--per-kind N] [--seed S] [--story tests/data/perturb/ferry]

A second invented story (a ferry sinking, tests/data/perturb/ferry/) checks that what works on the
first is not tuned to it: common-noun participants ("the ferry", "a ferry that sank", "X was a
passenger ferry that ..."), counts of people on board, dead and rescued, and zero counts ("Nobody
died when the ferry sank.") set against them. A third (a mill fire,
tests/data/denial/) has only denial edits: its reports hold the traps a denied event must not
spring ("no one was hurt in the fire", "did not take place on Monday but on Tuesday", a strike
called off). A story edits only what its facts.json lists; kinds with no edits are left out.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "perturb"
KINDS = ("comment", "aside", "negation", "number", "date", "event", "zero", "slipped", "changed")
#: the file name prefix of a republished copy (``slipped``, ``changed``), whose metadata is its original's
#: (published a day later)
COPY = "copy_"

sys.path.insert(0, str(ROOT / "src"))

from storyweave.ingest import article_id  # noqa: E402
from storyweave.model import Article, ArticleAnalysis, Corpus  # noqa: E402
from storyweave.pipeline import Context, analyse_corpus, new_analysis, run_article_stages  # noqa: E402


@dataclass(frozen=True)
class Variant:
    """One edited corpus: ``texts`` by file name; the edit is ``[start, end)`` of ``article``."""

    kind: str
    article: str
    texts: dict[str, str]
    start: int
    end: int
    note: str


@dataclass
class Score:
    variants: int = 0
    detected: int = 0
    claim_detected: int = 0
    true_positives: int = 0
    false_positives: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.detected / self.variants if self.variants else 0.0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0


def load_facts(story: Path = DATA) -> dict:
    """The facts of one story folder (its articles sit beside facts.json)."""
    facts = json.loads((story / "facts.json").read_text(encoding="utf-8"))
    facts["folder"] = str(story)
    return facts


def base_texts(facts: dict) -> dict[str, str]:
    folder = Path(facts.get("folder", DATA))
    return {name: (folder / name).read_text(encoding="utf-8") for name in sorted(facts["articles"])}


def _replace(texts: dict[str, str], name: str, old: str, new: str, kind: str, note: str) -> Variant:
    text = texts[name]
    at = text.index(old)
    edited = dict(texts)
    edited[name] = text[:at] + new + text[at + len(old) :]
    return Variant(kind, name, edited, at, at + len(new), note)


def generate(facts: dict, kind: str, rng: random.Random, limit: int) -> list[Variant]:
    """Up to ``limit`` variants of one kind, sampled deterministically from every possible edit."""
    texts = base_texts(facts)
    out: list[Variant] = []
    if kind in ("event", "zero"):
        for denial in facts.get("event_denials" if kind == "event" else "zero_counts", []):
            for target in sorted(texts):
                paragraphs = texts[target].split("\n\n")
                where = rng.randrange(2, len(paragraphs) + 1)
                before = "\n\n".join(paragraphs[:where])
                edited = dict(texts)
                edited[target] = before + "\n\n" + denial + "\n\n" + "\n\n".join(paragraphs[where:])
                start = len(before) + 2
                out.append(Variant(kind, target, edited, start, start + len(denial), f"{target}: {denial!r}"))
    elif kind in ("comment", "aside"):
        for fact in facts.get("negations", []):
            for target in sorted(texts):
                label = rng.choice(facts["comment_labels"]) if kind == "comment" else ""
                paragraphs = texts[target].split("\n\n")
                where = rng.randrange(2, len(paragraphs) + 1)
                inserted = f"{label} {fact['negated']}".strip()
                before = "\n\n".join(paragraphs[:where])
                edited = dict(texts)
                edited[target] = before + "\n\n" + inserted + "\n\n" + "\n\n".join(paragraphs[where:])
                start = len(before) + 2
                note = f"{target}: {inserted!r}"
                out.append(Variant(kind, target, edited, start, start + len(inserted), note))
    elif kind == "slipped":
        for fact in facts.get("negations", []):
            for target in sorted(texts):
                paragraphs = texts[target].split("\n\n")
                where = rng.randrange(1, len(paragraphs))
                before = "\n\n".join(paragraphs[: where + 1]).rstrip()
                after = texts[target][len(before) :]
                edited = dict(texts)
                edited[COPY + target] = f"{before} {fact['negated']}{after}"
                start = len(before) + 1
                note = f"copy of {target}: {fact['negated']!r}"
                out.append(Variant(kind, COPY + target, edited, start, start + len(fact["negated"]), note))
    elif kind == "changed":
        for fact in facts.get("negations", []):
            text = texts.get(fact["article"], "")
            if fact["text"] not in text:
                continue
            edited = dict(texts)
            edited[COPY + fact["article"]] = text.replace(fact["text"], fact["negated"], 1)
            start = text.index(fact["text"])
            note = f"copy of {fact['article']}: {fact['negated']!r}"
            out.append(Variant(kind, COPY + fact["article"], edited, start, start + len(fact["negated"]), note))
    elif kind == "negation":
        for fact in facts.get("negations", []):
            out.append(_replace(texts, fact["article"], fact["text"], fact["negated"], kind, fact["negated"]))
    else:
        for fact in facts.get("numbers" if kind == "number" else "dates", []):
            for changed in fact["changed"]:
                note = f"{fact['article']}: {fact['text']!r} -> {changed!r}"
                out.append(_replace(texts, fact["article"], fact["text"], changed, kind, note))
    rng.shuffle(out)
    return out[:limit]


class Runner:
    """Runs the real pipeline, caching per-article analyses (an edit re-analyses one article)."""

    def __init__(self, facts: dict, ctx: Context | None = None) -> None:
        self.facts = facts
        self.ctx = ctx or Context()
        self._cache: dict[tuple[str, str], ArticleAnalysis] = {}

    def article(self, name: str, text: str) -> Article:
        meta = self.facts["articles"][name.removeprefix(COPY)]
        outlet = f"{meta['outlet']} (republished)" if name.startswith(COPY) else meta["outlet"]
        published = meta["published"]
        if name.startswith(COPY) and published:  # a republication appears after its original
            published = (date.fromisoformat(published[:10]) + timedelta(days=1)).isoformat()
        return Article(id=article_id(text), source=name, text=text, published=published, outlet=outlet)

    def corpus(self, texts: dict[str, str]) -> tuple[Corpus, dict[str, str]]:
        analyses = []
        ids = {}
        for name, text in sorted(texts.items()):
            key = (name, text)
            if key not in self._cache:
                self._cache[key] = run_article_stages(new_analysis(self.article(name, text)), self.ctx)
            analyses.append(self._cache[key])
            ids[name] = self._cache[key].id
        return analyse_corpus(analyses, self.ctx), ids


def _touches(span: object, article: str, start: int, end: int) -> bool:
    return span.article == article and span.start < end and start < span.end  # type: ignore[attr-defined]


def _outputs(kind: str, corpus: Corpus) -> list[tuple[object, list[object]]]:
    """The detector's outputs for ``kind``: (output, the spans it points at)."""
    if kind in ("comment", "aside", "slipped", "changed"):
        flags = [f for a in corpus.analyses for f in a.flags] + list(corpus.flags)
        return [(f, [f.span]) for f in flags if f.kind == "insertion"]
    if kind in ("negation", "event", "zero"):
        return [(c, [*c.mentions, *c.contradicted_by]) for c in corpus.claims if c.status == "contested"]
    quantity_spans = {q.id: q.span for a in corpus.analyses for q in a.quantities}
    date_spans = {d.id: d.span for a in corpus.analyses for d in a.dates}
    wanted = "numeric" if kind == "number" else "date"
    out: list[tuple[object, list[object]]] = []
    for d in corpus.discrepancies:
        if d.kind == wanted:
            linked = [quantity_spans.get(q) or date_spans.get(q) for q in d.quantities]
            out.append((d, [*d.spans, *(sp for sp in linked if sp is not None)]))
    if kind == "number":
        out += [
            (c, [*c.mentions, *c.contradicted_by])
            for c in corpus.claims
            if c.status == "contested" and any(ev.startswith("number") for ev in c.evidence)
        ]
    return out


def _signature(spans: list[object], names: dict[str, str]) -> frozenset[tuple[str, str]]:
    """Spans by article file name and text: stable when an edit shifts offsets elsewhere."""
    return frozenset((names.get(sp.article, sp.article), sp.text) for sp in spans)  # type: ignore[attr-defined]


def judge(
    kind: str, corpus: Corpus, variant: Variant, ids: dict[str, str], baseline: set[frozenset[tuple[str, str]]]
) -> tuple[bool, bool, int, int]:
    """(detected, claim detected, true positives, new false positives) for one variant.

    Outputs that the unedited corpus also produces (by article and text) are not counted as
    false positives of the edit; the unedited corpus' own alarms are reported separately.
    """
    art, s, e = ids[variant.article], variant.start, variant.end
    names = {v: k for k, v in ids.items()}
    tp = fp = 0
    for _, spans in _outputs(kind, corpus):
        if any(_touches(sp, art, s, e) for sp in spans):
            tp += 1
        elif _signature(spans, names) not in baseline:
            fp += 1
    contested = [c for c in corpus.claims if c.status == "contested"]
    claim_found = any(
        c.contradicted_by and any(_touches(m, art, s, e) for m in (*c.mentions, *c.contradicted_by)) for c in contested
    )
    if kind in ("comment", "aside", "event", "zero", "slipped", "changed"):  # the edited claim must be contested
        claim_found = any(c.contradicted_by and any(_touches(m, art, s, e) for m in c.mentions) for c in contested)
    return tp > 0, claim_found, tp, fp


def evaluate(per_kind: int, seed: int = 7, runner: Runner | None = None) -> dict[str, Score]:
    facts = runner.facts if runner is not None else load_facts()
    runner = runner or Runner(facts)
    scores: dict[str, Score] = {}
    base_corpus, base_ids = runner.corpus(base_texts(facts))
    base_names = {v: k for k, v in base_ids.items()}
    for kind in KINDS:
        score = Score()
        baseline = {_signature(spans, base_names) for _, spans in _outputs(kind, base_corpus)}
        for variant in generate(facts, kind, random.Random(f"{seed}:{kind}"), per_kind):
            corpus, ids = runner.corpus(variant.texts)
            detected, claim, tp, fp = judge(kind, corpus, variant, ids, baseline)
            score.variants += 1
            score.detected += detected
            score.claim_detected += claim
            score.true_positives += tp
            score.false_positives += fp
            if not detected:
                score.misses.append(variant.note)
        scores[kind] = score
    return scores


def baseline_false_alarms(runner: Runner | None = None) -> dict[str, int]:
    """What each detector reports on the unedited reports."""
    facts = runner.facts if runner is not None else load_facts()
    runner = runner or Runner(facts)
    corpus, _ = runner.corpus(base_texts(facts))
    return {kind: len(_outputs(kind, corpus)) for kind in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=40, help="variants per perturbation kind (at most)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", action="store_true", help="list the variants that were not detected")
    parser.add_argument(
        "--story", type=Path, default=DATA, help="a story folder with facts.json (default: the rail story)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    runner = Runner(load_facts(args.story))
    baseline = baseline_false_alarms(runner)
    scores = evaluate(args.per_kind, args.seed, runner)
    print("outputs on the unedited corpus: " + ", ".join(f"{k} {v}" for k, v in baseline.items()))
    print(f"{'perturbation':<12} {'variants':>8} {'recall':>7} {'precision':>9} {'claim recall':>12}")
    for kind, s in scores.items():
        if not s.variants:
            continue
        claim = f"{s.claim_detected / s.variants:.2f}"
        print(f"{kind:<12} {s.variants:>8} {s.recall:>7.2f} {s.precision:>9.2f} {claim:>12}")
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.misses:
        for kind, s in scores.items():
            for note in s.misses:
                print(f"missed {kind}: {note}")


if __name__ == "__main__":
    main()
