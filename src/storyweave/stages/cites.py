"""Finds the outlets an article credits (``cites``).

Cites come from the grammar around reporting words ("X reported", "according to X", "told X",
"per X", "X quoted …", "a statement relayed to X") in the parse; no outlet names are listed. A
name counts only when it reads like an organisation's proper name, is not a person, place or
public institution, and appears mostly in such crediting roles (an actor that "said" or "denied"
things throughout the story is a participant, not a source).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from storyweave.model import ArticleAnalysis
from storyweave.names import HONORIFICS
from storyweave.pipeline import Context, stage

#: Words that make a name a public body or company, not a news outlet.
_INSTITUTION_WORDS = {
    "ministry",
    "department",
    "government",
    "office",
    "police",
    "army",
    "navy",
    "forces",
    "council",
    "committee",
    "commission",
    "court",
    "tribunal",
    "parliament",
    "senate",
    "congress",
    "assembly",
    "administration",
    "cabinet",
    "bureau",
    "authority",
    "authorities",
    "board",
    "embassy",
    "party",
    "agency",
    "bank",
    "fund",
    "university",
    "institute",
    "hospital",
    "union",
    "organization",
    "organisation",
    "alliance",
    "coalition",
    "service",
    "services",
    "inc",
    "corp",
    "corporation",
    "ltd",
    "group",
    "company",
    "holdings",
    "industries",
    "plc",
    "llc",
    "gmbh",
    "limited",
    "nations",
    "command",
    "guard",
    "house",
    "state",
    "states",
    "republic",
    "federation",
    "secretariat",
    "presidency",
    "intelligence",
    "spokesman",
    "spokeswoman",
    # laws and documents, which the small model's LAW label cannot be trusted to separate from outlets
    "act",
    "law",
    "treaty",
    "convention",
    "constitution",
    "charter",
    "bill",
    "code",
    "directive",
    "article",
}
_BAD_LABELS = {
    "PERSON",
    "NORP",
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "CARDINAL",
    "ORDINAL",
    "QUANTITY",
    "LANGUAGE",
}
#: Labels the small model often gives outlet names by mistake: trusted only when the construction is
#: a weak cue ("according to X", "told X"), not when X itself "reported" or "quoted". FAC and LAW are
#: left out altogether for the same reason (laws are caught by their head words above).
_DOUBTFUL_LABELS = {"GPE", "LOC", "EVENT"}
#: Generic words for kinds of media. Never used to find outlets, only to overrule a PERSON label on
#: a name that ends in one ("X Radio" is no person's name).
_MEDIA_WORDS = {
    "radio",
    "tv",
    "television",
    "network",
    "news",
    "channel",
    "broadcasting",
    "broadcaster",
    "magazine",
    "newspaper",
    "journal",
    "gazette",
    "herald",
    "tribune",
    "review",
    "monitor",
    "wire",
    "daily",
    "weekly",
    "media",
    "chronicle",
    "courier",
    "bulletin",
    "dispatch",
    "echo",
    "watch",
    "observer",
    "digest",
    "online",
    "times",
    "post",
    "press",
    "telegraph",
    "express",
    "mirror",
    "sentinel",
    "inquirer",
    "ledger",
}
#: Nouns for a piece of journalism: "said in a report", "a report by X".
_REPORT_NOUNS = {"report", "article", "story", "investigation", "analysis", "broadcast", "interview", "piece"}
#: Heads of "to X"/"with X" that pass words on to a publication ("a statement relayed to X").
_RELAY_HEADS = {"relay", "speak", "talk", "statement", "interview", "comment", "remark", "say", "give", "tell"}
#: Verbs that pass a statement on to someone ("a statement sent to X", "comments emailed to X").
#: They pass statements to officials and companies too, so they credit X only when what is passed
#: is a statement or X's name ends in a media word.
_TRANSMISSION_VERBS = {"send", "provide", "email", "e-mail", "release", "forward", "pass", "leak", "issue", "supply"}
_STATEMENT_NOUNS = {
    "statement",
    "comment",
    "comments",
    "remark",
    "remarks",
    "letter",
    "email",
    "e-mail",
    "message",
    "note",
    "response",
    "reply",
    "answer",
    "answers",
    "video",
    "recording",
    "transcript",
    "memo",
    "document",
}
_COLLECTIVE_SUBJECTS = {"outlet", "media", "newspaper", "paper", "agency", "report", "publication", "network"}
_DATELINE_AGENCY = re.compile(r"(?m)^[A-Z][A-Z .'’-]{1,40}(?:,[^()\n]{1,40})?\s*\(([A-Z][^()\n]{0,38})\)\s*[-–—]\s")
_POSSESSIVE = re.compile(r"['’]s?$")


def cite_key(name: str) -> str:
    """Matching form of an outlet name: case-folded, without a leading "the" or a possessive."""
    key = " ".join(name.replace("\u00a0", " ").split())
    key = _POSSESSIVE.sub("", key)
    key = re.sub(r"^the\s+", "", key, flags=re.I)
    return key.casefold()


def _name_spans(token: Any) -> list[tuple[int, int]]:
    """Token index ranges of the proper name(s) headed by ``token``.

    Usually one; several when the tagger made a single entity of coordinated names ("X and Y"),
    which the parse then often attaches oddly, so the entity is split at its coordinators.
    """
    doc = token.doc
    if token.ent_type_ and token.ent_iob_ != "O":
        for ent in doc.ents:
            if ent.start <= token.i < ent.end:
                return _split_at_coordination(doc, ent.start, ent.end)
    start = token.i
    while start > 0:
        prev = doc[start - 1]
        if prev.head.i == token.i or prev.head.i in range(start, token.i + 1):
            if prev.dep_ in ("compound", "amod", "nmod", "flat") and (prev.text[:1].isupper() or prev.is_digit):
                start -= 1
                continue
            if prev.dep_ == "det" and prev.text == "The":
                start -= 1
                continue
        break
    end = token.i + 1
    while (
        end < len(doc)
        and doc[end].head.i == token.i
        and doc[end].dep_ in ("nummod", "compound", "flat")
        and (doc[end].like_num or doc[end].text[:1].isupper())
    ):
        end += 1  # "Channel 7", "Radio Four"
    return [(start, end)]


def _split_at_coordination(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    """An entity cut at "and"/"or"/commas; "&" stays, as it joins the words of one name."""
    parts: list[tuple[int, int]] = []
    begin = start
    for i in range(start, end):
        if doc[i].lower_ in ("and", "or", ","):
            if i > begin:
                parts.append((begin, i))
            begin = i + 1
    if end > begin:
        parts.append((begin, end))
    return parts


def _candidates(token: Any, strong: bool) -> list[tuple[str, int]]:
    """``(display name, char offset)`` for each outlet-like proper name headed by ``token``."""
    out: list[tuple[str, int]] = []
    for start, end in _name_spans(token):
        found = _candidate(token.doc, start, end, strong)
        if found is not None:
            out.append(found)
    return out


def _candidate(doc: Any, start: int, end: int, strong: bool) -> tuple[str, int] | None:
    """``(display name, char offset)`` when tokens ``start:end`` read like an outlet's name."""
    tokens = [t for t in doc[start:end] if not t.is_punct or t.text in "&.-"]
    while tokens and (tokens[-1].text in ("'s", "’s", "'", "’") or tokens[-1].is_punct):
        tokens.pop()
    while tokens and tokens[0].lower_ == "the" and tokens[0].text != "The":
        tokens.pop(0)
    if not tokens:
        return None
    content = [t for t in tokens if t.lower_ not in ("the", "of", "and", "&", "for", "de", "la", "le")]
    if not content or any(not (t.text[:1].isupper() or t.text[:1].isdigit()) for t in content):
        return None
    if not any(t.pos_ == "PROPN" for t in content) and not all(t.text.isupper() for t in content):
        return None
    if any(t.pos_ == "PRON" for t in tokens):
        return None
    labels = {t.ent_type_ for t in tokens if t.ent_type_ and not t.like_num}
    if "PERSON" in labels and len(content) > 1 and content[-1].lower_ in _MEDIA_WORDS:
        labels.discard("PERSON")  # "X Radio", "X Network": the small model often calls these people
    if labels & _BAD_LABELS:
        return None
    # a name with a media word ("Lake Radio", "Delta News Agency") is an outlet even when the model
    # calls it a place or it holds an institution word
    last = [t.lower_ for t in content[-2:]]
    media_name = last[-1] in _MEDIA_WORDS or (
        len(last) == 2 and last[0] in _MEDIA_WORDS and last[1] in {"agency", "service", "network", "group"}
    )
    if labels & _DOUBTFUL_LABELS and not strong and not media_name:
        return None
    if not media_name and any(t.lower_.strip(".") in _INSTITUTION_WORDS for t in content):
        return None
    text = doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    return text, tokens[0].idx


