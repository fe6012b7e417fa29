"""Numeric discrepancies: figures matched one to one between two articles, and differences
beyond rounding although within a few percent."""

from __future__ import annotations

from test_numbers import corpus_of

from storyweave.figures import values_differ
from storyweave.pipeline import Context
from storyweave.stages.numeric_discrepancies import numeric_discrepancies_stage


def test_differ_reads_the_place_each_figure_is_written_to() -> None:
    assert values_differ([8_300, 8_020])  # both exact to the ten: not one rounded from the other
    assert values_differ([340, 350])
    assert not values_differ([8_000, 8_020])  # 8,000 may be 8,020 rounded to the thousand
    assert not values_differ([2.5, 2.54])
    assert not values_differ([4_100_000, 4_120_500])  # "4.1 million" for 4,120,500


def test_numeric_discrepancies_close_exact_counts_of_one_thing_differ(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Voters in the Orvane region cast their ballots at 8,300 voting booths on Sunday.",
        "Officials said ballots were cast at 8,020 voting booths across the Orvane region on Sunday.",
    )
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    assert len(found) == 1
    assert {q.value for a in corpus.analyses for q in a.quantities if q.id in found[0].quantities} == {8300, 8020}


def test_numeric_discrepancies_pair_figures_one_to_one_between_articles(ctx: Context) -> None:
    """Two amounts of one currency in each article: the totals pair with each other and the
    fines with each other, so both differences are found and neither pairs across."""
    corpus = corpus_of(
        ctx,
        "A court in Pellow jailed the former harbour master for taking 27.4 million dinars "
        "in kickbacks and fined him 2 million dinars.",
        "The former harbour master of Pellow was found guilty of taking 24.7 million dinars "
        "in kickbacks. The court fined him 3 million dinars.",
    )
    found = numeric_discrepancies_stage(corpus, ctx).discrepancies
    pairs = sorted(
        sorted(q.value for a in corpus.analyses for q in a.quantities if q.id in d.quantities) for d in found
    )
    assert pairs == [[2e6, 3e6], [24.7e6, 27.4e6]], [d.about for d in found]
