"""End to end on the shared seed articles (and the sample corpus): the contract holds, no span is
broken, and the seed scorer's per-category results do not fall below their floors.

FLOORS holds the number of "must" items passed per scorer category. Raise a floor when your work
makes more items pass; never lower one to make a test pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from storyweave.contract import bad_spans, schema
from storyweave.pipeline import Context
from storyweave.runner import run_analysis, sample_files
from support import EXAMPLES, SEEDS, SHARED

#: Seeds: category -> must items that have to pass (None: all of them). Measured 2026-11-22.
FLOORS: dict[str, int | None] = {
    "boilerplate": None,
    "cites": None,
    "same_entity": 8,
    "distinct_entities": 5,
    "statements": 3,
    "quote_speakers": 10,
    "numeric_discrepancies": 1,
    "dates": 3,
    "insertions": 1,
    "contested_claims": 1,
}
#: Sample corpus (examples/sample.expected.json), same scorer and categories. Measured 2026-11-22.
SAMPLE_FLOORS: dict[str, int | None] = {
    "boilerplate": 4,
    "cites": 2,
    "same_entity": 5,
    "distinct_entities": 3,
    "statements": 2,
    "quote_speakers": 10,
    "numeric_discrepancies": 1,
    "dates": 3,
    "insertions": 1,
    "contested_claims": 1,
}

SCORER = SHARED / "tools" / "score_seeds.py"
SAMPLE = EXAMPLES / "sample"


def _score(report_path: Path, expected: Path | None = None) -> dict[str, Any]:
    cmd = [sys.executable, str(SCORER), str(report_path), "--json"]
    if expected is not None:
        cmd += ["--expected", str(expected)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"the scorer printed no JSON: {done.stdout}\n{done.stderr}"
    return json.loads(lines[-1])


def _check_floors(scores: dict[str, Any], floors: dict[str, int | None]) -> list[str]:
    below = []
    for category, floor in floors.items():
        got = scores["categories"].get(category, {"passed": 0, "of": 0})
        need = got["of"] if floor is None else floor
        if got["passed"] < need:
            below.append(f"{category}: {got['passed']}/{got['of']} < floor {need}")
    return below


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> Path:
    paths = sorted(SEEDS.glob("*.txt"))
    if not paths:
        pytest.skip(f"no seed articles in {SEEDS}")
    out = tmp_path_factory.mktemp("seeds")
    result = run_analysis(paths, out_dir=out, ctx=ctx, quiet=True)
    assert result.status == "ok", result.errors
    assert result.errors == []
    return result.outputs["json"]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> Path:
    if not (EXAMPLES / "sample.expected.json").exists():
        pytest.skip("examples/sample/ with expected.json is not there yet")
    out = tmp_path_factory.mktemp("sample")
    result = run_analysis(sample_files(SAMPLE), out_dir=out, ctx=ctx, quiet=True)
    assert result.status == "ok", result.errors
    return result.outputs["json"]


def test_seeds_e2e_report_follows_both_schemas(seed_report: Path) -> None:
    report = json.loads(seed_report.read_text(encoding="utf-8"))
    shared = json.loads((SHARED / "contract" / "report.schema.json").read_text(encoding="utf-8"))
    assert shared == schema()
    jsonschema.validate(report, shared)
    jsonschema.validate(report, schema())
    assert len(report["articles"]) == 4


def test_seeds_e2e_no_bad_spans(seed_report: Path) -> None:
    report = json.loads(seed_report.read_text(encoding="utf-8"))
    assert bad_spans(report) == []
    assert _score(seed_report)["bad_spans"] == 0


def test_seeds_e2e_scores_at_or_above_the_floors(seed_report: Path) -> None:
    scores = _score(seed_report)
    assert scores["false_merges"] == 0
    assert _check_floors(scores, FLOORS) == []


def test_seeds_e2e_sample_corpus_is_scored(sample_report: Path) -> None:
    report = json.loads(sample_report.read_text(encoding="utf-8"))
    assert bad_spans(report) == []
    scores = _score(sample_report, EXAMPLES / "sample.expected.json")
    assert scores["bad_spans"] == 0
    assert _check_floors(scores, SAMPLE_FLOORS) == []
