"""Descriptions and pronouns of one article, linked to the chain of the referent they stand for.

The entities stage finds the names (and the role phrases and he/she subjects that rules settle);
news refers to most participants otherwise: "the gunman", "police", "the 43-year-old", "she",
"its", "who". This module finds those mentions in the parse and links each, in text order, to the
earlier mention it most likely refers back to, or to none:

* **markables**: every existing mention, plus noun phrases whose head noun refers to a person, a
  body of people or a place (``lexicons/referent_nouns.txt`` and the role and trade lists), and
  personal, possessive and relative pronouns;
* **certain links** by syntax: a relative pronoun ("who", "which"), an apposition ("X, the
  coach,"), a predicate noun ("Jackman will be host") and an "as" phrase ("named Cheeks as
  coach") belong to the noun phrase they attach to or describe;
* **scored links**: a logistic model over pair cues (kinds, sentence and mention distance, gender,
  number and type agreement, head-noun and role match, subjecthood, clause-mates, salience)
  gives each earlier markable a probability; the best one at or above the model's threshold is the
  antecedent. A description with none starts a chain of its own (an unnamed participant); a
  pronoun with none is left out.

The model is trained by ``scripts/train_mention_links.py`` on the ECB+ train topics (CC BY 3.0) and
shipped as ``mention_links.json``; it is deterministic and needs nothing beyond the parse.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from storyweave.lexicons import lexicon_rows
from storyweave.model import ArticleAnalysis, EntityType, Mention
from storyweave.names import ORG_DESIGNATORS, PERSON_HEAD_NOUNS, fold, gender_of

# --------------------------------------------------------------------------- lexicons

#: Head noun -> the entity type a description headed by it refers to.
REFERENT_NOUNS: dict[str, EntityType] = {
    **{w: "PERSON" for w in PERSON_HEAD_NOUNS if " " not in w},
    **{row[0]: row[1] for row in lexicon_rows("referent_nouns.txt")},  # type: ignore[misc]
}
#: Legal forms of a company: any company is "the company" or "the firm" whatever its name ends in.
_LEGAL_FORMS = frozenset(
    {"company", "firm", "business", "corporation", "corp", "inc", "incorporated", "ltd", "limited", "plc", "llc",
     "gmbh", "holdings", "group", "co", "enterprises", "industries"}
)  # fmt: skip
#: Words that say what kind of body or place a name names ("Board", "Ministry", "Theatre").
_KIND_WORDS = (frozenset(ORG_DESIGNATORS) | {w for w, t in REFERENT_NOUNS.items() if t != "PERSON"}) - _LEGAL_FORMS
#: Nouns that say a described person is a woman (f) or a man (m).
NOUN_GENDER: dict[str, str] = {row[0]: row[1] for row in lexicon_rows("gendered_nouns.txt")}

#: Pronoun -> (gender, number, what it refers to): gender m/f/None; number sg/pl/None; ``person``
#: (a human), ``thing`` (an organisation, a place, an object) or ``any``.
PRONOUNS: dict[str, tuple[str | None, str | None, str]] = {
    **dict.fromkeys(("he", "him", "his", "himself"), ("m", "sg", "person")),
    **dict.fromkeys(("she", "her", "hers", "herself"), ("f", "sg", "person")),
    **dict.fromkeys(("it", "its", "itself"), (None, "sg", "thing")),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), (None, "pl", "any")),
    **dict.fromkeys(("we", "us", "our", "ours", "ourselves"), (None, "pl", "any")),
}
RELATIVE_PRONOUNS = frozenset({"who", "whom", "whose", "which", "that"})
_FIRST_PERSON = frozenset({"we", "us", "our", "ours", "ourselves"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "iobj", "pobj", "dative", "attr", "poss"})
_INDEFINITE = frozenset({"a", "an", "another", "one", "some", "any", "several", "many", "two", "three"})
_QUOTE_MARKS = frozenset({'"', "“", "”"})
#: Sentences back that a pronoun (or a description) may look for its antecedent.
PRONOUN_WINDOW = 3
NOMINAL_WINDOW = 8
#: Candidates scored per mention at most: the nearest ones.
MAX_CANDIDATES = 40


# --------------------------------------------------------------------------- markables


@dataclass
class Markable:
    """A mention (found by the entities stage, or new here) with what linking needs to know."""

    start: int
    end: int
    kind: str  # name, acronym, candidate, role, nominal, pronoun, relative
    label: EntityType
    head: int  # token index of the head word
    lemma: str  # head lemma, lower case ("" for names)
    sentence: int
    chain: int = -1
    gender: str | None = None
    number: str | None = None  # sg / pl / None
    refers: str = "any"  # person / thing / any (pronouns)
    subject: bool = False
    quoted: bool = False
    indefinite: bool = False
    new: bool = False  # found here (so it still needs a chain)
    words: frozenset[str] = field(default_factory=frozenset)  # folded words of a name or a role
    quote: int = -1  # which quotation of the article holds it (-1: none)
    dep: str = ""  # the head word's dependency, its parent's token index, and the noun phrases
    parent: int = -1  # (token indexes) it lies inside, read from the parse once
    inside: frozenset[int] = frozenset()
    comma_after: bool = False  # the token after the head word is a comma


@dataclass
class ChainState:
    """What the article has said about one chain so far."""

    genders: set[str] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    named: bool = False
    size: int = 0
    first: int = 0

    def add(self, m: Markable) -> None:
        if m.gender:
            self.genders.add(m.gender)
        if m.number:
            self.numbers.add(m.number)
        if m.lemma and m.kind in {"nominal", "role"}:
            self.heads.add(m.lemma)
        self.words |= m.words
        if m.kind not in {"pronoun", "relative"}:
            self.labels.add(m.label)
        self.named = self.named or m.kind in {"name", "acronym", "candidate"}
        if self.size == 0:
            self.first = m.start
        self.size += 1


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Stretches between double quotation marks (straight or curly), paired left to right."""
    out: list[tuple[int, int]] = []
    opened = -1
    for i, ch in enumerate(text):
        if ch in _QUOTE_MARKS:
            if opened < 0 and ch != "”":
                opened = i
            elif opened >= 0 and ch != "“":
                out.append((opened, i))
                opened = -1
        elif ch == "\n":
            opened = -1
    return out


