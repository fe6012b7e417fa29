"""Numbers with their unit and what they count, and the figures sources disagree on.

The per-article stage finds numbers with regular expressions (digits, currency symbols, scale words
and suffixes, spelled-out numbers) and then asks the parse what each number counts: the noun it
modifies (``nummod``), or the object of "of" after a vague plural ("thousands of sheep"). Dates,
years, ordinals, times and list numbering are not quantities and are left out. Each quantity keeps
its approximator ("as many as", "around") and the source its sentence credits, because two
figures only disagree meaningfully once we know who gave each and how hedged it was.

A count of people need not have a noun after the number: a count's new level ("the number of
people killed in the fire has risen to 14", "the death toll rose to 16") counts what the subject
counts, and "more than 70 injured", "9 dead" or "14 died" name people by what happened to them.

The corpus stage groups quantities by what they count (blocked on the measure's lemma, so the work
grows with block sizes, not with all pairs) and reports the groups whose values differ. The values
as written decide: "at least 12" and "14" differ, and the note says that the qualifier reconciles
them. A count given as risen ("rose to 16") in an article published after another figure's is an
update of it, not a conflict; increments ("two more workers") and parts of a group ("23 of the
injured") are never set against a total.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from storyweave.lexicons import lexicon_rows
from storyweave.model import ArticleAnalysis, Corpus, Discrepancy, Quantity, Span, stable_id
from storyweave.pipeline import Context, stage
from storyweave.unionfind import UnionFind

# --------------------------------------------------------------------------- lexicons


@lru_cache(maxsize=1)
def units() -> dict[str, tuple[str, str]]:
    """Surface form -> (unit, unit class)."""
    return {row[0]: (row[1], row[2]) for row in lexicon_rows("units.txt")}


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Nouns that count people: figures counted by any of them are comparable."""
    return frozenset(row[0] for row in lexicon_rows("person_nouns.txt"))


@lru_cache(maxsize=1)
def figure_events() -> dict[str, str]:
    """Word -> what happened to the counted (dead, injured, rescued, aboard, ...)."""
    return {row[0]: row[1] for row in lexicon_rows("figure_events.txt")}


def event_class(q: Quantity) -> str | None:
    """What happened to what ``q`` counts, from its event phrase: one class, or None when the
    phrase names none (or names several, as in "38 dead and 188 rescued")."""
    table = figure_events()
    words = re.findall(r"[a-z]+", (q.event or "").lower())
    found = {table[w] for w in words if w in table}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1)
def approximators() -> dict[str, str]:
    """Approximator phrase -> sense (about, upper, lower, estimate)."""
    return {row[0]: row[1] for row in lexicon_rows("approximators.txt")}


@lru_cache(maxsize=1)
def number_words() -> dict[str, tuple[float, str]]:
    """Spelled-out number word -> (value, kind)."""
    return {row[0]: (float(row[1]), row[2]) for row in lexicon_rows("number_words.txt")}


@lru_cache(maxsize=1)
def month_words() -> frozenset[str]:
    return frozenset(row[0] for row in lexicon_rows("calendar.txt") if row[1] == "month")


@lru_cache(maxsize=1)
def reporting_verbs() -> frozenset[str]:
    """Lemmas of verbs whose subject is the source of what follows ("said", "told", "estimated")."""
    return frozenset(row[0].split()[0] for row in lexicon_rows("reporting_verbs.txt"))


# --------------------------------------------------------------------------- patterns

