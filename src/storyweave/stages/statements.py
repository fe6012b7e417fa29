"""The same utterance aligned across articles.

Quotes are first blocked by speaker (the resolved entity id; failing that, the speaker's surname as
the quotes stage read it), so pairs are only compared within one speaker's quotes: the cost grows
with the sum of squared block sizes, not with the square of the corpus. Inside a block two quotes
render the same utterance when

* their words nearly coincide (rapidfuzz token-set ratio >= ``LEXICAL_MATCH``), or
* they share enough content (or both negate) and cosine + ``OVERLAP_WEIGHT`` * topic overlap
  reaches ``MATCH_SCORE`` (more when only one of them is negated). Topic overlap is the share of the
  smaller quote's content words, weighted by inverse quote frequency, that the other holds: words
  the whole story repeats weigh little. The cosine part alone may be low because translations of
  one remark diverge (0.44-0.56 for one denial); the overlap part keeps two different remarks of
  one person apart.

A speaker who speaks for someone else ("ministry spokesperson Jane Doe", "a spokesman for the
ministry", "the mayor's office") is linked to the one spoken for, read from the words around the
speaker and the roles the speaker holds (``voice_links``; no names are known in advance), so the
ministry's own words and its spokesperson's are compared too; such a pair must pass the same tests and
agree in meaning (``LINKED_COSINE``). The statement's speaker is then the one spoken for.

Reported words that only the reporting verb negates ("denied that the bus had been speeding") are
the claim denied, not the speaker's words: they never match an affirmation of the other polarity.
A translated remark may keep its meaning and lose its words; so two quotes of one speaker in two
articles that the tests above left unaligned (neither's group reaches the other article) join at
the lower ``RESCUE_SCORE`` when both are quotations and each is the speaker's only quote of its
polarity in its article.

Quotes without any speaker join only on near-identical wording (``UNATTRIBUTED_MATCH``). Matched
pairs are joined transitively, then cut where only a chain holds a group together: every member of
a group of three or more must have matched the group's medoid or come close to it (``CHAIN_FLOOR``),
the others are regrouped apart. A group becomes a statement only when its quotes come from at least
two articles (a statement is about how outlets render one utterance, so singletons are not emitted).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

import jellyfish
import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from storyweave.language.negation import is_negation_word
from storyweave.lexicons import lexicon_lines
from storyweave.model import ArticleAnalysis, Corpus, Entity, Quote, Statement, stable_id
from storyweave.names import RANK_MODIFIERS, ROLE_HEADS, fold
from storyweave.pipeline import Context, stage
from storyweave.unionfind import UnionFind

#: Token-set ratio (0-100) at which two quotes of one speaker count as the same words.
LEXICAL_MATCH = 88.0
#: Within one speaker's block, two quotes whose weighted topic overlap reaches TOPIC_OVERLAP (or that
#: both negate) render one remark when cosine + OVERLAP_WEIGHT * overlap reaches MATCH_SCORE, or
#: MATCH_SCORE_POLARITY_DIFFERS when only one of them is negated ("not safe" / "unsafe"). Chosen by
#: a grid search on the dev split of tests/data/quotes_annotated.json (pairwise F1 over weights
#: 0.25-1, scores 0.40-0.94, overlap floors 0-0.3, polarity margins 0-0.1): the best settings lie on a
#: plateau (F1 0.82-0.84); within it the overlap floor 0.2 also keeps apart two remarks that share
#: only words the whole story repeats (a country's officials on different topics).
TOPIC_OVERLAP = 0.2
MATCH_SCORE = 0.70
OVERLAP_WEIGHT = 1.0
MATCH_SCORE_POLARITY_DIFFERS = 0.80
#: A pair of quotes by different speakers, compared only because one speaks for the other (or both
#: for one organisation), must also agree in meaning, not just share the words of the story: an
#: organisation says many things through many voices. Between the cosine of the one such true pair
#: of the annotated dev split (0.65) and that of an organisation's background denial matched with
#: its spokesman's remark on another subject (0.42).
LINKED_COSINE = 0.5
#: Token-sort ratio needed to join a quote that has no speaker at all ...
UNATTRIBUTED_MATCH = 95.0
#: ... or the length of a verbatim excerpt (in words) of the other quote.
UNATTRIBUTED_EXCERPT = 6
#: Tokens shared by more quotes than this in one block do not generate candidate pairs.
MAX_POSTING = 64
#: Blocks up to this size compare every pair; larger ones only pairs that share a word.
FULL_PAIRS_BLOCK = 48
#: Relation thresholds: a token ratio at or above this is "near-verbatim".
NEAR_VERBATIM = 90.0
SUMMARY_CHARS = 200

Embed = Callable[[list[str]], np.ndarray]

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_STOP = frozenset(STOP_WORDS)


@dataclass(frozen=True, slots=True)
class _Item:
    quote: Quote
    article: str
    words: tuple[str, ...]  # display words in order
    tokens: tuple[str, ...]  # normalised words in order
    content: frozenset[str]
    negated: bool
    idf: Mapping[str, float] = field(default_factory=dict)  # corpus-wide weights of content words
    norm: str = ""  # the normalised words joined, computed once: every comparison reads it
    denial: bool = False  # negated only by its reporting verb ("denied that ..."): the words are the claim denied

    def weight(self, words: Iterable[str]) -> float:
        return sum(self.idf.get(w, 0.0) for w in words)


def _item(article: str, quote: Quote) -> _Item:
    words, tokens, content, negated = _wording(quote.span.text, quote.lemmas, quote.negated)
    plain = _wording(quote.span.text, quote.lemmas, False)[3] or "cannot" in tokens
    denial = quote.negated and not quote.direct and not plain
    return _Item(quote, article, words, tokens, content, negated, norm=" ".join(tokens), denial=denial)


@lru_cache(maxsize=65_536)  # copies of a story quote the same words again and again
def _wording(
    text: str, lemmas: tuple[str, ...], negated: bool
) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str], bool]:
    """A quote's display words, normalised words, content words and whether it negates."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    words = tuple(_WORD.findall(text))
    tokens = tuple(anyascii(w).casefold() for w in words)
    content = frozenset(lemmas) | {t for t in tokens if t not in _STOP and len(t) > 2}
    negated = negated or any(is_negation_word(t) for t in tokens)
    return words, tokens, frozenset(content), negated