def _head_of(doc: Any, first: int, last: int) -> int:
    """The token of ``first:last`` whose head lies outside it (the last one when several)."""
    root = last - 1
    for k in range(first, last):
        head = doc[k].head.i
        if not first <= head < last or head == k:
            root = k
    return root


def _noun_phrase(doc: Any, head: Any) -> tuple[int, int]:
    """Tokens of the description headed by ``head``: its left modifiers after any determiner or
    possessive (so "his brother" leaves "his" a mention of its own), never across a comma."""
    left = head.i
    for child in sorted(head.lefts, key=lambda t: t.i):
        if child.dep_ in {"det", "poss", "predet", "case", "punct", "cc", "preconj"}:
            left = max(left, child.right_edge.i + 1) if child.i >= left else left
            continue
        if child.i < left:
            left = child.left_edge.i
    left = min(left, head.i)
    for k in range(head.i - 1, left - 1, -1):
        if doc[k].text in {",", "(", ")", '"', "“", "”"} or "\n" in doc[k].text_with_ws:
            left = k + 1
            break
    while left < head.i and (doc[left].dep_ in {"det", "poss", "case"} or doc[left].is_punct):
        left += 1
    return left, head.i + 1


def markables(analysis: ArticleAnalysis, doc: Any, mentions: list[Mention]) -> list[Markable]:
    """Existing mentions and the new descriptions and pronouns, in text order."""
    text = analysis.article.text
    sent_starts = [s.start for s in doc.sents]
    quoted = _quoted_ranges(text)
    quote_starts = [s for s, _e in quoted]

    def sentence_of(i: int) -> int:
        return bisect.bisect_right(sent_starts, i) - 1

    def quote_of(idx: int) -> int:
        k = bisect.bisect_right(quote_starts, idx) - 1
        return k if k >= 0 and quoted[k][0] < idx < quoted[k][1] else -1

    covered = [False] * len(doc)
    out: list[Markable] = []
    for m in mentions:
        span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        for k in range(span.start, span.end):
            covered[k] = True
        head = _head_of(doc, span.start, span.end)
        tok = doc[head]
        words = frozenset(fold(m.name).split()) if m.name else frozenset()
        if m.role:
            words |= frozenset(fold(m.role).split())
        if m.kind == "pronoun":
            gender, number, refers = PRONOUNS.get(tok.lower_, (None, None, "any"))
        else:
            lemma = tok.lemma_.lower()
            gender = NOUN_GENDER.get(lemma) or gender_of(f"{m.title or ''} {m.role or ''}")
            number = "pl" if tok.tag_ in {"NNS", "NNPS"} and m.kind == "role" else "sg" if m.label == "PERSON" else None
            refers = "any"
        out.append(
            Markable(
                m.span.start,
                m.span.end,
                m.kind,
                m.label,
                head,
                tok.lemma_.lower() if m.kind in {"role", "nominal"} else "",
                sentence_of(head),
                chain=m.chain,
                gender=gender,
                number=number,
                refers=refers,
                subject=tok.dep_ in _SUBJECT_DEPS,
                quoted=quote_of(m.span.start) >= 0,
                words=words,
                quote=quote_of(m.span.start),
                **_syntax(doc, tok),
            )
        )
    for tok in doc:
        if covered[tok.i] or analysis.skipped(tok.idx, tok.idx + len(tok.text)):
            continue
        lower = tok.lower_
        if tok.pos_ == "PRON" and lower in PRONOUNS:
            gender, number, refers = PRONOUNS[lower]
            kind = "pronoun"
            first, last = tok.i, tok.i + 1
            label: EntityType = "PERSON" if refers == "person" else "OTHER"
        elif lower in RELATIVE_PRONOUNS and tok.tag_ in {"WP", "WP$", "WDT"} and tok.head.dep_ == "relcl":
            gender, number, refers = None, None, "any"
            kind = "relative"
            first, last = tok.i, tok.i + 1
            label = "OTHER"
        elif tok.pos_ == "NOUN" and tok.dep_ not in {"compound", "amod"} and not _proper_looking(tok):
            lemma = tok.lemma_.lower()
            noun_type = REFERENT_NOUNS.get(lemma) or REFERENT_NOUNS.get(lower)
            if noun_type is None:
                continue
            first, last = _noun_phrase(doc, tok)
            if any(covered[k] for k in range(first, last)):
                first = tok.i
            gender = NOUN_GENDER.get(lemma)
            number = "pl" if tok.tag_ == "NNS" or lemma in {"police", "people"} else "sg"
            refers, kind, label = "any", "nominal", noun_type
        elif _counted_people(tok):
            gender, number, refers = None, "pl" if tok.lower_ not in {"1", "one"} else "sg", "any"
            kind, label = "nominal", "PERSON"
            first, last = tok.i, tok.i + 1
        else:
            continue
        start = doc[first].idx
        end = doc[last - 1].idx + len(doc[last - 1].text)
        determiners = {c.lower_ for c in tok.lefts if c.dep_ in {"det", "nummod"}}
        out.append(
            Markable(
                start,
                end,
                kind,
                label,
                tok.i,
                tok.lemma_.lower() if kind == "nominal" else lower,
                sentence_of(tok.i),
                gender=gender,
                number=number,
                refers=refers,
                subject=tok.dep_ in _SUBJECT_DEPS,
                quoted=quote_of(start) >= 0,
                indefinite=bool(determiners & _INDEFINITE),
                new=True,
                quote=quote_of(start),
                **_syntax(doc, tok),
            )
        )
        for k in range(first, last):
            covered[k] = True
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _syntax(doc: Any, tok: Any) -> dict[str, Any]:
    """What linking asks of the parse about a head word, read once: its dependency and parent, the
    noun phrases it lies inside (up to the first clause boundary), a comma right after it."""
    inside: set[int] = set()
    node = tok
    for _ in range(12):
        if node.dep_ in _CLAUSE_DEPS or node.head.i == node.i:
            break
        node = node.head
        inside.add(node.i)
    nxt = tok.i + 1
    return {
        "dep": tok.dep_,
        "parent": tok.head.i,
        "inside": frozenset(inside),
        "comma_after": nxt < len(doc) and doc[nxt].text == ",",
    }


