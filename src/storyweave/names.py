"""Name normalisation and similarity: when two surface forms can name the same referent.

News from different outlets spells the same person differently: transliteration systems differ
(final ``-y``/``-iy``/``-yy``/``-yi``, ``kh``/``h``, ``ye``/``e``), reporters make typos, and
honorifics come and go. The functions here turn a surface form into comparable parts and decide,
conservatively, whether two forms match. A false merge (two people made one) is worse than a
missed merge, so every fuzzy rule comes with a guard: short names need near-exact matches,
conflicting given names keep people apart, and gendered surname forms (``-ov``/``-ova``) only
match when the given names agree.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from storyweave.lexicons import lexicon_lines, lexicon_rows
from storyweave.names_chinese import surname_first

# --------------------------------------------------------------------------- lexicons


HONORIFICS: frozenset[str] = frozenset(lexicon_lines("honorifics.txt"))
ROLE_NOUNS: frozenset[str] = frozenset(lexicon_lines("roles.txt"))
#: Role nouns by their last word, so a phrase can be tested word by word.
ROLE_HEADS: frozenset[str] = frozenset(
    r.split(" of ")[0].split()[-1] if " of " in r else r.split()[-1] for r in ROLE_NOUNS
)
DEMONYMS: dict[str, set[str]] = {}
for _line in lexicon_lines("demonyms.txt"):
    _adj, _country = _line.split("\t")
    DEMONYMS.setdefault(_adj, set()).add(_country)

#: Last words that make a capitalised name a company or institution, never a person ("Sabah
#: Cement", "Amber Lines", "Orlov Holdings"), whatever the entity recogniser said.
ORG_DESIGNATORS: frozenset[str] = frozenset(lexicon_lines("org_designators.txt"))
ORG_HEAD_WORDS = ORG_DESIGNATORS
#: Words that say what an organisation does ("Water", "Air"): generic in a name, but not enough
#: to retype a person (several are surnames).
ORG_DESCRIPTORS: frozenset[str] = frozenset(lexicon_lines("org_descriptors.txt"))
ORG_GENERIC: frozenset[str] = ORG_DESIGNATORS | ORG_DESCRIPTORS
#: Nouns that head a description of a person ("a lorry driver", "the victim's widow"): trades and
#: family words, the nouns that count people, and offices.
PERSON_HEAD_NOUNS: frozenset[str] = (
    frozenset(lexicon_lines("occupations.txt")) | frozenset(lexicon_lines("person_nouns.txt")) | ROLE_HEADS
)
#: Generational suffixes, not part of the surname proper.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})
#: Lower-case particles that belong to the surname that follows them ("van der Berg").
SURNAME_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "di",
        "du",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "ben",
        "bint",
        "abu",
        "abou",
        "dos",
        "das",
        "ter",
        "ten",
        "zu",
        "zum",
        "zur",
        "vom",
    }
)
#: Common Spanish and Portuguese family names: before another family name they open a double surname.
IBERIAN_SURNAMES: frozenset[str] = frozenset(lexicon_lines("iberian_surnames.txt"))
#: Spanish patronymic family names in -ez (Fernández, Domínguez) of five letters or more; not -iz,
#: -az, -oz, which end given names elsewhere (Cengiz, Deniz); the common ones of those are listed.
_IBERIAN_PATRONYMIC = re.compile(r"^[a-z]{3,}ez$")

#: Function words left out when an acronym is built from initials.
ACRONYM_STOPWORDS = frozenset(
    {"of", "the", "and", "for", "to", "in", "on", "a", "an", "at", "by", "&", "de", "du", "des", "la", "le"}
)

# --------------------------------------------------------------------------- normalisation

_POSSESSIVE = re.compile(r"['’`]s?$")
_NON_LETTERS = re.compile(r"[^a-z0-9\s-]")
_SPACES = re.compile(r"[\s-]+")


def fold(text: str) -> str:
    """ASCII, lower case, no diacritics, no punctuation except word breaks."""
    text = anyascii(text).lower().replace("'", "").replace("’", "")
    text = _NON_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


#: Words that make a capitalised run a place's name rather than a person's ("Upper Tesh", "Port
#: Halden", "North Ridge").
PLACE_NAME_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "new",
        "old",
        "port",
        "mount",
        "lake",
        "river",
        "fort",
        "cape",
        "gulf",
        "bay",
        "island",
        "islands",
        "valley",
        "district",
        "region",
        "province",
        "county",
        "city",
        "town",
        "street",
        "road",
        "square",
        "avenue",
        "bridge",
        "park",
        "saint",
        "st",
        "san",
        "santa",
        "sao",
    }
)
_PERSON_TOKEN = re.compile(r"[^\W\d_][^\W\d_]*(?:[-'’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _not_name_words() -> frozenset[str]:
    calendar = {row[0] for row in lexicon_rows("calendar.txt")}
    return frozenset(
        calendar
        | ORG_GENERIC
        | HONORIFICS
        | ROLE_NOUNS
        | ROLE_HEADS
        | PERSON_HEAD_NOUNS
        | PLACE_NAME_WORDS
        | set(DEMONYMS)
        | SURNAME_PARTICLES
        | ACRONYM_STOPWORDS
    )


def person_name_shape(text: str) -> bool:
    """A given name and a surname, maybe a middle name: two or three capitalised words, none of
    them a title, an office, a month, an organisation's or a place's generic word or a nationality.

    Shape alone never makes a person (a ship, a band or a village look the same); it is what an
    untyped name must have before context cues may make it one.
    """
    words = text.split()
    if not 2 <= len(words) <= 3:
        return False
    for word in words:
        if not _PERSON_TOKEN.fullmatch(word) or not word[0].isupper() or word.isupper():
            return False
        if fold(word) in _not_name_words():
            return False
    return True


def strip_possessive(text: str) -> str:
    """``"Jane Moreau's"`` -> ``"Jane Moreau"``."""
    return _POSSESSIVE.sub("", text.strip()) if re.search(r"['’`]s?$", text.strip()) else text.strip()


def name_tokens(text: str) -> list[str]:
    """Folded tokens of a name with honorifics, possessive and generational suffixes removed."""
    tokens = fold(strip_possessive(text)).split()
    while tokens and (tokens[0] in HONORIFICS or tokens[0] == "the"):
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
        tokens = tokens[:-1]
    return tokens


# Romanisation variants, written as (pattern, replacement) on folded tokens. They come from how
# Cyrillic, Greek and Arabic names are romanised by different systems and newsrooms: the soft
# endings of -ий/-ый/-ій (y, iy, yy, yi, ij, ii, ey), х as kh/h, е/є as e/ye/ie, ю/я as yu/iu/ju
# and ya/ia/ja, German/Polish w for v and j for y, French ou for u, -off for -ov, and vowels that
# English writers insert into initial consonant clusters (dm/dim). English spelling writes a long u
# as oo in Korean, Arabic, Persian and South Asian names (Yoon/Yun, Joo/Ju, Mahmood/Mahmud), and
# Greek γι before a vowel is written gi or yi (Giorgos/Yiorgos, Panagiotis/Panayiotis); both are
# read before doubled letters collapse, so oo does not become o (Joo/Jo, Yoon/Yon stay apart).
# Cyrillic е after a vowel is ye in some systems and e in others; only before v (the -ев of
# Sergeyev/Sergeev, Dostoyevsky) is that read as one spelling, so Meyer and Meer stay apart.
# Cyrillic ё after a consonant is written yo, io or jo, or plainly e (Fyodorov/Fiodorov/Fedorov,
# Pyotr/Petr, Seleznyov/Seleznev, Belozyorsk/Belozersk); read so only between consonants, so a
# final -io (Mario, Antonio), an -ion ending (Marion/Maren, Kenyon) and yo after a vowel or at the
# start of a word (Mayor, Yoshida, Bakhtiyor) keep their o.
_ROMANISATION_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"oo", "u"),  # English-spelled long u: Yoon/Yun, Kapoor/Kapur
        (r"(?:^|(?<=[aeiou]))gi(?=[aeou])", "yi"),  # Greek γι before a vowel: Giannis/Yiannis
        (r"(?<=[aeiou])ye(?=v)", "e"),  # е after a vowel in -ев: Sergeyev/Sergeev, Nikolayev/Nikolaev
        (r"(.)\1", r"\1"),  # doubled letters: -ss/-s, -yy/-y, ll/l
        (r"(iy|yi|ij|ii|yj|ey|y|i)$", "i"),  # final soft endings -> i
        (r"(?<=[^aeiouy])y(?=[^aeiouy])", "i"),  # ы/и between consonants: -syn/-sin
        (r"(?<=[aeiou])[yj](?=[^aeiou])", "i"),  # й after a vowel: -ay-/-ai-/-aj-
        (r"kh", "h"),
        (r"^(ye|ie|je)", "e"),
        (r"i[yj]a", "ia"),  # -iya/-ija/-iia (after doubles collapse) as -ia
        (r"(?<=[^aeiouy])(?:yo|io|jo)(?=[^aeiouy])(?!n$)", "e"),  # ё after a consonant: Fyodorov/Fedorov
        (r"(yu|iu|ju)", "u"),
        (r"(ya|ia|ja)", "a"),
        (r"(yo|io|jo)", "o"),
        (r"ou", "u"),
        (r"^dim", "dm"),
        (r"(sch|shch|sz)", "sh"),
        (r"(tch|cz)", "ch"),
        (r"(tz|cz)", "ts"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"j", "y"),
        (r"([oe])f$", r"\1v"),  # -off/-eff for -ov/-ev (after doubles collapse)
        (r"ck", "k"),
        (r"q", "k"),
        (r"x", "ks"),
    )
)


@lru_cache(maxsize=65536)
def roman_key(token: str) -> str:
    """A canonical spelling of one folded name token that conflates romanisation variants."""
    key = token
    for pattern, replacement in _ROMANISATION_RULES:
        key = pattern.sub(replacement, key)
    return key


# --------------------------------------------------------------------------- token similarity


def _feminine_of(a: str, b: str) -> bool:
    """True when ``b`` is the feminine form of surname ``a`` (-ov/-ova, -in/-ina, -sky/-skaya, -ski/-ska)."""
    if b == a + "a" and re.search(r"(ov|ev|yov|in|yn)$", a):
        return True
    return bool(re.search(r"sk(y|iy|yy|yi|ij|i)$", a) and re.sub(r"(y|iy|yy|yi|ij|i)$", "", a) + "aya" == b) or bool(
        a.endswith("ski") and b == a[:-1] + "a"
    )


@lru_cache(maxsize=262144)
def gendered_pair(a: str, b: str) -> bool:
    """Masculine and feminine forms of one Slavic surname (``Petrov``/``Petrova``), also when the
    two are romanised differently (``Sergeyev``/``Sergeeva``)."""
    if _feminine_of(a, b) or _feminine_of(b, a):
        return True
    ka, kb = roman_key(a), roman_key(b)
    return _feminine_of(ka, kb) or _feminine_of(kb, ka)


@lru_cache(maxsize=262144)
def token_similarity(a: str, b: str) -> float:
    """How alike two folded name tokens are, 0..1, after romanisation variants are conflated.

    1.0 for equal canonical spellings; otherwise a fuzzy score that only counts when the phonetic
    keys also agree, so a one-letter typo in a long name scores high and two different names that
    happen to share letters do not. Short tokens (< 5 letters) need equal canonical spellings.
    """
    if a == b:
        return 1.0
    if gendered_pair(a, b):
        return 0.0
    ka, kb = roman_key(a), roman_key(b)
    if ka == kb:
        return 0.97
    if min(len(a), len(b)) < 5:
        return 0.0
    jw = JaroWinkler.similarity(ka, kb)
    ratio = fuzz.ratio(ka, kb) / 100.0
    phonetic = jellyfish.metaphone(ka) == jellyfish.metaphone(kb) or jellyfish.nysiis(ka) == jellyfish.nysiis(kb)
    if phonetic and jw >= 0.93 and ratio >= 0.88:
        return min(jw, 0.95)
    if jw >= 0.95 and ratio >= 0.9 and min(len(a), len(b)) >= 7:
        return min(jw, 0.92)  # one-letter typo in a long name that also changes its sound
    return 0.0


def tokens_match(a: str, b: str) -> bool:
    return token_similarity(a, b) > 0.0


# --------------------------------------------------------------------------- person names


@dataclass(frozen=True, slots=True)
class PersonName:
    """A personal name split into given names and surname (folded)."""

    given: tuple[str, ...]
    surname: str
    #: the second family name of a Spanish or Portuguese double surname ("López" in "María Fernández López")
    second: str = ""

    @property
    def full(self) -> bool:
        return bool(self.given)

    def text(self) -> str:
        return " ".join(w for w in (*self.given, self.surname, self.second) if w)


#: Arabic definite-article particles, romanised al-, el-, ul-, or assimilated to the next consonant
#: (ad-, as-, ash-, an-, ar-, at-, az-, ath-, adh-). Outlets write them with or without a hyphen, in
#: either case, or leave them out, so they are dropped before names are compared.
_ARTICLE_PARTICLE = r"(?:al|el|ul|ad|adh|as|ash|an|ar|at|ath|az|ed|es|et|er|en)"
_HYPHEN = r"[-‐‑]"
_ARTICLE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # hyphenated, any case: "al-Haddad", "El-Haddad", "Mr As-Sayed"
    re.compile(rf"(?<![\w'’-]){_ARTICLE_PARTICLE}{_HYPHEN}(?=[^\W\d_])", re.IGNORECASE),
    # lower case before a capitalised word: "Yusuf al Haddad"
    re.compile(rf"(?<![\w'’-]){_ARTICLE_PARTICLE}\s+(?=[A-Z])"),
    # capitalised after another word of the name: "Yousef El Haddad" (a leading "Al" is a given name)
    re.compile(r"(?<=[\w.]\s)(?:Al|El|Ul)\s+(?=[A-Z])"),
)
#: Patronymic particles ("son/daughter of"): the same word in different romanisations.
_PATRONYMIC = {"ibn": "bin", "ben": "bin", "bin": "bin", "bint": "bint", "abu": "abu", "abou": "abu"}


#: "Servant of" compounds (Abdel-Rahman, Abdul Rahman, Abd al-Rahman, Abdirahman) are one name
#: written as one word, two words or hyphenated; their first part is spelled abd/abdel/abdul/abdal/abdi.
_ABD_WORDS = frozenset({"abd", "abdel", "abdul", "abdal", "abdol", "abdil"})
_ABD_PREFIX = re.compile(r"^abd(?:el|ul|al|ol|il|u|e|i)?(?=[a-z]{3})")


def _joined_abd_compounds(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for k, token in enumerate(tokens):
        if out and out[-1] in _ABD_WORDS and k < len(tokens):
            out[-1] += token
        else:
            out.append(token)
    return [_ABD_PREFIX.sub("abd", t) for t in out]


def _without_article_particles(text: str) -> str:
    for pattern in _ARTICLE_PATTERNS:
        text = pattern.sub("", text)
    return text


def _joined_surname(text: str) -> str:
    """The last word of a name with its hyphens removed, so a double-barrelled surname
    ("Kowalska-Nowak") stays one token; hyphens elsewhere ("Jean-Pierre") split as before."""
    words = text.split()
    if words and re.search(rf"[^\W\d_]{_HYPHEN}[^\W\d_]", words[-1]):
        words[-1] = re.sub(_HYPHEN, "", words[-1])
    return " ".join(words)


@lru_cache(maxsize=131072)
def parse_person(text: str) -> PersonName | None:
    """Split a personal name: the last token (with any particles before it) is the surname.

    Arabic article particles are dropped ("Yusuf al-Haddad" and "Youssef El Haddad" both have the
    surname ``haddad``), patronymic particles take one spelling (``ibn``/``bin``/``ben`` inside a
    name), "servant of" compounds are one word (Abdel Rahman, Abdul-Rahman) and a hyphenated
    last word is one surname token. A Spanish or Portuguese double surname keeps its first family
    name as ``surname`` and its second as ``second`` ("María Fernández López"), because the first
    alone ("Ms Fernández") refers to the person and the second alone does not.
    """
    tokens = name_tokens(_joined_surname(_without_article_particles(strip_possessive(text))))
    tokens = _joined_abd_compounds([_PATRONYMIC.get(t, t) if k else t for k, t in enumerate(tokens)])
    if not tokens:
        return None
    if len(tokens) == 2 and surname_first(*tokens):  # Chinese order: "Zhou Jianhua"
        return PersonName((tokens[1],), tokens[0])
    i = len(tokens) - 1
    while i > 0 and tokens[i - 1] in SURNAME_PARTICLES:
        i -= 1
    # "María Fernández López", "Ms Fernández López": first and second family name (the list
    # leaves out family names that are also given names, so the first word is no given name)
    if i == len(tokens) - 1 and i > 0 and iberian_surname(tokens[i - 1]):
        return PersonName(tuple(tokens[: i - 1]), tokens[i - 1], tokens[i])
    if i == 0 and len(tokens) > 1:  # "van Gogh" alone: all surname
        return PersonName((), " ".join(tokens))
    return PersonName(tuple(tokens[:i]), " ".join(tokens[i:]))


def iberian_surname(token: str) -> bool:
    """A common Spanish or Portuguese family name, or a Spanish patronymic one (-ez)."""
    return token in IBERIAN_SURNAMES or bool(_IBERIAN_PATRONYMIC.match(token))


def fused_surname(surname: str) -> str:
    """A surname with its particles written together: "van der berg" -> "vanderberg"."""
    return roman_key(surname.replace(" ", ""))


@lru_cache(maxsize=262144)
def surname_similarity(a: str, b: str) -> float:
    if (" " in a or " " in b) and fused_surname(a) == fused_surname(b):
        return 1.0 if a.replace(" ", "") == b.replace(" ", "") else 0.97  # "Van der Berg" / "Vanderberg"
    if " " in a or " " in b:  # particles: compare word by word
        wa, wb = a.split(), b.split()
        if len(wa) != len(wb):
            return 0.0
        return min(token_similarity(x, y) for x, y in zip(wa, wb, strict=True))
    return token_similarity(a, b)


def given_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names agree: either side missing, initials that fit, or matching first names."""
    if not a or not b:
        return True
    x, y = a[0], b[0]
    if len(x) == 1 or len(y) == 1:
        return x[0] == y[0]
    return tokens_match(x, y)