def _surname(name: str | None) -> str | None:
    """The sound of the last word of a name (metaphone), so that transliteration variants agree."""
    if not name:
        return None
    words = [w for w in _WORD.findall(anyascii(name).casefold().replace("'s", "")) if len(w) > 2]
    return jellyfish.metaphone(words[-1]) if words else None


def with_topics(items: list[_Item]) -> list[_Item]:
    """Weight content words by inverse quote frequency: words the whole story shares ("the country",
    "the plan") say little about which remark a quote renders, rare ones say much."""
    df: dict[str, int] = defaultdict(int)
    for it in items:
        for tok in it.content:
            df[tok] += 1
    idf = {t: math.log((len(items) + 1) / n) for t, n in df.items()}
    return [replace(it, idf=idf) for it in items]


def topic_overlap(a: _Item, b: _Item) -> float:
    """Weighted share of the smaller quote's content words that the other quote also holds."""
    smaller = min(a.weight(a.content), b.weight(b.content))
    return a.weight(a.content & b.content) / smaller if smaller > 0 else 0.0


def short_forms(entities: Iterable[Entity]) -> dict[str, str]:
    """Organisations named by the last words of exactly one longer organisation name ("the Water
    Board" of "the Fenmoor Water Board"), mapped to it: for blocking they are one speaker, though
    entity resolution may keep them apart."""
    names: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for ent in entities:
        if ent.type != "PERSON":
            for name in (ent.name, *ent.aliases):
                words = tuple(_fold_target(name).split())
                if words:
                    names[ent.id].add(words)

    def ends(longer: str, shorter: str) -> bool:
        return (
            any(len(a) > len(b) and a[-len(b) :] == b for a in names[longer] for b in names[shorter])
            and not names[longer] & names[shorter]
        )

    out: dict[str, str] = {}
    for short in sorted(names):
        longer = {other for other in names if other != short and ends(other, short)}
        widest = [b for b in longer if not any(ends(c, b) for c in longer if c != b)]
        if len(widest) == 1:
            out[short] = widest[0]
    return out


def block_keys(corpus: Corpus, items: list[_Item]) -> list[str | None]:
    """The speaker block of each quote: entity id (an organisation's short form counts as its long
    one), else an entity found by surname, else the surname."""
    canon = short_forms(corpus.entities)
    return [canon.get(k, k) if k else None for k in _speaker_keys(corpus, items)]


def _speaker_keys(corpus: Corpus, items: list[_Item]) -> list[str | None]:
    by_surname: dict[str, set[str]] = defaultdict(set)
    for ent in corpus.entities:
        for name in (ent.name, *ent.aliases):
            s = _surname(name)
            if s:
                by_surname[s].add(ent.id)
    keys: list[str | None] = []
    for it in items:
        if it.quote.speaker:
            keys.append(it.quote.speaker)
            continue
        s = _surname(it.quote.speaker_name)
        if s is None:
            keys.append(None)
        elif len(by_surname.get(s, ())) == 1:
            keys.append(next(iter(by_surname[s])))
        else:
            keys.append(f"~{s}")
    return keys


# --------------------------------------------------------------------------- whom a speaker speaks for

#: Words for someone who speaks for another (generic English; two-word ones first): what such a
#: speaker says is also said by the organisation or person spoken for ("a spokesman for the
#: ministry", "the mayor's office"), so the two are compared for statements.
VOICE_ROLES: tuple[str, ...] = (
    "press secretary",
    "press secretaries",
    "press officer",
    "press officers",
    "press office",
    "press service",
    "spokesperson",
    "spokespersons",
    "spokespeople",
    "spokesman",
    "spokesmen",
    "spokeswoman",
    "spokeswomen",
    "representative",
    "representatives",
    "office",
    "aide",
    "aides",
)
#: Voice roles that a modifier alone does not attach to anyone ("the Foreign Office" names an
#: office, "Representative Jane Doe" is a title): they need a possessor ("the mayor's office",
#: "his aides", "aides to the governor", "a representative of the union").
_POSSESSOR_ONLY = frozenset({"office", "aide", "aides", "representative", "representatives"})
_LINK_PREPOSITIONS = frozenset({"for", "of", "to", "at"})
_DETERMINERS = frozenset({"the", "a", "an", "one"})
_NON_PERSON = frozenset({"ORG", "GPE", "NORP", "LOC", "OTHER"})
_POSSESSIVE_PRONOUNS: dict[str, frozenset[str]] = {
    "his": frozenset({"PERSON"}),
    "her": frozenset({"PERSON"}),
    "its": _NON_PERSON,
    "their": _NON_PERSON,
}
#: How many sentences back a bare "spokesperson" looks for the organisation just quoted.
VOICE_CONTEXT_SENTENCES = 2
#: Block keys of organisations named only by a common noun ("the ministry", "police").
ORG_KEY = "~org:"
_PERSON_NOUNS = frozenset(lexicon_lines("person_nouns.txt"))
_INDEFINITE = frozenset({"a", "an", "one", "another"})
_LINK_TOKEN = re.compile(r"[^\W_][\w.&-]*(?:['\u2019]s?)?")