_CURRENCY_SYMBOL = r"(?:US\$|A\$|C\$|\$|£|€|¥)"
#: Larger values are digit noise (serial numbers, pasted data), not amounts a story reports.
MAX_VALUE = 1e15
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@lru_cache(maxsize=1)
def _digit_pattern() -> re.Pattern[str]:
    words = number_words()
    suffixes = "|".join(sorted((w for w, (_, k) in words.items() if k == "suffix"), key=len, reverse=True))
    scales = "|".join(w for w, (_, k) in words.items() if k == "scale")
    return re.compile(
        rf"(?<![\w$£€¥.,/:\-–])(?P<between>between\s+)?(?P<cur>{_CURRENCY_SYMBOL})?\s?(?P<num>{_DIGITS})"
        rf"(?:(?P<sep>\s?[-–]\s?|\s+to\s+|\s+and\s+)(?P<high>{_DIGITS}))?"
        rf"(?:(?P<suffix>{suffixes})\b|\s(?P<scale>{scales})\b)?"
        rf"(?:\s?(?P<pct>%|per\s?cent\b|percent\b))?(?![\w:]|[.,]\d)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern[str]:
    words = number_words()
    exact = "|".join(
        sorted((w for w, (_, k) in words.items() if k in {"digit", "ten", "scale", "group"}), key=len, reverse=True)
    )
    vague = "|".join(w for w, (_, k) in words.items() if k == "vague")
    return re.compile(
        rf"\b(?:(?P<tens>tens|hundreds)\s+of\s+)?(?P<vague>{vague})\b(?=\s+of\b|\s+(?:\w+\s+)?(?:of|were|have|had|are)\b)"
        rf"|\b(?:(?:a|an)\s+(?=(?:{exact})\b))?(?P<exact>(?:{exact})(?:(?:\s+|-)(?:and\s+)?(?:{exact}))*)\b(?!-\w)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _approximator_pattern() -> re.Pattern[str]:
    phrases = "|".join(re.escape(p) for p in sorted(approximators(), key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[\s(\[\"“—–-]))(?P<q>{phrases})\s+$", re.IGNORECASE)


#: Words before a number that make it a label, not an amount ("No. 5", "number one", "Article 3").
_LABEL_BEFORE = re.compile(
    r"(?:\bno\.|\bnos\.|\bnumber|#|\bpage|\bchapter|\bsection|\barticle|\bparagraph|\bclause|\bpart|\bphase"
    r"|\bround|\bversion|\bflight|\broute|\bgrade|\blevel|\bstage|\bseason|\bepisode|\bvolume|\bitem|\bstep"
    r"|\btarget number)\s*$",
    re.IGNORECASE,
)
#: Words after a time-unit quantity that make it a relative date ("two days ago"), not a duration.
_RELATIVE_AFTER = frozenset({"ago", "later", "earlier", "before", "after", "old", "previously", "since", "from"})
#: Of those, the words whose object is a second event the figure measures the time to or from.
_SPAN_BETWEEN = frozenset({"before", "after"})


def word_value(text: str) -> float | None:
    """The value of a spelled-out number ("two hundred and five", "a dozen", "twenty-one")."""
    words = number_words()
    total, current, seen = 0.0, 0.0, False
    for raw in re.split(r"[\s-]+", text.lower()):
        if raw in {"and", "a", "an", ""}:
            continue
        value_kind = words.get(raw)
        if value_kind is None:
            return None
        value, kind = value_kind
        seen = True
        if kind in {"digit", "ten"}:
            current += value
        elif kind == "group":
            current = max(current, 1.0) * value
        elif value == 100:
            current = max(current, 1.0) * 100
        else:
            total += max(current, 1.0) * value
            current = 0.0
    return total + current if seen else None


def digit_value(num: str, suffix: str | None, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    factor = suffix or scale
    if factor:
        value *= number_words()[factor.lower()][0]
    return value


# --------------------------------------------------------------------------- finding quantities


@dataclass(frozen=True, slots=True)
class _Found:
    """A number located in the text before the parse says what it counts."""

    start: int
    end: int
    value: float
    unit: str | None
    vague: str | None  # the vague phrase ("tens of", "thousands") when only the magnitude is given
    spelled: bool
    low: str | None = None  # the lower end of a range, as written in the qualifier


def find_numbers(text: str) -> list[_Found]:
    """Every number-like expression in ``text`` with its value and any unit written with it."""
    found: list[_Found] = []
    table = units()
    for m in _digit_pattern().finditer(text):
        unit = None
        if m.group("cur"):
            unit = table.get(m.group("cur").lower(), table.get(m.group("cur")[-1], ("USD", "money")))[0]
        if m.group("pct"):
            unit = "percent"
        suffix, scale = m.group("suffix"), m.group("scale")
        start = m.start() if m.group("between") is None else m.start("between")
        if m.group("high") is None:
            found.append(_Found(start, m.end(), digit_value(m.group("num"), suffix, scale), unit, None, False))
        elif m.group("sep").strip() == "and" and m.group("between") is None:
            # "10 and 15 ships" without "between" is two numbers, not a range.
            found.append(
                _Found(m.start("num"), m.end("num"), digit_value(m.group("num"), None, None), None, None, False)
            )
            found.append(
                _Found(m.start("high"), m.end(), digit_value(m.group("high"), suffix, scale), unit, None, False)
            )
        else:
            # A range ("between 10 and 15", "10-15", "10 to 15"): the upper value, the lower one
            # kept in the qualifier.
            high = digit_value(m.group("high"), suffix, scale)
            found.append(_Found(start, m.end(), high, unit, None, False, m.group("num")))
    taken = sorted((f.start, f.end) for f in found)
    taken_starts = [t[0] for t in taken]
    pattern = _word_pattern()
    last_end = -1
    for position in _number_word_starts(text):
        if position < last_end:
            continue
        m = pattern.match(text, position)
        if m is None:
            continue
        k = bisect_right(taken_starts, m.end()) - 1
        if k >= 0 and taken[k][1] > m.start():
            continue  # overlaps a number written in digits
        last_end = m.end()
        if m.group("vague"):
            value = number_words()[m.group("vague").lower()][0]
            tens = m.group("tens")
            if tens:
                value *= 10.0 if tens.lower() == "tens" else 100.0
            phrase = f"{tens.lower()} of" if tens else m.group("vague").lower()
            found.append(_Found(m.start(), m.end(), value, None, phrase, True))
            continue
        value = word_value(m.group(0))
        if value is not None:
            found.append(_Found(m.start(), m.end(), value, None, None, True))
    # A run of digits longer than any real amount (or one that overflows) is not a quantity.
    found = [f for f in found if math.isfinite(f.value) and f.value <= MAX_VALUE]
    found.sort(key=lambda f: (f.start, f.end))
    return found


_LETTERS = re.compile(r"[A-Za-z]+")


def _number_word_starts(text: str) -> list[int]:
    """Where a spelled-out number can begin: a number word, or "a"/"an" right before one. The
    pattern is tried only there, not at every character."""
    words = number_words()
    out: list[int] = []
    pending: int | None = None
    for w in _LETTERS.finditer(text):
        word = w.group().lower()
        if word in words or word in {"tens", "hundreds"}:
            if pending is not None:
                out.append(pending)
            out.append(w.start())
        pending = w.start() if word in {"a", "an"} else None
    return out


def _is_label_or_date(text: str, f: _Found) -> bool:
    """Years, day-of-month numbers, list numbering and labels are not amounts."""
    before = text[max(0, f.start - 16) : f.start]
    after = text[f.end : f.end + 12]
    core = text[f.start : f.end]
    if _LABEL_BEFORE.search(before):
        return True
    last_word = re.search(r"([A-Za-z]+)\.?\s*$", before)
    if last_word and last_word.group(1).lower() in month_words() and f.unit is None:
        return True
    next_word = re.match(r"\s*(?:st|nd|rd|th)?\s*(?:of\s+)?([A-Za-z]+)", after)
    if next_word and next_word.group(1).lower() in month_words() and f.unit is None and f.value <= 31:
        return True  # "26 November", "3rd of May"
    if f.unit is None and re.fullmatch(r"\d{4}", core) and 1500 <= f.value <= 2100:
        return True
    line_start = text.rfind("\n", 0, f.start) + 1
    return bool(not text[line_start : f.start].strip() and re.match(r"[.)]\s", after))


def _tokens_in(doc: Any, start: int, end: int) -> list[Any]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _measure_noun(doc: Any, tokens: list[Any], f: _Found) -> Any | None:
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
class _Counted:
    """What a number with no counted noun after it counts, read from elsewhere in the clause."""

    measure: str
    lemma: str
    end: int
    event: str


def _level_count(doc: Any, number: Any) -> _Counted | None:
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
        return _Counted(measure, lemma, end, measure)
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
    return _Counted(noun.text, noun.lemma_.lower() if noun.pos_ == "NOUN" else noun.lower_, end, " ".join(words))


def _nominal_count(doc: Any, number: Any) -> _Counted | None:
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
        return _Counted(nxt.text, nxt.lower_, nxt.idx + len(nxt.text), event)
    verb = number.head
    if number.dep_ in {"nsubj", "nsubjpass"} and verb.pos_ == "VERB" and verb.lower_ in table:
        event = " ".join(dict.fromkeys(event_phrase(verb, verb.text).split()))
        return _Counted(verb.text, verb.lower_, number.idx + len(number.text), event)
    if (
        number.dep_ == "dobj"
        and verb.pos_ == "VERB"
        and table.get(verb.lower_) in _HARM_EVENTS
        and not any(c.dep_ == "dobj" and c.i != number.i for c in verb.children)
    ):
        # "killing 14 and injuring 87", "the blast wounded 40": the verb's object is the people
        # it harmed. Only harms, since "carried 300" or "saved 300" need not count people.
        event = " ".join(dict.fromkeys(event_phrase(verb, verb.text).split()))
        return _Counted(verb.text, verb.lower_, number.idx + len(number.text), event)
    return None


#: Event classes whose verb, with a bare number as its object, counts the people it befell.
_HARM_EVENTS = frozenset({"dead", "injured"})


def _qualifier(text: str, start: int, floor: int) -> tuple[str | None, int]:
    """The approximator written just before ``start`` ("as many as"), and where it begins."""
    window = text[max(floor, start - 24) : start]
    m = _approximator_pattern().search(window)
    if not m:
        return None, start
    return m.group("q").lower(), start - len(window) + m.start("q")


def _unit_of_noun(noun: Any) -> tuple[str, str] | None:
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


def chain_names(analysis: ArticleAnalysis) -> dict[int, str]:
    """Start offset of each entity mention -> the name its chain goes by, so that a pronoun
    ("he said") can be reported as the person it refers to."""
    by_chain: dict[int, str] = {}
    for m in analysis.mentions:
        if m.kind == "name" and m.chain >= 0 and m.chain not in by_chain:
            by_chain[m.chain] = m.name or m.span.text
    return {m.span.start: by_chain[m.chain] for m in analysis.mentions if m.chain in by_chain}


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
    verbs = reporting_verbs()
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


def _sentence_starts(analysis: ArticleAnalysis) -> list[int]:
    return [s.span.start for s in analysis.sentences]


def sentence_of(starts: list[int], offset: int) -> int:
    """Index of the sentence (by start offsets) that ``offset`` falls in; -1 before the first."""
    return bisect_right(starts, offset) - 1 if starts else -1


def _measure(text: str, f: _Found, noun: Any | None) -> tuple[str | None, str | None, str | None, int]:
    """(unit, measure text, measure lemma, end of the quantity's span) given the counted noun."""
    unit, measure, lemma, end = f.unit, None, None, f.end
    if noun is None:
        return unit, measure, lemma, end
    noun_unit = _unit_of_noun(noun)
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


def _is_time_expression(doc: Any, tokens: list[Any], noun: Any | None, unit: str | None) -> bool:
    """Numbers the parser puts in a date or time ("two days ago", "at 3 a.m.") are not amounts;
    a duration ("more than two years") and a count the parser mislabels ("between 10 and 15
    ships") are."""
    in_time = {t.ent_type_ for t in tokens} & {"DATE", "TIME"}
    noun_in_time = noun is not None and noun.ent_type_ in {"DATE", "TIME"}
    if not in_time and not noun_in_time:
        return False
    if unit and units().get(unit.lower(), ("", ""))[1] == "duration":
        following = doc[noun.i + 1] if noun is not None and noun.i + 1 < len(doc) else None
        if following is None or following.lower_ not in _RELATIVE_AFTER:
            return False
        # "less than three hours before the collision" measures the time between two events, so
        # it is an amount; "two days ago" or "three days later" only places one in time.
        return not (
            following.lower_ in _SPAN_BETWEEN and any(c.dep_ == "pobj" and c.pos_ == "NOUN" for c in following.children)
        )
    return noun_in_time or (noun is None and unit is None)


def extract_quantities(analysis: ArticleAnalysis) -> tuple[Quantity, ...]:
    """The quantities of one parsed article (boilerplate excluded)."""
    doc = analysis.doc
    text = analysis.article.text
    starts = _sentence_starts(analysis)
    names = chain_names(analysis)
    out: list[Quantity] = []
    for f in find_numbers(text):
        if _is_label_or_date(text, f) or analysis.skipped(f.start, f.end):
            continue
        tokens = _tokens_in(doc, f.start, f.end)
        if not tokens:
            continue
        sentence = sentence_of(starts, f.start)
        sent_span = analysis.sentences[sentence].span if sentence >= 0 else None
        noun = _measure_noun(doc, tokens, f)
        if noun is not None and (
            (sent_span is not None and not sent_span.start <= noun.idx < sent_span.end)
            or re.search(r"[.;:!?]\s", text[f.end : noun.idx])
        ):
            noun = None  # what a number counts is never in the next sentence
        counted = None
        if noun is None and f.unit is None and not f.vague:
            counted = _level_count(doc, tokens[-1]) or _nominal_count(doc, tokens[-1])
        if counted is not None:
            unit, measure, lemma, end = None, counted.measure, counted.lemma, counted.end
        else:
            unit, measure, lemma, end = _measure(text, f, noun)
        if unit is None and measure is None:
            continue
        if f.spelled and f.value <= 1 and unit is None:
            continue
        if counted is None and _is_time_expression(doc, tokens, noun, unit):
            continue
        qualifier, start = _qualifier(text, f.start, starts[sentence_of(starts, f.start)] if starts else 0)
        if f.vague:
            qualifier = f.vague if qualifier is None else f"{qualifier} {f.vague}"
        if f.low is not None:
            qualifier = f"between {f.low} and" if qualifier is None else f"{qualifier} between {f.low} and"
        out.append(
            Quantity(
                id=stable_id("q", analysis.id, start, end),
                span=analysis.span(start, end),
                value=f.value,
                unit=unit,
                measure=measure,
                qualifier=qualifier,
                sentence=sentence,
                measure_lemma=lemma,
                source=source_of(
                    doc, tokens[-1], (sent_span.start, sent_span.end) if sent_span else (start, end), names
                ),
                event=counted.event
                if counted is not None
                else event_phrase(noun if noun is not None else tokens[-1], measure or unit or ""),
                vague=f.vague is not None,
                context=sent_span,
            )
        )
    return tuple(out)


@stage("numbers", scope="article", requires={"doc", "sentences", "flags"}, assigns={"quantities"}, order=60)
def numbers(analysis: ArticleAnalysis, ctx: Context) -> ArticleAnalysis:
    """Quantities with unit, measure, qualifier and credited source."""
    if analysis.doc is None:
        return analysis
    return replace(analysis, quantities=extract_quantities(analysis))


# --------------------------------------------------------------------------- numeric discrepancies

#: Two values differ when the smaller is below this share of the larger (beyond rounding).
AGREEMENT_RATIO = 0.95
#: Two figures in one block are about the same thing when their contexts are this similar (the mean
#: of sentence and event-phrase cosine), and each is the other's best match in its article.
CONTEXT_SIMILARITY = 0.35
#: Figures with no counted noun (bare money, percentages) need much closer contexts.
BARE_CONTEXT_SIMILARITY = 0.6
#: Added to the context score of two figures whose events fall in the same class (both the dead).
SAME_EVENT_BONUS = 0.1
#: An "about" figure is read as this share either side of its value when qualifiers are compared.
ABOUT_MARGIN = 0.1
#: Counted nouns this similar share a block ("workers"/"people" 0.67; "soldiers"/"people" lower).
MEASURE_SIMILARITY = 0.6
_SENSES = {"about": "approximate", "upper": "an upper bound", "lower": "a lower bound", "estimate": "an estimate"}


#: Words after a number that make it an increment ("two more workers died", "three other ships"),
#: not the whole count.
_INCREMENT_WORDS = frozenset({"more", "additional", "further", "other", "extra", "new"})
#: Words that open a partitive's group ("23 of the injured", "two of his colleagues"): the number
#: counts part of a group, not the group.
_GROUP_DETERMINERS = frozenset({"the", "these", "those", "our", "his", "her", "their", "its", "my", "your", "them"})


def is_part(q: Quantity) -> bool:
    """An increment or a part of a group, which no total contradicts."""
    first = (q.measure or "").split(" ", 1)[0].lower()
    return first in _INCREMENT_WORDS or first in _GROUP_DETERMINERS or q.qualifier == "an additional"


def _before(q: Quantity) -> str:
    return q.context.text[: max(0, q.span.start - q.context.start)] if q.context is not None else ""


def _after(q: Quantity) -> str:
    return q.context.text[max(0, q.span.end - q.context.start) :] if q.context is not None else ""


def is_change(q: Quantity) -> bool:
    """An amount of change ("extended the mourning by two days", "cut prices by 5%"): compared
    only with other changes, never with a level ("declared three days of mourning")."""
    return q.unit is not None and re.search(r"\bby\s+$", _before(q), re.IGNORECASE) is not None


def _is_age(q: Quantity) -> bool:
    """An age ("the 40-year-old plant"): compared only with other ages, never with a duration."""
    return q.unit is not None and re.match(r"[\s-]old\b", _after(q), re.IGNORECASE) is not None


def _block_unit(q: Quantity) -> str:
    """The unit a block is keyed on, with changes and ages kept apart from levels and durations."""
    return (q.unit or "") + (" change" if is_change(q) else "") + (" age" if _is_age(q) else "")


def counts_people(q: Quantity) -> bool:
    """The figure counts people: its counted noun is a person noun ("workers") or names people by
    what happened to them ("injured", "dead", "death toll")."""
    head = _head_word(q)
    return q.unit is None and bool(head) and (head in person_nouns() or head in figure_events())


def _block_key(q: Quantity) -> tuple[str, str] | None:
    """Quantities are compared only within a block: same counted lemma and same unit."""
    if q.vague or q.context is None or is_part(q):
        return None
    if q.measure_lemma:
        return (q.measure_lemma, q.unit or "")
    if q.unit:
        return ("", q.unit)
    return None


def _precision(value: float) -> float:
    """The place a figure is written to: 12,400 to the hundred, 11,950 to the ten, 38.6 to the tenth."""
    if value == int(value):
        n, step = abs(int(value)), 1.0
        while n and n % 10 == 0:
            n //= 10
            step *= 10
        return step
    decimals = f"{abs(value):.6f}".rstrip("0").split(".")[1]
    return 10.0 ** -len(decimals)


def _differ(values: list[float]) -> bool:
    """Two figures differ beyond rounding: the smaller is below AGREEMENT_RATIO of the larger, or
    neither is the other rounded to the place the coarser one is written to (12,400 and 11,950
    differ although within five percent; 12,000 and 11,950 do not)."""
    low, high = min(values), max(values)
    if high <= 0:
        return False
    if low < AGREEMENT_RATIO * high:
        return True
    distinct = sorted(set(values))
    return any(b - a > max(_precision(a), _precision(b)) / 2 for i, a in enumerate(distinct) for b in distinct[i + 1 :])


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _shorten(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def _describe(q: Quantity, dates_by_sentence: dict[tuple[str, int], list[str]]) -> str:
    """One value with the context that explains it: hedge, source, time and sentence."""
    parts = [f'[{q.span.article}] "{q.span.text}" = {_fmt(q.value)}{" " + q.unit if q.unit else ""}']
    if q.qualifier:
        sense = _SENSES.get(approximators().get(q.qualifier, ""), "qualified")
        parts.append(f"qualified by '{q.qualifier}' ({sense})")
    if q.source:
        parts.append(f"source: {q.source}")
    when = dates_by_sentence.get((q.span.article, q.sentence))
    if when:
        parts.append("when: " + ", ".join(when))
    if q.context is not None:
        parts.append(f'in: "{_shorten(q.context.text)}"')
    return "; ".join(parts)


def _head_word(q: Quantity) -> str:
    return (q.measure or "").split()[-1].lower() if q.measure else ""


def _measure_blocks(quantities: list[Quantity], ctx: Context) -> dict[tuple[str, int], list[Quantity]]:
    """Quantities blocked by unit and by counted noun; nouns that name much the same kind of thing
    ("workers" and "people", "houses" and "homes") share a block. Only distinct nouns are
    embedded, so this costs little even for many figures."""
    heads = sorted({_head_word(q) for q in quantities if q.measure_lemma})
    cluster: dict[str, int] = {h: k for k, h in enumerate(heads)}
    if len(heads) > 1:
        vectors = ctx.embedder.encode(heads)
        sims = vectors @ vectors.T
        groups = UnionFind(len(heads))
        for a, b in zip(*np.nonzero(sims >= MEASURE_SIMILARITY), strict=True):
            if a < b:
                groups.union(int(a), int(b))
        people = [k for k, h in enumerate(heads) if h in person_nouns() or h in figure_events()]
        for k in people[1:]:
            groups.union(people[0], k)
        cluster = {h: groups.find(k) for k, h in enumerate(heads)}
    blocks: dict[tuple[str, int], list[Quantity]] = defaultdict(list)
    for q in quantities:
        blocks[(_block_unit(q), cluster[_head_word(q)] if q.measure_lemma else -1)].append(q)
    return {k: v for k, v in blocks.items() if len({q.span.article for q in v}) > 1}


def _pair_scores(members: list[Quantity], vectors: dict[str, np.ndarray]) -> np.ndarray:
    """How alike two figures' contexts are: the mean of sentence and event similarity. Figures
    whose events fall in different classes (the dead and the rescued) never match; two whose
    events share a class match before one whose event is unknown ("the coffins of 11 workers")."""
    sentence = np.stack([vectors[q.context.text] for q in members if q.context is not None])
    event = np.stack([vectors[q.event or q.measure or ""] for q in members])
    scores = 0.5 * (sentence @ sentence.T) + 0.5 * (event @ event.T)
    classes = [event_class(q) for q in members]
    for i, ci in enumerate(classes):
        if ci is None:
            continue
        for j, cj in enumerate(classes):
            if cj is not None:
                scores[i, j] = scores[i, j] + SAME_EVENT_BONUS if cj == ci else -1.0
    return scores


def _mutual_best_links(members: list[Quantity], scores: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs from different articles matched one to one per pair of articles, best scores first:
    an article reports one fact once, so "14 killed" pairs with "20 died", not with "29 in
    hospital", and a figure whose best match is taken by a closer pair ("fined 4 million" with
    "fined 5 million") leaves its own figure to the next best ("took 38.6 million" with "took
    36.8 million"). Every pair that is each other's best match is among them."""
    article_of = [q.span.article for q in members]
    rows, cols = np.nonzero(np.triu(scores >= threshold, k=1))
    candidates = sorted(
        (
            (float(scores[i, j]), int(i), int(j))
            for i, j in zip(rows, cols, strict=True)
            if article_of[i] != article_of[j]
        ),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used: set[tuple[int, str]] = set()
    links: set[tuple[int, int]] = set()
    for _, i, j in candidates:
        if (i, article_of[j]) in used or (j, article_of[i]) in used:
            continue
        used.add((i, article_of[j]))
        used.add((j, article_of[i]))
        links.add((i, j))
    return sorted(links)


def numeric_discrepancies(corpus: Corpus, ctx: Context) -> tuple[Discrepancy, ...]:
    """Groups of figures for the same thing, from different articles, whose values differ."""
    candidates = [q for a in corpus.analyses for q in a.quantities if _block_key(q) is not None]
    blocks = _measure_blocks(candidates, ctx)
    if not blocks:
        return ()
    members_all = [q for qs in blocks.values() for q in qs]
    texts = sorted({q.context.text for q in members_all if q.context is not None})
    texts += sorted({q.event or q.measure or "" for q in members_all} - set(texts))
    vectors = dict(zip(texts, ctx.embedder.encode(texts), strict=True))
    dates_by_sentence: dict[tuple[str, int], list[str]] = defaultdict(list)
    for analysis in corpus.analyses:
        for d in analysis.dates:
            dates_by_sentence[(analysis.id, d.sentence)].append(
                f"'{d.span.text}'" + (f" ({d.value})" if d.value else "")
            )
    published = {a.id: a.article.published for a in corpus.analyses}
    found: list[Discrepancy] = []
    for key, members in sorted(blocks.items()):
        members.sort(key=lambda q: (q.span.article, q.span.start))
        threshold = CONTEXT_SIMILARITY if key[1] >= 0 else BARE_CONTEXT_SIMILARITY
        groups = UnionFind(len(members))
        scores = _pair_scores(members, vectors)
        classes: dict[int, set[str]] = {i: {c} if (c := event_class(q)) else set() for i, q in enumerate(members)}
        # article -> values within each group: an article gives one fact one value, so a chain
        # that would hold two differing values from one article joins two facts.
        values: dict[int, dict[str, set[float]]] = {i: {q.span.article: {q.value}} for i, q in enumerate(members)}
        links = _mutual_best_links(members, scores, threshold)
        # Links between figures of one known event first: that evidence outranks wording alone.
        known = {i for i, c in classes.items() if c}
        for i, j in sorted(links, key=lambda ij: (not {ij[0], ij[1]} <= known, -scores[ij[0], ij[1]], ij)):
            ri, rj = groups.find(i), groups.find(j)
            if ri == rj or len(classes[ri] | classes[rj]) > 1:
                continue  # a chain through an unclassed figure must not join two events
            merged = {a: values[ri].get(a, set()) | values[rj].get(a, set()) for a in values[ri].keys() | values[rj]}
            if any(len(v) > 1 and _differ(list(v)) for v in merged.values()):
                continue
            groups.union(i, j)
            root = groups.find(i)
            classes[root] = classes[ri] | classes[rj]
            values[root] = merged
        components: dict[int, list[Quantity]] = defaultdict(list)
        for i, q in enumerate(members):
            components[groups.find(i)].append(q)
        for component in components.values():
            if len({q.span.article for q in component}) < 2 or not _differ([q.value for q in component]):
                continue
            updates = _updates(component, published)
            if not _conflicts(component, updates):
                continue  # every difference is a later report of a risen count
            found.append(_discrepancy(component, dates_by_sentence, updates, published))
    return tuple(sorted(found, key=lambda d: d.id))


#: Words before a figure that give it as a count's new level ("has risen to 14", "reached 30").
_RISE = re.compile(
    r"\b(?:rises|rising|risen|rose|rise|climb(?:s|ed|ing)?|jump(?:s|ed|ing)?|increas(?:es|ed|ing|e)"
    r"|grows|growing|grown|grew|mount(?:s|ed|ing)?|swell(?:s|ed|ing)?|swollen|soar(?:s|ed|ing)?"
    r"|reach(?:es|ed|ing)?)\s+(?:to\s+)?$",
    re.IGNORECASE,
)


def is_rise(q: Quantity) -> bool:
    """The sentence gives the figure as what a count has risen to."""
    if q.context is None:
        return False
    return _RISE.search(q.context.text[: max(0, q.span.start - q.context.start)]) is not None


def _updates(component: list[Quantity], published: dict[str, str | None]) -> dict[str, list[Quantity]]:
    """Figure id -> the lower figures it updates: a count given as risen ("rose to 16") in an
    article published after theirs reports a change, not a conflict. Undated articles cannot be
    ordered, so their figures are never explained away."""
    out: dict[str, list[Quantity]] = {}
    for q in component:
        when = published.get(q.span.article)
        if not when or not is_rise(q):
            continue
        earlier = [
            p
            for p in component
            if p.span.article != q.span.article
            and p.value < q.value
            and (p_when := published.get(p.span.article))
            and p_when[:10] < when[:10]
        ]
        if earlier:
            out[q.id] = earlier
    return out


def _conflicting_pairs(
    component: list[Quantity], updates: dict[str, list[Quantity]]
) -> list[tuple[Quantity, Quantity]]:
    """Pairs of figures from different articles whose values differ and no update explains."""
    pairs = []
    for i, a in enumerate(component):
        for b in component[i + 1 :]:
            if a.span.article == b.span.article or not _differ([a.value, b.value]):
                continue
            if a in updates.get(b.id, []) or b in updates.get(a.id, []):
                continue
            pairs.append((a, b) if a.value <= b.value else (b, a))
    return pairs


def _conflicts(component: list[Quantity], updates: dict[str, list[Quantity]]) -> bool:
    return bool(_conflicting_pairs(component, updates))


def interval(q: Quantity) -> tuple[float, float]:
    """The values a figure allows as qualified: "at least 12" any from 12 up, "up to 20" any to
    20, "about 60" within ABOUT_MARGIN, "between 12 and 20" that range, a bare figure itself."""
    low, high = q.value, q.value
    qualifier = q.qualifier or ""
    between = re.search(r"between\s+([\d.,]+)\s+and$", qualifier)
    if between is not None:
        start = float(between.group(1).replace(",", ""))
        if start < q.value:
            low = start
        qualifier = qualifier[: between.start()].strip()
    sense = approximators().get(qualifier, "")
    if sense == "lower":
        high = math.inf
    elif sense == "upper":
        low = 0.0
    elif sense == "about":
        low, high = min(low, q.value * (1 - ABOUT_MARGIN)), q.value * (1 + ABOUT_MARGIN)
    return low, high


def _written(q: Quantity) -> str:
    return f"'{q.qualifier + ' ' if q.qualifier else ''}{_fmt(q.value)}' [{q.span.article}]"


def _compatibility(pairs: list[tuple[Quantity, Quantity]]) -> str:
    """Which differing figures their qualifiers still reconcile ("at least 12" allows 14): the
    figures differ as written, and the note says how far the hedges bridge them."""
    compatible: list[str] = []
    for a, b in pairs:
        (lo_a, hi_a), (lo_b, hi_b) = interval(a), interval(b)
        if max(lo_a, lo_b) <= min(hi_a, hi_b):
            compatible.append(f"{_written(a)} and {_written(b)}")
    compatible = list(dict.fromkeys(compatible))
    if not compatible:
        return "No qualifier reconciles them."
    if len(compatible) == len({(a.id, b.id) for a, b in pairs}):
        return "As qualified they are compatible: " + "; ".join(compatible) + "."
    return "Compatible as qualified: " + "; ".join(compatible) + "; the others are not."


def _update_notes(
    component: list[Quantity], updates: dict[str, list[Quantity]], published: dict[str, str | None]
) -> str:
    notes = []
    for q in component:
        earlier = updates.get(q.id)
        if not earlier:
            continue
        olds = ", ".join(dict.fromkeys(f"{_written(p)} ({published[p.span.article]})" for p in earlier))
        notes.append(
            f"{_written(q)} ({published[q.span.article]}) is a count that rose, reported after {olds}: "
            "an update, not a conflict."
        )
    return " ".join(notes)


def _discrepancy(
    component: list[Quantity],
    dates_by_sentence: dict[tuple[str, int], list[str]],
    updates: dict[str, list[Quantity]] | None = None,
    published: dict[str, str | None] | None = None,
) -> Discrepancy:
    measure = min((q.measure or q.unit or "" for q in component), key=lambda m: (len(m), m))
    written = (
        f"{q.qualifier + ' ' if q.qualifier else ''}{_fmt(q.value)}" for q in sorted(component, key=lambda q: q.value)
    )
    values = " / ".join(dict.fromkeys(written))  # a republished copy repeats its original's figure
    spans: list[Span] = [q.span for q in component]
    spans += [q.context for q in component if q.context is not None and q.context not in spans]
    note = "Values differ across articles: " + " | ".join(_describe(q, dates_by_sentence) for q in component)
    updates = updates or {}
    if any(q.qualifier for q in component):
        note += " " + _compatibility(_conflicting_pairs(component, updates))
    if updates:
        note += " " + _update_notes(component, updates, published or {})
    return Discrepancy(
        id=stable_id("d", "numeric", *sorted(q.id for q in component)),
        about=f"{measure}: {values}",
        kind="numeric",
        quantities=tuple(q.id for q in component),
        spans=tuple(spans),
        note=note,
    )


@stage("numeric discrepancies", scope="corpus", requires={"quantities"}, assigns={"discrepancies"}, order=45)
def numeric_discrepancies_stage(corpus: Corpus, ctx: Context) -> Corpus:
    """Append numeric discrepancies to whatever other stages already reported."""
    return replace(corpus, discrepancies=corpus.discrepancies + numeric_discrepancies(corpus, ctx))
