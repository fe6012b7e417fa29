"""Paths and builders shared by the tests (importable by name; conftest files are not)."""

from __future__ import annotations

from pathlib import Path

from storyweave.ingest import article_id
from storyweave.model import Article, ArticleAnalysis, Claim, Corpus, Quote
from storyweave.pipeline import Context, new_analysis, run_article_stages

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


def make_article(text: str, *, published: str | None = None, source: str = "test.txt", **kw: object) -> Article:
    """An Article built by hand, for stage tests."""
    return Article(id=article_id(text), source=source, text=text, published=published, **kw)  # type: ignore[arg-type]


def analyse_text(ctx: Context, text: str, **kw: object) -> ArticleAnalysis:
    """One hand-built article through every article stage, on the real parse."""
    return run_article_stages(new_analysis(make_article(text, **kw)), ctx)  # type: ignore[arg-type]


def direct_quote(analysis: ArticleAnalysis, words: str) -> Quote:
    """The direct quote whose span covers the start of ``words``."""
    start = analysis.article.text.index(words)
    found = [q for q in analysis.quotes if q.direct and q.span.start <= start < q.span.end]
    assert found, f"no direct quote covers {words!r}: {analysis.quotes}"
    return found[0]


def claim_with(corpus: Corpus, fragment: str) -> Claim:
    """The first claim one of whose mentions contains ``fragment``."""
    found = [c for c in corpus.claims if any(fragment in m.text for m in c.mentions)]
    assert found, f"no claim mentions {fragment!r}: {[c.text for c in corpus.claims]}"
    return found[0]


def contested_by(corpus: Corpus, fragment: str, rule: str) -> bool:
    """Some claim mentioning ``fragment`` is contested with evidence of ``rule``."""
    claims = [c for c in corpus.claims if any(fragment in m.text for m in c.mentions)]
    assert claims, f"no claim mentions {fragment!r}: {[c.text for c in corpus.claims]}"
    return any(c.status == "contested" and any(e.startswith(rule) for e in c.evidence) for c in claims)