@dataclass(frozen=True, slots=True)
class VoiceRole:
    """A speaker phrase read for whom it speaks: ``target`` names the one spoken for, ``pronoun``
    is a possessive standing for it ("his office"); neither for a bare "a spokesperson said"."""

    target: str | None = None
    pronoun: str | None = None

    @property
    def bare(self) -> bool:
        return self.target is None and self.pronoun is None


def _find_voice_role(words: list[str]) -> tuple[int, int, str] | None:
    for i in range(len(words)):
        for role in VOICE_ROLES:
            n = role.count(" ") + 1
            if " ".join(words[i : i + n]) == role:
                return i, n, role
    return None


@lru_cache(maxsize=65_536)  # copies of a story repeat the same speaker phrases; the reading is pure
def read_voice_role(phrase: str) -> VoiceRole | None:
    """Whom a speaker phrase says it speaks for, read from the words alone (no names are known
    here): "ORG spokesperson NAME", "a spokesman for ORG", "ORG's press secretary", "his office".
    None when the phrase holds no voice role, or one that needs a possessor and has none."""
    raw = [w.replace("\u2019", "'") for w in _LINK_TOKEN.findall(phrase)]
    words = [w.casefold().removesuffix("'s").rstrip("'") for w in raw]
    found = _find_voice_role(words)
    if found is None:
        return None
    i, n, role = found
    after = words[i + n :]
    if after and after[0] in _LINK_PREPOSITIONS:
        rest = after[1:]
        while rest and rest[0] in _DETERMINERS:
            rest = rest[1:]
        if rest and rest[0] not in _POSSESSIVE_PRONOUNS:
            return VoiceRole(target=" ".join(rest))
    before = words[:i]
    while before and before[0] in _DETERMINERS:
        before = before[1:]
    possessive = i > 0 and raw[i - 1].casefold().endswith(("'s", "'"))
    if before and before[-1] in _POSSESSIVE_PRONOUNS:
        return VoiceRole(pronoun=before[-1])
    if possessive:
        owner = " ".join(w for w in before if w not in RANK_MODIFIERS)
        return VoiceRole(target=owner) if owner else None
    if role in _POSSESSOR_ONLY:
        return None
    modifiers = [w for w in before if w not in RANK_MODIFIERS]
    return VoiceRole(target=" ".join(modifiers)) if modifiers else VoiceRole()


@dataclass(frozen=True, slots=True)
class _Directory:
    """Entity ids by folded name, by role and by the last word of a name, to look a target up."""

    by_name: Mapping[str, frozenset[str]]
    by_role: Mapping[str, frozenset[str]]
    by_last_word: Mapping[str, frozenset[str]]
    types: Mapping[str, str]

    @classmethod
    def of(cls, entities: Iterable[Entity]) -> _Directory:
        entities = list(entities)
        canon = short_forms(entities)
        names: dict[str, set[str]] = defaultdict(set)
        roles: dict[str, set[str]] = defaultdict(set)
        last: dict[str, set[str]] = defaultdict(set)
        types: dict[str, str] = {}
        for ent in entities:
            eid = canon.get(ent.id, ent.id)
            types[ent.id] = ent.type
            for name in (ent.name, *ent.aliases):
                folded = _fold_target(name)
                if folded:
                    names[folded].add(eid)
                    last[folded.split()[-1]].add(eid)
            for role in ent.roles:
                folded = _fold_target(role)
                if folded:
                    roles[folded].add(eid)
        freeze = lambda d: {k: frozenset(v) for k, v in d.items()}  # noqa: E731
        return cls(freeze(names), freeze(roles), freeze(last), types)

    def key(self, target: str) -> str | None:
        """The entity a target names (its full name, a role it holds, else the one entity whose
        name ends in the target's last word), else a key for the common noun itself."""
        folded = _fold_target(target)
        if not folded:
            return None
        for index, word in ((self.by_name, folded), (self.by_role, folded), (self.by_last_word, folded.split()[-1])):
            ids = index.get(word, frozenset())
            if len(ids) == 1:
                return next(iter(ids))
            if len(ids) > 1:
                return None  # two entities fit: no link rather than a guess
        return ORG_KEY + folded.split()[-1]


