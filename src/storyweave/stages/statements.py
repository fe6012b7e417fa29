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

Quotes without any speaker join only on near-identical wording (``UNATTRIBUTED_MATCH``). Matched
pairs are joined transitively; a group becomes a statement only when its quotes come from at least
two articles (a statement is about how outlets render one utterance, so singletons are not emitted).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import jellyfish
import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from storyweave.model import Corpus, Quote, Statement, stable_id
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
_NEGATORS = frozenset({"not", "n't", "never", "no", "none", "nobody", "nothing", "neither", "nor"})


@dataclass(frozen=True, slots=True)
class _Item:
    quote: Quote
    article: str
    words: tuple[str, ...]  # display words in order
    tokens: tuple[str, ...]  # normalised words in order
    content: frozenset[str]
    negated: bool
    idf: Mapping[str, float] = field(default_factory=dict)  # corpus-wide weights of content words

    def weight(self, words: Iterable[str]) -> float:
        return sum(self.idf.get(w, 0.0) for w in words)

    @property
    def norm(self) -> str:
        return " ".join(self.tokens)


def _item(article: str, quote: Quote) -> _Item:
    text = quote.span.text.replace("\u2019", "'").replace("\u2018", "'")
    words = tuple(_WORD.findall(text))
    tokens = tuple(anyascii(w).casefold() for w in words)
    content = frozenset(quote.lemmas) | {t for t in tokens if t not in _STOP and len(t) > 2}
    negated = quote.negated or any(t in _NEGATORS or t.endswith("n't") for t in tokens)
    return _Item(quote, article, words, tokens, frozenset(content), negated)


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


def block_keys(corpus: Corpus, items: list[_Item]) -> list[str | None]:
    """The speaker block of each quote: entity id, else an entity found by surname, else the surname."""
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
    for posting in postings.values():
        if len(posting) > MAX_POSTING:
            continue
        for x, i in enumerate(posting):
            for j in posting[x + 1 :]:
                pair = (min(i, j), max(i, j))
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def lexical_match(a: _Item, b: _Item) -> bool:
    """Nearly the same words (one may be an excerpt of the other)."""
    return min(len(a.tokens), len(b.tokens)) >= 3 and fuzz.token_set_ratio(a.norm, b.norm) >= LEXICAL_MATCH


def could_match(a: _Item, b: _Item) -> bool:
    """Whether the embedding can still make two quotes one utterance: without a shared topic word
    or a shared negation no cosine is enough, so such pairs are never embedded."""
    return bool(a.content & b.content) or (a.negated and b.negated)


def same_utterance(a: _Item, b: _Item, cosine: float) -> bool:
    """The rule of the module docstring for two quotes of one speaker."""
    if lexical_match(a, b):
        return True
    overlap = topic_overlap(a, b)
    if overlap < TOPIC_OVERLAP and not (a.negated and b.negated):
        return False
    needed = MATCH_SCORE if a.negated == b.negated else MATCH_SCORE_POLARITY_DIFFERS
    return cosine + OVERLAP_WEIGHT * overlap >= needed


def align(corpus: Corpus, items: list[_Item], embed: Embed) -> tuple[list[list[int]], dict[int, np.ndarray]]:
    """Groups of quote indexes that render one utterance (any size; the caller filters), and the
    embedding of every quote that was embedded: one batched call for the whole corpus, holding only
    the quotes of pairs that words alone neither accept nor rule out."""
    keys = block_keys(corpus, items)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if key is not None:
            blocks[key].append(i)
    blocks = {k: v for k, v in blocks.items() if len({items[i].article for i in v}) >= 2}
    groups = UnionFind(len(items))
    pending: list[tuple[int, int]] = []
    for members in blocks.values():
        for i, j in candidate_pairs(members, items):
            if lexical_match(items[i], items[j]):
                groups.union(i, j)
            elif could_match(items[i], items[j]):
                pending.append((i, j))
    needed = sorted({i for pair in pending for i in pair})
    vectors = embed([items[i].quote.span.text for i in needed]) if needed else np.zeros((0, 1), np.float32)
    row = {i: r for r, i in enumerate(needed)}
    for i, j in pending:
        if same_utterance(items[i], items[j], float(vectors[row[i]] @ vectors[row[j]])):
            groups.union(i, j)
    _join_unattributed(items, keys, groups)
    out: dict[int, list[int]] = defaultdict(list)
    for i in range(len(items)):
        out[groups.find(i)].append(i)
    return list(out.values()), {i: vectors[row[i]] for i in needed}


