"""Numbers in text before the parse says what they count: digits, currency symbols, scale words
and suffixes, spelled-out numbers and ranges, with the years, day numbers and list labels that are
not amounts told apart."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from storyweave.figures import approximators, month_words, number_words, units

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
def approximator_pattern() -> re.Pattern[str]:
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
RELATIVE_AFTER = frozenset({"ago", "later", "earlier", "before", "after", "old", "previously", "since", "from"})


#: Of those, the words whose object is a second event the figure measures the time to or from.
SPAN_BETWEEN = frozenset({"before", "after"})


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
class FoundNumber:
    """A number located in the text before the parse says what it counts."""

    start: int
    end: int
    value: float
    unit: str | None
    vague: str | None  # the vague phrase ("tens of", "thousands") when only the magnitude is given
    spelled: bool
    low: str | None = None  # the lower end of a range, as written in the qualifier


def find_numbers(text: str) -> list[FoundNumber]:
    """Every number-like expression in ``text`` with its value and any unit written with it."""
    found: list[FoundNumber] = []
    table = units()
    m: re.Match[str] | None
    for m in _digit_pattern().finditer(text):
        unit = None
        if m.group("cur"):
            unit = table.get(m.group("cur").lower(), table.get(m.group("cur")[-1], ("USD", "money")))[0]
        if m.group("pct"):
            unit = "percent"
        suffix, scale = m.group("suffix"), m.group("scale")
        start = m.start() if m.group("between") is None else m.start("between")
        if m.group("high") is None:
            found.append(FoundNumber(start, m.end(), digit_value(m.group("num"), suffix, scale), unit, None, False))
        elif m.group("sep").strip() == "and" and m.group("between") is None:
            # "10 and 15 ships" without "between" is two numbers, not a range.
            found.append(
                FoundNumber(m.start("num"), m.end("num"), digit_value(m.group("num"), None, None), None, None, False)
            )
            found.append(
                FoundNumber(m.start("high"), m.end(), digit_value(m.group("high"), suffix, scale), unit, None, False)
            )
        else:
            # A range ("between 10 and 15", "10-15", "10 to 15"): the upper value, the lower one
            # kept in the qualifier.
            high = digit_value(m.group("high"), suffix, scale)
            found.append(FoundNumber(start, m.end(), high, unit, None, False, m.group("num")))
    taken = sorted((f.start, f.end) for f in found)
    taken_starts = [t[0] for t in taken]
    pattern = _word_pattern()
    last_end = -1
    value: float | None
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
            found.append(FoundNumber(m.start(), m.end(), value, None, phrase, True))
            continue
        value = word_value(m.group(0))
        if value is not None:
            found.append(FoundNumber(m.start(), m.end(), value, None, None, True))
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


def is_label_or_date(text: str, f: FoundNumber) -> bool:
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
