"""A sentence of the original changed in place in a republished copy: its negation, an exact
figure, or several of its words replaced. Updates, corrected typos and datelines are not."""

from __future__ import annotations

import pytest
from test_republications import WIRE, article

from storyweave.model import Corpus
from storyweave.pipeline import Context, analyse

VOTE = (
    "MERROW, Talland, June 9 (Coast Wire) - The electoral board said on Sunday that the governor had won "
    "412,306 votes, or 51.2 percent, in the regional election.\n\n"
    "His rival, Petra Osk, said she would challenge the count in court. Her party said its observers "
    "had been turned away from several counting rooms.\n\n"
    "The board said the results would become final after complaints were examined next week."
)


def _inserted(original_text: str, copy_text: str, ctx: Context, *, copy_date: str = "2024-06-10") -> list[str]:
    corpus: Corpus = analyse(
        [article(original_text, published="2024-06-09"), article(copy_text, published=copy_date)], ctx
    )
    (rep,) = corpus.republications
    return [s.text for s in rep.inserted]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("had won 412,306 votes", "had won 462,306 votes"),  # an exact figure altered
        ("said she would challenge the count in court.", "said she would not challenge the count in court."),
        (
            "said she would challenge the count in court.",
            "said she accepted the result, congratulated the governor and would retire from politics.",
        ),
    ],
)
def test_republications_flag_a_sentence_changed_in_place(ctx: Context, old: str, new: str) -> None:
    copy_text = VOTE.replace(old, new)
    found = _inserted(VOTE, copy_text, ctx)
    assert len(found) == 1, found
    assert new.split(" ")[-2] in found[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("had won 412,306 votes", "had won 412,306 votes in total"),  # a word added, no figure changed
        ("turned away from several", "turned away from sevral"),  # a typo
        ("MERROW, Talland, June 9 (Coast Wire) - ", "MERROW, Talland, June 10 (Coast Wire) - "),  # a dateline
    ],
)
def test_republications_small_edits_are_not_changes(ctx: Context, old: str, new: str) -> None:
    assert _inserted(VOTE, VOTE.replace(old, new), ctx) == []


def test_republications_a_later_copy_giving_a_risen_count_is_an_update(ctx: Context) -> None:
    original = WIRE.replace(
        "About 40 firefighters fought", "The number of injured stood at 12 as 40 firefighters fought"
    )
    copy_text = original.replace("stood at 12", "rose to 19")
    assert _inserted(original, copy_text, ctx, copy_date="2024-06-11") == []
