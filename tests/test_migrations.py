"""Migrations: a blank database migrates to exactly the documented schema, once, and a store
written by a newer version is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storyweave.errors import StoreError
from storyweave.migrations import MIGRATIONS, applied_migrations, migrate
from storyweave.store import Store

# Table -> column -> declared type. docs/store.md describes each of these tables; a change here
# must come with a new migration and a docs update.
EXPECTED = {
    "_storyweave_migrations": {"name": "TEXT", "applied": "TEXT"},
    "analyses": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "data": "TEXT",
        "created_at": "TEXT",
        "inputs_key": "TEXT",  # m003_article_metadata_history
    },
    "article_sources": {"article_id": "TEXT", "source": "TEXT", "first_seen": "TEXT"},
    "articles": {
        "id": "TEXT",
        "source": "TEXT",
        "title": "TEXT",
        "text": "TEXT",
        "published": "TEXT",
        "outlet": "TEXT",
        "cites": "TEXT",
        "url": "TEXT",
        "language": "TEXT",
        "encoding": "TEXT",
        "meta": "TEXT",
        "ingested_at": "TEXT",
        "inputs_key": "TEXT",  # m003_article_metadata_history
        "provenance": "TEXT",  # m005_provenance
    },
    "articles_fts": {"title": "", "text": "", "article_id": ""},
    "brief": {"run_id": "INTEGER", "position": "INTEGER", "text": "TEXT", "cites": "TEXT"},
    "claim_mentions": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
        "claim": "TEXT",
        "sentence": "INTEGER",
        "attributed": "INTEGER",
        "quote_id": "TEXT",
        "negated": "INTEGER",
        "hedged": "INTEGER",
        "predicate": "TEXT",
        "subject": "TEXT",
        "obj": "TEXT",
    },
    "claim_spans": {
        "run_id": "INTEGER",
        "claim_id": "TEXT",
        "role": "TEXT",
        "article_id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
    },
    "claims": {
        "run_id": "INTEGER",
        "id": "TEXT",
        "text": "TEXT",
        "status": "TEXT",
        "supported_by": "TEXT",
        "evidence": "TEXT",
    },
    "dates": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
        "value": "TEXT",
        "resolved_from": "TEXT",
        "relative": "INTEGER",
        "sentence": "INTEGER",
    },
    "discrepancies": {
        "run_id": "INTEGER",
        "id": "TEXT",
        "about": "TEXT",
        "kind": "TEXT",
        "quantities": "TEXT",
        "spans": "TEXT",
        "note": "TEXT",
    },
    "entities": {
        "run_id": "INTEGER",
        "id": "TEXT",
        "name": "TEXT",
        "type": "TEXT",
        "aliases": "TEXT",
        "roles": "TEXT",
    },
    "entity_mentions": {
        "run_id": "INTEGER",
        "entity_id": "TEXT",
        "article_id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
    },
    "flags": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
        "kind": "TEXT",
        "reason": "TEXT",
    },
    "mentions": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
        "label": "TEXT",
        "kind": "TEXT",
        "name": "TEXT",
        "title": "TEXT",
        "role": "TEXT",
        "chain": "INTEGER",
        "sentence": "INTEGER",
    },
    "quantities": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
        "value": "REAL",
        "unit": "TEXT",
        "measure": "TEXT",
        "qualifier": "TEXT",
        "sentence": "INTEGER",
    },
    "quotes": {
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "id": "TEXT",
        "start": "INTEGER",
        "end": "INTEGER",
        "text": "TEXT",
        "direct": "INTEGER",
        "speaker_start": "INTEGER",
        "speaker_end": "INTEGER",
        "speaker_text": "TEXT",
        "speaker_chain": "INTEGER",
        "cue": "TEXT",
        "partial": "INTEGER",
        "sentence": "INTEGER",
    },
    "run_results": {"run_id": "INTEGER", "report": "TEXT"},
    "article_metadata": {  # m003_article_metadata_history
        "id": "INTEGER",
        "article_id": "TEXT",
        "seen_at": "TEXT",
        "source": "TEXT",
        "title": "TEXT",
        "published": "TEXT",
        "outlet": "TEXT",
        "url": "TEXT",
        "language": "TEXT",
        "encoding": "TEXT",
        "meta": "TEXT",
        "inputs_key": "TEXT",
    },
    "analysis_claims": {  # m004_analysis_claims
        "article_id": "TEXT",
        "pipeline_version": "TEXT",
        "run_id": "INTEGER",
        "claimed_at": "REAL",
    },
    "runs": {
        "id": "INTEGER",
        "started": "TEXT",
        "finished": "TEXT",
        "status": "TEXT",
        "args": "TEXT",
        "article_ids": "TEXT",
        "pipeline_version": "TEXT",
        "stats": "TEXT",
        "pid": "INTEGER",  # m002_run_owner
        "host": "TEXT",
    },
    "statement_quotes": {"run_id": "INTEGER", "statement_id": "TEXT", "quote_id": "TEXT"},
    "statements": {"run_id": "INTEGER", "id": "TEXT", "speaker": "TEXT", "summary": "TEXT", "relation": "TEXT"},
    "stories": {"id": "TEXT", "title": "TEXT", "created": "TEXT", "meta": "TEXT"},
    "story_articles": {"story_id": "TEXT", "article_id": "TEXT", "score": "REAL"},
    "timeline": {"run_id": "INTEGER", "position": "INTEGER", "date": "TEXT", "text": "TEXT", "articles": "TEXT"},
    "raw_documents": {"sha256": "TEXT", "compression": "TEXT", "data": "BLOB", "stored_at": "TEXT"},
}


def _schema(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'articles_fts_%' ORDER BY name"  # FTS5's own shadow tables
        )
    ]
    return {t: {r[1]: r[2] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


def test_migrations_build_the_expected_schema_from_blank() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert migrate(conn) == [m.__name__ for m in MIGRATIONS]
    assert _schema(conn) == EXPECTED
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_migrations_run_once() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn)
    assert migrate(conn) == []
    assert applied_migrations(conn) == [m.__name__ for m in MIGRATIONS]


def test_migrations_are_named_in_order() -> None:
    names = [m.__name__ for m in MIGRATIONS]
    assert names[0] == "m001_initial"
    assert names == sorted(names)
    assert all(n[0] == "m" and n[1:4].isdigit() for n in names)


def test_migrations_refuse_a_store_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _storyweave_migrations (name, applied) VALUES ('m999_from_the_future', 'later')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer storyweave"):
        Store.open(path)


def test_migrations_leave_nothing_behind_when_one_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def m002_broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr("storyweave.migrations.MIGRATIONS", [*MIGRATIONS, m002_broken])
    conn = sqlite3.connect(":memory:", isolation_level=None)
    with pytest.raises(RuntimeError, match="boom"):
        migrate(conn)
    assert _schema(conn) == {}  # the whole batch rolled back, m001 included