def _skeleton(token: str) -> str:
    return re.sub(r"[aeiouy]+", "", roman_key(token))


def vowel_variant(a: str, b: str, *, min_length: int) -> bool:
    """One name romanised with different vowels (Uzbek o for a, i/e): same consonants, same sound key.

    Too loose on its own (Peterson/Petersen), so only used when given name and surname both agree.
    """
    return (
        min(len(a), len(b)) >= min_length
        and a[0] == b[0]
        and _skeleton(a) == _skeleton(b)
        and jellyfish.metaphone(roman_key(a)) == jellyfish.metaphone(roman_key(b))
    )


#: Short vowels that one romanisation writes i or u and another e or o (Arabic kasra and damma in
#: French or English spelling: Qasim/Kassem, Yusuf/Yousof). Only these pairs: o/i (Rossi/Russo)
#: and a/e (Jansen/Jensen) stay different names.
_SHORT_VOWEL_PAIRS = frozenset({frozenset("ei"), frozenset("ou")})
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def _surname_variant_key(token: str) -> str:
    """A surname's canonical spelling with French ch for sh (Hachimi/Hashimi, Achour/Ashour)."""
    return roman_key(token).replace("ch", "sh")


def short_vowel_variant(a: str, b: str) -> bool:
    """One surname in two romanisations of its short vowels or of sh (Qasim/Kassem, Hashimi/Hachimi).

    After the usual conflations (q/k, doubled letters) and French ch read as sh, the two keys have
    the same length and letters except vowels that are an e/i or o/u pair. Needs five letters and
    two syllables, so Chinese one-syllable names (Chen/Shen, Chang/Shang) never meet it; too
    loose on its own (Marin/Maren), so used only when the given names agree as well.
    """
    ka, kb = _surname_variant_key(a), _surname_variant_key(b)
    if len(ka) != len(kb) or min(len(ka), len(kb)) < 5 or len(_VOWEL_GROUP.findall(ka)) < 2:
        return False
    if len(_VOWEL_GROUP.findall(kb)) < 2:
        return False
    return all(x == y or frozenset((x, y)) in _SHORT_VOWEL_PAIRS for x, y in zip(ka, kb, strict=True))


