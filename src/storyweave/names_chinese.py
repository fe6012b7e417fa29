"""Chinese personal names: which word is the surname, and one key for pinyin and Wade-Giles.

Outlets write one Chinese name surname first ("Zhou Jianhua") or given name first ("Jianhua
Zhou"), in Hanyu Pinyin or in Wade-Giles ("Chou Chien-hua"), with or without a hyphen in the
given name. The functions here read the order from a gazetteer of common family names and map
both romanisation systems to one loose key, syllable by syllable. They are conservative: a word
that is not wholly made of valid syllables of one system gets no key, and the loose key drops
the aspiration that Wade-Giles marks with apostrophes news copy leaves out, so callers may only
use it when nothing else in the story competes for the same key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

from storyweave.lexicons import lexicon_lines

K = TypeVar("K")

# --------------------------------------------------------------------------- family names


def _family_ranks() -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, line in enumerate(lexicon_lines("chinese_family_names.txt")):
        for spelling in line.split():
            ranks.setdefault(spelling, rank)
    return ranks


#: Folded spelling of a family name -> its rank (0 is the most common).
FAMILY_RANKS: dict[str, int] = _family_ranks()


def family_rank(token: str) -> int | None:
    """The rank of a folded word as a Chinese, Korean or Vietnamese family name, or None."""
    return FAMILY_RANKS.get(token)


# --------------------------------------------------------------------------- syllables


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_PINYIN_INITIALS: tuple[str, ...] = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
)
_PINYIN_INITIALS += ("z", "c", "s", "y", "w", "")
_PINYIN_FINALS = _words(
    "a o e ai ei ao ou an en ang eng ong er i ia ie iao iu ian in iang ing iong u ua uo uai ui uan un uang ue"
)
_PALATAL_FINALS = frozenset(_words("i ia ie iao iu ian in iang ing iong u ue uan un"))
_Y_FINALS = frozenset(_words("a e ao ou an in ang ing ong u ue uan un i"))
_W_FINALS = frozenset(_words("a o ai ei an en ang eng u"))
_ZERO_FINALS = frozenset(_words("a o e ai ei ao ou an en ang eng er"))
_RETROFLEX_FINALS = frozenset(_words("a e i ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang"))
_VELAR_FINALS = frozenset(_words("a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang"))


def _pinyin_syllables() -> frozenset[str]:
    out: set[str] = set()
    for initial in _PINYIN_INITIALS:
        for final in _PINYIN_FINALS:
            if initial in {"j", "q", "x"}:
                ok = final in _PALATAL_FINALS
            elif initial in {"zh", "ch", "sh", "r", "z", "c", "s"}:
                ok = final in _RETROFLEX_FINALS
            elif initial in {"g", "k", "h"}:
                ok = final in _VELAR_FINALS
            elif initial == "y":
                ok = final in _Y_FINALS
            elif initial == "w":
                ok = final in _W_FINALS
            elif initial == "":
                ok = final in _ZERO_FINALS
            else:  # b p m f d t n l
                ok = final not in {"er", "ua", "uai", "uang", "ue"} or (initial in {"n", "l"} and final == "ue")
            if ok:
                out.add(initial + final)
    return frozenset(out)


_WG_INITIALS = (
    "hs",
    "ch",
    "sh",
    "ts",
    "tz",
    "ss",
    "sz",
    "p",
    "m",
    "f",
    "t",
    "n",
    "l",
    "k",
    "h",
    "j",
    "s",
    "y",
    "w",
    "",
)
_WG_FINALS = _words(
    "a o e ai ei ao ou an en ang eng ung erh ih u ua uo uai ui uei uan un uang"
    " i ia ieh iao iu ian ien in iang ing iung ueh eh"
)


def _wade_giles_syllables() -> frozenset[str]:
    out: set[str] = set()
    for initial in _WG_INITIALS:
        for final in _WG_FINALS:
            if initial == "hs" and not final.startswith(("i", "u")):
                continue
            if initial in {"ts", "tz", "ss", "sz"} and final.startswith("i") and final != "ih":
                continue
            if final == "ih" and initial not in {"ch", "sh", "j"}:
                continue
            if final == "erh" and initial:
                continue
            if final == "eh" and initial != "y":
                continue
            out.add(initial + final)
    return frozenset(out)


PINYIN_SYLLABLES: frozenset[str] = _pinyin_syllables()
WADE_GILES_SYLLABLES: frozenset[str] = _wade_giles_syllables()
_SYSTEMS = {"pinyin": PINYIN_SYLLABLES, "wade-giles": WADE_GILES_SYLLABLES}


@lru_cache(maxsize=65536)
def syllables(word: str, system: str) -> tuple[str, ...] | None:
    """A folded word split into the fewest valid syllables of ``system``, or None.

    Hyphens and spaces are syllable breaks the writer gave ("chien-hua"); runs without them are
    split by search, preferring fewer, longer syllables ("jianhua" is jian+hua, not ji+an+hua); a
    syllable inside a word never starts with a vowel, as pinyin marks that break with an apostrophe.
    """
    inventory = _SYSTEMS[system]
    out: list[str] = []
    for run in re.split(r"[-\s]+", word):
        if not run:
            continue
        best: list[tuple[str, ...] | None] = [()] + [None] * len(run)
        for end in range(1, len(run) + 1):
            for start in range(max(0, end - 6), end):
                prev = best[start]
                piece = run[start:end]
                # inside a word a syllable never starts with a vowel (pinyin writes xi'an)
                if prev is not None and piece in inventory and not (start and piece[0] in "aeo"):
                    candidate = (*prev, piece)
                    current = best[end]
                    if current is None or len(candidate) < len(current):
                        best[end] = candidate
        found = best[len(run)]
        if found is None:
            return None
        out.extend(found)
    return tuple(out) or None


def name_system(words: tuple[str, ...]) -> str | None:
    """The one system all words parse in: pinyin when they do, else Wade-Giles, else None."""
    for system in ("pinyin", "wade-giles"):
        if all(syllables(w, system) is not None for w in words):
            return system
    return None


def _given_name_shape(word: str) -> bool:
    """One to three syllables of pinyin or Wade-Giles: the shape of a Chinese given name."""
    for system in _SYSTEMS:
        parts = syllables(word, system)
        if parts is not None and 1 <= len(parts) <= 3:
            return True
    return False


def surname_first(first: str, second: str) -> bool:
    """A two-word name whose first word is the surname ("Zhou Jianhua"), from folded words.

    The first word must be a known family name and the second shaped as a Chinese given name;
    when both are family names the more common one is read as the surname, so "Zhou Yan" and
    "Yan Zhou" split alike. A pair of other names ("Rose Taylor") keeps the Western order.
    """
    rank = family_rank(first)
    if rank is None or not _given_name_shape(second.replace(" ", "")):
        return False
    other = family_rank(second)
    return other is None or rank <= other


# --------------------------------------------------------------------------- one key for both systems

_WG_FINAL_MAP = {
    "eh": "e",
    "ung": "ong",
    "iung": "iong",
    "ieh": "ie",
    "ueh": "ue",
    "ien": "ian",
    "erh": "er",
    "uei": "ui",
}
_WG_INITIAL_MAP = {"hs": "x", "j": "r", "ts": "z", "tz": "z", "ss": "s", "sz": "s", "p": "b", "t": "d", "k": "g"}
#: Pinyin initials folded the way Wade-Giles without apostrophes loses them.
_PINYIN_LOOSE = {"p": "b", "t": "d", "k": "g", "q": "j", "ch": "zh", "c": "z"}


def _split(syllable: str, initials: tuple[str, ...]) -> tuple[str, str]:
    for initial in initials:
        if initial and syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


def _wade_giles_loose(syllable: str) -> str:
    initial, final = _split(syllable, _WG_INITIALS)
    final = _WG_FINAL_MAP.get(final, final)
    if initial == "ch":
        initial = "j" if final.startswith("i") else "zh"
    elif initial in {"k", "h"} and final == "o":
        final = "e"  # ko, k'o, ho -> ge, ke, he
        initial = _WG_INITIAL_MAP.get(initial, initial)
    else:
        initial = _WG_INITIAL_MAP.get(initial, initial)
    if final == "ih" or (initial in {"z", "s"} and final == "u" and syllable.startswith(("tz", "ts", "ss", "sz"))):
        final = "i"  # chih, shih, jih, tzu, ssu
    if initial == "y" and final == "en":
        final = "an"
    return initial + final


def _pinyin_loose(syllable: str) -> str:
    initial, final = _split(syllable, _PINYIN_INITIALS)
    return _PINYIN_LOOSE.get(initial, initial) + final


def loose_word_key(word: str, system: str) -> str | None:
    """One word in a common, aspiration-free form of both systems, or None if it does not parse."""
    parts = syllables(word, system)
    if parts is None:
        return None
    convert = _pinyin_loose if system == "pinyin" else _wade_giles_loose
    return "".join(convert(p) for p in parts)


def romanisation_key(given: tuple[str, ...], surname: str) -> tuple[str, str] | None:
    """(system, key) of a full Chinese name, or None when it is not one.

    The surname must be a known family name, there must be a given name, and every word must
    parse in one system. The key joins the surname's and the given name's loose forms, so
    "Chou Chien-hua" (Wade-Giles) and "Zhou Jianhua" (pinyin) share one.
    """
    if not given or " " in surname or family_rank(surname) is None:
        return None
    words = (surname, "".join(given))
    system = name_system(words)
    if system is None:
        return None
    keys = [loose_word_key(w, system) for w in words]
    if any(k is None for k in keys):
        return None
    return system, " ".join(k for k in keys if k is not None)


def romanisation_groups(names: Iterable[tuple[K, tuple[str, ...], str]]) -> list[list[K]]:
    """Entities that are one Chinese name romanised in pinyin and in Wade-Giles.

    ``names`` holds (entity, given names, surname) of full names. Names meet on their loose key;
    they are joined only when each system has exactly one entity under that key, so two people
    the loose key cannot tell apart ("Zhou Jianhua" and "Chou Qianhua", both pinyin) keep
    everyone under it apart.
    """
    found: dict[str, dict[str, set[K]]] = {}
    for entity, given, surname in names:
        key = romanisation_key(given, surname)
        if key is not None:
            found.setdefault(key[1], {}).setdefault(key[0], set()).add(entity)
    groups: list[list[K]] = []
    for _key, systems in sorted(found.items()):
        if len(systems) > 1 and all(len(entities) == 1 for entities in systems.values()):
            groups.append([next(iter(systems[s])) for s in sorted(systems)])
    return groups
