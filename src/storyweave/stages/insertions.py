"""Editorial insertions and opinion: text a reader must not mistake for the outlet's reporting.

Labelled paragraphs ("Comment:", "Editor's note:"), bracketed asides outside quotations, a
first-person voice that breaks from the rest of the report, and unattributed evaluative sentences
(opinion). The flags are appended to the analysis' own flags; they never hide text from later
stages (only boilerplate does). Sentences slipped into or changed inside a republished copy are
found across articles by ``stages/republications.py`` and ``stages/align.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Span, Token

from storyweave.language.quotation import mostly_inside, quoted_ranges
from storyweave.language.reporting import reporting_verbs
from storyweave.lexicons import lexicon_sections
from storyweave.model import ArticleAnalysis, Flag, FlagKind, stable_id
from storyweave.model import Span as SpanModel
from storyweave.pipeline import Context, stage

_OPINION = lexicon_sections("opinion.txt")
EVALUATIVE: frozenset[str] = _OPINION["evaluative"]
FIRST_PERSON_PHRASES: frozenset[str] = _OPINION["first_person"]
EDITORIAL_LABELS: frozenset[str] = _OPINION["labels"]
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours", "myself", "ourselves"})

_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z’' ]{1,30}?)\s*[:—–-]\s+\S")
_BRACKET = re.compile(r"\[([^\[\]\n]{12,600})\]")


#: A quotation whose closing mark is this many paragraphs or fewer after its opening one, with no
#: mark between, runs across them (text broken into a line per sentence keeps one quotation over
#: several lines); beyond that an unpaired mark is likelier a slip than a long quotation. On the
#: ECB+ dev articles (a sentence a line), 89 of the 94 quotations closed on a later line close
#: within four lines.
MAX_QUOTE_PARAGRAPHS = 4
#: A first-person voice breaks from a report only when it is confined to one run of at most this
#: many paragraphs (an inserted comment); first person spread over the piece is the writer's own.
MAX_VOICE_RUN = 2
#: ... and the rest of the report has at least this many paragraphs of third-person text, so that
#: there is a voice to break from.
MIN_REPORT_PARAGRAPHS = 4
#: An English text has at least this share of English stop words among its words: on the
#: article-extraction dev pages the 12 pages in other languages have at most 0.08, the English ones
#: at least 0.31 (one page of bare sports scores has 0.01). The pronoun lexicon is English.
ENGLISH_STOP_SHARE = 0.2
#: A post embedded from a social network: its words are the poster's, not the outlet's. Its last
#: line credits it ("— Name (@handle) November 1, 2019"); the lines before it are the post, up to
#: this many characters (a 280-character post as printed, with its picture link).
_EMBEDDED_POST = re.compile(r"pic\.twitter\.com/|https?://t\.co/|\(@\w{1,30}\)")
_POST_CREDIT = re.compile(r"^\s*[—–-]\s*[^\n]{1,80}\(@\w{1,30}\)")
MAX_POST_CHARS = 320
_OPENERS = "“„«"
_CLOSERS = "”»"
_STRAIGHT = '"'


def _flag(analysis: ArticleAnalysis, start: int, end: int, kind: FlagKind, reason: str) -> Flag:
    return Flag(
        id=stable_id("flg", analysis.id, start, end, kind), span=analysis.span(start, end), kind=kind, reason=reason
    )


def _label_of(paragraph: str) -> str | None:
    m = _LABEL.match(paragraph)
    if m is None:
        return None
    label = m.group(1).strip().lower().replace("’", "'")
    return label if label in EDITORIAL_LABELS else None


def _mark_opens(text: str, i: int, is_open: bool) -> bool:
    """Whether the mark at ``i`` opens a quotation: typographic marks say so; a straight one opens
    after a space or the start of a line and before a word, and closes after a word."""
    ch = text[i]
    if ch in _OPENERS:
        return True
    if ch in _CLOSERS:
        return False
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    if (before.isspace() or before in "([{—–-") and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or after in ".,;:!?)]}—–-"):
        return False
    return not is_open


def speech_ranges(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges in quotation, across the whole text.

    A quotation left open at the end of a paragraph either continues in a paragraph that opens
    with a new mark (the news convention) or closes a few paragraphs on (a quotation broken into
    one line per sentence); a closing mark with no opening one closes a quotation that began at
    the start of its paragraph."""
    starts = [s for s, _ in paragraphs]
    ends = [e for _, e in paragraphs]

    def para_of(i: int) -> int:
        return max(0, bisect_right(starts, i) - 1)

    ranges: list[tuple[int, int]] = []
    open_at: int | None = None
    for s, e in paragraphs:
        for k in range(s, e):
            ch = text[k]
            if ch not in _OPENERS and ch not in _CLOSERS and ch != _STRAIGHT:
                continue
            if _mark_opens(text, k, open_at is not None):
                if open_at is not None:
                    # Reopened at the start of a later paragraph: the quotation ran on through the
                    # paragraphs between (one broken into lines); elsewhere it ended with its own.
                    gap = para_of(k) - para_of(open_at)
                    reopened = k == starts[para_of(k)] and 1 < gap <= MAX_QUOTE_PARAGRAPHS
                    ranges.append((open_at, ends[para_of(k) - 1] if reopened else ends[para_of(open_at)]))
                open_at = k
                continue
            if open_at is None:
                ranges.append((starts[para_of(k)], k + 1))
            elif para_of(k) - para_of(open_at) <= MAX_QUOTE_PARAGRAPHS:
                ranges.append((open_at, k + 1))
            else:
                ranges.append((open_at, ends[para_of(open_at)]))
                ranges.append((starts[para_of(k)], k + 1))
            open_at = None
    if open_at is not None:
        ranges.append((open_at, ends[para_of(open_at)]))
    return ranges


