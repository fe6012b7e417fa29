"""The command line: thin wrappers over the library."""

from __future__ import annotations

from pathlib import Path

import typer

from storyweave.contract import dumps, to_report
from storyweave.ingest import ingest_paths
from storyweave.pipeline import Context, analyse

app = typer.Typer(
    help="Read many news accounts of one story; show what they agree on and where they differ.",
    no_args_is_help=True,
)


@app.callback()
def _group() -> None:
    """storyweave: cross-source analysis of news coverage."""


@app.command()
def analyze(paths: list[str], out: Path = typer.Option(Path("out"), "--out")) -> None:
    """Analyse articles and write report.json into OUT."""
    result = ingest_paths(paths)
    for err in result.errors:
        typer.echo(f"error: {err}", err=True)
    corpus = analyse(result.articles, Context())
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(dumps(to_report(corpus)), encoding="utf-8")
    typer.echo(str(out / "report.json"))


def main() -> None:
    app()
