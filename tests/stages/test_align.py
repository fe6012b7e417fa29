"""Claims across invented articles: corroboration, contradiction rules, insertions, wording."""

from __future__ import annotations

import pytest

from storyweave.model import Article
from storyweave.pipeline import Context, analyse
from support import claim_with, make_article


def article(text: str, **kw: object) -> Article:
    return make_article(text, source=f"{abs(hash(text)) % 10**8}.txt", **kw)


def test_align_two_independent_articles_corroborate(ctx: Context) -> None:
    a = article("The river ferry sank near the Dornbridge pier on Tuesday morning.\n\nDivers searched the river.")
    b = article("A river ferry sank close to the Dornbridge pier on Tuesday.\n\nThe mayor visited the site.")
    corpus = analyse([a, b], ctx)
    claim = claim_with(corpus, "ferry sank")
    assert claim.status == "corroborated"
    assert set(claim.supported_by) == {a.id, b.id}


def test_align_same_credited_agency_counts_once(ctx: Context) -> None:
    a = article("The river ferry sank near the Dornbridge pier on Tuesday, Nordwire reported.", cites=("Nordwire",))
    b = article(
        "A river ferry sank close to the Dornbridge pier on Tuesday, according to Nordwire.", cites=("Nordwire",)
    )
    claim = claim_with(analyse([a, b], ctx), "ferry sank")
    assert claim.status == "single-source"
    assert len(claim.supported_by) == 1


@pytest.mark.parametrize(
    ("statement", "contradiction", "rule"),
    [
        (
            "The mayor of Kelton signed the harbour contract on Monday.",
            "The mayor of Kelton did not sign the harbour contract.",
            "negation",
        ),
        (
            "The Varnish Party won the regional election in Osterby.",
            "The Varnish Party lost the regional election in Osterby.",
            "antonym",
        ),
        (
            "The opposition accused the governor of rigging the provincial vote.",
            "The governor denied rigging the provincial vote.",
            "accusation-denial",
        ),
    ],
)
def test_align_contradiction_rules(ctx: Context, statement: str, contradiction: str, rule: str) -> None:
    a = article(statement + "\n\nReporters waited outside the building.")
    b = article(contradiction + "\n\nThe statement was issued late at night.")
    corpus = analyse([a, b], ctx)
    claim = next(c for c in corpus.claims if any(m.article == a.id and m.text in statement for m in c.mentions))
    assert claim.status == "contested"
    assert [s.article for s in claim.contradicted_by] == [b.id]
    assert any(e.startswith(rule) for e in claim.evidence)


def test_align_denied_existence_contradicts_the_event(ctx: Context) -> None:
    a = article("A fire destroyed the Ostvik paper mill on Friday night.\n\nThe owners promised to rebuild.")
    b = article("There was no fire at the Ostvik paper mill, the owners insisted.\n\nProduction continued.")
    corpus = analyse([a, b], ctx)
    claim = claim_with(corpus, "A fire destroyed")
    assert claim.status == "contested"
    assert any(e.startswith("existence") for e in claim.evidence)


def test_align_negated_antonym_agrees_rather_than_contradicts(ctx: Context) -> None:
    a = article("The ferry operator did not break the safety rules.")
    b = article("The ferry operator complied with the safety rules.")
    corpus = analyse([a, b], ctx)
    assert all(c.status != "contested" for c in corpus.claims)


def test_align_affirmed_antonyms_contradict(ctx: Context) -> None:
    a = article("The ferry operator broke the new safety rules.")
    b = article("The ferry operator complied with the new safety rules.")
    claim = claim_with(analyse([a, b], ctx), "broke")
    assert claim.status == "contested"
    assert any(e.startswith("antonym") for e in claim.evidence)


@pytest.mark.parametrize(
    ("first", "second", "contested"),
    [
        ("a budget of 40 million euros", "a budget of 75 million euros", True),
        ("a budget of about 40 million euros", "a budget of around 44 million euros", False),
        ("a budget of 40 million euros", "a budget of 40 million euros", False),
    ],
)
def test_align_incompatible_exact_numbers_contest_a_claim(
    ctx: Context, first: str, second: str, contested: bool
) -> None:
    a = article(f"The Lindby council approved {first} for the new tram line.\n\nWork starts in May.")
    b = article(f"The Lindby council approved {second} for the new tram line.\n\nCritics were not convinced.")
    claim = claim_with(analyse([a, b], ctx), "tram line")
    assert (claim.status == "contested") is contested
    assert any(e.startswith("number") for e in claim.evidence) is contested


