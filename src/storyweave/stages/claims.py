"""Checkable claims: each sentence split into atomic clauses with polarity, hedging and attribution.

A news sentence often packs several checkable statements ("troops entered the town and it was
annexed by the general"). Comparing whole sentences across sources blurs them, so each coordinated
main clause becomes its own :class:`ClaimMention`, and subordinate clauses that state a fact of
their own ("..., when the army seized the port") become ``embedded`` mentions. Everything is read
off the dependency parse that is already there: no model calls, one pass over the tokens.

For reported speech the claim is the reported content ("X denied that Y happened" is a negative
claim about Y, attributed to X); ``cue`` keeps the reporting verb so that the alignment stage can
tell a contradiction of the fact from a difference in how a statement was characterised.

Editorial text a reader must not mistake for reporting (labelled paragraphs, a break in voice,
unattributed opinion) is flagged by the ``insertions`` stage (``stages/insertions.py``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

import numpy as np
from spacy.attrs import ENT_TYPE, HEAD, IS_ALPHA, IS_STOP, LEMMA, LENGTH, LOWER, POS
from spacy.tokens import Token

from storyweave.language.negation import (
    DENIAL_VERBS,
    NEG_CLAUSE_MARKERS,
    NEG_PARTICLES,
    NEG_QUANTIFIERS,
    NEGATION_WORDS,
)
from storyweave.language.quotation import mostly_inside, quoted_ranges
from storyweave.language.reporting import reporting_verbs
from storyweave.lexicons import lexicon_sections
from storyweave.model import ArticleAnalysis, ClaimMention, Span, stable_id
from storyweave.pipeline import Context, stage
from storyweave.stages.claim_facts import (
    debunked_clause,
    head_lemma,
    modality,
    quantifier,
    reported_content,
    state_complement,
    voice,
)

# --------------------------------------------------------------------------- lexicons


_HEDGES = lexicon_sections("hedges.txt")
HEDGE_WORDS: frozenset[str] = frozenset().union(*_HEDGES.values())

VERBAL = frozenset({"VERB", "AUX"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
OBJECTS = ("dobj", "attr", "acomp", "oprd", "dative")
#: Fewer alphabetic words than this is a fragment, not a checkable claim.
MIN_WORDS = 4
#: Longest argument text kept for the alignment core; longer phrases add noise, not meaning.
MAX_ARGUMENT_TOKENS = 10


# --------------------------------------------------------------------------- clause structure


@dataclass(frozen=True, slots=True)
class _Unit:
    """One clause of a sentence: its head, token range and how it relates to the sentence."""

    head: Token
    first: int  # token index, inclusive
    last: int  # token index, inclusive
    clause: str  # "main" or "embedded"
    parent: _Unit | None = None


def _has_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECTS for c in token.children)


def _conjoined_verbs(head: Token) -> Iterator[Token]:
    for child in head.children:
        if child.dep_ == "conj" and child.pos_ in VERBAL:
            yield child
            yield from _conjoined_verbs(child)


def _main_heads(doc: object, table: _TokenTable, lo: int, hi: int) -> list[Token]:
    """The heads of the sentence's main clauses, with coordinated verbs split off.

    A root that is not a verb ("Comment: X did Y", a headline noun phrase) hands over to the
    verbs under it that have a subject of their own.
    """
    heads: list[Token] = []
    head_of = table.head
    for i in range(lo, hi):
        if head_of[i] != i and lo <= head_of[i] < hi:
            continue
        t = doc[i]  # type: ignore[index]
        if table.verbal[i]:
            heads.append(t)
        else:
            heads.extend(c for c in t.children if c.pos_ in VERBAL and _has_subject(c) and c.dep_ != "relcl")
    out: list[Token] = []
    for h in heads:
        out.append(h)
        out.extend(_conjoined_verbs(h))
    return out


def _clause_range(head: Token, split: set[int], lo: int, hi: int) -> tuple[int, int] | None:
    """Token range of ``head``'s clause: its subtree up to the first split-off conjunct."""
    cut = hi
    for child in head.children:
        if child.i in split and child.i > head.i:
            cut = min(cut, child.left_edge.i)
    first = max(head.left_edge.i, lo)
    last = min(head.right_edge.i, cut - 1, hi - 1)
    doc = head.doc
    while first <= last and (doc[first].is_punct or doc[first].dep_ == "cc" or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].dep_ == "cc" or doc[last].is_space):
        last -= 1
    if first > last:
        return None
    return first, last