#: Verbs whose bare number subject or object counts people ("kills 1, injures 2", "took 23 into custody").
_PEOPLE_VERBS = frozenset(
    {"kill", "injure", "wound", "hurt", "shoot", "arrest", "detain", "capture", "take", "hold", "rescue", "save",
     "die", "survive", "leave", "evacuate", "hospitalise", "hospitalize", "charge", "convict"}
)  # fmt: skip


def _counted_people(tok: Any) -> bool:
    """A number standing alone for people: the bare subject or object of a verb that happens to
    people ("killing 1 and wounding 2"), not a date, an amount or a number with a noun."""
    if tok.pos_ != "NUM" or tok.ent_type_ not in {"", "CARDINAL"} or any(c.dep_ != "punct" for c in tok.children):
        return False
    if tok.dep_ not in {"dobj", "nsubj", "nsubjpass", "conj", "appos"}:
        return False
    verb = tok.head
    while verb.dep_ == "conj" and verb.head.i != verb.i and verb.pos_ == "NUM":
        verb = verb.head
    return verb.pos_ in {"VERB", "AUX"} and verb.lemma_.lower() in _PEOPLE_VERBS


def _proper_looking(tok: Any) -> bool:
    """A capitalised noun inside a sentence is a name the tagger took for a noun ("in Queens"),
    unless the sentence is a headline in title case ("Gunman Kills 1 At Accounting Office")."""
    if not tok.text[:1].isupper() or tok.is_sent_start or tok.text.isupper():
        return False
    words = [t for t in tok.sent if t.is_alpha and not t.is_stop]
    return sum(t.text[:1].isupper() for t in words) < 0.6 * len(words)


