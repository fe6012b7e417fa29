"""Direct and indirect quotes with their speakers.

Direct quotes are found from the quotation marks themselves (a character scan per paragraph), not
from the parser, because the parser does not know where a quotation starts or ends. Speakers come
from the dependency parse: a reporting verb (``lexicons/reporting_verbs.txt``) governs the quote or
sits beside it, and its subject names the speaker. When a paragraph holds only a quotation, the
attribution is looked for on the line before ("X said:") or inherited from the quote paragraph it
continues, which is how every paragraph of a multi-paragraph quotation gets its speaker. A headline
speaker named by a role or a kind of body alone ("Councillor:", "engineers say", "museum says") is
the one person holding that role, or the one body of that kind, that the article names.

Indirect speech ("X said that ...", "X accused Y of ...", "according to X, ...") becomes a quote
with ``direct=False`` whose span is the reported clause.

Quote spans exclude the quotation marks and a trailing comma inside them (the comma belongs to
the attribution, "...," she said), but keep sentence-final punctuation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from storyweave.lexicons import lexicon_lines
from storyweave.model import ArticleAnalysis, Mention, Quote, Span, stable_id
from storyweave.names import (
    ORG_DESIGNATORS,
    RoleDescriptor,
    bare_role,
    fold,
    gender_of,
    headline_role_fits,
    role_descriptor,
    surname_gender,
)
from storyweave.pipeline import Context, stage

# --------------------------------------------------------------------------- lexicons


@dataclass(frozen=True, slots=True)
class ReportingLexicon:
    """Reporting verb lemmas with their tags, and attributing prepositions."""

    verbs: frozenset[str]
    negating: frozenset[str]
    object_reports: frozenset[str]
    accusing: frozenset[str]
    citing: frozenset[str]
    prepositions: tuple[tuple[str, str], ...]  # (head word, particle or "")


def _lexicon_lines(name: str) -> list[list[str]]:
    return [line.split() for line in lexicon_lines(name)]


@lru_cache(maxsize=1)
def reporting_lexicon() -> ReportingLexicon:
    rows = _lexicon_lines("reporting_verbs.txt")
    prep_rows = _lexicon_lines("attribution_prepositions.txt")
    preps = tuple((r[0].casefold(), r[1].casefold() if len(r) > 1 else "") for r in prep_rows)
    return ReportingLexicon(
        verbs=frozenset(r[0] for r in rows),
        negating=frozenset(r[0] for r in rows if "neg" in r[1:]),
        object_reports=frozenset(r[0] for r in rows if "obj" in r[1:]),
        accusing=frozenset(r[0] for r in rows if "of" in r[1:] or "for" in r[1:]),
        citing=frozenset(r[0] for r in rows if "cite" in r[1:]),
        prepositions=preps,
    )


# --------------------------------------------------------------------------- quotation marks

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[^\W_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘’])['’](?=$|[\s.,;:!?)\]—–-])")
#: A single-quoted stretch longer than this is more likely two apostrophes than a quotation.
_MAX_SINGLE_QUOTE_CHARS = 240
#: Words that may end a fragment's sentence-internal context: a fragment right after one of these is
#: still introduced like a full quotation ("she said: '...'").
_INTRODUCING_PUNCT = ":,"
_PRONOUN_PERSON = frozenset({"he", "she", "i", "him", "her"})
_PERSONAL_PRONOUNS = _PRONOUN_PERSON | {"they", "we", "it"}
#: Mention kinds that do not name their referent themselves: they borrow the name of their chain.
_BORROWING_KINDS = frozenset({"pronoun", "role"})
_WH_WORDS = frozenset({"what", "who", "whom", "whose", "which", "why", "how", "when", "where"})
_DEMONSTRATIVES = frozenset({"that", "this", "these", "those"})
#: Reporting verbs whose bare noun object is a fact vouched for, not words reported ("confirmed the
#: appeal", "confirmed the breach"): only their that-clause is a quotation. (Claims still read the
#: object as what was confirmed.)
_FACT_OBJECT_VERBS = frozenset({"confirm"})
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
_NEGATORS = frozenset({"not", "n't", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without"})
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_NAME_DEPS = frozenset({"compound", "amod", "poss", "nmod", "nummod", "flat", "case"})


@dataclass(frozen=True, slots=True)
class Marked:
    """A stretch of text between quotation marks: ``[start, end)`` excludes the marks."""

    start: int
    end: int
    outer_start: int  # the opening mark
    outer_end: int  # one past the closing mark (or the paragraph end when unclosed)
    paragraph: int
    closed: bool


def find_marked(text: str, para_start: int, para_end: int, paragraph: int) -> list[Marked]:
    """Double-quoted stretches of one paragraph, then single-quoted ones outside them.

    A straight double quote toggles; an opening mark with no closing mark before the paragraph
    ends is the multi-paragraph convention (each paragraph reopens, only the last one closes).
    """
    found: list[Marked] = []
    open_at: int | None = None
    for i in range(para_start, para_end):
        ch = text[i]
        if ch in _OPEN_DOUBLE and open_at is None:
            open_at = i
        elif ch in _CLOSE_DOUBLE and open_at is not None:
            found.append(_marked(text, open_at, i, paragraph, closed=True))
            open_at = None
        elif ch == '"':
            if open_at is None:
                open_at = i
            else:
                found.append(_marked(text, open_at, i, paragraph, closed=True))
                open_at = None
    if open_at is not None:
        found.append(_marked(text, open_at, para_end, paragraph, closed=False))
    found = [m for m in found if m.end > m.start]
    found.extend(_single_quoted(text, para_start, para_end, paragraph, found))
    return sorted(found, key=lambda m: m.start)


def _marked(text: str, open_at: int, close_at: int, paragraph: int, *, closed: bool) -> Marked:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return Marked(start, end, open_at, close_at + 1 if closed else close_at, paragraph, closed)


def _single_quoted(text: str, para_start: int, para_end: int, paragraph: int, doubles: list[Marked]) -> list[Marked]:
    """Top-level single-quoted stretches (headline style), told apart from apostrophes by context."""
    chunk = text[para_start:para_end]
    closes = [para_start + m.start() for m in _SINGLE_CLOSE.finditer(chunk)]
    out: list[Marked] = []
    last_end = -1
    for m in _SINGLE_OPEN.finditer(chunk):
        open_at = para_start + m.start()
        if open_at < last_end or any(d.outer_start <= open_at < d.outer_end for d in doubles):
            continue
        k = bisect.bisect_right(closes, open_at)
        if k == len(closes) or closes[k] - open_at > _MAX_SINGLE_QUOTE_CHARS:
            continue
        close_at = closes[k]
        if any(d.outer_start <= close_at < d.outer_end for d in doubles):
            continue
        out.append(_marked(text, open_at, close_at, paragraph, closed=True))
        last_end = close_at + 1
    return [m for m in out if m.end > m.start]


# --------------------------------------------------------------------------- the parse


class ArticleParse:
    """What quote attribution needs from one article's parse, computed once per article."""

    def __init__(self, analysis: ArticleAnalysis, marked: list[Marked]) -> None:
        self.analysis = analysis
        self.doc = analysis.doc
        self.lex = reporting_lexicon()
        self.text = analysis.article.text
        self.marked = marked
        self._mark_starts = [m.outer_start for m in marked]
        self.token_starts = [t.idx for t in self.doc]
        self.reporting = [t for t in self.doc if self.is_reporting(t)]
        self._reporting_starts = [t.idx for t in self.reporting]
        self.mentions = sorted(analysis.mentions, key=lambda m: (m.span.start, m.span.end))
        self._mention_starts = [m.span.start for m in self.mentions]
        self._longest_mention = max((m.span.end - m.span.start for m in self.mentions), default=0)
        self.chain_of_last_word: dict[str, int] = {}
        for m in self.mentions:
            words = (m.name or m.span.text).casefold().split()
            if m.chain >= 0 and m.kind not in _BORROWING_KINDS and words:
                self.chain_of_last_word.setdefault(words[-1], m.chain)
        self._para_starts = [p.start for p in analysis.paragraphs]
        self.full_marked: list[Marked] = []  # the quotations that are not fragments, once known
        self._holders: dict[int, list[RoleDescriptor]] | None = None

    def person_chains(self) -> dict[int, str]:
        """Chains that name a person (not by a role word alone), with the name they first give."""
        out: dict[int, str] = {}
        for m in self.mentions:
            if m.chain >= 0 and m.label == "PERSON" and m.kind == "name" and m.name and not bare_role(m.name):
                out.setdefault(m.chain, m.name)
        return out

    def role_holders(self) -> dict[int, list[RoleDescriptor]]:
        """The roles each named person of the article holds ("Councillor Jane Roe", "X, chief engineer")."""
        if self._holders is None:
            named = self.person_chains()
            self._holders = {}
            for m in self.mentions:
                d = role_descriptor(m.role) if m.role and m.chain in named else None
                if d is not None:
                    self._holders.setdefault(m.chain, []).append(d)
        return self._holders

    def headline(self, idx: int) -> bool:
        """``idx`` lies in the first paragraph and that paragraph reads as a headline: the article's
        title, or one short line that does not end in a full stop."""
        paras = self.analysis.paragraphs
        if not paras or not paras[0].start <= idx < paras[0].end:
            return False
        line = paras[0].text.strip()
        title = self.analysis.article.title
        if title and line == title.strip():
            return True
        return "\n" not in line and len(line.split()) <= 20 and not line.rstrip("'\"’”»").endswith(".")

    def paragraph_at(self, idx: int) -> Span:
        paras = self.analysis.paragraphs
        if not paras:
            return self.analysis.span(0, len(self.text))
        k = max(0, bisect.bisect_right(self._para_starts, idx) - 1)
        return paras[k]

    def reporting_in(self, start: int, end: int) -> list[Any]:
        """Reporting verbs starting inside ``[start, end)``, in text order."""
        lo = bisect.bisect_left(self._reporting_starts, start)
        hi = bisect.bisect_left(self._reporting_starts, end)
        return self.reporting[lo:hi]

    def is_reporting(self, token: Any) -> bool:
        return token.pos_ in ("VERB", "AUX") and token.lemma_.casefold() in self.lex.verbs and not self.quoted(token)

    def quoted(self, token: Any) -> bool:
        """True when the token lies between quotation marks (its words are the speaker's, not the writer's)."""
        k = bisect.bisect_right(self._mark_starts, token.idx) - 1
        return k >= 0 and self.marked[k].outer_start <= token.idx < self.marked[k].outer_end

    def tokens(self, start: int, end: int) -> list[Any]:
        lo = bisect.bisect_left(self.token_starts, start)
        hi = bisect.bisect_left(self.token_starts, end)
        return [self.doc[i] for i in range(lo, hi)]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping ``[start, end)`` (only those that can reach it are looked at)."""
        lo = bisect.bisect_left(self._mention_starts, start - self._longest_mention)
        hi = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.span.end > start]


# --------------------------------------------------------------------------- speakers


@dataclass(frozen=True, slots=True)
class Speaker:
    span: Span | None
    chain: int | None
    name: str | None


_NO_SPEAKER = Speaker(None, None, None)


def subject_of(verb: Any, parse: ArticleParse) -> Any | None:
    """The speaker token of a reporting verb, never outside the verb's paragraph.

    The parser sometimes runs a headline into the first sentence and hangs the real subject on a
    word of the line above; then the noun right before the clause head (past auxiliaries and
    adverbs) stands in for the subject.
    """
    found, head = _subject_of(verb, parse)
    para = parse.paragraph_at(verb.idx)
    if found is not None and para.start <= found.idx < para.end:
        return found
    return _left_subject(head, para)


def _left_subject(head: Any, para: Span) -> Any | None:
    i = head.i - 1
    while i >= 0 and head.doc[i].idx >= para.start and head.doc[i].dep_ in ("aux", "auxpass", "neg", "advmod"):
        i -= 1
    if i < 0 or head.doc[i].idx < para.start:
        return None
    tok = head.doc[i]
    return tok if tok.pos_ in ("PROPN", "NOUN", "PRON") and any(c.isalpha() for c in tok.text) else None


def _subject_of(verb: Any, parse: ArticleParse) -> tuple[Any | None, Any]:
    """The subject found by climbing from ``verb``, and the clause head where the climb stopped."""
    node = verb
    for step in range(4):
        lemma = node.lemma_.casefold()
        if step and node.dep_ == "ccomp" and parse.is_reporting(node.head):
            node = node.head  # "X denied that Y had ..., saying '...'": the participle is X's, not Y's
            continue
        if lemma in parse.lex.citing:
            for child in node.children:
                if child.dep_ in ("dobj", "nsubjpass"):
                    return child, node
        for child in node.children:
            if child.dep_ in ("nsubj", "csubj") and any(c.isalpha() for c in child.text):
                if child.lower_ in _RELATIVE_PRONOUNS and node.dep_ == "relcl":
                    return node.head, node
                return child, node
            if child.dep_ == "nsubjpass" and lemma not in parse.lex.verbs:
                return child, node
        if node.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "prep", "pobj", "relcl") and node.head is not node:
            if node.dep_ == "relcl":
                return node.head, node
            node = node.head
            continue
        return None, node
    return None, node


def source_of_preposition(token: Any, parse: ArticleParse) -> Any | None:
    """The source named by "according to X" or "per X" when ``token`` heads such a phrase."""
    word = token.lower_
    for head, particle in parse.lex.prepositions:
        if word != head:
            continue
        holder = token
        if particle:
            holder = next((c for c in token.children if c.lower_ == particle), None)
            if holder is None:
                continue
        obj = next((c for c in holder.children if c.dep_ == "pobj"), None)
        if obj is not None:
            return obj
    return None


def name_extent(head: Any) -> tuple[int, int]:
    """Character extent of the name/role words of a subject: left modifiers and the head, no clauses."""
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return name_extent(child)
    left = head
    for child in head.lefts:
        if child.dep_ in _NAME_DEPS:
            left = child.left_edge if child.left_edge.i < left.i else left
            break
    right = head
    for child in head.rights:
        if child.dep_ in ("compound", "flat") and child.i == right.i + 1:
            right = child
    while left.i < head.i and (left.is_punct or left.dep_ == "det"):
        left = left.doc[left.i + 1]
    return left.idx, right.idx + len(right.text)


def resolve_speaker(subject: Any, parse: ArticleParse) -> Speaker:
    """The speaker span, its mention chain and a name for the subject token of a reporting verb."""
    speaker = _resolve_speaker(subject, parse)
    if speaker.span is not None and parse.headline(speaker.span.start):
        return _headline_holder(speaker, parse)
    return speaker


def _headline_holder(speaker: Speaker, parse: ArticleParse) -> Speaker:
    """A headline speaker named by a role or kind of body alone ("Councillor:", "engineers say",
    "museum says") is the one person in the article holding that role, or the one organisation of
    that kind; with none or several it stays an unnamed speaker.

    Headlines name people by office to save words, and the body then names them in full; in the
    body, "engineers said" is a group and is left alone.
    """
    span = speaker.span
    assert span is not None
    named = parse.person_chains()
    if speaker.chain is not None and speaker.chain in named:
        return speaker
    inside = parse.mentions_in(span.start, span.end)
    if any(m.kind in ("name", "acronym") and m.name and not bare_role(m.name) for m in inside):
        return speaker  # a name of its own ("Halden Works says")
    words = [w for w in fold(span.text).split() if w != "the"]
    if len(words) == 1 and (words[0] in ORG_DESIGNATORS or words[0].removesuffix("s") in ORG_DESIGNATORS):
        kind = words[0] if words[0] in ORG_DESIGNATORS else words[0].removesuffix("s")
        bodies = {
            m.chain: m.name
            for m in parse.mentions
            if m.chain >= 0
            and m.kind == "name"
            and m.label != "PERSON"
            and kind in (n := fold(m.name).split())
            and len(n) > 1
        }
        if len(bodies) == 1:
            chain, name = bodies.popitem()
            return Speaker(span, chain, name)
        return speaker
    d = role_descriptor(span.text)
    if d is None:
        return speaker
    fits = {chain for chain, roles in parse.role_holders().items() if any(headline_role_fits(d, r) for r in roles)}
    if len(fits) == 1:
        chain = fits.pop()
        return Speaker(span, chain, named[chain])
    return speaker


def _resolve_speaker(subject: Any, parse: ArticleParse) -> Speaker:
    analysis = parse.analysis
    start, end = name_extent(subject)
    para = parse.paragraph_at(subject.idx)
    start = max(start, para.start)
    while start < end and not parse.text[start].isalnum():
        start += 1
    span = analysis.span(start, end)
    pronoun = subject.pos_ == "PRON"
    candidates = parse.mentions_in(start, end)
    overlapping = [m for m in candidates if m.span.start <= subject.idx < m.span.end] or candidates
    if overlapping:
        best = min(overlapping, key=lambda m: (_kind_rank(m.kind), -(m.span.end - m.span.start)))
        chain = best.chain if best.chain >= 0 else None
        return Speaker(span, chain, _chain_name(best, parse))
    if pronoun and subject.lower_ in _PERSONAL_PRONOUNS:
        labels = ("PERSON",) if subject.lower_ in _PRONOUN_PERSON else ("ORG", "GPE", "NORP", "PERSON")
        chain, name = _antecedent(start, labels, parse)
        return Speaker(span, chain, name)
    name = _entity_name(start, end, subject.idx, parse)
    if name is None and subject.pos_ == "PROPN":
        name = span.text
    chain = _chain_by_name(name, parse) if name else None
    return Speaker(span, chain, name)


def _kind_rank(kind: str) -> int:
    return {"name": 0, "acronym": 1, "role": 3, "pronoun": 4}.get(kind, 2)


def _chain_name(mention: Mention, parse: ArticleParse) -> str | None:
    """The proper name of a mention's chain (a pronoun or role mention borrows it from the chain)."""
    if mention.kind not in _BORROWING_KINDS:
        return mention.name or mention.span.text
    if mention.chain < 0:
        return None
    named = [m for m in parse.mentions if m.chain == mention.chain and m.kind not in _BORROWING_KINDS]
    if not named:
        return None
    before = [m for m in named if m.span.start <= mention.span.start]
    pick = before[-1] if before else named[0]
    return pick.name or pick.span.text


