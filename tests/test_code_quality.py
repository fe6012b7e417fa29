"""Repository rules that can be checked mechanically: lint and format clean, and a package that
knows nothing of the seed articles (the tool must work the same on stories it has never seen)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from support import ROOT, SEEDS

PACKAGE = ROOT / "src" / "storyweave"
TEXT_SUFFIXES = {".py", ".txt", ".json", ".j2", ".css", ".js", ".html", ".sql", ".yaml", ".yml", ".csv"}


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """ruff from the dev extra (scripts/install.sh --dev), on the same paths CI lints."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "src", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_finds_no_lint_problems() -> None:
    done = _ruff("check", "--output-format", "concise")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_leaves_every_file_unchanged() -> None:
    done = _ruff("format", "--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_no_type_errors_in_the_package() -> None:
    """The type checker configured in pyproject.toml ([tool.mypy]: src/), as CI runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _seed_names() -> set[str]:
    """Person and place name words, and credited outlets, from the analyst's list for the seeds."""
    expected = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    names: set[str] = set()
    for entity in expected["must"]["same_entity"]:
        if entity["name"].isupper():  # acronyms (an alliance) expand into ordinary English words
            continue
        for form in (entity["name"], *entity["forms"]):
            names.update(word.lower() for word in re.findall(r"[A-Z][a-z]{3,}", form))
    for article in expected["articles"].values():
        names.update(cite.lower() for cite in article.get("cites", ()))
    return names


#: Third-party model files shipped unchanged (their hash is checked in test_embed.py): a tokenizer's
#: 30,000-word vocabulary holds common names of every kind and is no list of ours.
VENDORED = {PACKAGE / "data" / "minilm" / "tokenizer.json"}


def test_the_package_names_nothing_from_the_seed_articles() -> None:
    names = _seed_names()
    assert len(names) >= 10, names  # the list really was read
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b", re.IGNORECASE)
    hits = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted(PACKAGE.rglob("*"))
        if path.suffix in TEXT_SUFFIXES and path not in VENDORED
        for match in [pattern.search(path.read_text(encoding="utf-8", errors="replace"))]
        if match
    ]
    assert not hits, hits


def test_the_seed_name_check_would_catch_a_seed_name() -> None:
    """The check above can fail: a seed surname in a word list is found by the same pattern."""
    names = _seed_names()
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b", re.IGNORECASE)
    surname = sorted(n for n in names if " " not in n)[0]
    assert pattern.search(f"titles.txt\n{surname.title()}\n")


def test_every_data_file_of_the_package_is_declared_as_package_data() -> None:
    """A word list or template missing from package-data works in a checkout and fails once installed."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["storyweave"]
    data_files = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    ]
    assert data_files, "no data files found: the package layout changed"

    def declared(file: str, pattern: str) -> bool:  # glob semantics: "*" never crosses a "/"
        parts, wanted = file.split("/"), pattern.split("/")
        return len(parts) == len(wanted) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(parts, wanted, strict=True))

    undeclared = [f for f in data_files if not any(declared(f, p) for p in patterns)]
    assert not undeclared, f"add these to [tool.setuptools.package-data] in pyproject.toml: {undeclared}"
