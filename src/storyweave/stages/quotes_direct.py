"""Direct quotes: quotation marks and the cue that attributes them."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from storyweave.language.quotation import Marked
from storyweave.model import Quote, stable_id
from storyweave.names import (
    role_descriptor,
)
from storyweave.stages.quotes_parse import ArticleParse, content_lemmas, negated_words, sentence_index
from storyweave.stages.quotes_speakers import NO_SPEAKER, Speaker, resolve_speaker, source_of_preposition, subject_of

#: Words that may end a fragment's sentence-internal context: a fragment right after one of these is
#: still introduced like a full quotation ("she said: '...'").
_INTRODUCING_PUNCT = ":,"

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


def attribute_direct(q: Marked, parse: ArticleParse, partial: bool) -> tuple[Speaker, Any | None]:
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
                cue_word = next((a for a in src.ancestors if a.lower_ in heads), None)
                return resolve_speaker(src, parse), cue_word
    if cue is not None:
        subject = subject_of(cue, parse)
        if subject is not None and not parse.quoted(subject):
            return resolve_speaker(subject, parse), cue
        return NO_SPEAKER, cue
    return NO_SPEAKER, None


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
    label = [t for t in parse.tokens(para.start, end) if not parse.quoted(t)]
    ends = [k for k, t in enumerate(label) if t.text in _SENTENCE_FINAL]
    label = [t for t in label[ends[-1] + 1 if ends else 0 :] if t.is_alpha]  # the colon's own sentence
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


#: A transcript turn: one to three capitalised words and a colon open the quoted words ("WALLACE: ...").
_TURN_LABEL = re.compile(r"([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2}):\s+(?=\S)")


def _turn_label(q: Marked, parse: ArticleParse) -> tuple[Marked, Any | None]:
    """'"PENCE: Well, look, ..."': a quoted transcript turn; the words after the label, and the
    label's last word as the speaker."""
    found = _TURN_LABEL.match(parse.text, q.start, q.end)
    if found is None:
        return q, None
    label = parse.tokens(found.start(1), found.end(1))
    if not label or not label[-1].is_alpha:
        return q, None
    return replace(q, start=found.end()), label[-1]


#: A dash after a quotation's closing mark, before the name that signs it.
_SIGNATURE_DASH = re.compile(r"[ \t]*[―—–-]{1,2}[ \t]*")
#: A signature line names the speaker in at most this many words ("― Jane Roe, 34, of Tulsa").
MAX_SIGNATURE_WORDS = 10


def _signature(q: Marked, parse: ArticleParse) -> Any | None:
    """ "'...' ― Jane Roe": a quotation signed, after a dash, by the name that ends its paragraph
    (reader voices, epigraphs, lists of reactions); the name's head word."""
    para = parse.analysis.paragraphs[q.paragraph]
    dash = _SIGNATURE_DASH.match(parse.text, q.outer_end, para.end) if q.closed else None
    if dash is None or dash.end() == q.outer_end:
        return None
    words = [t for t in parse.tokens(dash.end(), para.end) if not t.is_punct and not t.is_space]
    if not words or len(words) > MAX_SIGNATURE_WORDS or words[0].pos_ != "PROPN" or parse.quoted(words[0]):
        return None
    head = words[0]
    while head.dep_ in ("compound", "flat") and head.head.pos_ == "PROPN" and head.head.i > head.i:
        head = head.head
    return head