# --------------------------------------------------------------------------- pair features


def _bucket(n: int, limit: int) -> str:
    return str(min(n, limit))


def pair_features(a: Markable, c: Markable, chain: ChainState | None, rank: int, between: int, doc: Any) -> list[str]:
    """The active binary cues of "``a`` refers back to ``c``" (``chain``: what ``c``'s chain says)."""
    akind = "pron" if a.kind == "pronoun" else "nom"
    ckind = (
        "name" if c.kind in {"name", "acronym", "candidate"} else "pron" if c.kind in {"pronoun", "relative"} else "nom"
    )
    dist = a.sentence - c.sentence
    f = [f"{akind}", f"{akind}:c={ckind}", f"{akind}:d={_bucket(dist, 3)}", f"{akind}:rank={_bucket(rank, 3)}"]
    f.append(f"{akind}:between={_bucket(int(math.log2(1 + between)), 4)}")
    if between == 0 and c.head + 1 < a.head and c.comma_after:
        f.append(f"{akind}:after-comma")  # "Hugh Jackman, the host": an apposition the parse missed
    genders = chain.genders if chain is not None else ({c.gender} if c.gender else set())
    numbers = chain.numbers if chain is not None else ({c.number} if c.number else set())
    labels = chain.labels if chain is not None else {c.label}
    if a.gender and genders:
        f.append(f"{akind}:gender=" + ("agree" if genders == {a.gender} else "clash"))
    if a.number and numbers:
        f.append(f"{akind}:number=" + ("agree" if a.number in numbers else "clash"))
    persons = "PERSON" in labels
    if a.refers == "person":
        f.append("pron:person->" + ("person" if persons else "other" if labels - {"OTHER"} else "untyped"))
    elif a.refers == "thing":
        f.append("pron:thing->" + ("person" if persons else "other" if labels else "untyped"))
    elif akind == "pron":
        f.append("pron:plural->" + ("person" if persons else "org" if labels & {"ORG", "NORP"} else "other"))
    if akind == "nom":
        heads = chain.heads if chain is not None else ({c.lemma} if c.lemma else set())
        words = chain.words if chain is not None else set(c.words)
        if a.lemma and a.lemma == c.lemma:
            f.append("nom:head=same")
        elif a.lemma in heads:
            f.append("nom:head=chain")
        elif a.lemma in words or (a.lemma.endswith("s") and a.lemma[:-1] in words):
            f.append("nom:head=role")
        elif heads:
            f.append("nom:head=other")
        else:
            f.append("nom:head=none")
        f.append("nom:type=" + ("same" if a.label in labels else "clash" if labels - {"OTHER"} else "untyped"))
        if a.indefinite:
            f.append("nom:indefinite")
        if chain is not None and chain.named:
            f.append("nom:chain-named")
    if a.subject and c.subject:
        f.append(f"{akind}:both-subjects")
    elif c.subject:
        f.append(f"{akind}:c-subject")
    if a.quoted != c.quoted:
        f.append(f"{akind}:quote-boundary")
    if chain is not None and chain.size > 1:
        f.append(f"{akind}:chain-size={_bucket(int(math.log2(chain.size)), 3)}")
    return f


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class LinkModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # for pronouns, chosen on the train topics (see the json's "threshold_note")
    nominal_threshold: float  # for descriptions, likewise

    def threshold_for(self, m: Markable) -> float:
        return self.threshold if m.kind == "pronoun" else self.nominal_threshold

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@cache
def load_model() -> LinkModel:
    data = json.loads(resources.files("storyweave").joinpath("mention_links.json").read_text(encoding="utf-8"))
    threshold = float(data["threshold"])
    nominal = float(data.get("nominal_threshold", threshold))
    return LinkModel(dict(data["weights"]), float(data["bias"]), threshold, nominal)


