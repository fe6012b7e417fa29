"""The runner: files -> articles -> per-article stages -> store -> cross-article stages -> reports.

Every analysis is saved (in its own transaction) as soon as it is finished, and only articles
with no stored analysis at the current :func:`pipeline_version` are analysed, so a run that was
killed resumes where it stopped and a re-run of the same files is nearly free. The cross-article
stages always run over analyses loaded back from the store, so a fresh run and a resumed run
see exactly the same input and write the same report.

Per-article time limit: each article's stages run under a ``SIGALRM`` timer
(``Settings.article_timeout``). When it fires, that article is skipped with an error line and the
batch goes on. Timers only exist in the main thread of a POSIX process; elsewhere (a web server's
worker thread, Windows) articles run without a limit, and with ``engine="dask"`` the limit is the
workers' business. Python delivers the signal between bytecodes, so a stage inside one long C call
is stopped when that call returns. Parsing is batched (``nlp.pipe``) under one
timer for the whole batch; if the batch runs out of time its articles are parsed one by one, each
under its own limit, which finds the slow article without giving up batching for the rest.
"""

from __future__ import annotations

import ctypes
import gc
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from storyweave.contract import stories_report, validate
from storyweave.errors import IngestError, StoryweaveError, message, shown
from storyweave.ingest import IngestResult, article_warnings, jsonl_record
from storyweave.model import Article, ArticleAnalysis, Corpus
from storyweave.pipeline import (
    Context,
    StageInfo,
    analyse_corpus,
    new_analysis,
    pipeline_version,
    run_article_stages,
    stages,
)
from storyweave.settings import Settings
from storyweave.sources import read_inputs
from storyweave.store import Store
from storyweave.stories import group_stories, story_summary

Progress = Callable[[int, int], None]
Outcome = tuple[Article, ArticleAnalysis | None, str | None]


# ---------------------------------------------------------------------- time limit


class ArticleTimeout(BaseException):
    """Raised inside a stage when the article's time is up.

    A BaseException, so that a stage's own ``except Exception`` (or the stage runner's error
    wrapping) cannot swallow it.
    """


