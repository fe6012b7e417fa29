"""The SQLite store: articles, their analyses, runs and their reports, stories. All SQL lives here.

Why it is built this way:

* **One transaction per article.** An article and all of its analysis rows are written together
  (``BEGIN IMMEDIATE`` ... ``COMMIT``), so a process killed at any instant leaves either the whole
  article or none of it, and a re-run only analyses what is missing.
* **WAL, a busy timeout, short transactions.** Readers never block the writer; two writers
  serialise on the write lock, and one that cannot get it within ``busy_timeout`` gets a
  :class:`StoreError` saying the store is busy instead of a bare ``database is locked``.
* **Content-hash keys.** An article's id is the hash of its text, so saving is idempotent and the
  same text read under two names is stored once (``article_sources`` records every name).
* **The newest reading is shown, every reading is kept.** The same text read again with another
  title, outlet, date or path adds a row to ``article_metadata`` and becomes what the article
  row (and so every report) shows; an analysis made from an older reading of what the stages
  read (:func:`storyweave.migrations.inputs_key`) is due again.
* **Versions coexist; concurrent runs share the work.** Analyses are kept per pipeline version
  (two models on one store keep each other's), and a run *claims* the articles it is about to
  analyse (``analysis_claims``): a second run of the same version analyses what nobody has
  claimed and waits for the rest, instead of doing it all again. A claim of a run whose process
  is gone, or older than the caller's ``stale_after``, is taken over.
* **JSON for reloading, tables for querying.** ``analyses.data`` holds each analysis encoded by
  :mod:`storyweave.codec` (exact round trip); the per-kind tables (``flags``, ``mentions``, ``quotes``
  ...) repeat the same findings as rows that SQL can filter and join (written by
  :mod:`storyweave.store_tables`). ``docs/store.md`` has examples.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import socket
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storyweave import codec, provenance
from storyweave.errors import StoreError
from storyweave.migrations import METADATA_FIELDS, inputs_key, migrate
from storyweave.model import Article, ArticleAnalysis, Corpus, Provenance, stable_id
from storyweave.settings import Settings
from storyweave.store_tables import insert_findings, insert_results
from storyweave.store_tables import json_text as _json

#: A search looks for at most this many terms; the rest of a pasted paragraph is ignored.
MAX_SEARCH_TERMS = 16
#: Analyses are loaded in chunks of this many articles, so no read holds a cursor across a yield.
LOAD_CHUNK = 200
#: The largest row id SQLite stores.
MAX_ROW_ID = 2**63 - 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _process_alive(pid: int) -> bool:
    """Whether a process with this id exists (one owned by another user counts as alive)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process there; assume it lives
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, it is just not ours
        return True
    return True


def _is_busy(exc: sqlite3.Error) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _fts_query(query: str) -> str | None:
    """The user's words as an FTS5 query that cannot be a syntax error: every term quoted."""
    terms = re.findall(r"\w+", query)[:MAX_SEARCH_TERMS]
    return " ".join(f'"{t}"' for t in terms) or None


def _reading(article: Article) -> tuple[Any, ...]:
    """The values of :data:`~storyweave.migrations.METADATA_FIELDS` for ``article`` (one reading)."""
    return (
        article.source,
        article.title,
        article.published,
        article.outlet,
        article.url,
        article.language,
        article.encoding,
        _json(dict(article.meta)),
    )


def article_inputs_key(article: Article) -> str:
    """The key of what the per-article stages read of ``article`` besides its text."""
    _source, *fields = _reading(article)
    return inputs_key(*fields)


@dataclass
class Claims:
    """What :meth:`Store.claim_analyses` found: articles now claimed by the caller, claimed by
    another live run (wait for them), and already analysed at the version (reuse them)."""

    claimed: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


