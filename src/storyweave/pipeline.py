"""Named stages and the runner that threads the model through them.

A stage declares its scope (``article`` or ``corpus``), what it reads and what it writes. Per-article
stages are pure ``(ArticleAnalysis, Context) -> ArticleAnalysis`` functions; corpus stages are
``(Corpus, Context) -> Corpus``. :func:`check_stages` refuses an order in which a stage reads
something no earlier stage wrote, so a plugged-in stage fails at start-up, not halfway through.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeVar

from storyweave.errors import StageError
from storyweave.model import Article, ArticleAnalysis, Corpus
from storyweave.settings import Settings

Scope = Literal["article", "corpus"]
T = TypeVar("T")
ArticleStage = Callable[[ArticleAnalysis, "Context"], ArticleAnalysis]
CorpusStage = Callable[[Corpus, "Context"], Corpus]

#: The modules whose import registers the built-in stages, in pipeline order.
DEFAULT_STAGE_MODULES = (
    "storyweave.stages.clean",
    "storyweave.stages.cites",
    "storyweave.stages.segment",
    "storyweave.stages.entities",
    "storyweave.stages.quotes",
    "storyweave.stages.claims",
    "storyweave.stages.insertions",
    "storyweave.stages.numbers",
    "storyweave.stages.numeric_discrepancies",
    "storyweave.stages.dates",
    "storyweave.stages.resolve",
    "storyweave.stages.statements",
    "storyweave.stages.republications",
    "storyweave.stages.align",
    "storyweave.stages.summary",
)


@dataclass(frozen=True, slots=True)
class StageInfo:
    name: str
    scope: Scope
    func: Callable[..., Any]
    requires: frozenset[str]
    assigns: frozenset[str]
    order: int


_REGISTRY: dict[str, StageInfo] = {}


def stage(
    name: str,
    *,
    scope: Scope,
    requires: Iterable[str] = (),
    assigns: Iterable[str] = (),
    order: int,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a pipeline stage. ``order`` places it (lower runs first)."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[name] = StageInfo(name, scope, func, frozenset(requires), frozenset(assigns), order)
        return func

    return register


def load_default_stages() -> None:
    for module in DEFAULT_STAGE_MODULES:
        importlib.import_module(module)


def stages(scope: Scope | None = None) -> list[StageInfo]:
    """Registered stages in run order (per-article ones first)."""
    load_default_stages()
    found = sorted(_REGISTRY.values(), key=lambda s: (s.scope != "article", s.order, s.name))
    return [s for s in found if scope is None or s.scope == scope]


def check_stages(order: list[StageInfo]) -> None:
    """Fail when a stage reads a field that no earlier stage assigns."""
    available = {"article", "doc"}
    for info in order:
        missing = info.requires - available
        if missing:
            raise StageError(f"stage {info.name!r} requires {sorted(missing)}, which no earlier stage assigns")
        available |= info.assigns


@dataclass
class Context:
    """What stages share: settings and the lazily loaded models (one load per process)."""

    settings: Settings = field(default_factory=Settings)
    _nlp: Any = None
    _embedder: Any = None
    #: stage name -> CPU seconds (this process, all threads) spent in it through this context:
    #: where a run's time goes, stage by stage, at the cost of two clock reads per stage call.
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def add_stage_time(self, name: str, seconds: float) -> None:
        self.stage_seconds[name] = self.stage_seconds.get(name, 0.0) + seconds

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from storyweave.nlp import load_nlp

            self._nlp = load_nlp(self.settings.spacy_model)
        return self._nlp

    @property
    def embedder(self) -> Any:
        """The shared model behind a cache of this context's own: each distinct text is embedded
        once however many stages ask for it."""
        if self._embedder is None:
            from storyweave.embed import CachedEmbedder, load_embedder

            self._embedder = CachedEmbedder(load_embedder())
        return self._embedder


def new_analysis(article: Article) -> ArticleAnalysis:
    return ArticleAnalysis(article=article)


def analyse_articles(articles: Iterable[Article], ctx: Context) -> Iterator[ArticleAnalysis]:
    """Run the per-article stages over ``articles`` in batches, yielding finished analyses.

    The spaCy parse is done in batches with ``nlp.pipe`` (much faster than one call per text);
    the parse is dropped from each analysis before it is yielded, so memory is bounded by the
    batch size, not the corpus size.
    """
    order = stages("article")
    check_stages(order)
    for batch in batched(articles, ctx.settings.batch_size):
        yield from _analyse_batch(batch, order, ctx)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter), read lazily from ``items``."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= max(1, size):
            yield batch
            batch = []
    if batch:
        yield batch


def _analyse_batch(batch: list[Article], order: list[StageInfo], ctx: Context) -> Iterator[ArticleAnalysis]:
    texts = [a.text for a in batch]
    docs = ctx.nlp.pipe(texts, batch_size=max(1, len(batch)))
    for article, doc in zip(batch, docs, strict=True):
        analysis = replace(new_analysis(article), doc=doc)
        yield run_article_stages(analysis, ctx, order)


def run_article_stages(
    analysis: ArticleAnalysis, ctx: Context, order: list[StageInfo] | None = None
) -> ArticleAnalysis:
    """Apply every per-article stage to one analysis (parsing it first if it has no parse)."""
    if order is None:
        order = stages("article")
    if analysis.doc is None:
        analysis = replace(analysis, doc=ctx.nlp(analysis.article.text))
    for info in order:
        started = time.process_time()
        try:
            analysis = info.func(analysis, ctx)
        except Exception as exc:  # a stage bug must name the stage and the article
            raise StageError(f"stage {info.name!r} failed on article {analysis.article.id}: {exc}") from exc
        finally:
            ctx.add_stage_time(info.name, time.process_time() - started)
    return replace(analysis, doc=None)


def analyse_corpus(analyses: Iterable[ArticleAnalysis], ctx: Context) -> Corpus:
    """Run the cross-article stages over finished per-article analyses."""
    ordered = tuple(sorted(analyses, key=lambda a: a.article.id))
    corpus = Corpus(analyses=ordered)
    order = stages("corpus")
    for info in order:
        started = time.process_time()
        try:
            corpus = info.func(corpus, ctx)
        except Exception as exc:
            raise StageError(f"stage {info.name!r} failed: {exc}") from exc
        finally:
            ctx.add_stage_time(info.name, time.process_time() - started)
    return corpus


def analyse(articles: Iterable[Article], ctx: Context | None = None) -> Corpus:
    """The whole pipeline on in-memory articles: per-article stages, then cross-article ones."""
    ctx = ctx or Context()
    return analyse_corpus(analyse_articles(articles, ctx), ctx)
