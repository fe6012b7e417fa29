"""Reporting verbs ("said", "denied", "accused ... of") and attributing prepositions ("according to").

One reading of ``lexicons/reporting_verbs.txt`` for every stage: a lemma per line, lower case,
optionally followed by tags (``neg``, ``obj``, ``of``, ``for``, ``cite``; see the file's header).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from storyweave.lexicons import lexicon_lines


@lru_cache(maxsize=1)
def reporting_verbs() -> dict[str, frozenset[str]]:
    """Reporting verb lemma -> its tags (``neg``, ``obj``, ``of``, ``for``, ``cite``)."""
    verbs: dict[str, frozenset[str]] = {}
    for line in lexicon_lines("reporting_verbs.txt"):
        lemma, *tags = line.lower().split()
        verbs[lemma] = frozenset(tags)
    return verbs


def reporting_lemmas() -> frozenset[str]:
    """Lemmas of verbs whose subject is the source of what follows ("said", "told", "estimated")."""
    return _lemmas()


@lru_cache(maxsize=1)
def _lemmas() -> frozenset[str]:
    return frozenset(reporting_verbs())


@dataclass(frozen=True, slots=True)
class ReportingLexicon:
    """Reporting verb lemmas with their tags, and attributing prepositions."""

    verbs: frozenset[str]
    negating: frozenset[str]
    object_reports: frozenset[str]
    accusing: frozenset[str]
    citing: frozenset[str]
    prepositions: tuple[tuple[str, str], ...]  # (head word, particle or "")


@lru_cache(maxsize=1)
def reporting_lexicon() -> ReportingLexicon:
    """The reporting verbs grouped by tag, and the prepositions that attribute ("according to")."""
    verbs = reporting_verbs()
    prep_rows = [line.split() for line in lexicon_lines("attribution_prepositions.txt")]
    preps = tuple((r[0].casefold(), r[1].casefold() if len(r) > 1 else "") for r in prep_rows)
    return ReportingLexicon(
        verbs=frozenset(verbs),
        negating=frozenset(v for v, tags in verbs.items() if "neg" in tags),
        object_reports=frozenset(v for v, tags in verbs.items() if "obj" in tags),
        accusing=frozenset(v for v, tags in verbs.items() if "of" in tags or "for" in tags),
        citing=frozenset(v for v, tags in verbs.items() if "cite" in tags),
        prepositions=preps,
    )
