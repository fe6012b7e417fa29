"""The claims stage on invented sentences: clause splitting, polarity, hedging, attribution, flags."""

from __future__ import annotations

import pytest

from storyweave.model import ArticleAnalysis, ClaimMention
from storyweave.pipeline import Context, new_analysis, run_article_stages
from support import make_article


def analyse(ctx: Context, text: str) -> ArticleAnalysis:
    """Every article stage on the real parse (claims needs sentences, mentions and quotes)."""
    return run_article_stages(new_analysis(make_article(text)), ctx)


def main_claims(analysis: ArticleAnalysis) -> list[ClaimMention]:
    return [c for c in analysis.claims if c.clause == "main"]


def test_claims_split_coordinated_main_clauses(ctx: Context) -> None:
    a = analyse(ctx, "The harbour authority closed the port and the ferry company cancelled all crossings.")
    texts = [c.text for c in main_claims(a)]
    assert texts == ["The harbour authority closed the port", "the ferry company cancelled all crossings"]
    assert [c.predicate for c in main_claims(a)] == ["close", "cancel"]


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("The mayor did not sign the new water contract.", True),
        ("The council had no plans to raise the harbour fees.", True),
        ("The minister denied that the agency leaked the audit report.", True),
        ("Nobody saw the driver leave the depot that night.", True),
        ("The mayor signed the new water contract on Monday.", False),
        ("The festival never returned to the old market square.", True),
    ],
)
def test_claims_negation_from_dependencies_and_lexicon(ctx: Context, sentence: str, negated: bool) -> None:
    (claim,) = main_claims(analyse(ctx, sentence))
    assert claim.negated is negated


@pytest.mark.parametrize(
    ("sentence", "hedged"),
    [
        ("The fire may have started in the bakery kitchen.", True),
        ("The suspect allegedly stole two paintings from the gallery.", True),
        ("The bridge could reopen before the winter holidays.", True),
        ("The fire started in the bakery kitchen on Sunday.", False),
        ("The fire started in the bakery kitchen on May 4.", False),
    ],
)
def test_claims_hedges_and_modality(ctx: Context, sentence: str, hedged: bool) -> None:
    (claim,) = main_claims(analyse(ctx, sentence))
    assert claim.hedged is hedged


@pytest.mark.parametrize(
    ("sentence", "attributed"),
    [
        ('"We will rebuild the bridge within a year," the governor told reporters.', True),
        ("According to the police, the driver fled the scene on foot.", True),
        ("The regional governor said the bridge would be rebuilt within a year.", True),
        ("The bridge collapsed shortly after midnight on Tuesday.", False),
    ],
)
def test_claims_attribution(ctx: Context, sentence: str, attributed: bool) -> None:
    claims = main_claims(analyse(ctx, sentence))
    assert claims
    assert claims[0].attributed is attributed


def test_claims_reported_content_is_the_claim_and_denial_flips_it(ctx: Context) -> None:
    (claim,) = main_claims(analyse(ctx, "The shipping firm denied that its tanker leaked oil into the bay."))
    assert claim.cue == "deny"
    assert claim.predicate == "leak"
    assert claim.negated
    assert claim.attributed
    assert not claim.cue_negated


def test_claims_negated_accusation_is_a_negated_report_not_a_negated_fact(ctx: Context) -> None:
    (claim,) = main_claims(analyse(ctx, "The coach did not accuse the referee of bias after the match."))
    assert claim.cue == "accuse"
    assert claim.cue_negated


def test_claims_passive_arguments_are_turned_round(ctx: Context) -> None:
    (claim,) = main_claims(analyse(ctx, "The old mill was bought by a local brewery in 2019."))
    assert claim.predicate == "buy"
    assert claim.subject == "a local brewery"
    assert claim.obj == "The old mill"


def test_claims_passive_subject_the_parser_hangs_on_the_auxiliary(ctx: Context) -> None:
    """In "said that the lock gates were never closed" the parser may attach "gates" to "were":
    the subject is still the gates, not the board that said it."""
    a = analyse(
        ctx, "The board said on Sunday that the lock gates were never closed and that the quays flooded by chance."
    )
    (claim,) = [c for c in main_claims(a) if c.predicate == "close"]
    assert claim.subject == "the lock gates"
    assert claim.negated


def test_claims_temporal_clause_is_an_embedded_claim(ctx: Context) -> None:
    a = analyse(ctx, "Bread prices doubled in 2019, when the company closed its last mill.")
    embedded = [c for c in a.claims if c.clause == "embedded"]
    assert [c.text for c in embedded] == ["when the company closed its last mill"]
    assert embedded[0].core == "the company close its last mill"


