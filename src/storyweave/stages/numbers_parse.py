"""What the parse says about a number: the noun it counts, what happened to what is counted, who
the sentence credits for it, and whether it is a time rather than an amount."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storyweave.figures import figure_events, units
from storyweave.language.reporting import reporting_lemmas
from storyweave.model import ArticleAnalysis
from storyweave.stages.numbers_find import RELATIVE_AFTER, SPAN_BETWEEN, FoundNumber, approximator_pattern


def tokens_in(doc: Any, start: int, end: int) -> list[Any]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def measure_noun(doc: Any, tokens: list[Any], f: FoundNumber) -> Any | None:
    """The noun the number counts: its syntactic head, or the object of "of" after a vague plural."""
    last = tokens[-1]
    inside = {t.i for t in tokens}
    head = last
    for _ in range(4):
        nxt = head.head
        if nxt.i == head.i or nxt.i < last.i or nxt.i - last.i > 6:
            break
        head = nxt
        if head.pos_ in {"NOUN", "PROPN"} and head.i not in inside:
            break
    if head.i not in inside and head.pos_ in {"NOUN", "PROPN"} and head.i > last.i:
        if head.ent_type_ in {"GPE", "PERSON", "ORG"} and head.pos_ == "PROPN":
            return None
        return head
    # "thousands of sheep", "a dozen of them", "300 km of road": the object of "of".
    for tok in reversed(tokens):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [g for g in child.children if g.dep_ == "pobj" and g.pos_ in {"NOUN", "PROPN"}]
                if objs and objs[0].i - last.i <= 6:
                    return objs[0]
    # A plural noun right after the number (the parse sometimes attaches it elsewhere).
    i = last.i + 1
    while i < len(doc) and i - last.i <= 3 and doc[i].pos_ in {"ADJ", "PROPN"}:
        i += 1
    if i < len(doc) and doc[i].tag_ == "NNS" and i > last.i:
        return doc[i]
    return None


#: Verbs that give a count's new level ("the toll rose to 14", "the number of X has reached 30").
_LEVEL_VERBS = frozenset(
    {"rise", "climb", "jump", "increase", "grow", "mount", "swell", "soar", "reach", "hit", "stand", "total", "top"}
)


#: Nouns that name a count of something ("the number of people killed"): the "of" object is what is
#: counted. "Toll" names a count of the dead on its own ("the death toll rose to 16").
_COUNT_NOUNS = frozenset({"number", "count", "tally", "total"})


_SELF_COUNT_NOUNS = frozenset({"toll"})


#: Tags of a word that stands for the people it describes after a number ("70 injured", "9 dead").
_NOMINAL_TAGS = frozenset({"JJ", "VBN", "RB"})


@dataclass(frozen=True, slots=True)
class Counted:
    """What a number with no counted noun after it counts, read from elsewhere in the clause."""

    measure: str
    lemma: str
    end: int
    event: str


def level_count(doc: Any, number: Any) -> Counted | None:
    """A number given as a count's new level: "the number of people killed in the fire has risen to
    14" counts people (killed in the fire); "the death toll rose to 16" counts the dead."""
    if number.dep_ == "pobj" and number.head.lower_ in {"to", "at"}:
        verb = number.head.head
    elif number.dep_ in {"dobj", "attr"}:
        verb = number.head
    else:
        return None
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in _LEVEL_VERBS:
        return None
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subjects:
        return None
    subject = subjects[0]
    lemma = subject.lemma_.lower()
    end = number.idx + len(number.text)
    if lemma in _SELF_COUNT_NOUNS:
        words = [c.text for c in subject.children if c.dep_ == "compound" and c.i < subject.i] + [subject.text]
        measure = " ".join(words)
        return Counted(measure, lemma, end, measure)
    if lemma not in _COUNT_NOUNS:
        return None
    counted = [
        g for c in subject.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
    ]
    if not counted or counted[0].pos_ not in {"NOUN", "ADJ", "VERB"}:
        return None
    noun = counted[0]
    words = [noun.text]
    for child in noun.children:  # "people killed in the explosion", "people who died"
        if child.dep_ in {"acl", "relcl", "amod"} and child.pos_ in {"VERB", "ADJ"}:
            words.append(child.text)
            for prep in child.children:
                objects = [g for g in prep.children if g.dep_ == "pobj"]
                if prep.dep_ in {"prep", "agent"} and objects:
                    words += [prep.text, objects[0].text]
    return Counted(noun.text, noun.lemma_.lower() if noun.pos_ == "NOUN" else noun.lower_, end, " ".join(words))