def _gendered_given(a: str, b: str) -> bool:
    """Given names that differ only in their final vowel are usually a man's and a woman's
    (Mario/Maria, Carlo/Carla), not two spellings of one name."""
    return a[:-1] == b[:-1] and a[-1:] != b[-1:] and a[-1:] in "aeio" and b[-1:] in "aeio"


def _given_vowel_variant(a: str, b: str) -> bool:
    """Given names that differ only in vowels (Timur/Temur); same length, so Ivan/Ivana stay apart."""
    return len(a) == len(b) and not _gendered_given(a, b) and vowel_variant(a, b, min_length=5)


def _given_key(token: str) -> str:
    """A given name's canonical spelling, with French soft c (Youcef) read as s.

    The surname rule that reads -eff/-off as -ev/-ov does not apply to given names (Youssef).
    """
    key = roman_key(token)
    if token.endswith("f") and key.endswith("v"):
        key = key[:-1] + "f"
    return re.sub(r"c(?=[eiy])", "s", key)


def given_romanisation_variant(a: str, b: str) -> bool:
    """Given names romanised differently: Youssef/Yusuf/Yousef/Youcef, Mohammed/Muhammad.

    After ou/u, doubled letters and soft c are conflated, the two spellings must have the same
    length, initial, consonants and sound key, so only vowels differ. Used only together with an
    equal surname, since on its own it would join Maria and Marie.
    """
    ka, kb = _given_key(a), _given_key(b)
    if ka == kb:
        return True
    if _gendered_given(a, b):
        return False
    return (
        len(ka) == len(kb)
        and min(len(ka), len(kb)) >= 4
        and ka[0] == kb[0]
        and re.sub(r"[aeiouy]+", "", ka) == re.sub(r"[aeiouy]+", "", kb)
        and jellyfish.metaphone(ka) == jellyfish.metaphone(kb)
    )


