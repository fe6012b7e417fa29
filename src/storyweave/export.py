"""Findings out to spreadsheets: CSV files, one XLSX workbook, or JSON lines.

Five tables, read from a report (``report.json`` or a stored run), each row citing the article and
the character offsets it comes from:

* ``claims`` — claims × sources: one row per claim with its status, and one column per outlet
  saying whether that outlet's coverage supports it (counts towards corroboration), only mentions
  it (a copy of another article, say) or contradicts it, each with its citation;
* ``statements`` — one row per quotation of each statement (speaker, relation, the words);
* ``figures`` — one row per quantity, with the discrepancy it is part of;
* ``discrepancies`` — one row per span of each numeric, date or wording discrepancy;
* ``entities`` — one row per mention of each entity, with its name, type and aliases.

Article text is hostile input: a spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``
(or a tab or carriage return) as a formula, so such text cells get a leading apostrophe (the OWASP
advice for CSV injection); characters XML cannot hold are dropped from XLSX cells. Numbers stay
numbers. JSON lines carry the text unchanged (no spreadsheet reads them as formulas).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyweave.errors import StoryweaveError

FORMATS = ("csv", "xlsx", "jsonl")
TABLES = ("claims", "statements", "figures", "discrepancies", "entities")
#: Leading characters a spreadsheet reads as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 cannot hold (openpyxl refuses them).
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: A spreadsheet cell holds at most 32,767 characters.
_CELL_CHARS = 32_767

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def safe_cell(value: Cell) -> Cell:
    """``value`` as a spreadsheet can hold it without running it: text that could start a formula
    gets a leading apostrophe; numbers and empty cells are left alone."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --------------------------------------------------------------------------- tables from a report