def _can_time_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    """The limit for a worker thread (SIGALRM is the main thread's only): a timer raises
    :class:`ArticleTimeout` asynchronously in this thread. Python delivers such an exception at the
    next bytecode, so a stage stuck in Python code stops; one inside a long C call stops when it returns.
    """
    target = threading.get_ident()
    fired = threading.Event()

    def interrupt() -> None:
        fired.set()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(ArticleTimeout))

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if fired.is_set():  # the exception may still be pending if the block ended just in time
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block after ``seconds`` (no limit when ``seconds <= 0``)."""
    if seconds <= 0:
        yield
        return
    if not _can_time_limit():
        with _thread_time_limit(seconds):
            yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ArticleTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: The name under which the spaCy parse's CPU time is added to ``Context.stage_seconds``.
PARSE = "parse (spaCy)"


def analyse_with_limits(articles: list[Article], ctx: Context) -> Iterator[Outcome]:
    """Per-article stages for each article, in order: ``(article, analysis or None, error or None)``."""
    order = stages("article")
    timeout = ctx.settings.article_timeout
    ctx.nlp  # noqa: B018 - load the model before any timer starts, so loading is never timed
    size = max(1, ctx.settings.batch_size)
    for i in range(0, len(articles), size):
        batch = articles[i : i + size]
        docs: list[Any] = [None] * len(batch)
        started = time.process_time()
        try:
            with time_limit(timeout * len(batch)):
                docs = list(ctx.nlp.pipe([a.text for a in batch], batch_size=len(batch)))
        except (ArticleTimeout, Exception):  # one bad text spoils nlp.pipe: parse one by one below
            docs = [None] * len(batch)
        finally:  # the parse's share of the article stages' time, beside the stages' own
            ctx.add_stage_time(PARSE, time.process_time() - started)
        for article, doc in zip(batch, docs, strict=True):
            yield _analyse_one(article, doc, order, ctx, timeout)


def _analyse_one(article: Article, doc: Any, order: list[StageInfo], ctx: Context, timeout: float) -> Outcome:
    try:
        with time_limit(timeout):
            if doc is None:
                started = time.process_time()
                try:
                    doc = ctx.nlp(article.text)
                finally:
                    ctx.add_stage_time(PARSE, time.process_time() - started)
            return article, run_article_stages(replace(new_analysis(article), doc=doc), ctx, order), None
    except ArticleTimeout:
        return article, None, f"took longer than {timeout:g} s to analyse (Settings.article_timeout); skipped"
    except Exception as exc:  # a stage bug or an unparseable text costs this article, not the batch
        return article, None, str(exc)


#: Seconds between looks at the store while waiting for articles another run is analysing.
CLAIM_POLL = 0.5


def _analyse_claimed(
    store: Store,
    result: RunResult,
    todo: list[Article],
    version: str,
    ctx: Context,
    engine: str,
    scheduler: str | None,
    say: Callable[[str], None],
) -> Iterator[Outcome]:
    """Analyse ``todo``, one claimed batch at a time, sharing the work with concurrent runs.

    Each batch is claimed in the store first (:meth:`Store.claim_analyses`); articles another
    live run has claimed are left to it, and once nothing is left to claim this run waits for
    them and reuses what it stored (counted in ``result.reused``). A claim older than a batch's
    time limit, or of a run whose process is gone, is taken over, so a killed run never blocks.
    """
    size = max(1, ctx.settings.batch_size) if engine == "local" else max(1, len(todo))
    stale_after = max(60.0, ctx.settings.article_timeout * size * 2)  # a whole batch's limit, twice
    pending = {a.id: a for a in todo}
    waiting = False
    while pending:
        claims = store.claim_analyses(result.run_id, version, list(pending), limit=size, stale_after=stale_after)
        for article_id in claims.done:
            del pending[article_id]
            result.reused += 1
        if claims.claimed:
            batch = [pending.pop(article_id) for article_id in claims.claimed]
            try:
                if engine == "local":
                    yield from analyse_with_limits(batch, ctx)
                else:
                    yield from _analyse_dask(batch, ctx, scheduler)
            finally:  # what failed (or was interrupted) is free for another run to try
                store.release_claims(result.run_id, claims.claimed)
        elif pending:
            if not waiting:
                say(f"waiting for another run analysing {len(pending)} of these articles")
                waiting = True
            time.sleep(CLAIM_POLL)


def _analyse_dask(articles: list[Article], ctx: Context, scheduler: str | None) -> Iterator[Outcome]:
    try:
        import dask  # noqa: F401

        from storyweave.scale import analyse_articles_dask
    except ImportError as exc:
        raise StoryweaveError(
            f"engine 'dask' needs dask and storyweave.scale: pip install 'storyweave[dask]' ({exc})"
        ) from exc
    failures: list[Outcome] = []

    def on_error(article: Article, reason: str) -> None:
        failures.append((article, None, reason))

    by_id = {a.id: a for a in articles}
    for analysis in analyse_articles_dask(articles, ctx, scheduler=scheduler, on_error=on_error):
        yield from failures
        failures.clear()
        yield by_id.get(analysis.id, analysis.article), analysis, None
    yield from failures


# ---------------------------------------------------------------------- garbage collection

#: Allocations between young-generation collections during a run (Python's default is 700).
RUN_GC_THRESHOLD = 50_000
_gc_lock = threading.Lock()
_gc_runs = 0
_gc_saved: tuple[int, int, int] | None = None


@contextmanager
def run_gc_settings() -> Iterator[None]:
    """Fewer, cheaper garbage collections while a run is in progress.

    A parse and the findings built from it allocate millions of small objects, and every few
    hundred allocations the collector used to scan them, along with everything already alive (the
    spaCy models, the analyses); that cost about a fifth of a run's CPU time. During a run the
    young-generation threshold is raised and what was alive before the run is frozen (left out of
    collections); both are undone when the last concurrent run ends. Memory is still freed by
    reference counting as usual; only cycles wait a little longer.
    """
    global _gc_runs, _gc_saved
    with _gc_lock:
        if _gc_runs == 0:
            _gc_saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(RUN_GC_THRESHOLD, *_gc_saved[1:])
        _gc_runs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_runs -= 1
            if _gc_runs == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)
                gc.unfreeze()


# ---------------------------------------------------------------------- runs


@dataclass
class RunResult:
    """What a run did: its report and output files, and how much work it took."""

    run_id: int
    status: str  # ok | failed
    report: dict[str, Any] | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    article_ids: list[str] = field(default_factory=list)
    analysed: int = 0  # analysed in this run
    reused: int = 0  # already in the store at the current pipeline version
    failed: int = 0
    errors: list[str] = field(default_factory=list)  # "PATH: reason", one per bad file or article
    warnings: list[str] = field(default_factory=list)  # "PATH: reason", one per article not read exactly
    db: Path | None = None
    #: phase -> (wall seconds, CPU seconds of this process): where a run's time went.
    timings: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def stats(self) -> dict[str, Any]:
        return {
            "articles": len(self.article_ids),
            "analysed": self.analysed,
            "reused": self.reused,
            "failed": self.failed,
            "errors": self.errors,
            "seconds": {phase: round(wall, 3) for phase, (wall, _cpu) in self.timings.items()},
        }


@contextmanager
def _phase(result: RunResult, name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        result.timings[name] = (time.perf_counter() - wall, time.process_time() - cpu)


def _dedupe(ingested: IngestResult) -> tuple[list[Article], dict[str, list[str]]]:
    """One article per id (the first read), with every path its text was read from."""
    unique: dict[str, Article] = {}
    sources: dict[str, list[str]] = {}
    for a in ingested.articles:
        unique.setdefault(a.id, a)
        sources.setdefault(a.id, []).append(a.source)
    for source, article_id in ingested.duplicates:
        if article_id in sources and source not in sources[article_id]:
            sources[article_id].append(source)
    return list(unique.values()), sources


@run_gc_settings()  # raised GC thresholds for the run, restored afterwards
def run_analysis(
    paths: Iterable[str | Path],
    *,
    out_dir: str | Path,
    db: str | Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    quiet: bool = False,
    progress: Progress | None = None,
    settings: Settings | None = None,
    ctx: Context | None = None,
    url_lists: Iterable[str | Path] = (),
    one_story: bool = False,
) -> RunResult:
    """Analyse the files under ``paths`` and write report.json/.md/.html into ``out_dir``.

    ``db`` keeps articles and analyses between runs (``None``: a temporary store). ``paths`` may hold
    http(s) URLs of pages or feeds, and ``url_lists`` files of URLs (see sources.py). Bad files and
    URLs are collected in ``RunResult.errors``; the run fails only when nothing could be analysed.
    The articles are grouped into stories and the cross-article stages run per story
    (:mod:`storyweave.stories`); ``one_story`` takes the whole input as one story.
    """
    if engine not in ("local", "dask"):
        raise StoryweaveError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    ctx = ctx or Context(settings=settings or Settings())
    settings = ctx.settings

    def say(message: str) -> None:
        if not quiet:
            print(f"storyweave: {message}", file=sys.stderr, flush=True)

    path_list = [str(p) for p in paths]
    started = (time.perf_counter(), time.process_time())
    ingested = read_inputs(path_list, settings, url_lists=[str(u) for u in url_lists])
    articles, sources = _dedupe(ingested)
    version = pipeline_version(settings.spacy_model)
    args = {"paths": path_list, "out_dir": str(out_dir), "engine": engine, "model": settings.spacy_model}
    with Store.open(db) as store:
        result = RunResult(
            run_id=store.start_run(args),
            status="running",
            article_ids=[a.id for a in articles],
            errors=[str(e) for e in ingested.errors],
            warnings=[str(w) for w in ingested.warnings],
            db=None if db is None else Path(db),
        )
        result.timings["ingest"] = (time.perf_counter() - started[0], time.process_time() - started[1])
        try:
            with _phase(result, "store articles"):
                store.update_run(result.run_id, article_ids=result.article_ids, pipeline_version=version)
                for a in articles:
                    store.save_article(a, sources=sources[a.id])
                store.save_raw_documents(ingested.raw)
                done = store.analysed_ids(version)
            todo = [a for a in articles if a.id not in done]
            result.reused = len(articles) - len(todo)
            say(f"{len(todo)} of {len(articles)} articles to analyse ({result.reused} already in the store)")
            store.update_run(result.run_id, stats=result.stats)
            if progress is not None and todo:
                progress(0, len(todo))
            with _phase(result, "article stages"):
                outcomes = _analyse_claimed(store, result, todo, version, ctx, engine, scheduler, say)
                for n, (article, analysis, error) in enumerate(outcomes, 1):
                    if analysis is None:
                        result.failed += 1
                        result.errors.append(message(article.source, error or "failed"))
                    else:
                        store.save_analysis(
                            analysis, sources=sources.get(article.id, ()), version=version, read=article
                        )
                        result.analysed += 1
                    if progress is not None:
                        progress(n, len(todo))
            with _phase(result, "load analyses"):
                analyses = list(store.load_analyses(result.article_ids, version=version))
            if not analyses:
                result.status = "failed"
                store.finish_run(result.run_id, None, None, "failed", stats=result.stats)
                return result
            with _phase(result, "stories"):
                stories = group_stories(analyses, ctx, one_story=one_story)
            with _phase(result, "corpus stages"):
                by_id = {a.article.id: a for a in analyses}
                parts = [(story_summary(s), analyse_corpus([by_id[i] for i in s["articles"]], ctx)) for s in stories]
                corpus = Corpus(analyses=tuple(a for _story, part in parts for a in part.analyses))
            with _phase(result, "report"):
                report = stories_report(parts)
                try:
                    validate(report)
                except Exception as exc:
                    reason = str(exc).splitlines()[0]
                    raise StoryweaveError(f"the report does not follow the contract: {reason}") from exc
                result.outputs = _write_reports(report, Path(out_dir), result.errors)
            result.report = report
            result.status = "ok"
            store.finish_run(result.run_id, corpus, report, "ok", stats=result.stats)
        except BaseException as exc:
            if result.status == "running":
                result.status = "failed"
                stats = {**result.stats, "error": str(exc) or type(exc).__name__}
                # recording the failure must not hide the failure itself
                with suppress(Exception):
                    store.finish_run(result.run_id, None, None, "failed", stats=stats)
            raise
    return result


def _write_reports(report: dict[str, Any], out_dir: Path, errors: list[str]) -> dict[str, Path]:
    """All report formats as one set; when a rendered view fails, still report.json (the contract) and an error."""
    from storyweave.report import write_reports

    return write_reports(report, out_dir, errors=errors)


@dataclass
class IngestSummary:
    new: int = 0
    known: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ingest_into_store(
    paths: Iterable[str | Path],
    *,
    db: str | Path,
    settings: Settings | None = None,
    url_lists: Iterable[str | Path] = (),
) -> IngestSummary:
    """Read files into the store without analysing them (``storyweave analyze`` can follow).

    ``settings`` carries the ingest limits (file size, article length); the defaults otherwise.
    """
    ingested = read_inputs([str(p) for p in paths], settings or Settings(), url_lists=[str(u) for u in url_lists])
    articles, sources = _dedupe(ingested)
    summary = IngestSummary(errors=[str(e) for e in ingested.errors], warnings=[str(w) for w in ingested.warnings])
    with Store.open(db) as store:
        for a in articles:
            if store.save_article(a, sources=sources[a.id]):
                summary.new += 1
            else:
                summary.known += 1
        store.save_raw_documents(ingested.raw)
    return summary


def render_report(*, db: str | Path, out_dir: str | Path, run_id: int | None = None) -> dict[str, Path]:
    """Write the stored report of ``run_id`` (default: the latest run with one) into ``out_dir``."""
    from storyweave.report import write_reports

    with Store.open(db) as store:
        report = store.latest_report() if run_id is None else store.load_report(run_id)
    if report is None:
        which = "any run" if run_id is None else f"run {run_id}"
        raise StoryweaveError(f"no stored report for {which} in {db}")
    return write_reports(report, Path(out_dir))


def iter_jsonl_articles(
    path: str | Path,
    *,
    settings: Settings | None = None,
    on_error: Callable[[str], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[Article]:
    """Articles from a JSONL file read line by line (constant memory, for files of any length).

    Each bad line is reported to ``on_error`` as ``"FILE:LINE: reason"`` and skipped; a line read
    but not exactly as written (lone surrogates replaced) is reported to ``on_warning``.
    """
    settings = settings or Settings()
    report = on_error or (lambda line: None)
    warn = on_warning or (lambda line: None)
    with Path(path).open("rb") as stream:
        for lineno, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"{shown(str(path))}:{lineno}"
            try:
                article = jsonl_record(raw.decode("utf-8"), where, "utf-8", settings)
            except UnicodeDecodeError as exc:
                report(message(where, f"malformed JSON line (not UTF-8: {exc.reason})"))
                continue
            except IngestError as exc:
                report(str(exc))
                continue
            for warning in article_warnings(article):
                warn(str(warning))
            yield article


def cluster_jsonl(
    path: str | Path,
    *,
    threshold: float | None = None,
    on_error: Callable[[str], None] | None = None,
    settings: Settings | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[dict[str, str]]:
    """Stream a JSONL file through the story clusterer: one ``{"article", "story"}`` per article.

    ``settings`` carries the ingest limits applied to each line's article.
    """
    from storyweave.cluster import cluster_stream

    articles = iter_jsonl_articles(path, settings=settings, on_error=on_error, on_warning=on_warning)
    for article_id, story_id in cluster_stream(articles, threshold=threshold):
        yield {"article": article_id, "story": story_id}


@dataclass
class ClusterResult:
    """What ``storyweave cluster FILES`` did: the stories, the files written, the bad files."""

    stories: list[dict[str, Any]]
    outputs: dict[str, Path] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def cluster_paths(
    paths: Iterable[str | Path],
    *,
    out_dir: str | Path | None = None,
    threshold: float | None = None,
    settings: Settings | None = None,
    embedder: Any = "default",
) -> ClusterResult:
    """Read the files under ``paths`` (as ``analyze`` does) and group their articles into stories.

    Each story lists its article ids and ``sources`` (every path its articles were read from). With
    ``out_dir``, writes ``clusters.json``: ``{"clusters": [[source, ...], ...], "stories": [...]}``.
    """
    from storyweave.cluster import cluster_batch, default_embedder, featurise
    from storyweave.report import write_atomic

    ingested = read_inputs([str(p) for p in paths], settings or Settings())
    articles, sources = _dedupe(ingested)
    errors = [f"{e.source}: {e.reason}" for e in ingested.errors]
    model = default_embedder() if embedder == "default" and articles else (None if embedder == "default" else embedder)
    stories = cluster_batch(featurise(((a, None) for a in articles), model), threshold=threshold)
    stories.sort(key=lambda s: (-s["size"], s["first_published"] or "9999-12-31", s["id"]))
    for story in stories:
        story["sources"] = [source for article_id in story["articles"] for source in sources[article_id]]
    result = ClusterResult(stories, errors=errors)
    if out_dir is not None:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "clusters.json"
        document = {"clusters": [story["sources"] for story in stories], "stories": stories}
        write_atomic(path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        result.outputs["clusters"] = path
    return result


def sample_dir() -> Path:
    """The bundled sample corpus: ``examples/sample`` of a source checkout.

    A wheel does not contain it (it is not package data); set ``STORYWEAVE_SAMPLE`` to a copy.
    """
    import os

    env = os.environ.get("STORYWEAVE_SAMPLE")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "examples" / "sample")
    for path in candidates:
        if path.is_dir():
            return path
    raise StoryweaveError(
        "the sample corpus was not found (it ships in the source tree as examples/sample/); "
        "set STORYWEAVE_SAMPLE to its folder"
    )


def sample_files(folder: Path) -> list[Path]:
    """The article files of a sample folder (its expected.json is an answer key, not an article)."""
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name != "expected.json" and not p.name.startswith(".")
    )