def _antecedent(before: int, labels: tuple[str, ...], parse: ArticleParse) -> tuple[int | None, str | None]:
    """The nearest preceding named entity of the wanted labels (gender-agnostic, nearest wins)."""
    k = bisect.bisect_left(parse._mention_starts, before)
    for m in reversed(parse.mentions[:k]):
        if m.label in labels and m.kind not in _BORROWING_KINDS and m.span.end <= before:
            return (m.chain if m.chain >= 0 else None), (m.name or m.span.text)
    for ent in reversed([e for e in parse.doc.ents if e.end_char <= before]):
        if ent.label_ in labels:
            text = ent.text.strip()
            return _chain_by_name(text, parse), text
    for m in reversed(parse.mentions[:k]):  # a name the recogniser could not type is better than none
        if m.label == "OTHER" and m.kind not in _BORROWING_KINDS and m.span.end <= before:
            return (m.chain if m.chain >= 0 else None), (m.name or m.span.text)
    return None, None


def _entity_name(start: int, end: int, head_idx: int, parse: ArticleParse) -> str | None:
    """The named entity of a speaker span: the one holding the head word, else a PERSON, else any."""
    found = [e for e in parse.doc.ents if e.start_char < end and start < e.end_char and e.label_ in _SPEAKER_LABELS]
    if not found:
        return None
    holding = [e for e in found if e.start_char <= head_idx < e.end_char]
    if holding:
        return holding[0].text
    people = [e for e in found if e.label_ == "PERSON"]  # "the ministry's negotiator Lena Ostrova"
    return people[0].text if people else None