@lru_cache(maxsize=262144)
def person_similarity(a: PersonName, b: PersonName) -> float:
    """0..1 similarity of two personal names; 0 when a guard says they are different people.

    Guards: surnames must match; given names, when both are present, must match too; gendered
    surname forms never match on the surname alone (and ``token_similarity`` returns 0 for them,
    so they match only through :func:`gendered_same_person`). Names that differ only in their
    vowels (another romanisation) match only when given name and surname both agree that way.
    """
    sur = surname_similarity(a.surname, b.surname)
    if a.second and b.second and not tokens_match(a.second, b.second):
        return 0.0  # two double surnames that differ in the second: different families
    both_given = bool(a.given and b.given)
    given_variant = both_given and (
        _given_vowel_variant(a.given[0], b.given[0])
        or (sur >= 0.97 and given_romanisation_variant(a.given[0], b.given[0]))
    )
    if sur == 0.0:  # vowel variants of both names: a different romanisation of the same person
        surname_variant = " " not in a.surname + b.surname and (
            vowel_variant(a.surname, b.surname, min_length=7) or short_vowel_variant(a.surname, b.surname)
        )
        given_agree = both_given and (
            tokens_match(a.given[0], b.given[0]) or given_variant or given_romanisation_variant(a.given[0], b.given[0])
        )
        if surname_variant and given_agree:
            return 0.8
        return 0.0
    if not given_compatible(a.given, b.given) and not given_variant:
        return 0.0
    if a.given and b.given:
        return sur * (token_similarity(a.given[0], b.given[0]) or 0.9)
    return sur * 0.9  # surname only: weaker evidence, callers also demand uniqueness


