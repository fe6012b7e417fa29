"""Editorial insertions and opinion: text a reader must not mistake for the outlet's reporting.

Labelled paragraphs ("Comment:", "Editor's note:"), bracketed asides outside quotations, a
first-person voice that breaks from the rest of the report, and unattributed evaluative sentences
(opinion). The flags are appended to the analysis' own flags; they never hide text from later
stages (only boilerplate does). Sentences slipped into or changed inside a republished copy are
found across articles by ``stages/republications.py`` and ``stages/align.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Token

from storyweave.model import ArticleAnalysis, Flag, stable_id
from storyweave.pipeline import Context, stage
from storyweave.stages.claims import lexicon_sections, mostly_inside, quoted_ranges, reporting_verbs

_OPINION = lexicon_sections("opinion.txt")
EVALUATIVE: frozenset[str] = _OPINION["evaluative"]
FIRST_PERSON_PHRASES: frozenset[str] = _OPINION["first_person"]
EDITORIAL_LABELS: frozenset[str] = _OPINION["labels"]
FIRST_PERSON = frozenset({"i", "we", "me", "us", "my", "our", "ours", "myself", "ourselves"})

_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z’' ]{1,30}?)\s*[:—–-]\s+\S")
_BRACKET = re.compile(r"\[([^\[\]\n]{12,600})\]")


def _flag(analysis: ArticleAnalysis, start: int, end: int, kind: str, reason: str) -> Flag:
    return Flag(
        id=stable_id("flg", analysis.id, start, end, kind), span=analysis.span(start, end), kind=kind, reason=reason
    )  # type: ignore[arg-type]


def _label_of(paragraph: str) -> str | None:
    m = _LABEL.match(paragraph)
    if m is None:
        return None
    label = m.group(1).strip().lower().replace("’", "'")
    return label if label in EDITORIAL_LABELS else None


def _first_person_outside_quotes(text: str, start: int, end: int, quoted: list[tuple[int, int]]) -> bool:
    for m in re.finditer(r"\b[A-Za-z]+\b", text[start:end]):
        s = start + m.start()
        if (
            m.group(0).lower() in FIRST_PERSON
            and (m.group(0) != "US")
            and not mostly_inside(quoted, s, s + len(m.group(0)))
        ):
            return True
    return False


def editorial_flags(analysis: ArticleAnalysis) -> list[Flag]:
    """Insertions (labelled paragraphs, bracketed asides, a first-person break in voice) and
    unattributed opinion sentences. Conservative: each rule needs a clear surface signal."""
    text = analysis.article.text
    doc = analysis.doc
    flags: list[Flag] = []
    quoted_by_para = {i: quoted_ranges(text, p.start, p.end) for i, p in enumerate(analysis.paragraphs)}
    quote_spans = [(q.span.start, q.span.end) for q in analysis.quotes]
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
    # Voice: first person outside quotes in a minority of paragraphs of an otherwise third-person report.
    voiced = []
    for i, sentence in enumerate(analysis.sentences):
        if sentence.skip:
            continue
        s, e = sentence.span.start, sentence.span.end
        quoted = quoted_by_para.get(sentence.paragraph, []) + quote_spans
        if mostly_inside(quoted, s, e):
            continue
        span = doc.char_span(s, e, alignment_mode="expand") if doc is not None else None
        if span is None:
            continue
        reported = (
            any(t.lemma_.lower() in reporting_verbs() for t in span) or "according to" in sentence.span.text.lower()
        )
        if reported:
            continue
        lowered = sentence.span.text.lower()
        first_person = _first_person_outside_quotes(text, s, e, quoted)
        phrase = next((p for p in FIRST_PERSON_PHRASES if re.search(rf"\b{re.escape(p)}\b", lowered)), None)
        evaluative = next((t for t in span if t.pos_ == "ADJ" and t.lower_ in EVALUATIVE), None)
        if first_person:
            voiced.append((i, sentence))
        if phrase is not None or (evaluative is not None and (first_person or not _has_named_source(span))):
            why = f"'{phrase}'" if phrase else f"evaluative '{evaluative.text}'"  # type: ignore[union-attr]
            flags.append(_flag(analysis, s, e, "opinion", f"unattributed judgement ({why})"))
    content_paragraphs = {s.paragraph for s in analysis.sentences if not s.skip}
    voiced_paragraphs = {s.paragraph for _, s in voiced}
    if voiced_paragraphs and len(voiced_paragraphs) * 4 <= len(content_paragraphs):
        for p in sorted(voiced_paragraphs):
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
