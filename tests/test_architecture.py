"""How the package is put together, checked from its source: stages share language helpers through
one module each (``storyweave.language``), never through each other, and nothing imports the runner
back (the store reads the pipeline version from the pipeline)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from storyweave.language.quotation import find_marked, quoted_ranges
from support import ROOT

PACKAGE = ROOT / "src" / "storyweave"


def _imports(path: Path) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """(module, imported names, line) for every import in ``path``, inside functions too."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, (), node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, tuple(a.name for a in node.names), node.lineno


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _family(module: str) -> str:
    """The stage a module of ``stages/`` belongs to: ``quotes_parse`` is a part of ``quotes``, and
    ``claim_facts`` of ``claims`` (a part may name its stage in the singular)."""
    return module.rsplit(".", 1)[-1].split("_", 1)[0].removesuffix("s")


def _imports_another_stage(path: Path, module: str, names: tuple[str, ...]) -> bool:
    if (module == "storyweave" and "stages" in names) or (module == "storyweave.stages" and names):
        return True
    if not module.startswith("storyweave.stages."):
        return False
    inside_stages = path.parent == PACKAGE / "stages"
    return not (inside_stages and _family(path.stem) == _family(module))


def test_no_module_of_the_package_imports_a_stage() -> None:
    """Stages are loaded by name (pipeline.DEFAULT_STAGE_MODULES); what two stages share lives in
    storyweave.language (or another helper module), so no stage depends on another's internals.
    A stage split into parts (``quotes.py`` with ``quotes_parse.py``, ``quotes_direct.py``) imports
    its own parts, and only it does."""
    found = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}"
        for path in _modules()
        for module, names, line in _imports(path)
        if _imports_another_stage(path, module, names)
    ]
    assert not found, "move what these share into storyweave/language/ and import it from there:\n" + "\n".join(found)


def test_no_module_imports_a_private_name_of_another_module() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line} imports {module}.{name}"
        for path in _modules()
        for module, names, line in _imports(path)
        if module.startswith("storyweave")
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not found, "\n".join(found)


def test_the_store_and_the_pipeline_do_not_import_the_runner() -> None:
    """The runner uses the store and the pipeline; importing it back from them is a cycle."""
    for name in ("store.py", "pipeline.py", "migrations.py", "codec.py"):
        imported = {module for module, _, _ in _imports(PACKAGE / name)}
        assert "storyweave.runner" not in imported, name


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def test_shared_word_lists_are_read_by_their_one_language_module() -> None:
    """Three loaders of the reporting verbs and four negation sets once drifted apart; now each list
    is named in the source of one module only."""
    owners = {"reporting_verbs.txt": "language/reporting.py", "negation.txt": "language/negation.py"}
    for lexicon, owner in owners.items():
        readers = [p.relative_to(PACKAGE).as_posix() for p in _modules() if lexicon in _string_constants(p)]
        assert readers == [owner], (lexicon, readers)


def test_quoted_ranges_are_the_stretches_the_quote_scanner_finds() -> None:
    """Claims (``attributed``) and quotes read one scanner, so they agree on what is quoted:
    curly and straight double marks, headline-style single marks, and a quotation left open at the
    end of a paragraph."""
    text = 'He said “the dam held” and "nobody" was hurt; villagers called it ‘a miracle’ and “it went on'
    ranges = quoted_ranges(text, 0, len(text))
    assert ranges == [(m.outer_start, m.outer_end) for m in find_marked(text, 0, len(text), 0)]
    assert [text[a:b] for a, b in ranges] == ["“the dam held”", '"nobody"', "‘a miracle’", "“it went on"]
    apostrophes = "The workers' union said the plant's owner wasn't there."
    assert quoted_ranges(apostrophes, 0, len(apostrophes)) == []