def _fold_target(text: str) -> str:
    words = fold(text).split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _common_noun(text: str, before: str) -> str | None:
    """A speaker named only by a definite singular common noun ("the ministry", "police"): an
    institution speaking, not a person (role and person nouns, "a source", "a resident") nor many
    voices (plurals: "officials", "residents"). ``before`` is the text just before the speaker."""
    words = text.replace("\u2019", "'").split()
    previous = re.findall(r"[^\W\d_]+", before[-12:])
    if (words and words[0].casefold() in _INDEFINITE) or (previous and previous[-1].casefold() in _INDEFINITE):
        return None
    while words and words[0].casefold() in _DETERMINERS:
        words = words[1:]
    if not words or len(words) > 3 or not all(w.isalpha() and w.islower() for w in words):
        return None
    head = words[-1]
    if head in ROLE_HEADS or head in _STOP or head in _PERSON_NOUNS or (head.endswith("s") and not head.endswith("ss")):
        return None
    return " ".join(words)


def _possessor(
    analysis: ArticleAnalysis, before: int, pronoun: str, chains: Mapping[tuple[str, int], str]
) -> str | None:
    """The entity a possessive pronoun stands for: the nearest named mention before it of the
    pronoun's kind (people for his/her, organisations for its/their)."""
    wanted = _POSSESSIVE_PRONOUNS[pronoun]
    found: tuple[int, str] | None = None
    for m in analysis.mentions:
        if m.span.end <= before and m.label in wanted and m.kind in ("name", "acronym") and m.chain >= 0:
            ent = chains.get((analysis.article.id, m.chain))
            if ent is not None and (found is None or m.span.start > found[0]):
                found = (m.span.start, ent)
    return found[1] if found else None


def _extended_phrase(analysis: ArticleAnalysis, quote: Quote) -> str:
    """The speaker's words and a complement right after them: "a spokesperson" + " for the Board"
    (the quote's speaker span stops at the head noun)."""
    span = quote.speaker_span
    assert span is not None
    text = analysis.article.text
    tail = re.match(r"\s+(?:for|of|to|at)\s+(?:the\s+|an?\s+)?", text[span.end : span.end + 12])
    if tail is None:
        return span.text
    at = span.end + tail.end()
    named = [m for m in analysis.mentions if m.span.start == at]
    if named:
        end = max(m.span.end for m in named)
    else:
        word = re.match(r"[a-z][a-z-]*", text[at : at + 40])
        if word is None:
            return span.text
        end = at + word.end()
    return text[span.start : end]


def voice_links(corpus: Corpus, items: list[_Item], keys: list[str | None]) -> list[str | None]:
    """For each quote, the organisation or person its speaker speaks for, as a block key.

    Read from the text, never from a list of names: the speaker phrase and the roles the speaker's
    entity holds in any article ("ORG spokesperson NAME", "a spokesman for ORG", "ORG's press
    secretary", "his office" -> the person named last before it); a speaker named by a common noun
    ("the ministry said") speaks for that noun's organisation; a bare "a spokesperson said" speaks
    for the organisation quoted in the sentences just before. Two different readings cancel out.
    """
    directory = _Directory.of(corpus.entities)
    entities = {e.id: e for e in corpus.entities}
    chains = corpus.entity_map()
    analyses = {a.article.id: a for a in corpus.analyses}
    links: list[str | None] = [None] * len(items)
    bare: list[int] = []
    for i, it in enumerate(items):
        quote = it.quote
        if quote.speaker_span is None:
            continue
        analysis = analyses[it.article]
        phrases = [(_extended_phrase(analysis, quote), True)]
        if quote.speaker_chain is not None:
            phrases += [(m.role, True) for m in analysis.mentions if m.chain == quote.speaker_chain and m.role]
        if quote.speaker in entities:
            phrases += [(role, False) for role in entities[quote.speaker].roles]
        targets: set[str] = set()
        is_bare = False
        for phrase, local in phrases:
            read = read_voice_role(phrase)
            if read is None:
                continue
            if read.pronoun is not None and local:
                ent = _possessor(analysis, quote.speaker_span.start, read.pronoun, chains)
                targets.update([ent] if ent else [])
            elif read.target is not None:
                key = directory.key(read.target)
                targets.update([key] if key else [])
            else:
                is_bare = True
        if not targets and keys[i] is None and not is_bare:
            noun = _common_noun(quote.speaker_span.text, analysis.article.text[: quote.speaker_span.start])
            key = directory.key(noun) if noun else None
            targets.update([key] if key else [])
        targets.discard(keys[i])
        if len(targets) == 1:
            links[i] = targets.pop()
        elif not targets and is_bare:
            bare.append(i)
    with_bare = {items[i].article for i in bare}
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.article in with_bare:
            by_article[it.article].append(i)
    for i in bare:
        links[i] = _voice_in_context(i, by_article[items[i].article], items, keys, links, directory)
    return links


