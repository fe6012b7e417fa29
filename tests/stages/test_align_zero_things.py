"""A zero count of things ("no houses were damaged") against counts of those things harmed, on
invented reports of a storm.

A zero count of things contests a count of the same kind of thing (house and home are one kind)
that came to the harm it denies, or to any harm when it denies damage; a denial of another harm
("destroyed" against flooded), of another kind of thing, of things somewhere the count does not
speak of, or of people contests nothing here.
"""

from __future__ import annotations

import pytest

from storyweave.model import Corpus
from storyweave.pipeline import Context, analyse
from support import contested_by, make_article

WIRE = (
    "Storm hits Bralo\n\n"
    "The storm flooded more than 120 homes in Bralo on Sunday night, the fire service said.\n\n"
    "Crews pumped water out of cellars until dawn."
)
GAZETTE = (
    "Bralo counts the cost\n\n"
    "The river washed away two footbridges in the old town, officials said.\n\n"
    "The mayor said the town would ask the government for help."
)


def corpus_with(ctx: Context, statement: str) -> Corpus:
    articles = [
        make_article(WIRE, source="wire.txt", title="wire"),
        make_article(GAZETTE, source="gazette.txt", title="gazette"),
        make_article(f"Storm news\n\nSchools in the region stayed open on Monday.\n\n{statement}", source="c.txt"),
    ]
    return analyse(articles, ctx)


@pytest.mark.parametrize(
    "statement",
    [
        "No houses in Bralo were damaged.",
        "No homes were flooded on Sunday.",
        "The storm damaged no houses.",
    ],
)
def test_align_zero_count_of_things_is_contested_by_counts_of_them_harmed(ctx: Context, statement: str) -> None:
    corpus = corpus_with(ctx, statement)
    fragment = statement.rstrip(".")
    assert contested_by(corpus, fragment, "count"), [(c.text, c.status, c.evidence) for c in corpus.claims]
    wire = next(c for c in corpus.claims if any("120 homes" in m.text for m in c.mentions))
    assert wire.status == "contested"
    assert any(fragment in sp.text for sp in wire.contradicted_by)


@pytest.mark.parametrize(
    "statement",
    [
        "No houses were destroyed.",  # another harm than the one counted
        "No schools were damaged.",  # another kind of thing
        "No houses in Kemmer were damaged.",  # a place the count's article never names
        "No houses on the hill were damaged.",  # a circumstance the count does not share
        "No other houses were damaged.",  # others left out
        "No houses may have been damaged.",  # hedged
        "No residents were hurt.",  # people: the zero count of people, and nobody counted them
    ],
)
def test_align_zero_count_of_things_guards(ctx: Context, statement: str) -> None:
    corpus = corpus_with(ctx, statement)
    wire = next(c for c in corpus.claims if any("120 homes" in m.text for m in c.mentions))
    assert wire.status != "contested", (wire.contradicted_by, wire.evidence)