def _embedded_heads(unit: _Unit, table: _TokenTable) -> Iterator[tuple[Token, Token]]:
    """Subordinate clauses that state a fact of their own: (clause head, token the span starts at).

    "..., when the army seized the port" (temporal clause with its own subject), "..., saying the
    army was behind it" (a reporting participle), "... without accusing X" (a negated clause).
    """
    doc = unit.head.doc
    verbal = table.verbal
    for i in range(unit.first, unit.last + 1):
        if i == unit.head.i or not verbal[i]:
            continue
        t = doc[i]
        lemma = t.lemma_.lower()
        temporal = t.dep_ == "relcl" and _has_subject(t) and any(c.lower_ in ("when", "where") for c in t.children)
        if temporal or (t.dep_ == "advcl" and (_has_subject(t) or lemma in reporting_verbs())):
            yield t, t.left_edge
        elif _relative_subject(t) is not None:  # "a ferry that sank": the ferry sank
            yield t, t.head.left_edge
        elif t.dep_ == "pcomp" and t.head.lower_ in NEG_CLAUSE_MARKERS:
            yield t, t.head
        elif t.dep_ == "pcomp" and lemma in reporting_verbs() and _has_subject(t):
            yield t, t.left_edge


RELATIVE_PRONOUNS = frozenset({"that", "which", "who"})


def _relative_subject(verb: Token) -> Token | None:
    """The antecedent noun of a relative clause whose relative pronoun is its subject ("a ferry
    that sank", "the plant, which closed"): the noun is who or what did it."""
    if verb.dep_ != "relcl" or verb.head.pos_ not in ("NOUN", "PROPN"):
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ not in RELATIVE_PRONOUNS:
        return None
    return verb.head


def _antecedent_tokens(noun: Token, lo: int, hi: int) -> list[Token]:
    """The antecedent's own words (without its relative clause); for a copular "X was a N that
    ...", X's words as well, since X and N are one thing."""
    words = [t for t in noun.subtree if t.i <= noun.i and lo <= t.i < hi and not t.is_punct and not t.is_space]
    if noun.dep_ == "attr" and noun.head.lemma_.lower() == "be":
        subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            words = [t for t in subject.subtree if lo <= t.i < hi and not t.is_punct] + words
    return words[:MAX_ARGUMENT_TOKENS]


def _relative_clause_of(token: Token) -> Token | None:
    """The relative clause verb ``token`` belongs to, directly or as a coordinated verb of it."""
    cur = token
    for _ in range(4):
        if cur.dep_ == "relcl":
            return cur
        if cur.dep_ != "conj":
            return None
        cur = cur.head
    return None


def clause_units(doc: object, table: _TokenTable, lo: int, hi: int) -> list[_Unit]:
    """Main clauses, then the embedded clauses inside each, in text order."""
    heads = _main_heads(doc, table, lo, hi)
    split = {h.i for h in heads}
    units: list[_Unit] = []
    for h in heads:
        rng = _clause_range(h, split, lo, hi)
        if rng is None:
            continue
        units.append(_Unit(h, rng[0], rng[1], "main"))
    embedded: list[_Unit] = []
    for unit in units:
        embedded.extend(_reported_conjuncts(unit, lo, hi))
        for head, start in _embedded_heads(unit, table):
            inner = [head, *_conjoined_verbs(head)]
            inner_split = {t.i for t in inner}
            for h in inner:
                rng = _clause_range(h, inner_split, max(lo, start.i), min(hi, unit.last + 1))
                if rng is None:
                    continue
                first = start.i if h.i == head.i else rng[0]
                embedded.append(_Unit(h, first, rng[1], "embedded", unit))
    return units + embedded


def _reported_conjuncts(unit: _Unit, lo: int, hi: int) -> Iterator[_Unit]:
    """The coordinated verbs of reported content, each a clause of its own: "X said his client
    accepted the ruling and would not appeal" reports two things, and the second (negated) one
    must meet "X said his client would appeal" on its own, not inside the first."""
    content, cue, _ = _content(unit.head)
    if cue is None or content.pos_ not in VERBAL:
        return
    conjuncts = list(_conjoined_verbs(content))
    split = {t.i for t in conjuncts}
    for h in conjuncts:
        if not unit.first <= h.i <= unit.last:
            continue
        rng = _clause_range(h, split, max(lo, unit.first), min(hi, unit.last + 1))
        if rng is not None:
            yield _Unit(h, rng[0], rng[1], "embedded", unit)


