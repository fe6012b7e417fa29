"""Mutation fuzzing of ingest: N mutated inputs, each must give Articles or an IngestError.

usage: python benchmarks/fuzz_ingest.py [N] [--seed S]

Starts from small valid inputs of every supported format (text, HTML, JSON, JSONL, WARC), mutates
them (bit flips, byte insertions and deletions, truncation, splicing two inputs, re-encoding,
stray NULs, BOMs and CRs; nesting JSON up to 200,000 levels deep, lone surrogate escapes in JSON
strings, WARC archives cut inside a record) and reads each result under every file name suffix and
under a file name with hostile characters (line breaks, terminal escapes, bidirectional marks,
bytes that are not UTF-8). Every case must give Articles or IngestErrors, every message must be one
printable line, and every article must be storable text (no lone surrogate). Prints the number of
cases run, the time taken and every case that broke a rule (with the bytes saved under /tmp for
replay). Exit status 1 when any case failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from storyweave.errors import IngestError
from storyweave.ingest import article_id, read_path
from storyweave.settings import Settings

SPLICES = (b"\x00", b"\r", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe2\x82", b"<", b'"', b"{")
SUFFIXES = (".txt", ".html", ".json", ".jsonl", ".warc", ".warc.gz", ".bin")
#: Pieces of hostile file names (the stem of a case's name is drawn from them).
NAME_PIECES = ("bad\nerror: forged", "\r", "\x1b[31m", "\u202e", "\u2028", "\t", "\x7f", "é", "’", "漢", " ")
NAME_BYTES = (b"\xff", b"\xe9", b"\xc3(", b"\x80")
LIMITS = Settings(max_file_bytes=300_000, max_article_chars=200_000)

TEXT = "Harbour crane collapses in storm\n\nA crane fell onto the quay on Friday night, the port said.\n"
HTML = (
    "<html><head><meta charset='utf-8'><title>Crane collapses</title>"
    "<meta property='og:site_name' content='Port News'></head><body><article><p>"
    + "A crane fell onto the quay on Friday night, the port authority said in a statement. " * 3
    + "</p></article></body></html>"
)


def warc_bytes(gz: bool, records: int = 1) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for i in range(records):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://port.example/crane-{i}", "response", payload=io.BytesIO(HTML.encode()), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def corpus() -> list[bytes]:
    return [
        TEXT.encode(),
        TEXT.encode("utf-16"),
        "Café owners said the crane cost 2 million €.".encode("cp1252"),
        HTML.encode(),
        json.dumps({"text": TEXT, "title": "Crane", "published": "2025-01-03"}).encode(),
        json.dumps([{"text": TEXT}, {"text": 5}]).encode(),
        b"\n".join(json.dumps({"text": f"Story {i}. {TEXT}"}).encode() for i in range(3)),
        warc_bytes(False),
        warc_bytes(True),
        warc_bytes(False, records=3),
        warc_bytes(True, records=3),
        gzip.compress(TEXT.encode()),
    ]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(12)
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2 and buf:
            i = rng.randrange(len(buf))
            del buf[i : i + rng.randint(1, 16)]
        elif op == 3:
            buf = buf[: rng.randrange(len(buf) + 1)]
        elif op == 4:
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            buf = buf[: rng.randrange(len(buf) + 1)] + bytearray(other[cut:])
        elif op == 5:
            i = rng.randrange(len(buf) + 1)
            buf[i:i] = rng.choice(SPLICES)
        elif op == 6:
            with contextlib.suppress(UnicodeDecodeError):
                buf = bytearray(buf.decode("utf-8").encode(rng.choice(["utf-16", "cp1252", "utf-32"]), "replace"))
        elif op == 7:
            buf = buf * rng.randint(2, 4)
        elif op == 8:  # nest: wrap a JSON value (or the whole input) in many levels of lists or objects
            depth = rng.choice([10, 63, 64, 65, 1000, rng.randint(1, 200_000)])
            opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
            at = buf.find(b'"text"')
            at = buf.find(b":", at) + 1 if at >= 0 else 0
            end = rng.randrange(at, len(buf) + 1)
            buf = buf[:at] + opener * depth + buf[at:end] + closer * depth + buf[end:]
        elif op == 9:  # a lone surrogate escape inside a JSON string
            quotes = [i for i, b in enumerate(buf) if b == ord('"')]
            i = rng.choice(quotes) + 1 if quotes else rng.randrange(len(buf) + 1)
            buf[i:i] = rng.choice([b"\\ud800", b"\\udfff", b"\\ud83d", b"\\ude00x", b"\\uDBFF"])
        elif op == 10 and buf.count(b"WARC/1.0") > 1:  # cut an archive inside one of its later records
            starts = [i for i in range(len(buf)) if buf.startswith(b"WARC/1.0", i)]
            buf = buf[: rng.randrange(starts[1], len(buf))]
        else:
            buf = bytearray(rng.choice([b"", b" ", b"\n\n", b"\x00" * 8, b"[]", b"{}", b"null", b"WARC/1.0\r\n"])) + buf
    return bytes(buf)


def hostile_name(rng: random.Random, suffix: str) -> bytes:
    """A file name (bytes, as POSIX allows) built from hostile pieces, ending in ``suffix``."""
    pieces = [rng.choice(NAME_PIECES).encode() for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        pieces.append(rng.choice(NAME_BYTES))
    return b"case " + b"".join(pieces) + suffix.encode()


def one_line(message: str) -> bool:
    return message.isprintable() and "\u202e" not in message and "\u2028" not in message


def storable(text: str | None) -> bool:
    try:
        (text or "").encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def run_case(data: bytes, name: bytes, tmp: Path) -> str | None:
    """None when the case behaved; otherwise what went wrong (a traceback or the broken rule)."""
    raw_path = os.path.join(os.fsencode(tmp), name)
    with open(raw_path, "wb") as stream:
        stream.write(data)
    path = Path(os.fsdecode(raw_path))
    try:
        try:
            articles, errors = read_path(path, LIMITS)
        except IngestError as exc:
            return None if one_line(str(exc)) else f"message is not one line: {str(exc)!r}"
        except Exception:  # the point of fuzzing: anything but IngestError is a bug to report
            return traceback.format_exc()
    finally:
        os.unlink(raw_path)
    for article in articles:
        if "\r" in article.text or article.id != article_id(article.text) or not article.text.strip():
            return f"article invariant broken for {article.source!r}"
        fields = (article.text, article.title, article.source, article.outlet, *(v for _, v in article.meta))
        if not all(storable(f) for f in fields):
            return f"article {article.source!r} holds a lone surrogate (it could not be stored)"
        if not one_line(article.source):
            return f"article source is not one line: {article.source!r}"
    if not all(isinstance(e, IngestError) for e in errors):
        return "non-IngestError in the error list"
    bad = [str(e) for e in errors if not one_line(str(e))]
    return f"message is not one line: {bad[0]!r}" if bad else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=2000, help="number of mutated inputs")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    pool = corpus()
    failures: list[tuple[int, str, str]] = []
    started = time.perf_counter()
    cases = 0
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for case in range(args.n):
            data = mutate(rng.choice(pool), rng, pool)
            suffix = rng.choice(SUFFIXES)
            name = hostile_name(rng, suffix) if rng.random() < 0.25 else f"case{suffix}".encode()
            cases += 1
            problem = run_case(data, name, tmp)
            if problem is not None:
                saved = Path(tempfile.gettempdir()) / f"fuzz_ingest_{args.seed}_{case}{suffix}"
                saved.write_bytes(data)
                failures.append((case, str(saved), problem))
    elapsed = time.perf_counter() - started
    print(f"cases run: {cases}, failures: {len(failures)}, {elapsed:.1f} s ({cases / max(elapsed, 1e-9):.0f} cases/s)")
    for case, saved, problem in failures[:20]:
        print(f"--- case {case}: saved as {saved}\n{problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