def _chain_by_name(name: str | None, parse: ArticleParse) -> int | None:
    """The chain of a name mention elsewhere in the article with the same last word, if any."""
    words = name.casefold().split() if name else []
    return parse.chain_of_last_word.get(words[-1]) if words else None


# --------------------------------------------------------------------------- direct quotes


def _cue_by_dependency(q: Marked, parse: ArticleParse) -> Any | None:
    """A reporting verb that governs the quoted words (within three steps up the tree)."""
    inside = parse.tokens(q.start, q.end)
    seen: set[int] = set()
    for tok in inside:
        node = tok
        steps = 0
        while parse.quoted(node) and node.head is not node and steps < 8:
            node = node.head
            steps += 1
        if parse.quoted(node) or node.i in seen:
            continue
        for _ in range(3):
            seen.add(node.i)
            if parse.is_reporting(node):
                return node
            if node.head is node:
                break
            node = node.head
    return None


def _nearest_reporting(q: Marked, start: int, end: int, parse: ArticleParse) -> Any | None:
    """The reporting verb nearest the quote within ``[start, end)``, outside any quotation."""
    best, best_dist = None, None
    for verb in parse.reporting_in(start, end):
        dist = q.start - verb.idx if verb.idx < q.start else verb.idx - q.end
        if subject_of(verb, parse) is None:
            dist += 1000
        if best_dist is None or dist < best_dist:
            best, best_dist = verb, dist
    return best


