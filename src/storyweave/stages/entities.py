"""Entity mentions within one article, grouped into coreference chains.

spaCy's per-mention NER is unreliable on foreign surnames (the same surname comes back as
PERSON, ORG, GPE or nothing within one article), so the parse is only the starting point:

1. NER spans, trimmed (possessive, trailing punctuation, leading article) and split from their
   titles ("President", "Mr", "Palace spokesman").
2. Person evidence beyond NER: honorific + name, role noun + name ("billionaire Jane Doe") and
   appositions with a role noun ("Jane Doe, the country's richest banker").
3. Document-level propagation: once a name is a person anywhere in the article, every later
   occurrence of that surname is a person mention, whatever NER said about it.
4. Chains: surname-only and title + surname mentions join the full name with that surname;
   acronyms join their expansion; role phrases ("the French president") join the one chain that
   holds a compatible role in this article, and stay on their own otherwise; he/she subjects
   join the nearest compatible person.
5. Unlabelled proper nouns are kept as ``candidate`` mentions so that cross-article resolution
   can attach them to a person or place named elsewhere; they never become entities alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Any

from storyweave.mention_links import describe
from storyweave.model import ArticleAnalysis, EntityType, Mention
from storyweave.names import (
    HONORIFICS,
    ORG_HEAD_WORDS,
    ROLE_HEADS,
    ROLE_NOUNS,
    SURNAME_PARTICLES,
    PersonName,
    acronym,
    acronym_definitions,
    acronym_key,
    fold,
    gender_of,
    gendered_same_person,
    is_acronym,
    org_key,
    parse_person,
    person_similarity,
    role_descriptor,
    roles_compatible,
    roman_key,
)
from storyweave.pipeline import Context, stage

#: spaCy labels -> the report's entity types; labels not listed (dates, numbers) are left to other stages.
LABEL_MAP: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "WORK_OF_ART": "OTHER",
    "LAW": "OTHER",
    "PRODUCT": "OTHER",
}
_PLACE_LABELS: frozenset[EntityType] = frozenset({"GPE", "LOC"})
_INDEFINITE = frozenset({"a", "an", "another", "one", "any", "some", "every", "each", "no", "which", "what", "whose"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_TRAILING_JUNK = re.compile(r"[\s\-–—,.;:!?\"'“”‘’()\[\]]+$")
_LEADING_JUNK = re.compile(r"^[\s\-–—,.;:!?\"'“”‘’()\[\]]+")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
#: Lower-case Arabic article particles written apart from the surname ("al Haddad").
_ARTICLE_PARTICLES = frozenset({"al", "el"})
_TITLE_RANKS = frozenset({"former", "deputy", "vice", "assistant", "acting", "interim", "chief", "senior", "top"})
_PRONOUN_WINDOW = 2  # sentences back that a he/she subject may reach for its antecedent


@dataclass
class _Cand:
    """A mention under construction: character offsets of the whole span and of the name in it."""

    start: int
    end: int
    label: EntityType
    kind: str = "name"
    name: str = ""
    title: str | None = None
    role: str | None = None
    strong: bool = False  # person evidence beyond NER: a title, a given name, an apposition
    chain: int = -1
    gender: str | None = None
    subject: bool = False
    roles: list[str] = field(default_factory=list)
    holder: _Cand | None = None  # the person an apposition names, for role phrases


def _role_cand(start: int, end: int, phrase: str, **kw: Any) -> _Cand:
    """A person mentioned by role ("the harbour master"): the phrase is its role and its first role."""
    return _Cand(start, end, "PERSON", kind="role", role=phrase, roles=[phrase], gender=gender_of(phrase), **kw)


# --------------------------------------------------------------------------- small helpers


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding punctuation, dashes, a possessive or a leading article."""
    chunk = text[start:end]
    m = re.search(r"['’]s?\s*$", chunk)
    if m and m.start() > 0 and (chunk[m.start() :].strip() in {"'s", "’s"} or chunk[m.start() - 1 : m.start()] == "s"):
        end = start + m.start()
        chunk = text[start:end]
    tail = _TRAILING_JUNK.search(chunk)
    if tail and tail.start() > 0:
        keep_dot = tail.group().startswith(".") and re.search(r"(?:\b[A-Za-z]\.){2,}$", chunk[: tail.start() + 1])
        end = start + tail.start() + (1 if keep_dot else 0)  # "U.S." keeps its last full stop
    head = _LEADING_JUNK.match(text[start:end])
    if head:
        start += head.end()
    lead = re.match(r"(the|The|THE)\s+", text[start:end])
    if lead and end - start > lead.end():
        start += lead.end()
    return start, end


