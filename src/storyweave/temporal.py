"""Date expressions in text and the calendar arithmetic that resolves them.

Regular expressions find absolute dates ("March 14, 2019", "14 Mar", "Oct. 3–4", "in June
2018", "early June") and relative ones ("on Friday", "last week", "two days ago", "last spring").
Each comes back with its value when the text alone fixes it, or with a rule ("--03-14" for a date
whose year is missing, "weekday 4 past" for "on Friday") that :func:`resolve_rule` and
:func:`with_year` turn into a value once a reference date is known.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from storyweave.figures import number_words
from storyweave.lexicons import lexicon_rows

# --------------------------------------------------------------------------- calendar words


@lru_cache(maxsize=1)
def _calendar() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for word, kind, number in lexicon_rows("calendar.txt"):
        table[kind][word] = int(number)
    return dict(table)


def months() -> dict[str, int]:
    return _calendar()["month"]


def weekdays() -> dict[str, int]:
    return _calendar()["weekday"]


def seasons() -> dict[str, int]:
    return _calendar()["season"]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _proper(words: Iterable[str]) -> str:
    """Calendar names as written in prose: Capitalised or UPPER CASE, never lower case (so the verbs
    "may" and "march" are not months), matched case-sensitively inside a case-insensitive pattern."""
    forms = {f for w in words for f in (w.capitalize(), w.upper())}
    return f"(?-i:{_alternation(forms)})"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Date patterns, most specific first; a later pattern never overlaps an earlier match."""
    month = rf"(?P<month>{_proper(months())})\.?"
    wday = rf"(?:(?P<wd>{_proper(weekdays())}),?\s+)?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    day2 = r"(?:\s?[-–]\s?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    part = r"(?:(?P<part>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]+)?"
    words = _alternation(k for k, (_, kind) in number_words().items() if kind in {"digit", "ten"})
    amount = rf"(?P<amount>\d+|{words}|a|an)"
    unit = r"(?P<unit>day|week|month|year)s?"
    flags = re.IGNORECASE
    return [
        ("iso", re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
        ("mdy", re.compile(rf"\b{wday}{month}\s+{day}{day2}(?:,?\s+{year})?\b(?![-–]\d)", flags)),
        ("dmy", re.compile(rf"\b{wday}{day}{day2}\s+(?:of\s+)?{month}(?:,?\s+{year})?\b", flags)),
        ("my", re.compile(rf"\b{part}{month}(?:\s+of)?,?\s+{year}\b", flags)),
        (
            "m",
            re.compile(
                rf"(?:(?<=\bin\s)|(?<=\bby\s)|(?<=\bsince\s)|(?<=\buntil\s)|(?<=\bduring\s)|\b(?=early|mid|late)){part}{month}(?P<that>\s+of\s+that\s+year)?\b(?!\s+\d)",
                flags,
            ),
        ),
        ("y", re.compile(rf"(?<=\b[Ii]n\s){year}\b(?![-–/]\d|\s*%)", flags)),
        ("ago", re.compile(rf"\b{amount}\s+{unit}\s+ago\b", flags)),
        ("day", re.compile(r"\b(?P<word>yesterday|today|tonight|tomorrow)\b", flags)),
        ("within", re.compile(r"\b(?P<edge>earlier|later)\s+(?:this|in\s+the)\s+(?P<unit>week|month|year)\b", flags)),
        ("period", re.compile(r"\b(?P<which>last|this|next|past|coming)\s+(?P<unit>week|weekend|month|year)\b", flags)),
        ("season", re.compile(rf"\b(?P<which>last|this|next)\s+(?P<season>{_alternation(seasons())})\b", flags)),
        (
            "weekday",
            re.compile(
                rf"\b(?:(?P<which>on|last|this|next|since|by|until|from)\s+)?(?P<wday>{_proper(weekdays())})(?:\s+(?:morning|afternoon|evening|night))?\b",
                flags,
            ),
        ),
    ]


_MONTH_VERBS = {"may", "march"}  # month names that are also common English words

# --------------------------------------------------------------------------- date arithmetic


def iso(d: date) -> str:
    return d.isoformat()


def date_range(a: date, b: date) -> str:
    return iso(a) if a == b else f"{iso(a)}/{iso(b)}"


def month_range(year: int, month: int, part: str | None = None) -> str:
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = 1, last
    if part:
        part = part.lower()
        if part == "early" or "beginning" in part or "start" in part:
            last_day = 10
        elif part == "mid":
            first_day, last_day = 11, 20
        elif part == "late" or "end" in part:
            first_day = 21
    return date_range(date(year, month, first_day), date(year, month, last_day))


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def closest_year(month: int, day: int, anchor: date, weekday: int | None = None) -> int:
    """The year that puts month/day closest to ``anchor`` (a December date near January wraps);
    with a written ``weekday``, the closest of the years on which the date falls on that day."""
    best = anchor.year
    best_key: tuple[bool, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = safe_date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if d is None:
            continue
        key = (weekday is not None and d.weekday() != weekday, abs((d - anchor).days))
        if best_key is None or key < best_key:
            best, best_key = year, key
    return best


def year_near(rule: str, anchors: Iterable[date]) -> str | None:
    """A year-less date ("--10-12", "--12-21/--12-31") in the year that puts it nearest the span of
    ``anchors`` (other dates of the same story), a date before the span winning a tie with one after
    it, since reports mostly look back. None without anchors, or when two years fit equally well
    (a span of anchors wide enough to hold the date in two different years)."""
    found = sorted(anchors)
    if not found:
        return None
    lo, hi = found[0], found[-1]
    parts = [(int(p[2:4]), int(p[5:7])) for p in rule.split("/")]
    scored: list[tuple[tuple[int, bool], str]] = []
    for year in range(lo.year - 1, hi.year + 2):
        first = safe_date(year, *parts[0])
        last = safe_date(year, *parts[-1])
        if first is None or last is None:
            continue  # February 29 in a common year
        distance = (lo - last).days if last < lo else (first - hi).days if first > hi else 0
        scored.append(((distance, first > hi), date_range(first, last)))
    if not scored:
        return None
    scored.sort(key=lambda kv: kv[0])
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


def _shift_months(d: date, n: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + n
    return index // 12, index % 12 + 1


def _week(d: date, offset: int) -> str:
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=offset)
    return date_range(monday, monday + timedelta(days=6))


def _season_range(first_month: int, year: int) -> str:
    """A season starting in ``first_month`` of ``year`` (winter runs into the next year)."""
    start = date(year, first_month, 1)
    end_year, end_month = _shift_months(start, 2)
    return date_range(start, date(end_year, end_month, calendar.monthrange(end_year, end_month)[1]))


def resolve_rule(rule: str, base: date) -> str | None:
    """The value of a relative rule against ``base`` (the date the text was written)."""
    kind, *args = rule.split()
    if kind == "weekday":
        target, direction = int(args[0]), args[1]
        if direction == "future":
            ahead = (target - base.weekday()) % 7 or 7
            return iso(base + timedelta(days=ahead))
        if direction == "next":
            ahead = (target - base.weekday()) % 7 or 7
            return iso(base + timedelta(days=ahead))
        if direction == "this":
            return iso(base - timedelta(days=base.weekday()) + timedelta(days=target))
        back = (base.weekday() - target) % 7
        if direction == "last" and back == 0:
            back = 7
        return iso(base - timedelta(days=back))
    if kind == "day":
        return iso(base + timedelta(days=int(args[0])))
    if kind == "week":
        return _week(base, int(args[0]))
    if kind == "weekend":
        saturday = base - timedelta(days=base.weekday()) + timedelta(days=5, weeks=int(args[0]))
        return date_range(saturday, saturday + timedelta(days=1))
    if kind == "month":
        year, month = _shift_months(base, int(args[0]))
        return month_range(year, month)
    if kind == "year":
        year = base.year + int(args[0])
        return date_range(date(year, 1, 1), date(year, 12, 31))
    if kind == "within":
        unit, edge = args
        if unit == "week":
            first = base - timedelta(days=base.weekday())
            last = first + timedelta(days=6)
        elif unit == "month":
            first = base.replace(day=1)
            last = base.replace(day=calendar.monthrange(base.year, base.month)[1])
        else:
            first, last = date(base.year, 1, 1), date(base.year, 12, 31)
        if edge == "earlier":
            return date_range(first, base - timedelta(days=1)) if base > first else None
        return date_range(base + timedelta(days=1), last) if base < last else None
    if kind == "ago":
        amount, unit = int(args[0]), args[1]
        if unit == "day":
            return iso(base - timedelta(days=amount))
        if unit == "week":
            return iso(base - timedelta(weeks=amount))
        if unit == "month":
            year, month = _shift_months(base, -amount)
            return month_range(year, month)
        year = base.year - amount
        return date_range(date(year, 1, 1), date(year, 12, 31))
    if kind == "season":
        first_month, which = int(args[0]), args[1]
        # The season of the same name that contains or ends nearest before ``base``.
        year = base.year if (base.month, base.day) >= (first_month, 1) else base.year - 1
        start = date(year, first_month, 1)
        end_year, end_month = _shift_months(start, 2)
        in_progress = base <= date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
        if which == "last":
            return _season_range(first_month, year - 1 if in_progress else year)
        if which == "next":
            return _season_range(first_month, year + 1)
        return _season_range(first_month, year if in_progress or first_month != 12 else year + 1)
    return None


def _amount(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text.lower() in {"a", "an"}:
        return 1
    value = number_words().get(text.lower())
    return int(value[0]) if value else None


# --------------------------------------------------------------------------- finding dates


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date expression before context is attached: its value when the text alone fixes it."""

    start: int
    end: int
    value: str | None
    rule: str | None  # unresolved form: "--03-14", "weekday 4 past", "week -1", "season 3 last"
    relative: bool
    month_day: tuple[int, int, int | None] | None = None  # (month, day, last day of a range)
    part: str | None = None
    anchors_year: bool = False  # an explicit month-and-year date that can lend its year to others
    weekday: int | None = None  # "Friday, March 3": the weekday written with a year-less date


def _absolute(kind: str, m: re.Match[str]) -> FoundDate | None:
    g = m.groupdict()
    month = int(g["mnum"]) if kind == "iso" else months().get((g.get("month") or "").lower().rstrip("."))
    if not month or not 1 <= month <= 12:
        return None
    month_word = (g.get("month") or "").lower()
    year = int(g["year"]) if g.get("year") else None
    if kind in {"my", "m"}:
        if month_word in _MONTH_VERBS and kind == "m" and not g.get("part"):
            return None
        part = g.get("part")
        if year is not None:
            return FoundDate(m.start(), m.end(), month_range(year, month, part), None, False, anchors_year=True)
        return FoundDate(m.start(), m.end(), None, year_free(month_range(2001, month, part)), False, part=part)
    day = int(g["day"])
    day2 = int(g["day2"]) if g.get("day2") else None
    if not 1 <= day <= 31 or (day2 is not None and not day < day2 <= 31):
        return None
    if year is not None:
        first = safe_date(year, month, day)
        last = safe_date(year, month, day2) if day2 else first
        if first is None or last is None:
            return None
        return FoundDate(
            m.start(), m.end(), date_range(first, last), None, False, (month, day, day2), anchors_year=True
        )
    rule = f"--{month:02d}-{day:02d}" + (f"/--{month:02d}-{day2:02d}" if day2 else "")
    weekday = weekdays()[g["wd"].lower()] if g.get("wd") else None
    return FoundDate(m.start(), m.end(), None, rule, False, (month, day, day2), weekday=weekday)


def _relative(kind: str, m: re.Match[str]) -> FoundDate | None:
    g = m.groupdict()
    if kind == "ago":
        amount = _amount(g["amount"])
        return FoundDate(m.start(), m.end(), None, f"ago {amount} {g['unit'].lower()}", True) if amount else None
    if kind == "day":
        offset = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["word"].lower()]
        return FoundDate(m.start(), m.end(), None, f"day {offset}", True)
    if kind == "within":
        return FoundDate(m.start(), m.end(), None, f"within {g['unit'].lower()} {g['edge'].lower()}", True)
    if kind == "period":
        offset = {"last": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[g["which"].lower()]
        return FoundDate(m.start(), m.end(), None, f"{g['unit'].lower()} {offset}", True)
    if kind == "season":
        first = seasons()[g["season"].lower()]
        return FoundDate(m.start(), m.end(), None, f"season {first} {g['which'].lower()}", True)
    if kind == "weekday":
        which = (g.get("which") or "").lower()
        if which in {"since", "by", "until", "from"}:
            return None
        direction = {"last": "last", "this": "this", "next": "next"}.get(which, "past")
        start = m.start() if which else m.start("wday")
        return FoundDate(start, m.end(), None, f"weekday {weekdays()[g['wday'].lower()]} {direction}", True)
    return None


_WORD = re.compile(r"[A-Za-z]+|\d+")
_PARTS = frozenset({"early", "mid", "late", "the"})


@lru_cache(maxsize=1)
def _first_words() -> dict[str, frozenset[str]]:
    """The words a match of each pattern can begin with ("#" stands for any digits), so a pattern
    is tried only where it can match instead of at every character."""
    month_words, weekday_words = frozenset(months()), frozenset(weekdays())
    amounts = frozenset(k for k, (_, kind) in number_words().items() if kind in {"digit", "ten"}) | {"a", "an", "#"}
    relative = frozenset({"last", "this", "next", "past", "coming"})
    return {
        "iso": frozenset({"#"}),
        "mdy": month_words | weekday_words,
        "dmy": weekday_words | {"#"},
        "my": month_words | _PARTS,
        "m": month_words | _PARTS,
        "y": frozenset({"#"}),
        "ago": amounts,
        "day": frozenset({"yesterday", "today", "tonight", "tomorrow"}),
        "within": frozenset({"earlier", "later"}),
        "period": relative,
        "season": frozenset({"last", "this", "next"}),
        "weekday": weekday_words | {"on", "last", "this", "next", "since", "by", "until", "from"},
    }


def find_dates(text: str) -> list[FoundDate]:
    """Every date expression in ``text``, longest and most specific first, never overlapping."""
    starts: dict[str, list[int]] = defaultdict(list)
    for w in _WORD.finditer(text):
        word = w.group()
        starts["#" if word[0].isdigit() else word.lower()].append(w.start())
    first_words = _first_words()
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _patterns():
        positions = sorted({p for word in first_words[kind] for p in starts.get(word, ())})
        for position in positions:
            m = pattern.match(text, position)
            if m is None or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if kind in {"iso", "mdy", "dmy", "my", "m"}:
                item = _absolute(kind, m)
            elif kind == "y":
                year = int(m.group("year"))
                item = FoundDate(m.start(), m.end(), date_range(date(year, 1, 1), date(year, 12, 31)), None, False)
            else:
                item = _relative(kind, m)
            if item is not None:
                found.append(item)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda f: (f.start, f.end))
    return found


def year_free(value: str) -> str:
    """ "2001-12-01/2001-12-10" -> "--12-01/--12-10": a range whose year is still unknown."""
    return "/".join(f"--{part[5:]}" for part in value.split("/"))


def with_year(f: FoundDate, base: date) -> str | None:
    if f.month_day is None and f.rule:
        month = int(f.rule[2:4])
        return month_range(closest_year(month, 15, base), month, f.part)
    if f.month_day is None:
        return None
    month, day, day2 = f.month_day
    year = closest_year(month, day, base, f.weekday)
    first = safe_date(year, month, day)
    last = safe_date(year, month, day2) if day2 else first
    return date_range(first, last) if first and last else None
