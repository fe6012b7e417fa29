"""Counts of people given without a counted noun after the number, and how differing counts of one
event are reported: a toll's new level ("the number of people killed ... has risen to 9", "the death
toll rose to 10"), people named by what happened to them ("more than 40 injured", "9 dead"), the
qualifiers that may reconcile two figures, and a later rise that is an update, not a conflict.

All articles here are invented for these tests.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyweave.figures import event_class
from storyweave.model import ArticleAnalysis, Corpus, Discrepancy, Quantity
from storyweave.pipeline import Context, new_analysis
from storyweave.stages.clean import clean
from storyweave.stages.dates import dates
from storyweave.stages.numbers import numbers
from storyweave.stages.numeric_discrepancies import numeric_discrepancies_stage
from storyweave.stages.segment import segment
from support import make_article


def analysed(ctx: Context, text: str, *, published: str | None = None, source: str = "test.txt") -> ArticleAnalysis:
    analysis = replace(new_analysis(make_article(text, published=published, source=source)), doc=ctx.nlp(text))
    analysis = dates(numbers(segment(clean(analysis, ctx), ctx), ctx), ctx)
    return replace(analysis, doc=None)


def quantity(ctx: Context, text: str, value: float) -> Quantity | None:
    found = [q for q in analysed(ctx, text).quantities if q.value == value]
    return found[0] if found else None


def corpus_of(ctx: Context, *texts: str, published: tuple[str | None, ...] = ()) -> Corpus:
    dated = published or (None,) * len(texts)
    analyses = [
        analysed(ctx, t, published=p, source=f"a{i}.txt") for i, (t, p) in enumerate(zip(texts, dated, strict=True))
    ]
    return Corpus(analyses=tuple(sorted(analyses, key=lambda a: a.id)))


def values_of(corpus: Corpus, d: Discrepancy) -> list[float]:
    return sorted(q.value for a in corpus.analyses for q in a.quantities if q.id in d.quantities)


# --------------------------------------------------------------------------- reading the counts


@pytest.mark.parametrize(
    ("text", "value", "measure", "event"),
    [
        ("The number of people killed in the flood at Orvan has risen to 23.", 23, "people", "dead"),
        ("The number of miners who died at Tallow Pit reached 31 on Friday.", 31, "miners", "dead"),
        ("The death toll rose to 19 overnight.", 19, "death toll", "dead"),
        ("The toll now stands at 27, officials said.", 27, "toll", "dead"),
        ("The roof collapsed at the depot, with more than 40 injured.", 40, "injured", "injured"),
        ("At least 9 dead were counted after the storm.", 9, "dead", "dead"),
        ("Twelve were killed when the bus left the road.", 12, "killed", "dead"),
    ],
)
def test_numbers_reads_counts_of_people_without_a_counted_noun(
    ctx: Context, text: str, value: float, measure: str, event: str
) -> None:
    q = quantity(ctx, text, value)
    assert q is not None, [x.span.text for x in analysed(ctx, text).quantities]
    assert q.measure == measure
    assert event_class(q) == event


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Doctors said 23 of the injured were in intensive care.", 23),  # part of a group
        ("Turnout rose to 64 in the ward.", 64),  # no count noun as the subject
        ("The price has risen to 14 this year.", 14),
    ],
)
def test_numbers_leaves_levels_and_parts_it_cannot_place(ctx: Context, text: str, value: float) -> None:
    q = quantity(ctx, text, value)
    assert q is None or q.measure not in {"injured", "treated", "price"}, q


def test_numbers_an_adjective_before_a_noun_is_not_what_is_counted(ctx: Context) -> None:
    q = quantity(ctx, "The crews flew 12 injured workers to the coast.", 12)
    assert q is not None
    assert q.measure_lemma == "worker"
    assert event_class(q) == "injured"


# --------------------------------------------------------------------------- discrepancies


QUARRY_A = "A landslide at the Kerrow quarry on Monday killed at least 7 workers and injured about 30 people."
QUARRY_B = (
    "The number of people killed in Monday's landslide at the Kerrow quarry has risen to 9, "
    "with more than 40 injured, the mine rescue service said."
)


def test_numeric_discrepancies_reports_a_risen_toll_and_injured_counts(ctx: Context) -> None:
    corpus = corpus_of(ctx, QUARRY_A, QUARRY_B)
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    by_values = {tuple(values_of(corpus, d)): d for d in found}
    assert set(by_values) == {(7, 9), (30, 40)}, [d.about for d in found]
    dead, injured = by_values[(7, 9)], by_values[(30, 40)]
    # The qualifiers are shown, and whether they reconcile the figures is said.
    assert "at least 7" in dead.about
    assert dead.note is not None
    assert "compatible" in dead.note
    assert "'at least 7'" in dead.note
    assert injured.note is not None
    assert "No qualifier reconciles them" in injured.note


def test_numeric_discrepancies_a_later_rise_is_an_update(ctx: Context) -> None:
    later = "The death toll from the landslide at the Kerrow quarry rose to 10 when a driver died in hospital."
    corpus = corpus_of(ctx, QUARRY_A, later, published=("2026-05-04", "2026-05-07"))
    assert [d for d in numeric_discrepancies_stage(corpus, ctx).discrepancies if 10 in values_of(corpus, d)] == []


@pytest.mark.parametrize(
    "published",
    [
        (None, None),  # undated: the order cannot be told, so the figures differ
        ("2026-05-07", "2026-05-04"),  # the "rise" is the older report
    ],
)
def test_numeric_discrepancies_a_rise_not_known_to_be_later_still_differs(
    ctx: Context, published: tuple[str | None, str | None]
) -> None:
    later = "The death toll from the landslide at the Kerrow quarry rose to 10 when a driver died in hospital."
    corpus = corpus_of(ctx, QUARRY_A, later, published=published)
    found = [d for d in numeric_discrepancies_stage(corpus, ctx).discrepancies if 10 in values_of(corpus, d)]
    assert len(found) == 1
    assert values_of(corpus, found[0]) == [7, 10]


def test_numeric_discrepancies_note_marks_an_update_beside_a_conflict(ctx: Context) -> None:
    later = "The death toll from the landslide at the Kerrow quarry rose to 12 when a driver died in hospital."
    corpus = corpus_of(ctx, QUARRY_A, QUARRY_B, later, published=("2026-05-04", None, "2026-05-07"))
    found = [d for d in numeric_discrepancies_stage(corpus, ctx).discrepancies if 9 in values_of(corpus, d)]
    assert len(found) == 1
    assert values_of(corpus, found[0]) == [7, 9, 12]
    assert found[0].note is not None
    assert "an update, not a conflict" in found[0].note


@pytest.mark.parametrize(
    "other",
    [
        "Two more workers died in hospital after the landslide at the Kerrow quarry.",  # an increment
        "Two of his colleagues were killed in the landslide at the Kerrow quarry, the driver said.",  # a part
        "Rescuers at the Kerrow quarry found 3 other workers killed under the spoil.",
    ],
)
def test_numeric_discrepancies_increments_and_parts_do_not_contradict_a_total(ctx: Context, other: str) -> None:
    corpus = corpus_of(ctx, QUARRY_A, other)
    assert numeric_discrepancies_stage(corpus, ctx).discrepancies == ()


def test_numeric_discrepancies_one_article_gives_one_fact_one_value(ctx: Context) -> None:
    """The figure of the dead links to the other report's dead, not to an unrelated count of
    workers in the same article."""
    a = QUARRY_A
    b = (
        "Hundreds of people followed the coffins of 6 workers through Kerrow on Thursday. "
        "The death toll from the landslide at the Kerrow quarry has risen to 11, officials said."
    )
    corpus = corpus_of(ctx, a, b)
    found = [d for d in numeric_discrepancies_stage(corpus, ctx).discrepancies if 7 in values_of(corpus, d)]
    assert len(found) == 1
    assert values_of(corpus, found[0]) == [7, 11]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Governor Ana Petric declared three days of mourning in the Kerrow district after the landslide.",
            "Governor Ana Petric extended the official mourning in the Kerrow district by two days.",
        ),
        (
            "The owner rejected claims that it had neglected maintenance at the 40-year-old Kerrow quarry.",
            "The owner declined to say how much it had spent on maintenance at the Kerrow quarry in the past "
            "five years.",
        ),
    ],
)
def test_numeric_discrepancies_changes_and_ages_are_not_levels_or_durations(ctx: Context, a: str, b: str) -> None:
    assert numeric_discrepancies_stage(corpus_of(ctx, a, b), ctx).discrepancies == ()


def test_numeric_discrepancies_changes_compare_with_changes(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Governor Ana Petric extended the official mourning in the Kerrow district by two days.",
        "Governor Ana Petric extended the official mourning in the Kerrow district by four days.",
    )
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    assert [values_of(corpus, d) for d in found] == [[2, 4]]


@pytest.mark.parametrize(
    ("text", "value", "measure"),
    [
        ("A bus and a lorry collided near Harlow, killing 6 people and injuring 31, police said.", 31, "injuring"),
        ("The blast at the Dunmore mill killed 4 and wounded 19 on Tuesday.", 19, "wounded"),
    ],
)
def test_a_harm_verbs_bare_object_counts_people(ctx: Context, text: str, value: float, measure: str) -> None:
    q = quantity(ctx, text, value)
    assert q is not None
    assert q.measure == measure
    assert event_class(q) == "injured"


@pytest.mark.parametrize(
    "text",
    [
        "The ferry carried 300 on its last crossing.",  # not a harm: need not count people
        "The storm injured 12 sheep and 3 horses at the farm.",  # the counted noun follows
    ],
)
def test_a_bare_object_of_other_verbs_is_not_a_count_of_harmed_people(ctx: Context, text: str) -> None:
    q = quantity(ctx, text, 300 if "ferry" in text else 12)
    assert q is None or q.measure not in {"carried", "injured"}


def test_numeric_discrepancies_set_injuring_n_against_n_were_injured(ctx: Context) -> None:
    a = "A bus and a lorry collided near Harlow on Monday, killing 6 people and injuring 31, police said."
    b = "Six people died and 18 were injured when a bus and a lorry collided near Harlow on Monday."
    corpus = corpus_of(ctx, a, b)
    found = {tuple(values_of(corpus, d)) for d in numeric_discrepancies_stage(corpus, ctx).discrepancies}
    assert (18, 31) in found


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The pilot had started her shift less than 4 hours before the crash, the board said.", True),
        ("The pilot had started her shift 4 hours ago, the board said.", False),
        ("The pilot landed safely and the board met 4 days later.", False),
    ],
)
def test_a_duration_to_another_event_is_an_amount(ctx: Context, text: str, kept: bool) -> None:
    """ "4 hours before the crash" measures the time between two events; "4 hours ago" is a date."""
    q = quantity(ctx, text, 4)
    assert (q is not None and q.unit in {"hour", "day"}) is kept
