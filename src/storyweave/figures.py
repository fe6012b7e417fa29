"""What a figure is: the shared language of quantities, read by every stage that compares them.

The lexicons of units, person nouns, events, approximators and number words, and the predicates
over a :class:`~storyweave.model.Quantity` that the numbers stages, the claim alignment and the
republication check all use: whether a figure is a part or an increment, a change, an age, a count
of people or a count given as risen; the values its qualifier allows; whether two values differ
beyond rounding.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from storyweave.lexicons import lexicon_rows
from storyweave.model import Quantity

# --------------------------------------------------------------------------- lexicons


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


# --------------------------------------------------------------------------- numeric discrepancies

# --------------------------------------------------------------------------- values and kinds of figures


#: Two values differ when the smaller is below this share of the larger (beyond rounding).
AGREEMENT_RATIO = 0.95


#: An "about" figure is read as this share either side of its value when qualifiers are compared.
ABOUT_MARGIN = 0.1


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


def text_before(q: Quantity) -> str:
    return q.context.text[: max(0, q.span.start - q.context.start)] if q.context is not None else ""


def text_after(q: Quantity) -> str:
    return q.context.text[max(0, q.span.end - q.context.start) :] if q.context is not None else ""


def is_change(q: Quantity) -> bool:
    """An amount of change ("extended the mourning by two days", "cut prices by 5%"): compared
    only with other changes, never with a level ("declared three days of mourning")."""
    return q.unit is not None and re.search(r"\bby\s+$", text_before(q), re.IGNORECASE) is not None


def is_age(q: Quantity) -> bool:
    """An age ("the 40-year-old plant"): compared only with other ages, never with a duration."""
    return q.unit is not None and re.match(r"[\s-]old\b", text_after(q), re.IGNORECASE) is not None


def block_unit(q: Quantity) -> str:
    """The unit a block is keyed on, with changes and ages kept apart from levels and durations."""
    return (q.unit or "") + (" change" if is_change(q) else "") + (" age" if is_age(q) else "")


def counts_people(q: Quantity) -> bool:
    """The figure counts people: its counted noun is a person noun ("workers") or names people by
    what happened to them ("injured", "dead", "death toll")."""
    head = head_word(q)
    return q.unit is None and bool(head) and (head in person_nouns() or head in figure_events())


def head_word(q: Quantity) -> str:
    return (q.measure or "").split()[-1].lower() if q.measure else ""


def precision(value: float) -> float:
    """The place a figure is written to: 12,400 to the hundred, 11,950 to the ten, 38.6 to the tenth."""
    if value == int(value):
        n, step = abs(int(value)), 1.0
        while n and n % 10 == 0:
            n //= 10
            step *= 10
        return step
    decimals = f"{abs(value):.6f}".rstrip("0").split(".")[1]
    return 10.0 ** -len(decimals)


def values_differ(values: list[float]) -> bool:
    """Two figures differ beyond rounding: the smaller is below AGREEMENT_RATIO of the larger, or
    neither is the other rounded to the place the coarser one is written to (12,400 and 11,950
    differ although within five percent; 12,000 and 11,950 do not)."""
    low, high = min(values), max(values)
    if high <= 0:
        return False
    if low < AGREEMENT_RATIO * high:
        return True
    distinct = sorted(set(values))
    return any(b - a > max(precision(a), precision(b)) / 2 for i, a in enumerate(distinct) for b in distinct[i + 1 :])


def format_value(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


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