def test_claims_pronoun_in_second_conjunct_points_back_to_the_object(ctx: Context) -> None:
    a = analyse(ctx, "In 2011, rebel fighters entered the valley and it was later annexed by the northern province.")
    second = main_claims(a)[1]
    assert second.obj == "the valley"
    assert second.subject == "the northern province"


@pytest.mark.parametrize(
    "text",
    [
        "Who started the fire at the bakery?",
        "== Background ==",
        "Fire at bakery",
    ],
)
def test_claims_skip_questions_headings_and_fragments(ctx: Context, text: str) -> None:
    assert analyse(ctx, text).claims == ()


def test_claims_spans_are_slices_of_the_text(ctx: Context) -> None:
    text = (
        "Dock workers ended their strike on Friday, and the port reopened on Saturday.\n\n"
        "The union said wages would rise."
    )
    a = analyse(ctx, text)
    assert a.claims
    for c in a.claims:
        assert text[c.span.start : c.span.end] == c.span.text == c.text


STORY_WITH_COMMENT = (
    "The storm flooded the lower town of Brennick on Sunday.\n\n"
    "Rescue teams evacuated 120 residents from the riverside streets, the fire service said.\n\n"
    "Comment: The storm did not flood the lower town. Residents exaggerated the damage.\n\n"
    "The council will meet on Thursday to discuss repairs "
    "[the meeting was moved from Wednesday after a request from traders].\n"
)


def test_claims_flag_labelled_comment_paragraph_and_bracketed_aside(ctx: Context) -> None:
    a = analyse(ctx, STORY_WITH_COMMENT)
    insertions = [f for f in a.flags if f.kind == "insertion"]
    texts = [f.span.text for f in insertions]
    assert "Comment: The storm did not flood the lower town. Residents exaggerated the damage." in texts
    assert any(t.startswith("[the meeting was moved") and t.endswith("traders]") for t in texts)
    assert all("rescue teams" not in t.lower() for t in texts)


def test_claims_flag_unattributed_opinion_but_not_quoted_opinion(ctx: Context) -> None:
    text = (
        "The council approved the new parking fees on Monday.\n\n"
        "This shameful decision will punish the town's poorest drivers.\n\n"
        '"It is a disgraceful decision," said shopkeeper Lena Morrow.\n'
    )
    a = analyse(ctx, text)
    opinions = [f.span.text for f in a.flags if f.kind == "opinion"]
    assert opinions == ["This shameful decision will punish the town's poorest drivers."]


def test_claims_flag_first_person_voice_break(ctx: Context) -> None:
    text = (
        "The regional court delayed the trial of the former port director until May.\n\n"
        "Prosecutors say the director accepted payments from two shipping firms.\n\n"
        "The director's lawyers said the payments were consulting fees.\n\n"
        "The court will hear the first witnesses in the spring.\n\n"
        "In our view, the delay is a gift to the defence and we expect more of the same.\n"
    )
    a = analyse(ctx, text)
    insertions = [f for f in a.flags if f.kind == "insertion"]
    assert [f.span.text for f in insertions] == [
        "In our view, the delay is a gift to the defence and we expect more of the same."
    ]


@pytest.mark.parametrize(
    ("sentence", "clause_text", "subject"),
    [
        ("Divers reached the bay where a ferry that sank on June 2 lay.", "a ferry that sank on June 2", "a ferry"),
        ("Officials inspected the plant, which closed in March.", "the plant, which closed in March", "the plant"),
        (
            "The Sellis Star was a cargo ship that caught fire off the coast.",
            "a cargo ship that caught fire off the coast",
            "The Sellis Star was a cargo ship",
        ),
    ],
)
def test_claims_relative_clause_antecedent_is_its_subject(
    ctx: Context, sentence: str, clause_text: str, subject: str
) -> None:
    claims = analyse(ctx, sentence).claims
    found = [c for c in claims if c.clause == "embedded" and c.text == clause_text]
    assert found, [(c.clause, c.text) for c in claims]
    assert found[0].subject == subject.replace(" was ", " ")


def test_claims_relative_clause_with_its_own_subject_is_not_about_the_antecedent(ctx: Context) -> None:
    claims = analyse(ctx, "Police found the car that the suspects had stolen in May.").claims
    assert not [c for c in claims if c.clause == "embedded" and c.subject == "the car"]


def test_claims_it_after_a_place_phrase_is_the_named_thing(ctx: Context) -> None:
    """ "on board the X when it sank": "it" is X, not the preposition or "board"."""
    claims = analyse(ctx, "Up to 90 passengers may have been on board the Sellis Star when it sank in June.").claims
    sank = [c for c in claims if c.predicate == "sink"]
    assert sank
    assert sank[0].subject == "the Sellis Star"
