"""Quantities (number, unit, what it counts, hedge, source) and numeric discrepancies across articles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyweave.model import ArticleAnalysis, Corpus, Discrepancy, Flag, Quantity
from storyweave.pipeline import Context, new_analysis
from storyweave.stages.clean import clean
from storyweave.stages.dates import dates
from storyweave.stages.numbers import numbers
from storyweave.stages.numeric_discrepancies import numeric_discrepancies_stage
from storyweave.stages.segment import segment
from support import make_article


def analysed(ctx: Context, text: str, *, published: str | None = None, source: str = "test.txt") -> ArticleAnalysis:
    """An article through clean, segment, numbers and dates, with the parse dropped as the runner does."""
    analysis = replace(new_analysis(make_article(text, published=published, source=source)), doc=ctx.nlp(text))
    analysis = dates(numbers(segment(clean(analysis, ctx), ctx), ctx), ctx)
    return replace(analysis, doc=None)


def quantities(ctx: Context, text: str) -> list[Quantity]:
    return list(analysed(ctx, text).quantities)


def only(ctx: Context, text: str) -> Quantity:
    found = quantities(ctx, text)
    assert len(found) == 1, [q.span.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "lemma", "qualifier"),
    [
        (
            "The storm destroyed as many as 4,500 wooden houses.",
            "as many as 4,500 wooden houses",
            4500,
            None,
            "house",
            "as many as",
        ),
        (
            "The mayor, who is worth an estimated £3.2 billion, resigned.",
            "an estimated £3.2 billion",
            3.2e9,
            "GBP",
            None,
            "an estimated",
        ),
        ("The club paid $7m for the striker.", "$7m", 7e6, "USD", None, None),
        ("The ferry operator lost €1.5bn last year.", "€1.5bn", 1.5e9, "EUR", None, None),
        ("Turnout reached 64% on the island.", "64%", 64, "percent", None, None),
        ("The floods have claimed over 1,200 lives since spring.", "over 1,200 lives", 1200, None, "life", "over"),
        (
            "Rescuers moved tens of thousands of residents to higher ground.",
            "tens of thousands of residents",
            10000,
            None,
            "resident",
            "tens of",
        ),
        ("Thousands of volunteers joined the search.", "Thousands of volunteers", 1000, None, "volunteer", "thousands"),
        ("A dozen fishing boats sank in the bay.", "A dozen fishing boats", 12, None, "boat", None),
        ("Three firefighters were injured.", "Three firefighters", 3, None, "firefighter", None),
        ("The council dismissed 17 senior managers on the spot.", "17 senior managers", 17, None, "manager", None),
        ("Nearly 300 km of track was damaged by the flood.", "Nearly 300 km of track", 300, "km", "track", "nearly"),
        ("The strike lasted more than two years in total.", "more than two years", 2, "year", "year", "more than"),
        ("The regional budget grew to 5 million euros.", "5 million euros", 5e6, "EUR", None, None),
        ("At least 40 passengers were rescued.", "At least 40 passengers", 40, None, "passenger", "at least"),
        ("Between 10 and 15 ships sank in the gale.", "Between 10 and 15 ships", 15, None, "ship", "between 10 and"),
        ("Some 20-30 tractors blocked the road.", "Some 20-30 tractors", 30, None, "tractor", "some between 20 and"),
        ("Gusts reached 140 km/h on the ridge.", "140 km/h", 140, "km/h", None, None),
        ("The striker joined for a fee of £12.5m. Population: 2.3 million.", "£12.5m", 12.5e6, "GBP", None, None),
    ],
)
def test_numbers_reads_each_quantity_form(
    ctx: Context, text: str, span: str, value: float, unit: str | None, lemma: str | None, qualifier: str | None
) -> None:
    q = only(ctx, text)
    assert q.span.text == span
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.measure_lemma == lemma
    assert q.qualifier == qualifier


def test_numbers_marks_orders_of_magnitude_as_vague(ctx: Context) -> None:
    vague, exact = quantities(ctx, "Thousands of fans came, and 2,300 fans stayed overnight.")
    assert vague.vague
    assert not exact.vague
    assert exact.value == 2300


@pytest.mark.parametrize(
    "text",
    [
        "The summit opened on March 3, 2019 and the talks followed on May 4-5.",
        "In 1998 the bridge over the river opened to traffic.",
        "The second vote comes in the 3rd round of the contest.",
        "1. Open the valve\n2. Close the hatch",
        "The dam burst two days ago, officials said.",
        "The meeting starts at 10:30 in the town hall.",
        "The COVID-19 ward and the F-16 hangar stayed closed.",
        "Volunteers from the Group of 20 helped.",
    ],
)
def test_numbers_skips_dates_years_ordinals_and_labels(ctx: Context, text: str) -> None:
    assert [q.span.text for q in quantities(ctx, text)] == []


def test_numbers_ignores_boilerplate(ctx: Context) -> None:
    text = "Officials counted 48 injured workers.\nWatch: 12 photos of the damage"
    analysis = replace(new_analysis(make_article(text)), doc=ctx.nlp(text))
    start = text.index("Watch")
    flag = Flag(id="f1", span=analysis.span(start, len(text)), kind="boilerplate", reason="watch link")
    analysis = numbers(segment(replace(analysis, flags=(flag,)), ctx), ctx)
    assert [q.span.text for q in analysis.quantities] == ["48 injured workers"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "About 2,000 protesters gathered in the square, according to the city's emergency service.",
            "according to the city's emergency service",
        ),
        ("The fire chief told Radio Norde that 40 people were hurt in the blaze.", "The fire chief (told Radio Norde)"),
        ("Port officials said as many as 600 containers fell overboard.", "Port officials"),
        ("The flood has claimed over 1,200 lives since spring.", None),
    ],
)
def test_numbers_credits_the_source_of_a_figure(ctx: Context, text: str, source: str | None) -> None:
    assert only(ctx, text).source == source


def test_numbers_quantity_ids_are_deterministic(ctx: Context) -> None:
    text = "Some 300 sheep and 12 cows were lost."
    assert [q.id for q in quantities(ctx, text)] == [q.id for q in quantities(ctx, text)]


# --------------------------------------------------------------------------- discrepancies


def corpus_of(ctx: Context, *texts: str) -> Corpus:
    analyses = [analysed(ctx, t, source=f"a{i}.txt") for i, t in enumerate(texts)]
    return Corpus(analyses=tuple(sorted(analyses, key=lambda a: a.id)))


def test_numeric_discrepancies_groups_differing_figures_with_their_context(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The port authority said about 3,000 containers were lost in the storm at Velmar harbour.",
        "As many as 4,200 containers were lost when the storm hit Velmar harbour, insurers said.",
        "The storm at Velmar harbour swept some 3,050 containers into the sea.",
    )
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    assert len(found) == 1
    d = found[0]
    assert d.kind == "numeric"
    values = sorted(q.value for a in corpus.analyses for q in a.quantities if q.id in d.quantities)
    assert values == [3000, 3050, 4200]
    assert d.about.startswith("containers")
    assert d.note is not None
    assert "The port authority" in d.note
    assert "as many as" in d.note
    assert "insurers" in d.note
    span_texts = {s.text for s in d.spans}
    assert "As many as 4,200 containers" in span_texts
    assert any("Velmar" in s.text for s in d.spans)  # the context sentences are cited too


def test_numeric_discrepancies_stays_silent_when_values_agree(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "About 3,000 containers were lost in the storm at Velmar harbour.",
        "Some 3,000 containers were lost when the storm hit Velmar harbour.",
        "Roughly 3,040 containers were washed away in the Velmar harbour storm.",
    )
    assert numeric_discrepancies_stage(corpus, ctx).discrepancies == ()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Different things counted.
        (
            "About 3,000 containers were lost in the storm at Velmar harbour.",
            "About 40 sailors were hurt in the storm at Velmar harbour.",
        ),
        # An order of magnitude does not contradict an exact figure.
        (
            "Thousands of containers were lost in the storm at Velmar harbour.",
            "About 3,000 containers were lost in the storm at Velmar harbour.",
        ),
        # Same noun, unrelated stories.
        (
            "About 3,000 containers were lost in the storm at Velmar harbour.",
            "The bakery recycles 90 containers of flour every winter.",
        ),
    ],
)
def test_numeric_discrepancies_needs_the_same_measure_and_context(ctx: Context, a: str, b: str) -> None:
    assert numeric_discrepancies_stage(corpus_of(ctx, a, b), ctx).discrepancies == ()


def test_numeric_discrepancies_appends_to_earlier_findings(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "About 3,000 containers were lost in the storm at Velmar harbour.",
        "As many as 4,200 containers were lost when the storm hit Velmar harbour.",
    )
    wording = Discrepancy(id="dw", about="wording", kind="wording")
    result = numeric_discrepancies_stage(replace(corpus, discrepancies=(wording,)), ctx).discrepancies
    assert result[0] == wording
    assert [d.kind for d in result] == ["wording", "numeric"]


def test_numeric_discrepancies_pairs_each_figure_with_the_same_fact(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "A fire at the Orlen paper mill killed at least 8 workers. Officials said 25 people were taken to hospital.",
        "At least 11 people died in the fire at the Orlen paper mill. Some 25 people remain in hospital.",
    )
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    assert len(found) == 1  # the dead differ ("workers" and "people" count the same); the injured agree
    values = sorted(q.value for a in corpus.analyses for q in a.quantities if q.id in found[0].quantities)
    assert values == [8, 11]


def test_numbers_ignores_digit_runs_that_are_no_amount(ctx: Context) -> None:
    text = "Serial " + "9" * 400 + " units were shipped, and 12 crates followed."
    assert [q.span.text for q in quantities(ctx, text)] == ["12 crates"]


def test_numeric_discrepancies_person_nouns_compare_by_what_happened_to_them(ctx: Context) -> None:
    """Passengers and people on board one vessel are one count; the dead and rescued are others."""
    corpus = corpus_of(
        ctx,
        "Divers searched the bay where the ferry, carrying about 90 passengers, sank. At least 12 people died.",
        "The ferry had more than 110 people on board, officials said. At least 12 people were killed and "
        "70 people were rescued.",
        "Up to 130 passengers may have been on board when it sank. Officials said 15 people died. "
        "Coast guard boats rescued 70 people.",
    )
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    values = sorted(d.about for d in found)
    assert len(found) == 2, values
    aboard = next(d for d in found if "110" in d.about)
    assert all(x in aboard.about for x in ("90", "110", "130"))
    dead = next(d for d in found if "15" in d.about)
    assert "12" in dead.about
    assert not any(x in dead.about for x in ("70", "90", "110", "130"))
