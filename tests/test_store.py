"""The store: exact round trips, idempotent saves, search that never fails, runs, stories, busy."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyweave.errors import StoreError
from storyweave.model import (
    Article,
    ArticleAnalysis,
    ClaimMention,
    DateMention,
    Flag,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Span,
)
from storyweave.pipeline import run_article_stages
from storyweave.store import Store
from support import make_article

HARBOUR = (
    "Port Alvera, 3 March 2025 - Fire crews spent the night at the Alvera grain terminal after a silo "
    'collapsed. "We evacuated forty workers within minutes," said harbour master Ines Corvo on Monday. '
    "The operator, Tidewater Holdings, said 1,200 tonnes of wheat were lost.\n\n"
    "Photo: Harbour Authority\n\nInvestigators from the transport ministry will visit next week."
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture(scope="module")
def harbour_analysis(ctx) -> ArticleAnalysis:
    return run_article_stages(ArticleAnalysis(article=make_article(HARBOUR, published="2025-03-03")), ctx)


def test_store_round_trip_of_a_real_analysis(store: Store, harbour_analysis: ArticleAnalysis) -> None:
    assert store.save_analysis(harbour_analysis, version="v1")
    (loaded,) = store.load_analyses([harbour_analysis.id])
    assert loaded == harbour_analysis
    assert loaded.doc is None


def test_store_save_is_idempotent_and_records_every_source(store: Store, harbour_analysis: ArticleAnalysis) -> None:
    assert store.save_analysis(harbour_analysis, sources=["a/one.txt"], version="v1")
    assert not store.save_analysis(harbour_analysis, sources=["b/copy.txt"], version="v1")
    assert store.has_analysis(harbour_analysis.id, "v1")
    assert not store.has_analysis(harbour_analysis.id, "v2")
    assert store.article_count() == 1
    assert store.article(harbour_analysis.id)["sources"] == sorted({"a/one.txt", "b/copy.txt", "test.txt"})


def test_store_new_version_keeps_the_old_analysis(store: Store, harbour_analysis: ArticleAnalysis) -> None:
    store.save_analysis(harbour_analysis, version="v1")
    assert store.save_analysis(replace(harbour_analysis, quotes=()), version="v2")
    assert store.has_analysis(harbour_analysis.id, "v1")  # another model's run still finds its own
    assert store.execute("SELECT count(*) AS n FROM quotes WHERE pipeline_version = 'v2'")[0]["n"] == 0
    assert [a.quotes for a in store.load_analyses(version="v2")] == [()]
    assert [a.quotes for a in store.load_analyses(version="v1")] == [harbour_analysis.quotes]


def test_store_queryable_tables_repeat_the_findings(store: Store, harbour_analysis: ArticleAnalysis) -> None:
    store.save_analysis(harbour_analysis, version="v1")
    for table, items in [
        ("flags", harbour_analysis.flags),
        ("mentions", harbour_analysis.mentions),
        ("quotes", harbour_analysis.quotes),
        ("claim_mentions", harbour_analysis.claims),
        ("quantities", harbour_analysis.quantities),
        ("dates", harbour_analysis.dates),
    ]:
        rows = store.execute(f"SELECT start, end, text FROM {table} ORDER BY start, end")
        assert sorted((r["start"], r["end"], r["text"]) for r in rows) == sorted(
            (i.span.start, i.span.end, i.span.text) for i in items
        ), table
        assert all(HARBOUR[r["start"] : r["end"]] == r["text"] for r in rows)


def test_store_reading_an_article_again_keeps_what_the_stages_filled_in(
    store: Store, harbour_analysis: ArticleAnalysis
) -> None:
    credited = replace(harbour_analysis, article=replace(harbour_analysis.article, cites=("Coast Wire",)))
    store.save_analysis(credited, version="v1")
    assert not store.save_article(harbour_analysis.article, sources=["again.txt"])  # as read: no cites
    assert store.has_analysis(harbour_analysis.id, "v1")
    assert store.load_article(harbour_analysis.id).cites == ("Coast Wire",)
    assert "again.txt" in store.article(harbour_analysis.id)["sources"]


# ---------------------------------------------------------------------- generated analyses

_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200)
_WORD = st.text(alphabet="abcdefghij XYZ-é’", max_size=12)
_OPT_WORD = st.none() | _WORD


@st.composite
def analyses(draw: st.DrawFn) -> ArticleAnalysis:
    text = draw(_TEXT)
    article = Article(
        id=draw(st.text(alphabet="0123456789abcdef", min_size=16, max_size=16)),
        source=draw(_WORD),
        text=text,
        title=draw(_OPT_WORD),
        published=draw(st.none() | st.dates().map(str)),
        outlet=draw(_OPT_WORD),
        cites=tuple(draw(st.lists(_WORD, max_size=3))),
        url=draw(_OPT_WORD),
        language=draw(st.none() | st.just("en")),
        encoding=draw(st.none() | st.just("utf-8")),
        meta=tuple(draw(st.dictionaries(_WORD, _WORD, max_size=3)).items()),  # keys are unique in a source
    )

    def span() -> Span:
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        return Span.of(article, start, end)

    ints = st.integers(-1, 50)
    return ArticleAnalysis(
        article=article,
        flags=tuple(
            Flag(id=draw(_WORD), span=span(), kind=draw(st.sampled_from(["boilerplate", "insertion"])), reason="r")
            for _ in range(draw(st.integers(0, 2)))
        ),
        paragraphs=tuple(span() for _ in range(draw(st.integers(0, 2)))),
        sentences=tuple(
            Sentence(span=span(), paragraph=draw(ints), skip=draw(st.booleans()))
            for _ in range(draw(st.integers(0, 2)))
        ),
        mentions=tuple(
            Mention(
                span=span(),
                label=draw(st.sampled_from(["PERSON", "ORG", "GPE"])),
                kind=draw(_WORD),
                name=draw(_WORD),
                title=draw(_OPT_WORD),
                role=draw(_OPT_WORD),
                chain=draw(ints),
                sentence=draw(ints),
            )
            for _ in range(draw(st.integers(0, 3)))
        ),
        quotes=tuple(
            Quote(
                id=draw(_WORD),
                span=span(),
                direct=draw(st.booleans()),
                speaker_span=span() if draw(st.booleans()) else None,
                speaker_chain=draw(st.none() | ints),
                speaker=draw(_OPT_WORD),
                cue=draw(_OPT_WORD),
                partial=draw(st.booleans()),
                sentence=draw(ints),
            )
            for _ in range(draw(st.integers(0, 2)))
        ),
        claims=tuple(
            ClaimMention(
                id=draw(_WORD),
                span=span(),
                text=draw(_WORD),
                attributed=draw(st.booleans()),
                quote=draw(_OPT_WORD),
                negated=draw(st.booleans()),
                chains=tuple(draw(st.lists(ints, max_size=3))),
                predicate=draw(_OPT_WORD),
            )
            for _ in range(draw(st.integers(0, 2)))
        ),
        quantities=tuple(
            Quantity(
                id=draw(_WORD),
                span=span(),
                value=draw(st.floats(allow_nan=False, allow_infinity=False)),
                unit=draw(_OPT_WORD),
                qualifier=draw(_OPT_WORD),
            )
            for _ in range(draw(st.integers(0, 2)))
        ),
        dates=tuple(
            DateMention(id=draw(_WORD), span=span(), value=draw(_OPT_WORD), relative=draw(st.booleans()))
            for _ in range(draw(st.integers(0, 2)))
        ),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analysis=analyses())
def test_store_round_trip_of_generated_analyses(analysis: ArticleAnalysis) -> None:
    with Store.open(None) as s:
        assert s.save_analysis(analysis, version="v")
        assert list(s.load_analyses([analysis.id])) == [analysis]


# ---------------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "AND OR NOT", "title:grain*", "(", ")", "NEAR(", "-", "*", "''", "", "   ", "grain OR"],
)
def test_store_search_never_raises_on_hostile_queries(store: Store, query: str) -> None:
    store.save_article(make_article(HARBOUR))
    assert isinstance(store.search(query), list)


def test_store_search_finds_ranks_and_escapes(store: Store) -> None:
    hostile = make_article("Grain prices rose. <script>alert(1)</script> Grain traders were calm.", source="x.html")
    store.save_article(make_article(HARBOUR, title="Silo collapse at Alvera"))
    store.save_article(hostile)
    store.save_article(make_article("A concert was held in the park.", title="Music"))
    hits = store.search("grain")
    assert {h["id"] for h in hits} == {hostile.id, make_article(HARBOUR).id}
    assert hits[0]["score"] <= hits[1]["score"]  # bm25: lower is better
    by_id = {h["id"]: h for h in hits}
    assert "<script>" not in by_id[hostile.id]["snippet_html"]
    assert "&lt;script&gt;" in by_id[hostile.id]["snippet_html"]
    assert "<mark>Grain</mark>" in by_id[hostile.id]["snippet_html"]
    assert store.search("silo collapse")[0]["title"] == "Silo collapse at Alvera"
    assert store.search("wheat concert") == []  # every word must match


def test_store_search_follows_the_title_an_analysis_gives_its_article(
    store: Store, harbour_analysis: ArticleAnalysis
) -> None:
    read = replace(harbour_analysis.article, title="Untitled draft")
    store.save_article(read)
    assert store.search("untitled draft")[0]["id"] == read.id
    analysed = replace(harbour_analysis, article=replace(read, title="Silo collapse at Alvera"))
    store.save_analysis(analysed, version="v1", read=read)
    assert store.search("untitled draft") == []
    assert store.search("silo collapse")[0]["title"] == "Silo collapse at Alvera"
    store.save_analysis(analysed, version="v2", read=read)
    assert [h["id"] for h in store.search("silo collapse")] == [read.id]  # an unchanged title stays searchable


# ---------------------------------------------------------------------- runs, reports, stories


def test_store_runs_keep_reports_and_entities(store: Store) -> None:
    report = {
        "schema_version": "1",
        "entities": [
            {
                "id": "e1",
                "name": "Ines Corvo",
                "type": "PERSON",
                "aliases": ["Corvo"],
                "mentions": [{"article": "a1", "start": 0, "end": 5, "text": "Corvo"}],
            }
        ],
        "claims": [
            {
                "id": "c1",
                "text": "silo collapsed",
                "mentions": [{"article": "a1", "start": 0, "end": 5, "text": "Corvo"}],
                "status": "single-source",
                "supported_by": ["a1"],
                "contradicted_by": [],
            }
        ],
        "timeline": [{"date": "2025-03-03", "text": "collapse", "articles": ["a1"]}],
    }
    first = store.start_run({"paths": ["x"]})
    second = store.start_run({"paths": ["y"]})
    store.finish_run(first, None, report, "ok", stats={"analysed": 1})
    assert [r["id"] for r in store.runs()] == [second, first]
    assert store.run(second)["status"] == "running"
    assert store.run(first)["stats"] == {"analysed": 1}
    assert store.load_report(first) == report
    assert store.load_report(second) is None
    assert store.latest_report() == report
    (entity,) = store.entities(first)
    assert (entity["name"], entity["mentions"], entity["articles"]) == ("Ines Corvo", 1, ["a1"])
    assert store.execute("SELECT status FROM claims WHERE run_id = ?", (first,)) == [{"status": "single-source"}]


def test_store_stories_group_articles(store: Store) -> None:
    a, b = make_article("First account of the flood."), make_article("Second account of the flood.")
    store.save_article(a)
    store.save_article(b)
    story = store.save_story(None, [b.id, a.id], title="Flood", meta={"keywords": ["flood"]})
    assert store.save_story(None, [a.id, b.id], title="Flood (updated)") == story  # same members, same id
    (row,) = store.stories()
    assert (row["id"], row["title"], row["articles"]) == (story, "Flood (updated)", 2)
    assert {r["id"] for r in store.story_articles(story)} == {a.id, b.id}
    store.delete_stories()
    assert store.stories() == []


def test_store_articles_lists_and_reads_one(store: Store) -> None:
    article = make_article(HARBOUR, title="Silo", outlet="Harbour Post", cites=("Coast Wire",))
    store.save_article(article)
    (summary,) = store.articles(limit=10)
    assert "text" not in summary
    assert (summary["title"], summary["cites"], summary["analysed"]) == ("Silo", ["Coast Wire"], False)
    full = store.article(article.id)
    assert full["text"] == HARBOUR
    assert full["analysis"] is None
    assert store.article("missing") is None
    assert list(store.iter_articles()) == [article]


# ---------------------------------------------------------------------- opening, busy


def test_store_temporary_file_is_deleted_on_close() -> None:
    s = Store.open(None)
    path = s.path
    assert path.exists()
    s.close()
    assert not path.exists()


def test_store_pragmas(store: Store) -> None:
    assert store.execute("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
    assert store.execute("PRAGMA foreign_keys")[0]["foreign_keys"] == 1


def test_store_reports_busy_when_another_writer_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path, busy_timeout=0.2) as s, pytest.raises(StoreError, match="store is busy"):
            s.save_article(make_article("A short note about a bridge."))
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_store_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not pages of a database " * 200)
    with pytest.raises(StoreError, match="cannot open store"):
        Store.open(path)


def test_store_doc_examples_run(store: Store, harbour_analysis: ArticleAnalysis) -> None:
    import re

    store.save_analysis(harbour_analysis, version="v1")
    docs = (Path(__file__).resolve().parent.parent / "docs" / "store.md").read_text(encoding="utf-8")
    statements = [s for block in re.findall(r"```sql\n(.*?)```", docs, re.S) for s in block.split(";") if s.strip()]
    assert len(statements) >= 8
    for sql in statements:
        store.execute(sql)  # raises on a column or table the docs name wrongly


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write(store: Store, sql: str, params: tuple) -> None:
    """Change a run the way another process would have left it."""
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute(sql, params)
    conn.close()


def test_store_run_whose_process_died_is_marked_interrupted(store: Store) -> None:
    killed = store.start_run({"paths": ["killed"]})
    _write(store, "UPDATE runs SET pid = ? WHERE id = ?", (_dead_pid(), killed))
    assert store.run(killed)["status"] == "running"  # nothing checks until the next start
    alive = store.start_run({"paths": ["alive"]})  # owned by this process, which is running
    newest = store.start_run({"paths": ["next"]})
    assert store.run(killed)["status"] == "interrupted"
    assert store.run(killed)["finished"] is None
    assert store.run(alive)["status"] == "running"
    assert store.run(newest)["status"] == "running"
    assert store.run(newest)["pid"] > 0


def test_store_run_of_another_host_or_without_owner_is_left_alone(store: Store) -> None:
    elsewhere = store.start_run({})
    _write(store, "UPDATE runs SET pid = ?, host = 'another-host' WHERE id = ?", (_dead_pid(), elsewhere))
    legacy = store.start_run({})
    _write(store, "UPDATE runs SET pid = NULL, host = NULL WHERE id = ?", (legacy,))
    assert store.mark_interrupted_runs() == []
    assert [store.run(r)["status"] for r in (elsewhere, legacy)] == ["running", "running"]
