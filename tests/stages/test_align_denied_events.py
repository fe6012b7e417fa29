"""A denied event against the accounts it takes part in, on an invented mill fire (tests/data/denial/).

"The fire never happened" (or "was fabricated", "was a hoax") contests every account in which the
fire does something or has something done to it; a denial of a circumstance, a plan that was called
off, a hedged or pending denial, or an injury that did not happen in the fire contests nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.model import Article, Claim, Corpus
from storyweave.pipeline import Context, analyse, new_analysis, run_article_stages
from storyweave.relate.facts import denied_event
from support import ROOT, claim_with, make_article

STORY = ROOT / "tests" / "data" / "denial"
FILES = ("d1_gazette.txt", "d2_wire.txt", "d3_radio.txt")


def story(insert: str | None = None, into: str = "d3_radio.txt", at: int = 2) -> list[Article]:
    """The three reports, with ``insert`` added as paragraph ``at`` of ``into``."""
    out = []
    for name in FILES:
        text = (STORY / name).read_text(encoding="utf-8")
        if insert is not None and name == into:
            paragraphs = text.split("\n\n")
            text = "\n\n".join([*paragraphs[:at], insert, *paragraphs[at:]])
        out.append(make_article(text, source=name, title=Path(name).stem))
    return out


def contested_by_denial(corpus: Corpus) -> list[Claim]:
    return [c for c in corpus.claims if c.status == "contested" and any(e.startswith("existence") for e in c.evidence)]


def event_of(ctx: Context, sentence: str) -> str | None:
    analysis = run_article_stages(new_analysis(make_article(sentence)), ctx)
    found = [d for m in analysis.claims if m.clause == "main" and (d := denied_event(m)) is not None]
    return found[0][0] if found else None


@pytest.mark.parametrize(
    ("sentence", "event"),
    [
        ("The breach never happened.", "breach"),
        ("No such meeting occurred.", "meeting"),
        ("The attack did not take place.", "attack"),
        ("There was no explosion.", "explosion"),
        ("Officials said the raid never happened.", "raid"),
        ("The government denied that the attack took place.", "attack"),
        ("The strike was invented.", "strike"),
        ("The strike was made up by the union.", "strike"),
        ("The owner faked the fire.", "fire"),
        ("The attack was a hoax.", "attack"),
        # what the denial does not cover, or no event at all
        ("The meeting did not take place on Monday but on Tuesday.", None),
        ("The match did not take place as planned.", None),
        ("The attack may never have happened.", None),
        ("The hearing has not taken place yet.", None),
        ("The vote will not take place.", None),
        ("The meeting won't take place.", None),
        ("The protest was staged outside parliament.", None),
        ("No further attacks took place.", None),
        ("A second explosion never happened.", None),
        ("It never happened.", None),
        ("Nothing happened.", None),
        ("No one was hurt in the fire.", None),
        ("Women make up half of the workforce at the plant.", None),
        ("The union invented a new way to count votes.", None),
        ("The breach was not invented.", None),
    ],
)
def test_denied_event_reads_the_event_word(ctx: Context, sentence: str, event: str | None) -> None:
    assert event_of(ctx, sentence) == event


def test_unedited_story_has_no_denied_event(ctx: Context) -> None:
    """ "No one was hurt in the fire" and "the meeting did not take place on Monday but on Tuesday"
    stand beside "a fire destroyed the mill" and "union leaders met the owner on Tuesday"."""
    corpus = analyse(story(), ctx)
    assert contested_by_denial(corpus) == []
    assert claim_with(corpus, "destroyed the Varrow Textiles mill").status != "contested"


@pytest.mark.parametrize(
    "denial",
    [
        "The fire never happened.",
        "No such fire occurred.",
        "The fire did not take place.",
        "The fire was fabricated.",
        "The fire was a hoax.",
        "The owner faked the fire to collect the insurance.",
    ],
)
def test_denied_event_contests_the_accounts_it_takes_part_in(ctx: Context, denial: str) -> None:
    articles = story(denial)
    corpus = analyse(articles, ctx)
    radio = next(a.id for a in articles if a.source == "d3_radio.txt")
    denied = claim_with(corpus, denial.rstrip("."))
    assert denied.status == "contested"
    assert any(e.startswith("existence") for e in denied.evidence)
    # the fire as subject in another report, and as object of a preposition in a third
    for fragment in ("fire broke out in a storage hall", "destroyed the Varrow Textiles mill"):
        claim = claim_with(corpus, fragment)
        assert claim.status == "contested", fragment
        assert any(s.article == radio and denial.rstrip(".") in s.text for s in claim.contradicted_by)


def test_denied_event_is_not_the_same_claim_as_an_injury_that_did_not_happen(ctx: Context) -> None:
    corpus = analyse(story("The fire never happened."), ctx)
    hurt = claim_with(corpus, "No one was hurt in the fire")
    assert not any("never happened" in m.text for m in hurt.mentions)
    assert hurt.status != "contested"


def test_unlabelled_denial_breaking_from_its_report_is_an_insertion(ctx: Context) -> None:
    articles = story("The fire never happened.")
    corpus = analyse(articles, ctx)
    radio = next(a.id for a in articles if a.source == "d3_radio.txt")
    flags = [f for f in corpus.flags if f.kind == "insertion" and f.span.article == radio]
    assert [f.span.text for f in flags] == ["The fire never happened."]


@pytest.mark.parametrize(
    "sentence",
    [
        "The strike did not take place.",  # d2 reports the planned strike called off
        "The meeting did not take place.",  # d1's own denial is of Monday only; d2 has them meet
        "The fire may never have happened.",
        "It never happened.",
        "The fire at the mill did not take place on Saturday.",
    ],
)
def test_denials_that_do_not_oppose_the_coverage(ctx: Context, sentence: str) -> None:
    corpus = analyse(story(sentence), ctx)
    assert contested_by_denial(corpus) == []


def test_denial_and_account_in_one_paragraph_are_not_set_against_each_other(ctx: Context) -> None:
    """A paragraph that denies one event and tells another of the same kind tells them apart
    itself; only another paragraph or article is evidence against a denial."""
    text = "The warehouse fire never happened, the fire service said. The fire at the port destroyed two sheds."
    corpus = analyse([make_article(text)], ctx)
    assert contested_by_denial(corpus) == []


def test_denied_event_matches_the_head_word_not_a_modifier(ctx: Context) -> None:
    """ "The fire never happened" says nothing of "fire safety rules"."""
    a = make_article("The fire never happened.\n\nThe owner has always followed the regional code.")
    b = make_article("Inspectors said the owner had broken fire safety rules at the mill in Stellbridge.")
    corpus = analyse([a, b], ctx)
    assert contested_by_denial(corpus) == []


@pytest.mark.parametrize(
    ("denial", "account", "contested"),
    [
        ("The attack never happened.", "The minister condemned the attack on the depot.", True),
        ("No such meeting occurred.", "Minutes of the meeting were published on Friday.", True),
        ("The raid was a hoax.", "The raid left two officers injured.", True),
        ("The attack did not take place.", "Prices rose after the attack on the pipeline.", True),
        ("The breach never happened.", "Hackers stole data in the breach, the bank said.", True),
        ("The attack never happened.", "Police arrived at the scene of the attack within minutes.", True),
        # the event acts: "block" stops other things, not the landslide
        ("The landslide never happened.", "A landslide blocked the railway line near Eskby.", True),
        # accounts that speak of the event without saying it happened
        ("The concert never happened.", "Organisers cancelled the concert at the last minute.", False),
        ("The summit did not take place.", "The summit was postponed until June.", False),
        ("The march did not take place.", "Police blocked the march at the bridge.", False),
        ("The raid never happened.", "Reports of the raid spread quickly online.", False),
        ("The protest did not take place.", "Police braced for the protest in the city centre.", False),
        ("The merger never happened.", "Shareholders approved the merger in March.", False),
        ("The meeting did not take place.", "Officials said the meeting would discuss the budget.", False),
        ("No further attacks took place.", "The attack on the depot killed three guards.", False),
    ],
)
def test_denied_event_against_one_account(ctx: Context, denial: str, account: str, contested: bool) -> None:
    corpus = analyse([make_article(denial), make_article(account)], ctx)
    assert bool(contested_by_denial(corpus)) == contested


def test_denied_event_matches_by_entity_when_the_words_differ(ctx: Context) -> None:
    """The denied authority is the entity that "NDA inspectors" names, though no word is shared."""
    denial = make_article("The National Data Authority never existed.")
    account = make_article(
        "The National Data Authority (NDA) opened an inquiry.\n\nNDA inspectors visited the bank on Tuesday."
    )
    corpus = analyse([denial, account], ctx)
    claim = claim_with(corpus, "NDA inspectors visited the bank")
    assert claim.status == "contested"
    assert any("never existed" in s.text for s in claim.contradicted_by)
