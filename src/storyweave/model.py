"""The typed data model that flows through every stage.

Values only: frozen dataclasses, no I/O, no SQL. Every span is a character range into one
article's full text as read (boilerplate included), so offsets never shift between stages.

Two containers carry the model through the pipeline:

* :class:`ArticleAnalysis` holds one article and what the per-article stages found in it
  (flags, segments, mentions, quotes, claim sentences, quantities, dates). Per-article stages
  are pure functions ``ArticleAnalysis -> ArticleAnalysis``, which is what lets them run as
  independent Dask tasks.
* :class:`Corpus` holds all analyses plus what the cross-article stages found (entities,
  statements, claims with their status, discrepancies, timeline, brief).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal

EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "OTHER"]
FlagKind = Literal["boilerplate", "insertion", "opinion", "duplicate"]
ClaimStatus = Literal["corroborated", "single-source", "contested"]
DiscrepancyKind = Literal["numeric", "date", "wording"]


def stable_id(prefix: str, *parts: object, length: int = 12) -> str:
    """A short deterministic id: the same inputs give the same id on every run and machine."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{prefix}{digest[:length]}"


# --------------------------------------------------------------------------- spans, articles


@dataclass(frozen=True, slots=True)
class Span:
    """A character range ``[start, end)`` of one article's text; ``text`` is that slice."""

    article: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article: Article, start: int, end: int) -> Span:
        """The span of ``article`` from ``start`` to ``end``, its text sliced from the article."""
        if not 0 <= start <= end <= len(article.text):
            raise ValueError(f"span {start}:{end} outside article {article.id} (len {len(article.text)})")
        return cls(article.id, start, end, article.text[start:end])

    @property
    def key(self) -> str:
        """A string that identifies the span: ``article:start-end``."""
        return f"{self.article}:{self.start}-{self.end}"

    def overlaps(self, other: Span) -> bool:
        return self.article == other.article and self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.article == other.article and self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where an article's bytes came from and when: enough to fetch or read them again and to show
    the evidence (the bytes themselves are kept in the store under ``sha256``)."""

    requested: str  # the URL or path as given
    final: str  # the URL after redirects (the path, for a file)
    fetched_at: str | None  # UTC, ISO 8601: when fetched; a file's modification time; None for stdin
    sha256: str  # of the bytes as received (decoded from any transfer encoding)
    size: int
    status: int | None = None  # HTTP status; None for a file
    content_type: str | None = None
    redirects: tuple[str, ...] = ()  # URLs that redirected, in order
    via: str | None = None  # the feed (or archive) the article was found in
    kept: bool = False  # whether the store holds the bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news account, its text kept exactly as read."""

    id: str
    source: str
    text: str
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    outlet: str | None = None
    cites: tuple[str, ...] = ()  # outlets/agencies the text itself credits ("the wire agency reported")
    url: str | None = None
    language: str | None = None
    encoding: str | None = None  # how the bytes were decoded, when read from a file
    meta: tuple[tuple[str, str], ...] = ()  # extra metadata kept from the source (author, sitename…)
    provenance: Provenance | None = None  # how the bytes were got (URL, time, status, hash)


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """A marked span: boilerplate, an inserted editorial passage, opinion or a duplicate."""

    id: str
    span: Span
    kind: FlagKind
    reason: str