def _preposition_source(start: int, end: int, parse: ArticleParse) -> Any | None:
    for tok in parse.tokens(start, end):
        if not parse.quoted(tok):
            src = source_of_preposition(tok, parse)
            if src is not None:
                return src
    return None


def _sentence_bounds(q: Marked, parse: ArticleParse) -> tuple[int, int]:
    para = parse.analysis.paragraphs[q.paragraph]
    start, end = q.outer_start, q.outer_end
    for tok in (parse.tokens(q.outer_start, q.outer_start + 1) or [None])[:1]:
        if tok is not None:
            start = min(start, tok.sent.start_char)
    last = parse.tokens(max(q.outer_end - 1, q.outer_start), q.outer_end)
    if last:
        end = max(end, last[-1].sent.end_char)
    return max(start, para.start), min(end, para.end)


def is_partial(q: Marked, parse: ArticleParse) -> bool:
    """A fragment or scare quote: no clause of its own and embedded in the writer's sentence."""
    inside = parse.tokens(q.start, q.end)
    has_clause = any(t.dep_ in ("nsubj", "nsubjpass", "expl") and q.start <= t.head.idx < q.end for t in inside) or any(
        t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in inside
    )
    if has_clause or len([t for t in inside if not t.is_punct]) >= 12:
        return False
    para = parse.analysis.paragraphs[q.paragraph]
    before = parse.text[para.start : q.outer_start].rstrip()
    after = parse.text[q.outer_end : para.end].lstrip()
    if (not before or before[-1] in ".!?") and (not after or after[0] in ",.!?" or after[0].isupper()):
        return False  # a sentence of its own, or a quotation then its attribution
    return not before or before[-1] not in _INTRODUCING_PUNCT or bool(after and after[0].isalnum())