def candidates(
    marks: list[Markable], i: int, doc: Any, chains: dict[int, ChainState] | None = None
) -> list[tuple[int, int]]:
    """(index, rank) of the earlier markables that markable ``i`` may refer back to, nearest first.

    Left out are those the grammar rules out (:func:`excluded`); ``rank`` counts the nearer
    candidates compatible in gender, number and type before this one.
    """
    a = marks[i]
    window = PRONOUN_WINDOW if a.kind == "pronoun" else NOMINAL_WINDOW
    out: list[tuple[int, int]] = []
    rank = 0
    for j in range(i - 1, -1, -1):
        c = marks[j]
        if a.sentence - c.sentence > window or len(out) >= MAX_CANDIDATES:
            break
        if c.end > a.start or c.kind == "relative" or c.chain < 0:
            continue  # (an earlier new mention without a chain is a pronoun left out)
        if excluded(a, c, doc, (chains or {}).get(c.chain)):
            continue
        out.append((j, rank))
        if _compatible(a, c):
            rank += 1
    return out


def excluded(a: Markable, c: Markable, doc: Any, chain: ChainState | None) -> bool:
    """Links no reading allows: "we" for anyone outside its own quotation, "it" for a person,
    "he"/"she" for a body or a place or for a person of the other sex, a pronoun for another
    argument of its own verb ("Kessler called it"), a phrase for a noun inside it or around it
    ("the port of Castelford", "Dock workers"), and a kind of body or place for a name of another
    kind ("the council" for "the Water Board")."""
    labels = chain.labels if chain is not None else {c.label}
    genders = chain.genders if chain is not None else ({c.gender} if c.gender else set())
    if a.kind == "pronoun":
        if a.lemma in _FIRST_PERSON:  # "we" in a quotation is its speaker's side, whoever is named outside
            return not (a.quote >= 0 and a.quote == c.quote)
        if a.refers == "thing" and "PERSON" in labels:
            return True
        if a.refers == "person" and labels and not labels & {"PERSON", "OTHER"}:
            return True
        if a.gender and genders and a.gender not in genders:
            return True
        if a.dep != "poss" and not a.lemma.endswith(("self", "selves")) and a.parent == c.parent:
            return c.dep in _ARGUMENT_DEPS and a.sentence == c.sentence
    if a.kind == "nominal" and a.lemma in _KIND_WORDS and chain is not None and chain.named:
        kinds = chain.words & _KIND_WORDS
        if kinds and a.lemma not in kinds and a.lemma.rstrip("s") not in kinds:
            return True  # "the council" is not "the Fenmoor Water Board"
    return c.head in a.inside or a.head in c.inside


#: Dependencies that start a clause: a mention inside one is not part of the noun phrase above it.
_CLAUSE_DEPS = frozenset({"relcl", "acl", "ccomp", "advcl", "xcomp", "conj", "parataxis", "csubj", "appos"})


def _compatible(a: Markable, c: Markable) -> bool:
    if a.gender and c.gender and a.gender != c.gender:
        return False
    if a.number and c.number and a.number != c.number and c.label != "ORG":
        return False
    if a.refers == "person" and c.label not in {"PERSON", "OTHER"}:
        return False
    return not (a.refers == "thing" and c.label == "PERSON")


#: Training hook: given the mention and its scored candidates (markable, features), the one to link.
Oracle = Callable[[Markable, list[tuple[Markable, list[str]]]], "Markable | None"]


