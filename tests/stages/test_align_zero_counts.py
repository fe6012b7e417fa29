"""A zero count ("nobody died", "no one was hurt", "there were no casualties") against the accounts
that count people who met that fate, on invented reports of a depot fire.

A zero count contests a positive count of the same fate (the dead, the injured) in another article
or paragraph; one that leaves others out ("no one else"), names another group ("no Britons", "no
firefighters"), another occurrence ("the second blast"), a place or circumstance the count does not
share ("on the ground", "at Kessel Bridge"), or another fate contests nothing.
"""

from __future__ import annotations

import pytest

from storyweave.model import Corpus
from storyweave.pipeline import Context, analyse
from support import contested_by, make_article

WIRE = (
    "Fire at Farrow Mill depot\n\n"
    "A fire swept through the Farrow Mill depot on Monday night, killing at least 9 workers and "
    "injuring about 30 people, the fire service said.\n\n"
    "Crews from three towns fought the blaze until dawn."
)
GAZETTE = (
    "Depot fire: toll rises\n\n"
    "The number of people killed in the fire at the Farrow Mill depot has risen to 11, officials said.\n\n"
    "The owner said the depot had passed its last inspection."
)


def corpus_with(ctx: Context, denial: str) -> Corpus:
    articles = [
        make_article(WIRE, source="wire.txt", title="wire"),
        make_article(GAZETTE, source="gazette.txt", title="gazette"),
        make_article(f"Depot fire\n\nFire crews were called to the depot on Monday.\n\n{denial}", source="c.txt"),
    ]
    return analyse(articles, ctx)


@pytest.mark.parametrize(
    "denial",
    [
        "Nobody died at Farrow Mill.",
        "No one was killed in the fire.",
        "There were no casualties.",
        "There were no deaths at the depot.",
        "No workers were killed.",
        "No one was hurt.",
    ],
)
def test_align_zero_count_is_contested_by_counts_of_that_fate(ctx: Context, denial: str) -> None:
    corpus = corpus_with(ctx, denial)
    assert contested_by(corpus, denial.rstrip("."), "count"), [(c.text, c.status, c.evidence) for c in corpus.claims]
    # ... and the count it denies is contested in turn, with the denial as its evidence.
    wire = next(c for c in corpus.claims if any("killing at least 9 workers" in m.text for m in c.mentions))
    assert wire.status == "contested"
    assert any(denial.rstrip(".") in sp.text for sp in wire.contradicted_by)


@pytest.mark.parametrize(
    "denial",
    [
        "No one else was hurt.",  # others left out
        "No Britons were among the dead.",  # another group
        "No firefighters were killed.",  # a person noun the counts do not use
        "Nobody was killed in the second blast.",  # another occurrence
        "Nobody was killed on the ground.",  # a circumstance the counts do not share
        "Nobody died at Kessel Bridge.",  # a place no count's article names
        "No one was rescued.",  # a fate nobody counted
    ],
)
def test_align_zero_count_guards(ctx: Context, denial: str) -> None:
    corpus = corpus_with(ctx, denial)
    assert not contested_by(corpus, denial.rstrip("."), "count"), [(c.text, c.evidence) for c in corpus.claims]


def test_align_zero_count_in_a_paragraph_of_the_counting_article(ctx: Context) -> None:
    """An inserted paragraph that denies the deaths its own article reports is contested by it."""
    text = WIRE + "\n\nOur view: Nobody died at Farrow Mill. The figures were invented."
    corpus = analyse([make_article(text, source="wire.txt"), make_article(GAZETTE, source="gazette.txt")], ctx)
    claim = next(c for c in corpus.claims if any("Nobody died" in m.text for m in c.mentions))
    assert claim.status == "contested"
    assert {sp.article for sp in claim.contradicted_by} == {a.id for a in corpus.analyses}