def attribute_direct(q: Marked, parse: ArticleParse, partial: bool) -> tuple[Speaker, str | None]:
    """The speaker of one quotation and the cue that names it (see the module docstring for the order)."""
    cue = _cue_by_dependency(q, parse)
    if cue is None:
        s_start, s_end = _sentence_bounds(q, parse)
        cue = _nearest_reporting(q, s_start, s_end, parse)
        if cue is None and not partial:
            para = parse.analysis.paragraphs[q.paragraph]
            cue = _nearest_reporting(q, para.start, para.end, parse)
        if cue is None:
            src = _preposition_source(s_start, s_end, parse)
            if src is not None:
                heads = {h for h, _ in parse.lex.prepositions}
                cue_word = next((a.text for a in src.ancestors if a.lower_ in heads), None)
                return resolve_speaker(src, parse), cue_word
    if cue is not None:
        subject = subject_of(cue, parse)
        if subject is not None and not parse.quoted(subject):
            return resolve_speaker(subject, parse), cue.text
        return _NO_SPEAKER, cue.text
    return _NO_SPEAKER, None


def _intro_line_cue(q: Marked, parse: ArticleParse) -> Any | None:
    """ "X told the press conference:" closing the previous paragraph introduces this quotation."""
    paras = parse.analysis.paragraphs
    if q.paragraph == 0:
        return None
    para = paras[q.paragraph]
    if parse.text[para.start : q.outer_start].strip():
        return None
    prev = paras[q.paragraph - 1]
    if not prev.text.rstrip().endswith((":", ",")):
        return None
    verbs = parse.reporting_in(prev.start, prev.end)
    return verbs[-1] if verbs else None


def _colon_label(q: Marked, parse: ArticleParse) -> Any | None:
    """Headline and caption style, "Name, 71, lives on Mill Lane: '...'" (in a headline also with words
    between the colon and the quotation, "Skylark boss: strike 'will cost us millions'"): the words
    before the colon name the speaker (their subject, else the first proper noun, else the main noun)."""
    para = parse.analysis.paragraphs[q.paragraph]
    before = parse.text[para.start : q.outer_start]
    end = q.outer_start
    if not before.rstrip().endswith(":"):
        if ":" not in before or not parse.headline(q.outer_start):
            return None
        end = para.start + before.index(":")  # "Skylark boss: strike 'will cost us millions'"
        label_text = parse.text[para.start : end]
        if not any(t.pos_ == "PROPN" for t in parse.tokens(para.start, end)) and role_descriptor(label_text) is None:
            return None  # a section label ("Analysis: ..."), not a speaker
    label = [t for t in parse.tokens(para.start, end) if not parse.quoted(t) and t.is_alpha]
    for test in (
        lambda t: t.dep_ in ("nsubj", "nsubjpass"),
        lambda t: t.pos_ == "PROPN",
        lambda t: t.pos_ == "NOUN",
    ):
        found = next((t for t in label if test(t)), None)
        if found is not None:
            while found.dep_ in ("compound", "amod") and found.head in label and found.head.i > found.i:
                found = found.head  # "Skylark boss": the phrase's head, its modifiers come along
            return found
    return None


def direct_quotes(parse: ArticleParse) -> list[Quote]:
    analysis = parse.analysis
    out: list[Quote] = []
    found: list[Marked] = []
    last_by_paragraph: dict[int, Quote] = {}
    for q in parse.marked:
        if analysis.skipped(q.outer_start, q.outer_end):
            continue
        partial = is_partial(q, parse)
        if not partial:
            parse.full_marked.append(q)
        speaker, cue = attribute_direct(q, parse, partial)
        if speaker.span is None and not partial:
            labelled = _colon_label(q, parse)
            if labelled is not None:
                speaker, cue = resolve_speaker(labelled, parse), None
        para = analysis.paragraphs[q.paragraph]
        starts_paragraph = not parse.text[para.start : q.outer_start].strip()
        if speaker.span is None and starts_paragraph and not partial:
            intro = _intro_line_cue(q, parse)
            subject = subject_of(intro, parse) if intro is not None else None
            if subject is not None:
                speaker, cue = resolve_speaker(subject, parse), intro.text
            elif q.paragraph - 1 in last_by_paragraph:
                prev = last_by_paragraph[q.paragraph - 1]
                speaker = Speaker(prev.speaker_span, prev.speaker_chain, prev.speaker_name)
                cue = prev.cue
        quote = Quote(
            id=stable_id("q", analysis.id, q.start, q.end, "direct"),
            span=analysis.span(q.start, q.end),
            direct=True,
            speaker_span=speaker.span,
            speaker_chain=speaker.chain,
            cue=cue,
            partial=partial,
            sentence=_sentence_index(analysis, q.start),
            speaker_name=speaker.name,
            lemmas=_content_lemmas(parse.tokens(q.start, q.end)),
            negated=_negated(parse.tokens(q.start, q.end)),
        )
        out.append(quote)
        found.append(q)
        if speaker.span is not None and not partial:
            last_by_paragraph[q.paragraph] = quote
    return _inherit_backwards(out, found)


def _inherit_backwards(out: list[Quote], found: list[Marked]) -> list[Quote]:
    """A multi-paragraph quotation attributed only at its end: each unclosed paragraph takes the
    speaker of the quotation that opens the next paragraph."""
    for k in range(len(out) - 2, -1, -1):
        q, nxt = found[k], found[k + 1]
        if out[k].speaker_span is not None or out[k].partial or q.closed or nxt.paragraph != q.paragraph + 1:
            continue
        follower = out[k + 1]
        if follower.speaker_span is not None and not follower.partial:
            out[k] = replace(
                out[k],
                speaker_span=follower.speaker_span,
                speaker_chain=follower.speaker_chain,
                speaker_name=follower.speaker_name,
                cue=follower.cue,
            )
    return out


# --------------------------------------------------------------------------- indirect speech