def embedded_posts(paragraphs: tuple[SpanModel, ...]) -> list[tuple[int, int]]:
    """Paragraphs of posts embedded from social networks: those with a post's link or handle, and
    the lines of a post before the line that credits it."""
    out = [(p.start, p.end) for p in paragraphs if _EMBEDDED_POST.search(p.text)]
    for i, p in enumerate(paragraphs):
        if not _POST_CREDIT.match(p.text):
            continue
        length = 0
        for q in reversed(paragraphs[:i]):
            length += len(q.text)
            if length > MAX_POST_CHARS:
                break
            out.append((q.start, q.end))
    return out


def _in_ranges(ranges: list[tuple[int, int]], offset: int) -> bool:
    return any(s <= offset < e for s, e in ranges)


def _first_person_tokens(span: Span, speech: list[tuple[int, int]]) -> list[Token]:
    """First-person pronouns of a sentence outside quotation, by the parse ("I-75", "Group I" and
    "US" are not pronouns)."""
    return [
        t
        for t in span
        if t.pos_ == "PRON" and t.lower_ in FIRST_PERSON and t.text != "US" and not _in_ranges(speech, t.idx)
    ]


def _attributed(span: Span) -> bool:
    """The sentence reports someone else's words: a reporting verb whose subject is not the writer
    ("she said", "officials believe"; "we believe" is the writer's own view), or "according to"."""
    verbs = reporting_verbs()
    for t in span:
        if t.lemma_.lower() not in verbs:
            continue
        subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects or any(c.lower_ not in FIRST_PERSON for c in subjects):
            return True
    return "according to" in span.text.lower()


#: Dependencies that attach what a reporting verb reports to it.
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "dep", "advcl"})


def _reported(token: Token) -> bool:
    """The pronoun is in someone else's reported words ("we had no food, she said") or is the
    outlet the words were told to ("a spokesman told us"), not the writer speaking."""
    verbs = reporting_verbs()
    child = token
    for verb in token.ancestors:
        if verb.lemma_.lower() in verbs:
            if child is token and token.dep_ in ("dobj", "dative"):
                return True
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if child.dep_ in _CONTENT_DEPS and not any(c.lower_ in FIRST_PERSON for c in subjects):
                return True
        child = verb
    return False


def _runs(indices: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted paragraph indices."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def voice_break(voiced: set[int], content: set[int]) -> set[int]:
    """The paragraphs whose first person breaks from a third-person report: all of the article's
    first person in one short run, with enough third-person report around it."""
    if not voiced:
        return set()
    runs = _runs(sorted(voiced))
    if len(runs) > 1 or len(runs[0]) > MAX_VOICE_RUN or len(content - voiced) < MIN_REPORT_PARAGRAPHS:
        return set()
    return voiced


def is_english(analysis: ArticleAnalysis) -> bool:
    """The article is in English: declared so (or not declared) and written with English function
    words, so that an English parse of its pronouns means something."""
    if not (analysis.article.language or "en").lower().startswith("en"):
        return False
    words = [t for t in analysis.doc if t.is_alpha] if analysis.doc is not None else []
    return not words or sum(t.is_stop for t in words) >= ENGLISH_STOP_SHARE * len(words)


def _imperative(span: Span) -> bool:
    """A sentence that opens with a bare verb and has no subject addresses the reader ("Sign up
    for our newsletter", "Follow us"): a call to action, not a voice in the report."""
    root = span.root
    first = next((t for t in span if not t.is_punct and not t.is_space), None)
    return (
        root.tag_ == "VB"
        and first is not None
        and first.i == root.i
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children)
    )


