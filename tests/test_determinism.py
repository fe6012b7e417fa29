"""The same input gives a byte-identical report.json: fresh or resumed, in any file order."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyweave.pipeline import Context
from storyweave.runner import RunResult, run_analysis, sample_dir, sample_files
from support import EXAMPLES

ACCOUNTS = {
    "wire.txt": (
        "Ostrel, 4 April 2025 - A fire at the Ostrel textile mill forced 300 workers to leave on Thursday, "
        'the fire service said. "The roof collapsed within twenty minutes," said fire chief Dora Lenk.\n\n'
        "Photo: Ostrel Fire Service\n"
    ),
    "daily.txt": (
        "Some 250 workers were evacuated from the textile mill in Ostrel on Thursday after a blaze broke out, "
        "according to the fire service. Chief Dora Lenk said the roof had collapsed.\n"
    ),
    "radio.txt": (
        "The Ostrel mill fire on 3 April destroyed the main hall. Mill owner Tomas Vell said production "
        'would resume next month. "We will rebuild," Vell said.\n'
    ),
}


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for name, text in ACCOUNTS.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    if (EXAMPLES / "sample").is_dir():
        paths += sample_files(sample_dir())
    return paths


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> dict[str, RunResult]:
    """The same files analysed four ways: fresh, fresh in reverse order, and resumed from a store."""
    tmp = tmp_path_factory.mktemp("determinism")
    paths = _inputs(tmp / "in")
    db = tmp / "store.db"
    runs = {
        "fresh": run_analysis(paths, out_dir=tmp / "fresh", ctx=ctx, quiet=True),
        "reversed": run_analysis(list(reversed(paths)), out_dir=tmp / "reversed", ctx=ctx, quiet=True),
        "partial": run_analysis(paths[:2], out_dir=tmp / "partial", db=db, ctx=ctx, quiet=True),
    }
    runs["resumed"] = run_analysis(paths, out_dir=tmp / "resumed", db=db, ctx=ctx, quiet=True)
    return runs


def test_determinism_resumed_run_reused_the_stored_analyses(outputs: dict[str, RunResult]) -> None:
    assert outputs["resumed"].reused == 2
    assert outputs["resumed"].analysed == len(outputs["fresh"].article_ids) - 2


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
@pytest.mark.parametrize("other", ["reversed", "resumed"])
def test_determinism_same_input_same_bytes(outputs: dict[str, RunResult], fmt: str, other: str) -> None:
    if fmt not in outputs["fresh"].outputs:
        pytest.skip(f"report.{fmt} is not written yet")
    assert outputs[other].outputs[fmt].read_bytes() == outputs["fresh"].outputs[fmt].read_bytes()