def _clause_extent(tokens: list[Any], parse: ArticleParse, anchor: int) -> tuple[int, int] | None:
    """First to last word of ``tokens`` inside the anchor's paragraph (the parser may run across)."""
    para = parse.paragraph_at(anchor)
    words = [t for t in tokens if not t.is_punct and not t.is_space and para.start <= t.idx < para.end]
    while words and words[0].dep_ == "mark":
        words = words[1:]
    while words and words[-1].dep_ in ("cc", "mark"):
        words = words[:-1]
    if not words:
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _without_quotation_frames(clause: Any, parse: ArticleParse) -> list[Any]:
    """The clause's words minus a dependent that carries a full quotation ("..., saying '...'"):
    the parser may hang the speaker's participle on the reported clause."""
    opens = [m.outer_start for m in parse.full_marked]
    drop: set[int] = set()
    for child in clause.children:
        sub = list(child.subtree)
        if child.dep_ != "punct" and any(sub[0].idx <= o <= sub[-1].idx for o in opens):
            drop.update(t.i for t in sub)
    return [t for t in clause.subtree if t.i not in drop]


def _reported_clause(verb: Any, parse: ArticleParse) -> tuple[int, int, bool] | None:
    """The words a reporting verb reports: ccomp, "of"-complement, or a substantial object."""
    lemma = verb.lemma_.casefold()
    lex = parse.lex
    children = list(verb.children)
    for child in children:
        if child.dep_ == "ccomp":
            nested = child.lemma_.casefold() in lex.verbs and any(c.dep_ == "nsubj" for c in child.children)
            if nested and child.i < verb.i:
                return None  # "X said Y, an outlet reported": the outer report only names the channel
            if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in child.children) or (
                child.left_edge.lower_ in _WH_WORDS and child.left_edge.i > verb.i
            ):
                return None  # an indirect question ("did not say whether/what ..."), not a statement
            extent = _clause_extent(_without_quotation_frames(child, parse), parse, verb.idx)
            if extent:
                return (*extent, lemma in lex.negating)
    if lemma in lex.accusing:
        obj = next((c for c in children if c.dep_ == "dobj"), None)
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
        if prep is not None:
            comp = next((c for c in prep.children if c.dep_ in ("pcomp", "pobj")), None)
            if comp is not None:
                first = obj.left_edge if obj is not None else comp.left_edge
                extent = _clause_extent(list(verb.doc[first.i : comp.right_edge.i + 1]), parse, verb.idx)
                if extent:
                    return (*extent, False)
    if lemma in lex.object_reports and lemma not in _FACT_OBJECT_VERBS:
        obj = next((c for c in children if c.dep_ == "dobj"), None)
        demonstrative = any(c.dep_ == "det" and c.lower_ in _DEMONSTRATIVES for c in obj.children) if obj else True
        if obj is not None and obj.pos_ != "PRON" and not demonstrative:
            sub = list(obj.subtree)
            if len([t for t in sub if not t.is_punct]) >= 2:
                extent = _clause_extent(sub, parse, verb.idx)
                if extent:
                    return (*extent, lemma in lex.negating)
    return None


def _covered(start: int, end: int, marked: list[Marked]) -> float:
    covered = sum(max(0, min(end, m.outer_end) - max(start, m.outer_start)) for m in marked)
    return covered / max(1, end - start)


def indirect_quotes(parse: ArticleParse) -> list[Quote]:
    analysis = parse.analysis
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for verb in parse.reporting:
        if analysis.skipped(verb.idx, verb.idx + len(verb.text)):
            continue
        clause = _reported_clause(verb, parse)
        if clause is None:
            continue
        start, end, verb_negates = clause
        if (start, end) in seen or _covered(start, end, parse.full_marked) >= 0.5:
            continue  # the clause is a quotation already found
        if any(start <= m.outer_start < end for m in parse.full_marked):
            continue  # a clause that holds a full quotation is that quotation's frame, not a paraphrase
        subject = subject_of(verb, parse)
        if subject is None or parse.quoted(subject) or start <= subject.idx < end:
            continue
        seen.add((start, end))
        tokens = parse.tokens(start, end)
        negated = verb_negates or any(c.dep_ == "neg" for c in verb.children)
        out.append(_indirect(parse, start, end, resolve_speaker(subject, parse), verb.text, tokens, negated))
    out.extend(_according_to(parse, seen))
    return out


def _according_to(parse: ArticleParse, seen: set[tuple[int, int]]) -> list[Quote]:
    """ "According to X, <clause>" and "<clause>, per X": the clause is X's, reported indirectly."""
    out: list[Quote] = []
    for tok in parse.doc:
        if tok.lower_ not in {h for h, _ in parse.lex.prepositions} or parse.quoted(tok):
            continue
        source = source_of_preposition(tok, parse)
        if source is None or parse.analysis.skipped(tok.idx, tok.idx + 1):
            continue
        head = tok.head
        if head is tok or head.pos_ not in ("VERB", "AUX") or parse.is_reporting(head):
            continue
        phrase = {t.i for t in tok.subtree}
        rest = [t for t in head.subtree if t.i not in phrase]
        extent = _clause_extent(rest, parse, tok.idx)
        if extent is None or extent in seen or _covered(*extent, parse.full_marked) >= 0.5:
            continue
        seen.add(extent)
        start, end = extent
        out.append(
            _indirect(parse, start, end, resolve_speaker(source, parse), tok.text, parse.tokens(start, end), None)
        )
    return out


def _indirect(
    parse: ArticleParse, start: int, end: int, speaker: Speaker, cue: str, tokens: list[Any], negated: bool | None
) -> Quote:
    analysis = parse.analysis
    return Quote(
        id=stable_id("q", analysis.id, start, end, "indirect"),
        span=analysis.span(start, end),
        direct=False,
        speaker_span=speaker.span,
        speaker_chain=speaker.chain,
        cue=cue,
        sentence=_sentence_index(analysis, start),
        speaker_name=speaker.name,
        lemmas=_content_lemmas(tokens),
        negated=bool(negated) or _negated(tokens),
    )


# --------------------------------------------------------------------------- the welder, the nurse


