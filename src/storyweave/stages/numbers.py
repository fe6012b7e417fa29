"""Numbers with their unit and what they count: the per-article ``numbers`` stage.

The per-article stage finds numbers with regular expressions (digits, currency symbols, scale words
and suffixes, spelled-out numbers) and then asks the parse what each number counts: the noun it
modifies (``nummod``), or the object of "of" after a vague plural ("thousands of sheep"). Dates,
years, ordinals, times and list numbering are not quantities and are left out. Each quantity keeps
its approximator ("as many as", "around") and the source its sentence credits, because two
figures only disagree meaningfully once we know who gave each and how hedged it was.

A count of people need not have a noun after the number: a count's new level ("the number of
people killed in the fire has risen to 14", "the death toll rose to 16") counts what the subject
counts, and "more than 70 injured", "9 dead" or "14 died" name people by what happened to them.

The parts live beside this stage: ``numbers_find`` (numbers in the text), ``numbers_parse`` (what
the parse says about each) and ``storyweave.figures`` (the shared lexicons and predicates);
``numeric_discrepancies`` is the corpus stage that sets figures of different articles side by side.
"""

from __future__ import annotations

import re
from dataclasses import replace

from storyweave.language.document import chain_names, sentence_of
from storyweave.model import ArticleAnalysis, Quantity, stable_id
from storyweave.pipeline import Context, stage
from storyweave.stages.numbers_find import find_numbers, is_label_or_date
from storyweave.stages.numbers_parse import (
    event_phrase,
    is_time_expression,
    level_count,
    measure_noun,
    measure_of,
    nominal_count,
    qualifier_before,
    sentence_starts,
    source_of,
    tokens_in,
)


def extract_quantities(analysis: ArticleAnalysis) -> tuple[Quantity, ...]:
    """The quantities of one parsed article (boilerplate excluded)."""
    doc = analysis.doc
    text = analysis.article.text
    starts = sentence_starts(analysis)
    names = chain_names(analysis)
    out: list[Quantity] = []
    for f in find_numbers(text):
        if is_label_or_date(text, f) or analysis.skipped(f.start, f.end):
            continue
        tokens = tokens_in(doc, f.start, f.end)
        if not tokens:
            continue
        sentence = sentence_of(starts, f.start)
        sent_span = analysis.sentences[sentence].span if sentence >= 0 else None
        noun = measure_noun(doc, tokens, f)
        if noun is not None and (
            (sent_span is not None and not sent_span.start <= noun.idx < sent_span.end)
            or re.search(r"[.;:!?]\s", text[f.end : noun.idx])
        ):
            noun = None  # what a number counts is never in the next sentence
        counted = None
        if noun is None and f.unit is None and not f.vague:
            counted = level_count(doc, tokens[-1]) or nominal_count(doc, tokens[-1])
        unit: str | None
        measure: str | None
        lemma: str | None
        if counted is not None:
            unit, measure, lemma, end = None, counted.measure, counted.lemma, counted.end
        else:
            unit, measure, lemma, end = measure_of(text, f, noun)
        if unit is None and measure is None:
            continue
        if f.spelled and f.value <= 1 and unit is None:
            continue
        if counted is None and is_time_expression(doc, tokens, noun, unit):
            continue
        qualifier, start = qualifier_before(text, f.start, starts[sentence_of(starts, f.start)] if starts else 0)
        if f.vague:
            qualifier = f.vague if qualifier is None else f"{qualifier} {f.vague}"
        if f.low is not None:
            qualifier = f"between {f.low} and" if qualifier is None else f"{qualifier} between {f.low} and"
        out.append(
            Quantity(
                id=stable_id("q", analysis.id, start, end),
                span=analysis.span(start, end),
                value=f.value,
                unit=unit,
                measure=measure,
                qualifier=qualifier,
                sentence=sentence,
                measure_lemma=lemma,
                source=source_of(
                    doc, tokens[-1], (sent_span.start, sent_span.end) if sent_span else (start, end), names
                ),
                event=counted.event
                if counted is not None
                else event_phrase(noun if noun is not None else tokens[-1], measure or unit or ""),
                vague=f.vague is not None,
                context=sent_span,
            )
        )
    return tuple(out)


@stage("numbers", scope="article", requires={"doc", "sentences", "flags", "mentions"}, assigns={"quantities"}, order=60)
def numbers(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Quantities with unit, measure, qualifier and credited source."""
    if analysis.doc is None:
        return analysis
    return replace(analysis, quantities=extract_quantities(analysis))
