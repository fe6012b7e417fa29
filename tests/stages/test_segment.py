"""Paragraphs and sentences: exact spans, no empty sentences, never across a paragraph."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context, new_analysis
from storyweave.stages.clean import clean
from storyweave.stages.segment import paragraph_bounds, segment
from support import make_article

WIKI = (
    "= Marlow valley flood =\n\n"
    "The Marlow valley flood began on 3 May. It forced 300 people from their homes.\n\n"
    "== Response ==\n"
    "Volunteers filled sandbags. The army sent two boats.\n\n"
    "== See also ==\n\n"
    "- Floods in Wessex\n"
    "- River Marlow\n"
)
NEWS = (
    "Weather\n\n"
    "River floods swamp three valley towns\n"
    "- About 300 people left their homes on Sunday.\n"
    "- The river is expected to peak on Tuesday.\n"
    "Heavy rain pushed the Marlow over its banks. Officials said the water\n"
    "rose two metres in six hours.\n\n"
    '"We have never seen anything like it," said Ines Calder, the mayor. "Never."\n'
    "Watch:\u00a0Drone footage of the flooded valley\n"
)


def segmented(ctx: Context, text: str, *, parse: bool = True) -> ArticleAnalysis:
    analysis = new_analysis(make_article(text))
    if parse:
        analysis = replace(analysis, doc=ctx.nlp(text))
    return segment(clean(analysis, ctx), ctx)


@pytest.mark.parametrize("text", [WIKI, NEWS, "One line only", "  \n Leading space.  Two sentences here. \n\n"])
@pytest.mark.parametrize("parse", [True, False])
def test_segment_sentences_are_exact_nonempty_and_inside_one_paragraph(ctx: Context, text: str, parse: bool) -> None:
    analysis = segmented(ctx, text, parse=parse)
    assert analysis.sentences
    for sentence in analysis.sentences:
        span = sentence.span
        assert span.text == text[span.start : span.end]
        assert span.text.strip() == span.text != ""
        paragraph = analysis.paragraphs[sentence.paragraph]
        assert paragraph.start <= span.start < span.end <= paragraph.end
    starts = [s.span.start for s in analysis.sentences]
    assert starts == sorted(starts)


def test_segment_headings_bullets_and_headlines_are_their_own_paragraphs(ctx: Context) -> None:
    wiki = [p.text for p in segmented(ctx, WIKI).paragraphs]
    assert wiki[0] == "= Marlow valley flood ="
    assert "== Response ==" in wiki
    assert wiki[-2:] == ["- Floods in Wessex", "- River Marlow"]
    news = [p.text for p in segmented(ctx, NEWS).paragraphs]
    assert news[:4] == [
        "Weather",
        "River floods swamp three valley towns",
        "- About 300 people left their homes on Sunday.",
        "- The river is expected to peak on Tuesday.",
    ]


def test_segment_joins_a_hard_wrapped_line_into_its_paragraph() -> None:
    text = "Officials said the water\nrose two metres.\nA new paragraph starts here.\n"
    assert [text[s:e] for s, e in paragraph_bounds(text)] == [
        "Officials said the water\nrose two metres.",
        "A new paragraph starts here.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The river rose.\nthe lower-case line after a full stop is its own paragraph",
        "River floods swamp towns\n\nthe council said on Sunday.",  # a blank line always ends a paragraph
        "- first bullet item\nsecond line starts lower case",
    ],
)
def test_segment_does_not_join_across_sentence_ends_blank_lines_or_bullets(text: str) -> None:
    assert len(paragraph_bounds(text)) == 2


def test_segment_skips_boilerplate_sentences_but_not_one_with_an_inline_credit(ctx: Context) -> None:
    text = (
        "Crews worked all night on the levee (Photo: Valley Photo Agency) and the town was saved by dawn, "
        "the mayor said on Monday morning at a briefing.\n"
        "Watch:\u00a0Drone footage of the flooded valley\n"
    )
    analysis = segmented(ctx, text)
    skips = {s.span.text[:5]: s.skip for s in analysis.sentences}
    assert skips == {"Crews": False, "Watch": True}


def test_segment_ignores_a_parse_of_other_text(ctx: Context) -> None:
    analysis = replace(new_analysis(make_article("First sentence here. Second one.")), doc=ctx.nlp("Unrelated."))
    result = segment(analysis, ctx)
    assert [s.span.text for s in result.sentences] == ["First sentence here.", "Second one."]


lines = st.sampled_from(
    [
        "Watch:\u00a0Footage of the flood",
        "(Photo: Valley Images)",
        "© Valley Images",
        "- a bullet item",
        "== See also ==",
        "= Heading =",
        "Weather",
        "River floods swamp three valley towns",
        "The river rose. It fell again!",
        "continues on a lower-case line",
        '"Quoted words," she said.',
        "",
        "   ",
        "\u2003",
    ]
) | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@pytest.mark.parametrize("parse", [False, True])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(lines, min_size=1, max_size=12))
def test_segment_and_clean_spans_hold_on_any_text(ctx: Context, parse: bool, parts: list[str]) -> None:
    text = "\n".join(parts)
    analysis = segmented(ctx, text, parse=parse)
    for flag in analysis.flags:
        assert flag.span.text == text[flag.span.start : flag.span.end] != ""
    for paragraph in analysis.paragraphs:
        assert paragraph.text == text[paragraph.start : paragraph.end]
        assert paragraph.text.strip() == paragraph.text != ""
    for sentence in analysis.sentences:
        assert sentence.span.text.strip() == sentence.span.text != ""
        paragraph = analysis.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.span.start < sentence.span.end <= paragraph.end
