"""Named stages and the runner that threads the model through them.

A stage declares its scope (``article`` or ``corpus``), every field it reads and every field it
writes. Per-article stages are pure ``(ArticleAnalysis, Context) -> ArticleAnalysis`` functions;
corpus stages are ``(Corpus, Context) -> Corpus``. :func:`stages` derives the run order from the
declarations, :func:`check_stages` refuses an order in which a stage reads something no earlier stage
wrote (so a plugged-in stage fails at start-up, not halfway through), and each stage runs under its
declarations (:mod:`storyweave.stage_contract`): an undeclared read or write fails, naming both.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.metadata
import inspect
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeVar

from storyweave.errors import StageError
from storyweave.model import Article, ArticleAnalysis, Corpus
from storyweave.settings import Settings
from storyweave.stage_contract import (
    StageContractError,
    check_declarations,
    inputs,
    run_checked_article,
    run_checked_corpus,
    run_order,
)

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
    """Register a function as a pipeline stage.

    ``requires`` and ``assigns`` name every field the stage reads and writes (see
    :mod:`storyweave.stage_contract` for the names); the run order follows from them, and ``order``
    (lower first) only places stages the declarations leave free.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[name] = StageInfo(name, scope, func, frozenset(requires), frozenset(assigns), order)
        return func

    return register


def load_default_stages() -> None:
    for module in DEFAULT_STAGE_MODULES:
        importlib.import_module(module)


def stages(scope: Scope | None = None) -> list[StageInfo]:
    """Registered stages in run order (per-article ones first), the order derived from their declarations."""
    load_default_stages()
    article = [s for s in _REGISTRY.values() if s.scope == "article"]
    corpus = [s for s in _REGISTRY.values() if s.scope == "corpus"]
    for info in (*article, *corpus):
        check_declarations(info)
    found: list[StageInfo] = []
    if scope in (None, "article"):
        found += run_order(article, inputs("article"))
    if scope in (None, "corpus"):
        found += run_order(corpus, inputs("corpus", article))
    return found


def check_stages(order: list[StageInfo]) -> None:
    """Fail when a stage reads a field that no earlier stage of its scope assigns (or that is no input)."""
    article = [s for s in order if s.scope == "article"] or stages("article")
    available = {"article": set(inputs("article")), "corpus": set(inputs("corpus", article))}
    for info in order:
        check_declarations(info)
        have = available[info.scope]
        missing = info.requires - have
        if missing:
            raise StageContractError(f"stage {info.name!r} requires {sorted(missing)}, which no earlier stage assigns")
        have |= info.assigns


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
            analysis = run_checked_article(info, info.func, analysis, ctx)
        except Exception as exc:  # a stage bug must name the stage and the article
            kind = StageContractError if isinstance(exc, StageContractError) else StageError
            raise kind(f"stage {info.name!r} failed on article {analysis.article.id}: {exc}") from exc
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
            corpus = run_checked_corpus(info, info.func, corpus, ctx)
        except Exception as exc:
            kind = StageContractError if isinstance(exc, StageContractError) else StageError
            raise kind(f"stage {info.name!r} failed: {exc}") from exc
        finally:
            ctx.add_stage_time(info.name, time.process_time() - started)
    return corpus


def analyse(articles: Iterable[Article], ctx: Context | None = None) -> Corpus:
    """The whole pipeline on in-memory articles: per-article stages, then cross-article ones."""
    ctx = ctx or Context()
    return analyse_corpus(analyse_articles(articles, ctx), ctx)


# --------------------------------------------------------------------------- pipeline version

#: Modules that shape a stored per-article analysis besides the stages themselves: the data model,
#: the readers (ingest, sources, titles, compressed, and the boilerplate rules the clean stage and the
#: title reader share), the spaCy set-up and this runner of stages. Their imports are followed too.
VERSION_ROOTS = (
    "storyweave.model",
    "storyweave.ingest",
    "storyweave.sources",
    "storyweave.titles",
    "storyweave.compressed",
    "storyweave.boilerplate",
    "storyweave.nlp",
    "storyweave.pipeline",
)