class Store:
    """A storyweave database. Open with :meth:`Store.open`; use as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, temporary: bool, busy_timeout: float) -> None:
        self._conn = conn
        self.path = path
        self._temporary = temporary
        self._busy_timeout = busy_timeout
        # One connection may be shared by a web server's worker threads; calls take turns.
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ opening and transactions

    @classmethod
    def open(cls, path: str | Path | None = None, *, busy_timeout: float | None = None) -> Store:
        """Open (creating and migrating if needed) the store at ``path``.

        ``None`` opens a fresh temporary store that is deleted on :meth:`close`.
        """
        timeout = Settings().store_busy_timeout if busy_timeout is None else busy_timeout
        temporary = path is None
        if path is None:
            fd, name = tempfile.mkstemp(prefix="storyweave-", suffix=".db")
            os.close(fd)
            path = name
        db_path = Path(path)
        if db_path.parent and not db_path.parent.exists():
            raise StoreError(f"cannot open store {db_path}: directory {db_path.parent} does not exist")
        try:
            conn = sqlite3.connect(db_path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {db_path}: {exc}") from exc
        store = cls(conn, db_path, temporary=temporary, busy_timeout=timeout)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # With WAL, NORMAL loses nothing when the process dies (only on power loss).
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_busy(exc):
                raise store._busy_error() from exc
            raise StoreError(f"cannot open store {db_path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        if self._temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _busy_error(self) -> StoreError:
        return StoreError(
            f"store is busy: {self.path} is being written by another process "
            f"(waited {self._busy_timeout:g} s); try again when it has finished"
        )

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from the start (no upgrade deadlocks)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise self._busy_error() from exc
                raise StoreError(f"store {self.path}: {exc}") from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
                    self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                    raise self._busy_error() from exc
                raise

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._conn.cursor()
            cur.row_factory = sqlite3.Row
            try:
                return cur.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise self._busy_error() from exc
                raise

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read-only query and return rows as dicts (for notebooks and tests)."""
        return [dict(r) for r in self._rows(sql, params)]

    # ------------------------------------------------------------------ articles

    def save_article(self, article: Article, *, sources: Iterable[str] = ()) -> bool:
        """Store ``article`` as read (and every path it was read from); True when it was new.

        An article already stored keeps its text and what the stages filled in (``cites``); if
        this reading's metadata (title, date, outlet, path ...) differs from the newest one, it is
        added to the history and becomes the one shown.
        """
        with self._tx() as conn:
            return self._put_article(conn, article, sources)

    def _put_article(self, conn: sqlite3.Connection, article: Article, sources: Iterable[str]) -> bool:
        now = _now()
        reading = _reading(article)
        key = article_inputs_key(article)
        stored = conn.execute("SELECT title FROM articles WHERE id = ?", (article.id,)).fetchone()
        if stored is None:
            conn.execute(
                "INSERT INTO articles (id, text, cites, ingested_at, inputs_key, provenance,"
                f" {', '.join(METADATA_FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, {', '.join('?' * len(METADATA_FIELDS))})",
                (article.id, article.text, _json(list(article.cites)), now, key, _provenance_json(article), *reading),
            )
            conn.execute(
                "INSERT INTO articles_fts (title, text, article_id) VALUES (?, ?, ?)",
                (article.title or "", article.text, article.id),
            )
            self._add_reading(conn, article.id, reading, key, now)
        else:
            newest = conn.execute(
                f"SELECT {', '.join(METADATA_FIELDS)} FROM article_metadata WHERE article_id = ?"
                " ORDER BY id DESC LIMIT 1",
                (article.id,),
            ).fetchone()
            if newest is None or tuple(newest) != reading:
                self._add_reading(conn, article.id, reading, key, now)
                conn.execute(
                    f"UPDATE articles SET inputs_key = ?, {', '.join(f'{n} = ?' for n in METADATA_FIELDS)}"
                    " WHERE id = ?",
                    (key, *reading, article.id),
                )
                # Only a changed title is rewritten: article_id is not indexed in the full-text table,
                # so this update reads the whole table.
                if (stored[0] or "") != (article.title or ""):
                    conn.execute(
                        "UPDATE articles_fts SET title = ? WHERE article_id = ?", (article.title or "", article.id)
                    )
        if stored is not None and article.provenance is not None:  # the first reading that says how it was got
            conn.execute(
                "UPDATE articles SET provenance = ? WHERE id = ? AND provenance IS NULL",
                (_provenance_json(article), article.id),
            )
        self._put_sources(conn, article.id, {article.source, *sources})
        return stored is None

    @staticmethod
    def _add_reading(conn: sqlite3.Connection, article_id: str, reading: tuple[Any, ...], key: str, now: str) -> None:
        conn.execute(
            f"INSERT INTO article_metadata (article_id, seen_at, inputs_key, {', '.join(METADATA_FIELDS)})"
            f" VALUES (?, ?, ?, {', '.join('?' * len(METADATA_FIELDS))})",
            (article_id, now, key, *reading),
        )

    def article_history(self, article_id: str) -> list[dict[str, Any]]:
        """Every distinct reading of the article's metadata, newest (the one shown) first."""
        rows = self._rows(
            f"SELECT seen_at, {', '.join(METADATA_FIELDS)} FROM article_metadata WHERE article_id = ? ORDER BY id DESC",
            (article_id,),
        )
        return [{**dict(r), "meta": json.loads(r["meta"])} for r in rows]

    @staticmethod
    def _article_from_rows(conn: sqlite3.Connection, article_id: str) -> Article | None:
        cur = conn.cursor()
        cur.row_factory = sqlite3.Row
        row = cur.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else _article(row)

    def load_article(self, article_id: str) -> Article | None:
        with self._lock:
            return self._article_from_rows(self._conn, article_id)

    def iter_articles(self) -> Iterator[Article]:
        """Every stored article as an :class:`Article`, by id (read in chunks, for any store size)."""
        ids = [r[0] for r in self._rows("SELECT id FROM articles ORDER BY id")]
        for i in range(0, len(ids), LOAD_CHUNK):
            chunk = ids[i : i + LOAD_CHUNK]
            rows = self._rows(f"SELECT * FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)
            yield from sorted((_article(r) for r in rows), key=lambda a: a.id)

    def article_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM articles")[0][0])

    def articles(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Article summaries (no text), newest ingest first, for listings."""
        rows = self._rows(
            "SELECT a.id, a.source, a.title, a.published, a.outlet, a.cites, a.url, a.ingested_at,"
            " length(a.text) AS chars, (SELECT count(*) FROM analyses n WHERE n.article_id = a.id) AS analysed"
            " FROM articles a ORDER BY a.ingested_at DESC, a.id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [{**dict(r), "cites": json.loads(r["cites"]), "analysed": bool(r["analysed"])} for r in rows]

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its text, metadata, every source path and its stored findings."""
        rows = self._rows("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            return None
        found = dict(rows[0])
        found["cites"] = json.loads(found["cites"])
        found["meta"] = json.loads(found["meta"])
        found["provenance"] = json.loads(found["provenance"]) if found.get("provenance") else None
        sources = self._rows("SELECT source FROM article_sources WHERE article_id = ? ORDER BY source", (article_id,))
        found["sources"] = [r[0] for r in sources]
        found["history"] = self.article_history(article_id)
        analysis = next(self.load_analyses([article_id]), None)
        found["analysis"] = None
        if analysis is not None:
            found["analysis"] = codec.encode(analysis)
            del found["analysis"]["article"]
        return found

    # ------------------------------------------------------------------ analyses

    def has_analysis(self, article_id: str, version: str) -> bool:
        """Whether the article has an analysis at ``version`` made from its newest reading."""
        return article_id in self._current(version, [article_id])

    def analysed_ids(self, version: str) -> set[str]:
        """Ids of the articles with an analysis at ``version`` made from their newest reading
        (one query instead of one per article)."""
        rows = self._rows(
            "SELECT n.article_id FROM analyses n JOIN articles a ON a.id = n.article_id"
            " WHERE n.pipeline_version = ? AND n.inputs_key IS a.inputs_key",
            (version,),
        )
        return {r[0] for r in rows}

    def _current(self, version: str, article_ids: Sequence[str], conn: sqlite3.Connection | None = None) -> set[str]:
        """Which of ``article_ids`` have an analysis at ``version`` made from their newest reading."""
        found: set[str] = set()
        for i in range(0, len(article_ids), LOAD_CHUNK):
            chunk = list(article_ids[i : i + LOAD_CHUNK])
            sql = (
                "SELECT n.article_id FROM analyses n JOIN articles a ON a.id = n.article_id"
                " WHERE n.pipeline_version = ? AND n.inputs_key IS a.inputs_key"
                f" AND n.article_id IN ({','.join('?' * len(chunk))})"
            )
            rows = conn.execute(sql, (version, *chunk)).fetchall() if conn else self._rows(sql, (version, *chunk))
            found.update(r[0] for r in rows)
        return found

    def save_analysis(
        self,
        analysis: ArticleAnalysis,
        *,
        sources: Iterable[str] = (),
        version: str | None = None,
        read: Article | None = None,
    ) -> bool:
        """Store the article and its analysis in one transaction; False when one was kept instead.

        ``read`` is the article as read, when the stages changed it (``analysis.article`` by
        default): the analysis belongs to that reading. ``version`` defaults to the current
        pipeline version. Analyses at other versions are kept (two models on one store do not
        undo each other's work). At the same version, an analysis of the article's newest reading
        is kept; one of an older reading is replaced, and an analysis of an older reading than the
        newest is not shown (the next run makes one of the newest). Saving releases the caller's
        claim on the article (see :meth:`claim_analyses`).
        """
        if version is None:
            from storyweave.pipeline import pipeline_version

            version = pipeline_version()
        analysis = replace(analysis, doc=None)
        key = article_inputs_key(read or analysis.article)
        with self._tx() as conn:
            row = conn.execute("SELECT inputs_key, title FROM articles WHERE id = ?", (analysis.id,)).fetchone()
            if row is None:
                self._put_article(conn, read or analysis.article, sources)
                current, shown_title = key, (read or analysis.article).title
            else:
                current, shown_title = row
                self._put_sources(conn, analysis.id, {analysis.article.source, *sources})
            if key == current:  # the article as the stages left it is what the newest reading shows
                self._show_analysed(conn, analysis.article, shown_title)
            conn.execute(
                "DELETE FROM analysis_claims WHERE article_id = ? AND pipeline_version = ?", (analysis.id, version)
            )
            stored = conn.execute(
                "SELECT inputs_key FROM analyses WHERE article_id = ? AND pipeline_version = ?", (analysis.id, version)
            ).fetchone()
            if stored is not None:
                if stored[0] == current or key != current:
                    return False  # what is stored is as fresh as this one
                conn.execute(
                    "DELETE FROM analyses WHERE article_id = ? AND pipeline_version = ?", (analysis.id, version)
                )
            data = codec.encode(analysis)
            del data["article"]
            conn.execute(
                "INSERT INTO analyses (article_id, pipeline_version, data, created_at, inputs_key)"
                " VALUES (?, ?, ?, ?, ?)",
                (analysis.id, version, _json(data), _now(), key),
            )
            insert_findings(conn, analysis, version)
        return True

    @staticmethod
    def _put_sources(conn: sqlite3.Connection, article_id: str, sources: Iterable[str]) -> None:
        now = _now()
        conn.executemany(
            "INSERT OR IGNORE INTO article_sources (article_id, source, first_seen) VALUES (?, ?, ?)",
            [(article_id, source, now) for source in sources],
        )

    @staticmethod
    def _show_analysed(conn: sqlite3.Connection, article: Article, shown_title: str | None) -> None:
        """The article row as the stages left the article (they fill ``cites``, may mend a title)."""
        _source, *fields = _reading(article)
        names = [n for n in METADATA_FIELDS if n != "source"]
        conn.execute(
            f"UPDATE articles SET cites = ?, {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
            (_json(list(article.cites)), *fields, article.id),
        )
        # Only a changed title is rewritten: article_id is not indexed in the full-text table, so
        # this update reads the whole table (each article saved would cost more than the last).
        if (shown_title or "") != (article.title or ""):
            conn.execute("UPDATE articles_fts SET title = ? WHERE article_id = ?", (article.title or "", article.id))

    # ------------------------------------------------------------------ raw documents

    def save_raw_documents(self, documents: Mapping[str, bytes]) -> int:
        """Keep compressed documents (sha256 -> zlib bytes, see provenance.py), each once; how many were new."""
        if not documents:
            return 0
        now = _now()
        with self._tx() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO raw_documents (sha256, compression, data, stored_at) VALUES (?, 'zlib', ?, ?)",
                [(digest, blob, now) for digest, blob in sorted(documents.items())],
            )
            return conn.total_changes - before

    def raw_document(self, sha256: str) -> bytes | None:
        """The bytes stored under ``sha256``, as they were read or fetched; None when not kept."""
        rows = self._rows("SELECT compression, data FROM raw_documents WHERE sha256 = ?", (sha256,))
        if not rows:
            return None
        return provenance.decompress(bytes(rows[0]["data"]))

    # ------------------------------------------------------------------ claims (concurrent runs)

    def claim_analyses(
        self, run_id: int, version: str, article_ids: Sequence[str], *, limit: int, stale_after: float
    ) -> Claims:
        """Claim for ``run_id`` up to ``limit`` of ``article_ids`` that still need an analysis at
        ``version`` and that no other live run is analysing; in the order given.

        A claim is another run's while that run is ``running``, its process is alive (when it runs
        on this host) and the claim is younger than ``stale_after`` seconds; otherwise it is taken
        over. Scanning stops once ``limit`` are claimed, so the cost follows ``limit``, not the list.
        """
        found = Claims()
        host = socket.gethostname()
        live: dict[int, bool] = {}
        with self._tx() as conn:
            now = time.time()
            for i in range(0, len(article_ids), LOAD_CHUNK):
                chunk = list(article_ids[i : i + LOAD_CHUNK])
                done = self._current(version, chunk, conn)
                marks = ",".join("?" * len(chunk))
                held = {
                    r[0]: (int(r[1]), float(r[2]), r[3], r[4], r[5])
                    for r in conn.execute(
                        "SELECT c.article_id, c.run_id, c.claimed_at, r.status, r.pid, r.host FROM analysis_claims c"
                        " LEFT JOIN runs r ON r.id = c.run_id"
                        f" WHERE c.pipeline_version = ? AND c.article_id IN ({marks})",
                        (version, *chunk),
                    )
                }
                for article_id in chunk:
                    if article_id in done:
                        found.done.append(article_id)
                        continue
                    claim = held.get(article_id)
                    if claim is not None and claim[0] != run_id and now - claim[1] < stale_after:
                        owner, _at, status, pid, owner_host = claim
                        if owner not in live:
                            live[owner] = status == "running" and (
                                owner_host != host or pid is None or _process_alive(int(pid))
                            )
                        if live[owner]:
                            found.held.append(article_id)
                            continue
                    if len(found.claimed) >= limit:
                        return found
                    conn.execute(
                        "INSERT OR REPLACE INTO analysis_claims (article_id, pipeline_version, run_id, claimed_at)"
                        " VALUES (?, ?, ?, ?)",
                        (article_id, version, run_id, now),
                    )
                    found.claimed.append(article_id)
        return found

    def release_claims(self, run_id: int, article_ids: Iterable[str] | None = None) -> None:
        """Give up ``run_id``'s claims (all of them when ``article_ids`` is None)."""
        with self._tx() as conn:
            if article_ids is None:
                conn.execute("DELETE FROM analysis_claims WHERE run_id = ?", (run_id,))
            else:
                conn.executemany(
                    "DELETE FROM analysis_claims WHERE run_id = ? AND article_id = ?",
                    [(run_id, a) for a in article_ids],
                )

    def load_analyses(
        self, article_ids: Iterable[str] | None = None, *, version: str | None = None
    ) -> Iterator[ArticleAnalysis]:
        """Stored analyses (without ``doc``), in the order of ``article_ids`` or else by id.

        Articles with no stored analysis (or none at ``version``, when given) are skipped.
        """
        if article_ids is None:
            ids = [r[0] for r in self._rows("SELECT DISTINCT article_id FROM analyses ORDER BY article_id")]
        else:
            ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), LOAD_CHUNK):
            chunk = ids[i : i + LOAD_CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = (
                "SELECT a.*, n.data AS analysis_data FROM articles a JOIN analyses n ON n.article_id = a.id"
                f" WHERE a.id IN ({marks})"
            )
            params: list[Any] = list(chunk)
            if version is not None:
                sql += " AND n.pipeline_version = ?"
                params.append(version)
            sql += " ORDER BY n.created_at, n.rowid"  # without a version, the newest analysis of each wins
            by_id = {r["id"]: r for r in self._rows(sql, params)}
            for article_id in chunk:
                row = by_id.get(article_id)
                if row is None:
                    continue
                data = json.loads(row["analysis_data"])
                data["article"] = codec.encode(_article(row))
                yield codec.decode(ArticleAnalysis, data)

    # ------------------------------------------------------------------ search

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Articles matching every word of ``query`` (full text), best first.

        Each hit has ``snippet`` (plain text), ``matches`` (``[start, end]`` of each matched term in
        it) and ``snippet_html`` (escaped, matches in ``<mark>``), safe to insert into a page as is.
        The markers SQLite puts around matches are fresh random tokens for each search, so no
        article text can contain them and pass for a match. Any user input is accepted: terms
        are quoted, so FTS syntax cannot fail.
        """
        fts = _fts_query(query)
        if fts is None:
            return []
        token = secrets.token_hex(16)
        opening, closing = f"\ue000{token}[", f"]{token}\ue001"
        rows = self._rows(
            "SELECT a.id, a.title, a.source, a.published, a.outlet,"
            " snippet(articles_fts, 1, ?, ?, '…', 16) AS snippet,"
            " bm25(articles_fts, 5.0, 1.0) AS score"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id"
            " WHERE articles_fts MATCH ? ORDER BY score, a.id LIMIT ?",
            (opening, closing, fts, max(0, int(limit))),
        )
        hits = []
        for r in rows:
            hit = dict(r)
            hit["snippet"], hit["matches"], hit["snippet_html"] = _marked(hit["snippet"] or "", opening, closing)
            hits.append(hit)
        return hits

    # ------------------------------------------------------------------ runs and reports

    def start_run(self, args: dict[str, Any] | None = None) -> int:
        """Record a run as ``running``, owned by this process (pid and host).

        Runs left ``running`` by a process that no longer exists (killed before
        :meth:`finish_run`) are marked ``interrupted`` first, so ``running`` means running.
        """
        self.mark_interrupted_runs()
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO runs (started, status, args, pid, host) VALUES (?, 'running', ?, ?, ?)",
                (_now(), _json(args or {}), os.getpid(), socket.gethostname()),
            )
            return int(cur.lastrowid or 0)

    def mark_interrupted_runs(self) -> list[int]:
        """Mark as ``interrupted`` the ``running`` runs whose process on this host is gone.

        Runs started on another host, or recorded before runs had an owner, cannot be checked
        from here and are left as they are. Returns the ids marked.
        """
        host = socket.gethostname()
        rows = self._rows("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?", (host,))
        stale = [int(r["id"]) for r in rows if r["pid"] is not None and not _process_alive(int(r["pid"]))]
        if stale:
            with self._tx() as conn:
                conn.executemany(
                    "UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                    [(run_id,) for run_id in stale],
                )
        return stale

    def update_run(
        self,
        run_id: int,
        *,
        article_ids: Iterable[str] | None = None,
        pipeline_version: str | None = None,
        stats: dict[str, Any] | None = None,
    ) -> None:
        """Record what a run is working on as soon as it is known (before the slow part)."""
        with self._tx() as conn:
            if article_ids is not None:
                conn.execute("UPDATE runs SET article_ids = ? WHERE id = ?", (_json(list(article_ids)), run_id))
            if pipeline_version is not None:
                conn.execute("UPDATE runs SET pipeline_version = ? WHERE id = ?", (pipeline_version, run_id))
            if stats is not None:
                conn.execute("UPDATE runs SET stats = ? WHERE id = ?", (_json(stats), run_id))

    def finish_run(
        self,
        run_id: int,
        corpus: Corpus | None,
        report: dict[str, Any] | None,
        status: str,
        *,
        stats: dict[str, Any] | None = None,
    ) -> None:
        """Close a run: its status, and its report (kept whole and as queryable tables)."""
        with self._tx() as conn:
            conn.execute("UPDATE runs SET finished = ?, status = ? WHERE id = ?", (_now(), status, run_id))
            conn.execute("DELETE FROM analysis_claims WHERE run_id = ?", (run_id,))
            if stats is not None:
                conn.execute("UPDATE runs SET stats = ? WHERE id = ?", (_json(stats), run_id))
            if corpus is not None:
                ids = [a.article.id for a in corpus.analyses]
                conn.execute("UPDATE runs SET article_ids = ? WHERE id = ?", (_json(ids), run_id))
            if report is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO run_results (run_id, report) VALUES (?, ?)", (run_id, _json(report))
                )
                insert_results(conn, run_id, report)

    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first, with its arguments, article ids and counts."""
        rows = self._rows(
            "SELECT r.*, (SELECT count(*) FROM run_results x WHERE x.run_id = r.id) AS has_report"
            " FROM runs r ORDER BY r.id DESC"
        )
        return [_run(r) for r in rows]

    def run(self, run_id: int) -> dict[str, Any] | None:
        if not 0 < run_id <= MAX_ROW_ID:
            return None
        rows = self._rows(
            "SELECT r.*, (SELECT count(*) FROM run_results x WHERE x.run_id = r.id) AS has_report"
            " FROM runs r WHERE r.id = ?",
            (run_id,),
        )
        return _run(rows[0]) if rows else None

    def load_report(self, run_id: int) -> dict[str, Any] | None:
        if not 0 < run_id <= MAX_ROW_ID:
            return None  # no row has that id (and SQLite cannot even be asked about it)
        rows = self._rows("SELECT report FROM run_results WHERE run_id = ?", (run_id,))
        return json.loads(rows[0][0]) if rows else None

    def latest_run_id(self) -> int | None:
        rows = self._rows("SELECT max(run_id) FROM run_results")
        return None if rows[0][0] is None else int(rows[0][0])

    def latest_report(self) -> dict[str, Any] | None:
        """The report of the most recent run that produced one."""
        run_id = self.latest_run_id()
        return None if run_id is None else self.load_report(run_id)

    def entities(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """The entities a run found (the latest run with a report when ``run_id`` is None)."""
        if run_id is None:
            run_id = self.latest_run_id()
            if run_id is None:
                return []
        rows = self._rows(
            "SELECT e.id, e.name, e.type, e.aliases, e.roles, count(m.entity_id) AS mentions,"
            " json_group_array(DISTINCT m.article_id) AS articles"
            " FROM entities e LEFT JOIN entity_mentions m ON m.run_id = e.run_id AND m.entity_id = e.id"
            " WHERE e.run_id = ? GROUP BY e.id ORDER BY mentions DESC, e.name, e.id",
            (run_id,),
        )
        return [
            {
                **dict(r),
                "aliases": json.loads(r["aliases"]),
                "roles": json.loads(r["roles"]),
                "articles": sorted(a for a in json.loads(r["articles"]) if a is not None),
            }
            for r in rows
        ]

    # ------------------------------------------------------------------ stories

    def save_story(
        self,
        story_id: str | None,
        article_ids: Iterable[str],
        *,
        title: str,
        scores: dict[str, float] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> str:
        """Store a story (a cluster of articles); returns its id.

        With ``story_id=None`` the id is derived from the member ids, so re-clustering the same
        articles updates the story instead of duplicating it. Saving an existing id replaces its
        title, metadata and members. ``scores`` (optional) gives each member's similarity.
        """
        members = sorted(set(article_ids))
        story_id = story_id or stable_id("story", *members)
        scores = scores or {}
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO stories (id, title, created, meta) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET title = excluded.title, meta = excluded.meta",
                (story_id, title, _now(), _json(meta or {})),
            )
            conn.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            conn.executemany(
                "INSERT INTO story_articles (story_id, article_id, score) VALUES (?, ?, ?)",
                [(story_id, a, scores.get(a)) for a in members],
            )
        return story_id

    def delete_stories(self) -> None:
        """Forget every story (before a fresh clustering)."""
        with self._tx() as conn:
            conn.execute("DELETE FROM stories")

    def stories(self) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT s.id, s.title, s.created, s.meta, count(sa.article_id) AS articles"
            " FROM stories s LEFT JOIN story_articles sa ON sa.story_id = s.id"
            " GROUP BY s.id ORDER BY articles DESC, s.title, s.id"
        )
        return [{**dict(r), "meta": json.loads(r["meta"])} for r in rows]

    def story_articles(self, story_id: str) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT a.id, a.source, a.title, a.published, a.outlet, sa.score"
            " FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id = ? ORDER BY a.published, a.id",
            (story_id,),
        )
        return [dict(r) for r in rows]


