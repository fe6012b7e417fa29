"""How bytes that are not clean UTF-8 are read: the decoder now against the one before it, on real text.

usage: python benchmarks/decode_repair.py [--seed S]

Data: the 92 article bodies of ``shared/eval-data/article-extraction-dev`` (real news pages, the
dev half; MIT licence), turned into the byte forms a reader meets:

* damaged UTF-8: each body with 1, 2, 5 or 10 bytes replaced by bytes that cannot occur in UTF-8
  there (a lone continuation byte, a lead byte without its continuation, 0xFF);
* legacy 8-bit: each body in seven legacy encodings (characters an encoding lacks become "?");
* wide without a BOM: each body in UTF-16 and UTF-32, both byte orders;
* binary with NUL bytes: the 92 gzip-compressed pages as stored, and the PNG screenshots.

For each form it prints the decoder's figures beside the previous decoder's (``BASELINE``: the
same steps without the damaged-UTF-8 and wide-encoding readings): the share of inputs read in the
right encoding, the share of the original's non-ASCII characters kept, and the evidence figures
that the two thresholds in ``storyweave/decoding.py`` were chosen from (``UTF8_EVIDENCE``,
``WIDE_NUL_PARITY``, ``WIDE_MIN_SPACE_SHARE``). Skips cleanly when the data set is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from storyweave import decoding

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval-data" / "article-extraction-dev"
LEGACY = ("cp1252", "latin-1", "cp1250", "cp1251", "iso-8859-7", "koi8-r", "mac-roman")
WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
BAD_BYTES = (b"\x80", b"\xbf", b"\xc3", b"\xe2\x80", b"\xff", b"\xc0")


def baseline(raw: bytes) -> tuple[str, str] | None:
    """The previous decoder: BOM, NUL means binary, strict UTF-8, else the legacy detector."""
    for bom, encoding in decoding._BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding), encoding
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            found = decoding._detect_legacy(raw, None)
        except ValueError:
            return None
        return found.text, found.encoding


def current(raw: bytes) -> tuple[str, str] | None:
    try:
        found = decoding.decode_bytes(raw)
    except ValueError:
        return None
    return found.text, found.encoding


def kept(original: str, decoded: str) -> tuple[int, int]:
    """(non-ASCII characters of ``original`` found again in ``decoded``, how many there were)."""
    want = Counter(c for c in original if ord(c) > 127)
    have = Counter(c for c in decoded if ord(c) > 127)
    return sum(min(n, have[c]) for c, n in want.items()), sum(want.values())


def damage(text: str, k: int, rng: random.Random) -> bytes:
    raw = bytearray(text.encode("utf-8"))
    ascii_at = [i for i, b in enumerate(raw) if b < 128 and b not in (10, 13)]
    for i in sorted(rng.sample(ascii_at, min(k, len(ascii_at))), reverse=True):
        raw[i : i + 1] = rng.choice(BAD_BYTES)
    return bytes(raw)


def evidence(raw: bytes) -> float:
    loose = raw.decode("utf-8", "surrogateescape")
    invalid = sum(1 for c in loose if "\udc80" <= c <= "\udcff")
    valid = sum(1 for c in loose if ord(c) > 127) - invalid
    return valid / max(1, valid + invalid)


def wide_figures(raw: bytes, encoding: str) -> tuple[float, float]:
    """(share of NULs at the encoding's high-byte positions, share of whitespace in its reading)."""
    unit, high = next((u, h) for name, u, h in decoding._WIDE if name == encoding)
    counts = [raw[p::4].count(0) for p in range(4)]
    parity = sum(n for p, n in enumerate(counts) if p % unit in high) / max(1, sum(counts))
    text = raw.decode(encoding, "replace")
    return parity, sum(c.isspace() for c in text) / max(1, len(text))


def row(name: str, cases: list[tuple[bytes, str, str]], decoder: Callable[[bytes], tuple[str, str] | None]) -> str:
    right = chars = total = 0
    for raw, original, encoding in cases:
        found = decoder(raw)
        if found is None:
            continue
        text, got = found
        right += got == encoding
        k, n = kept(original, text)
        chars += k
        total += n
    share = right / max(1, len(cases))
    kept_share = chars / max(1, total)
    return f"  {name:9} right encoding {right}/{len(cases)} ({share:.1%}), non-ASCII characters kept {kept_share:.1%}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    truth = DATA / "ground-truth.json"
    if not truth.is_file():
        print(f"skipped: {truth} is absent")
        return 0
    rng = random.Random(args.seed)
    bodies = [v["articleBody"] for v in json.loads(truth.read_text(encoding="utf-8")).values()]
    print(
        f"{len(bodies)} article bodies from {DATA.name} ({sum(map(len, bodies)) // len(bodies)} characters on average)"
    )

    damaged = [(damage(b, k, rng), b, "utf-8") for b in bodies for k in (1, 2, 5, 10)]
    with_non_ascii = [c for c in damaged if any(ord(ch) > 127 for ch in c[1])]
    print(f"\ndamaged UTF-8: {len(damaged)} inputs ({len(with_non_ascii)} from bodies with non-ASCII characters)")
    print(row("baseline", with_non_ascii, baseline))
    print(row("now", with_non_ascii, current))
    scores = sorted(evidence(raw) for raw, _, _ in with_non_ascii)
    low = sum(s < decoding.UTF8_EVIDENCE for s in scores)
    print(
        f"  UTF-8 evidence: min {scores[0]:.2f}, 5th percentile {scores[len(scores) // 20]:.2f}, median "
        f"{scores[len(scores) // 2]:.2f}; {low} below UTF8_EVIDENCE {decoding.UTF8_EVIDENCE}"
    )

    legacy = []
    for b in bodies:
        for encoding in LEGACY:
            raw = b.encode(encoding, "replace")
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                legacy.append((raw, b.encode(encoding, "replace").decode(encoding), encoding))
    print(f"\nlegacy 8-bit: {len(legacy)} inputs that are not valid UTF-8")
    same = sum(baseline(raw) == current(raw) for raw, _, _ in legacy)
    print(f"  read exactly as the baseline reads them: {same}/{len(legacy)}")
    scores = sorted(evidence(raw) for raw, _, _ in legacy)
    print(
        f"  UTF-8 evidence: max {scores[-1]:.2f}, 95th percentile {scores[len(scores) * 19 // 20]:.2f}; "
        f"{sum(s >= decoding.UTF8_EVIDENCE for s in scores)} at or above UTF8_EVIDENCE"
    )

    wide = [(b.encode(encoding), b, encoding) for b in bodies for encoding in WIDE]
    print(f"\nwide without a BOM: {len(wide)} inputs")
    print(row("baseline", wide, baseline))
    print(row("now", wide, current))
    figures = [wide_figures(raw, encoding) for raw, _, encoding in wide]
    print(f"  NUL parity: min {min(p for p, _ in figures):.3f}; whitespace share: min {min(s for _, s in figures):.3f}")
    swapped = {"utf-16-le": "utf-16-be", "utf-16-be": "utf-16-le", "utf-32-le": "utf-32-be", "utf-32-be": "utf-32-le"}
    wrong = [wide_figures(raw, swapped[encoding])[0] for raw, _, encoding in wide]
    print(
        f"  NUL parity of the reading in the other byte order: max {max(wrong):.3f} (WIDE_NUL_PARITY "
        f"{decoding.WIDE_NUL_PARITY})"
    )

    binary = [p.read_bytes() for p in sorted((DATA / "html").glob("*.gz"))]
    binary += [p.read_bytes() for p in sorted((ROOT / "docs" / "screenshots").glob("*.png"))]
    binary = [b for b in binary if b"\x00" in b]
    refused = sum(current(b) is None for b in binary)
    print(
        f"\nbinary with NUL bytes: {len(binary)} files; refused now {refused}, by the baseline "
        f"{sum(baseline(b) is None for b in binary)}"
    )

    pages = [gzip.decompress(p.read_bytes()) for p in sorted((DATA / "html").glob("*.gz"))]
    not_utf8 = [p for p in pages if current(p) is not None and current(p)[1] != "utf-8"]  # type: ignore[index]
    print(
        f"\nthe 92 pages as served: {len(pages) - len(not_utf8)} read as UTF-8, "
        f"{len(not_utf8)} otherwise ({Counter(current(p)[1] for p in not_utf8)})"
    )  # type: ignore[index]
    return 0


if __name__ == "__main__":
    sys.exit(main())
