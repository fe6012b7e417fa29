"""The spaCy pipeline as the stages see it."""

from __future__ import annotations

from storyweave.nlp import LINE_BREAK_SENTENCES
from storyweave.pipeline import Context


def test_nlp_headline_without_full_stop_is_its_own_sentence(ctx: Context) -> None:
    text = "Council Backs Tram Plan For Dunmarra\nThe city council approved the tram line on Monday. It opens soon.\n"
    sentences = [s.text.strip() for s in ctx.nlp(text).sents if s.text.strip()]
    assert sentences[0] == "Council Backs Tram Plan For Dunmarra"
    assert sentences[1] == "The city council approved the tram line on Monday."
    assert LINE_BREAK_SENTENCES in ctx.nlp.pipe_names


def test_nlp_sentences_still_split_inside_a_line(ctx: Context) -> None:
    doc = ctx.nlp("The ferry left at noon. It reached the island at dusk, the captain said.")
    assert len(list(doc.sents)) == 2


def test_nlp_text_without_line_breaks_parses_as_before(ctx: Context) -> None:
    text = "The mayor of Orvik said the bridge would reopen next week."
    with_pipe = ctx.nlp(text)
    with ctx.nlp.select_pipes(disable=[LINE_BREAK_SENTENCES]):
        without = ctx.nlp(text)
    assert [(t.dep_, t.head.i, t.is_sent_start) for t in with_pipe] == [
        (t.dep_, t.head.i, t.is_sent_start) for t in without
    ]