_HYPHENS = frozenset({"-", "‐", "‑"})


def _hyphen_extent(doc: Any, first: int, last: int) -> tuple[int, int]:
    """Token range ``first:last`` grown over hyphen joins written without spaces, which the
    tokenizer splits ("El-Haddad" is El, -, Haddad) and NER often cuts in half."""

    def joined(k: int) -> bool:  # token k is a hyphen glued to a word on each side
        return (
            0 < k < len(doc) - 1
            and doc[k].text in _HYPHENS
            and not doc[k - 1].whitespace_
            and not doc[k].whitespace_
            and doc[k - 1].is_alpha
            and doc[k + 1].is_alpha
        )

    while joined(last) and doc[last + 1].text[:1].isupper():
        last += 2
    while first >= 2 and joined(first - 1):
        first -= 2
    return first, last


def _is_honorific(token: Any) -> bool:
    return token.text[:1].isupper() and token.text.rstrip(".").lower() in HONORIFICS


def _is_role_word(token: Any) -> bool:
    lower = token.lower_
    return (
        lower in ROLE_HEADS
        or token.lemma_.lower() in ROLE_HEADS
        or (lower.endswith("s") and lower[:-1] in ROLE_HEADS)
        or ("-" in token.text and lower in ROLE_NOUNS)
    )


#: Answers of the two tests above by the token's spelling (orth) or spelling and lemma, as spaCy's
#: integer hashes: they depend on nothing else, and asking spaCy for several strings of every token
#: of every article cost more than the rest of the token pass.
_HONORIFIC_BY_ORTH: dict[int, bool] = {}
_ROLE_WORD_BY_FORM: dict[tuple[int, int], bool] = {}
_MEMO_LIMIT = 200_000


def _token_tests(tokens: list[Any]) -> tuple[list[bool], list[bool]]:
    """:func:`_is_honorific` and :func:`_is_role_word` of each token, remembered by spelling."""
    if len(_HONORIFIC_BY_ORTH) > _MEMO_LIMIT or len(_ROLE_WORD_BY_FORM) > _MEMO_LIMIT:
        _HONORIFIC_BY_ORTH.clear()
        _ROLE_WORD_BY_FORM.clear()
    honorific: list[bool] = []
    role_word: list[bool] = []
    for token in tokens:
        orth = token.orth
        is_honorific = _HONORIFIC_BY_ORTH.get(orth)
        if is_honorific is None:
            is_honorific = _HONORIFIC_BY_ORTH[orth] = _is_honorific(token)
        form = (token.lower, token.lemma)
        is_role = _ROLE_WORD_BY_FORM.get(form)
        if is_role is None:
            is_role = _ROLE_WORD_BY_FORM[form] = _is_role_word(token)
        honorific.append(is_honorific)
        role_word.append(is_role)
    return honorific, role_word


def _is_plural(token: Any) -> bool:
    return token.tag_ in {"NNS", "NNPS"} or (token.lower_.endswith("s") and token.lower_[:-1] in ROLE_HEADS)


def _capitalised(token: Any) -> bool:
    return token.is_alpha and token.text[:1].isupper() and not token.is_stop


def _title_before(doc: Any, first: int) -> tuple[int, str | None, str | None]:
    """The title or role phrase directly before token ``first``: (its first token, title, role)."""
    if first == 0:
        return first, None, None
    prev = doc[first - 1]
    if _is_honorific(prev):
        return first - 1, prev.text, None
    # gather a role phrase leftwards: role words, rank words and capitalised modifiers
    i = first - 1
    saw_role = False
    limit = max(0, first - 8)
    while i >= limit:
        tok = doc[i]
        if _is_role_word(tok):
            saw_role = True
        elif _joins_role_phrase(doc, i, first):
            pass
        elif not tok.is_stop and (
            (tok.is_alpha and tok.text[:1].isupper()) or (tok.text.replace(".", "").isupper() and "." in tok.text)
        ):
            if not saw_role and not any(_is_role_word(doc[k]) for k in range(max(limit, i - 3), i)):
                break
        else:
            break
        i -= 1
    start = i + 1
    while start < first and not _is_role_word(doc[start]) and doc[start].text in {"'s", "’s", "-", "of", "for"}:
        start += 1
    if not saw_role or start >= first:
        return first, None, None
    phrase = doc[start:first].text
    title = phrase if start == first - 1 and doc[start].text[:1].isupper() else None
    return start, title, phrase