@pytest.mark.parametrize(
    ("first", "second", "contested"),
    [
        ("less than 3 hours", "13 hours", True),  # the bound excludes the other figure
        ("more than 20 hours", "6 hours", True),
        ("less than 3 hours", "2 hours", False),  # within the bound
        ("about 3 hours", "3.5 hours", False),  # within the approximation
        ("at least 12 hours", "14 hours", False),
    ],
)
def test_align_qualified_numbers_clash_only_beyond_their_bounds(
    ctx: Context, first: str, second: str, contested: bool
) -> None:
    """A qualifier makes a figure a range: "less than 3" cannot be 13, "about 3" may be 3.5."""
    a = article(f"The Lindby tram line was closed for {first} on Monday.\n\nWork starts in May.")
    b = article(f"The Lindby tram line was closed for {second} on Monday.\n\nCritics were not convinced.")
    claim = claim_with(analyse([a, b], ctx), "tram line")
    assert any(e.startswith("number") for e in claim.evidence) is contested


@pytest.mark.parametrize(
    ("first", "second", "contested"),
    [
        ("extended the closure of the tram line by 12 days", "extended the closure of the tram line by 30 days", True),
        ("closed the tram line for 30 days", "extended the closure of the tram line by 12 days", False),
    ],
)
def test_align_a_change_clashes_only_with_a_change(ctx: Context, first: str, second: str, contested: bool) -> None:
    """ "By 12 days" is how much a closure grew, not how long it is: it clashes with "by 30 days",
    not with "for 30 days"."""
    a = article(f"The Lindby council {first}.\n\nWork starts in May.")
    b = article(f"The Lindby council {second}.\n\nCritics were not convinced.")
    claim = claim_with(analyse([a, b], ctx), "tram line")
    assert any(e.startswith("number") for e in claim.evidence) is contested


def test_align_unrelated_negation_is_not_a_contradiction(ctx: Context) -> None:
    a = article("The mayor of Kelton signed the harbour contract on Monday.")
    b = article("The mayor of Kelton did not attend the football final on Sunday.")
    corpus = analyse([a, b], ctx)
    assert all(c.status != "contested" for c in corpus.claims)


def test_align_inserted_comment_contradicted_by_own_body_and_other_source(ctx: Context) -> None:
    a = article(
        "Flood water reached the old town of Marrow on Friday, when the river burst its banks.\n\n"
        "Comment: The river did not burst its banks. The reports are exaggerated.\n\n"
        "Shops stayed closed on Saturday."
    )
    b = article("The river burst its banks near Marrow on Friday night.\n\nVolunteers filled sandbags.")
    corpus = analyse([a, b], ctx)
    inserted = claim_with(corpus, "did not burst")
    assert inserted.status == "contested"
    assert {s.article for s in inserted.contradicted_by} == {a.id, b.id}
    flags = [f for an in corpus.analyses for f in an.flags] + list(corpus.flags)
    assert any(f.kind == "insertion" and f.span.text.startswith("Comment:") for f in flags)


def test_align_unlabelled_contradicting_paragraph_is_an_insertion(ctx: Context) -> None:
    a = article(
        "The dam operator opened the spillway at noon, when the reservoir reached its limit.\n\n"
        "Downstream villages were warned by text message.\n\n"
        "The dam operator did not open the spillway.\n\n"
        "Engineers will inspect the dam next week."
    )
    b = article("The dam operator opened the spillway on Monday.\n\nFarmers moved their cattle to higher ground.")
    corpus = analyse([a, b], ctx)
    flagged = [f for f in corpus.flags if f.kind == "insertion"]
    assert [f.span.text for f in flagged] == ["The dam operator did not open the spillway."]
    assert "contradicted by the same article" in flagged[0].reason