# --------------------------------------------------------------------------- clause features


def _negated_clause(token: Token) -> bool:
    """Negation of the clause headed by ``token``: a ``neg`` dependent, a negative quantifier on
    its subject or object ("no plans", "nothing"), "without" or "nor" in front of it."""
    for child in token.children:
        low = child.lower_
        if child.dep_ == "neg" or (low in NEG_PARTICLES and child.dep_ in ("advmod", "preconj", "det")):
            return True
        if child.dep_ in (*SUBJECTS, *OBJECTS, "pobj"):
            if low in NEG_QUANTIFIERS:
                return True
            if any(g.dep_ == "det" and g.lower_ in NEG_QUANTIFIERS for g in child.children):
                return True
    if token.dep_ == "pcomp" and token.head.lower_ in NEG_CLAUSE_MARKERS:
        return True
    if token.dep_ == "conj":
        return any(s.dep_ == "cc" and s.lower_ in NEG_CLAUSE_MARKERS and s.i < token.i for s in token.head.children)
    return False


def _content(head: Token) -> tuple[Token, Token | None, Token | None]:
    """(content token, reporting cue, accused/object token) of a clause.

    "X said (that) Y ..." -> Y's verb; "X accused Z of doing W" -> W with Z as its subject;
    "X denied any role" -> the noun "role". Nested reports resolve to the innermost content.
    """
    verbs = reporting_verbs()
    content, cue, accused = head, None, None
    for _ in range(3):
        lemma = content.lemma_.lower()
        if lemma not in verbs and lemma not in DENIAL_VERBS:
            break
        tags = verbs.get(lemma, frozenset())
        complement = next((c for c in content.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in VERBAL), None)
        if complement is not None:
            content, cue = complement, content
            continue
        if "of" in tags or "for" in tags:
            target = next((c for c in content.children if c.dep_ == "dobj"), None)
            prep = next((c for c in content.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
            if prep is None and target is not None:
                prep = next((c for c in target.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
            inner = None
            if prep is not None:
                inner = next((c for c in prep.children if c.dep_ in ("pcomp", "pobj")), None)
            if inner is not None:
                return inner, content, target
            break
        if "obj" in tags or lemma in DENIAL_VERBS:
            obj = next((c for c in content.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, content, None
        break
    return content, cue, accused


def _argument_tokens(token: Token | None, lo: int, hi: int, exclude: Token | None = None) -> list[Token]:
    """The argument's words inside the sentence ``[lo, hi)``, without negation words (and without
    the ``exclude`` phrase when the argument's subtree contains the content itself)."""
    if token is None:
        return []
    skip: set[int] = set()
    if exclude is not None and token.is_ancestor(exclude):
        skip = {t.i for t in exclude.subtree}
        if exclude.head.dep_ == "prep":
            skip.add(exclude.head.i)
    words = [
        t
        for t in token.subtree
        if lo <= t.i < hi and t.i not in skip and not t.is_punct and not t.is_space and t.lower_ not in NEGATION_WORDS
    ]
    return words[:MAX_ARGUMENT_TOKENS]


def _arguments(
    content: Token, cue: Token | None, accused: Token | None, lo: int, hi: int
) -> tuple[Token | None, Token | None]:
    """Logical (agent, patient) heads of the content clause; passives are turned round.

    A passive with no "by" agent keeps its surface subject as the subject ("X was involved in Y"
    is about X); only dependents inside the sentence ``[lo, hi)`` count.
    """

    def inside(children: object) -> list[Token]:
        return [c for c in children if lo <= c.i < hi]  # type: ignore[attr-defined]

    agent = patient = None
    if content.pos_ in ("NOUN", "PROPN") and content.dep_ == "dobj":  # "denied any role"
        subject = next((c for c in inside(cue.children) if c.dep_ == "nsubj"), None) if cue is not None else None
        return subject, content
    if is_existential(content):  # "there was no explosion at the plant": the explosion is the subject
        noun = next((c for c in inside(content.children) if c.dep_ in ("attr", "nsubj")), None)
        place = next((c for c in inside(noun.children) if c.dep_ == "prep"), None) if noun is not None else None
        return noun, place
    passive_subject = None
    children = inside(content.children)
    for aux in [c for c in children if c.dep_ == "auxpass"]:
        # the parser sometimes hangs a passive's subject on its auxiliary ("gates" <- "were" in
        # "that the gates were never closed"): it is the subject of the passive all the same
        passive_subject = next((c for c in inside(aux.children) if c.dep_ in ("nsubj", "nsubjpass")), None)
    for child in children:
        if child.dep_ in ("nsubj", "csubj") and agent is None:
            agent = child
        elif child.dep_ in ("nsubjpass", "csubjpass") and passive_subject is None:
            passive_subject = child
        elif child.dep_ == "agent":
            agent = next((c for c in child.children if c.dep_ == "pobj"), agent)
    if passive_subject is not None and agent is None:
        agent = passive_subject
    else:
        patient = passive_subject
    if patient is None:
        patient = next((c for c in inside(content.children) if c.dep_ in OBJECTS), None)
    if patient is None:
        patient = next((c for c in inside(content.children) if c.dep_ == "prep"), None)
    if agent is None and accused is not None:
        agent = accused
    return agent, patient


def is_existential(token: Token) -> bool:
    """A "there is/was X" clause: it asserts (or denies) that X exists or happened."""
    return token.lemma_.lower() == "be" and any(c.dep_ == "expl" for c in token.children)


def _inherited_subject(head: Token) -> Token | None:
    """The subject a subjectless clause shares with the clause it hangs from."""
    cur = head
    for _ in range(4):
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj
    return None


_PRONOUNS = frozenset({"it", "he", "she", "they", "him", "her", "them", "this", "that"})


def _nearest_thing_before(doc: object, index: int, lo: int) -> Token | None:
    """The closest singular noun before ``index`` in the sentence that is not a person or a time:
    what a later "it" most likely points back to ("on board the X when it sank")."""
    for i in range(index - 1, lo - 1, -1):
        t = doc[i]  # type: ignore[index]
        if t.tag_ not in ("NN", "NNP") or t.ent_type_ in ("DATE", "TIME") or t.dep_ == "compound":
            continue
        # A person is never "it"; a name with "the" is a thing the tagger took for one (a ship).
        if t.ent_type_ != "PERSON" or any(c.dep_ == "det" and c.lower_ == "the" for c in t.children):
            return t
    return None


def _is_pronoun(token: Token | None) -> bool:
    return token is not None and token.pos_ == "PRON" and token.lower_ in _PRONOUNS


# --------------------------------------------------------------------------- quotes and attribution


# --------------------------------------------------------------------------- the stage


def _checkable(text: str, table: _TokenTable, first: int, stop: int) -> bool:
    """Questions, headings and fragments are not claims a reader could check."""
    stripped = text.strip()
    if not stripped or stripped.endswith(("?", ":")) or stripped[0] in "=#|*":
        return False
    if sum(table.alpha[first:stop]) < MIN_WORDS:
        return False
    return any(table.verbal[first:stop])


def _joined(tokens: list[Token]) -> str:
    """Words of an argument joined by single spaces (the argument may skip words, so it is
    not a slice of the text)."""
    return " ".join(t.text for t in tokens)


def _mention_chains(analysis: ArticleAnalysis, starts: list[int], start: int, end: int) -> tuple[int, ...]:
    chains = set()
    for m in analysis.mentions[bisect_left(starts, start) : bisect_right(starts, end)]:
        if m.span.end <= end and m.chain >= 0:
            chains.add(m.chain)
    return tuple(sorted(chains))


#: lemma key -> (the lemma lower-cased, a hedging verb?, a negation or hedge word?): keys are
#: hashes of the strings, the same in every parse, so each lemma is looked up once per process
_LEMMA_FACTS: dict[int, tuple[str, bool, bool]] = {}
_LEMMA_FACTS_LIMIT = 200_000
_CONTENT_POS = ("NOUN", "PROPN", "VERB", "ADJ", "NUM")


class _TokenTable:
    """Per-token facts of one parse, read once with ``Doc.to_array``: the clause loop asks the
    same few questions of every token of every clause, and building a ``Token`` per question
    costs far more than the answer."""

    def __init__(self, doc: object) -> None:
        columns = doc.to_array([IS_ALPHA, IS_STOP, LENGTH, POS, ENT_TYPE, LOWER, LEMMA, HEAD])  # type: ignore[attr-defined]
        columns = columns.reshape(-1, 8)
        strings = doc.vocab.strings  # type: ignore[attr-defined]

        def keys(words: Iterable[str]) -> np.ndarray:
            return np.array([strings[w] for w in words], dtype=columns.dtype)

        alpha, pos, lemma_keys = columns[:, 0].astype(bool), columns[:, 3], columns[:, 6]
        verb = pos == strings["VERB"]
        hedge = (
            np.isin(columns[:, 5], keys(HEDGE_WORDS))
            & (columns[:, 4] != strings["DATE"])  # the month May is no hedge
            & (pos != strings["PROPN"])
        ).tolist()
        content = alpha & ~columns[:, 1].astype(bool) & (columns[:, 2] > 2) & np.isin(pos, keys(_CONTENT_POS))
        keyword: list[str | None] = [None] * len(columns)
        hedge_verbs = _HEDGES.get("verbs", frozenset())
        skip_lemmas = NEGATION_WORDS | HEDGE_WORDS
        is_verb, is_content = verb.tolist(), content.tolist()
        for i, key in zip(np.flatnonzero(verb | content).tolist(), lemma_keys[verb | content].tolist(), strict=True):
            facts = _LEMMA_FACTS.get(key)
            if facts is None:
                if len(_LEMMA_FACTS) >= _LEMMA_FACTS_LIMIT:
                    _LEMMA_FACTS.clear()
                lower = (strings[key] if key else "").lower()
                facts = _LEMMA_FACTS[key] = (lower, lower in hedge_verbs, lower in skip_lemmas)
            if is_verb[i] and facts[1]:
                hedge[i] = True
            if is_content[i] and not facts[2]:
                keyword[i] = facts[0]
        self.alpha: list[bool] = alpha.tolist()
        self.verbal: list[bool] = np.isin(pos, keys(VERBAL)).tolist()
        self.hedge: list[bool] = hedge
        #: the token's lemma where it may stand for the clause's content, else None
        self.keyword: list[str | None] = keyword
        #: index of each token's syntactic head
        self.head: list[int] = (np.arange(len(columns)) + columns[:, 7].astype(np.int64)).tolist()


@dataclass
class _SentenceContext:
    """Per-sentence facts shared by its clauses."""

    index: int
    paragraph: int
    quoted: list[tuple[int, int]]
    according_to: bool
    bounds: tuple[int, int]  # token range of the sentence


def _claim_of(
    analysis: ArticleAnalysis,
    unit: _Unit,
    sent: _SentenceContext,
    previous: list[tuple[Token | None, Token | None]],
    mention_starts: list[int],
    table: _TokenTable,
    quote_spans: list[tuple[int, int, str]],
) -> tuple[ClaimMention, Token | None, Token | None] | None:
    doc = analysis.doc
    first, last = doc[unit.first], doc[unit.last]
    start, end = first.idx, last.idx + len(last.text)
    if sum(table.alpha[unit.first : unit.last + 1]) < MIN_WORDS - 1:
        return None
    debunk = debunked_clause(unit.head)
    content, cue, accused = _content(debunk if debunk is not None else unit.head)
    if debunk is None and (debunk := debunked_clause(content)) is not None:
        content = debunk  # "claims that X are baseless, its owner said"
    if cue is not None and content.pos_ == "NOUN" and cue.lemma_.lower() in DENIAL_VERBS:
        # "dismissed reports that X": what the reports said is denied, not the reports
        reported = reported_content(content)
        if reported is not None and reported.pos_ in VERBAL:
            content = reported
    lo, hi = sent.bounds
    agent, patient = _arguments(content, cue, accused, lo, hi)
    denial_cue = cue is not None and cue.lemma_.lower() in DENIAL_VERBS
    if cue is not None and (agent is None or (denial_cue and _is_pronoun(agent) and agent.lower_ != "this")):
        # "X denied doing Y", "X dismissed reports that it had done Y": X is who did (or did not do) Y
        agent = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.i < hi), agent)
    antecedent = None
    if cue is None and content.pos_ in VERBAL and (relcl := _relative_clause_of(content)) is not None:
        antecedent = _relative_subject(relcl)
        if antecedent is not None and (agent is None or agent.lower_ in RELATIVE_PRONOUNS):
            agent = antecedent
        else:
            antecedent = None
    if agent is None:
        agent = _inherited_subject(cue if cue is not None else content)
    # A pronoun argument of a later coordinated clause usually points back into the sentence:
    # "troops entered the town and it was annexed" -> "it" is the town.
    if previous:
        prev_agent, prev_patient = previous[-1]
        if prev_patient is not None and prev_patient.pos_ == "ADP":  # "on board the X": X, not "on"
            prev_patient = _nearest_thing_before(prev_patient.doc, (agent or content).i, lo)
        if _is_pronoun(patient) and patient is not None and patient.lower_ == "it" and prev_patient is not None:
            patient = prev_patient
        elif _is_pronoun(agent) and agent is not None and agent.lower_ == "it" and prev_patient is not None:
            agent = prev_patient
        elif _is_pronoun(agent) and prev_agent is not None:
            agent = prev_agent
    cue_negated = cue is not None and _negated_clause(cue)
    content_negated = _negated_clause(content) if content.pos_ in VERBAL else False
    if unit.clause == "embedded" and unit.head.dep_ == "pcomp" and unit.head.head.lower_ in NEG_CLAUSE_MARKERS:
        if cue is not None:
            cue_negated = True
        else:
            content_negated = True
    is_denial = cue is not None and cue.lemma_.lower() in DENIAL_VERBS
    negated = True if cue_negated else content_negated != (is_denial or debunk is not None)
    hedged = any(table.hedge[i] for i in range(unit.first, unit.last + 1) if not _records_none(content, agent, i))
    quote_id = None
    best = 0
    for q_start, q_end, q_id in quote_spans:
        if q_start < end and start < q_end:
            overlap = min(q_end, end) - max(q_start, start)
            if overlap > best:
                best, quote_id = overlap, q_id
    in_marks = mostly_inside(sent.quoted, start, end)
    parent_cue = _content(unit.parent.head)[1] if unit.parent is not None else None
    parent_attributed = parent_cue is not None
    speaker_tokens = _argument_tokens(_speaker(cue, parent_cue, lo, hi), lo, hi)
    attributed = cue is not None or quote_id is not None or in_marks or sent.according_to or parent_attributed
    predicate_tokens = [content] + [c for c in content.children if c.dep_ == "prt"]
    predicate = " ".join(t.lemma_.lower() for t in predicate_tokens)
    if is_existential(content) and agent is not None:  # the noun without its place phrase
        agent_tokens = [t for t in _argument_tokens(agent, lo, hi) if patient is None or not patient.is_ancestor(t)]
        agent_tokens = [t for t in agent_tokens if t.i != getattr(patient, "i", -1)]
        predicate = "exist"
    elif antecedent is not None:
        agent_tokens = _antecedent_tokens(antecedent, lo, hi)
    else:
        agent_tokens = _argument_tokens(agent, lo, hi, exclude=content)
    patient_tokens = [] if patient is None or patient.i == content.i else _argument_tokens(patient, lo, hi)
    if content.pos_ in ("NOUN", "PROPN"):  # a denied or confirmed noun phrase: the phrase is the predicate
        patient_tokens = _argument_tokens(content, lo, hi)
        predicate = content.lemma_.lower()
    subject_text = _joined(agent_tokens) or None
    obj_text = _joined(patient_tokens) or None
    core_parts = [subject_text or "", predicate if content.pos_ in VERBAL else "", obj_text or ""]
    core = " ".join(p for p in core_parts if p).strip()
    cue_i = cue.i if cue is not None else -1
    keyword = table.keyword
    lemmas = sorted({word for i in range(unit.first, unit.last + 1) if (word := keyword[i]) is not None and i != cue_i})
    claim = ClaimMention(
        id=stable_id("clm", analysis.id, start, end, unit.clause),
        span=analysis.span(start, end),
        text=analysis.article.text[start:end],
        sentence=sent.index,
        attributed=attributed,
        quote=quote_id,
        negated=negated,
        hedged=hedged,
        chains=_mention_chains(analysis, mention_starts, start, end),
        predicate=predicate,
        subject=subject_text,
        obj=obj_text,
        cue=cue.lemma_.lower() if cue is not None else None,
        cue_negated=cue_negated,
        clause=unit.clause,
        core=core or analysis.article.text[start:end],
        lemmas=tuple(lemmas),
        subject_span=_token_span(analysis, agent_tokens),
        speaker_span=_token_span(analysis, speaker_tokens),
        obj_span=_token_span(analysis, patient_tokens),
        paragraph=sent.paragraph,
        **_clause_facts(content, cue, agent, patient, debunk is not None),
    )
    return claim, agent, patient


def _clause_facts(
    content: Token, cue: Token | None, agent: Token | None, patient: Token | None, debunked: bool
) -> dict[str, Any]:
    """The parse facts :class:`ClaimMention` carries for relating mentions across articles."""
    subject_head, _ = head_lemma(agent)
    obj_head, preposition = head_lemma(patient if patient is None or patient.i != content.i else None)
    return {
        "voice": voice(content),
        "complement": state_complement(content),
        "modality": modality(content, cue),
        "subject_head": subject_head,
        "obj_head": obj_head,
        "obj_preposition": preposition,
        "subject_quantifier": quantifier(agent),
        "obj_quantifier": quantifier(patient),
        "debunked": debunked,
    }


#: Passive verbs of record: "no deaths were reported" records none and hedges nothing.
RECORD_VERBS = frozenset({"report", "record", "confirm", "register"})


def _records_none(content: Token, agent: Token | None, i: int) -> bool:
    """Token ``i`` is the verb of a record of none ("no deaths were reported"), not a hedge."""
    return i == content.i and content.lemma_.lower() in RECORD_VERBS and quantifier(agent) == "none"


def _speaker(cue: Token | None, parent_cue: Token | None, lo: int, hi: int) -> Token | None:
    """Who the claim is attributed to: the cue's subject; for a reporting clause embedded in
    reported content ("X said that Y did Z, without accusing W") the outer reporter, X."""
    for verb in (cue, parent_cue):
        if verb is None:
            continue
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.i < hi), None)
        if subject is not None:
            return subject
    return None


def _token_span(analysis: ArticleAnalysis, tokens: list[Token]) -> Span | None:
    if not tokens:
        return None
    lo = min(t.idx for t in tokens)
    hi = max(t.idx + len(t.text) for t in tokens)
    return analysis.span(lo, hi)


def extract_claims(analysis: ArticleAnalysis) -> tuple[ClaimMention, ...]:
    """Every checkable clause of the article's non-boilerplate sentences."""
    doc = analysis.doc
    text = analysis.article.text
    mention_starts = [m.span.start for m in analysis.mentions]
    if any(a > b for a, b in pairwise(mention_starts)):
        analysis = replace(analysis, mentions=tuple(sorted(analysis.mentions, key=lambda m: m.span.start)))
        mention_starts = sorted(mention_starts)
    para_quotes = {i: quoted_ranges(text, p.start, p.end) for i, p in enumerate(analysis.paragraphs)}
    quote_spans = [(q.span.start, q.span.end, q.id) for q in analysis.quotes]
    table = _TokenTable(doc)
    out: list[ClaimMention] = []
    for index, sentence in enumerate(analysis.sentences):
        if sentence.skip:
            continue
        span = doc.char_span(sentence.span.start, sentence.span.end, alignment_mode="expand")
        if span is None:
            continue
        if not _checkable(sentence.span.text, table, span.start, span.end):
            continue
        lowered = sentence.span.text.lower()
        ctx_sent = _SentenceContext(
            index,
            sentence.paragraph,
            para_quotes.get(sentence.paragraph, []),
            "according to" in lowered,
            (span.start, span.end),
        )
        previous: list[tuple[Token | None, Token | None]] = []
        for unit in clause_units(doc, table, span.start, span.end):
            found = _claim_of(analysis, unit, ctx_sent, previous, mention_starts, table, quote_spans)
            if found is None:
                continue
            claim, agent, patient = found
            if unit.clause == "main":
                previous.append((agent, patient))
            out.append(claim)
    unique = {c.id: c for c in out}
    return tuple(sorted(unique.values(), key=lambda c: (c.span.start, c.span.end, c.clause)))


@stage(
    "claims",
    scope="article",
    requires={"doc", "sentences", "paragraphs", "mentions", "quotes"},
    assigns={"claims"},
    order=50,
)
def claims(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Claim mentions of one article (its editorial insertion and opinion flags are the
    ``insertions`` stage's)."""
    if analysis.doc is None:
        return analysis
    return replace(analysis, claims=extract_claims(analysis))
