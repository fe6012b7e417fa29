"""The per-article pipeline as Dask tasks, and the cross-article stages per story.

Per-article stages are pure functions of one article, so batches of articles go to Dask workers as
independent tasks. Each worker loads the spaCy pipeline once (a per-worker cache in the worker's
process) and parses its batch with ``nlp.pipe``, exactly as the local engine does, so results are
identical. Only finished analyses travel back (the spaCy ``Doc`` is dropped on the worker), in input
order, with a bounded number of batches in flight: client memory is bounded by
``batch_size × in-flight batches``, not by the corpus size.

Cross-article stages need every article of a story, so they run on the client, once per story found
by :mod:`storyweave.cluster`.

Without a scheduler address a :class:`~distributed.LocalCluster` is started on 127.0.0.1 (worker
processes, no dashboard). Scripts that start one must guard their entry point with
``if __name__ == "__main__":`` because worker processes are spawned and re-import the main module.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storyweave.errors import StageError, StoryweaveError
from storyweave.model import Article, ArticleAnalysis, Corpus
from storyweave.pipeline import Context, analyse_articles, batched, stages
from storyweave.settings import Settings

#: Batches queued or running per worker: enough to keep every worker busy while the client consumes
#: the previous result, small enough to keep memory bounded.
IN_FLIGHT_PER_WORKER = 2
#: glibc's trim threshold for local worker processes. Dask's nanny sets 64 KiB so that workers hand
#: memory back to the OS eagerly; spaCy allocates and frees many small blocks per document, and with
#: that setting a worker parsed the throughput benchmark's corpus about 1.5x slower than with this one.
LOCAL_MALLOC_TRIM_THRESHOLD = 128 * 1024 * 1024
#: Local workers when neither the caller nor STORYWEAVE_DASK_WORKERS says: one per core.
DEFAULT_LOCAL_WORKERS = max(1, os.cpu_count() or 1)

# --------------------------------------------------------------------------- worker side

_WORKER_CONTEXTS: dict[tuple[str, Settings], Context] = {}
_WORKER_LOADS: dict[str, int] = {}
_WORKER_LOCK = threading.Lock()


def _worker_key() -> str:
    """The worker this code runs on (its address), or the process when called outside a worker."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return f"pid-{os.getpid()}"


def _worker_context(settings: Settings, stage_modules: tuple[str, ...], worker: str | None = None) -> Context:
    """This worker's Context: built, with its own spaCy pipeline, on the worker's first batch only."""
    key = (worker or _worker_key(), settings)
    with _WORKER_LOCK:
        ctx = _WORKER_CONTEXTS.get(key)
        if ctx is None:
            import importlib

            from storyweave.nlp import load_nlp

            for module in stage_modules:
                importlib.import_module(module)
            ctx = Context(settings=settings)
            # A pipeline of its own (bypassing the per-process cache), so that threaded workers in one
            # process never share a Language object.
            ctx._nlp = load_nlp.__wrapped__(settings.spacy_model)
            _WORKER_CONTEXTS[key] = ctx
            _WORKER_LOADS[key[0]] = _WORKER_LOADS.get(key[0], 0) + 1
    return ctx


def analyse_batch_task(
    articles: list[Article], settings: Settings, stage_modules: tuple[str, ...]
) -> list[ArticleAnalysis | str]:
    """One Dask task: the per-article stages over a batch, analyses returned without their parse.

    When the batch fails, each article is retried alone, so one bad article costs only itself: its
    slot in the result holds the error message instead of an analysis.
    """
    ctx = _worker_context(settings, stage_modules)
    try:
        return list(analyse_articles(articles, ctx))
    except Exception:  # find the article(s) at fault; the others still count
        out: list[ArticleAnalysis | str] = []
        for article in articles:
            try:
                out.extend(analyse_articles([article], ctx))
            except Exception as exc:
                out.append(f"{type(exc).__name__}: {exc}")
        return out


def _warm_worker(settings: Settings, stage_modules: tuple[str, ...], dask_worker: Any = None) -> bool:
    """Run through ``Client.run`` (which passes ``dask_worker``): load this worker's pipeline now."""
    worker = str(dask_worker.address) if dask_worker is not None else None
    _worker_context(settings, stage_modules, worker)
    return True


def warm_up(client: Any, ctx: Context) -> None:
    """Load the pipeline on every worker of ``client`` now, rather than on each one's first batch."""
    client.run(_warm_worker, ctx.settings, _stage_modules())


def worker_model_loads() -> dict[str, int]:
    """How many times each worker in this process loaded the spaCy pipeline (1 each, when all is well)."""
    with _WORKER_LOCK:
        return dict(_WORKER_LOADS)


# --------------------------------------------------------------------------- client side


def _stage_modules() -> tuple[str, ...]:
    """Modules defining the registered per-article stages, so workers register the same stages."""
    return tuple(sorted({info.func.__module__ for info in stages("article")}))


