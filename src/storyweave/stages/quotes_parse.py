"""What quote finding reads from one article: reporting verbs, quotation marks and the parse."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from storyweave.lexicons import lexicon_lines
from storyweave.model import ArticleAnalysis, Mention, Span
from storyweave.names import (
    RoleDescriptor,
    bare_role,
    role_descriptor,
)

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
_DOUBLE_APOSTROPHE = "''"
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))['‘](?=[^\W_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘’])['’](?=$|[\s.,;:!?)\]—–-])")
#: A single-quoted stretch longer than this is more likely two apostrophes than a quotation.
_MAX_SINGLE_QUOTE_CHARS = 240
#: Mention kinds that do not name their referent themselves: they borrow the name of their chain.
BORROWING_KINDS = frozenset({"pronoun", "role", "nominal"})
#: Reported content whose characters are at least this share quotation is that quotation (kept as
#: the direct quote); below it the report is one "mixed" quote that absorbs the quotations inside.
#: PolNeAR train (200 articles): exact F1 39.1 at 0.5, 39.5 at 0.8, 39.7 at 0.95, overlap F1 72.5 at all.
MIXED_COVER = 0.95
_NEGATORS = frozenset({"not", "n't", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without"})


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

    A straight double quote toggles, and so does a pair of apostrophes (``''``, the double mark of
    some newspaper archives and typewriter text); a closing mark that opens a paragraph opens a
    quotation (a mistyped mark); an opening mark with no closing mark before the
    paragraph ends is the multi-paragraph convention (each paragraph reopens, only the last one
    closes).
    """
    found: list[Marked] = []
    open_at: int | None = None
    open_width = 1
    i = para_start
    while i < para_end:
        ch = text[i]
        width = 2 if text.startswith(_DOUBLE_APOSTROPHE, i) and i + 1 < para_end else 1
        if width == 2 and open_at is not None and text.startswith("'", i + 2) and i + 2 < para_end:
            width = 1  # ",'''": a single mark closing inside, then the double mark
        straight = ch == '"' or width == 2
        opens_paragraph = ch in _CLOSE_DOUBLE and not text[para_start:i].strip()  # a mistyped opening mark
        if (ch in _OPEN_DOUBLE or straight or opens_paragraph) and open_at is None:
            open_at, open_width = i, width
        elif (ch in _CLOSE_DOUBLE or straight) and open_at is not None:
            found.append(_marked(text, open_at, i, paragraph, closed=True, widths=(open_width, width)))
            open_at = None
        i += width
    if open_at is not None:
        found.append(_marked(text, open_at, para_end, paragraph, closed=False, widths=(open_width, 0)))
    found = [m for m in found if m.end > m.start]
    found.extend(_single_quoted(text, para_start, para_end, paragraph, found))
    return sorted(found, key=lambda m: m.start)


def _marked(
    text: str, open_at: int, close_at: int, paragraph: int, *, closed: bool, widths: tuple[int, int] = (1, 1)
) -> Marked:
    start, end = open_at + widths[0], close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return Marked(start, end, open_at, close_at + widths[1] if closed else close_at, paragraph, closed)


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
        self.mark_starts = [m.outer_start for m in marked]
        self.token_starts = [t.idx for t in self.doc]
        self.reporting = [t for t in self.doc if self.is_reporting(t)]
        self._reporting_starts = [t.idx for t in self.reporting]
        self.mentions = sorted(analysis.mentions, key=lambda m: (m.span.start, m.span.end))
        self.mention_starts = [m.span.start for m in self.mentions]
        self._longest_mention = max((m.span.end - m.span.start for m in self.mentions), default=0)
        self.chain_of_last_word: dict[str, int] = {}
        for m in self.mentions:
            words = (m.name or m.span.text).casefold().split()
            if m.chain >= 0 and m.kind not in BORROWING_KINDS and words:
                self.chain_of_last_word.setdefault(words[-1], m.chain)
        self.para_starts = [p.start for p in analysis.paragraphs]
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
        k = max(0, bisect.bisect_right(self.para_starts, idx) - 1)
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
        k = bisect.bisect_right(self.mark_starts, token.idx) - 1
        return k >= 0 and self.marked[k].outer_start <= token.idx < self.marked[k].outer_end

    def tokens(self, start: int, end: int) -> list[Any]:
        lo = bisect.bisect_left(self.token_starts, start)
        hi = bisect.bisect_left(self.token_starts, end)
        return [self.doc[i] for i in range(lo, hi)]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions overlapping ``[start, end)`` (only those that can reach it are looked at)."""
        lo = bisect.bisect_left(self.mention_starts, start - self._longest_mention)
        hi = bisect.bisect_left(self.mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.span.end > start]


# --------------------------------------------------------------------------- shared helpers


def content_lemmas(tokens: list[Any]) -> tuple[str, ...]:
    """Lower-case lemmas of content words, for cheap topical agreement in the corpus stage."""
    return tuple(sorted({t.lemma_.casefold() for t in tokens if t.is_alpha and not t.is_stop and len(t.text) > 1}))


def negated_words(tokens: list[Any]) -> bool:
    return any(t.dep_ == "neg" or t.lower_ in _NEGATORS for t in tokens)


def sentence_index(analysis: ArticleAnalysis, start: int) -> int:
    starts = [s.span.start for s in analysis.sentences]
    return max(0, bisect.bisect_right(starts, start) - 1) if starts else -1


def inside_quotation(idx: int, parse: ArticleParse) -> bool:
    k = bisect.bisect_right(parse.mark_starts, idx) - 1
    return k >= 0 and parse.marked[k].outer_start <= idx < parse.marked[k].outer_end
