"""The store's schema as ordered, named migrations.

Each migration is a function ``mNNN_name(conn)`` registered with ``@migration``; :func:`migrate`
applies the ones not yet recorded in ``_storyweave_migrations`` in one transaction, and
refuses a store that records a migration this code does not know (it was written by a newer
storyweave, and writing to it could corrupt what that version expects). ``docs/store.md``
describes every table.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from storyweave.errors import StoreError

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(func: Migration) -> Migration:
    """Register ``func`` as the next migration; the order of definition is the order applied."""
    MIGRATIONS.append(func)
    return func


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute ``script`` statement by statement inside the caller's transaction.

    ``executescript`` would commit first, so a failing migration could leave half a schema.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise StoreError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,              -- content hash of the text
            source TEXT NOT NULL,             -- the first path or URL it was read from
            title TEXT,
            text TEXT NOT NULL,
            published TEXT,                   -- ISO date or NULL
            outlet TEXT,
            cites TEXT NOT NULL DEFAULT '[]', -- JSON list of credited outlets/agencies
            url TEXT,
            language TEXT,
            encoding TEXT,
            meta TEXT NOT NULL DEFAULT '{}',  -- JSON object of extra source metadata
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE article_sources (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (article_id, source)
        );
        CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, article_id UNINDEXED);

        CREATE TABLE analyses (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            pipeline_version TEXT NOT NULL,
            data TEXT NOT NULL,               -- JSON: the ArticleAnalysis fields except article and doc
            created_at TEXT NOT NULL,
            PRIMARY KEY (article_id, pipeline_version)
        );
        CREATE TABLE flags (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            FOREIGN KEY (article_id, pipeline_version)
                REFERENCES analyses(article_id, pipeline_version) ON DELETE CASCADE
        );
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            label TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            title TEXT,
            role TEXT,
            chain INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            FOREIGN KEY (article_id, pipeline_version)
                REFERENCES analyses(article_id, pipeline_version) ON DELETE CASCADE
        );
        CREATE TABLE quotes (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            direct INTEGER NOT NULL,
            speaker_start INTEGER,
            speaker_end INTEGER,
            speaker_text TEXT,
            speaker_chain INTEGER,
            cue TEXT,
            partial INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            FOREIGN KEY (article_id, pipeline_version)
                REFERENCES analyses(article_id, pipeline_version) ON DELETE CASCADE
        );
        CREATE TABLE claim_mentions (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            claim TEXT NOT NULL,              -- the claim as normalised by the claims stage
            sentence INTEGER NOT NULL,
            attributed INTEGER NOT NULL,
            quote_id TEXT,
            negated INTEGER NOT NULL,
            hedged INTEGER NOT NULL,
            predicate TEXT,
            subject TEXT,
            obj TEXT,
            FOREIGN KEY (article_id, pipeline_version)
                REFERENCES analyses(article_id, pipeline_version) ON DELETE CASCADE
        );
        CREATE TABLE quantities (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value REAL NOT NULL,
            unit TEXT,
            measure TEXT,
            qualifier TEXT,
            sentence INTEGER NOT NULL,
            FOREIGN KEY (article_id, pipeline_version)
                REFERENCES analyses(article_id, pipeline_version) ON DELETE CASCADE
        );
        CREATE TABLE dates (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT,
            resolved_from TEXT,
            relative INTEGER NOT NULL,
            sentence INTEGER NOT NULL,
            FOREIGN KEY (article_id, pipeline_version)
                REFERENCES analyses(article_id, pipeline_version) ON DELETE CASCADE
        );
        CREATE INDEX flags_article ON flags(article_id);
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX claim_mentions_article ON claim_mentions(article_id);
        CREATE INDEX quantities_article ON quantities(article_id);
        CREATE INDEX dates_article ON dates(article_id);

        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL,             -- running | ok | failed | interrupted (its process died)
            args TEXT NOT NULL DEFAULT '{}',  -- JSON: how the run was invoked
            article_ids TEXT NOT NULL DEFAULT '[]',
            pipeline_version TEXT,
            stats TEXT NOT NULL DEFAULT '{}'  -- JSON: analysed, reused, failed counts and error lines
        );
        CREATE TABLE run_results (
            run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            report TEXT NOT NULL              -- the report.json document
        );
        CREATE TABLE entities (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]',
            roles TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, id)
        );
        CREATE TABLE entity_mentions (
            run_id INTEGER NOT NULL,
            entity_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            FOREIGN KEY (run_id, entity_id) REFERENCES entities(run_id, id) ON DELETE CASCADE
        );
        CREATE TABLE statements (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            speaker TEXT,                     -- entity id
            summary TEXT NOT NULL,
            relation TEXT,
            PRIMARY KEY (run_id, id)
        );
        CREATE TABLE statement_quotes (
            run_id INTEGER NOT NULL,
            statement_id TEXT NOT NULL,
            quote_id TEXT NOT NULL,
            FOREIGN KEY (run_id, statement_id) REFERENCES statements(run_id, id) ON DELETE CASCADE
        );
        CREATE TABLE claims (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL,
            supported_by TEXT NOT NULL DEFAULT '[]',
            evidence TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, id)
        );
        CREATE TABLE claim_spans (
            run_id INTEGER NOT NULL,
            claim_id TEXT NOT NULL,
            role TEXT NOT NULL,               -- mention | contradiction
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            FOREIGN KEY (run_id, claim_id) REFERENCES claims(run_id, id) ON DELETE CASCADE
        );
        CREATE TABLE discrepancies (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            about TEXT NOT NULL,
            kind TEXT NOT NULL,
            quantities TEXT NOT NULL DEFAULT '[]',
            spans TEXT NOT NULL DEFAULT '[]',
            note TEXT,
            PRIMARY KEY (run_id, id)
        );
        CREATE TABLE timeline (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            articles TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, position)
        );
        CREATE TABLE brief (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            cites TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (run_id, position)
        );
        CREATE INDEX entity_mentions_entity ON entity_mentions(run_id, entity_id);
        CREATE INDEX claim_spans_claim ON claim_spans(run_id, claim_id);

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            created TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE story_articles (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            score REAL,
            PRIMARY KEY (story_id, article_id)
        );
        """,
    )