def nominal_count(doc: Any, number: Any) -> Counted | None:
    """A number whose people are named by what happened to them: "more than 70 injured", "9 dead",
    "300 aboard", or "14 died" with the number as the subject. An adjective before a noun ("12
    injured workers") is not one: the noun is what is counted."""
    table = figure_events()
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in number.children):
        return None  # "23 of the injured were treated": a part of a group
    nxt = doc[number.i + 1] if number.i + 1 < len(doc) else None
    if (
        nxt is not None
        and nxt.lower_ in table
        and nxt.tag_ in _NOMINAL_TAGS
        and not (nxt.dep_ == "amod" and nxt.head.i > nxt.i and nxt.head.pos_ in {"NOUN", "PROPN"})
    ):
        event = " ".join(dict.fromkeys(event_phrase(nxt, nxt.text).split()))
        return Counted(nxt.text, nxt.lower_, nxt.idx + len(nxt.text), event)
    verb = number.head
    if number.dep_ in {"nsubj", "nsubjpass"} and verb.pos_ == "VERB" and verb.lower_ in table:
        event = " ".join(dict.fromkeys(event_phrase(verb, verb.text).split()))
        return Counted(verb.text, verb.lower_, number.idx + len(number.text), event)
    if (
        number.dep_ == "dobj"
        and verb.pos_ == "VERB"
        and table.get(verb.lower_) in _HARM_EVENTS
        and not any(c.dep_ == "dobj" and c.i != number.i for c in verb.children)
    ):
        # "killing 14 and injuring 87", "the blast wounded 40": the verb's object is the people
        # it harmed. Only harms, since "carried 300" or "saved 300" need not count people.
        event = " ".join(dict.fromkeys(event_phrase(verb, verb.text).split()))
        return Counted(verb.text, verb.lower_, number.idx + len(number.text), event)
    return None


#: Event classes whose verb, with a bare number as its object, counts the people it befell.
_HARM_EVENTS = frozenset({"dead", "injured"})


def qualifier_before(text: str, start: int, floor: int) -> tuple[str | None, int]:
    """The approximator written just before ``start`` ("as many as"), and where it begins."""
    window = text[max(floor, start - 24) : start]
    m = approximator_pattern().search(window)
    if not m:
        return None, start
    return m.group("q").lower(), start - len(window) + m.start("q")


def unit_of_noun(noun: Any) -> tuple[str, str] | None:
    table = units()
    return table.get(noun.lower_) or table.get(noun.lemma_.lower())


# --------------------------------------------------------------------------- sources

#: Dependencies that attach a reported clause to its reporting verb.
_REPORTED_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "dep", "advcl"})


#: Verbs whose object itself is the reported figure ("officials estimated 350 deaths").
_FIGURE_VERBS = frozenset({"estimate", "report", "put", "count", "cite", "give", "record"})


def _phrase(doc: Any, tok: Any, limit: int = 14, bounds: tuple[int, int] | None = None) -> str:
    """The words of ``tok``'s subtree, cut to ``limit`` tokens at its head (and to ``bounds``)."""
    left, right = tok.left_edge.i, tok.right_edge.i
    if bounds is not None:
        while left < tok.i and doc[left].idx < bounds[0]:
            left += 1
        while right > tok.i and doc[right].idx >= bounds[1]:
            right -= 1
    if right - left + 1 > limit:
        right = min(right, max(tok.i, left + limit - 1))
    return doc[left : right + 1].text.strip(" ,;:-—")


def source_of(
    doc: Any,
    number_token: Any,
    bounds: tuple[int, int],
    pronouns: dict[int, str] | None = None,
) -> str | None:
    """Who the sentence credits for a figure: "according to X", "per X", or the subject of the
    reporting verb that governs it (with "told Y" when the figure was told to an outlet).

    Only words inside the figure's own sentence (``bounds``, character offsets) count: a headline
    the parser glued to the sentence does not attribute anything."""
    lo, hi = bounds
    sent = [t for t in number_token.sent if lo <= t.idx < hi]
    best: tuple[int, str] | None = None
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            objs = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objs:
                text = f"according to {_phrase(doc, objs[0], bounds=bounds)}"
                dist = abs(tok.i - number_token.i)
                if best is None or dist < best[0]:
                    best = (dist, text)
        elif tok.lower_ == "per" and tok.dep_ == "prep":
            objs = [c for c in tok.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            if objs:
                dist = abs(tok.i - number_token.i)
                if best is None or dist < best[0]:
                    best = (dist, f"per {_phrase(doc, objs[0], bounds=bounds)}")
    credited = best[1] if best is not None else None
    speaker = _reporting_subject(doc, number_token, bounds, pronouns)
    if speaker and credited:
        return f"{speaker}, {credited}"
    return speaker or credited


def _reporting_subject(
    doc: Any, number_token: Any, bounds: tuple[int, int], pronouns: dict[int, str] | None
) -> str | None:
    """The subject of the reporting verb whose report contains the figure."""
    lo, hi = bounds
    verbs = reporting_lemmas()
    candidates = []
    below = number_token
    for verb in number_token.ancestors:
        if not lo <= verb.idx < hi:
            below = verb
            continue
        # The figure must sit in what the verb reports (its complement clause), so "the war has
        # claimed 300 lives" credits nobody while "officials said 4,500 sheep ..." do.
        if verb.lemma_.lower() in verbs and (below.dep_ in _REPORTED_DEPS or verb.lemma_.lower() in _FIGURE_VERBS):
            candidates.append(verb)
        # A trailing attribution ("..., the governor told reporters") hangs below the main verb.
        candidates += [
            c
            for c in verb.children
            if c.dep_ in _REPORTED_DEPS and c.i > number_token.i and c.lemma_.lower() in verbs and c.idx < hi
        ]
        below = verb
    for verb in candidates:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and lo <= c.idx < hi]
        if not subjects:
            continue
        subject = subjects[0]
        name = _phrase(doc, subject, bounds=bounds)
        if subject.pos_ == "PRON" and pronouns and subject.idx in pronouns:
            name = pronouns[subject.idx]
        if subject.pos_ == "PRON" and name.lower() in {"it", "they", "this", "that"}:
            continue
        told = [c for c in verb.children if c.dep_ in {"dobj", "dative"} and c.pos_ == "PROPN"]
        if told:
            return f"{name} ({verb.text} {_phrase(doc, told[0], 6, bounds)})"
        return name
    return None


