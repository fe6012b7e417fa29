"""The runner: bad files do not stop a batch, stored work is reused, slow articles are skipped."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from storyweave import pipeline
from storyweave.errors import StoryweaveError
from storyweave.pipeline import Context, StageInfo
from storyweave.runner import PARSE, ArticleTimeout, pipeline_version, run_analysis, time_limit
from storyweave.store import Store

BRIDGE = (
    "Lorrin, 12 May 2024 - The Kessa river bridge reopened on Sunday after three weeks of repairs, "
    'the regional roads agency said. "Traffic can flow again," agency director Paulo Mendt told reporters.\n'
)
BRIDGE_2 = (
    "The Kessa bridge in Lorrin reopened to cars on Sunday, 12 May, after repairs costing 4 million euros. "
    "Director Paulo Mendt said the work had taken three weeks.\n"
)
MARKET = "Vendors at the Ostrel night market protested on Friday against a rent rise of 15 percent.\n"


def _write(folder: Path, files: dict[str, str | bytes]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return [str(folder / name) for name in files]


def test_runner_collects_bad_files_and_analyses_the_rest(tmp_path: Path, ctx: Context) -> None:
    paths = _write(tmp_path / "in", {"a.txt": BRIDGE, "b.txt": BRIDGE_2, "empty.txt": "", "bad.json": "{oops"})
    result = run_analysis(paths, out_dir=tmp_path / "out", ctx=ctx, quiet=True)
    assert result.status == "ok"
    assert (result.analysed, result.reused, len(result.article_ids)) == (2, 0, 2)
    assert sorted(e.split(":")[0] for e in result.errors) == sorted([paths[2], paths[3]])
    assert result.outputs["json"] == tmp_path / "out" / "report.json"
    assert result.outputs["json"].exists()
    assert {a["source"] for a in result.report["articles"]} == {paths[0], paths[1]}


def test_runner_reuses_stored_analyses_and_records_the_run(tmp_path: Path, ctx: Context) -> None:
    db = tmp_path / "news.db"
    paths = _write(tmp_path / "in", {"a.txt": BRIDGE, "b.txt": BRIDGE_2})
    first = run_analysis(paths[:1], out_dir=tmp_path / "o1", db=db, ctx=ctx, quiet=True)
    second = run_analysis(paths, out_dir=tmp_path / "o2", db=db, ctx=ctx, quiet=True)
    assert (first.analysed, first.reused) == (1, 0)
    assert (second.analysed, second.reused) == (1, 1)
    with Store.open(db) as store:
        runs = store.runs()
        assert [r["status"] for r in runs] == ["ok", "ok"]
        assert runs[0]["stats"]["analysed"] == 1
        assert runs[0]["stats"]["reused"] == 1
        assert runs[0]["pipeline_version"] == pipeline_version(ctx.settings.spacy_model)
        assert {"ingest", "article stages", "corpus stages", "report"} <= set(runs[0]["stats"]["seconds"])
        assert store.load_report(second.run_id) == second.report


def test_runner_records_a_duplicate_under_another_name(tmp_path: Path, ctx: Context) -> None:
    db = tmp_path / "news.db"
    paths = _write(tmp_path / "in", {"a.txt": MARKET, "copy-of-a.txt": MARKET})
    result = run_analysis(paths, out_dir=tmp_path / "out", db=db, ctx=ctx, quiet=True)
    assert len(result.article_ids) == 1
    with Store.open(db) as store:
        assert store.article(result.article_ids[0])["sources"] == sorted(paths)


def test_runner_fails_only_when_nothing_could_be_analysed(tmp_path: Path, ctx: Context) -> None:
    paths = _write(tmp_path / "in", {"empty.txt": "", "binary.txt": b"\x00\x01\x02\xff" * 50})
    result = run_analysis(paths, out_dir=tmp_path / "out", ctx=ctx, quiet=True)
    assert result.status == "failed"
    assert len(result.errors) == 2
    assert not (tmp_path / "out" / "report.json").exists()


def test_runner_skips_an_article_that_exceeds_the_time_limit(
    tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dawdle(analysis, _ctx):  # a stage stuck on one pathological input
        if "night market" in analysis.article.text:
            time.sleep(30)
        return analysis

    monkeypatch.setitem(
        pipeline._REGISTRY, "dawdle", StageInfo("dawdle", "article", dawdle, frozenset(), frozenset(), 99)
    )
    pipeline_version.cache_clear()
    slow_ctx = Context(settings=ctx.settings.__class__(article_timeout=1.0), _nlp=ctx.nlp, _embedder=ctx.embedder)
    paths = _write(tmp_path / "in", {"a.txt": BRIDGE, "market.txt": MARKET})
    result = run_analysis(paths, out_dir=tmp_path / "out", ctx=slow_ctx, quiet=True)
    pipeline_version.cache_clear()
    assert result.status == "ok"
    assert (result.analysed, result.failed) == (1, 1)
    (error,) = result.errors
    assert error.startswith(paths[1])
    assert "took longer than 1 s" in error


def test_runner_time_limit_interrupts_python_code() -> None:
    def spin() -> None:
        with time_limit(0.2):
            while True:
                pass

    with pytest.raises(ArticleTimeout):
        spin()
    with time_limit(0.5):
        time.sleep(0.01)  # finishing in time raises nothing, and the timer is cleared afterwards
    time.sleep(0.6)


def test_runner_pipeline_version_follows_the_stage_list(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pipeline_version()
    assert pipeline_version() == before
    monkeypatch.setitem(
        pipeline._REGISTRY, "extra", StageInfo("extra", "article", lambda a, c: a, frozenset(), frozenset(), 98)
    )
    pipeline_version.cache_clear()
    try:
        assert pipeline_version() != before
    finally:
        pipeline_version.cache_clear()


def test_runner_rejects_an_unknown_engine(tmp_path: Path) -> None:
    with pytest.raises(StoryweaveError, match="unknown engine"):
        run_analysis([], out_dir=tmp_path, engine="spark")


def test_runner_reuse_survives_a_stage_that_fills_in_article_fields(
    tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    def credit(analysis, _ctx):  # like a stage that finds the agencies an article credits
        return replace(analysis, article=replace(analysis.article, cites=("Lorrin Wire",)))

    monkeypatch.setitem(
        pipeline._REGISTRY,
        "credit",
        StageInfo("credit", "article", credit, frozenset(), frozenset({"article.cites"}), 97),
    )
    pipeline_version.cache_clear()
    try:
        db = tmp_path / "news.db"
        paths = _write(tmp_path / "in", {"a.txt": BRIDGE, "b.txt": MARKET})
        first = run_analysis(paths, out_dir=tmp_path / "o1", db=db, ctx=ctx, quiet=True)
        second = run_analysis(paths, out_dir=tmp_path / "o2", db=db, ctx=ctx, quiet=True)
    finally:
        pipeline_version.cache_clear()
    assert (second.analysed, second.reused) == (0, 2)
    assert second.report == first.report
    assert all(a["cites"] == ["Lorrin Wire"] for a in second.report["articles"])


@pytest.mark.slow
def test_runner_dask_engine_writes_the_same_report_as_local(tmp_path: Path, ctx: Context) -> None:
    pytest.importorskip("distributed")
    paths = _write(tmp_path / "in", {"a.txt": BRIDGE, "b.txt": BRIDGE_2, "empty.txt": ""})
    local = run_analysis(paths, out_dir=tmp_path / "local", ctx=ctx, quiet=True)
    spread = run_analysis(paths, out_dir=tmp_path / "dask", engine="dask", ctx=ctx, quiet=True)
    assert (spread.status, spread.analysed) == ("ok", 2)
    assert spread.errors == local.errors
    assert spread.outputs["json"].read_bytes() == local.outputs["json"].read_bytes()


def test_runner_gc_settings_apply_during_a_run_and_are_restored_after() -> None:
    import gc

    from storyweave.runner import RUN_GC_THRESHOLD, run_gc_settings

    before = gc.get_threshold()
    with run_gc_settings():
        assert gc.get_threshold()[0] == RUN_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
        with run_gc_settings():  # a concurrent run (a web server's second request)
            assert gc.get_threshold()[0] == RUN_GC_THRESHOLD
        assert gc.get_threshold()[0] == RUN_GC_THRESHOLD  # still in the first run
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_runner_accounts_the_parse_beside_the_stages(tmp_path: Path, ctx: Context) -> None:
    run_ctx = Context(settings=ctx.settings, _nlp=ctx.nlp, _embedder=ctx.embedder)
    paths = _write(tmp_path / "in", {"a.txt": BRIDGE, "b.txt": MARKET})
    result = run_analysis(paths, out_dir=tmp_path / "out", ctx=run_ctx, quiet=True)
    assert result.analysed == 2
    assert next(iter(run_ctx.stage_seconds)) == PARSE  # parsed before any stage ran
    assert {s.name for s in pipeline.stages()} | {PARSE} == set(run_ctx.stage_seconds)
