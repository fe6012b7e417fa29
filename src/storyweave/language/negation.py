"""Negation: the words that negate a clause and the verbs that deny what they report.

One reading of ``lexicons/negation.txt`` for every stage. Sections: ``particles`` negate the clause
they modify ("not", "never"); ``quantifiers`` negate through a noun phrase ("no plans", "nothing");
``clause`` markers negate an embedded clause ("without admitting", "nor did he"); ``denial`` verbs
assert that their content is false ("denied that ..."), together with the reporting verbs tagged
``neg``; ``falsity`` words call a report false ("false", "baseless", "a hoax") about the
``reportive`` nouns for what is said or rumoured ("reports", "claims").
"""

from __future__ import annotations

from storyweave.language.reporting import reporting_verbs
from storyweave.lexicons import lexicon_sections

_NEG = lexicon_sections("negation.txt")
NEG_PARTICLES: frozenset[str] = _NEG["particles"]
NEG_QUANTIFIERS: frozenset[str] = _NEG["quantifiers"]
NEG_CLAUSE_MARKERS: frozenset[str] = _NEG["clause"]
#: Every word that negates, whatever its place in the sentence.
NEGATION_WORDS: frozenset[str] = NEG_PARTICLES | NEG_QUANTIFIERS | NEG_CLAUSE_MARKERS
DENIAL_VERBS: frozenset[str] = _NEG["denial"] | frozenset(v for v, t in reporting_verbs().items() if "neg" in t)
FALSITY_WORDS: frozenset[str] = _NEG.get("falsity", frozenset())
REPORTIVE_NOUNS: frozenset[str] = _NEG.get("reportive", frozenset())


def is_negation_word(word: str) -> bool:
    """``word`` (lower case) negates: one of :data:`NEGATION_WORDS` or a contracted "n't" ("didn't")."""
    return word in NEGATION_WORDS or word.endswith("n't")


def falsity_words() -> frozenset[str]:
    """Words that call a report false ("false", "baseless", "a hoax")."""
    return FALSITY_WORDS


def reportive_nouns() -> frozenset[str]:
    """Nouns for what is said or rumoured ("reports", "claims")."""
    return REPORTIVE_NOUNS
