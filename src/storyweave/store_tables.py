"""The store's query tables: the findings of each analysis and of each run's report, as rows.

``analyses.data`` and ``run_results.report`` hold the whole results for reloading; these tables
repeat them so that SQL can filter and join (``docs/store.md`` has examples). Each function writes
inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storyweave.model import ArticleAnalysis


def json_text(value: Any) -> str:
    """Compact JSON text for a JSON column (non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def insert_findings(conn: sqlite3.Connection, a: ArticleAnalysis, version: str) -> None:
    """The per-kind query tables for one analysis (inside the caller's transaction)."""
    key = (a.id, version)
    conn.executemany(
        "INSERT INTO flags VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*key, f.id, f.span.start, f.span.end, f.span.text, f.kind, f.reason) for f in a.flags],
    )
    conn.executemany(
        "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (*key, m.span.start, m.span.end, m.span.text, m.label, m.kind, m.name, m.title, m.role, m.chain, m.sentence)
            for m in a.mentions
        ],
    )
    conn.executemany(
        "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                *key,
                q.id,
                q.span.start,
                q.span.end,
                q.span.text,
                q.direct,
                q.speaker_span.start if q.speaker_span else None,
                q.speaker_span.end if q.speaker_span else None,
                q.speaker_span.text if q.speaker_span else None,
                q.speaker_chain,
                q.cue,
                q.partial,
                q.sentence,
            )
            for q in a.quotes
        ],
    )
    conn.executemany(
        "INSERT INTO claim_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                *key,
                c.id,
                c.span.start,
                c.span.end,
                c.span.text,
                c.text,
                c.sentence,
                c.attributed,
                c.quote,
                c.negated,
                c.hedged,
                c.predicate,
                c.subject,
                c.obj,
            )
            for c in a.claims
        ],
    )
    conn.executemany(
        "INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (*key, q.id, q.span.start, q.span.end, q.span.text, q.value, q.unit, q.measure, q.qualifier, q.sentence)
            for q in a.quantities
        ],
    )
    conn.executemany(
        "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (*key, d.id, d.span.start, d.span.end, d.span.text, d.value, d.resolved_from, d.relative, d.sentence)
            for d in a.dates
        ],
    )


def _span_row(span: dict[str, Any]) -> tuple[str, int, int, str]:
    return (span["article"], span["start"], span["end"], span["text"])


def insert_results(conn: sqlite3.Connection, run_id: int, report: dict[str, Any]) -> None:
    """The cross-article findings of one run as tables (from the report, the stable form)."""
    for table in ("entities", "statements", "claims", "discrepancies", "timeline", "brief"):
        conn.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
    # OR IGNORE: a duplicated id in a report must not lose the whole run; its first item is kept.
    for e in report.get("entities", []):
        if not conn.execute(
            "INSERT OR IGNORE INTO entities (run_id, id, name, type, aliases, roles) VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, e["id"], e["name"], e["type"], json_text(e.get("aliases", [])), json_text(e.get("roles", []))),
        ).rowcount:
            continue
        conn.executemany(
            "INSERT INTO entity_mentions (run_id, entity_id, article_id, start, end, text) VALUES (?, ?, ?, ?, ?, ?)",
            [(run_id, e["id"], *_span_row(m)) for m in e.get("mentions", [])],
        )
    for s in report.get("statements", []):
        if not conn.execute(
            "INSERT OR IGNORE INTO statements (run_id, id, speaker, summary, relation) VALUES (?, ?, ?, ?, ?)",
            (run_id, s["id"], s.get("speaker"), s.get("summary", ""), s.get("relation")),
        ).rowcount:
            continue
        conn.executemany(
            "INSERT INTO statement_quotes (run_id, statement_id, quote_id) VALUES (?, ?, ?)",
            [(run_id, s["id"], q) for q in s.get("quotes", [])],
        )
    for c in report.get("claims", []):
        if not conn.execute(
            "INSERT OR IGNORE INTO claims (run_id, id, text, status, supported_by, evidence) VALUES (?, ?, ?, ?, ?, ?)",
            (
                run_id,
                c["id"],
                c["text"],
                c["status"],
                json_text(c.get("supported_by", [])),
                json_text(c.get("evidence", [])),
            ),
        ).rowcount:
            continue
        spans = [("mention", m) for m in c.get("mentions", [])] + [
            ("contradiction", m) for m in c.get("contradicted_by", [])
        ]
        conn.executemany(
            "INSERT INTO claim_spans (run_id, claim_id, role, article_id, start, end, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(run_id, c["id"], role, *_span_row(m)) for role, m in spans],
        )
    for d in report.get("discrepancies", []):
        conn.execute(
            "INSERT OR IGNORE INTO discrepancies (run_id, id, about, kind, quantities, spans, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                d["id"],
                d["about"],
                d["kind"],
                json_text(d.get("quantities", [])),
                json_text(d.get("spans", [])),
                d.get("note"),
            ),
        )
    conn.executemany(
        "INSERT INTO timeline (run_id, position, date, text, articles) VALUES (?, ?, ?, ?, ?)",
        [
            (run_id, i, t["date"], t["text"], json_text(t.get("articles", [])))
            for i, t in enumerate(report.get("timeline", []))
        ],
    )
    conn.executemany(
        "INSERT INTO brief (run_id, position, text, cites) VALUES (?, ?, ?, ?)",
        [(run_id, i, b["text"], json_text(b.get("cites", []))) for i, b in enumerate(report.get("brief", []))],
    )
