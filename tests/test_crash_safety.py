"""Crash safety: SIGKILL at random moments never leaves half an article, and a re-run finishes
only what is missing; two processes writing one store at once serialise or say it is busy."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyweave.runner import pipeline_version
from storyweave.store import Store

TOWNS = ["Varna Keel", "Ostrel", "Lorrin", "Bexhaven", "Quillmoor", "Dunmarra"]
PEOPLE = ["Paulo Mendt", "Ines Corvo", "Rafa Oduya", "Mirela Tosk", "Joss Halvard", "Anik Brell"]
EVENTS = ["a warehouse fire", "a ferry delay", "a water main burst", "a power cut", "a landslide"]
ARTICLES = 60


def invented_article(i: int) -> str:
    rng = random.Random(i)
    town, person, event = rng.choice(TOWNS), rng.choice(PEOPLE), rng.choice(EVENTS)
    n = rng.randint(2, 900)
    return (
        f"{town}, {1 + i % 28} June 2024 - Emergency services responded to {event} in {town} on Tuesday. "
        f'"We had {n} people on site within the hour," said {person}, who leads the local response team. '
        f"Officials said {rng.randint(2, 40)} homes were affected and repairs would take {rng.randint(2, 9)} days.\n\n"
        f"Residents were asked to avoid the area until Friday. (Report number {i}.)\n"
    )


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "storyweave", *args]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(ARTICLES):
        (folder / f"report-{i:03d}.txt").write_text(invented_article(i), encoding="utf-8")
    return folder


def _check_store(db: Path) -> int:
    """The store is intact and each stored analysis is whole; returns the number of analyses."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    with Store.open(db) as store:
        analyses = list(store.load_analyses())
        for a in analyses:  # all rows of an article were committed together, or none were
            for table, items in [("mentions", a.mentions), ("quotes", a.quotes), ("quantities", a.quantities)]:
                rows = store.execute(f"SELECT count(*) AS n FROM {table} WHERE article_id = ?", (a.id,))
                assert rows[0]["n"] == len(items), (table, a.id)
        dupes = store.execute("SELECT article_id FROM analyses GROUP BY article_id HAVING count(*) > 1")
        assert dupes == []
        return len(analyses)


def _analyses_committed(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM analyses").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet
        return 0


def test_crash_safety_sigkill_then_resume(tmp_path: Path, corpus: Path) -> None:
    db, out = tmp_path / "news.db", tmp_path / "out"
    rng = random.Random(20240611)
    kills = 0
    # Kill once a random number of articles is committed, after a random extra delay: the kill
    # lands anywhere, mid-transaction included, but always after some work (the machine may be slow
    # to start a process, and a kill before any work would test nothing).
    for target in (rng.randint(3, 12), rng.randint(18, 28), rng.randint(34, 44)):
        proc = subprocess.Popen(
            _cli("analyze", str(corpus), "--out", str(out), "--db", str(db), "--quiet"),
            env={**os.environ, "STORYWEAVE_BATCH_SIZE": "4"},  # commits come steadily, not 32 at once
        )
        deadline = time.monotonic() + 60
        while proc.poll() is None and _analyses_committed(db) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.1))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        _check_store(db)
    assert kills >= 1, "every run finished before it could be killed; the corpus is too small to test with"

    stored_before = _check_store(db)
    assert 0 < stored_before < ARTICLES
    print(f"{kills} kills; {stored_before} of {ARTICLES} analyses stored before the final run")
    version = pipeline_version()
    done = subprocess.run(
        _cli("analyze", str(corpus), "--out", str(out), "--db", str(db)), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _check_store(db) == ARTICLES
    with Store.open(db) as store:
        assert store.article_count() == ARTICLES
        last = store.runs()[0]
        assert last["status"] == "ok"
        if last["pipeline_version"] == version:  # (the stage code did not change under the test)
            assert last["stats"]["analysed"] == ARTICLES - stored_before
            assert last["stats"]["reused"] == stored_before
            assert f"{ARTICLES - stored_before} of {ARTICLES} articles to analyse" in done.stderr
        killed = [r for r in store.runs()[1:] if r["status"] == "running"]
        # a run killed after it was recorded stays "running" with no finish time (one killed
        # during start-up was never recorded)
        assert len(killed) <= kills
        assert all(r["finished"] is None for r in killed)


def test_crash_safety_two_writers_serialise_or_report_busy(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "shared.db"
    files = sorted(corpus.iterdir())
    halves = [files[:4], files[4:8]]
    procs = [
        subprocess.Popen(
            _cli("analyze", *map(str, half), "--out", str(tmp_path / f"out{i}"), "--db", str(db), "--quiet"),
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, half in enumerate(halves)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0 or "store is busy" in err, err
    assert any(code == 0 for code, _ in results)
    expected = sum(len(h) for (code, _), h in zip(results, halves, strict=True) if code == 0)
    assert _check_store(db) >= expected
