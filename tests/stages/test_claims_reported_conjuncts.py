"""Reported content with coordinated verbs: each verb is a claim of its own, so a negated second
verb ("... and would not appeal") meets the source that reports the opposite."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, analyse, new_analysis, run_article_stages
from support import make_article


def analysed(ctx: Context, text: str) -> ArticleAnalysis:
    return run_article_stages(new_analysis(make_article(text)), ctx)


def test_claims_split_coordinated_verbs_of_reported_content(ctx: Context) -> None:
    analysis = analysed(ctx, "Her agent, Tomas Verell, said his client accepted the ruling and would not resign.")
    second = [m for m in analysis.claims if m.text == "would not resign"]
    assert len(second) == 1, [m.text for m in analysis.claims]
    m = second[0]
    assert m.negated
    assert m.attributed
    assert m.clause == "embedded"
    assert m.speaker_span is not None
    assert "Verell" in m.speaker_span.text


def test_claims_unreported_coordination_is_not_split_again(ctx: Context) -> None:
    analysis = analysed(ctx, "The ferry left the harbour at noon and reached the island by dusk.")
    assert not any(m.clause == "embedded" and m.text.startswith("reached") for m in analysis.claims)


def test_negated_reported_conjunct_contests_the_opposite_report(ctx: Context) -> None:
    a = make_article(
        "The Orlin council voted on the budget on Monday.\n\n"
        "The mayor's spokesman, Ivo Brenn, said the mayor would resign over the vote.",
        source="a.txt",
    )
    b = make_article(
        "The Orlin council voted on the budget on Monday.\n\n"
        "The mayor's spokesman, Ivo Brenn, said the mayor accepted the result and would not resign.",
        source="b.txt",
    )
    corpus = analyse([a, b], ctx)
    found = [c for c in corpus.claims if any(m.text == "would not resign" for m in c.mentions)]
    assert len(found) == 1
    claim = found[0]
    assert claim.status == "contested"
    assert any(s.article == a.id and "would resign" in s.text for s in claim.contradicted_by)