def direct_quotes(parse: ArticleParse) -> list[Quote]:
    analysis = parse.analysis
    out: list[Quote] = []
    found: list[Marked] = []
    last_by_paragraph: dict[int, Quote] = {}
    for q in parse.marked:
        if analysis.skipped(q.outer_start, q.outer_end):
            continue
        q, label = _turn_label(q, parse)
        signer = label if label is not None else _signature(q, parse)
        partial = signer is None and is_partial(q, parse)
        if not partial:
            parse.full_marked.append(q)
        if signer is not None:
            speaker, cue_tok = resolve_speaker(signer, parse), None
        else:
            speaker, cue_tok = attribute_direct(q, parse, partial)
        cue = cue_tok.text if cue_tok is not None else None
        if speaker.span is None and not partial:
            labelled = _colon_label(q, parse)
            if labelled is not None:
                speaker, cue, cue_tok = resolve_speaker(labelled, parse), None, None
        para = analysis.paragraphs[q.paragraph]
        starts_paragraph = not parse.text[para.start : q.outer_start].strip()
        if speaker.span is None and starts_paragraph and not partial:
            intro = _intro_line_cue(q, parse)
            subject = subject_of(intro, parse) if intro is not None else None
            if intro is not None and subject is not None:
                speaker, cue, cue_tok = resolve_speaker(subject, parse), intro.text, intro
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
            sentence=sentence_index(analysis, q.start),
            speaker_name=speaker.name,
            lemmas=content_lemmas(parse.tokens(q.start, q.end)),
            negated=negated_words(parse.tokens(q.start, q.end)),
            kind="partial" if partial else "direct",
            cue_span=analysis.span(cue_tok.idx, cue_tok.idx + len(cue_tok.text)) if cue_tok is not None else None,
        )
        out.append(quote)
        found.append(q)
        if speaker.span is not None and not partial:
            last_by_paragraph[q.paragraph] = quote
    return _join_broken(_inherit_backwards(out, found), found, parse)


#: A quotation broken by its attribution is joined only across this many characters between the
#: pieces ("A," she said in a statement on Monday, "B"); dev: longer gaps are separate remarks.
MAX_JOIN_GAP = 160


def _join_broken(out: list[Quote], found: list[Marked], parse: ArticleParse) -> list[Quote]:
    """One remark quoted in pieces is one quote whose span runs from the first piece to the last,
    with the pieces as its fragments (news attribution corpora annotate it so):

    - "A," he said, "B." or called him "A," "B" and "C": consecutive quotations (fragments too) of one
      sentence attributed by the same cue word;
    - "A," he said. "B." — a quotation that is a sentence of its own, with no cue in that sentence,
      right after the sentence that attributes the quotation before it in the same paragraph: the
      speaker goes on.
    """
    joined: list[Quote] = []
    pieces: list[list[tuple[Quote, Marked]]] = []
    for q, m in zip(out, found, strict=True):
        prev = joined[-1] if joined else None
        if prev is not None and (_same_sentence_piece(pieces[-1], q, m) or _continues(pieces[-1], q, m, parse)):
            pieces[-1].append((q, m))
            first = pieces[-1][0][0]
            joined[-1] = replace(
                first,
                span=parse.analysis.span(first.span.start, q.span.end),
                fragments=tuple(p.span for p, _ in pieces[-1]),
                lemmas=tuple(sorted({w for p, _ in pieces[-1] for w in p.lemmas})),
                negated=any(p.negated for p, _ in pieces[-1]),
            )
            continue
        joined.append(q)
        pieces.append([(q, m)])
    return joined


def _same_sentence_piece(before: list[tuple[Quote, Marked]], q: Quote, m: Marked) -> bool:
    last, last_m = before[-1]
    return (
        q.cue_span is not None
        and last.cue_span == q.cue_span
        and last_m.paragraph == m.paragraph
        and m.outer_start - last.span.end <= MAX_JOIN_GAP
        and q.sentence == last.sentence
    )


def _continues(before: list[tuple[Quote, Marked]], q: Quote, m: Marked, parse: ArticleParse) -> bool:
    """``q`` carries on the remark quoted in ``before``: a whole sentence in quotation marks, with
    no cue of its own, in the sentence after the one that holds the last piece and its attribution."""
    first = before[0][0]
    last_m = before[-1][1]
    if q.partial or first.partial or first.speaker_span is None or last_m.paragraph != m.paragraph:
        return False
    if q.cue_span is not None and q.cue_span != first.cue_span:
        return False  # a cue of its own (the cue of the quotation before was the nearest one in reach)
    para = parse.analysis.paragraphs[m.paragraph]
    lead = parse.text[para.start : m.outer_start].rstrip()
    if lead and lead[-1] not in _SENTENCE_END:
        return False  # not the start of a sentence
    analysis = parse.analysis
    return sentence_index(analysis, m.outer_start) - sentence_index(analysis, max(last_m.outer_end - 1, 0)) <= 1


_SENTENCE_FINAL = frozenset({".", "!", "?"})
#: What ends the sentence before a quotation that starts one (its closing mark included).
_SENTENCE_END = ".!?\"”'’:"


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
