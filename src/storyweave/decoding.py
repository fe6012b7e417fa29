"""Bytes to text, by detection and never by assumption, saying when a text was not read exactly.

The order: a byte-order mark; UTF-32 or UTF-16 without one (bytes with NULs where a wide
encoding puts the high bytes of Latin text); strict UTF-8; UTF-8 with a few damaged bytes
(replaced by U+FFFD, and said so); then, for text that is really in a legacy 8-bit encoding, the
declared HTML charset, charset-normalizer's candidates and Windows-1252, scored for plausibility
(Windows-1252 preferred among Latin readings because short Western text is where statistical
detectors most often guess wrong). ``benchmarks/decode_repair.py`` measures the two thresholds
below on real article text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: The wide encodings tried on bytes with NULs and no BOM, each with the byte positions (modulo
#: the code unit) that hold the high bytes of a character, where the NULs of real text fall.
_WIDE: tuple[tuple[str, int, frozenset[int]], ...] = (
    ("utf-32-le", 4, frozenset({1, 2, 3})),
    ("utf-32-be", 4, frozenset({0, 1, 2})),
    ("utf-16-le", 2, frozenset({1})),
    ("utf-16-be", 2, frozenset({0})),
)
#: Share of the NUL bytes that must sit at an encoding's high-byte positions to read bytes as
#: that wide encoding. Real text puts nearly all of them there (a NUL low byte is a character
#: U+xx00: rare, except Korean, where 가 is U+AC00): lowest of the 92 article-extraction dev
#: bodies in all four encodings 0.912 (a Korean one), most 1.000; a reading in the wrong byte
#: order puts them nowhere near (benchmarks/decode_repair.py).
WIDE_NUL_PARITY = 0.8
#: Share of whitespace a wide reading must have: a few stray NULs in a short text can sit at
#: the right positions by chance, and the reading is then a run of ideographs with no space.
#: Lowest of the dev bodies 0.029; text without a BOM in a script written without spaces, with
#: too little ASCII in it, is still refused as binary.
WIDE_MIN_SPACE_SHARE = 0.01
#: Share of UTF-8 evidence needed to read bytes that are not valid UTF-8 as UTF-8 with the bad
#: bytes replaced: valid multi-byte sequences / (those + invalid bytes). Text in a legacy 8-bit
#: encoding almost never forms a valid multi-byte sequence; damaged UTF-8 is mostly valid ones.
#: On the dev bodies (benchmarks/decode_repair.py) the seven legacy encodings score 0.00 at
#: most (404 inputs), UTF-8 with 1-10 damaged bytes 0.08 at least, 0.25 at the 5th percentile
#: (332 inputs). Reading legacy text as UTF-8 would replace every accented letter, reading
#: damaged UTF-8 as legacy garbles its few non-ASCII characters, so the margin is left on the
#: legacy side: 4 of the 332 damaged inputs (bodies with one or two curly quotes) fall below.
UTF8_EVIDENCE = 0.1
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
#: Non-letters that are ordinary in Western text next to letters (typographic punctuation, currency).
_ORDINARY_SYMBOLS = set("\u00a0’‘‚“”„–—…«»‹›·•°€£¥¢©®™¡¿§¶×÷±′″´¨¸ªº")
#: Characters scored per candidate decoding: enough to judge, bounded for large files.
_SCORE_SAMPLE = 100_000
_NON_LATIN_SCRIPTS = ("CYRILLIC", "GREEK", "ARABIC", "HEBREW", "THAI", "CJK", "HANGUL", "HIRAGANA", "KATAKANA")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding it was read in, and what was not read exactly (if anything)."""

    text: str
    encoding: str
    notes: tuple[str, ...] = ()


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` near its start, if any."""
    m = _DECLARED_CHARSET.search(raw[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def decode_bytes(raw: bytes, *, declared: str | None = None) -> Decoded:
    """The text of ``raw``; raises ``ValueError`` with the reason for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {encoding} after its byte-order mark: {exc.reason}") from exc
            _refuse_binary_text(text)
            return Decoded(text.lstrip("\ufeff"), encoding)
    if b"\x00" in raw:
        wide = _detect_wide(raw)
        if wide is None:
            raise ValueError("binary file (contains NUL bytes)")
        return wide
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = _damaged_utf8(raw) or _detect_legacy(raw, declared)
    else:
        decoded = Decoded(text, "utf-8")
    _refuse_binary_text(decoded.text)
    return decoded


def _detect_wide(raw: bytes) -> Decoded | None:
    """UTF-32 or UTF-16 without a BOM, when the NULs sit where that encoding puts high bytes."""
    counts = [raw[position::4].count(0) for position in range(4)]  # NUL bytes at each offset modulo 4
    total = sum(counts)
    for encoding, unit, high in _WIDE:
        if len(raw) % unit:
            continue
        at_high = sum(n for position, n in enumerate(counts) if position % unit in high)
        if at_high < WIDE_NUL_PARITY * total:
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or sum(c.isspace() for c in text) < WIDE_MIN_SPACE_SHARE * len(text):
            continue
        try:
            _refuse_binary_text(text)
        except ValueError:
            continue
        return Decoded(text, encoding)
    return None


def _damaged_utf8(raw: bytes) -> Decoded | None:
    """UTF-8 with its few invalid bytes replaced, when the rest is plainly UTF-8 (else None)."""
    loose = raw.decode("utf-8", "surrogateescape")  # each invalid byte becomes one U+DC80..U+DCFF
    invalid = len(_ESCAPED_BYTE.findall(loose))
    valid = len(loose) - len(loose.encode("ascii", "ignore")) - invalid  # characters beyond ASCII
    if valid < UTF8_EVIDENCE * (valid + invalid):
        return None
    text = _ESCAPED_BYTE.sub("\ufffd", loose)
    plural = "s" if invalid != 1 else ""
    return Decoded(text, "utf-8", (f"{invalid} invalid UTF-8 byte{plural} replaced by U+FFFD",))


def _detect_legacy(raw: bytes, declared: str | None) -> Decoded:
    """Pick among the declared charset, charset-normalizer's guesses and cp1252 by plausibility."""
    import charset_normalizer

    matches = list(charset_normalizer.from_bytes(raw))
    best = matches[0] if matches else None
    if best is not None and best.percent_chaos < 10:
        decoded = str(best)
        if _mostly_non_latin(decoded[:_SCORE_SAMPLE]):
            return Decoded(decoded, _canonical(best.encoding))
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    candidates.append("cp1252")
    candidates.extend(m.encoding for m in matches[:8])
    scored: list[tuple[int, int, str, str]] = []
    for rank, name in enumerate(candidates):
        try:
            text = raw.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_oddities(text[:_SCORE_SAMPLE]), rank, _canonical(name), text))
    if not scored:
        raise ValueError("undecodable text (not UTF-8 and no plausible legacy encoding)")
    _odd, _rank, name, text = min(scored, key=lambda s: (s[0], s[1]))
    return Decoded(text, name)


def _canonical(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _mostly_non_latin(text: str) -> bool:
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    if not letters:
        return False
    other = sum(1 for c in letters if unicodedata.name(c, "").startswith(_NON_LATIN_SCRIPTS))
    return other * 2 > len(letters)


def _oddities(text: str) -> int:
    """How implausible a decoding looks: control and unassigned characters, and non-letter
    symbols glued to letters (``powiedzia³`` is cp1250 text read as cp1252)."""
    odd = 0
    for i, c in enumerate(text):
        if ord(c) < 128:
            continue
        cat = unicodedata.category(c)
        if cat in ("Cc", "Cn", "Co", "Cs"):
            odd += 3
        elif not cat.startswith("L") and c not in _ORDINARY_SYMBOLS:
            prev_letter = i > 0 and text[i - 1].isalpha()
            next_letter = i + 1 < len(text) and text[i + 1].isalpha()
            odd += 1 if (prev_letter or next_letter) else 0
    return odd


def _refuse_binary_text(text: str) -> None:
    if "\x00" in text:
        raise ValueError("binary file (contains NUL characters)")
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Cn") and c not in "\t\n\r\f\v")
    if controls > max(2, len(sample) // 50):
        raise ValueError("binary file (too many control characters)")
