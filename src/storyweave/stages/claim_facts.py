"""Facts of one clause read off the parse, for the claims stage: voice, the state a clause
asserts, modality, quantifiers on its arguments, argument heads, and reports called false.

Each function takes the clause's tokens (spaCy ``Token``) and answers one question; the claims
stage stores the answers on :class:`~storyweave.model.ClaimMention`, so that the cross-article
stages (which have no parse) never re-read the words to find them out.
"""

from __future__ import annotations

from spacy.tokens import Token

from storyweave.language.negation import falsity_words, reportive_nouns

#: Verbs whose adjective complement is what the clause asserts: "kept the plant open", "the
#: bridge remains closed", "the museum is open" assert the state open / closed.
STATE_VERBS = frozenset({"be", "keep", "leave", "remain", "stay", "become", "hold", "get", "reopen"})
#: Complement dependencies that carry such a state.
_STATE_DEPS = frozenset({"acomp", "oprd", "xcomp", "ccomp", "attr"})
#: Modal auxiliaries and what they make of a clause.
_MODALS = {
    "will": "future",
    "shall": "future",
    "'ll": "future",
    "wo": "future",
    "would": "conditional",
    "may": "possible",
    "might": "possible",
    "could": "possible",
    "can": "possible",
}
#: Verbs that put their infinitive clause ahead in time ("plans to close", "is due to open").
_PROSPECTIVE = frozenset(
    {"plan", "expect", "schedule", "intend", "set", "due", "go", "aim", "prepare", "hope", "want", "threaten"}
)
#: Adverbs that put a denial in time: "has not happened yet" leaves it open.
_PENDING = frozenset({"yet", "still", "until", "anymore"})
_NONE_WORDS = frozenset({"nobody", "none", "nothing", "noone", "no-one"})
_ALL_WORDS = frozenset({"everyone", "everybody", "everything", "all"})
_ALL_DETERMINERS = frozenset({"all", "every", "each", "both"})
_PRONOUN_POS = frozenset({"PRON"})


def voice(content: Token) -> str:
    """``passive`` when the content verb is in the passive ("was closed", "were let back"), else
    ``active``. The parser sometimes hangs a passive's subject on its auxiliary; the auxiliary is
    what tells."""
    if content.pos_ not in ("VERB", "AUX"):
        return "active"
    if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in content.children):
        return "passive"
    return "active"


def state_complement(content: Token) -> str | None:
    """The state a clause asserts of its subject or object: the adjective complement of a state
    verb ("kept its factory open": open; "the bridge remains closed": closed), or the participle
    of a passive that reads as a state ("the border is closed"). None for any other clause."""
    if content.lemma_.lower() not in STATE_VERBS:
        return None
    for child in content.children:
        if child.dep_ in _STATE_DEPS and child.pos_ == "ADJ":
            return child.lemma_.lower()
        if child.dep_ in ("acomp", "oprd") and child.tag_ == "VBN":
            return child.lemma_.lower()
    return None


def modality(content: Token, cue: Token | None) -> str:
    """What the clause's verb group says of its truth: ``future`` ("will close", "plans to
    close"), ``conditional`` ("would close"), ``possible`` ("may close"; "may have closed" speaks of
    the past and stays asserted), ``pending`` (a denial put in time: "has not closed yet"), or
    ``""`` for a plain assertion."""
    children = list(content.children)
    auxiliaries = [c for c in children if c.dep_ in ("aux", "auxpass")]
    perfect = any(c.lemma_.lower() == "have" for c in auxiliaries)
    for aux in auxiliaries:
        kind = _MODALS.get(aux.lower_)
        if kind is not None and not (kind == "possible" and perfect):
            return kind
    if content.dep_ == "xcomp" and content.head.lemma_.lower() in _PROSPECTIVE:
        return "future"
    if content.lemma_.lower() in _PROSPECTIVE and any(c.dep_ == "xcomp" for c in children):
        return "future"
    if cue is not None and content.dep_ != "xcomp":
        for aux in (c for c in cue.children if c.dep_ == "aux"):
            if _MODALS.get(aux.lower_) == "future":
                return "future"
    if any(c.dep_ == "neg" for c in children) and any(_pending(c) for c in children):
        return "pending"
    return ""


def _pending(token: Token) -> bool:
    """ "yet", "still", "until ...", "so far": a denial that holds only up to now."""
    if token.lower_ in _PENDING:
        return True
    return (token.lower_ == "so" and any(g.lower_ == "far" for g in token.children)) or token.lower_ == "far"


def quantifier(token: Token | None) -> str | None:
    """What an argument's quantifier says of what it names: ``none`` ("nobody", "no one", "no
    deaths", "none of the passengers"), ``all`` ("everyone", "all 40 passengers", "every worker"),
    or None."""
    if token is None:
        return None
    low = token.lower_
    if low in _NONE_WORDS:
        return "none"
    if low in _ALL_WORDS and token.pos_ in ("PRON", "DET", "NOUN"):
        return "all"
    for child in token.children:
        word = child.lower_
        if word == "no" and child.dep_ in ("det", "quantmod"):
            return "none"
        if word in _ALL_DETERMINERS and child.dep_ in ("det", "quantmod", "predet"):
            return "all"
        if child.dep_ == "nummod" and any(g.lower_ in _ALL_DETERMINERS for g in child.children):
            return "all"
    return None


def head_lemma(token: Token | None) -> tuple[str | None, str | None]:
    """(lemma of an argument's head noun, the preposition it follows when the argument is a
    prepositional phrase): "its glass factory" gives ("factory", None), "into the museum" gives
    ("museum", "into"). Pronouns give no head."""
    if token is None:
        return None, None
    preposition = None
    if token.dep_ == "prep" or token.pos_ == "ADP":
        preposition = token.lower_
        token = next((c for c in token.children if c.dep_ in ("pobj", "pcomp")), None)
        if token is None:
            return None, preposition
    if token.pos_ in _PRONOUN_POS and token.lower_ not in _NONE_WORDS and token.lower_ not in _ALL_WORDS:
        return None, preposition
    return token.lemma_.lower(), preposition


def debunked_clause(head: Token) -> Token | None:
    """The clause a report is said to be false in: "Reports that the plant had closed are false",
    "The claim that he resigned is baseless", "The story of the rescue was a hoax" give the
    verb (or noun) of what was reported; None for any other clause."""
    if head.lemma_.lower() != "be":
        return None
    falsity = falsity_words()
    if not any(c.dep_ in ("acomp", "attr") and c.lemma_.lower() in falsity for c in head.children):
        return None
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    return reported_content(subject)


def reported_content(noun: Token) -> Token | None:
    """What a reportive noun reports: the verb of its "that ..." clause ("reports that X closed"),
    or the noun after its "of" ("reports of his death")."""
    if noun.lemma_.lower() not in reportive_nouns():
        return None
    for child in noun.children:
        clausal = child.dep_ in ("acl", "ccomp") and child.pos_ in ("VERB", "AUX")
        if clausal or (child.dep_ == "relcl" and any(g.dep_ == "mark" and g.lower_ == "that" for g in child.children)):
            return child
        if child.dep_ == "prep" and child.lower_ == "of":
            inner = next((g for g in child.children if g.dep_ in ("pobj", "pcomp")), None)
            if inner is not None:
                return inner
    return None
