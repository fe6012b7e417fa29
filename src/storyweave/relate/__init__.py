"""One relation judgement between two pieces of text, used wherever two are compared.

``relate(a, b, vectors) -> Relation(kind, score, reasons)`` with ``kind`` one of

* ``same`` — the two state one thing: predicate and arguments agree (not only the wording);
* ``contradicts`` — they cannot both hold: one denies, debunks or negates what the other states
  with the same predicate and participants, asserts the opposite predicate or state ("kept the
  plant open" / "closed the plant"), says no one met a fate the other counts, says an event
  never happened that the other has take part, or gives the same measure a value its bounds
  exclude (the exact figure override, :mod:`storyweave.relate.figures`);
* ``related`` — about the same thing without stating it the same way (one source characterises a
  statement differently from another, or they are close in meaning but no more);
* ``unrelated`` — about different things.

Inputs are :class:`~storyweave.relate.facts.Facts`: facts the parse gave for each mention (carried
on :class:`~storyweave.model.ClaimMention`) with the corpus' entities and figures, plus sentence
vectors of a few texts per mention (:func:`texts_to_embed`). The claims stage (``align``) and
``storyweave check`` both judge through this one function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from storyweave.relate.facts import Facts
from storyweave.relate.rules import action, lemma_of, predicate_phrase, rule_relation

RelationKind = Literal["same", "contradicts", "related", "unrelated"]

#: Mentions that no rule relates are ``related`` from this core cosine, else ``unrelated``. In
#: shared/docs/dependencies.md §3 MiniLM gives same-topic different claims 0.24 and paraphrases
#: 0.44-0.82; this sits between.
RELATED_COSINE = 0.4


@dataclass(frozen=True, slots=True)
class Relation:
    """How two mentions relate: the kind, a score in [0, 1] (how close their content is) and
    the reasons, the first being the rule that decided (``paraphrase``, ``negation``, ``denial``,
    ``debunk``, ``antonym``, ``existence``, ``count``, ``number``, ``accusation-denial``,
    ``characterisation``, ``similar``, ``dissimilar``)."""

    kind: RelationKind
    score: float
    reasons: tuple[str, ...]


def texts_to_embed(facts: list[Facts], pairs: Iterable[tuple[int, int]]) -> set[str]:
    """The texts whose vectors :func:`relate` reads to judge these pairs of ``facts`` (by index)."""
    out: set[str] = set()
    for i, j in pairs:
        for f in (facts[i], facts[j]):
            m = f.mention
            out |= {m.core, predicate_phrase(m), lemma_of(m)}
        if facts[i].agentless != facts[j].agentless and facts[i].mention.negated != facts[j].mention.negated:
            out |= {action(facts[i]), action(facts[j])}
    return out


def relate(a: Facts, b: Facts, vectors: Mapping[str, np.ndarray]) -> Relation:
    """How mention ``a`` relates to mention ``b`` (symmetric)."""
    ma, mb = a.mention, b.mention
    cosine = float(vectors[ma.core] @ vectors[mb.core])
    if a.agentless != b.agentless and ma.negated != mb.negated:
        # "the gates were never opened" against "the authority opened the gates": what was done
        # to what, since the agent only one names would weigh on a comparison of whole cores
        cosine = float(vectors[action(a)] @ vectors[action(b)])
    pcos = float(vectors[predicate_phrase(ma)] @ vectors[predicate_phrase(mb)])
    lcos = float(vectors[lemma_of(ma)] @ vectors[lemma_of(mb)])
    score = max(0.0, min(1.0, cosine))
    found = rule_relation(a, b, cosine, pcos, lcos)
    if found is None:
        if cosine >= RELATED_COSINE:
            return Relation("related", score, ("similar",))
        return Relation("unrelated", score, ("dissimilar",))
    if found.kind == "same":
        return Relation("same", score, (found.rule,))
    if found.kind == "contradiction":
        return Relation("contradicts", score, (found.rule,))
    return Relation("related", score, (found.rule,))


__all__ = ["Facts", "Relation", "RelationKind", "relate", "texts_to_embed"]
