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
    "Span",
    "Statement",
    "analyse",
]
