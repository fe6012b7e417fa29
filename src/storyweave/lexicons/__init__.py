"""The word lists the stages read (honorifics, units, reporting verbs, …), loaded once per process.

Every file here is plain UTF-8 text, one entry a line; blank lines and lines starting with ``#``
are comments. Columns, where a list has them, are separated by tabs. One loader reads them all,
so every stage sees the same rules for comments and whitespace, and a list shared by two stages
(``reporting_verbs.txt``) is read from disk only once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def lexicon_lines(name: str) -> tuple[str, ...]:
    """The entries of lexicon file ``name``, stripped, without comments and blank lines."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    stripped = (line.strip() for line in text.splitlines())
    return tuple(line for line in stripped if line and not line.startswith("#"))


@cache
def lexicon_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The entries of a tab-separated lexicon file, split into their columns."""
    return tuple(tuple(line.split("\t")) for line in lexicon_lines(name))


@cache
def lexicon_sections(name: str) -> dict[str, frozenset[str]]:
    """A lexicon file split into its ``[section]`` blocks, lower-cased."""
    sections: dict[str, set[str]] = {}
    current = ""
    for line in lexicon_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections.setdefault(current, set()).add(line.lower())
    return {k: frozenset(v) for k, v in sections.items()}


@cache
def lexicon_groups(name: str) -> tuple[frozenset[str], ...]:
    """A lexicon of ``a | b | c`` lines: one group of related lemmas per line."""
    return tuple(frozenset(w.strip().lower() for w in line.split("|")) for line in lexicon_lines(name))
