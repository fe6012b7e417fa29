"""Shared fixtures: the real spaCy pipeline (loaded once), the seed articles, tiny article builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.ingest import article_id
from storyweave.model import Article
from storyweave.pipeline import Context

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def ctx() -> Context:
    """One Context for the session, so the spaCy and embedding models load once."""
    return Context()


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, f"the seed articles are missing from {SEEDS}"
    return paths


def make_article(text: str, *, published: str | None = None, source: str = "test.txt", **kw: object) -> Article:
    """An Article built by hand, for stage tests."""
    return Article(id=article_id(text), source=source, text=text, published=published, **kw)  # type: ignore[arg-type]