def _local_workers(n_workers: int | None) -> int:
    if n_workers is not None:
        return max(1, n_workers)
    env = os.environ.get("STORYWEAVE_DASK_WORKERS")
    if env:
        try:
            return max(1, int(env))
        except ValueError as exc:
            raise StoryweaveError(f"STORYWEAVE_DASK_WORKERS must be a whole number, not {env!r}") from exc
    return DEFAULT_LOCAL_WORKERS


@contextmanager
def dask_client(scheduler: str | None = None, *, n_workers: int | None = None, processes: bool = True) -> Iterator[Any]:
    """A connected ``distributed.Client``, closed (with its local cluster, if any) on exit.

    ``scheduler`` is a scheduler address (``tcp://host:8786``), a scheduler file (JSON, as written by
    dask-jobqueue/dask-mpi/``dask scheduler --scheduler-file``), or ``None``/``"local"`` for a
    LocalCluster on 127.0.0.1 with ``n_workers`` single-threaded workers.
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise StoryweaveError(
            "the dask engine needs dask.distributed: pip install 'storyweave[dask]' (dask[distributed]==2026.8.0)"
        ) from exc
    if scheduler and scheduler != "local":
        try:
            if scheduler.endswith(".json") and Path(scheduler).is_file():
                client = Client(scheduler_file=scheduler)
            else:
                client = Client(scheduler)
        except OSError as exc:
            raise StoryweaveError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        try:
            yield client
        finally:
            client.close()
        return
    # Worker processes talk TCP on loopback only; threaded workers use in-process transport (no socket).
    network = {"host": "127.0.0.1"} if processes else {}
    local_config = {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": LOCAL_MALLOC_TRIM_THRESHOLD,
        # The worker's statistical profiler samples every thread's stack every 10 ms, holding the GIL:
        # costly for spaCy's Python-heavy code, and useless without a dashboard to show it.
        "distributed.worker.profile.enabled": False,
    }
    with dask.config.set(local_config):
        cluster = LocalCluster(
            n_workers=_local_workers(n_workers),
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            **network,
        )
    try:
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


def analyse_on_client(
    articles: Iterable[Article],
    ctx: Context,
    client: Any,
    *,
    batch_size: int | None = None,
    on_error: Callable[[Article, str], None] | None = None,
) -> Iterator[ArticleAnalysis]:
    """Per-article stages on an already connected client, yielded in input order.

    At most ``IN_FLIGHT_PER_WORKER × workers`` batches are submitted and not yet consumed; the input
    is read lazily, only as results are taken. An article whose stages fail is passed to
    ``on_error(article, message)`` and skipped; without ``on_error`` the failure raises StageError.
    """
    size = batch_size or ctx.settings.batch_size
    modules = _stage_modules()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    limit = IN_FLIGHT_PER_WORKER * workers
    pending: deque[tuple[list[Article], Any]] = deque()

    def take() -> Iterator[ArticleAnalysis]:
        batch, future = pending.popleft()
        for article, result in zip(batch, future.result(), strict=True):
            if isinstance(result, ArticleAnalysis):
                yield result
            elif on_error is not None:
                on_error(article, result)
            else:
                raise StageError(f"article {article.id} failed on a Dask worker: {result}")

    try:
        for batch in batched(articles, size):
            pending.append((batch, client.submit(analyse_batch_task, batch, ctx.settings, modules, pure=False)))
            while len(pending) >= limit:
                yield from take()
        while pending:
            yield from take()
    finally:
        for _batch, future in pending:
            future.cancel()


def analyse_articles_dask(
    articles: Iterable[Article],
    ctx: Context,
    *,
    scheduler: str | None = None,
    batch_size: int | None = None,
    n_workers: int | None = None,
    processes: bool = True,
    on_error: Callable[[Article, str], None] | None = None,
) -> Iterator[ArticleAnalysis]:
    """The per-article stages as Dask tasks; same analyses, in the same order, as the local engine.

    ``scheduler``: address or scheduler file of an existing cluster; ``None`` starts a local one
    (``n_workers`` processes, or threads with ``processes=False``) for the duration of the iteration.
    """
    with dask_client(scheduler, n_workers=n_workers, processes=processes) as client:
        yield from analyse_on_client(articles, ctx, client, batch_size=batch_size, on_error=on_error)


# --------------------------------------------------------------------------- stories


def analyse_stories(
    analyses: Iterable[ArticleAnalysis],
    ctx: Context,
    *,
    embedder: Any = "default",
) -> Iterator[tuple[dict[str, Any], Corpus]]:
    """Cluster finished analyses into stories, then run the cross-article stages once per story.

    Yields ``(story, corpus)`` with the story dicts of :func:`storyweave.stories.group_stories`,
    largest first. ``embedder="default"`` uses ``ctx.embedder``; ``None`` clusters without it.
    """
    from storyweave.stories import analyse_stories as per_story

    yield from per_story(analyses, ctx, embedder="context" if embedder == "default" else embedder)