def described_speakers(found: list[Quote], parse: ArticleParse) -> list[Quote]:
    """A speaker called "the welder" in the body is the one person the article introduced as a
    welder before ("Pavel Orlov, a 34-year-old welder, ...", "night nurse Olga Smirnova", "his
    welder, Pavel Orlov,"); with
    none or several such people the speaker stays unnamed."""
    out = list(found)
    described: list[tuple[int, str, Mention]] | None = None
    for i, q in enumerate(found):
        span = q.speaker_span
        if span is None or q.speaker_chain is not None or q.speaker_name or parse.headline(span.start):
            continue
        words = [t for t in parse.tokens(span.start, span.end) if t.is_alpha]
        if len(words) != 1 or words[0].tag_ != "NN" or words[0].i == 0:
            continue
        if parse.doc[words[0].i - 1].lower_ != "the":
            continue
        if described is None:
            described = _descriptions(parse)
        lemma = words[0].lemma_.casefold()
        fits = {m.chain: m for start, noun, m in described if noun == lemma and start < span.start}
        if len(fits) == 1:
            m = next(iter(fits.values()))
            out[i] = replace(q, speaker_chain=m.chain, speaker_name=m.name or m.span.text)
    return out


def _descriptions(parse: ArticleParse) -> list[tuple[int, str, Mention]]:
    """(where, noun lemma, name mention) for each person named with a describing noun beside the
    name: an apposition ("X, a welder", "his welder, X,") or a noun before it ("welder X")."""
    out: list[tuple[int, str, Mention]] = []
    for m in parse.mentions:
        if m.label != "PERSON" or m.kind != "name" or m.chain < 0 or _inside_quotation(m.span.start, parse):
            continue
        tokens = parse.tokens(m.span.start, m.span.end)
        heads = [t for t in tokens if not m.span.start <= t.head.idx < m.span.end or t.head is t]
        if len(heads) != 1:
            continue
        for child in heads[0].children:
            before_name = child.dep_ == "compound" and child.idx < m.span.start
            if child.pos_ == "NOUN" and (child.dep_ == "appos" or before_name):
                out.append((m.span.start, child.lemma_.casefold(), m))
        # "His lawyer, X," / "The company's spokesman, X,": the name is in apposition to the noun.
        head = heads[0].head
        if heads[0].dep_ == "appos" and head.pos_ == "NOUN" and head.idx < m.span.start:
            out.append((m.span.start, head.lemma_.casefold(), m))
    return out


# --------------------------------------------------------------------------- he and she