@migration
def m002_run_owner(conn: sqlite3.Connection) -> None:
    """Which process runs a run, so a later start can tell a killed run from one still going."""
    run_script(
        conn,
        """
        ALTER TABLE runs ADD COLUMN pid INTEGER;
        ALTER TABLE runs ADD COLUMN host TEXT;
        """,
    )


#: The article fields that describe how it was read, besides its text: kept once per distinct
#: reading in ``article_metadata``, newest shown. ``source`` is where it was read from.
METADATA_FIELDS = ("source", "title", "published", "outlet", "url", "language", "encoding", "meta")


def inputs_key(
    title: str | None,
    published: str | None,
    outlet: str | None,
    url: str | None,
    language: str | None,
    encoding: str | None,
    meta_json: str,
) -> str:
    """A key of the metadata the per-article stages may read (everything but the text, which the
    article id already is, and the source path): an analysis made with another key is stale."""
    canonical = json.dumps([title, published, outlet, url, language, encoding, json.loads(meta_json)], sort_keys=True)
    return hashlib.sha1(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


@migration
def m003_article_metadata_history(conn: sqlite3.Connection) -> None:
    """Every distinct reading of an article's metadata (newest shown), and which one each analysis read."""
    run_script(
        conn,
        """
        CREATE TABLE article_metadata (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seen_at TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT,
            published TEXT,
            outlet TEXT,
            url TEXT,
            language TEXT,
            encoding TEXT,
            meta TEXT NOT NULL DEFAULT '{}',
            inputs_key TEXT NOT NULL          -- see migrations.inputs_key
        );
        CREATE INDEX article_metadata_article ON article_metadata(article_id, id);
        ALTER TABLE articles ADD COLUMN inputs_key TEXT;  -- of the newest reading (the one shown)
        ALTER TABLE analyses ADD COLUMN inputs_key TEXT;  -- of the reading the analysis was made from
        """,
    )
    rows = conn.execute(
        "SELECT id, source, title, published, outlet, url, language, encoding, meta, ingested_at FROM articles"
    ).fetchall()
    for article_id, source, title, published, outlet, url, language, encoding, meta, seen in rows:
        key = inputs_key(title, published, outlet, url, language, encoding, meta)
        conn.execute(
            "INSERT INTO article_metadata (article_id, seen_at, source, title, published, outlet, url, language,"
            " encoding, meta, inputs_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, seen, source, title, published, outlet, url, language, encoding, meta, key),
        )
        conn.execute("UPDATE articles SET inputs_key = ? WHERE id = ?", (key, article_id))
        conn.execute("UPDATE analyses SET inputs_key = ? WHERE article_id = ?", (key, article_id))


@migration
def m004_analysis_claims(conn: sqlite3.Connection) -> None:
    """Which run is analysing which article at which version, so a second run waits instead of
    doing the same work (see Store.claim_analyses)."""
    run_script(
        conn,
        """
        CREATE TABLE analysis_claims (
            article_id TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            claimed_at REAL NOT NULL,         -- seconds since the epoch
            PRIMARY KEY (article_id, pipeline_version)
        );
        CREATE INDEX analysis_claims_run ON analysis_claims(run_id);
        """,
    )


@migration
def m005_provenance(conn: sqlite3.Connection) -> None:
    """Where each article's bytes came from (URL, redirects, status, time, hash), and the bytes."""
    run_script(
        conn,
        """
        ALTER TABLE articles ADD COLUMN provenance TEXT;  -- JSON Provenance, NULL for older rows
        CREATE TABLE raw_documents (
            sha256 TEXT PRIMARY KEY,          -- of the bytes as read or fetched
            compression TEXT NOT NULL,        -- 'zlib'
            data BLOB NOT NULL,
            stored_at TEXT NOT NULL
        );
        """,
    )


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in the store, in the order applied (read only)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_storyweave_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM _storyweave_migrations ORDER BY rowid")]


def _refuse_unknown(applied: list[str], known: list[str]) -> None:
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise StoreError(
            f"the store was written by a newer storyweave (schema migrations {unknown} are unknown "
            f"to this version, which knows {len(known)}); upgrade storyweave to use it"
        )


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations (``conn`` must be in autocommit mode); returns the names applied.

    When something is pending, ``BEGIN IMMEDIATE`` takes the write lock and the applied list is
    read again under it, so two processes opening a new store at once cannot both migrate it.
    """
    known = [m.__name__ for m in MIGRATIONS]
    applied = applied_migrations(conn)
    _refuse_unknown(applied, known)
    if set(known) <= set(applied):
        return []  # the usual case: no write lock needed just to open a store
    done: list[str] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS _storyweave_migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
        applied = applied_migrations(conn)
        _refuse_unknown(applied, known)
        for func in MIGRATIONS:
            if func.__name__ in applied:
                continue
            func(conn)
            conn.execute(
                "INSERT INTO _storyweave_migrations (name, applied) VALUES (?, ?)",
                (func.__name__, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            done.append(func.__name__)
        conn.execute(f"PRAGMA user_version = {len(known)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return done
