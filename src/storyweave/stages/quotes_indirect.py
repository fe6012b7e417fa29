"""Reported speech and thought: a cue word (``lexicons/attribution_cues.txt`` and the reporting
verbs) with the content it governs in the parse — a that-clause (kept with its "that"), a
to-infinitive, an object, a prepositional object, or the clause around a parenthetical "X said" —
and its source (the subject, a passive agent, a noun's possessor); "according to X" too. A cue
inside another report's content is left to that report, as annotators mark the outer one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from storyweave.language.quotation import Marked
from storyweave.language.reporting import reporting_lexicon
from storyweave.lexicons import lexicon_lines
from storyweave.model import Quote, stable_id
from storyweave.stages.quotes_parse import MIXED_COVER, ArticleParse, content_lemmas, negated_words, sentence_index
from storyweave.stages.quotes_speakers import Speaker, resolve_speaker, source_of_preposition, subject_of

_WHEN = frozenset({"DATE", "TIME"})
_RELATIVE_SUBJECTS = frozenset({"who", "which", "that", "whom"})
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


def _covered(start: int, end: int, marked: list[Marked]) -> float:
    covered = sum(max(0, min(end, m.outer_end) - max(start, m.outer_start)) for m in marked)
    return covered / max(1, end - start)


@lru_cache(maxsize=1)
def cue_words() -> dict[tuple[str, str], str]:
    """(lemma, part of speech) -> class, from ``lexicons/attribution_cues.txt`` plus every reporting
    verb (class ``say``)."""
    out: dict[tuple[str, str], str] = {}
    for line in lexicon_lines("attribution_cues.txt"):
        lemma, pos, cls = line.split()
        out[(lemma, pos)] = cls
    for lemma in reporting_lexicon().verbs:
        out.setdefault((lemma, "verb"), "say")
    return out


_POS = {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "ADJ": "adj"}
#: Prepositions whose object is the content, by cue class ("worried about X", "criticism of X").
_CONTENT_PREPS = {
    "say": frozenset({"about", "of", "on"}),
    "think": frozenset({"about", "of", "over"}),
    "want": frozenset({"for"}),
    "judge": frozenset({"for", "of", "against", "over", "on"}),
    "show": frozenset(),
    "topic": frozenset({"about", "on", "of"}),
}
#: Verbs whose bare object is the hearer, not the content ("told reporters", "urged voters").
_HEARER_OBJECT = frozenset(
    {
        "tell",
        "inform",
        "remind",
        "assure",
        "reassure",
        "warn",
        "advise",
        "urge",
        "ask",
        "thank",
        "brief",
        "press",
        "encourage",
        "invite",
        "implore",
        "beg",
        "order",
        "instruct",
    }
)
_CLAUSE_MARKS = frozenset({"that", "whether", "if"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """Reported content found from the grammar: the cue's head word, the content's outer bounds,
    the source's head word (None when the text names none) and which complement carried it."""

    cue: Any
    start: int
    end: int
    source: Any | None
    frame: str
    negated: bool


def _extent(
    first: Any, last: Any, parse: ArticleParse, anchor: int, drop: set[int] | None = None
) -> tuple[int, int] | None:
    tokens = [t for t in first.doc[first.i : last.i + 1] if drop is None or t.i not in drop]
    words = [
        t
        for t in tokens
        if not t.is_space and parse.paragraph_at(anchor).start <= t.idx < parse.paragraph_at(anchor).end
    ]
    while words and (words[0].is_punct and words[0].text not in "\"“‘'"):
        words = words[1:]
    while words and ((words[-1].is_punct and words[-1].text not in "\"”’'") or words[-1].dep_ == "cc"):
        words = words[:-1]
    if not words:
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _subtree(tok: Any, parse: ArticleParse, anchor: int) -> tuple[int, int] | None:
    return _extent(tok.left_edge, tok.right_edge, parse, anchor)


