"""Paths and builders shared by the tests (importable by name; conftest files are not)."""

from __future__ import annotations

from pathlib import Path

from storyweave.ingest import article_id
from storyweave.model import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


def make_article(text: str, *, published: str | None = None, source: str = "test.txt", **kw: object) -> Article:
    """An Article built by hand, for stage tests."""
    return Article(id=article_id(text), source=source, text=text, published=published, **kw)  # type: ignore[arg-type]
