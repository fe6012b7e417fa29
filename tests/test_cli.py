"""The command line: thin commands over the library, clear error lines, meaningful exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyweave.cli import app
from support import EXAMPLES

STORY = {
    "a.txt": (
        "Bexhaven, 9 Sept 2024 - A cargo ship ran aground off Bexhaven on Sunday, the coastguard said. "
        '"No one was hurt," said coastguard officer Lina Marsh.\n'
    ),
    "b.txt": "The cargo ship that ran aground near Bexhaven was refloated on Monday, officer Lina Marsh said.\n",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in STORY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_cli_analyze_writes_reports_and_prints_their_paths(runner: CliRunner, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(articles), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    printed = result.stdout.split()
    assert str(out / "report.json") in printed
    assert all(Path(p).exists() for p in printed)
    assert len(json.loads((out / "report.json").read_text())["articles"]) == 2


def test_cli_analyze_reports_each_bad_file_once_and_goes_on(runner: CliRunner, articles: Path, tmp_path: Path) -> None:
    (articles / "empty.txt").write_text("")
    result = runner.invoke(app, ["analyze", str(articles), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {articles / 'empty.txt'}: ")


def test_cli_analyze_fails_when_nothing_could_be_analysed(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'missing.txt'}" in result.stderr


def test_cli_ingest_then_analyze_then_report(runner: CliRunner, articles: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    first = runner.invoke(app, ["ingest", str(articles), "--db", str(db)])
    assert first.exit_code == 0
    assert "2 new articles" in first.stderr
    again = runner.invoke(app, ["ingest", str(articles), "--db", str(db)])
    assert "0 new articles, 2 already stored" in again.stderr
    assert runner.invoke(app, ["analyze", str(articles), "--out", str(tmp_path / "o1"), "--db", str(db)]).exit_code == 0
    rendered = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "o2")])
    assert rendered.exit_code == 0
    assert (tmp_path / "o2" / "report.json").read_bytes() == (tmp_path / "o1" / "report.json").read_bytes()
    missing = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "o3"), "--run", "99"])
    assert missing.exit_code == 1
    assert "no stored report for run 99" in missing.stderr
    listed = runner.invoke(app, ["runs", "--db", str(db)])
    assert listed.stdout.startswith("1\tok\t")


def test_cli_validate_accepts_a_report_and_rejects_a_tampered_one(
    runner: CliRunner, articles: Path, tmp_path: Path
) -> None:
    runner.invoke(app, ["analyze", str(articles), "--out", str(tmp_path / "out"), "--quiet"])
    path = tmp_path / "out" / "report.json"
    ok = runner.invoke(app, ["validate", str(path)])
    assert ok.exit_code == 0
    assert ok.stdout.startswith("ok: ")
    report = json.loads(path.read_text())
    report["articles"][0]["text"] = "rewritten"  # every span into it now points at the wrong text
    report["flags"].append(
        {
            "id": "x",
            "span": {"article": report["articles"][0]["id"], "start": 0, "end": 3, "text": "abc"},
            "kind": "boilerplate",
            "reason": "t",
        }
    )
    path.write_text(json.dumps(report))
    bad = runner.invoke(app, ["validate", str(path)])
    assert bad.exit_code == 1
    assert bad.stderr.startswith(f"error: {path}: ")
    assert runner.invoke(app, ["validate", str(tmp_path / "none.json")]).exit_code == 1


def test_cli_stages_lists_the_registered_stages(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stages"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    names = [line.split()[2] for line in lines]
    assert names.index("clean") < names.index("segment")
    assert lines[0].startswith("article")
    assert lines[-1].startswith("corpus")


def test_cli_cluster_needs_exactly_one_source(runner: CliRunner) -> None:
    result = runner.invoke(app, ["cluster"])
    assert result.exit_code == 1
    assert "exactly one of FILES, --db FILE or --jsonl FILE" in result.stderr


@pytest.mark.skipif(not (EXAMPLES / "sample").is_dir(), reason="examples/sample/ is not there yet")
def test_cli_demo_analyses_the_sample_corpus(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo"), "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "demo" / "report.json").read_text())
    assert len(report["articles"]) == len([p for p in (EXAMPLES / "sample").iterdir() if p.name != "expected.json"])


def test_cli_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "storyweave", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for command in ("analyze", "ingest", "report", "demo", "validate", "stages", "serve", "cluster"):
        assert command in done.stdout


def test_cli_every_command_is_documented_with_an_example() -> None:
    import re

    from storyweave.cli import app as cli_app

    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", docs, re.S | re.M))
    for command in cli_app.registered_commands:
        name = command.name or command.callback.__name__
        assert name in sections, f"docs/cli.md has no section for {name}"
        assert "Example" in sections[name], name
        assert "Example:" in (command.callback.__doc__ or ""), f"{name} --help has no example"


def test_cli_cluster_streams_jsonl_and_reports_bad_lines(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"text": "The Kessa bridge in Lorrin reopened on Sunday after repairs."}\n'
        "not json\n"
        '{"title": "no text here"}\n'
        '{"text": "Vendors at the Ostrel night market protested a rent rise."}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["cluster", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 2
    assert all(set(r) == {"article", "story"} for r in rows)
    assert [line.split(": ")[1] for line in result.stderr.splitlines()] == [f"{path}:2", f"{path}:3"]