# --------------------------------------------------------------------------- segments


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """A sentence with its paragraph index; ``skip`` when it lies inside boilerplate."""

    span: Span
    paragraph: int
    skip: bool = False


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One reference to an entity in one article.

    ``kind`` is ``name`` (a proper name, possibly with a title), ``acronym``, ``candidate`` (a
    proper noun the recogniser left untyped), ``role`` ("the Finnish president"), ``nominal``
    (another description: "the gunman", "police", "the company") or ``pronoun`` ("she", "its",
    "who"); :func:`mention_kind` folds them into the report's three: name, nominal, pronoun.
    ``name`` is the proper-name part with titles and honorifics removed; ``title`` the removed
    part. ``chain`` numbers the within-article coreference chain the mention belongs to (every
    mention of one referent in one article shares it, whatever its kind), so that cross-article
    resolution works on chains and a pronoun or nominal reaches its entity through its chain.
    ``head`` is the lemma of a nominal's head noun ("gunman"), the key it is matched by.
    """

    span: Span
    label: EntityType
    kind: str = "name"
    name: str = ""
    title: str | None = None
    role: str | None = None
    chain: int = -1
    sentence: int = -1
    expansion: str | None = None  # an acronym's long form as the article spells it out ("WHO" -> ...)
    head: str | None = None  # a nominal's head lemma ("gunman" for "the masked gunman")


#: The report's kinds of mention: a proper name, a description, a pronoun.
MentionKind = Literal["name", "nominal", "pronoun"]
_REPORT_KIND: dict[str, MentionKind] = {"role": "nominal", "nominal": "nominal", "pronoun": "pronoun"}


def mention_kind(kind: str) -> MentionKind:
    """The report's kind of a mention kind: ``name`` (also acronyms and untyped names),
    ``nominal`` (roles and other descriptions) or ``pronoun``."""
    return _REPORT_KIND.get(kind, "name")


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """One real-world referent across all articles.

    ``mentions`` are every mention of it (names, descriptions and pronouns), in article and text
    order; ``mention_kinds`` gives each one's report kind (:data:`MentionKind`), position by
    position. ``named`` is False for an entity known only by description ("the gunman").
    """

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()
    roles: tuple[str, ...] = ()
    mention_kinds: tuple[MentionKind, ...] = ()
    named: bool = True

    def mentions_of_kind(self, *kinds: MentionKind) -> tuple[Span, ...]:
        """The mentions of the given report kinds (all of them when ``mention_kinds`` is unset)."""
        if not self.mention_kinds:
            return self.mentions
        return tuple(s for s, k in zip(self.mentions, self.mention_kinds, strict=True) if k in kinds)


# --------------------------------------------------------------------------- quotes


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """A quotation (``direct``) or reported speech (indirect) in one article.

    ``span`` is the content as news attribution corpora bound it: the quoted words (without the
    marks), or the reported clause with its "that"; a quotation broken by its attribution ("A," he
    said, "B") is one quote whose span runs from A to B, with A and B in ``fragments``.
    ``speaker_span`` is the source's words, ``cue_span`` the attributing words.

    ``speaker_chain`` is the within-article mention chain of the speaker, resolved to a
    cross-article entity id in ``speaker`` by the corpus stages.
    """

    id: str
    span: Span
    direct: bool = True
    speaker_span: Span | None = None
    speaker_chain: int | None = None
    speaker: str | None = None  # entity id, filled once entities are resolved
    cue: str | None = None  # the reporting verb or phrase ("said", "according to")
    partial: bool = False  # a fragment or scare quote rather than a full utterance
    sentence: int = -1
    speaker_name: str | None = None  # the speaker's name in this article (a pronoun's antecedent)
    lemmas: tuple[str, ...] = ()  # content-word lemmas of the quoted words, for cross-article matching
    negated: bool = False  # the quoted words, or the verb reporting them ("denied that"), negate
    kind: str = ""  # direct | indirect | mixed (reported words holding a quotation) | partial; "" = from direct
    cue_span: Span | None = None  # the words that attribute ("said", "according to", "his claim")
    fragments: tuple[Span, ...] = ()  # the quoted pieces when ``span`` joins several ("A," he said, "B")

    @property
    def quote_kind(self) -> str:
        """``kind``, or what ``direct`` and ``partial`` say when no stage set it."""
        return self.kind or ("partial" if self.partial else "direct" if self.direct else "indirect")

    def pieces(self) -> tuple[Quote, ...]:
        """What a quote says, piece by piece (each with the quote's id): a quotation broken by its
        attribution gives its fragments; a report holding quotations ("mixed") gives itself and each
        quotation in it as a fragment; any other quote is one piece."""
        if not self.fragments:
            return (self,)
        parts = tuple(
            replace(self, span=f, fragments=(), lemmas=(), direct=True, partial=self.kind == "mixed")
            for f in self.fragments
        )
        return (replace(self, fragments=()), *parts) if self.kind == "mixed" else parts

    @property
    def words(self) -> str:
        """The reported words: the fragments joined when the span holds several, else the span."""
        return " ".join(f.text for f in self.fragments) if self.fragments else self.span.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """The same utterance as reported by different articles."""

    id: str
    speaker: str | None
    quotes: tuple[str, ...]
    summary: str
    relation: str = "verbatim"  # verbatim | near-verbatim | paraphrase (the loosest pair)
    differences: tuple[tuple[str, str, str], ...] = ()  # (quote id a, quote id b, word diff)
    #: The words of each member as compared, in member order: a quote's own span, or the piece of it
    #: that aligned when it is quoted in pieces ("A," he said. "B.") and only one piece is this remark.
    spans: tuple[Span, ...] = ()


# --------------------------------------------------------------------------- claims, numbers, dates


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimMention:
    """A checkable statement in one article (a sentence or one conjunct of it)."""

    id: str
    span: Span
    text: str
    sentence: int = -1
    attributed: bool = False  # the outlet reports someone else's words rather than asserting
    quote: str | None = None  # quote id when the claim is (part of) a quote
    negated: bool = False
    hedged: bool = False
    chains: tuple[int, ...] = ()  # mention chains of the entities the claim is about
    predicate: str | None = None  # main verb lemma
    subject: str | None = None
    obj: str | None = None
    # What the alignment stages need without the parse. ``subject``/``obj`` are the logical agent
    # and patient (a passive "Y was taken by X" gives subject X, obj Y).
    cue: str | None = None  # reporting verb lemma when the claim reports someone's words ("deny", "accuse")
    cue_negated: bool = False  # the report itself is negated ("did not accuse", "without saying")
    clause: str = "main"  # "main" (sentence or coordinated main clause) or "embedded" (subordinate clause)
    core: str = ""  # subject, predicate lemma and object, without negation or attribution
    lemmas: tuple[str, ...] = ()  # content lemmas (lower case), for blocking and lexical overlap
    subject_span: Span | None = None
    obj_span: Span | None = None
    paragraph: int = -1
    speaker_span: Span | None = None  # who the cue attributes the claim to ("X said ...": X)
    # Facts of the clause read off the parse (stages/claim_facts.py), so that relating two
    # mentions never re-reads their words.
    voice: str = "active"  # "passive" when the content verb is ("the gates were opened")
    complement: str | None = None  # the state a state verb asserts ("kept the plant open": "open")
    modality: str = ""  # "future", "conditional", "possible", "pending" ("not yet"), or "" (asserted)
    subject_head: str | None = None  # lemma of the subject's head noun (None for a pronoun)
    obj_head: str | None = None  # lemma of the object's head noun (a prepositional object's noun)
    obj_preposition: str | None = None  # the preposition of a prepositional object ("into")
    subject_quantifier: str | None = None  # "none" ("nobody", "no deaths") or "all" ("everyone on board")
    obj_quantifier: str | None = None
    debunked: bool = False  # the clause is what a report said, called false ("reports that X are false")


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A number with its unit and what it counts."""

    id: str
    span: Span
    value: float
    unit: str | None = None
    measure: str | None = None  # what is counted ("troops", "lives")
    qualifier: str | None = None  # approximator ("around", "as many as", "up to", "over")
    sentence: int = -1
    measure_lemma: str | None = None  # lemma of the counted noun, the blocking key across articles
    source: str | None = None  # who the sentence credits for the figure ("according to X")
    vague: bool = False  # only an order of magnitude ("thousands of", "tens of thousands")
    context: Span | None = None  # the sentence the figure appears in
    event: str | None = None  # what happened to what is counted ("people killed in explosion")


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention:
    """A date expression; ``value`` is ``YYYY-MM-DD`` or ``YYYY-MM-DD/YYYY-MM-DD`` once known."""

    id: str
    span: Span
    value: str | None = None
    resolved_from: str | None = None
    relative: bool = False
    sentence: int = -1
    rule: str | None = None  # what the expression says before resolution ("weekday 4 past", "--03-14")
    agent: str | None = None  # subject of the clause the date belongs to: who did what then
    actors: tuple[str, ...] = ()  # names in the surrounding sentences, for cross-article matching
    cues: tuple[str, ...] = ()  # content lemmas of the surrounding sentences
    context: Span | None = None  # the sentence the date appears in


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """One claim across articles with its status and evidence."""

    id: str
    text: str
    mentions: tuple[Span, ...]
    status: ClaimStatus
    supported_by: tuple[str, ...] = ()
    contradicted_by: tuple[Span, ...] = ()
    members: tuple[str, ...] = ()  # ClaimMention ids grouped into this claim
    evidence: tuple[str, ...] = ()  # why contested: "negation", "number", "antonym", …
    #: (article id, stance) for each article that speaks of the claim, in the words of
    #: ``storyweave check``: "supports" (states it), "discusses" (only reports or hedges it),
    #: "contradicts" (holds an opposing span and does not state it)
    stances: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Discrepancy:
    """Where sources disagree on a number, a date or the wording of one fact."""

    id: str
    about: str
    kind: DiscrepancyKind
    quantities: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    date: str
    text: str
    articles: tuple[str, ...]
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSentence:
    text: str
    cites: tuple[str, ...]
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Republication:
    """``copy`` republishes ``original`` (near-duplicate text); ``inserted`` is what it added."""

    original: str
    copy: str
    similarity: float
    inserted: tuple[Span, ...] = ()


# --------------------------------------------------------------------------- containers


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleAnalysis:
    """One article and everything the per-article stages found in it.

    ``doc`` is the transient spaCy ``Doc`` for the stages that need the parse; it is never
    stored or serialised, and the cross-article stages do not use it.
    """

    article: Article
    flags: tuple[Flag, ...] = ()
    paragraphs: tuple[Span, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[ClaimMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    doc: Any = field(default=None, compare=False, repr=False)

    @property
    def id(self) -> str:
        return self.article.id

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.article, start, end)

    def skipped(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps boilerplate, which content stages ignore."""
        return any(f.kind == "boilerplate" and f.span.start < end and start < f.span.end for f in self.flags)


@dataclass(frozen=True, slots=True, kw_only=True)
class Corpus:
    """All analysed articles and the cross-article findings."""

    analyses: tuple[ArticleAnalysis, ...] = ()
    entities: tuple[Entity, ...] = ()
    entity_of_chain: tuple[tuple[str, int, str], ...] = ()  # (article id, chain, entity id)
    statements: tuple[Statement, ...] = ()
    claims: tuple[Claim, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    brief: tuple[BriefSentence, ...] = ()
    republications: tuple[Republication, ...] = ()
    flags: tuple[Flag, ...] = ()  # flags found by cross-article stages (insertions, duplicates)

    def analysis(self, article_id: str) -> ArticleAnalysis:
        for a in self.analyses:
            if a.article.id == article_id:
                return a
        raise KeyError(article_id)

    def entity_map(self) -> dict[tuple[str, int], str]:
        return {(a, c): e for a, c, e in self.entity_of_chain}