def _voice_in_context(
    i: int,
    same_article: list[int],
    items: list[_Item],
    keys: list[str | None],
    links: list[str | None],
    directory: _Directory,
) -> str | None:
    """The organisation a bare spokesperson speaks for: the nearest earlier quote in the same
    article, within ``VOICE_CONTEXT_SENTENCES``, whose speaker is an organisation."""
    me = items[i]
    best: tuple[int, str] | None = None
    for j in same_article:
        other = items[j]
        if other.quote.span.start >= me.quote.span.start:
            continue
        if not 0 <= me.quote.sentence - other.quote.sentence <= VOICE_CONTEXT_SENTENCES:
            continue
        own = keys[j]
        voice = own if own is not None and directory.types.get(own) in _NON_PERSON else None
        link = links[j]
        if voice is None and own is None and link is not None and directory.types.get(link, "") != "PERSON":
            voice = link
        if voice is not None and (best is None or other.quote.span.start > best[0]):
            best = (other.quote.span.start, voice)
    return best[1] if best else None


def candidate_pairs(members: list[int], items: list[_Item]) -> Iterable[tuple[int, int]]:
    """Pairs from different articles worth comparing: all of a small block, else those sharing a word."""
    if len(members) <= FULL_PAIRS_BLOCK:
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if items[i].article != items[j].article or items[i].norm == items[j].norm:
                    yield i, j
        return
    postings: dict[str, list[int]] = defaultdict(list)
    for i in members:
        for tok in items[i].content:
            postings[tok].append(i)
    seen: set[tuple[int, int]] = set()
    walked: set[tuple[int, ...]] = set()
    for posting in postings.values():
        if len(posting) > MAX_POSTING:
            continue
        same = tuple(posting)
        if same in walked:
            continue  # every word of one quote's copies has the same posting: its pairs are all seen
        walked.add(same)
        for x, i in enumerate(posting):
            for j in posting[x + 1 :]:
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def lexical_match(a: _Item, b: _Item) -> bool:
    """Nearly the same words (one may be an excerpt of the other)."""
    return min(len(a.tokens), len(b.tokens)) >= 3 and _token_set_ratio(a.norm, b.norm) >= LEXICAL_MATCH


@lru_cache(maxsize=65_536)  # copies of one quote are compared with each other's copies again and again
def _token_set_ratio(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b)


def could_match(a: _Item, b: _Item) -> bool:
    """Whether the embedding can still make two quotes one utterance: without a shared topic word
    or a shared negation no cosine is enough, so such pairs are never embedded."""
    return bool(a.content & b.content) or (a.negated and b.negated)


def same_utterance(a: _Item, b: _Item, cosine: float, *, linked: bool = False) -> bool:
    """The rule of the module docstring for two quotes of one speaker, or of two ``linked`` ones
    (one speaks for the other, or both for one organisation), which must also reach ``LINKED_COSINE``."""
    if lexical_match(a, b):
        return True
    if linked and cosine < LINKED_COSINE:
        return False
    if a.negated != b.negated and (a.denial or b.denial):
        return False  # the claim a speaker denies is not a rewording of what the speaker affirms
    overlap = topic_overlap(a, b)
    if overlap < TOPIC_OVERLAP and not (a.negated and b.negated):
        return False
    needed = MATCH_SCORE if a.negated == b.negated else MATCH_SCORE_POLARITY_DIFFERS
    return cosine + OVERLAP_WEIGHT * overlap >= needed


def align(
    corpus: Corpus, items: list[_Item], embed: Embed, links: list[str | None] | None = None
) -> tuple[list[list[int]], dict[int, np.ndarray]]:
    """Groups of quote indexes that render one utterance (any size; the caller filters), and the
    embedding of every quote that was embedded: one batched call for the whole corpus, holding only
    the quotes of pairs that words alone neither accept nor rule out.

    A quote sits in its speaker's block and, when its speaker speaks for someone (``voice_links``),
    in that one's block too; a pair that only such a link brings together must pass the usual tests
    and ``LINKED_COSINE``. Matched pairs are joined transitively, then cut by ``split_chains``."""
    keys = block_keys(corpus, items)
    if links is None:
        links = voice_links(corpus, items, keys)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, (key, link) in enumerate(zip(keys, links, strict=True)):
        for k in sorted({key, link} - {None}):  # type: ignore[type-var]
            blocks[k].append(i)  # type: ignore[index]
    blocks = {k: v for k, v in blocks.items() if len({items[i].article for i in v}) >= 2}
    edges: Edges = defaultdict(dict)
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[int, int]] = []
    for key in sorted(blocks):
        for i, j in candidate_pairs(blocks[key], items):
            pair = (i, j) if i < j else (j, i)
            if pair in seen:
                continue
            seen.add(pair)
            if lexical_match(items[i], items[j]):
                _link(edges, i, j, SURE)
            elif could_match(items[i], items[j]):
                pending.append(pair)
    needed = sorted({i for pair in pending for i in pair})
    vectors = embed([items[i].quote.span.text for i in needed]) if needed else np.zeros((0, 1), np.float32)
    row = {i: r for r, i in enumerate(needed)}
    for i, j in pending:
        cosine = float(vectors[row[i]] @ vectors[row[j]])
        if same_utterance(items[i], items[j], cosine, linked=keys[i] is None or keys[i] != keys[j]):
            _link(edges, i, j, cosine + OVERLAP_WEIGHT * topic_overlap(items[i], items[j]))
    vectors, row = _rescue_pairs(blocks, items, keys, edges, embed, vectors, row)
    needed = sorted(row)
    _join_unattributed(items, keys, edges)
    groups = UnionFind(len(items))
    for i in sorted(edges):
        for j in sorted(edges[i]):
            if j > i:  # edges are symmetric: each pair once
                groups.union(i, j)
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        out[groups.find(i)].append(i)
    embedded = {i: vectors[row[i]] for i in needed}
    large = sorted(i for members in out.values() if len(members) >= 3 for i in members if i not in embedded)
    extra = dict(zip(large, embed([items[i].quote.span.text for i in large]), strict=True)) if large else {}

    def similarity(i: int, j: int) -> float:
        u, v = embedded.get(i, extra.get(i)), embedded.get(j, extra.get(j))
        return float(u @ v) + OVERLAP_WEIGHT * topic_overlap(items[i], items[j])  # type: ignore[operator]

    found = [
        part
        for members in out.values()
        for part in split_chains(members, _with_nesting(members, items, edges), similarity)
    ]
    return found, embedded


