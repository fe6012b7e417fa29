"""The one lexicon loader every stage uses: comments and blanks dropped, rows split on tabs, read once."""

from __future__ import annotations

from importlib import resources

import pytest

from storyweave.lexicons import lexicon_lines, lexicon_rows

NAMES = sorted(p.name for p in resources.files("storyweave.lexicons").iterdir() if p.name.endswith(".txt"))


def test_every_lexicon_is_found() -> None:
    assert {"honorifics.txt", "units.txt", "reporting_verbs.txt", "calendar.txt"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_lexicon_entries_are_stripped_without_comments_or_blanks(name: str) -> None:
    lines = lexicon_lines(name)
    assert lines
    assert all(line and line == line.strip() and not line.startswith("#") for line in lines)
    raw = resources.files("storyweave.lexicons").joinpath(name).read_text(encoding="utf-8")
    assert len(lines) == sum(1 for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@pytest.mark.parametrize("name", [n for n in NAMES if "\t" in lexicon_lines(n)[0]])
def test_tabbed_lexicon_rows_have_one_width(name: str) -> None:
    widths = {len(row) for row in lexicon_rows(name)}
    assert len(widths) == 1, (name, widths)
    assert min(widths) >= 2


def test_lexicons_are_read_once_and_shared() -> None:
    assert lexicon_lines("reporting_verbs.txt") is lexicon_lines("reporting_verbs.txt")
    assert lexicon_rows("units.txt") is lexicon_rows("units.txt")