# --------------------------------------------------------------------------- events

_EVENT_DEPS = frozenset({"prep", "agent", "acomp", "prt", "neg", "attr", "oprd"})


def event_phrase(anchor: Any, measure: str) -> str:
    """What the sentence says happened to what is counted: the measure, the verb that governs it
    and that verb's prepositional complements ("people killed in explosion", "people remain in
    hospital"). Two figures are only comparable when these events are alike."""
    verb = anchor
    for _ in range(4):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return measure
    words = [measure, verb.text]
    if anchor.i != verb.i:  # "people on board", "people in hospital": the noun's own place
        for child in anchor.children:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if child.dep_ == "prep" and objects and len(words) < 6:
                words += [child.text, objects[0].text]
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in figure_events():  # "... were aboard"
            words.append(child.text)
        if child.dep_ not in _EVENT_DEPS or child.i == anchor.i:
            continue
        if child.dep_ in {"prep", "agent"}:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and objects[0].i != anchor.i:
                words += [child.text, objects[0].text]
        else:
            words.append(child.text)
        if len(words) >= 8:
            break
    return " ".join(w for w in words if w)


# --------------------------------------------------------------------------- the article stage


def sentence_starts(analysis: ArticleAnalysis) -> list[int]:
    return [s.span.start for s in analysis.sentences]


def measure_of(text: str, f: FoundNumber, noun: Any | None) -> tuple[str | None, str | None, str | None, int]:
    """(unit, measure text, measure lemma, end of the quantity's span) given the counted noun."""
    unit, measure, lemma, end = f.unit, None, None, f.end
    if noun is None:
        return unit, measure, lemma, end
    noun_unit = unit_of_noun(noun)
    if noun_unit is not None and unit is None:
        unit = noun_unit[0]
        end = noun.idx + len(noun.text)
        if text.startswith("/h", end) and noun_unit[1] == "distance":
            unit, end = f"{unit}/h", end + 2  # "140 km/h" is a speed
        # "300 km of road": what is measured is the object of "of".
        of_objects = [g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        if noun_unit[1] == "duration":
            measure, lemma = noun.text, noun.lemma_.lower()
        elif of_objects:
            measure, lemma = of_objects[0].text, of_objects[0].lemma_.lower()
            end = of_objects[0].idx + len(of_objects[0].text)
    elif noun_unit is None:
        measure_start = max(f.end, noun.left_edge.idx)
        end = noun.idx + len(noun.text)
        measure = text[measure_start:end].strip(" -")
        # "10 and 15 ships": the counted noun of the first number starts after the second one.
        measure = re.sub(r"^(?:of|and|or|to)\s+(?:[\d.,]+\s+)?", "", measure)
        lemma = noun.lemma_.lower()
    return unit, measure, lemma, end


def is_time_expression(doc: Any, tokens: list[Any], noun: Any | None, unit: str | None) -> bool:
    """Numbers the parser puts in a date or time ("two days ago", "at 3 a.m.") are not amounts;
    a duration ("more than two years") and a count the parser mislabels ("between 10 and 15
    ships") are."""
    in_time = {t.ent_type_ for t in tokens} & {"DATE", "TIME"}
    noun_in_time = noun is not None and noun.ent_type_ in {"DATE", "TIME"}
    if not in_time and not noun_in_time:
        return False
    if unit and units().get(unit.lower(), ("", ""))[1] == "duration":
        following = doc[noun.i + 1] if noun is not None and noun.i + 1 < len(doc) else None
        if following is None or following.lower_ not in RELATIVE_AFTER:
            return False
        # "less than three hours before the collision" measures the time between two events, so
        # it is an amount; "two days ago" or "three days later" only places one in time.
        return not (
            following.lower_ in SPAN_BETWEEN and any(c.dep_ == "pobj" and c.pos_ == "NOUN" for c in following.children)
        )
    return noun_in_time or (noun is None and unit is None)