def _joins_role_phrase(doc: Any, i: int, first: int) -> bool:
    """Token ``i`` can sit inside a title phrase: a possessive, "of State", a rank word, "prime" (minister)."""
    tok = doc[i]
    if tok.text in {"'s", "’s", "-"} or tok.lower_ in _TITLE_RANKS:
        return True
    if tok.lower_ in {"of", "for"} and i + 1 < first and doc[i + 1].text[:1].isupper():
        return True
    return i + 1 < first and f"{tok.lower_} {doc[i + 1].lower_}" in ROLE_NOUNS


def _role_phrase(doc: Any, head: Any) -> tuple[int, int]:
    """Token range of the noun phrase a role noun heads: modifiers left, of/for complements right."""
    left = head.left_edge.i
    right = head.i
    for child in head.rights:
        objects = [g for g in child.children if g.dep_ == "pobj"]
        of_ok = child.lower_ == "for" or any(
            g.text[:1].isupper() or f"{head.lower_} of {g.lower_}" in ROLE_NOUNS for g in objects
        )
        complement = child.dep_ == "prep" and child.lower_ in {"of", "for"} and of_ok
        if child.i == right + 1 and (complement or child.dep_ in {"compound", "flat"}):
            right = child.right_edge.i
        else:
            break
    while left < head.i and (doc[left].is_punct or doc[left].dep_ in {"preconj", "predet", "cc"}):
        left += 1
    for k in range(head.i - 1, left - 1, -1):  # never reach back over a line break or a comma
        if "\n" in doc[k].text_with_ws or doc[k].text == ",":
            left = k + 1
            break
    return left, right + 1


# --------------------------------------------------------------------------- the stage