def _label(article: dict[str, Any]) -> str:
    """A source's column name: its outlet, else its title, else its file or URL name."""
    origin = (article.get("source") or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return str(article.get("outlet") or article.get("title") or origin or article["id"])


def _cite(span: dict[str, Any] | None) -> str:
    return "" if not span else f"{span['article']}:{span['start']}-{span['end']}"


#: The columns every span-citing row ends with (see :func:`_span_cells`).
_SPAN_COLUMNS = ("words", "outlet", "article", "start", "end")


def _span_cells(span: dict[str, Any], label: dict[str, str]) -> tuple[Cell, ...]:
    """The words of a span, its outlet, article and offsets: how every row cites its source."""
    return (span["text"], label.get(span["article"], span["article"]), span["article"], span["start"], span["end"])


def tables(report: dict[str, Any]) -> list[Table]:
    """The five export tables of ``report`` (a dict following the report contract)."""
    articles = {a["id"]: a for a in report.get("articles", [])}
    label = {aid: _label(a) for aid, a in articles.items()}
    outlets = sorted(set(label.values()), key=str.casefold)
    return [
        _claims(report, label, outlets),
        _statements(report, label),
        _figures(report, label),
        _discrepancies(report, label),
        _entities(report, label),
    ]


def _claims(report: dict[str, Any], label: dict[str, str], outlets: list[str]) -> Table:
    columns = ("claim", "status", "text", "sources", *outlets, "article", "start", "end")
    rows: list[tuple[Cell, ...]] = []
    for claim in report.get("claims", []):
        cells: dict[str, list[str]] = {o: [] for o in outlets}
        supporting = set(claim.get("supported_by", []))
        for span in claim.get("mentions", []):
            if span["article"] in label:
                role = "supports" if span["article"] in supporting else "mentions"
                cells[label[span["article"]]].append(f"{role} ({_cite(span)})")
        for span in claim.get("contradicted_by", []):
            if span["article"] in label:
                cells[label[span["article"]]].append(f"contradicts ({_cite(span)})")
        first = (claim.get("mentions") or [None])[0]
        rows.append(
            (
                claim["id"],
                claim.get("status"),
                claim.get("text"),
                len({s["article"] for s in claim.get("mentions", [])}),
                *("; ".join(cells[o]) for o in outlets),
                first["article"] if first else None,
                first["start"] if first else None,
                first["end"] if first else None,
            )
        )
    return Table("claims", columns, tuple(rows))


def _statements(report: dict[str, Any], label: dict[str, str]) -> Table:
    quotes = {q["id"]: q for q in report.get("quotes", [])}
    columns = ("statement", "speaker", "relation", "summary", "quote", "direct", *_SPAN_COLUMNS)
    rows: list[tuple[Cell, ...]] = []
    for statement in report.get("statements", []):
        for quote_id in statement.get("quotes", []):
            quote = quotes.get(quote_id)
            if quote is None:
                continue
            span = quote["span"]
            rows.append(
                (
                    statement["id"],
                    statement.get("speaker") or quote.get("speaker_name"),
                    statement.get("relation"),
                    statement.get("summary"),
                    quote_id,
                    "direct" if quote.get("direct") else "reported",
                    *_span_cells(span, label),
                )
            )
    return Table("statements", columns, tuple(rows))


def _figures(report: dict[str, Any], label: dict[str, str]) -> Table:
    in_discrepancy: dict[str, list[dict[str, Any]]] = {}
    for d in report.get("discrepancies", []):
        for qid in d.get("quantities", []):
            in_discrepancy.setdefault(qid, []).append(d)
    columns = ("figure", "measure", "value", "unit", "qualifier", *_SPAN_COLUMNS, "discrepancy", "discrepancy note")
    rows: list[tuple[Cell, ...]] = []
    for q in report.get("quantities", []):
        span = q["span"]
        found = in_discrepancy.get(q["id"], [])
        rows.append(
            (
                q["id"],
                q.get("measure"),
                q.get("value"),
                q.get("unit"),
                q.get("qualifier"),
                *_span_cells(span, label),
                "; ".join(d["id"] for d in found) or None,
                "; ".join(d.get("note") or "" for d in found) or None,
            )
        )
    return Table("figures", columns, tuple(rows))


def _discrepancies(report: dict[str, Any], label: dict[str, str]) -> Table:
    columns = ("discrepancy", "kind", "about", "note", *_SPAN_COLUMNS)
    rows: list[tuple[Cell, ...]] = []
    for d in report.get("discrepancies", []):
        for span in d.get("spans", []):
            rows.append((d["id"], d.get("kind"), d.get("about"), d.get("note"), *_span_cells(span, label)))
    return Table("discrepancies", columns, tuple(rows))


def _entities(report: dict[str, Any], label: dict[str, str]) -> Table:
    columns = ("entity", "name", "type", "aliases", "roles", *_SPAN_COLUMNS)
    rows: list[tuple[Cell, ...]] = []
    for e in report.get("entities", []):
        aliases = "; ".join(e.get("aliases", []))
        roles = "; ".join(e.get("roles", []))
        for span in e.get("mentions", []):
            rows.append((e["id"], e.get("name"), e.get("type"), aliases, roles, *_span_cells(span, label)))
    return Table("entities", columns, tuple(rows))


# --------------------------------------------------------------------------- writers


def _csv_rows(table: Table) -> Iterator[list[Cell]]:
    yield [safe_cell(c) for c in table.columns]
    for row in table.rows:
        yield [safe_cell(c) for c in row]


def write_csv(report: dict[str, Any], folder: Path) -> list[Path]:
    """One CSV file per table in ``folder`` (UTF-8 with a byte-order mark, so spreadsheets read it)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for table in tables(report):
        path = folder / f"{table.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(_csv_rows(table))
        paths.append(path)
    return paths


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("", value)[:_CELL_CHARS]
    return safe_cell(value)


def write_xlsx(report: dict[str, Any], path: Path) -> list[Path]:
    """One workbook with a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook(write_only=True)
    for table in tables(report):
        sheet = book.create_sheet(table.name)
        sheet.append([_xlsx_cell(c) for c in table.columns])
        for row in table.rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text, whatever it starts with
                cells.append(cell)
            sheet.append(cells)
    book.save(path)
    return [path]


def write_jsonl(report: dict[str, Any], path: Path) -> list[Path]:
    """One JSON object per row, ``{"table": NAME, COLUMN: VALUE, ...}``, text unchanged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for table in tables(report):
            for row in table.rows:
                record = {"table": table.name, **dict(zip(table.columns, row, strict=True))}
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return [path]


def export(report: dict[str, Any], fmt: str, out: Path) -> list[Path]:
    """Write ``report``'s tables as ``fmt`` to ``out`` (a folder for csv, a file otherwise)."""
    if fmt == "csv":
        return write_csv(report, out)
    if fmt == "xlsx":
        return write_xlsx(report, out)
    if fmt == "jsonl":
        return write_jsonl(report, out)
    raise StoryweaveError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def default_out(fmt: str) -> Path:
    return Path("storyweave-export") if fmt == "csv" else Path(f"storyweave-export.{fmt}")