@lru_cache(maxsize=8)
def pipeline_version(spacy_model: str | None = None) -> str:
    """The version under which per-article analyses are stored and reused.

    Package version + a hash of everything a per-article analysis depends on: the declarations of
    the per-article stages, the source of every package module they (and :data:`VERSION_ROOTS`)
    import, directly or through other modules, every data file shipped beside those modules
    (``lexicons/*``, model weights), the spaCy pipeline's name and version and the sentence-embedding
    model's identity. Changing any of them makes the next run re-analyse instead of reusing an
    analysis made under the old rules. Cross-article stages are not part of it: they run afresh on
    every run, from the stored per-article analyses.
    """
    from storyweave import __version__

    package_dir = Path(__file__).resolve().parent
    article_stages = stages("article")
    roots = list(VERSION_ROOTS)
    digest = hashlib.sha1(usedforsecurity=False)
    outside: set[Path] = set()
    for info in article_stages:
        digest.update(f"\x1f{info.name}:{info.scope}:{sorted(info.requires)}:{sorted(info.assigns)}".encode())
        source = _source_file(info.func)
        module = getattr(info.func, "__module__", "") or ""
        if source is not None and _inside(source, package_dir):
            roots.append(module)
        elif source is not None:  # a stage plugged in from outside the package: its file, and what it imports
            outside.add(Path(source))
        else:  # defined in a notebook, `python -c` or exec: hash its code instead
            code = getattr(info.func, "__code__", None)
            digest.update(code.co_code + repr(code.co_consts).encode() if code else repr(info.func).encode())
    digest.update(source_digest(package_dir, roots, extra_files=sorted(outside)).encode())
    digest.update(model_identity(spacy_model or Settings().spacy_model).encode())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def model_identity(spacy_model: str) -> str:
    """The spaCy pipeline (name and version, or a hash of a pipeline folder's meta and config), spaCy's
    own version and the sentence-embedding model's packages: read from package metadata, so nothing loads."""
    from storyweave.embed import embedding_model_identity

    return "\x1f".join(
        (f"spacy {_dist_version('spacy')}", f"model {spacy_pipeline_identity(spacy_model)}", embedding_model_identity())
    )


def spacy_pipeline_identity(name: str) -> str:
    """``name`` with its version: a folder's meta.json and config.cfg are hashed, a package gives its
    installed version ("missing" when it is not installed, which loading will report)."""
    folder = Path(name)
    if folder.is_dir():
        digest = hashlib.sha1(usedforsecurity=False)
        for part in ("meta.json", "config.cfg"):
            if (folder / part).is_file():
                digest.update((folder / part).read_bytes())
        return f"{folder.name} (folder {digest.hexdigest()[:12]})"
    return f"{name} {_dist_version(name)}"


def _dist_version(name: str) -> str:
    for candidate in (name, name.replace("_", "-")):
        try:
            return importlib.metadata.version(candidate)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "missing"


def source_digest(package_dir: Path, roots: Iterable[str], *, extra_files: Iterable[Path] = ()) -> str:
    """A hash of the package files that ``roots`` (module names) depend on: see :func:`version_files`."""
    digest = hashlib.sha1(usedforsecurity=False)
    for path in version_files(package_dir, roots, extra_files=extra_files):
        name = path.relative_to(package_dir).as_posix() if _inside(path, package_dir) else path.name
        digest.update(f"\x1f{name}\x1f".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def version_files(package_dir: Path, roots: Iterable[str], *, extra_files: Iterable[Path] = ()) -> list[Path]:
    """Every file of the package at ``package_dir`` that the modules ``roots`` read, sorted.

    The modules: ``roots`` and every package module they import, followed through the imports of
    each (read from the source, so nothing is imported; imports inside functions count). The top
    package's ``__init__`` is not followed: it only gathers the public names. The data: every file
    that is not Python source in the folder of a module found, and in its sub-folders that are not
    packages themselves (``lexicons/*.txt``, shipped weights); a sub-package's data counts when one
    of its modules is found. ``extra_files`` (stages defined outside the package) are included with
    the package modules they import.
    """
    package_dir = package_dir.resolve()
    package = package_dir.name
    found: set[Path] = set()
    pending = [p for p in (_module_file(package_dir, m) for m in roots) if p is not None]
    pending.extend(Path(p).resolve() for p in extra_files)
    while pending:
        path = pending.pop()
        if path in found:
            continue
        found.add(path)
        for module in _imported_modules(path, package_dir, package):
            target = _module_file(package_dir, module)
            if target is not None and target not in found:
                pending.append(target)
    data: set[Path] = set()
    for folder in {p.parent for p in found if _inside(p, package_dir)}:
        data.update(_data_files(folder))
    return sorted(found | data)


def _inside(path: Path | str, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(folder.resolve())


def _module_file(package_dir: Path, module: str) -> Path | None:
    """The file of module ``module`` inside the package, or None (another package, or the top ``__init__``)."""
    parts = module.split(".")
    if parts[0] != package_dir.name or len(parts) == 1:
        return None
    base = package_dir.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _imported_modules(path: Path, package_dir: Path, package: str) -> Iterator[str]:
    """Module names that ``path`` imports (``from a import b`` gives ``a.b`` when that is a module, else ``a``)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    if _inside(path, package_dir):
        rel = path.relative_to(package_dir).with_suffix("").parts
        current = [package, *rel[:-1]]  # the package a relative import starts from
    else:
        current = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = current[: len(current) - node.level + 1] if node.level <= len(current) else []
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if not module:
                continue
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                yield submodule if _module_file(package_dir, submodule) is not None else module


def _data_files(folder: Path) -> Iterator[Path]:
    """Files in ``folder`` that are not Python, and those of its sub-folders that are not packages."""
    for entry in sorted(folder.iterdir()):
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not (entry / "__init__.py").is_file():
                yield from _data_files(entry)
        elif entry.suffix not in (".py", ".pyc"):
            yield entry.resolve()


def _source_file(func: Any) -> str | None:
    """The file that defines ``func``, or None when it has no real file ('<string>', '<stdin>')."""
    try:
        name = inspect.getsourcefile(func)
    except TypeError:
        return None
    return name if name and Path(name).is_file() else None
