"""Headline speakers named by a role or a kind of body alone ("Councillor:", "engineers say",
"museum says"): linked to the one holder the article names, never made an entity of their own."""

from __future__ import annotations

from storyweave.model import ArticleAnalysis, Corpus, Quote
from storyweave.pipeline import Context, analyse_articles, stages
from support import make_article

COUNCILLOR = (
    "Councillor: 'We were misled' over bridge repairs\n\n"
    "The collapse of the Aldwick footbridge has become a dispute at the town hall.\n\n"
    "Councillor Jane Roe says the council was never told the bridge was unsafe.\n\n"
    '"We were misled by the contractor," she said.\n'
)
ENGINEERS = (
    "Bridge 'was never inspected', engineers say\n\n"
    "Engineers who examined the Aldwick footbridge said it had not been inspected for a decade.\n\n"
    '"Nobody looked at it for ten years," said Tomas Brandl, chief engineer at Oakridge Consulting.\n'
)
MUSEUM = (
    "Stolen painting 'cannot be replaced', museum says\n\n"
    "The Harwick Museum of Art said on Friday that the stolen portrait was insured.\n\n"
    '"No sum of money can bring it back," said Alma Sorensen, its director.\n'
)
BOSS = (
    "Skylark boss: strike 'will cost us millions'\n\n"
    "Skylark Air chief executive Marta Lindqvist warned on Tuesday that a strike would cost the airline dearly.\n"
)
TWO_COUNCILLORS = (
    "Councillor: 'We were misled' over bridge repairs\n\n"
    "Councillor Jane Roe says the council was never told the bridge was unsafe.\n\n"
    "Councillor Piet Marsh says he saw the report in March.\n"
)
NO_HOLDER = (
    "Councillor: 'We were misled' over bridge repairs\n\n"
    "The collapse of the Aldwick footbridge has become a dispute at the town hall.\n"
)


def resolved(ctx: Context, *texts: str) -> Corpus:
    analyses = tuple(analyse_articles([make_article(t) for t in texts], ctx))
    corpus = Corpus(analyses=analyses)
    for info in stages("corpus"):
        corpus = info.func(corpus, ctx)
        if info.name == "resolve":
            break
    return corpus


def headline_quote(analysis: ArticleAnalysis) -> Quote:
    first = analysis.paragraphs[0]
    # "Bridge 'was never inspected', engineers say" is one report holding a quotation (a mixed quote)
    found = [q for q in analysis.quotes if first.start <= q.span.start < first.end]
    assert found, analysis.quotes
    return found[0]


def speaker_entity(corpus: Corpus, quote: Quote) -> str | None:
    return next((e.name for e in corpus.entities if e.id == quote.speaker), None)


def test_headline_role_speaker_is_the_one_holder_in_the_article(ctx: Context) -> None:
    corpus = resolved(ctx, COUNCILLOR, ENGINEERS, BOSS)
    by_start = {a.article.text[:10]: a for a in corpus.analyses}
    expected = {"Councillor": "Jane Roe", "Bridge 'wa": "Tomas Brandl", "Skylark bo": "Marta Lindqvist"}
    for start, name in expected.items():
        quote = headline_quote(by_start[start])
        assert speaker_entity(corpus, quote) == name, (start, quote)
        assert quote.speaker_name == name


def test_headline_kind_of_body_speaker_is_the_one_such_body(ctx: Context) -> None:
    corpus = resolved(ctx, MUSEUM)
    quote = headline_quote(corpus.analyses[0])
    assert quote.speaker_span is not None
    assert quote.speaker_span.text == "museum"
    assert speaker_entity(corpus, quote) == "Harwick Museum of Art"


def test_role_word_alone_never_becomes_an_entity(ctx: Context) -> None:
    corpus = resolved(ctx, COUNCILLOR, NO_HOLDER, TWO_COUNCILLORS)
    assert not [e for e in corpus.entities if e.name.casefold() in {"councillor", "councillors"}]


def test_headline_role_with_no_or_two_holders_stays_an_unnamed_speaker(ctx: Context) -> None:
    corpus = resolved(ctx, NO_HOLDER, TWO_COUNCILLORS)
    for analysis in corpus.analyses:
        quote = headline_quote(analysis)
        assert quote.speaker_span is not None
        assert quote.speaker_span.text == "Councillor"
        assert quote.speaker is None
        assert quote.speaker_name not in {"Jane Roe", "Piet Marsh"}


def test_body_plural_role_is_a_group_not_the_named_holder(ctx: Context) -> None:
    """ "Engineers who examined it said" in the body is a group of engineers, not Tomas Brandl."""
    analysis = resolved(ctx, ENGINEERS).analyses[0]
    start = analysis.article.text.index("it had not been inspected")
    quote = next(q for q in analysis.quotes if not q.direct and q.span.start <= start < q.span.end)
    assert quote.speaker_name != "Tomas Brandl"


def test_headline_section_label_before_a_colon_is_no_speaker(ctx: Context) -> None:
    text = (
        "Analysis: strike 'will cost us millions'\n\n"
        "Skylark Air chief executive Marta Lindqvist warned on Tuesday that a strike would cost the airline dearly.\n"
    )
    quote = headline_quote(resolved(ctx, text).analyses[0])
    assert quote.speaker_span is None
    assert quote.speaker is None
