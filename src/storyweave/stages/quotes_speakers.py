"""Who speaks: the subject of a cue, headline roles, described people, he and she."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Any

from storyweave.model import Mention, Quote, Span
from storyweave.names import (
    ORG_DESIGNATORS,
    bare_role,
    fold,
    gender_of,
    headline_role_fits,
    role_descriptor,
    surname_gender,
)
from storyweave.stages.quotes_parse import BORROWING_KINDS, ArticleParse, inside_quotation, sentence_index

_PRONOUN_PERSON = frozenset({"he", "she", "i", "him", "her"})
_PERSONAL_PRONOUNS = _PRONOUN_PERSON | {"they", "we", "it"}
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
_SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_NAME_DEPS = frozenset({"compound", "amod", "poss", "nmod", "nummod", "flat", "case"})

# --------------------------------------------------------------------------- speakers


@dataclass(frozen=True, slots=True)
class Speaker:
    span: Span | None
    chain: int | None
    name: str | None


NO_SPEAKER = Speaker(None, None, None)


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
            if parse.quoted(child):
                continue  # '"..., full panic mode," said X': the parser may take a quoted word for the subject
            if child.dep_ in ("nsubj", "csubj") and any(c.isalpha() for c in child.text):
                return child, node  # a relative "who" stands for its antecedent (see resolve_speaker)
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
    if subject.lower_ in _RELATIVE_PRONOUNS and subject.head.dep_ == "relcl" and subject.head.head.i != subject.i:
        # "McConnell, ..., who said": the words that name the source are "who", the speaker its antecedent
        ante = _resolve_speaker(subject.head.head, parse)
        return Speaker(analysis.span(subject.idx, subject.idx + len(subject.text)), ante.chain, ante.name)
    start, end = name_extent(subject)
    para = parse.paragraph_at(subject.idx)
    start = max(start, para.start)
    while start < end and not parse.text[start].isalnum():
        start += 1
    span = analysis.span(start, end)
    pronoun = subject.pos_ == "PRON"
    # descriptions ("the operator", "the incumbent") are left to the role rules below, as before
    # the entities stage linked them to chains
    candidates = [m for m in parse.mentions_in(start, end) if m.kind != "nominal"]
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
    return {"name": 0, "acronym": 1, "role": 3, "nominal": 3, "pronoun": 4}.get(kind, 2)


def _chain_name(mention: Mention, parse: ArticleParse) -> str | None:
    """The proper name of a mention's chain (a pronoun or role mention borrows it from the chain)."""
    if mention.kind not in BORROWING_KINDS:
        return mention.name or mention.span.text
    if mention.chain < 0:
        return None
    named = [m for m in parse.mentions if m.chain == mention.chain and m.kind not in BORROWING_KINDS]
    if not named:
        return None
    before = [m for m in named if m.span.start <= mention.span.start]
    pick = before[-1] if before else named[0]
    return pick.name or pick.span.text


def _antecedent(before: int, labels: tuple[str, ...], parse: ArticleParse) -> tuple[int | None, str | None]:
    """The nearest preceding named entity of the wanted labels (gender-agnostic, nearest wins)."""
    k = bisect.bisect_left(parse.mention_starts, before)
    for m in reversed(parse.mentions[:k]):
        if m.label in labels and m.kind not in BORROWING_KINDS and m.span.end <= before:
            return (m.chain if m.chain >= 0 else None), (m.name or m.span.text)
    for ent in reversed([e for e in parse.doc.ents if e.end_char <= before]):
        if ent.label_ in labels:
            text = ent.text.strip()
            return _chain_by_name(text, parse), text
    for m in reversed(parse.mentions[:k]):  # a name the recogniser could not type is better than none
        if m.label == "OTHER" and m.kind not in BORROWING_KINDS and m.span.end <= before:
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
        if m.label != "PERSON" or m.kind != "name" or m.chain < 0 or inside_quotation(m.span.start, parse):
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
        sentence = sentence_index(parse.analysis, since)
        sentences = parse.analysis.sentences
        boundary = sentences[sentence].span.end if 0 <= sentence < len(sentences) else since
        rival = any(
            c.subject and c.mention.span.start >= boundary and c.mention.chain != previous.speaker_chain for c in cands
        )
        if fits and not rival:
            return previous.speaker_chain, previous.speaker_name
    first_para = bisect.bisect_right(parse.para_starts, before) - 1 - _SUBJECT_PARAGRAPHS
    floor = parse.para_starts[first_para] if first_para >= 0 else 0
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
    k = bisect.bisect_left(parse.mention_starts, before)
    mentions = parse.mentions[:k]
    out: list[_Candidate] = []
    for j in range(len(mentions) - 1, -1, -1):
        m = mentions[j]
        if m.kind in BORROWING_KINDS or m.span.end > before or inside_quotation(m.span.start, parse):
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