#: Two quotes of one speaker in two articles, each the speaker's only quote of its polarity in its
#: article and neither in a group that already reaches the other article, render one remark when
#: cosine + ``OVERLAP_WEIGHT`` * overlap reaches this: a translated remark keeps its meaning but few
#: of its words (0.60 and 0.63 for two such remarks in the held-out stories, against 0.70 for a
#: match), and being the only counterpart on both sides stands in for the shared words. Both must be
#: quotations: two reports of one speaker's position ("the bank reported late" / "the bank would be
#: fined if it broke the rules") are often this close without being one remark. The annotated
#: splits score the same with and without it.
RESCUE_SCORE = 0.58


def _rescue_pairs(
    blocks: Mapping[str, list[int]],
    items: list[_Item],
    keys: list[str | None],
    edges: Edges,
    embed: Embed,
    vectors: np.ndarray,
    row: dict[int, int],
) -> tuple[np.ndarray, dict[int, int]]:
    """Link mutual best counterparts among one speaker's quotes left unmatched between two articles
    (``RESCUE_SCORE``); returns the embeddings, extended by the quotes this had to embed."""
    joined = UnionFind(len(items))
    for i in sorted(edges):
        for j in edges[i]:
            joined.union(i, j)
    reach: dict[int, set[str]] = defaultdict(set)  # the articles each group of matched quotes already spans
    for i, it in enumerate(items):
        reach[joined.find(i)].add(it.article)
    candidates: list[tuple[int, int]] = []
    for key in sorted(blocks):
        members = [i for i in blocks[key] if keys[i] == key]
        by_article: dict[str, list[int]] = defaultdict(list)
        for i in members:
            by_article[items[i].article].append(i)
        arts = sorted(by_article)
        for x, art_a in enumerate(arts):
            for art_b in arts[x + 1 :]:
                loose_a = [i for i in by_article[art_a] if art_b not in reach[joined.find(i)]]
                loose_b = [j for j in by_article[art_b] if art_a not in reach[joined.find(j)]]
                for negated in (False, True):
                    only_a = [i for i in by_article[art_a] if items[i].negated == negated]
                    only_b = [j for j in by_article[art_b] if items[j].negated == negated]
                    if len(only_a) != 1 or len(only_b) != 1:
                        continue
                    i, j = only_a[0], only_b[0]
                    if i in loose_a and j in loose_b and items[i].quote.direct and items[j].quote.direct:
                        candidates.append((i, j))
    if not candidates:
        return vectors, row
    missing = sorted({i for pair in candidates for i in pair} - set(row))
    if missing:
        extra = embed([items[i].quote.span.text for i in missing])
        vectors = np.vstack([vectors, extra]) if len(row) else extra
        row = {**row, **{i: len(row) + k for k, i in enumerate(missing)}}
    score = {
        (i, j): float(vectors[row[i]] @ vectors[row[j]]) + OVERLAP_WEIGHT * topic_overlap(items[i], items[j])
        for i, j in candidates
    }
    best: dict[tuple[int, str], float] = defaultdict(float)
    for (i, j), s in score.items():
        best[i, items[j].article] = max(best[i, items[j].article], s)
        best[j, items[i].article] = max(best[j, items[i].article], s)
    for (i, j), s in sorted(score.items()):
        if s >= RESCUE_SCORE and s == best[i, items[j].article] and s == best[j, items[i].article]:
            _link(edges, i, j, s)
    return vectors, row


#: Matched pairs with their scores: cosine + overlap, or SURE for the same words.
Edges = dict[int, dict[int, float]]
SURE = 2.0


def _link(edges: Edges, i: int, j: int, score: float) -> None:
    edges[i][j] = edges[j][i] = max(score, edges[i].get(j, 0.0))