def _content_of(cue: Any, cls: str, pos: str, parse: ArticleParse) -> tuple[tuple[int, int], str] | None:
    """The content a cue word governs, by the first complement its class allows: a clause, a
    to-infinitive, an object, a prepositional object."""
    children = list(cue.children)
    lemma = cue.lemma_.casefold()
    clause = next(
        (
            c
            for c in children
            if c.dep_ in ("ccomp", "csubj")
            or (
                pos != "verb"
                and c.dep_ in ("acl", "relcl")
                and any(m.dep_ == "mark" and m.lower_ in _CLAUSE_MARKS for m in c.children)
            )
        ),
        None,
    )
    if clause is not None and cls in ("say", "show") and _question(clause, cue):
        return None  # "did not say whether/what ...": an indirect question, not a statement
    if clause is not None and cls in ("say", "think", "show", "want"):
        if (
            pos == "verb"
            and clause.i < cue.i
            and clause.lemma_.casefold() in parse.lex.verbs
            and any(c.dep_ == "nsubj" for c in clause.children)
        ):
            return None  # "X said Y, an outlet reported": the outer report only names the channel
        extent = _extent(clause.left_edge, clause.right_edge, parse, cue.idx, _frame_drops(clause, parse))
        return (extent, "clause") if extent else None
    obj = next((c for c in children if c.dep_ in ("dobj", "attr") and c.i > cue.i), None)
    inf = next(
        (
            c
            for c in children
            if c.dep_ in ("xcomp", "acl")
            and c.i > cue.i
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ),
        None,
    )
    if inf is not None and cls in ("say", "think", "want", "judge"):
        first = obj if obj is not None and obj.i < inf.i else inf
        extent = _extent(first.left_edge, inf.right_edge, parse, cue.idx)
        return (extent, "infinitive") if extent else None
    if lemma in parse.lex.accusing or lemma in ("accuse", "blame", "credit", "thank", "fault"):
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
        comp = next((c for c in prep.children if c.dep_ in ("pcomp", "pobj")), None) if prep is not None else None
        if comp is not None:
            first = obj if obj is not None else comp
            extent = _extent(first.left_edge, comp.right_edge, parse, cue.idx)
            return (extent, "accusation") if extent else None
    if obj is not None and pos == "verb" and lemma not in _HEARER_OBJECT and lemma not in _FACT_OBJECT_VERBS:
        last = obj
        for c in children:  # "called the allegations an absolute lie"
            if c.i > obj.i and c.dep_ in ("oprd", "xcomp", "ccomp"):
                last = c
        extent = _extent(obj.left_edge, last.right_edge, parse, cue.idx)
        return (extent, "object") if extent else None
    preps = _CONTENT_PREPS[cls] if pos != "noun" else frozenset({"of", "about", "on", "for", "against", "over"})
    for c in children:
        if c.dep_ == "prep" and c.lower_ in preps and c.i > cue.i:
            comp = next((x for x in c.children if x.dep_ in ("pobj", "pcomp")), None)
            if comp is not None and comp.ent_type_ not in _WHEN:  # "a statement on Monday": a time, no topic
                extent = _subtree(comp, parse, cue.idx)
                return (extent, "preposition") if extent else None
    return None


def _question(clause: Any, cue: Any) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children) or (
        clause.left_edge.lower_ in _WH_WORDS and clause.left_edge.i > cue.i
    )


def _frame_drops(clause: Any, parse: ArticleParse) -> set[int]:
    keep = {t.i for t in _without_quotation_frames(clause, parse)}
    return {t.i for t in clause.subtree if t.i not in keep}


