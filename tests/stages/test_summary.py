"""Timeline (dated events in order, merged across articles) and the cited extractive brief."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storyweave.model import ArticleAnalysis, Claim, ClaimMention, Corpus, Quote, Republication, Span
from storyweave.pipeline import Context, new_analysis, run_article_stages
from storyweave.stages.clean import clean
from storyweave.stages.dates import dates, dates_across_articles
from storyweave.stages.numbers import numbers
from storyweave.stages.numeric_discrepancies import numeric_discrepancies_stage
from storyweave.stages.segment import segment
from storyweave.stages.summary import brief, timeline, trim_around
from support import make_article


def analysed(ctx: Context, text: str, *, published: str | None = None, source: str = "test.txt") -> ArticleAnalysis:
    analysis = replace(new_analysis(make_article(text, published=published, source=source)), doc=ctx.nlp(text))
    return replace(dates(numbers(segment(clean(analysis, ctx), ctx), ctx), ctx), doc=None)


def corpus_of(ctx: Context, *texts: str) -> Corpus:
    analyses = [analysed(ctx, t, source=f"a{i}.txt") for i, t in enumerate(texts)]
    return Corpus(analyses=tuple(sorted(analyses, key=lambda a: a.id)))


FIRST = (
    "The Kessel dam was completed in May 2009. "
    "On April 2, 2024, engineers found a crack in the Kessel dam wall. "
    "Villages below the dam were evacuated on April 4, 2024."
)
SECOND = (
    "Engineers discovered a crack in the wall of the Kessel dam on April 2, 2024, the water board said. "
    "The reservoir will be drained by the end of the year."
)


def test_timeline_orders_dated_events_and_merges_the_same_event(ctx: Context) -> None:
    corpus = timeline(dates_across_articles(corpus_of(ctx, SECOND, FIRST), ctx), ctx)
    assert [t.date for t in corpus.timeline] == ["2009-05-01/2009-05-31", "2024-04-02", "2024-04-04"]
    crack = corpus.timeline[1]
    assert len(crack.articles) == 2  # both articles report the crack on April 2
    assert "crack" in crack.text
    for entry in corpus.timeline:
        for span in entry.spans:
            assert corpus.analysis(span.article).article.text[span.start : span.end] == span.text


def test_timeline_keeps_different_events_on_one_date_apart(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "On April 2, 2024, engineers found a crack in the Kessel dam wall.",
        "On April 2, 2024, the city orchestra played its final concert of the season.",
    )
    entries = timeline(corpus, ctx).timeline
    assert [len(t.articles) for t in entries] == [1, 1]
    assert [t.text for t in entries] == sorted(t.text for t in entries)


def test_timeline_skips_open_dates(ctx: Context) -> None:
    corpus = corpus_of(ctx, "The dam cracked on Friday, engineers said.")
    assert timeline(corpus, ctx).timeline == ()


def test_trim_around_cuts_long_sentences_at_clauses_and_keeps_the_date() -> None:
    text = (
        "After weeks of rain that filled the reservoir to its highest level in a decade, "
        "engineers inspecting the northern face found a crack on April 2, 2024; "
        "the water board then ordered the villages below the dam to prepare for an evacuation "
        "that could last for many weeks."
    )
    start = text.index("April")
    short = trim_around(text, start, start + len("April 2, 2024"), 120)
    assert "April 2, 2024" in short
    assert len(short) <= 130
    assert short.startswith("… ")  # the cut is marked, nothing is rewritten
    assert short.strip("… ") in " ".join(text.split())


def _span_of(corpus: Corpus, piece: str) -> Span:
    analysis = next(a for a in corpus.analyses if piece in a.article.text)
    start = analysis.article.text.index(piece)
    return analysis.span(start, start + len(piece))


def _claim(corpus: Corpus, status: str, *pieces: str) -> Claim:
    spans = [_span_of(corpus, piece) for piece in pieces]
    return Claim(
        id=f"c-{status}-{len(spans)}-{spans[0].start}",
        text=spans[0].text,
        mentions=tuple(spans),
        status=status,  # type: ignore[arg-type]
        supported_by=tuple(sorted({s.article for s in spans})),
    )


def test_brief_cites_corroborated_claims_first_then_disputes_and_figures(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Engineers found a crack in the Kessel dam wall. About 400 residents were evacuated from the valley.",
        "A crack was found in the Kessel dam wall by engineers. As many as 900 residents were evacuated from the dale.",
        "Engineers found a crack in the wall of the Kessel dam. The mayor opened a new library on the square.",
    )
    corpus = numeric_discrepancies_stage(corpus, ctx)
    wide = _claim(
        corpus,
        "corroborated",
        "Engineers found a crack in the Kessel dam wall.",
        "A crack was found in the Kessel dam wall by engineers.",
        "Engineers found a crack in the wall of the Kessel dam.",
    )
    library = _claim(corpus, "single-source", "The mayor opened a new library on the square.")
    disputed = _claim(corpus, "contested", "About 400 residents were evacuated from the valley.")
    opposing = _span_of(corpus, "As many as 900 residents were evacuated from the dale.")
    disputed = replace(disputed, contradicted_by=(opposing,))
    result = brief(replace(corpus, claims=(library, disputed, wide)), ctx).brief
    assert 3 <= len(result) <= 7
    assert result[0].text == wide.text
    assert result[0].cites == wide.supported_by
    assert set(result[0].spans) == set(wide.mentions)
    assert any(b.text.startswith("Disputed:") for b in result)
    figures = [b for b in result if b.text.startswith("Figures differ")]
    assert len(figures) == 1
    assert "About 400 residents" in figures[0].text
    assert "As many as 900 residents" in figures[0].text
    every_article = {a.id for a in corpus.analyses}
    for b in result:
        assert b.cites
        assert set(b.cites) <= every_article
        for span in b.spans:
            assert isinstance(span, Span)
            assert corpus.analysis(span.article).article.text[span.start : span.end] == span.text


def test_brief_is_extractive_without_aligned_claims(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "Engineers found a crack in the Kessel dam wall on Tuesday. The mayor praised the rescue teams.",
        "A crack in the Kessel dam wall was found by engineers on Tuesday. The bakery reopened.",
    )
    result = brief(corpus, ctx).brief
    assert result
    texts = [a.article.text for a in corpus.analyses]
    for b in result:
        assert any(b.text in t for t in texts)
        assert len(b.cites) == 2


def test_brief_shows_quoted_claims_with_their_speaker(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        '"The dam is safe," engineer Lara Voss told the council on Monday.',
        'Engineer Lara Voss said: "The dam is safe." Residents were not convinced.',
    )
    members = []
    analyses = []
    for analysis in corpus.analyses:
        start = analysis.article.text.index("The dam is safe")
        span = analysis.span(start, start + len("The dam is safe"))
        mention = ClaimMention(id=f"m-{analysis.id}", span=span, text=span.text, quote="q")
        members.append(mention)
        analyses.append(replace(analysis, claims=(mention,)))
    claim = Claim(
        id="c1",
        text="The dam is safe",
        mentions=tuple(m.span for m in members),
        status="corroborated",
        supported_by=tuple(sorted(a.id for a in analyses)),
        members=tuple(m.id for m in members),
    )
    result = brief(replace(corpus, analyses=tuple(analyses), claims=(claim,)), ctx).brief
    assert "Lara Voss" in result[0].text  # the whole sentence, not the bare quoted words
    assert any(result[0].text in a.article.text for a in analyses)


def test_brief_fallback_does_not_count_a_republished_copy_as_support(ctx: Context) -> None:
    text = "Engineers found a crack in the Kessel dam wall on Tuesday. The mayor praised the rescue teams."
    corpus = corpus_of(ctx, text, text + " Comment: nothing happened.")
    first, second = (a.id for a in corpus.analyses)
    copied = replace(corpus, republications=(Republication(original=first, copy=second, similarity=0.97),))
    assert brief(corpus, ctx).brief  # two outlets carrying the same sentence agree...
    assert brief(copied, ctx).brief == ()  # ...but a copy of one article corroborates nothing


def _with_members(corpus: Corpus, status: str, *mentions: tuple[str, dict[str, object]]) -> tuple[Corpus, Claim]:
    """A claim over ``mentions`` (piece of text, ClaimMention fields), its members added to the analyses."""
    members: list[ClaimMention] = []
    for piece, fields in mentions:
        span = _span_of(corpus, piece)
        members.append(ClaimMention(id=f"m-{span.article}-{span.start}", span=span, text=span.text, **fields))  # type: ignore[arg-type]
    analyses = tuple(
        replace(a, claims=a.claims + tuple(m for m in members if m.span.article == a.id)) for a in corpus.analyses
    )
    claim = Claim(
        id=f"c-{members[0].id}",
        text=members[0].text,
        mentions=tuple(m.span for m in members),
        status=status,  # type: ignore[arg-type]
        supported_by=tuple(sorted({m.span.article for m in members})),
        members=tuple(m.id for m in members),
    )
    return replace(corpus, analyses=analyses), claim


LEVEE = (
    (
        "Floodwater breached the Orlen levee on Sunday and flooded the town of Marsby. "
        "Rescue boats reached the old mill by noon. Shops on the high street stayed shut. "
        "Farmers moved their cattle to higher ground. The school was turned into a shelter. "
        "Volunteers filled sandbags through the night. Power was cut in the lower streets. "
        "Trains between the two valleys were halted. The Orlen levee was built in 1962 by the county."
    ),
    (
        "The Orlen levee gave way to floodwater on Sunday, flooding Marsby. "
        '"The levee was sound and we maintained it," the builder Tomas Hale said. '
        "Buses carried residents to the sports hall. Bakers handed out bread to the families. "
        "The river fell by evening. Divers checked the bridge pillars. Crews cleared the mud. "
        "Insurers sent assessors. The Orlen levee was built in 1962 by the county."
    ),
    (
        "Floodwater broke through the Orlen levee on Sunday, swamping Marsby. "
        '"The levee was sound and we maintained it." '
        "Police closed the ring road. Ferries stopped running. The library opened late. "
        "Gardens were ruined. The market was moved. Church bells rang at dusk. "
        "Residents said the county built the Orlen levee in 1962 as a temporary barrier."
    ),
)


def test_brief_opens_with_the_event_the_leads_state_not_agreed_background(ctx: Context) -> None:
    corpus = corpus_of(ctx, *LEVEE)
    corpus, event = _with_members(
        corpus,
        "corroborated",
        ("Floodwater breached the Orlen levee on Sunday and flooded the town of Marsby.", {}),
        ("The Orlen levee gave way to floodwater on Sunday, flooding Marsby.", {}),
        ("Floodwater broke through the Orlen levee on Sunday, swamping Marsby.", {}),
    )
    corpus, background = _with_members(
        corpus,
        "corroborated",
        ("The Orlen levee was built in 1962 by the county.", {}),
        ("the county built the Orlen levee in 1962", {"attributed": True, "cue": "say"}),
    )
    result = brief(replace(corpus, claims=(background, event)), ctx).brief
    assert result[0].text == "Floodwater breached the Orlen levee on Sunday and flooded the town of Marsby."
    assert result[0].cites == event.supported_by
    for b in result:
        assert len(set(b.cites)) == len(b.cites)  # each article cited once


@pytest.mark.parametrize("only_bare_quote", [False, True])
def test_brief_names_the_speaker_of_every_quoted_reaction(ctx: Context, only_bare_quote: bool) -> None:
    corpus = corpus_of(ctx, LEVEE[0], LEVEE[2]) if only_bare_quote else corpus_of(ctx, *LEVEE)
    quotes: dict[str, Quote] = {}
    pieces = ("The levee was sound and we maintained it",)
    analyses = []
    for analysis in corpus.analyses:
        framed = "Tomas Hale said" in analysis.article.text
        if pieces[0] not in analysis.article.text or (only_bare_quote and framed):
            analyses.append(analysis)
            continue
        start = analysis.article.text.index(pieces[0])
        quote = Quote(
            id=f"q-{analysis.id}", span=analysis.span(start, start + len(pieces[0])), speaker_name="Tomas Hale"
        )
        quotes[analysis.id] = quote
        analyses.append(replace(analysis, quotes=(quote,)))
    corpus = replace(corpus, analyses=tuple(analyses))
    members = []
    for article_id, quote in sorted(quotes.items()):
        members.append(ClaimMention(id=f"m-{article_id}", span=quote.span, text=quote.span.text, quote=quote.id))
    corpus = replace(
        corpus,
        analyses=tuple(replace(a, claims=tuple(m for m in members if m.span.article == a.id)) for a in corpus.analyses),
    )
    claim = Claim(
        id="c-sound",
        text=members[0].text,
        mentions=tuple(m.span for m in members),
        status="corroborated",
        supported_by=tuple(sorted(quotes)),
        members=tuple(m.id for m in members),
    )
    result = brief(replace(corpus, claims=(claim,)), ctx).brief
    if only_bare_quote:  # the article's sentence does not name the speaker: the name is put before it
        assert any(b.text.startswith("Tomas Hale: ") for b in result)
    said = [b for b in result if "levee was sound" in b.text]
    assert len(said) == 1
    # Whichever article speaks for the quote, the speaker is named in the same sentence.
    assert "Tomas Hale" in said[0].text
    texts = [a.article.text for a in corpus.analyses]
    bare = said[0].text.removeprefix("Tomas Hale: ")
    assert any(bare in t for t in texts)  # nothing but the speaker's name is added


def test_brief_prefers_the_claim_that_names_who_did_what(ctx: Context) -> None:
    corpus = corpus_of(
        ctx,
        "The Marsby ferry service was halted on Monday. Crowds waited at the pier.",
        "The Marsby ferry service was halted on Monday. Tickets were refunded.",
        "Storms hit the coast. Harbour officials halted the Marsby ferry service on Monday.",
        "Harbour officials halted the Marsby ferry service on Monday. Gulls circled the quay.",
    )
    halted = [a for a in corpus.analyses if "was halted" in a.article.text]
    mentions = []
    for analysis in halted:
        start = analysis.article.text.index("The Marsby ferry service was halted on Monday.")
        span = analysis.span(start, start + len("The Marsby ferry service was halted on Monday."))
        mentions.append(ClaimMention(id=f"m-bare-{analysis.id}", span=span, text=span.text))
    acted = [a for a in corpus.analyses if "Harbour officials" in a.article.text]
    for analysis in acted:
        start = analysis.article.text.index("Harbour officials halted")
        span = analysis.span(start, start + len("Harbour officials halted the Marsby ferry service on Monday."))
        subject = analysis.span(start, start + len("Harbour officials"))
        mentions.append(
            ClaimMention(
                id=f"m-agent-{analysis.id}", span=span, text=span.text, subject_span=subject, obj="the service"
            )
        )
    corpus = replace(
        corpus,
        analyses=tuple(
            replace(a, claims=tuple(m for m in mentions if m.span.article == a.id)) for a in corpus.analyses
        ),
    )

    def claim(prefix: str) -> Claim:
        members = [m for m in mentions if m.id.startswith(prefix)]
        return Claim(
            id=prefix,
            text=members[0].text,
            mentions=tuple(m.span for m in members),
            status="corroborated",
            supported_by=tuple(sorted(m.span.article for m in members)),
            members=tuple(m.id for m in members),
        )

    # The agent's sentence comes second in one article, so only naming the actor puts it first.
    result = brief(replace(corpus, claims=(claim("m-bare"), claim("m-agent"))), ctx).brief
    assert result[0].text == "Harbour officials halted the Marsby ferry service on Monday."


def test_brief_copies_of_one_original_do_not_corroborate_each_other(ctx: Context) -> None:
    """Two copies of one original and the original are one source, whichever pair is linked."""
    from storyweave.stages.summary import _lead_fallback

    lead = "Flood waters cut the coastal road between Marlow Bay and Tessing on Sunday."
    texts = [f"{lead}\n\nCopy number {i} of the same wire story." for i in range(3)]
    arts = [make_article(t, source=f"c{i}.txt") for i, t in enumerate(texts)]
    analyses = tuple(run_article_stages(new_analysis(a), ctx) for a in arts)
    original = min(a.id for a in arts)
    reps = tuple(Republication(original=original, copy=a.id, similarity=0.95) for a in arts if a.id != original)
    corpus = Corpus(analyses=analyses, republications=reps)
    assert _lead_fallback(corpus, ctx) == []