def link(
    marks: list[Markable], doc: Any, model: LinkModel | None = None, *, oracle: Oracle | None = None
) -> list[Markable]:
    """Give every new markable a chain (the antecedent's, or its own for an unlinked description);
    the pronouns left without an antecedent are dropped. Returns the new markables kept.

    ``oracle`` (training only) replaces the model's choice, so features are computed on the chains
    that correct decisions would have built."""
    chains: dict[int, ChainState] = {}
    by_head = {m.head: m for m in marks}
    for m in marks:
        if m.chain >= 0:
            chains.setdefault(m.chain, ChainState()).add(m)
    # chain values of the existing mentions stay; new chains are numbered after them
    next_chain = max([-1, *chains]) + 1
    kept: list[Markable] = []
    for i, a in enumerate(marks):
        if not a.new:
            continue
        target = _syntactic_antecedent(a, doc, by_head)
        if target is None or oracle is not None:
            scored = [
                (marks[j], pair_features(a, marks[j], chains.get(marks[j].chain), rank, i - j - 1, doc))
                for j, rank in candidates(marks, i, doc, chains)
            ]
            if oracle is not None:
                target = oracle(a, scored)
            else:
                model = model or load_model()
                best, best_p = None, model.threshold_for(a)
                for c, features in scored:
                    p = model.probability(features)
                    if p > best_p or (best is None and p >= best_p):
                        best, best_p = c, p
                target = best
        if target is not None and target.chain >= 0:
            a.chain = target.chain
        elif a.kind == "nominal":
            a.chain = next_chain
            next_chain += 1
        else:
            continue
        chains.setdefault(a.chain, ChainState()).add(a)
        kept.append(a)
    return kept


def _syntactic_antecedent(a: Markable, doc: Any, by_head: dict[int, Markable]) -> Markable | None:
    """The markable a relative pronoun or an apposition attaches to, by the parse alone."""
    tok = doc[a.head]
    if a.kind == "relative" and tok.head.dep_ == "relcl":
        return by_head.get(tok.head.head.i)
    if a.kind != "nominal":
        return None
    if tok.dep_ == "appos" and not a.indefinite:
        return by_head.get(tok.head.i)
    verb = tok.head
    if tok.dep_ == "attr" and verb.lemma_ == "be":  # "Jackman will be host", "she is the new coach"
        return _argument(verb, {"nsubj"}, by_head)
    if tok.dep_ == "pobj" and verb.lower_ == "as" and verb.head.pos_ in {"VERB", "AUX"}:
        return _argument(verb.head, {"dobj", "nsubjpass"}, by_head)  # "named Cheeks as coach"
    return None


def _argument(verb: Any, deps: set[str], by_head: dict[int, Markable]) -> Markable | None:
    for child in verb.children:
        if child.dep_ in deps and child.i in by_head:
            return by_head[child.i]
    return None


__all__ = [
    "NOUN_GENDER",
    "PRONOUNS",
    "REFERENT_NOUNS",
    "ChainState",
    "LinkModel",
    "Markable",
    "Oracle",
    "candidates",
    "describe",
    "link",
    "load_model",
    "markables",
    "pair_features",
]


def describe(analysis: ArticleAnalysis, doc: Any, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with the article's linked descriptions and pronouns added, chains renumbered
    by first appearance (so the numbering is stable)."""
    marks = markables(analysis, doc, mentions)
    added = link(marks, doc)
    sentence_starts = [s.span.start for s in analysis.sentences]
    new: list[Mention] = []
    for mark in added:
        sentence = bisect.bisect_right(sentence_starts, mark.start) - 1 if sentence_starts else -1
        new.append(
            Mention(
                span=analysis.span(mark.start, mark.end),
                label=mark.label if mark.kind == "nominal" else "PERSON" if mark.refers == "person" else "OTHER",
                kind="nominal" if mark.kind == "nominal" else "pronoun",
                chain=mark.chain,
                sentence=sentence,
                head=mark.lemma if mark.kind == "nominal" else None,
            )
        )
    merged = sorted([*mentions, *new], key=lambda m: (m.span.start, m.span.end, m.kind))
    renumber: dict[int, int] = {}
    for mention in merged:
        renumber.setdefault(mention.chain, len(renumber))
    return [replace(mention, chain=renumber[mention.chain]) for mention in merged]