def _source_of(cue: Any, pos: str, parse: ArticleParse) -> Any | None:
    """The source's head word: the verb's subject (or passive agent), a noun's possessor, agent or
    the subject of the verb it is the object of, an adjective's subject."""
    if pos == "verb":
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        return subject_of(cue, parse)
    if pos == "noun":
        for c in cue.children:
            if c.dep_ == "poss":
                return c
            if c.dep_ == "prep" and c.lower_ == "by":
                return next((x for x in c.children if x.dep_ == "pobj"), None)
        head = cue.head
        if cue.dep_ in ("dobj", "pobj", "attr") and head.pos_ in ("VERB", "AUX", "ADP"):
            verb = head.head if head.pos_ == "ADP" else head
            return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return None
    subj = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None and cue.dep_ in ("acomp", "amod"):
        subj = next((c for c in cue.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and cue.dep_ == "amod":
            subj = cue.head
    return subj


#: A parenthetical "X said" ("The truth, the senator said, was ...", "People like Scott, he said.")
#: has at most this many words between its breaks; longer runs are clauses of their own.
MAX_PARENTHETICAL_WORDS = 8
_ASIDE_BREAKS = frozenset({",", "--", "—", "–", ";"})
_ASIDE_ADJUNCTS = frozenset({"prep", "advmod", "npadvmod", "agent", "punct"})


def _parenthetical(cue: Any, parse: ArticleParse) -> tuple[int, int] | None:
    """A saying verb and its subject set off by a comma or dash inside or at the end of the sentence
    it reports ("The museum, Mr. Obama said, would ...", "Though ..., he said, replacing ...",
    "People like Scott, he said."): the content is that sentence around the aside, first word to
    last, as news attribution corpora bound it."""
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ in _RELATIVE_SUBJECTS or cue.dep_ == "relcl":
        return None
    doc = cue.doc
    para = parse.paragraph_at(cue.idx)
    in_para = parse.tokens(para.start, para.end)
    lo, hi = max(cue.sent.start, in_para[0].i), min(cue.sent.end, in_para[-1].i + 1)
    left = min(cue.i, subject.left_edge.i)
    while left > lo and doc[left - 1].text not in _ASIDE_BREAKS:
        left -= 1
    right = max(cue.i, subject.right_edge.i)
    while right + 1 < hi and doc[right + 1].text not in _ASIDE_BREAKS and not doc[right + 1].is_sent_end:
        right += 1
    if left == lo:
        return None  # an aside follows a break: "He said the ..." is no aside
    run = doc[left : right + 1]
    if len([t for t in run if not t.is_punct]) > MAX_PARENTHETICAL_WORDS or any(
        t.pos_ in ("VERB", "AUX") and t.i != cue.i and t.dep_ not in ("aux", "auxpass", "neg") for t in run
    ):
        return None
    outside = [t for t in doc[lo:hi] if not left <= t.i <= right and not t.is_space]
    ids = {t.i for t in outside}
    tops = [t for t in outside if t.head.i not in ids or t.head.i == t.i]
    if all(t.head.i == cue.i and t.dep_ in _ASIDE_ADJUNCTS for t in tops):
        return None  # "In a statement, X said so.": the words around are the cue's own adjuncts
    before = [t for t in doc[lo : left - 1] if not t.is_punct]
    after = [t for t in doc[right + 1 : hi] if not t.is_punct]
    if len(before) < 2:
        return None
    parts = [p for p in (before, after) if p]
    if all(_covered(p[0].idx, p[-1].idx + len(p[-1].text), parse.marked) >= MIXED_COVER for p in parts):
        return None  # '"A," he said, "B."': quotations, found from their marks
    return _extent(before[0], after[-1] if after else before[-1], parse, cue.idx)


def find_attributions(parse: ArticleParse) -> list[Attribution]:
    """Every cue word outside quotation marks with the content it governs and its source; a cue
    inside another attribution's content is left to that one (annotators mark the outer report)."""
    words = cue_words()
    analysis = parse.analysis
    found: list[Attribution] = []
    for tok in parse.doc:
        pos = _POS.get(tok.pos_)
        if pos is None:
            continue
        cls = words.get((tok.lemma_.casefold(), pos))
        if cls is None or parse.quoted(tok) or analysis.skipped(tok.idx, tok.idx + len(tok.text)):
            continue
        got = _content_of(tok, cls, pos, parse)
        frame = got[1] if got else ""
        extent = got[0] if got else None
        around = extent is not None and extent[0] <= tok.idx < extent[1]
        if (extent is None or around) and pos == "verb" and cls in ("say", "think"):
            extent, frame = _parenthetical(tok, parse), "parenthetical"
        if extent is None:
            continue
        start, end = extent
        source = _source_of(tok, pos, parse)
        if source is None or parse.quoted(source) or (start <= source.idx < end and frame != "parenthetical"):
            continue
        if frame != "parenthetical" and start <= tok.idx < end:
            continue
        negated = tok.lemma_.casefold() in parse.lex.negating or any(c.dep_ == "neg" for c in tok.children)
        found.append(Attribution(tok, start, end, source, frame, negated))
    return _outermost(found)


def _outermost(found: list[Attribution]) -> list[Attribution]:
    out = []
    for a in found:
        inside = any(b is not a and b.start <= a.cue.idx < b.end and not (a.start <= b.cue.idx < a.end) for b in found)
        if not inside:
            out.append(a)
    return out


def indirect_quotes(parse: ArticleParse) -> list[Quote]:
    """Reported speech and thought as quotes (``direct=False``), before direct quotations claim theirs."""
    out: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for a in find_attributions(parse):
        if (a.start, a.end) in seen:
            continue
        seen.add((a.start, a.end))
        assert a.source is not None
        speaker = resolve_speaker(a.source, parse)
        q = _indirect(parse, a.start, a.end, speaker, a.cue.text, parse.tokens(a.start, a.end), a.negated)
        out.append(replace(q, cue_span=parse.analysis.span(a.cue.idx, a.cue.idx + len(a.cue.text))))
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
        kind="indirect",
    )