@lru_cache(maxsize=262144)
def gendered_same_person(a: PersonName, b: PersonName) -> bool:
    """A gendered surname pair is one person only when both carry full, equal given names."""
    return bool(
        gendered_pair(a.surname, b.surname) and a.given and b.given and roman_key(a.given[0]) == roman_key(b.given[0])
    )


# --------------------------------------------------------------------------- organisations and places


def acronym(text: str) -> str:
    """Initials of the content words: ``"Committee to Protect Journalists"`` -> ``"CPJ"``."""
    words = [w for w in re.split(r"[\s-]+", anyascii(strip_possessive(text))) if w]
    initials = [w[0] for w in words if w.lower() not in ACRONYM_STOPWORDS and w[0].isalpha()]
    return "".join(initials).upper() if len(initials) >= 2 else ""


_ACRONYM_IN_PARENS = re.compile(r"\(([A-Z][A-Z.&]{1,9})\)")


def acronym_definitions(text: str) -> dict[str, str]:
    """``"the Committee to Protect Journalists (CPJ)"`` -> ``{"CPJ": "Committee to Protect Journalists"}``.

    The long form is the shortest run of words before the parenthesis whose initials spell it.
    """
    found: dict[str, str] = {}
    for m in _ACRONYM_IN_PARENS.finditer(text):
        key = acronym_key(m.group(1))
        words = text[max(0, m.start() - 200) : m.start()].split()[-12:]
        for n in range(2, len(words) + 1):
            phrase = strip_possessive(" ".join(words[-n:]))
            if not phrase[:1].isupper():
                continue
            if acronym(phrase) == key:
                found.setdefault(key, strip_article(phrase))
                break
    return found