def test_align_contradiction_inside_one_article_alone_flags_neither_side(ctx: Context) -> None:
    a = article(
        "The dam operator opened the spillway at noon, when the reservoir reached its limit.\n\n"
        "The dam operator did not open the spillway.\n\n"
        "Engineers will inspect the dam next week."
    )
    corpus = analyse([a], ctx)
    assert [f for f in corpus.flags if f.kind == "insertion"] == []
    assert any(c.status == "contested" for c in corpus.claims)


def test_align_is_deterministic(ctx: Context) -> None:
    a = article("The mayor of Kelton signed the harbour contract on Monday.")
    b = article("The mayor of Kelton did not sign the harbour contract.")
    first, second = analyse([a, b], ctx), analyse([b, a], ctx)
    assert [c.id for c in first.claims] == [c.id for c in second.claims]
    assert first.claims == second.claims


def test_align_wording_discrepancy_when_sources_characterise_a_statement_differently(ctx: Context) -> None:
    a = article(
        "Governor Elin Sowe said the smuggling ring involved the port director, Arne Falk.\n\n"
        "Customs officers searched three warehouses."
    )
    b = article(
        "Governor Elin Sowe said smugglers had used the harbour for months, without explicitly accusing "
        "the port director of involvement.\n\nThe harbour stayed open."
    )
    corpus = analyse([a, b], ctx)
    wording = [d for d in corpus.discrepancies if d.kind == "wording"]
    assert len(wording) == 1
    assert {s.article for s in wording[0].spans} == {a.id, b.id}
    assert any("without explicitly accusing" in s.text for s in wording[0].spans)


def test_align_no_wording_discrepancy_between_different_speakers(ctx: Context) -> None:
    a = article("Governor Elin Sowe said the smuggling ring involved the port director, Arne Falk.")
    b = article(
        "Mayor Tobias Renn said smugglers had used the harbour, without accusing the port director of involvement."
    )
    corpus = analyse([a, b], ctx)
    assert [d for d in corpus.discrepancies if d.kind == "wording"] == []


# --------------------------------------------------------------------------- common-noun participants

FERRY_BODY = (
    "Divers searched the bay off Marrow Point, where a ferry that sank on June 2 was carrying about 90 passengers.\n\n"
    "Editor's note: The ferry did not sink. It ran aground safely near the pier.\n\n"
    "The harbour master said an inquiry would begin next week."
)
FERRY_NAMED = (
    "The Sellis Star was a passenger ferry that capsized and sank on June 2 off Marrow Point.\n\n"
    "The coast guard said the weather had been calm."
)


def test_align_relative_clause_antecedent_is_the_subject_it_contradicts(ctx: Context) -> None:
    a = article(FERRY_BODY, published="2025-06-04")
    corpus = analyse([a], ctx)
    denial = claim_with(corpus, "The ferry did not sink")
    assert denial.status == "contested"
    assert any("a ferry that sank" in s.text for s in denial.contradicted_by)


def test_align_copular_classification_matches_the_common_noun(ctx: Context) -> None:
    """'The Sellis Star was a passenger ferry that ... sank' is about 'the ferry' elsewhere."""
    a = article(FERRY_BODY, published="2025-06-04")
    b = article(FERRY_NAMED, published="2025-06-03")
    corpus = analyse([a, b], ctx)
    denial = claim_with(corpus, "The ferry did not sink")
    assert {s.article for s in denial.contradicted_by} == {a.id, b.id}
    named = [s for s in denial.contradicted_by if s.article == b.id]
    assert any("sank" in s.text for s in named)  # the second coordinated verb, compared on its own


def test_align_different_kind_of_thing_does_not_contradict(ctx: Context) -> None:
    a = article("The Sellis Star was a cargo barge that sank on June 2 off Marrow Point.")
    b = article("The ferry did not sink. It ran aground safely near the pier on June 2.")
    corpus = analyse([a, b], ctx)
    assert all(c.status != "contested" for c in corpus.claims)


def test_align_evidence_is_readable_with_its_kind_first(ctx: Context) -> None:
    a = article("The mayor of Kelton signed the harbour contract on Monday.", title="Kelton signs harbour deal")
    b = article("The mayor of Kelton did not sign the harbour contract.", title="No deal in Kelton")
    claim = claim_with(analyse([a, b], ctx), "did not sign")
    (evidence,) = claim.evidence
    assert evidence.startswith("negation: 'The mayor of Kelton signed the harbour contract")
    assert evidence.endswith("(article 'Kelton signs harbour deal')")