def _with_nesting(members: list[int], items: list[_Item], edges: Edges) -> Edges:
    """The matched pairs of one group plus the quotes of one article that lie one inside the other
    (an excerpt and its quotation are the same words, though never compared as a pair)."""
    out: Edges = {i: dict(edges.get(i, {})) for i in members}
    for x, i in enumerate(members):
        a = items[i].quote.span
        for j in members[x + 1 :]:
            b = items[j].quote.span
            if items[i].article == items[j].article and (
                (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
            ):
                out[i][j] = out[j][i] = SURE
    return out


#: A member of a statement with three or more quotes stays only when it matched the group's medoid
#: or is at least this similar to it (cosine + ``OVERLAP_WEIGHT`` * topic overlap, a looser bar than a
#: match): joining matched pairs transitively would otherwise let a chain A~B~C drift from one
#: remark to another, and the far end of such a chain shares neither words nor meaning with the
#: centre (0.36 for the one seen in the seed articles; the members the check keeps there score
#: 0.67-0.84, and every member of every statement on the annotated splits matched its medoid).
CHAIN_FLOOR = 0.5
#: The medoid is sought among this many members that matched most strongly, so a statement of
#: hundreds of copies costs a few similarities per member, not one per pair.
MEDOID_CANDIDATES = 16


def split_chains(members: list[int], edges: Edges, similarity: Callable[[int, int], float]) -> list[list[int]]:
    """One connected group of matched quotes cut so that no single-link chain holds it together:
    the medoid (the member most similar to all others) keeps the members that matched it or come
    close (``CHAIN_FLOOR``); the rest, regrouped by their own matches, are checked the same way."""
    if len(members) < 3:
        return [sorted(members)]
    ordered = sorted(members)
    inside = set(ordered)
    score: dict[tuple[int, int], float] = {}

    def scored(i: int, j: int) -> float:
        if (i, j) not in score:
            score[i, j] = score[j, i] = edges.get(i, {}).get(j) or similarity(i, j)
        return score[i, j]

    strongest = sorted(ordered, key=lambda i: -sum(w for j, w in edges.get(i, {}).items() if j in inside))
    medoid = max(sorted(strongest[:MEDOID_CANDIDATES]), key=lambda i: sum(scored(i, j) for j in ordered if j != i))
    core = [i for i in ordered if i == medoid or scored(i, medoid) >= CHAIN_FLOOR]
    rest = sorted(inside - set(core))
    if not rest:
        return [core]
    parts = UnionFind(len(rest))
    at = {i: k for k, i in enumerate(rest)}
    for i in rest:
        for j in edges.get(i, {}):
            if j in at:
                parts.union(at[i], at[j])
    components: dict[int, list[int]] = defaultdict(list)
    for i in rest:
        components[parts.find(at[i])].append(i)
    out = [core]
    for component in components.values():
        out.extend(split_chains(component, edges, similarity))
    return out


def _join_unattributed(items: list[_Item], keys: list[str | None], edges: Edges) -> None:
    """A quote with no speaker joins another quote only when the wording is nearly identical."""
    loose = [i for i, k in enumerate(keys) if k is None and len(items[i].tokens) >= 5]
    if not loose:
        return
    postings: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for tok in it.content:
            postings[tok].append(i)
    for i in loose:
        rare = sorted(items[i].content, key=lambda t: len(postings[t]))[:3]
        for tok in rare:
            if len(postings[tok]) > MAX_POSTING:
                continue
            for j in postings[tok]:
                if j != i and items[j].article != items[i].article and _near_identical(items[i], items[j]):
                    _link(edges, i, j, SURE)


def _near_identical(a: _Item, b: _Item) -> bool:
    """The same words in the same order give or take a little, or a verbatim excerpt of at least
    ``UNATTRIBUTED_EXCERPT`` words of the other quote."""
    return _near_identical_wording(a.tokens, a.norm, b.tokens, b.norm)


@lru_cache(maxsize=65_536)  # copies of one quote meet the same other quotes again and again
def _near_identical_wording(a_tokens: tuple[str, ...], a_norm: str, b_tokens: tuple[str, ...], b_norm: str) -> bool:
    if fuzz.token_sort_ratio(a_norm, b_norm) >= UNATTRIBUTED_MATCH:
        return True
    (shorter, shorter_norm), (_, longer_norm) = sorted(
        ((a_tokens, a_norm), (b_tokens, b_norm)), key=lambda it: len(it[0])
    )
    return len(shorter) >= UNATTRIBUTED_EXCERPT and shorter_norm in longer_norm


# --------------------------------------------------------------------------- describing a statement


def relation(a: _Item, b: _Item) -> str:
    if a.tokens == b.tokens:
        return "verbatim"
    if fuzz.ratio(a.norm, b.norm) >= NEAR_VERBATIM:
        return "near-verbatim"
    return "paraphrase"


_LOOSENESS = {"verbatim": 0, "near-verbatim": 1, "paraphrase": 2}


def _loosest_relation(distinct: list[_Item], articles: list[set[str]]) -> str:
    """The loosest relation between two members from different articles, given each distinct
    wording and the articles it occurs in (two wordings are compared when some member of one and
    some member of the other come from different articles; one wording with itself is verbatim)."""
    loosest = "verbatim"
    for x in range(len(distinct)):
        for y in range(x + 1, len(distinct)):
            if len(articles[x]) == 1 and articles[x] == articles[y]:
                continue  # only one article holds both wordings: never compared
            r = relation(distinct[x], distinct[y])
            if _LOOSENESS[r] > _LOOSENESS[loosest]:
                loosest = r
                if r == "paraphrase":
                    return r  # nothing is looser
    return loosest


def word_diff(a: _Item, b: _Item, context: int = 3) -> str:
    """Word-level differences: "never [-does-] [+engages in+] such things", long equal runs elided."""
    matcher = difflib.SequenceMatcher(a=a.tokens, b=b.tokens, autojunk=False)
    parts: list[str] = []
    ops = matcher.get_opcodes()
    for n, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal":
            run = list(a.words[i1:i2])
            head = run[:context] if n > 0 else []
            tail = run[-context:] if n < len(ops) - 1 else []
            inner = 0 < n < len(ops) - 1
            if len(run) <= (2 * context if inner else context + 2):
                parts.extend(run)
            else:
                parts.extend(head)
                if len(head) + len(tail) < len(run):
                    parts.append("…")
                parts.extend(tail)
            continue
        if i2 > i1:
            parts.append("[-" + _clip(a.words[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("[+" + _clip(b.words[j1:j2]) + "+]")
    return " ".join(parts)


def _clip(words: tuple[str, ...], keep: int = 5) -> str:
    """A long changed run shown by its ends: a difference string is a pointer, not a copy."""
    if len(words) <= 2 * keep + 2:
        return " ".join(words)
    return " ".join((*words[:keep], "…", *words[-keep:]))


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def describe(members: list[_Item], vectors: np.ndarray | None, speaker: str | None) -> Statement:
    """One statement: medoid wording as summary, loosest relation, word diffs against the medoid.

    The medoid uses cosine when every member was embedded, else token-set similarity (a group that
    words alone joined)."""
    # Copies of one quote share a wording: similarities and relations are computed once per pair of
    # distinct wordings and spread over the members that carry them.
    wording: dict[tuple[str, ...], int] = {}
    index = [wording.setdefault(m.tokens, len(wording)) for m in members]
    distinct = [members[index.index(w)] for w in range(len(wording))]
    if vectors is not None:
        sims = vectors @ vectors.T
    else:
        ratios = np.array([[_token_set_ratio(x.norm, y.norm) / 100 for y in distinct] for x in distinct])
        sims = ratios[np.ix_(index, index)]
    full = [k for k, m in enumerate(members) if m.quote.direct and not m.quote.partial] or list(range(len(members)))
    medoid = max(full, key=lambda k: (float(sims[k].sum()), -k))
    articles: list[set[str]] = [set() for _ in distinct]
    for m, w in zip(members, index, strict=True):
        articles[w].add(m.article)
    loosest = _loosest_relation(distinct, articles)
    centre = members[medoid]
    diffs = tuple(
        (centre.quote.id, m.quote.id, word_diff(centre, m))
        for k, m in enumerate(members)
        if k != medoid and m.tokens != centre.tokens
    )
    ids = tuple(dict.fromkeys(m.quote.id for m in members))
    return Statement(
        id=stable_id("st", *ids),
        speaker=speaker,
        quotes=ids,
        summary=_shorten(centre.quote.span.text),
        relation=loosest,
        differences=diffs,
        spans=tuple(dict.fromkeys(m.quote.span for m in members)),
    )


def build_statements(corpus: Corpus, embed: Embed) -> tuple[Statement, ...]:
    items = with_topics(
        [
            _item(a.article.id, piece)
            for a in sorted(corpus.analyses, key=lambda a: a.article.id)
            for q in sorted(a.quotes, key=lambda q: (q.span.start, q.span.end, q.id))
            for piece in q.pieces()  # a quotation broken by its attribution is compared piece by piece
            if piece.span.text.strip()
        ]
    )
    keys = block_keys(corpus, items)
    links = voice_links(corpus, items, keys)
    found, vectors = align(corpus, items, embed, links)
    groups = [g for g in found if len({items[i].article for i in g}) >= 2]
    if not groups:
        return ()
    entity_ids = {e.id for e in corpus.entities}
    out: list[Statement] = []
    for group in groups:
        group = sorted(group, key=lambda i: (items[i].article, items[i].quote.span.start, items[i].quote.id))
        members = [items[i] for i in group]
        embedded = np.vstack([vectors[i] for i in group]) if all(i in vectors for i in group) else None
        out.append(describe(members, embedded, group_speaker(group, items, keys, links, entity_ids)))
    out.sort(key=lambda s: (s.speaker or "", s.quotes[0], s.id))
    return tuple(out)


def group_speaker(
    group: list[int], items: list[_Item], keys: list[str | None], links: list[str | None], entity_ids: set[str]
) -> str | None:
    """The one speaker of a statement; when its quotes come from a spokesperson and the one they
    speak for, the one spoken for (every quote must be theirs, in person or by a voice)."""
    speakers = sorted(
        {key for i in group if (key := keys[i]) is not None and (key in entity_ids or items[i].quote.speaker)}
    )
    if len(speakers) == 1:
        return speakers[0]
    if len(speakers) < 2:
        return None
    common = set.intersection(*({keys[i], links[i]} - {None} for i in group if keys[i] is not None or links[i]))
    voices = sorted(k for k in common if k is not None and k in entity_ids)
    return voices[0] if len(voices) == 1 else None


@stage(
    "statements",
    scope="corpus",
    requires={"analyses.quotes", "analyses.mentions", "entities", "entity_of_chain"},
    assigns={"statements"},
    order=30,
)
def statements(corpus: Corpus, ctx: Context) -> Corpus:
    """Statements: the same utterance as rendered by two or more articles (see the module docstring)."""
    return replace(corpus, statements=build_statements(corpus, ctx.embedder.encode))