# ---------------------------------------------------------------------- row builders


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        published=row["published"],
        outlet=row["outlet"],
        cites=tuple(json.loads(row["cites"])),
        url=row["url"],
        language=row["language"],
        encoding=row["encoding"],
        meta=tuple((str(k), str(v)) for k, v in json.loads(row["meta"]).items()),
        provenance=_provenance(row["provenance"]),
    )


def _provenance_json(article: Article) -> str | None:
    return None if article.provenance is None else _json(codec.encode(article.provenance))


def _provenance(value: str | None) -> Provenance | None:
    return None if not value else codec.decode(Provenance, json.loads(value))


def _run(row: sqlite3.Row) -> dict[str, Any]:
    found = dict(row)
    found["args"] = json.loads(found["args"])
    found["article_ids"] = json.loads(found["article_ids"])
    found["stats"] = json.loads(found["stats"])
    found["has_report"] = bool(found["has_report"])
    return found


def _marked(raw: str, opening: str, closing: str) -> tuple[str, list[list[int]], str]:
    """A snippet with match markers as (plain text, match offsets in it, escaped HTML with <mark>)."""
    plain: list[str] = []
    markup: list[str] = []
    matches: list[list[int]] = []
    at = 0
    for i, piece in enumerate(re.split(f"{re.escape(opening)}(.*?){re.escape(closing)}", raw, flags=re.S)):
        plain.append(piece)
        if i % 2:  # a matched term
            matches.append([at, at + len(piece)])
            markup.append(f"<mark>{html.escape(piece)}</mark>")
        else:
            markup.append(html.escape(piece))
        at += len(piece)
    return "".join(plain), matches, "".join(markup)
