"""Shared fixtures: the real spaCy pipeline (loaded once) and the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.pipeline import Context
from support import EXAMPLES, ROOT, SEEDS, SHARED, make_article

__all__ = ["EXAMPLES", "ROOT", "SEEDS", "SHARED", "make_article"]


@pytest.fixture(scope="session")
def ctx() -> Context:
    """One Context for the session, so the spaCy and embedding models load once."""
    return Context()


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, f"the seed articles are missing from {SEEDS}"
    return paths
