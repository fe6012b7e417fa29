"""The stage contract: what a stage declares it reads and writes, checked while it runs.

Field names. A per-article stage names fields of :class:`~storyweave.model.ArticleAnalysis`
(``doc``, ``flags``, ``mentions``, …); it writes a field of the article itself as ``article.<name>``
(``article.cites``). A cross-article stage names fields of :class:`~storyweave.model.Corpus`
(``entities``, ``claims``, …) and fields of the per-article analyses as ``analyses.<name>``
(``analyses.quotes``). Every stage may read the article (``analysis.article``, ``analysis.id``) and,
across articles, the list of analyses; everything else must be declared.

Reads. A stage may read what it ``requires`` and what it ``assigns`` (a stage that adds to the flags
reads the flags so far). Every other field is handed to it as an :class:`Undeclared` value, which
raises :class:`StageContractError` on any use: a test or a run that takes the stage down a path reading
an undeclared field fails there, naming the stage and the field.

Writes. After the stage, every field it returned changed (not the same object as it was given) must be
in its ``assigns``; fields it did not declare are given back their real values.

Order. :func:`run_order` derives the run order from the declarations: a stage runs after every stage
that produces a field it requires (a producer assigns the field without requiring it; a stage that
requires and assigns a field updates it, and updates are placed by their ``order`` number). Among
stages the declarations leave free, ``order`` decides.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable
from typing import Any, NoReturn, Protocol

from storyweave.errors import StageError
from storyweave.model import Article, ArticleAnalysis, Corpus

#: Fields every stage may read without declaring them: the article (per article) and the analyses
#: (across articles). A stage that replaces them must still declare the write.
ALWAYS_READABLE = frozenset({"article", "analyses", "analyses.article"})
ARTICLE_FIELDS = frozenset(f.name for f in dataclasses.fields(ArticleAnalysis))
CORPUS_FIELDS = frozenset(f.name for f in dataclasses.fields(Corpus))
ARTICLE_DATA_FIELDS = frozenset(f.name for f in dataclasses.fields(Article))


class StageContractError(StageError):
    """A stage read or wrote a field it does not declare, or no order satisfies the declarations."""


class Declared(Protocol):
    """What the contract reads of a stage (``pipeline.StageInfo``)."""

    @property
    def name(self) -> str: ...
    @property
    def scope(self) -> str: ...
    @property
    def requires(self) -> frozenset[str]: ...
    @property
    def assigns(self) -> frozenset[str]: ...
    @property
    def order(self) -> int: ...


class Undeclared:
    """Stands in for a field a stage did not declare: any use of it raises."""

    __slots__ = ("_field", "_stage")

    def __init__(self, stage: str, field: str) -> None:
        object.__setattr__(self, "_stage", stage)
        object.__setattr__(self, "_field", field)

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        stage = object.__getattribute__(self, "_stage")
        field = object.__getattribute__(self, "_field")
        raise StageContractError(f"stage {stage!r} read {field!r}, which it does not declare in requires")

    def __getattribute__(self, name: str) -> Any:
        if name in ("_refuse", "__class__", "__repr__"):
            return object.__getattribute__(self, name)
        return object.__getattribute__(self, "_refuse")()

    def __repr__(self) -> str:
        return f"<undeclared {object.__getattribute__(self, '_field')}>"

    __iter__ = __len__ = __bool__ = __contains__ = __getitem__ = _refuse
    __add__ = __radd__ = __mul__ = __rmul__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = __call__ = __reversed__ = __str__ = __format__ = _refuse


def _masked(obj: Any, stage: str, readable: frozenset[str], prefix: str = "") -> tuple[Any, dict[str, Any]]:
    """``obj`` with every field not in ``readable`` replaced by :class:`Undeclared`, and the real values."""
    hidden = {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if f"{prefix}{f.name}" not in readable and f"{prefix}{f.name}" not in ALWAYS_READABLE
    }
    if not hidden:
        return obj, {}
    return dataclasses.replace(obj, **{k: Undeclared(stage, f"{prefix}{k}") for k in hidden}), hidden


def _check_written(given: Any, returned: Any, stage: str, assigns: frozenset[str], prefix: str = "") -> None:
    for f in dataclasses.fields(given):
        name = f"{prefix}{f.name}"
        before, after = getattr(given, f.name), getattr(returned, f.name)
        if after is before or name in assigns:
            continue
        if f.name == "article" and isinstance(before, Article) and isinstance(after, Article):
            changed = [a.name for a in dataclasses.fields(Article) if getattr(before, a.name) != getattr(after, a.name)]
            undeclared = [f"{name}.{c}" for c in changed if f"{name}.{c}" not in assigns]
            if undeclared:
                raise StageContractError(f"stage {stage!r} wrote {undeclared}, which it does not declare in assigns")
            continue
        if f.name == "analyses":
            continue  # checked analysis by analysis
        raise StageContractError(f"stage {stage!r} wrote {name!r}, which it does not declare in assigns")


def _restored(returned: Any, hidden: dict[str, Any]) -> Any:
    """``returned`` with the fields that were hidden from the stage given back their real values."""
    keep = {k: v for k, v in hidden.items() if isinstance(getattr(returned, k), Undeclared)}
    return dataclasses.replace(returned, **keep) if keep else returned


def run_checked_article(info: Declared, func: Any, analysis: ArticleAnalysis, ctx: Any) -> ArticleAnalysis:
    """Run a per-article stage on ``analysis`` under its declarations."""
    readable = info.requires | info.assigns
    given, hidden = _masked(analysis, info.name, readable)
    returned = func(given, ctx)
    if not isinstance(returned, ArticleAnalysis):
        raise StageContractError(f"stage {info.name!r} returned {type(returned).__name__}, not an ArticleAnalysis")
    _check_written(given, returned, info.name, info.assigns)
    return _restored(returned, hidden)


def run_checked_corpus(info: Declared, func: Any, corpus: Corpus, ctx: Any) -> Corpus:
    """Run a cross-article stage on ``corpus`` under its declarations."""
    readable = info.requires | info.assigns
    analyses: list[ArticleAnalysis] = []
    hidden_of: dict[str, dict[str, Any]] = {}
    given_of: dict[str, ArticleAnalysis] = {}
    for analysis in corpus.analyses:
        given_analysis, hidden = _masked(analysis, info.name, readable, "analyses.")
        analyses.append(given_analysis)
        hidden_of[analysis.id], given_of[analysis.id] = hidden, given_analysis
    given, hidden_corpus = _masked(dataclasses.replace(corpus, analyses=tuple(analyses)), info.name, readable)
    returned = func(given, ctx)
    if not isinstance(returned, Corpus):
        raise StageContractError(f"stage {info.name!r} returned {type(returned).__name__}, not a Corpus")
    _check_written(given, returned, info.name, info.assigns)
    out: list[ArticleAnalysis] = []
    if [a.id for a in returned.analyses] != [a.id for a in given.analyses] and "analyses" not in info.assigns:
        raise StageContractError(f"stage {info.name!r} wrote 'analyses', which it does not declare in assigns")
    for analysis in returned.analyses:
        before = given_of.get(analysis.id)
        if before is not None and analysis is not before:
            _check_written(before, analysis, info.name, info.assigns, "analyses.")
        out.append(_restored(analysis, hidden_of.get(analysis.id, {})))
    return _restored(dataclasses.replace(returned, analyses=tuple(out)), hidden_corpus)


# --------------------------------------------------------------------------- declarations and order


def check_declarations(info: Declared) -> None:
    """Fail when a stage names a field its scope does not have."""
    if info.scope == "article":
        known = ARTICLE_FIELDS | {f"article.{f}" for f in ARTICLE_DATA_FIELDS}
    else:
        known = CORPUS_FIELDS | {f"analyses.{f}" for f in ARTICLE_FIELDS}
    unknown = sorted((info.requires | info.assigns) - known)
    if unknown:
        raise StageContractError(f"stage {info.name!r} declares {unknown}, which a {info.scope} stage does not have")


def inputs(scope: str, article_stages: Iterable[Declared] = ()) -> frozenset[str]:
    """What exists before the first stage of ``scope`` runs: the article (and its parse) per article;
    across articles, the analyses with every field the per-article stages assign."""
    if scope == "article":
        return frozenset({"article", "doc"} | {f"article.{f}" for f in ARTICLE_DATA_FIELDS})
    per_article = {"article", "doc"} | {f for s in article_stages for f in s.assigns}
    return frozenset({"analyses"} | {f"analyses.{f}" for f in per_article} | {f"analyses.{f}" for f in ARTICLE_FIELDS})


def run_order(found: Iterable[Declared], available: frozenset[str]) -> list[Any]:
    """The stages of one scope in an order that satisfies their declarations (``order`` breaks ties).

    Each stage runs after the producers of what it requires: the stages that assign the field without
    requiring it. Raises :class:`StageContractError` for a field nothing before it produces, or a cycle.
    """
    pool = sorted(found, key=lambda s: (s.order, s.name))
    producers: dict[str, list[Declared]] = {}
    for s in pool:
        for f in s.assigns - s.requires:
            producers.setdefault(f, []).append(s)
    after: dict[str, set[str]] = {s.name: set() for s in pool}
    for s in pool:
        for f in s.requires - available:
            makers = [p for p in producers.get(f, []) if p.name != s.name]
            if not makers and not any(f in p.assigns for p in pool if p.name != s.name):
                raise StageContractError(f"stage {s.name!r} requires {f!r}, which no stage assigns")
            after[s.name].update(p.name for p in makers)
    rank = {s.name: (s.order, s.name) for s in pool}
    by_name = {s.name: s for s in pool}
    ready = [rank[n] for n, deps in after.items() if not deps]
    heapq.heapify(ready)
    ordered: list[Declared] = []
    done: set[str] = set()
    while ready:
        _, name = heapq.heappop(ready)
        ordered.append(by_name[name])
        done.add(name)
        for other, deps in after.items():
            if other not in done and name in deps:
                deps.discard(name)
                if not deps:
                    heapq.heappush(ready, rank[other])
    if len(ordered) != len(pool):
        stuck = sorted(set(by_name) - done)
        raise StageContractError(f"stages {stuck} require each other's output: no order satisfies them")
    return ordered
