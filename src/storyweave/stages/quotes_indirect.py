"""Indirect speech."""

from __future__ import annotations

from typing import Any

from storyweave.model import Quote, stable_id
from storyweave.stages.quotes_parse import ArticleParse, Marked, content_lemmas, negated_words, sentence_index
from storyweave.stages.quotes_speakers import Speaker, resolve_speaker, source_of_preposition, subject_of

_WH_WORDS = frozenset({"what", "who", "whom", "whose", "which", "why", "how", "when", "where"})
_DEMONSTRATIVES = frozenset({"that", "this", "these", "those"})
#: Reporting verbs whose bare noun object is a fact vouched for, not words reported ("confirmed the
#: appeal", "confirmed the breach"): only their that-clause is a quotation. (Claims still read the
#: object as what was confirmed.)
_FACT_OBJECT_VERBS = frozenset({"confirm"})

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
        sentence=sentence_index(analysis, start),
        speaker_name=speaker.name,
        lemmas=content_lemmas(tokens),
        negated=bool(negated) or negated_words(tokens),
    )