def is_acronym(text: str) -> bool:
    """``UNESCO``, ``U.S.``, ``CPJ``: two or more capitals, optionally dotted."""
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 10 and bare.isupper() and bare.isalpha()


def acronym_key(text: str) -> str:
    return text.replace(".", "").upper()


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


@lru_cache(maxsize=262144)
def org_key(text: str) -> str:
    """Folded organisation or place name without a leading article or possessive."""
    return fold(strip_article(strip_possessive(text)).replace(".", ""))


#: The Arabic article inside a place's name, written al, el or ul, or assimilated to a sun letter
#: that starts the next word (ar-Rimal, as-Salam, ash-Sham, ad-Dawha).
_PLACE_ARTICLES = frozenset({"al", "el", "ul"})
_SUN_ARTICLES = frozenset({"ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az"})


def _place_roman_key(key: str) -> str:
    """Canonical spellings of a folded name's words, with every spelling of an Arabic article
    inside it written ``al`` (Wadi al-Rimal / Wadi el-Rimal / Wadi ar-Rimal)."""
    words = key.split()
    out: list[str] = []
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        inside = 0 < i < len(words) - 1
        if inside and (word in _PLACE_ARTICLES or (word in _SUN_ARTICLES and nxt.startswith(word[1:]))):
            out.append("al")
        else:
            out.append(roman_key(word))
    return " ".join(out)


@lru_cache(maxsize=262144)
def place_similarity(a: str, b: str) -> float:
    """0..1 for place or organisation names spelled differently (a letter doubled or dropped).

    Only near-identical long forms count: equal canonical spellings, or one edit in a name of
    six letters or more whose phonetic key is unchanged.
    """
    ka, kb = org_key(a), org_key(b)
    if ka == kb:
        return 1.0
    if not ka or not kb:
        return 0.0
    ra, rb = _place_roman_key(ka), _place_roman_key(kb)
    if ra == rb and min(len(ka), len(kb)) >= 5:
        return 0.95
    if min(len(ka), len(kb)) < 6 or abs(len(ka) - len(kb)) > 1:
        return 0.0
    ratio = fuzz.ratio(ka, kb) / 100.0
    if ratio >= 0.9 and jellyfish.metaphone(ka) == jellyfish.metaphone(kb):
        return 0.9
    return 0.0


@lru_cache(maxsize=65536)
def org_short_names(name: str) -> tuple[str, ...]:
    """The shorter names an organisation's long name is also cited by, as :func:`org_key` forms.

    A long name is split where its generic words start (``org_designators.txt``,
    ``org_descriptors.txt``) when all its words from there on are generic and a distinctive word
    ends what comes before. That gives its distinctive part (``"Corvina Bank"`` -> ``corvina``,
    ``"Ford Motor Company"`` -> ``ford``) and, when the generic part has two words or more and
    ends in a designator, that part too (``"the Fenmoor Water Board"`` -> ``water board``).
    Nothing shorter: "Fenmoor Water" may be another body, and one generic word ("the Bank") says
    too little.
    """
    words = org_key(name).split()
    k = len(words)
    while k > 0 and words[k - 1] in ORG_GENERIC:
        k -= 1
    if k == 0 or k == len(words) or words[k - 1] in ACRONYM_STOPWORDS:
        return ()
    tail = words[k:]
    out = [" ".join(words[:k])]
    if len(tail) >= 2 and tail[-1] in ORG_DESIGNATORS:
        out.append(" ".join(tail))
    return tuple(out)


@lru_cache(maxsize=65536)
def org_tails(name: str) -> tuple[str, ...]:
    """Every tail of a long organisation name that news may cite it by, as :func:`org_key` forms.

    A tail is two words or more ending in a designator (``org_designators.txt``), shorter than the
    name, with no particle in it or just before it: ``"the Velmora Basin Authority"`` -> ``basin
    authority``, ``"North Fenmoor Water Board"`` -> ``fenmoor water board``, ``water board``.
    Unlike :func:`org_short_names` its words need not be generic, so a tail names its long name
    only where the story gives it no other owner (the caller's guards); "Bank of Corvina" and a
    one-word tail ("the Authority") give none.
    """
    words = org_key(name).split()
    if len(words) < 3 or words[-1] not in ORG_DESIGNATORS:
        return ()
    first = 1 + max((i + 1 for i, w in enumerate(words) if w in ACRONYM_STOPWORDS), default=0)
    return tuple(" ".join(words[k:]) for k in range(first, len(words) - 1))


