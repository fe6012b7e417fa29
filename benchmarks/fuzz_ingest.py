"""Mutation fuzzing of ingest: N mutated inputs, each must give Articles or an IngestError.

usage: python benchmarks/fuzz_ingest.py [N] [--seed S]

Starts from small valid inputs of every supported format (text, HTML, JSON, JSONL, WARC), mutates
them (bit flips, byte insertions and deletions, truncation, splicing two inputs, re-encoding,
stray NULs, BOMs and CRs) and reads each result under every file name suffix. Prints the number of
cases run, the time taken and every case that raised anything other than IngestError (with the
bytes saved under /tmp for replay). Exit status 1 when any case failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
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
LIMITS = Settings(max_file_bytes=300_000, max_article_chars=200_000)

TEXT = "Harbour crane collapses in storm\n\nA crane fell onto the quay on Friday night, the port said.\n"
HTML = (
    "<html><head><meta charset='utf-8'><title>Crane collapses</title>"
    "<meta property='og:site_name' content='Port News'></head><body><article><p>"
    + "A crane fell onto the quay on Friday night, the port authority said in a statement. " * 3
    + "</p></article></body></html>"
)


def warc_bytes(gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://port.example/crane", "response", payload=io.BytesIO(HTML.encode()), http_headers=headers
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
        gzip.compress(TEXT.encode()),
    ]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
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
        else:
            buf = bytearray(rng.choice([b"", b" ", b"\n\n", b"\x00" * 8, b"[]", b"{}", b"null", b"WARC/1.0\r\n"])) + buf
    return bytes(buf)


def run_case(data: bytes, suffix: str, tmp: Path) -> str | None:
    """None when the case behaved; otherwise the traceback of the unexpected exception."""
    path = tmp / f"case{suffix}"
    path.write_bytes(data)
    try:
        articles, errors = read_path(path, LIMITS)
    except IngestError:
        return None
    except Exception:  # the point of fuzzing: anything but IngestError is a bug to report
        return traceback.format_exc()
    for article in articles:
        if "\r" in article.text or article.id != article_id(article.text) or not article.text.strip():
            return f"article invariant broken for {article.source!r}"
    if not all(isinstance(e, IngestError) for e in errors):
        return "non-IngestError in the error list"
    return None


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
            cases += 1
            problem = run_case(data, suffix, tmp)
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