def editorial_flags(analysis: ArticleAnalysis) -> list[Flag]:
    """Insertions (labelled paragraphs, bracketed asides, a first-person break in voice) and
    unattributed opinion sentences. Conservative: each rule needs a clear surface signal."""
    text = analysis.article.text
    doc = analysis.doc
    flags: list[Flag] = []
    quoted_by_para = {i: quoted_ranges(text, p.start, p.end) for i, p in enumerate(analysis.paragraphs)}
    for i, para in enumerate(analysis.paragraphs):
        if analysis.skipped(para.start, para.end):
            continue
        label = _label_of(para.text)
        if label is not None:
            flags.append(
                _flag(
                    analysis,
                    para.start,
                    para.end,
                    "insertion",
                    f"paragraph labelled '{label}:' is editorial text, not reporting",
                )
            )
            continue
        for m in _BRACKET.finditer(para.text):
            s, e = para.start + m.start(), para.start + m.end()
            inner = m.group(1)
            if len(inner.split()) >= 4 and not mostly_inside(quoted_by_para[i], s, e):
                flags.append(_flag(analysis, s, e, "insertion", "bracketed aside outside any quotation"))
    # Voice: first person outside quotation and attributed speech, confined to one short run of
    # an otherwise third-person report.
    speech = speech_ranges(text, [(p.start, p.end) for p in analysis.paragraphs])
    speech += [(q.span.start, q.span.end) for q in analysis.quotes if q.direct]
    speech += embedded_posts(analysis.paragraphs)
    english = is_english(analysis)
    voiced: set[int] = set()
    for sentence in analysis.sentences:
        if sentence.skip:
            continue
        s, e = sentence.span.start, sentence.span.end
        if mostly_inside(speech, s, e):
            continue
        span = doc.char_span(s, e, alignment_mode="expand") if doc is not None else None
        if span is None:
            continue
        voice = english and not _imperative(span)
        first_person = voice and any(not _reported(t) for t in _first_person_tokens(span, speech))
        if first_person:
            voiced.add(sentence.paragraph)
        if _attributed(span):
            continue
        lowered = sentence.span.text.lower()
        phrase = next((p for p in FIRST_PERSON_PHRASES if re.search(rf"\b{re.escape(p)}\b", lowered)), None)
        evaluative = next((t for t in span if t.pos_ == "ADJ" and t.lower_ in EVALUATIVE), None)
        if phrase is not None or (evaluative is not None and (first_person or not _has_named_source(span))):
            why = f"'{phrase}'" if phrase else f"evaluative '{evaluative.text}'"  # type: ignore[union-attr]
            flags.append(_flag(analysis, s, e, "opinion", f"unattributed judgement ({why})"))
    content_paragraphs = {s.paragraph for s in analysis.sentences if not s.skip}
    for p in sorted(voice_break(voiced, content_paragraphs)):
        para = analysis.paragraphs[p]
        if not any(f.kind == "insertion" and f.span.overlaps(para) for f in flags):
            flags.append(
                _flag(
                    analysis,
                    para.start,
                    para.end,
                    "insertion",
                    "first-person editorial voice in an otherwise third-person report",
                )
            )
    return flags


def _has_named_source(span: Iterable[Token]) -> bool:
    """A sentence that names a person or organisation as its subject reports their view."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in span)


@stage(
    "insertions",
    scope="article",
    requires={"doc", "paragraphs", "sentences", "quotes", "flags"},
    assigns={"flags"},
    order=55,
)
def insertions(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """One article's editorial insertion and opinion flags, merged into its flags."""
    if analysis.doc is None:
        return analysis
    new_flags = [f for f in editorial_flags(analysis) if f.id not in {g.id for g in analysis.flags}]
    flags = tuple(sorted((*analysis.flags, *new_flags), key=lambda f: (f.span.start, f.span.end, f.kind)))
    return replace(analysis, flags=flags)