_HE_SHE = {"he": "m", "she": "f"}
#: How many paragraphs back a subject may stand and still be what "he" or "she" points to.
_SUBJECT_PARAGRAPHS = 3
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: "Name, who ..." or "Name, a lorry driver who ...": a relative "who" marks a person.
_WHO_AFTER = re.compile(r"\s*,\s*(?:(?:an?|the|[\w'’-]+['’]s)\s+(?:[\w'’-]+\s+){0,4})?(?:who|whose)\b")


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A named mention that "he" or "she" may point back to."""

    mention: Mention
    name: str
    gender: str | None
    subject: bool  # the subject of its clause, or "Name, who ..."


def pronoun_speakers(found: list[Quote], parse: ArticleParse) -> list[Quote]:
    """Quotes spoken by "he" or "she", given to a person of that gender, in text order.

    The speaker of the quotation before wins while no other fitting subject has come up since its
    sentence ("X said ... Y had ...; '...,' he said" is X's); otherwise the nearest fitting subject
    of the last few paragraphs, so a name the recogniser could not type ("Tatiana Belova, who
    chairs the union, said") beats a typed person named further back. The words of a quotation are
    never an antecedent.
    """
    groups: dict[tuple[int, int], list[int]] = {}
    for i, q in enumerate(found):
        span = q.speaker_span
        if span is not None and span.text.casefold() in _HE_SHE:
            groups.setdefault((span.start, span.end), []).append(i)
    if not groups:
        return found
    out = list(found)
    genders: dict[int, str | None] = {}
    for start, end in sorted(groups):
        gender = _HE_SHE[parse.text[start:end].casefold()]
        earlier = [
            q
            for q in out
            if q.span.end <= start
            and q.speaker_span is not None
            and q.speaker_span.end <= start
            and q.speaker_name
            and (q.speaker_span.start, q.speaker_span.end) != (start, end)
        ]
        previous = max(earlier, key=lambda q: (q.span.end, q.speaker_span.start if q.speaker_span else 0), default=None)
        picked = _gendered_antecedent(start, gender, previous, parse, genders)
        if picked is None:
            continue
        chain, name = picked
        for i in groups[(start, end)]:
            out[i] = replace(out[i], speaker_chain=chain, speaker_name=name)
    return out


def _gendered_antecedent(
    before: int, gender: str, previous: Quote | None, parse: ArticleParse, genders: dict[int, str | None]
) -> tuple[int | None, str] | None:
    cands = [c for c in _candidates(before, parse, genders) if c.gender in (None, gender)]
    if previous is not None and previous.speaker_span is not None and previous.speaker_name:
        fits = _speaker_gender(previous, parse, genders) in (None, gender) and _speaker_is_person(previous, parse)
        since = max(previous.span.end, previous.speaker_span.end)
        sentence = _sentence_index(parse.analysis, since)
        sentences = parse.analysis.sentences
        boundary = sentences[sentence].span.end if 0 <= sentence < len(sentences) else since
        rival = any(
            c.subject and c.mention.span.start >= boundary and c.mention.chain != previous.speaker_chain for c in cands
        )
        if fits and not rival:
            return previous.speaker_chain, previous.speaker_name
    first_para = bisect.bisect_right(parse._para_starts, before) - 1 - _SUBJECT_PARAGRAPHS
    floor = parse._para_starts[first_para] if first_para >= 0 else 0
    for c in cands:
        if c.subject and c.mention.span.start >= floor:
            return _candidate_chain(c), c.name
    typed = [c for c in cands if c.mention.label == "PERSON"] or cands
    if typed:
        return _candidate_chain(typed[0]), typed[0].name
    return None


def _candidate_chain(c: _Candidate) -> int | None:
    return c.mention.chain if c.mention.chain >= 0 else None


def _candidates(before: int, parse: ArticleParse, genders: dict[int, str | None]) -> list[_Candidate]:
    """Named mentions before ``before`` that can be a person, nearest first; a name split in two
    by the recogniser ("Tatiana" untyped + "Belova" as an organisation) is joined again."""
    k = bisect.bisect_left(parse._mention_starts, before)
    mentions = parse.mentions[:k]
    out: list[_Candidate] = []
    for j in range(len(mentions) - 1, -1, -1):
        m = mentions[j]
        if m.kind in _BORROWING_KINDS or m.span.end > before or _inside_quotation(m.span.start, parse):
            continue
        name = m.name or m.span.text
        left = mentions[j - 1] if j else None
        if (
            left is not None
            and left.kind in ("name", "candidate")
            and left.label != "PERSON"
            and not parse.text[left.span.end : m.span.start].strip()
            and left.span.end < m.span.start
        ):
            name = f"{left.name or left.span.text} {name}"
        subject = _is_subject(m, parse)
        chain_gender = _chain_gender(m, name, parse, genders)
        if m.label != "PERSON" and not _person_like(m, name, chain_gender, subject, parse):
            continue
        out.append(_Candidate(m, name, chain_gender, subject))
    return out


def _inside_quotation(idx: int, parse: ArticleParse) -> bool:
    k = bisect.bisect_right(parse._mark_starts, idx) - 1
    return k >= 0 and parse.marked[k].outer_start <= idx < parse.marked[k].outer_end


def _is_subject(m: Mention, parse: ArticleParse) -> bool:
    if _WHO_AFTER.match(parse.text, m.span.end):
        return True
    for tok in parse.tokens(m.span.start, m.span.end):
        if tok.dep_ in _SUBJECT_DEPS:
            return True
        if tok.dep_ == "appos" and tok.head.dep_ in _SUBJECT_DEPS:
            return True
    return False


def _person_like(m: Mention, name: str, gender: str | None, subject: bool, parse: ArticleParse) -> bool:
    """An untyped or organisation-typed name that reads as a person's: a title, "Name, who ...",
    or two or more words ending in a surname that marks a sex (Belova, Ismailov)."""
    if m.kind not in ("name", "candidate") or m.label not in ("OTHER", "ORG"):
        return False
    if m.title or _WHO_AFTER.match(parse.text, m.span.end):
        return True
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words) and surname_gender(words[-1]) is not None


def _chain_gender(m: Mention, name: str, parse: ArticleParse, genders: dict[int, str | None]) -> str | None:
    """The sex the mention's chain shows by its titles, gendered role words or surname ending."""
    if m.chain < 0:
        return surname_gender(name.split()[-1]) if name.split() else None
    if m.chain not in genders:
        found: set[str] = set()
        for other in parse.mentions:
            if other.chain != m.chain or other.kind == "pronoun":
                continue
            for g in (
                gender_of(f"{other.title or ''} {other.role or ''}"),
                surname_gender((other.name or other.span.text).split()[-1]) if other.kind != "role" else None,
            ):
                if g:
                    found.add(g)
        g = surname_gender(name.split()[-1]) if name.split() else None
        if g:
            found.add(g)
        genders[m.chain] = found.pop() if len(found) == 1 else None
    return genders[m.chain]


def _speaker_is_person(q: Quote, parse: ArticleParse) -> bool:
    """The quote's speaker is a person, not an organisation ("he" never points back to a company)."""
    span = q.speaker_span
    if span is not None and span.text.casefold() in _HE_SHE:
        return True
    if q.speaker_chain is None:
        return False
    chain = [m for m in parse.mentions if m.chain == q.speaker_chain and m.kind != "pronoun"]
    return any(
        m.label == "PERSON" or _person_like(m, q.speaker_name or m.name or m.span.text, None, False, parse)
        for m in chain
    )


def _speaker_gender(q: Quote, parse: ArticleParse, genders: dict[int, str | None]) -> str | None:
    span = q.speaker_span
    if span is not None and span.text.casefold() in _HE_SHE:
        return _HE_SHE[span.text.casefold()]
    words = (q.speaker_name or "").split()
    g = gender_of(span.text) if span is not None else None
    if q.speaker_chain is not None:
        m = next((x for x in parse.mentions if x.chain == q.speaker_chain and x.kind != "pronoun"), None)
        if m is not None:
            return _chain_gender(m, q.speaker_name or "", parse, genders) or g
    return g or (surname_gender(words[-1]) if words else None)


# --------------------------------------------------------------------------- shared helpers


def _content_lemmas(tokens: list[Any]) -> tuple[str, ...]:
    """Lower-case lemmas of content words, for cheap topical agreement in the corpus stage."""
    return tuple(sorted({t.lemma_.casefold() for t in tokens if t.is_alpha and not t.is_stop and len(t.text) > 1}))


def _negated(tokens: list[Any]) -> bool:
    return any(t.dep_ == "neg" or t.lower_ in _NEGATORS for t in tokens)


def _sentence_index(analysis: ArticleAnalysis, start: int) -> int:
    starts = [s.span.start for s in analysis.sentences]
    return max(0, bisect.bisect_right(starts, start) - 1) if starts else -1


@stage("quotes", scope="article", requires={"doc", "paragraphs", "mentions"}, assigns={"quotes"}, order=40)
def quotes(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Direct quotes (from quotation marks) and indirect speech, each with its speaker."""
    if analysis.doc is None:
        return analysis
    text = analysis.article.text
    marked: list[Marked] = []
    for index, para in enumerate(analysis.paragraphs):
        marked.extend(find_marked(text, para.start, para.end, index))
    parse = ArticleParse(analysis, marked)
    found = direct_quotes(parse) + indirect_quotes(parse)
    found.sort(key=lambda q: (q.span.start, q.span.end, not q.direct))
    found = pronoun_speakers(described_speakers(found, parse), parse)
    return replace(analysis, quotes=tuple(found))