#: Endings that make a nationality adjective of a country's name (Sahilia -> Sahilian, Velmor ->
#: Velmorese); irregular ones are in ``demonyms.txt``.
_DEMONYM_ENDINGS = ("ian", "ean", "an", "n", "ese", "ish", "i")


def is_demonym(word: str, places: Collection[str]) -> bool:
    """A folded word is a nationality adjective: a listed one, or a country of the story's places
    (folded one-word names of places and nationalities) with a demonym ending ("sahilian" beside
    "sahilia" or "sahilians")."""
    if word in DEMONYMS:
        return True
    if word + "s" in places:
        return True
    for ending in _DEMONYM_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 4 and any(p != word and p.startswith(stem) for p in places):
            return True
    return False


# --------------------------------------------------------------------------- roles


def nationality_stem(word: str) -> set[str]:
    """Comparable stems of a nationality or country word: ``Hungarian`` and ``Hungary's`` share one."""
    folded = fold(strip_possessive(word).replace(".", ""))
    stems = {folded[:5]} if len(folded) >= 5 else {folded}
    for country in DEMONYMS.get(folded, ()):
        stems.add(country[:5] if len(country) >= 5 else country)
    for adj, countries in DEMONYMS.items():
        if folded in countries:
            stems.add(adj[:5] if len(adj) >= 5 else adj)
    return stems


#: Modifiers that change which office is meant: a deputy or former president is not the president.
RANK_MODIFIERS = frozenset(
    {
        "former",
        "ex",
        "deputy",
        "vice",
        "assistant",
        "acting",
        "interim",
        "late",
        "first",
        "under",
        "outgoing",
        "incoming",
        "chief",
        "senior",
        "junior",
        "associate",
        "principal",
    }
)
#: Role nouns that name the same office in different genders.
_ROLE_SYNONYMS = {
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "chairwoman": "chairman",
    "chair": "chairman",
    "businesswoman": "businessman",
    "congresswoman": "congressman",
    "advisor": "adviser",
    "premier": "prime minister",
    "secretary general": "secretary-general",
    "vice-president": "vice president",
    "defense minister": "defence minister",
}
_COMPLEMENT_PREPOSITIONS = frozenset({"of", "for", "at", "to", "in", "on"})
_ROLE_FILLER = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "and", "&", "s", "one"})
_MAX_ROLE_WORDS = max(len(r.split()) for r in ROLE_NOUNS)


@dataclass(frozen=True, slots=True)
class RoleDescriptor:
    """What a role phrase says about the office: its head noun, rank, affiliation and remit.

    ``affiliation`` holds comparable stems of the capitalised words that say whose office it is
    ("Hungarian", "Palace", "UNESCO", "of France"); ``remit`` the content words of a complement
    ("for European affairs"); ``qualifiers`` everything else ("richest", "Moscow-backed").
    """

    head: str
    rank: frozenset[str]
    affiliation: frozenset[str]
    remit: frozenset[str]
    qualifiers: frozenset[str]


def _match_role(words: list[str], i: int) -> tuple[str, int] | None:
    for n in range(min(_MAX_ROLE_WORDS, len(words) - i), 0, -1):
        candidate = " ".join(words[i : i + n])
        if candidate in ROLE_NOUNS:
            return candidate, n
        if candidate.endswith("s") and candidate[:-1] in ROLE_NOUNS:  # plural: "ministers"
            return candidate[:-1], n
    return None


def role_descriptor(text: str) -> RoleDescriptor | None:
    """Describe a role phrase in plain text (no parse needed, so corpus stages can use it too)."""
    raw = [w for w in re.split(r"\s+", strip_possessive(text.strip())) if w]
    words: list[tuple[str, str]] = []  # (folded, original)
    for w in raw:
        original = w.replace("’", "'")
        if original.endswith(("'s", "'")):
            original = original.rsplit("'", 1)[0]
        folded = fold(original.replace(".", ""))
        if folded:
            words.append((folded, original))
    folded_words = [f for f, _ in words]
    head: str | None = None
    head_end = -1
    i = 0
    complement_at = len(words)
    while i < len(words):
        found = _match_role(folded_words, i)
        if found:
            head, n = found
            head_end = i + n
            i += n
            continue
        if head is not None and folded_words[i] in _COMPLEMENT_PREPOSITIONS:
            complement_at = i
            break
        i += 1
    if head is None:
        return None
    rank: set[str] = set()
    affiliation: set[str] = set()
    remit: set[str] = set()
    qualifiers: set[str] = set()
    for j, (folded, original) in enumerate(words):
        if j >= head_end - len(head.split()) and j < head_end:
            continue
        for part in folded.split():
            if part in _ROLE_FILLER or part in _COMPLEMENT_PREPOSITIONS:
                continue
            if part in RANK_MODIFIERS:
                rank.add(part)
            elif j > complement_at:
                if original[:1].isupper() and folded_words[j - 1] == "of":
                    affiliation |= nationality_stem(original)
                else:
                    remit.add(part)
            elif original[:1].isupper() and "-" not in original and part not in ROLE_HEADS:
                affiliation |= nationality_stem(original)
            elif part not in ROLE_HEADS:
                qualifiers.add(part)
    head = _ROLE_SYNONYMS.get(head, head)
    return RoleDescriptor(head, frozenset(rank), frozenset(affiliation), frozenset(remit), frozenset(qualifiers))


