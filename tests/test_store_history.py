"""The store under re-reads and concurrent runs: the newest metadata is what a report shows (with
its history kept), analyses of different pipeline versions coexist, and two runs of one version
share the work instead of both doing all of it (issue table rows 10-12)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from storyweave.model import ArticleAnalysis
from storyweave.pipeline import Context
from storyweave.runner import run_analysis
from storyweave.settings import Settings
from storyweave.store import Store
from support import make_article

TEXT = (
    "Harbour crane collapses in storm\n\nA crane fell onto the quay at Port Vell on Friday night, "
    "the port authority said. Nobody was hurt, said Mira Osk, who runs the terminal.\n"
)


def analysis_of(text: str = TEXT, **kw: object) -> ArticleAnalysis:
    return ArticleAnalysis(article=make_article(text, **kw))


# --------------------------------------------------------------------------- 10: newest metadata


def test_store_rereading_with_corrected_metadata_shows_the_newest_and_keeps_history(tmp_path: Path) -> None:
    first = make_article(TEXT, title="Crane collapes", outlet="Prot News", source="inbox/draft.txt")
    corrected = replace(first, title="Crane collapses", outlet="Port News", source="archive/crane.txt")
    with Store.open(tmp_path / "s.db") as store:
        assert store.save_article(first)
        assert not store.save_article(corrected)  # the same text: not a new article
        stored = store.load_article(first.id)
        assert stored is not None
        assert (stored.title, stored.outlet, stored.source) == ("Crane collapses", "Port News", "archive/crane.txt")
        history = store.article_history(first.id)
        assert [(h["title"], h["outlet"], h["source"]) for h in history] == [
            ("Crane collapses", "Port News", "archive/crane.txt"),
            ("Crane collapes", "Prot News", "inbox/draft.txt"),
        ]
        assert store.article(first.id)["sources"] == ["archive/crane.txt", "inbox/draft.txt"]
        assert [hit["title"] for hit in store.search("collapses")] == ["Crane collapses"]


def test_store_rereading_the_same_metadata_adds_no_history(tmp_path: Path) -> None:
    article = make_article(TEXT, title="Crane collapses", outlet="Port News")
    with Store.open(tmp_path / "s.db") as store:
        store.save_article(article)
        store.save_article(article)
        store.save_analysis(ArticleAnalysis(article=article), version="v1")
        assert len(store.article_history(article.id)) == 1
        assert store.analysed_ids("v1") == {article.id}


def test_store_a_metadata_change_makes_the_analysis_due_again(tmp_path: Path) -> None:
    article = make_article(TEXT, published="2024-03-01")
    with Store.open(tmp_path / "s.db") as store:
        store.save_analysis(ArticleAnalysis(article=article), version="v1")
        assert store.analysed_ids("v1") == {article.id}
        store.save_article(replace(article, published="2024-03-08"))  # relative dates now resolve differently
        assert store.analysed_ids("v1") == set()
        store.save_analysis(ArticleAnalysis(article=replace(article, published="2024-03-08")), version="v1")
        assert store.analysed_ids("v1") == {article.id}
        (loaded,) = store.load_analyses(version="v1")
        assert loaded.article.published == "2024-03-08"
        rows = store.execute("SELECT count(*) AS n FROM analyses WHERE article_id = ?", (article.id,))
        assert rows[0]["n"] == 1  # the stale analysis was replaced, not kept beside the new one


def test_store_report_of_a_rerun_shows_the_corrected_title_and_outlet(tmp_path: Path, ctx: Context) -> None:
    db = tmp_path / "s.db"
    record = {"text": TEXT, "title": "Crane collapes", "outlet": "Prot News", "published": "2024-03-01"}
    (tmp_path / "a.json").write_text(json.dumps(record), encoding="utf-8")
    first = run_analysis([tmp_path / "a.json"], out_dir=tmp_path / "out1", db=db, quiet=True, ctx=ctx)
    (tmp_path / "b.json").write_text(
        json.dumps({**record, "title": "Crane collapses", "outlet": "Port News"}), encoding="utf-8"
    )
    second = run_analysis([tmp_path / "b.json"], out_dir=tmp_path / "out2", db=db, quiet=True, ctx=ctx)
    assert first.report is not None
    assert second.report is not None
    (shown,) = second.report["articles"]
    assert (shown["title"], shown["outlet"], shown["source"]) == (
        "Crane collapses",
        "Port News",
        str(tmp_path / "b.json"),
    )
    assert second.analysed == 1  # the outlet is read by the per-article stages: analysed again
    third = run_analysis([tmp_path / "b.json"], out_dir=tmp_path / "out3", db=db, quiet=True, ctx=ctx)
    assert (third.analysed, third.reused) == (0, 1)


# --------------------------------------------------------------------------- 11: versions coexist


def test_store_analyses_of_two_pipeline_versions_coexist(tmp_path: Path) -> None:
    analysis = analysis_of()
    with Store.open(tmp_path / "s.db") as store:
        assert store.save_analysis(analysis, version="model-a")
        assert store.save_analysis(analysis, version="model-b")
        assert store.analysed_ids("model-a") == store.analysed_ids("model-b") == {analysis.id}
        assert [a.id for a in store.load_analyses(version="model-a")] == [analysis.id]
        assert len(list(store.load_analyses())) == 1  # without a version: the newest, once


def other_model_path() -> str:
    """The default spaCy pipeline named by its folder: the same model, another pipeline version."""
    import spacy

    package = Path(spacy.util.get_package_path(Settings().spacy_model))
    folders = [p for p in package.iterdir() if (p / "config.cfg").is_file()]
    if not folders:
        pytest.skip("the spaCy package has no pipeline folder to load by path")
    return str(folders[0])


def test_store_runs_with_two_models_keep_each_others_analyses(tmp_path: Path, ctx: Context) -> None:
    db = tmp_path / "s.db"
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    other = Context(settings=Settings(spacy_model=other_model_path()))
    runs = [
        run_analysis([tmp_path / "a.txt"], out_dir=tmp_path / f"o{i}", db=db, quiet=True, ctx=c)
        for i, c in enumerate([ctx, other, ctx, other])
    ]
    assert [(r.analysed, r.reused) for r in runs] == [(1, 0), (1, 0), (0, 1), (0, 1)]


# --------------------------------------------------------------------------- 12: one version, two runs

ARTICLES = 24
TOWNS = ["Varna Keel", "Ostrel", "Lorrin", "Bexhaven", "Quillmoor", "Dunmarra"]


def invented_article(i: int) -> str:
    rng = random.Random(i)
    town = rng.choice(TOWNS)
    return (
        f"{town}, {1 + i % 28} June 2024 - Crews repaired a burst water main in {town} on Tuesday. "
        f'"We had {rng.randint(2, 900)} homes without water," said the utility. (Report number {i}.)\n'
    )


def test_store_two_runs_of_one_version_analyse_each_article_once(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"r{i:02d}.txt").write_text(invented_article(i), encoding="utf-8")
    db = tmp_path / "s.db"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "storyweave",
                "analyze",
                str(folder),
                "--out",
                str(tmp_path / f"out{i}"),
                "--db",
                str(db),
            ],
            env={**os.environ, "STORYWEAVE_BATCH_SIZE": "2"},
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0, err
    with Store.open(db) as store:
        finished = [r for r in store.runs() if r["status"] == "ok"]
        assert len(finished) == 2
        assert sum(r["stats"]["analysed"] for r in finished) == ARTICLES
        for r in finished:
            assert len(r["article_ids"]) == ARTICLES
        assert store.execute("SELECT count(*) AS n FROM analysis_claims")[0]["n"] == 0
    for i in range(2):
        report = json.loads((tmp_path / f"out{i}" / "report.json").read_text(encoding="utf-8"))
        assert len(report["articles"]) == ARTICLES


def test_store_migration_keeps_analyses_of_an_older_store_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from storyweave import codec, migrations

    article = make_article(TEXT, title="Crane collapses", outlet="Port News")
    data = codec.encode(ArticleAnalysis(article=article))
    del data["article"]
    db = tmp_path / "old.db"
    with monkeypatch.context() as patch:  # a store as the two first migrations left it
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:2])
        conn = sqlite3.connect(db, isolation_level=None)
        migrations.migrate(conn)
        conn.execute(
            "INSERT INTO articles (id, source, title, text, outlet, ingested_at) VALUES (?, ?, ?, ?, ?, ?)",
            (article.id, article.source, article.title, article.text, article.outlet, "2024-06-01T00:00:00+00:00"),
        )
        conn.execute(
            "INSERT INTO analyses (article_id, pipeline_version, data, created_at) VALUES (?, 'v1', ?, ?)",
            (article.id, json.dumps(data), "2024-06-01T00:00:00+00:00"),
        )
        conn.close()
    with Store.open(db) as store:
        assert store.analysed_ids("v1") == {article.id}  # still current: no re-analysis after upgrading
        assert [(h["title"], h["outlet"]) for h in store.article_history(article.id)] == [
            ("Crane collapses", "Port News")
        ]
        store.save_article(replace(article, title="Harbour crane collapses"))
        assert store.analysed_ids("v1") == set()