def test_align_contradicting_copies_count_once(ctx: Context) -> None:
    statement = "The mayor of Kelton signed the harbour contract on Monday.\n\nThe council met on Friday."
    copies = [article(f"{statement}\n\nArchive copy {i}.") for i in range(8)]
    denial = article("The mayor of Kelton did not sign the harbour contract.\n\nThe port stayed closed.")
    claim = claim_with(analyse([*copies, denial], ctx), "did not sign")
    assert claim.status == "contested"
    assert len(claim.evidence) == 1
    assert "7 copies" in claim.evidence[0]
    assert len(claim.contradicted_by) == 1


def test_align_unlabelled_aside_in_republished_copies_is_still_an_insertion(ctx: Context) -> None:
    """Copies of one article do not corroborate its aside: sources are counted by original."""
    body = (
        "The dam operator opened the spillway at noon, when the reservoir reached its limit.\n\n"
        "Downstream villages were warned by text message.\n\n"
        "The dam operator did not open the spillway.\n\n"
        "Engineers will inspect the dam next week."
    )
    copies = [article(f"{body}\n\nArchive copy {i}.") for i in range(3)]
    b = article("The dam operator opened the spillway on Monday.\n\nFarmers moved their cattle to higher ground.")
    corpus = analyse([*copies, b], ctx)
    flagged = {f.span.article for f in corpus.flags if f.kind == "insertion" and "did not open" in f.span.text}
    assert flagged == {c.id for c in copies}


@pytest.mark.parametrize(
    ("published", "contested"),
    [
        (("2026-05-04", "2026-05-07"), False),  # the later report of a risen count updates the earlier
        (("2026-05-07", "2026-05-04"), True),  # the "rise" is the older report
        ((None, None), True),  # undated: the order cannot be told
    ],
)
def test_align_a_later_rise_is_an_update_not_a_clash(
    ctx: Context, published: tuple[str | None, str | None], contested: bool
) -> None:
    a = article(
        "The death toll from the landslide at the Kerrow quarry rose to 7, officials said.\n\nWork stopped.",
        published=published[0],
    )
    b = article(
        "The death toll from the landslide at the Kerrow quarry rose to 10, officials said.\n\nRoads were shut.",
        published=published[1],
    )
    claim = claim_with(analyse([a, b], ctx), "death toll")
    assert any(e.startswith("number") for e in claim.evidence) is contested


@pytest.mark.parametrize(
    ("published", "contested"),
    [
        (("2026-05-04", "2026-05-07"), False),  # the later report gives the count as it now stands
        ((None, None), True),  # undated: the order cannot be told
    ],
)
def test_align_a_later_count_given_as_now_is_an_update(
    ctx: Context, published: tuple[str | None, str | None], contested: bool
) -> None:
    a = article(
        "The Kerrow inquiry has received 120 complaints about the quarry, officials said.\n\nWork stopped.",
        published=published[0],
    )
    b = article(
        "The Kerrow inquiry has now received more than 300 complaints about the quarry, officials said."
        "\n\nRoads were shut.",
        published=published[1],
    )
    claim = claim_with(analyse([a, b], ctx), "complaints")
    assert any(e.startswith("number") for e in claim.evidence) is contested


@pytest.mark.parametrize(
    ("second", "contested"),
    [
        ("Tomas Brekke had started his shift less than 3 hours before the crash, the inspectors said.", True),
        ("Tomas Brekke had started his shift about 12 hours before the crash, the inspectors said.", False),
        ("Ingrid Vale had started her shift less than 3 hours before the crash, the inspectors said.", False),
    ],
)
def test_align_one_subjects_durations_clash_across_wordings(ctx: Context, second: str, contested: bool) -> None:
    """How long one named person had been at work, told two ways, clashes when the bounds exclude
    each other; another person's shift says nothing of his."""
    a = article(
        "Tomas Brekke had been at the wheel for 13 hours without a break, the inspectors said.\n\nThe road reopened."
    )
    b = article(f"{second}\n\nThe bus company declined to comment.")
    claim = claim_with(analyse([a, b], ctx), "at the wheel")
    assert any(e.startswith("number") for e in claim.evidence) is contested
