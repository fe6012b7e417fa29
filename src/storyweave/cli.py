"""The command line: each command parses its options and calls one library function.

Output files' paths go to stdout (one per line, easy to pipe); progress, counts and errors go to
stderr, one line per bad file: ``error: PATH: reason``. A command exits non-zero only when it could
do nothing useful (no article analysed, no report stored, an invalid report).
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from storyweave.errors import StoryweaveError, shown
from storyweave.settings import Settings

app = typer.Typer(
    help="Read many news accounts of one story; show what they agree on and where they differ.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or folders (txt, html, json, jsonl, warc, .gz of these), http(s) URLs of pages or "
        "RSS/Atom feeds; - for stdin."
    ),
]
UrlsOption = Annotated[
    list[Path] | None,
    typer.Option("--urls", help="A file of URLs (pages or feeds), one per line; may be given more than once."),
]
DbOption = Annotated[Path | None, typer.Option("--db", help="SQLite store kept between runs (default: temporary).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or counts on stderr.")]
FollowOption = Annotated[
    bool,
    typer.Option("--follow-symlinks", help="Also read symbolic links that lead out of an input folder."),
]


def _err(message: str) -> None:
    """One line on stderr; whatever the message holds (a path, a record's text in an exception),
    it cannot break into a second line or send a terminal control sequence (see errors.shown)."""
    typer.echo(shown(message), err=True)


def _fail(exc: Exception) -> typer.Exit:
    _err(f"error: {exc}")
    return typer.Exit(1)


class _ProgressBar:
    """A rich progress bar on stderr, shown only when there is enough work to be worth one."""

    def __init__(self, threshold: int) -> None:
        self._threshold = threshold
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total <= self._threshold:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("analysing"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("analysing", total=total)
        self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@app.callback()
def _group() -> None:
    """storyweave: cross-source analysis of news coverage."""


@app.command()
def analyze(
    paths: PathsArg = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json, report.md, report.html.")] = Path(
        "storyweave-report"
    ),
    db: DbOption = None,
    engine: Annotated[str, typer.Option(help="local, or dask to spread per-article work over a cluster.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a local cluster).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline: installed package name or path.")] = None,
    urls: UrlsOption = None,
    one_story: Annotated[
        bool, typer.Option("--one-story", help="Take every article as one story (no grouping into stories).")
    ] = False,
    quiet: QuietOption = False,
    follow_symlinks: FollowOption = False,
) -> None:
    """Analyse articles (files, URLs, feeds) and write the reports into OUT.

    The articles are first grouped into stories; claims, statements, numbers, dates and the brief
    compare articles of one story only, and the report has a section per story.

    Example: storyweave analyze articles/ https://example.org/feed.xml --out report/ --db news.db
    """
    from storyweave.runner import run_analysis

    if not paths and not urls:
        raise _fail(StoryweaveError("nothing to analyse: give files, folders, URLs or --urls FILE"))

    settings = Settings() if model is None else replace(Settings(), spacy_model=model)
    if follow_symlinks:
        settings = replace(settings, follow_symlinks=True)
    bar = _ProgressBar(settings.progress_threshold) if not quiet else None
    try:
        result = run_analysis(
            paths or [],
            out_dir=out,
            db=db,
            engine=engine,
            scheduler=scheduler,
            quiet=quiet,
            progress=bar,
            settings=settings,
            url_lists=urls or [],
            one_story=one_story,
        )
    except StoryweaveError as exc:
        raise _fail(exc) from exc
    finally:
        if bar is not None:
            bar.close()
    for line in result.warnings:
        _err(f"warning: {line}")
    for line in result.errors:
        _err(f"error: {line}")
    if result.status != "ok":
        _err("error: no article could be analysed")
        raise typer.Exit(1)
    if not quiet:
        _err(
            f"storyweave: run {result.run_id}: {len(result.article_ids)} articles "
            f"({result.analysed} analysed, {result.reused} reused, {result.failed} failed)"
        )
    for path in result.outputs.values():
        typer.echo(str(path))


@app.command()
def ingest(
    db: Annotated[Path, typer.Option("--db", help="SQLite store to read the articles into.")],
    paths: PathsArg = None,
    urls: UrlsOption = None,
    quiet: QuietOption = False,
    follow_symlinks: FollowOption = False,
) -> None:
    """Read articles (files, URLs, feeds) into the store without analysing them.

    Example: storyweave ingest feeds/*.jsonl https://example.org/rss --db news.db
    """
    from storyweave.runner import ingest_into_store

    if not paths and not urls:
        raise _fail(StoryweaveError("nothing to read: give files, folders, URLs or --urls FILE"))
    try:
        summary = ingest_into_store(
            paths or [], db=db, settings=replace(Settings(), follow_symlinks=follow_symlinks), url_lists=urls or []
        )
    except StoryweaveError as exc:
        raise _fail(exc) from exc
    for line in summary.warnings:
        _err(f"warning: {line}")
    for line in summary.errors:
        _err(f"error: {line}")
    if not quiet:
        _err(f"storyweave: {summary.new} new articles, {summary.known} already stored, {len(summary.errors)} errors")
    if summary.new + summary.known == 0:
        raise typer.Exit(1)


@app.command()
def report(
    db: Annotated[Path, typer.Option("--db", help="SQLite store written by analyze.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the reports.")],
    run: Annotated[int | None, typer.Option("--run", help="Run id (default: the latest run with a report).")] = None,
) -> None:
    """Re-render a stored run's report into OUT.

    Example: storyweave report --db news.db --out report/ --run 3
    """
    from storyweave.runner import render_report

    try:
        outputs = render_report(db=db, out_dir=out, run_id=run)
    except StoryweaveError as exc:
        raise _fail(exc) from exc
    for path in outputs.values():
        typer.echo(str(path))


@app.command()
def runs(db: Annotated[Path, typer.Option("--db", help="SQLite store.")]) -> None:
    """List the runs recorded in a store, newest first.

    Example: storyweave runs --db news.db
    """
    from storyweave.store import Store

    try:
        with Store.open(db) as store:
            for r in store.runs():
                stats = r["stats"]
                typer.echo(
                    f"{r['id']}\t{r['status']}\t{r['started']}\t{len(r['article_ids'])} articles\t"
                    f"analysed {stats.get('analysed', '-')}, reused {stats.get('reused', '-')}"
                )
    except StoryweaveError as exc:
        raise _fail(exc) from exc


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the reports.")] = Path("storyweave-demo"),
    quiet: QuietOption = False,
) -> None:
    """Analyse the bundled sample corpus (five invented articles about one event).

    Example: storyweave demo --out demo-report/
    """
    from storyweave.runner import sample_dir, sample_files

    try:
        files = sample_files(sample_dir())
    except StoryweaveError as exc:
        raise _fail(exc) from exc
    analyze(
        [str(p) for p in files], out=out, db=None, engine="local", scheduler=None, model=None, urls=None, quiet=quiet
    )


@app.command()
def validate(report_path: Annotated[Path, typer.Argument(metavar="REPORT.json", help="A report to check.")]) -> None:
    """Check a report.json against the contract (schema and span texts).

    Example: storyweave validate report/report.json
    """
    from storyweave.codec import load_json
    from storyweave.contract import validate as validate_report

    try:
        data = load_json(report_path.read_text(encoding="utf-8"))
        validate_report(data)
    except (OSError, ValueError) as exc:  # jsonschema.ValidationError and JSONDecodeError are ValueErrors
        _err(f"error: {report_path}: {str(exc).splitlines()[0]}")
        raise typer.Exit(1) from exc
    except Exception as exc:
        _err(f"error: {report_path}: {str(exc).splitlines()[0]}")
        raise typer.Exit(1) from exc
    typer.echo(f"ok: {report_path} follows the report contract (schema_version {data.get('schema_version')})")


@app.command("export")
def export_findings(
    report_path: Annotated[
        Path | None, typer.Argument(metavar="[REPORT.json]", help="A report to export (or use --db).")
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help="SQLite store with the run to export.")] = None,
    run: Annotated[int | None, typer.Option("--run", help="Run id (default: the latest run with a report).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv (a folder of files), xlsx or jsonl.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder (csv) or file to write.")] = None,
) -> None:
    """Export claims x sources, statements, figures, discrepancies and entities for a spreadsheet.

    Example: storyweave export --db news.db --run 3 --format xlsx --out findings.xlsx
    """
    from storyweave import export as exporting

    if fmt not in exporting.FORMATS:
        raise _fail(StoryweaveError(f"unknown format {fmt!r}: use one of {', '.join(exporting.FORMATS)}"))
    if (report_path is None) == (db is None):
        raise _fail(StoryweaveError("give exactly one of REPORT.json or --db FILE"))
    try:
        if report_path is not None:
            try:
                data = json.loads(report_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoryweaveError(f"{report_path}: cannot read the report ({str(exc).splitlines()[0]})") from exc
            if not isinstance(data, dict) or "articles" not in data:
                raise StoryweaveError(f"{report_path}: not a storyweave report")
        else:
            from storyweave.store import Store

            with Store.open(db) as store:
                data = store.latest_report() if run is None else store.load_report(run)
            if data is None:
                raise StoryweaveError(f"no stored report for {'any run' if run is None else f'run {run}'} in {db}")
        written = exporting.export(data, fmt, out or exporting.default_out(fmt))
    except StoryweaveError as exc:
        raise _fail(exc) from exc
    except OSError as exc:
        raise _fail(StoryweaveError(f"cannot write the export: {exc.strerror or exc}")) from exc
    for path in written:
        typer.echo(str(path))


@app.command("stages")
def list_stages() -> None:
    """List the registered pipeline stages in run order.

    Example: storyweave stages
    """
    from storyweave.pipeline import stages as registered

    for info in registered():
        requires = ",".join(sorted(info.requires)) or "-"
        assigns = ",".join(sorted(info.assigns)) or "-"
        typer.echo(f"{info.scope:8} {info.order:4d}  {info.name:16} reads {requires}; writes {assigns}")


@app.command()
def serve(
    db: Annotated[Path, typer.Option("--db", help="SQLite store to browse.")],
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8008,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Another host name to answer to (a reverse proxy's); repeatable."),
    ] = None,
) -> None:
    """Browse a store in the web interface.

    Example: storyweave serve --db news.db --port 8008
    """
    try:
        from storyweave.web.app import serve as serve_app
    except ImportError as exc:
        raise _fail(StoryweaveError(f"the web interface is not available: {exc}")) from exc
    serve_app(db, host, port, allowed_hosts=allow_host or ())


@app.command()
def cluster(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files or folders (txt, html, json, jsonl, warc), as for analyze.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="With FILES: folder for clusters.json.")] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Cluster every article in this store.")] = None,
    jsonl: Annotated[Path | None, typer.Option("--jsonl", help="Stream articles from a JSONL file.")] = None,
    threshold: Annotated[float | None, typer.Option(help="Join probability needed to join a story.")] = None,
) -> None:
    """Group articles into stories: files and folders, a store's articles (saved into it) or a JSONL stream.

    FILES: one JSON line per story (id, title, articles, sources, ...), or with --out DIR the file
    DIR/clusters.json = {"clusters": [[source, ...], ...], "stories": [...]}.

    Example: storyweave cluster articles/ --out stories/
    """
    if sum(x is not None for x in (paths or None, db, jsonl)) != 1:
        raise _fail(StoryweaveError("give exactly one of FILES, --db FILE or --jsonl FILE"))
    if out is not None and not paths:
        raise _fail(StoryweaveError("--out goes with FILES"))
    if paths:
        from storyweave.runner import cluster_paths

        try:
            result = cluster_paths(paths, out_dir=out, threshold=threshold)
        except (OSError, StoryweaveError) as exc:
            raise _fail(StoryweaveError(str(exc))) from exc
        for line in result.errors:
            _err(f"error: {line}")
        if not result.stories:
            _err("error: no article could be read")
            raise typer.Exit(1)
        if out is None:
            for story in result.stories:
                typer.echo(json.dumps(story, ensure_ascii=False))
        for path in result.outputs.values():
            typer.echo(str(path))
        return
    try:
        from storyweave import cluster as clustering
    except ImportError as exc:
        raise _fail(StoryweaveError(f"clustering is not available: {exc}")) from exc
    try:
        if db is not None:
            from storyweave.store import Store

            with Store.open(db) as store:
                for story in clustering.cluster_store(store, threshold=threshold):
                    typer.echo(json.dumps(story, ensure_ascii=False))
        else:
            from storyweave.runner import cluster_jsonl

            assert jsonl is not None
            rows = cluster_jsonl(
                jsonl,
                threshold=threshold,
                on_error=lambda line: _err(f"error: {line}"),
                on_warning=lambda line: _err(f"warning: {line}"),
            )
            for row in rows:
                typer.echo(json.dumps(row))
    except OSError as exc:
        raise _fail(StoryweaveError(str(exc))) from exc
    except StoryweaveError as exc:
        raise _fail(exc) from exc


@app.command("check")
def check_command(
    claim: Annotated[str | None, typer.Argument(metavar="CLAIM", help="The claim, in quotes.")] = None,
    paths: Annotated[list[str] | None, typer.Argument(metavar="FILES...", help="Articles (as for analyze).")] = None,
    pairs: Annotated[
        Path | None, typer.Option("--pairs", help='JSON Lines of {"id", "claim", "text"}; JSON Lines out on stdout.')
    ] = None,
) -> None:
    """Which articles support or contradict a claim, and where.

    Each article's stance (supports / contradicts / discusses / unrelated), the model's score and
    the spans that decided. Example: storyweave check "The plant closed on Monday" articles/

    Batch form: storyweave check --pairs pairs.jsonl > stances.jsonl
    """
    from storyweave.check import check, check_pairs
    from storyweave.pipeline import Context

    if pairs is not None:
        if claim is not None or paths:
            _err("error: give either --pairs or a claim and files, not both")
            raise typer.Exit(2)
        rows = list(_pair_rows(pairs))
        for stance in check_pairs(rows, Context()):
            typer.echo(json.dumps(stance.as_json(), ensure_ascii=False))
        if not rows:
            raise typer.Exit(1)
        return
    if not claim or not claim.strip() or not paths:
        _err('error: give a claim and at least one file (storyweave check "CLAIM" FILES...), or --pairs')
        raise typer.Exit(2)
    from storyweave.ingest import ingest_paths

    result = ingest_paths(paths)
    for error in result.errors:
        _err(f"error: {error}")
    if not result.articles:
        _err("error: no article could be read")
        raise typer.Exit(1)
    for article, stance in zip(
        result.articles, check(claim, [(a.source, a.text) for a in result.articles], Context()), strict=True
    ):
        typer.echo(f"{stance.stance:<12} {stance.score:.2f}  {article.source}")
        for e in stance.evidence:
            typer.echo(f"    [{e.start}-{e.end}] {' '.join(e.text.split())}")


def _pair_rows(path: Path) -> list[tuple[str, str, str]]:
    """(id, claim, text) of each good line; a bad line costs one error line on stderr."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        _err(f"error: {path}: {exc}")
        return []
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            fields = (row["id"], row["claim"], row["text"])
            if not all(isinstance(v, str) for v in fields):
                raise TypeError("id, claim and text must be strings")
        except (ValueError, KeyError, TypeError) as exc:
            _err(f"error: {path}:{number}: {type(exc).__name__}: {exc}")
            continue
        rows.append(fields)
    return rows


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
