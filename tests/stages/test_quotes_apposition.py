"""Role nouns before a name ("His lawyer, X,") and reports of a thing rather than of words, on invented examples."""

from __future__ import annotations

import pytest

from storyweave.pipeline import Context
from support import analyse_text as analyse
from support import direct_quote


@pytest.mark.parametrize(
    ("text", "surname"),
    [
        (
            "His lawyer, Piet Vandersloot, lodged the papers on Monday. "
            '"We will not stop until the court hears us," the lawyer said.',
            "Vandersloot",
        ),
        (
            'Her spokesman, Tomasz Wierzba, spoke to reporters outside. "She is resting at home," the spokesman said.',
            "Wierzba",
        ),
        (
            "The company's lawyer, Greta Holmqvist, filed a motion to dismiss. "
            '"The claim has no merit," the lawyer said.',
            "Holmqvist",
        ),
    ],
)
def test_quotes_the_role_noun_speaker_named_in_apposition_after_the_noun(ctx: Context, text: str, surname: str) -> None:
    q = direct_quote(analyse(ctx, text), text.split('"')[1])
    assert q.speaker_name is not None
    assert surname in q.speaker_name


def test_quotes_two_people_in_apposition_to_the_same_noun_leave_the_speaker_unnamed(ctx: Context) -> None:
    text = (
        "His lawyer, Piet Vandersloot, lodged the papers. Her lawyer, Greta Holmqvist, said she would reply. "
        '"The court must hear us," the lawyer said.'
    )
    q = direct_quote(analyse(ctx, text), "The court must")
    assert q.speaker_span is not None
    assert q.speaker_name is None
    assert q.speaker_chain is None


# --------------------------------------------------------------------------- "confirmed the appeal"


def test_quotes_a_confirmed_noun_phrase_is_not_a_quotation(ctx: Context) -> None:
    text = "The firm's lawyer, Greta Holmqvist, confirmed the appeal to reporters on Friday."
    analysis = analyse(ctx, text)
    assert [q.span.text for q in analysis.quotes if "appeal" in q.span.text] == []


def test_quotes_a_confirmed_clause_is_still_indirect_speech(ctx: Context) -> None:
    text = "The firm's lawyer, Greta Holmqvist, confirmed that the appeal had been lodged on Friday."
    found = [q for q in analyse(ctx, text).quotes if not q.direct]
    assert [q.span.text for q in found] == ["that the appeal had been lodged on Friday"]
    assert found[0].speaker_name is not None
    assert "Holmqvist" in found[0].speaker_name


def test_quotes_a_denied_noun_phrase_is_still_a_report(ctx: Context) -> None:
    text = "The shipping firm denied any role in the collision on Friday."
    found = [q for q in analyse(ctx, text).quotes if not q.direct]
    assert [q.span.text for q in found] == ["any role in the collision"]
