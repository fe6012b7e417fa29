"""storyweave: read many news accounts of the same events; show, with citations, what they agree on
and where they differ."""

from storyweave.model import (
    Article,
    ArticleAnalysis,
    Claim,
    Corpus,
    Entity,
    Flag,
    Mention,
    Quote,
    Span,
    Statement,
)
from storyweave.pipeline import Context, analyse
from storyweave.runner import RunResult, pipeline_version, run_analysis
from storyweave.settings import Settings
from storyweave.store import Store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleAnalysis",
    "Claim",
    "Context",
    "Corpus",
    "Entity",
    "Flag",
    "Mention",
    "Quote",
    "RunResult",
    "Settings",
    "Span",
    "Statement",
    "Store",
    "analyse",
    "open_store",
    "pipeline_version",
    "run_analysis",
]


def open_store(path: str | None = None) -> Store:
    """Open (creating if needed) a storyweave SQLite store; ``None`` gives a temporary one."""
    return Store.open(path)