def _join_unattributed(items: list[_Item], keys: list[str | None], groups: UnionFind) -> None:
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
                    groups.union(i, j)


def _near_identical(a: _Item, b: _Item) -> bool:
    """The same words in the same order give or take a little, or a verbatim excerpt of at least
    ``UNATTRIBUTED_EXCERPT`` words of the other quote."""
    if fuzz.token_sort_ratio(a.norm, b.norm) >= UNATTRIBUTED_MATCH:
        return True
    shorter, longer = sorted((a, b), key=lambda it: len(it.tokens))
    return len(shorter.tokens) >= UNATTRIBUTED_EXCERPT and shorter.norm in longer.norm


# --------------------------------------------------------------------------- describing a statement


def relation(a: _Item, b: _Item) -> str:
    if a.tokens == b.tokens:
        return "verbatim"
    if fuzz.ratio(a.norm, b.norm) >= NEAR_VERBATIM:
        return "near-verbatim"
    return "paraphrase"


_LOOSENESS = {"verbatim": 0, "near-verbatim": 1, "paraphrase": 2}


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
    if vectors is not None:
        sims = vectors @ vectors.T
    else:
        sims = np.array([[fuzz.token_set_ratio(x.norm, y.norm) / 100 for y in members] for x in members])
    full = [k for k, m in enumerate(members) if m.quote.direct and not m.quote.partial] or list(range(len(members)))
    medoid = max(full, key=lambda k: (float(sims[k].sum()), -k))
    loosest = "verbatim"
    for x in range(len(members)):
        for y in range(x + 1, len(members)):
            if members[x].article != members[y].article:
                r = relation(members[x], members[y])
                if _LOOSENESS[r] > _LOOSENESS[loosest]:
                    loosest = r
    centre = members[medoid]
    diffs = tuple(
        (centre.quote.id, m.quote.id, word_diff(centre, m))
        for k, m in enumerate(members)
        if k != medoid and m.tokens != centre.tokens
    )
    ids = tuple(m.quote.id for m in members)
    return Statement(
        id=stable_id("st", *ids),
        speaker=speaker,
        quotes=ids,
        summary=_shorten(centre.quote.span.text),
        relation=loosest,
        differences=diffs,
    )


def build_statements(corpus: Corpus, embed: Embed) -> tuple[Statement, ...]:
    items = with_topics(
        [
            _item(a.article.id, q)
            for a in sorted(corpus.analyses, key=lambda a: a.article.id)
            for q in sorted(a.quotes, key=lambda q: (q.span.start, q.span.end, q.id))
            if q.span.text.strip()
        ]
    )
    found, vectors = align(corpus, items, embed)
    groups = [g for g in found if len({items[i].article for i in g}) >= 2]
    if not groups:
        return ()
    keys = block_keys(corpus, items)
    entity_ids = {e.id for e in corpus.entities}
    out: list[Statement] = []
    for group in groups:
        group = sorted(group, key=lambda i: (items[i].article, items[i].quote.span.start, items[i].quote.id))
        speakers = sorted(
            {keys[i] for i in group if keys[i] is not None and (keys[i] in entity_ids or items[i].quote.speaker)}
        )
        speaker = speakers[0] if len(speakers) == 1 else None
        members = [items[i] for i in group]
        embedded = np.vstack([vectors[i] for i in group]) if all(i in vectors for i in group) else None
        out.append(describe(members, embedded, speaker))
    out.sort(key=lambda s: (s.speaker or "", s.quotes[0], s.id))
    return tuple(out)


@stage("statements", scope="corpus", requires={"quotes"}, assigns={"statements"}, order=30)
def statements(corpus: Corpus, ctx: Context) -> Corpus:
    """Statements: the same utterance as rendered by two or more articles (see the module docstring)."""
    return replace(corpus, statements=build_statements(corpus, ctx.embedder.encode))
