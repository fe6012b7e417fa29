"""The relation judgement by class of wording, each class with several paraphrases on invented
events: opposition in other words, denials and debunks, zero counts against a count, and plain
agreement. Each case is two short articles analysed together; the assertion is on the claim that
holds the first article's sentence."""

from __future__ import annotations

import pytest

from storyweave.model import Claim, Corpus
from storyweave.pipeline import Context, analyse
from support import make_article

FILLER_A = "Officials gave no further details."
FILLER_B = "The statement was issued late at night."


def _pair(ctx: Context, first: str, second: str) -> tuple[Corpus, str, str]:
    a = make_article(f"{first}\n\n{FILLER_A}", source="a.txt")
    b = make_article(f"{second}\n\n{FILLER_B}", source="b.txt")
    return analyse([a, b], ctx), a.id, b.id


def _claim_of(corpus: Corpus, article: str, text: str) -> Claim:
    found = [c for c in corpus.claims if any(s.article == article and s.text in text for s in c.mentions)]
    assert found, [c.text for c in corpus.claims]
    return found[0]


def _relation(ctx: Context, first: str, second: str) -> tuple[str, tuple[str, ...]]:
    """The status of the first sentence's claim and its evidence, once the second is read."""
    corpus, a, _ = _pair(ctx, first, second)
    claim = _claim_of(corpus, a, first)
    return claim.status, claim.evidence


OPPOSITE_STATES = [
    ("The company closed its glass factory on Monday.", "The company kept its glass factory open on Monday."),
    ("The bridge remains open to traffic.", "The bridge was closed to traffic."),
    ("The Harlow museum stayed open during the strike.", "The Harlow museum was shut during the strike."),
    ("The council kept the Elm Street library open.", "The council closed the Elm Street library."),
    ("All 40 passengers on board survived the crash.", "Three passengers died in the crash."),
]


@pytest.mark.parametrize(("first", "second"), OPPOSITE_STATES)
def test_opposite_predicates_or_states_contest_and_never_corroborate(ctx: Context, first: str, second: str) -> None:
    status, evidence = _relation(ctx, first, second)
    assert status == "contested", (status, evidence)


DEBUNKED = [
    ("The mayor of Kelby resigned on Tuesday.", "Reports that the mayor of Kelby resigned are false."),
    ("The Orran plant closed last week.", "Claims that the Orran plant closed are baseless, its owner said."),
    ("The ministry leaked the budget report.", "The minister denied that the ministry had leaked the budget report."),
    ("The ministry leaked the budget report.", "The ministry dismissed reports that it had leaked the budget report."),
    ("The striker signed for Dunmore on Friday.", "Reports that the striker had signed for Dunmore are untrue."),
]


@pytest.mark.parametrize(("first", "second"), DEBUNKED)
def test_a_denied_or_debunked_report_contests_what_it_reports(ctx: Context, first: str, second: str) -> None:
    status, evidence = _relation(ctx, first, second)
    assert status == "contested", (status, evidence)
    assert not any(e.startswith("paraphrase") for e in evidence)


@pytest.mark.parametrize(("first", "second"), DEBUNKED)
def test_a_denial_never_supports_what_it_denies(ctx: Context, first: str, second: str) -> None:
    corpus, a, b = _pair(ctx, first, second)
    claim = _claim_of(corpus, a, first)
    assert b not in claim.supported_by


ZERO_AGAINST_COUNT = [
    ("The storm killed four people in Ardel.", "No deaths were reported after the storm in Ardel."),
    ("The blast at the depot injured 12 workers.", "Nobody was hurt in the blast at the depot."),
    ("Three passengers died when the ferry capsized.", "Everyone on board survived when the ferry capsized."),
    ("Two people were killed in the avalanche.", "No one was killed in the avalanche."),
    ("The fire killed six residents.", "There were no casualties in the fire."),
]


@pytest.mark.parametrize(("first", "second"), ZERO_AGAINST_COUNT)
def test_a_zero_count_contests_a_count_of_the_same_fate(ctx: Context, first: str, second: str) -> None:
    status, evidence = _relation(ctx, first, second)
    assert status == "contested", (status, evidence)
    assert any(e.startswith("count") for e in evidence), evidence


ZERO_APART = [
    ("The storm killed four people in Ardel.", "No flights were cancelled after the storm in Ardel."),
    ("The blast at the depot injured 12 workers.", "Nobody was hurt in the second blast at the depot."),
]


@pytest.mark.parametrize(("first", "second"), ZERO_APART)
def test_a_zero_count_of_something_else_contests_nothing(ctx: Context, first: str, second: str) -> None:
    _, evidence = _relation(ctx, first, second)
    assert not any(e.startswith("count") for e in evidence), evidence


AGREEMENT = [
    ("The Harlow museum reopened on Friday.", "The Harlow museum opened its doors again on Friday."),
    ("The ferry sank near the Dornbridge pier.", "A ferry went down near the Dornbridge pier."),
    ("Police arrested the Kelby mayor on Monday.", "The Kelby mayor was arrested by police on Monday."),
]


@pytest.mark.parametrize(("first", "second"), AGREEMENT)
def test_plain_agreement_in_other_words_is_not_contested(ctx: Context, first: str, second: str) -> None:
    status, evidence = _relation(ctx, first, second)
    assert status != "contested", evidence


def test_each_article_has_the_stance_check_would_give(ctx: Context) -> None:
    """The claims x sources matrix speaks as `storyweave check` does: an article that states the
    claim supports it, one that only reports someone saying it discusses it, one that holds only
    an opposing span contradicts it."""
    states = make_article("The Harlow council closed the Elm Street library on Monday.\n\nStaff moved.", source="a")
    reports = make_article(
        "The Harlow council closed the Elm Street library on Monday, a union official said.\n\nNo date was set.",
        source="b",
    )
    opposes = make_article("The Harlow council kept the Elm Street library open on Monday.\n\nIt was busy.", source="c")
    corpus = analyse([states, reports, opposes], ctx)
    claim = _claim_of(corpus, states.id, "The Harlow council closed the Elm Street library on Monday")
    stances = dict(claim.stances)
    assert stances[states.id] == "supports"
    assert stances[reports.id] == "discusses"
    assert stances[opposes.id] == "contradicts"