@stage("entities", scope="article", requires={"article", "doc", "flags", "sentences"}, assigns={"mentions"}, order=30)
def entities(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Mentions of people, organisations and places, with titles split off and chains numbered."""
    doc = analysis.doc
    if doc is None:
        return analysis
    return replace(analysis, mentions=tuple(find_mentions(analysis, doc)))


def find_mentions(analysis: ArticleAnalysis, doc: Any) -> list[Mention]:
    """Every mention of the article: names, roles and the descriptions and pronouns linked to them."""
    return describe(analysis, doc, named_mentions(analysis, doc))


def named_mentions(analysis: ArticleAnalysis, doc: Any) -> list[Mention]:
    """The mentions rules settle: names, acronyms, role phrases and he/she subjects, chained."""
    text = analysis.article.text
    covered = [False] * len(doc)  # tokens already inside a name, a title or a dropped entity
    # Each pass below looks at every token; build the tokens and their two costliest tests once.
    tokens = list(doc)
    honorific, role_word = _token_tests(tokens)
    cands: list[_Cand] = []
    label_votes: dict[str, dict[str, int]] = {}

    def cover(first: int, last: int) -> None:
        for k in range(first, last):
            covered[k] = True

    def char_to_token(start: int, end: int) -> tuple[int, int]:
        span = doc.char_span(start, end, alignment_mode="expand")
        return (span.start, span.end) if span is not None else (0, 0)

    # 1. NER spans, split on line breaks and trimmed
    for ent in doc.ents:
        cover(ent.start, ent.end)
        label = LABEL_MAP.get(ent.label_)
        if label is None:
            continue
        pieces: list[tuple[int, int]] = []
        piece_start = ent.start
        for tok in ent:
            if "\n" in tok.text_with_ws[len(tok.text) :] or tok.is_space:
                pieces.append((piece_start, tok.i + (0 if tok.is_space else 1)))
                piece_start = tok.i + 1
        pieces.append((piece_start, ent.end))
        for first, last in pieces:
            if first >= last:
                continue
            if label == "PERSON":
                first, last = _hyphen_extent(doc, first, last)
            start, end = _trimmed(text, doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))
            if end <= start or analysis.skipped(start, end):
                continue
            cand = _Cand(start, end, label, name=text[start:end])
            if label == "PERSON" and _org_head(cand.name):
                cand.label = "ORG"  # "Sabah Cement": a company named after its founder
            if cand.label == "PERSON":
                _split_title(doc, text, cand, char_to_token)
                tail = _after_common_words(cand.name)
                if tail != cand.name:  # a headline run into a name ("Minister halts Qarun dam")
                    if not tail:
                        continue
                    cand = _Cand(cand.end - len(tail), cand.end, "OTHER", kind="candidate", name=tail)
            label_votes.setdefault(fold(cand.name), {}).setdefault(cand.label, 0)
            label_votes[fold(cand.name)][cand.label] += 1
            cands.append(cand)

    # 2. person evidence NER missed: honorific or role noun + capitalised name, appositions
    for tok in tokens:
        i = tok.i
        if i + 1 >= len(doc) or not (honorific[i] or (role_word[i] and not _is_plural(tok))):
            continue
        first = i + 1
        last = first
        while (
            last < len(doc)
            and last - first < 3
            and _capitalised(tokens[last])
            and not honorific[last]
            and tokens[last].pos_ in {"PROPN", "NOUN", "ADJ"}
        ):
            if not honorific[i] and tokens[last].pos_ != "PROPN":
                break
            last = _hyphen_extent(doc, first, last + 1)[1]
        if last == first or role_word[first]:
            continue
        inside_org = tok.ent_type_ not in {"", "PERSON"} and tokens[first].ent_iob_ == "I"
        if inside_org and not honorific[i] and last - first < 2:
            continue  # the title word is part of an organisation's name ("General Motors")
        if honorific[i] or last - first >= 2 or tokens[first].ent_type_ in {"", "PERSON", "ORG"}:
            _add_person(analysis, doc, cands, first, last, strong=True)
    appositions: list[tuple[_Cand, int, int]] = []  # (person, role phrase token range)
    for tok in tokens:
        comma_name = (
            tok.dep_ == "nmod" and tok.pos_ == "PROPN" and tok.i + 1 < len(doc) and tokens[tok.i + 1].text == ","
        )
        if tok.dep_ != "appos" and not comma_name:  # "Jane Doe, the bank's chief" parsed as nmod
            continue
        for name_tok, role_tok in ((tok.head, tok), (tok, tok.head)):
            if role_tok.lower_ in {"one", "some"}:
                inner = [c for c in role_tok.rights if c.lower_ == "of"]
                objs = [g for c in inner for g in c.children if g.dep_ == "pobj"]
                role_tok = objs[0] if objs else role_tok
            if name_tok.pos_ != "PROPN" or not _capitalised(name_tok) or not _is_role_word(role_tok):
                continue
            first = name_tok.i
            while (
                first > 0
                and doc[first - 1].pos_ == "PROPN"
                and _capitalised(doc[first - 1])
                and not _is_honorific(doc[first - 1])
                and not _is_role_word(doc[first - 1])
                and (
                    doc[first - 1].dep_ in {"compound", "flat"}
                    or (doc[first - 1].ent_type_ in {"", "PERSON"} and doc[first - 1].whitespace_ == " ")
                )
            ):
                first -= 1
            first, last = _hyphen_extent(doc, first, name_tok.i + 1)
            person = _add_person(analysis, doc, cands, first, last, strong=True)
            if person is not None:
                left, right = _role_phrase(doc, role_tok)
                if not (left <= name_tok.i < right):
                    appositions.append((person, left, right))
            break

    # 3. document-level propagation of person names
    persons = [c for c in cands if c.label == "PERSON"]
    _demote_places(persons, label_votes)
    _promote_surnames(cands)
    persons = [c for c in cands if c.label == "PERSON"]
    surnames: dict[str, set[str]] = {}  # roman key of surname -> folded given names seen with it
    for c in persons:
        parsed = parse_person(c.name)
        if parsed is not None and " " not in parsed.surname:
            surnames.setdefault(roman_key(parsed.surname), set()).update(parsed.given[:1])
    if surnames:
        person_tokens: set[int] = set()
        for c in persons:
            first, last = char_to_token(c.start, c.end)
            person_tokens.update(range(first, last))
        for tok in tokens:
            if tok.i in person_tokens or not _capitalised(tok) or roman_key(fold(tok.text)) not in surnames:
                continue
            after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if after is not None and after.pos_ == "PROPN" and _capitalised(after) and after.i not in person_tokens:
                continue  # the surname names something else here: "Osei Shipping", "Nowak Foundation"
            given = surnames[roman_key(fold(tok.text))]
            first = _hyphen_extent(doc, tok.i, tok.i + 1)[0]
            if first == tok.i and first > 0 and doc[first - 1].lower_ in _ARTICLE_PARTICLES:
                first -= 1  # "al Haddad" written with a space
            while first > 0 and fold(doc[first - 1].text) in given and doc[first - 1].text[:1].isupper():
                first -= 1
            before = doc[first - 1] if first > 0 else None
            if (  # an unknown given name NER left out: one capitalised proper noun right before
                first == tok.i
                and before is not None
                and "-" not in text[before.idx : tok.idx]
                and before.pos_ == "PROPN"
                and _capitalised(before)
                and not before.ent_type_
                and not _is_honorific(before)
                and not _is_role_word(before)
                and before.i - 1 not in person_tokens
            ):
                first -= 1
            added = _add_person(analysis, doc, cands, first, tok.i + 1, strong=False)
            if added is not None:
                person_tokens.update(range(first, tok.i + 1))
    for c in cands:
        first, last = char_to_token(c.start, c.end)
        cover(first, last)

    # an organisation or place tagged inside a person's name is part of the name (one inside the
    # title, "Palace spokesman Jane Doe", stays: it names the organisation)
    person_spans = [(c.end - len(c.name), c.end) for c in cands if c.label == "PERSON"]
    cands[:] = [
        c for c in cands if c.label == "PERSON" or not any(s <= c.start and c.end <= e for s, e in person_spans)
    ]

    # 4. unlabelled proper nouns, for cross-article resolution only
    run: list[int] = []
    for tok in [*tokens, None]:
        if (
            tok is not None
            and not covered[tok.i]
            and tok.pos_ == "PROPN"
            and _capitalised(tok)
            and len(tok.text) > 2
            and not honorific[tok.i]
            and not role_word[tok.i]
        ):
            run.append(tok.i)
            continue
        if run and len(run) <= 3:
            start, end = doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]].text)
            if not analysis.skipped(start, end):
                name = text[start:end]
                if len(run) > 1 and _org_head(name):  # "Osei Shipping": a company NER did not tag
                    cands.append(_Cand(start, end, "ORG", name=name))
                else:
                    cands.append(_Cand(start, end, "OTHER", kind="candidate", name=name))
        run = []

    # 5. role mentions and chains
    role_cands = _role_mentions(analysis, doc, tokens, role_word, cands, appositions)
    _build_chains(cands, role_cands)
    pronouns = _pronouns(analysis, doc, tokens, cands + role_cands)
    return _to_mentions(analysis, cands + role_cands + pronouns)


def _org_head(name: str) -> bool:
    """A name of two words or more whose last word says it is a company or institution."""
    words = fold(name).split()
    return len(words) > 1 and words[-1] in ORG_HEAD_WORDS


def _after_common_words(name: str) -> str:
    """The name's words after its last lower-case common word (particles such as "van", "al-",
    "bin" belong to names); the whole name when it has none."""
    words = name.split()
    for k in range(len(words) - 1, -1, -1):
        word = words[k]
        if word[:1].islower() and fold(word.split("-")[0]) not in SURNAME_PARTICLES:
            return " ".join(words[k + 1 :])
    return name


def _split_title(doc: Any, text: str, cand: _Cand, char_to_token: Any) -> None:
    """Move honorifics and titles at the start of (or just before) a person span into ``title``/``role``."""
    first, last = char_to_token(cand.start, cand.end)
    while first < last - 1 and (_is_honorific(doc[first]) or _is_role_word(doc[first])):
        first += 1
    name_start = doc[first].idx
    title_start, title, role = _title_before(doc, first)
    inner = text[cand.start : name_start].strip()
    if title_start < first:
        cand.start = min(cand.start, doc[title_start].idx)
    if inner and not title:
        title = inner if title_start == first else f"{text[doc[title_start].idx : name_start].strip()}"
    cand.name = text[name_start : cand.end]
    cand.title = title
    cand.role = role or (
        inner
        if inner and any(_is_role_word(t) for t in doc[char_to_token(cand.start, name_start)[0] : first])
        else None
    )
    if cand.title or cand.role or len(cand.name.split()) > 1:
        cand.strong = True
    cand.gender = gender_of(f"{cand.title or ''} {cand.role or ''}")
    if cand.role:
        cand.roles.append(cand.role)


def _add_person(
    analysis: ArticleAnalysis, doc: Any, cands: list[_Cand], first: int, last: int, *, strong: bool
) -> _Cand | None:
    """Make tokens ``first:last`` a PERSON name (with any title before it), replacing overlapping non-person spans."""
    text = analysis.article.text
    start, end = _trimmed(text, doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))
    if end <= start or analysis.skipped(start, end):
        return None
    for c in cands:
        if c.start < end and start < c.end and c.label == "PERSON":
            c.strong = c.strong or strong
            return c
    cands[:] = [c for c in cands if not (c.start < end and start < c.end)]
    cand = _Cand(start, end, "PERSON", name=text[start:end], strong=strong)
    title_start, title, role = _title_before(doc, first)
    if title_start < first:
        cand.start = doc[title_start].idx
        cand.title, cand.role = title, role
        cand.strong = True
        cand.gender = gender_of(f"{title or ''} {role or ''}")
        if role:
            cand.roles.append(role)
    cands.append(cand)
    return cand


def _demote_places(persons: list[_Cand], label_votes: dict[str, dict[str, int]]) -> None:
    """A one-word "person" with no title or given name that NER also tags as a place is a place."""
    for c in persons:
        if c.strong or " " in c.name.strip():
            continue
        votes = label_votes.get(fold(c.name), {})
        place_votes = sum(n for label, n in votes.items() if label in _PLACE_LABELS)
        if place_votes:
            c.label = max(_PLACE_LABELS, key=lambda lab: (votes.get(lab, 0), lab))
    strong_names = {
        roman_key(fold(c.name.split()[-1])) for c in persons if c.strong and c.label == "PERSON" and c.name.split()
    }
    for c in persons:
        if c.label != "PERSON" and c.name.split() and roman_key(fold(c.name.split()[-1])) in strong_names:
            c.label = "PERSON"


def _promote_surnames(cands: list[_Cand]) -> None:
    """A surname alone that NER called an organisation ("Abdel-Rahman said") is a person when the
    article names that person in full with a title or given name. Places keep their label."""
    strong = {
        roman_key(p.surname)
        for c in cands
        if c.label == "PERSON" and c.strong and (p := parse_person(c.name)) is not None and p.full
    }
    for c in cands:
        if c.label not in {"ORG", "NORP", "OTHER"} or c.kind != "name" or _org_head(c.name):
            continue
        p = parse_person(c.name)
        if p is not None and not p.full and " " not in p.surname and roman_key(p.surname) in strong:
            c.label = "PERSON"


def _role_mentions(
    analysis: ArticleAnalysis,
    doc: Any,
    tokens: list[Any],
    role_word: list[bool],
    cands: list[_Cand],
    appositions: list[tuple[_Cand, int, int]],
) -> list[_Cand]:
    """Definite role noun phrases ("the Hungarian president") that are not a title of a name."""
    text = analysis.article.text
    taken = sorted((c.start, c.end) for c in cands if c.label == "PERSON")
    out: list[_Cand] = []
    appos_ranges = {(left, right): person for person, left, right in appositions}
    for (left, right), person in appos_ranges.items():
        start, end = _trimmed(text, doc[left].idx, doc[right - 1].idx + len(doc[right - 1].text))
        if end > start and not analysis.skipped(start, end):
            phrase = text[start:end]
            person.roles.append(phrase)
            out.append(_role_cand(start, end, phrase, strong=True, holder=person))
    for tok in tokens:
        if not role_word[tok.i] or tok.pos_ not in {"NOUN", "PROPN"} or _is_plural(tok):
            continue
        if tok.dep_ in {"compound", "appos"} or any(c.dep_ == "appos" for c in tok.children):
            continue
        if any(c.lower_ in _INDEFINITE for c in tok.lefts if c.dep_ in {"det", "nummod"}):
            continue
        left, right = _role_phrase(doc, tok)
        definite = any(c.dep_ in {"det", "poss"} for c in tok.lefts) or any(
            c.dep_ in {"compound", "amod", "nmod"} and c.text[:1].isupper() for c in tok.lefts
        )
        if not definite:
            continue
        start, end = _trimmed(text, doc[left].idx, doc[right - 1].idx + len(doc[right - 1].text))
        if end <= start or analysis.skipped(start, end):
            continue
        k = bisect.bisect_left(taken, (end, end))
        if any(s < end and start < e for s, e in taken[max(0, k - 3) : k + 1]):
            continue
        if any(r.start < end and start < r.end for r in out):
            continue
        if role_descriptor(text[start:end]) is None:
            continue
        out.append(_role_cand(start, end, text[start:end], subject=tok.dep_ in _SUBJECT_DEPS))
    return out


def _build_chains(cands: list[_Cand], role_cands: list[_Cand]) -> None:
    """Number chains: full names, then surnames, other names, acronyms, then roles."""
    cands.sort(key=lambda c: (c.start, c.end))
    next_chain = 0
    person_chains: dict[int, list[_Cand]] = {}
    parsed = {id(c): parse_person(c.name) for c in cands if c.label == "PERSON"}

    def new_chain() -> int:
        nonlocal next_chain
        next_chain += 1
        return next_chain - 1

    chain_names: dict[int, set[PersonName]] = {}  # distinct names per chain, so long articles stay cheap
    chain_first: dict[int, int] = {}
    chain_genders: dict[int, set[str]] = {}
    for full_pass in (True, False):
        for c in cands:
            p = parsed.get(id(c))
            if c.label != "PERSON" or p is None or p.full != full_pass:
                continue
            best, best_score = -1, 0.0
            matches: list[int] = []
            for chain, names in chain_names.items():
                scores = [person_similarity(p, q) or (1.0 if gendered_same_person(p, q) else 0.0) for q in names]
                if scores and min(scores) > 0:
                    matches.append(chain)
                    if max(scores) > best_score:
                        best, best_score = chain, max(scores)
            if not full_pass:  # a surname refers back to a full name given earlier, of a compatible gender
                matches = [
                    ch
                    for ch in matches
                    if chain_first[ch] < c.start and (c.gender is None or chain_genders[ch] <= {c.gender})
                ]
                best = matches[0] if len(matches) == 1 else -1
                if len(matches) > 1:  # several fit: only an exact surname decides
                    exact = [ch for ch in matches if any(q.surname == p.surname for q in chain_names[ch])]
                    best = exact[0] if len(exact) == 1 else -1
                if not matches:
                    best = _tail_of_full_name(c, person_chains, parsed)
                    if best < 0:
                        best = _given_name_chain(p, c, chain_names, chain_first, chain_genders)
                    if best >= 0:  # the mention stands for the full name ("Zhang" for Zhang Wei)
                        full = next(m for m in person_chains[best] if (pm := parsed[id(m)]) is not None and pm.full)
                        full_person = parsed[id(full)]
                        assert full_person is not None  # chosen for having one
                        c.name, p = full.name, full_person
            if best < 0:
                best = new_chain()
                person_chains[best] = []
                chain_names[best] = set()
                chain_first[best] = c.start
                chain_genders[best] = set()
            chain_names[best].add(p)
            chain_first[best] = min(chain_first[best], c.start)
            if c.gender:
                chain_genders[best].add(c.gender)
            person_chains[best].append(c)
            c.chain = best
    # organisations, places and the rest: one chain per normalised name, acronyms join expansions
    by_key: dict[str, int] = {}
    for c in cands:
        if c.label == "PERSON" and c.chain >= 0:
            continue
        key = org_key(c.name)
        if is_acronym(c.name.strip()):
            c.kind = "acronym" if c.kind == "name" else c.kind
            key = "acr:" + acronym_key(c.name.strip())
        if key not in by_key:
            by_key[key] = new_chain()
        c.chain = by_key[key]
    for key, chain in list(by_key.items()):
        if key.startswith("acr:") and len(key) >= 7:  # three letters or more
            expansions = {
                ch
                for k, ch in by_key.items()
                if not k.startswith("acr:") and acronym(k) == key[4:] and len(k.split()) > 1
            }
            if len(expansions) == 1:
                target = expansions.pop()
                for c in cands:
                    if c.chain == chain:
                        c.chain = target
    # roles: appositions go to their holder; others to the one chain that holds a compatible role
    holders: dict[int, list[Any]] = {}
    for c in cands:
        if c.label == "PERSON":
            for role in c.roles:
                d = role_descriptor(role)
                if d is not None:
                    holders.setdefault(c.chain, []).append(d)
    unnamed: dict[str, int] = {}
    for r in role_cands:
        if r.holder is not None:
            r.chain = r.holder.chain
            continue
        d = role_descriptor(r.role or "")
        fits = sorted({ch for ch, ds in holders.items() if d is not None and any(roles_compatible(d, h) for h in ds)})
        if len(fits) == 1:
            r.chain = fits[0]
        else:  # no single holder: the same role phrase again is the same unnamed person
            key = org_key(r.role or "")
            if key not in unnamed:
                unnamed[key] = new_chain()
            r.chain = unnamed[key]
    for members in person_chains.values():
        genders = {m.gender for m in members if m.gender}
        chain_gender = genders.pop() if len(genders) == 1 else None
        for m in members:
            m.gender = chain_gender


def _tail_of_full_name(c: _Cand, person_chains: dict[int, list[_Cand]], parsed: dict[int, Any]) -> int:
    """The one earlier chain whose full name, as written, ends with this mention's two or more words.

    "Al Mansouri" after "Ibrahim Al Mansouri": a leading capitalised "Al" may be a given name (so
    names.py keeps it), but repeating the end of a full name already given is a surname reference.
    """
    words = fold(c.name).split()
    if len(words) < 2:
        return -1
    fits = {
        ch
        for ch, members in person_chains.items()
        for m in members
        if m.start < c.start
        and (q := parsed.get(id(m))) is not None
        and q.full
        and fold(m.name).split()[-len(words) :] == words
        and len(fold(m.name).split()) > len(words)
    }
    return fits.pop() if len(fits) == 1 else -1


def _given_name_chain(
    p: PersonName,
    c: _Cand,
    chain_names: dict[int, set[PersonName]],
    chain_first: dict[int, int],
    chain_genders: dict[int, set[str]],
) -> int:
    """The one earlier chain whose full name starts with this single word, or -1.

    Names written family name first ("Zhang Wei" then "Zhang said") and first-name references
    ("Karim said") repeat the first word of the full name. Only when no surname in the article is
    that word and exactly one full name starts with it.
    """
    word = p.surname
    if " " in word or any(roman_key(q.surname) == roman_key(word) for qs in chain_names.values() for q in qs):
        return -1
    fits = [
        ch
        for ch, names in chain_names.items()
        if chain_first[ch] < c.start
        and (c.gender is None or chain_genders[ch] <= {c.gender})
        and any(len(q.given) == 1 and q.given[0] == word for q in names)
    ]
    return fits[0] if len(fits) == 1 else -1


def _pronouns(analysis: ArticleAnalysis, doc: Any, tokens: list[Any], cands: list[_Cand]) -> list[_Cand]:
    """He/she subjects outside quotations, resolved to the nearest compatible person before them."""
    text = analysis.article.text
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    people = sorted((c for c in cands if c.label == "PERSON" and c.chain >= 0), key=lambda c: c.start)
    starts = [c.start for c in people]
    sentence_starts = [sent.start for sent in doc.sents] if people else []

    def sentence_of(i: int, default: int) -> int:
        """Index of the sentence holding token ``i`` (the sentences tile the parse)."""
        return bisect.bisect_right(sentence_starts, i) - 1 if sentence_starts else default

    deps = [tok.dep_ for tok in tokens]
    subject_chars = {tok.idx for tok, dep in zip(tokens, deps, strict=True) if dep in _SUBJECT_DEPS}
    chain_gender: dict[int, str] = {}
    for c in people:
        if c.gender:
            chain_gender.setdefault(c.chain, c.gender)
    out: list[_Cand] = []
    for tok, dep in zip(tokens, deps, strict=True):
        if dep not in _SUBJECT_DEPS or tok.lower_ not in {"he", "she"}:
            continue
        if analysis.skipped(tok.idx, tok.idx + len(tok.text)) or any(s < tok.idx < e for s, e in quoted):
            continue
        gender = "m" if tok.lower_ == "he" else "f"
        here = sentence_of(tok.i, 0)
        k = bisect.bisect_left(starts, tok.idx)
        window = []
        for c in reversed(people[:k]):
            c_sentence = sentence_of(doc.char_span(c.start, c.end, alignment_mode="expand")[0].i, here)
            if here - c_sentence > _PRONOUN_WINDOW:
                break
            if chain_gender.get(c.chain, gender) != gender or any(s < c.start < e for s, e in quoted):
                continue
            window.append(c)
        if not window:
            continue
        subjects = [
            c
            for c in window
            if c.subject
            or c.start in subject_chars
            or any(t.dep_ in _SUBJECT_DEPS for t in doc.char_span(c.start, c.end, alignment_mode="expand"))
        ]
        antecedent = (subjects or window)[0]
        out.append(_Cand(tok.idx, tok.idx + len(tok.text), "PERSON", kind="pronoun", name="", chain=antecedent.chain))
    return out


def _to_mentions(analysis: ArticleAnalysis, cands: list[_Cand]) -> list[Mention]:
    """Mentions in text order, chains renumbered by first appearance so numbering is stable."""
    cands = sorted(cands, key=lambda c: (c.start, c.end, c.kind))
    expansions = acronym_definitions(analysis.article.text)
    renumber: dict[int, int] = {}
    sentence_starts = [s.span.start for s in analysis.sentences]
    out: list[Mention] = []
    for c in cands:
        if c.chain < 0:
            continue
        chain = renumber.setdefault(c.chain, len(renumber))
        sentence = bisect.bisect_right(sentence_starts, c.start) - 1 if sentence_starts else -1
        name = c.name.strip() if c.kind != "role" else ""
        if c.label == "PERSON" and c.kind in {"name", "candidate"}:
            name = re.sub(r"['’]s$", "", name)
        out.append(
            Mention(
                span=analysis.span(c.start, c.end),
                label=c.label,
                kind=c.kind,
                name=name,
                title=c.title,
                role=c.role,
                chain=chain,
                sentence=sentence,
                expansion=expansions.get(acronym_key(name)) if c.kind == "acronym" else None,
            )
        )
    return out


__all__ = ["LABEL_MAP", "entities", "find_mentions", "named_mentions"]