def roles_compatible(a: RoleDescriptor, b: RoleDescriptor) -> bool:
    """Two role phrases can describe the same office holder.

    Either the same head noun with the same rank and no conflicting affiliation or remit, or the
    same distinctive remit ("for European and Eurasian affairs", two content words or more) with no
    conflicting affiliation, whatever the head noun.
    """
    if a.affiliation and b.affiliation and not a.affiliation & b.affiliation:
        return False
    if len(a.remit & b.remit) >= 2:
        return True
    if a.head != b.head or a.rank != b.rank:
        return False
    return not (a.remit and b.remit and not a.remit & b.remit)


#: Role heads a headline uses for whoever runs an organisation ("Skylark boss"), and the offices
#: they stand for there.
_TOP_OFFICE_WORDS = frozenset({"boss", "chief", "head", "leader"})
_TOP_OFFICES = _TOP_OFFICE_WORDS | {"chief executive", "ceo", "chairman", "president", "director", "managing director"}


def bare_role(text: str) -> bool:
    """Role words alone, no name ("Councillor", "the minister", "engineers", "Deputy Mayor"): an
    office, not a named entity."""
    words = fold(strip_possessive(text).replace(".", "")).split()
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    i = 0
    found = False
    while i < len(words):
        match = _match_role(words, i)
        if match is not None:
            i += match[1]
            found = True
        elif words[i] in RANK_MODIFIERS:
            i += 1
        else:
            return False
    return found


def headline_role_fits(headline: RoleDescriptor, holder: RoleDescriptor) -> bool:
    """A headline's short role ("Minister:", "engineers say", "Skylark boss") can name a holder of a
    fuller one in the article ("Water minister Farid Osei", "chief engineer", "chief executive").

    Headlines drop ranks and remits, so only a rank the headline states must match; the heads must
    agree, or the headline's head is a word for whoever runs an organisation and the holder holds
    a top office; affiliations, when both give one, must overlap.
    """
    if headline.affiliation and holder.affiliation and not headline.affiliation & holder.affiliation:
        return False
    if headline.rank and headline.rank != holder.rank:
        return False
    if headline.head == holder.head:
        return True
    return headline.head in _TOP_OFFICE_WORDS and holder.head in _TOP_OFFICES


# --------------------------------------------------------------------------- gender cues

#: Words that say a person is a woman or a man: honorifics, gendered role nouns, pronouns.
FEMALE_WORDS = frozenset(
    {
        "mrs",
        "ms",
        "miss",
        "dame",
        "lady",
        "madame",
        "mme",
        "mlle",
        "frau",
        "senora",
        "signora",
        "dona",
        "sister",
        "spokeswoman",
        "chairwoman",
        "businesswoman",
        "congresswoman",
        "queen",
        "princess",
        "she",
        "her",
    }
)
MALE_WORDS = frozenset(
    {
        "mr",
        "sir",
        "lord",
        "monsieur",
        "herr",
        "senor",
        "signor",
        "don",
        "father",
        "brother",
        "spokesman",
        "chairman",
        "businessman",
        "congressman",
        "king",
        "prince",
        "he",
        "his",
        "him",
    }
)


def gender_of(words: str) -> str | None:
    """``"f"`` or ``"m"`` when the words (a title, a role, a pronoun) say so, else None."""
    folded = set(fold(words).split())
    female, male = bool(folded & FEMALE_WORDS), bool(folded & MALE_WORDS)
    if female == male:
        return None
    return "f" if female else "m"


_FEMININE_SURNAME = re.compile(r"(?:ov|ev)a$|[^aeiou][sc]ka$|skaya$")
_MASCULINE_SURNAME = re.compile(r"(?:ov|ev)$|sk(?:y|iy|yy|ii|i)$")
#: Romance compounds of "nova" (new), a man's surname as often as a woman's.
_NOT_FEMININE = re.compile(r"(?:casa|villa|terra|^ca)nova$")


def surname_gender(surname: str) -> str | None:
    """``"f"`` or ``"m"`` for a Slavic surname whose ending marks it (Petrova, Kowalska / Petrov,
    Kowalski), else None.

    Only the unambiguous endings count: -ina/-in are left out because Medina, Messina or Martin are
    surnames of either sex elsewhere, as are Casanova and Villanova; a short word is never judged.
    """
    word = fold(surname)
    if len(word) < 5 or not word.isalpha():
        return None
    if _FEMININE_SURNAME.search(word) and not _NOT_FEMININE.search(word):
        return "f"
    if _MASCULINE_SURNAME.search(word):
        return "m"
    return None