def _with_conjuncts(token: Any) -> list[Any]:
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(_with_conjuncts(child))
    return out


def _is_result_object(obj: Any) -> bool:
    """An object that makes "X reported …" a result, not news: "a loss", "40 cases", "record profits"
    (indefinite, counted or bare), as opposed to "the collapse" or "the news"."""
    if obj.pos_ == "NUM" or any(c.dep_ in ("nummod", "quantmod") for c in obj.children):
        return True
    if obj.pos_ != "NOUN":
        return False
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in obj.children)
    return not definite and not any(c.dep_ == "poss" for c in obj.children)


def _outlets_of_addressee(obj: Any) -> Iterator[Any]:
    """For "told X": X itself, or the possessor in "told Outlet's Jane Doe" (a person is no outlet)."""
    owners = [c for c in obj.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
    if owners:
        yield from owners
    elif obj.ent_type_ != "PERSON" or obj.lower_ in _MEDIA_WORDS:
        yield obj


def _objects_of(prep: Any) -> list[Any]:
    """The objects of a preposition or agent ("by X and Y"), conjuncts included."""
    return [t for pobj in prep.children if pobj.dep_ == "pobj" for t in _with_conjuncts(pobj)]


def _subjects_of_reporting_verb(verb: Any) -> Iterator[Any]:
    """Who "reported"/"quoted"/"wrote": the subject (or the outlets a collective subject lists,
    "outlets including X and Y"), or the agent of the passive ("reported by X")."""
    result = any(c.dep_ == "dobj" and _is_result_object(c) for c in verb.children) or any(
        c.dep_ == "prt" for c in verb.children
    )  # "reported a loss", "wrote off 3 million": results, not news
    for child in verb.children:
        if child.dep_ == "agent":
            yield from _objects_of(child)
        elif child.dep_ != "nsubj" or (result and verb.lemma_.lower() != "quote"):
            continue
        elif child.lemma_.lower() in _COLLECTIVE_SUBJECTS and not _heads_a_name(child):
            for prep in child.children:
                if prep.lower_ in ("including", "like", "as"):
                    yield from _objects_of(prep)
        else:
            for subject in _with_conjuncts(child):
                yield from _outlets_of_addressee(subject)


def _heads_a_name(token: Any) -> bool:
    """Whether ``token`` ends a proper name ("Delta News Agency") rather than being the common noun
    ("the agency", "outlets including X"): capitalised, and inside an entity or after a proper noun."""
    if not token.text[:1].isupper():
        return False
    return token.ent_iob_ == "I" or any(c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" for c in token.children)


#: The lemmas and the words (lower case) that open a crediting construction in
#: :func:`_credited_heads`; any other token is skipped without reading its strings.
_CREDIT_LEMMAS = frozenset(
    {"report", "quote", "write", "publish", "broadcast", "air", "accord", "tell", *_REPORT_NOUNS}
)
_CREDIT_WORDS_LOWER = frozenset({"per", "to", "with"})
#: (lemma hash, lower-case hash) -> whether the token may open a crediting construction.
_MAY_CREDIT: dict[tuple[int, int], bool] = {}


def _may_credit(token: Any) -> bool:
    """False for a token none of the crediting constructions starts with (most of them)."""
    key = (token.lemma, token.lower)
    found = _MAY_CREDIT.get(key)
    if found is None:
        if len(_MAY_CREDIT) > 200_000:
            _MAY_CREDIT.clear()
        found = _MAY_CREDIT[key] = token.lemma_.lower() in _CREDIT_LEMMAS or token.lower_ in _CREDIT_WORDS_LOWER
    return found


def _credited_heads(doc: Any) -> Iterator[tuple[Any, bool]]:
    """``(head token of a credited name, strong?)`` for each crediting construction in ``doc``.

    Strong cues make the name itself the reporter ("X reported", "a report by X", "per X"); weak
    ones only pass words to it ("according to X", "told X"), so they trust fewer entity labels.
    """
    for token in doc:
        if not _may_credit(token):
            continue
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in ("report", "quote", "write"):
            yield from ((t, True) for t in _subjects_of_reporting_verb(token))
        elif token.pos_ == "VERB" and lemma in ("publish", "broadcast", "air"):
            for child in token.children:  # only the passive "published by X": companies publish results too
                if child.dep_ == "agent":
                    yield from ((t, True) for t in _objects_of(child))
        elif token.pos_ == "NOUN" and lemma in _REPORT_NOUNS:
            for child in token.children:
                if child.dep_ == "poss":
                    yield child, True
                elif child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from", "in"):
                    yield from ((t, True) for t in _objects_of(child))
            if token.dep_ == "pobj" and token.head.lower_ == "in" and token.head.head.lemma_.lower() == "say":
                yield from ((c, True) for c in token.head.head.children if c.dep_ == "nsubj")
        elif lemma == "accord" and token.lower_ == "according":
            for prep in token.children:
                if prep.lower_ == "to":
                    yield from ((t, False) for t in _objects_of(prep))
        elif token.lower_ == "per" and token.dep_ == "prep":
            yield from ((t, True) for t in _objects_of(token))
        elif lemma == "tell" and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in ("dobj", "dative", "iobj"):
                    for obj in _with_conjuncts(child):
                        yield from ((o, False) for o in _outlets_of_addressee(obj))
        elif token.lower_ in ("to", "with") and token.dep_ in ("prep", "dative"):
            head_lemma = token.head.lemma_.lower()
            if head_lemma in _RELAY_HEADS and (token.lower_ == "to" or head_lemma == "interview"):
                for obj in _objects_of(token):
                    yield from ((o, False) for o in _outlets_of_addressee(obj))
            elif head_lemma in _TRANSMISSION_VERBS and token.lower_ == "to":
                verb = token.head
                carried = verb.head.lemma_.lower() in _STATEMENT_NOUNS or any(
                    c.dep_ in ("nsubjpass", "dobj") and c.lemma_.lower() in _STATEMENT_NOUNS for c in verb.children
                )
                for obj in _objects_of(token):
                    if carried or obj.lower_ in _MEDIA_WORDS:
                        yield from ((o, False) for o in _outlets_of_addressee(obj))


#: Entity labels of places and bodies: an outlet is often named after the place it serves.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})


class _PersonWords:
    """The words of one article's person names, read once: surnames of named people ("Jane Smith"),
    and words used as a person elsewhere (inside a PERSON entity, after an honorific)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.surnames = {
            ent[-1].lower_ for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2 and ent[-1].is_alpha
        }

    def used_as_person(self, word: str, start: int, end: int) -> bool:
        """Whether ``word`` names a person anywhere outside tokens ``start:end``."""
        doc = self.doc
        for t in doc:
            if t.lower_ != word or start <= t.i < end:
                continue
            if t.ent_type_ == "PERSON" or (t.i > 0 and doc[t.i - 1].lower_.rstrip(".") in HONORIFICS):
                return True
        return False

    def named_place(self, word: str, start: int, end: int) -> bool:
        """Whether ``word`` is part of a place's or body's name outside tokens ``start:end``."""
        return any(t.lower_ == word and t.ent_type_ in _PLACE_LABELS for t in self.doc if not start <= t.i < end)


def _sentence_final_credits(doc: Any, people: _PersonWords) -> Iterator[tuple[str, int]]:
    """Names the tagger calls people in the closing credit of a sentence, "…, X Y reported.", that
    read as an outlet: no word of the name is used as a person anywhere in the article (no honorific,
    no other PERSON mention, no he/she taking up the name in the next sentence) and a word of it names
    a place or body elsewhere ("Radio" in another language, followed by the town it serves).

    A journalist's byline in that slot ("…, Jane Smith reported") has neither a place word nor, when
    introduced elsewhere ("Jane Smith, a reporter"), an unused name, so it stays out."""
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() != "report" or verb.i + 1 >= len(doc):
            continue
        if doc[verb.i + 1].text not in (".", "!") or any(c.dep_ in ("dobj", "prt") for c in verb.children):
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.ent_type_ == "PERSON"]
        if len(subjects) != 1:
            continue
        ent = next((e for e in doc.ents if e.start <= subjects[0].i < e.end), None)
        if ent is None or ent.end != verb.i or ent.start == 0 or doc[ent.start - 1].text != ",":
            continue
        words = [t.lower_ for t in ent]
        if len(words) < 2 or not all(t.is_alpha and t.text[:1].isupper() for t in ent):
            continue
        if any(w in HONORIFICS for w in words) or any(people.used_as_person(w, ent.start, ent.end) for w in words):
            continue
        following = doc[verb.i + 1].sent
        if following.start == verb.sent.start:
            following = doc[verb.sent.end].sent if verb.sent.end < len(doc) else None
        if following is not None and any(
            t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in ("he", "she") for t in following
        ):
            continue
        if any(people.named_place(w, ent.start, ent.end) for w in words):
            yield ent.text, ent.start_char


def article_cites(analysis: ArticleAnalysis) -> tuple[str, ...]:
    """Outlets the article credits, in order of first mention, each once (display form as written)."""
    doc = analysis.doc
    if doc is None:
        return ()
    text = analysis.article.text
    found: list[tuple[int, str]] = []
    credited_at: dict[str, set[int]] = {}
    people = _PersonWords(doc)
    for head, strong in _credited_heads(doc):
        if analysis.skipped(head.idx, head.idx + len(head.text)):
            continue
        for name, offset in _candidates(head, strong):
            if " " not in name and name.casefold() in people.surnames:
                continue  # "…, Smith reported" after "Jane Smith, a reporter": a person, whatever the tag
            found.append((offset, name))
            credited_at.setdefault(cite_key(name), set()).add(offset)
    for name, offset in _sentence_final_credits(doc, people):
        if not analysis.skipped(offset, offset + len(name)):
            found.append((offset, name))
            credited_at.setdefault(cite_key(name), set()).add(offset)
    for m in _DATELINE_AGENCY.finditer(text):
        if not analysis.skipped(m.start(1), m.end(1)):
            found.append((m.start(1), m.group(1).strip()))
            credited_at.setdefault(cite_key(m.group(1)), set()).add(m.start(1))
    own = cite_key(analysis.article.outlet) if analysis.article.outlet else None
    cites: list[str] = []
    keys: set[str] = set()
    for _offset, name in sorted(found):
        key = cite_key(name)
        if key in keys or key == own or not key:
            continue
        if not _mostly_credited(text, name, len(credited_at.get(key, ())), analysis):
            continue
        keys.add(key)
        cites.append(name)
    return tuple(cites)


def _mostly_credited(text: str, name: str, credited: int, analysis: ArticleAnalysis) -> bool:
    """True when at least half the name's mentions (outside boilerplate) credit it as a source."""
    core = re.sub(r"^the\s+", "", name, flags=re.I)
    pattern = re.compile(rf"(?<![\w-]){re.escape(core)}(?![\w-])")
    total = sum(1 for m in pattern.finditer(text) if not analysis.skipped(m.start(), m.end()))
    return total == 0 or credited * 2 >= total


@stage("cites", scope="article", requires={"doc", "flags"}, assigns={"article.cites"}, order=12)
def cites(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Sets ``article.cites`` from the text (keeping any cites the source already gave)."""
    found = article_cites(analysis)
    given = analysis.article.cites
    have = {cite_key(c) for c in given}
    merged = given + tuple(c for c in found if cite_key(c) not in have)
    return replace(analysis, article=replace(analysis.article, cites=merged))
