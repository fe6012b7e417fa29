"""Compressed inputs are read as what they hold; a bad one costs one readable line."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyweave.compressed import gunzip, inner_name
from storyweave.errors import IngestError
from storyweave.ingest import ingest_paths
from storyweave.settings import Settings
from test_ingest import FLOOD, HTML, _warc, write

JSONL = b'{"text": "The ferry left the harbour at noon, the port said."}\n{"text": "A second invented story."}\n'


@pytest.mark.parametrize(
    ("name", "content", "expect"),
    [
        ("bridge.html.gz", HTML.encode(), "reopened to traffic"),
        ("flood.txt.gz", FLOOD.encode(), "River flood forces hundreds"),
        ("story.json.gz", json.dumps({"text": "An invented story in JSON."}).encode(), "An invented story in JSON."),
        ("feed.jsonl.gz", JSONL, "The ferry left the harbour"),
        ("page.gz", HTML.encode(), "reopened to traffic"),  # no inner suffix: the content decides
        ("bridge.html.gzip", HTML.encode(), "reopened to traffic"),
    ],
)
def test_gzip_of_a_page_or_records_is_read_as_its_content(
    tmp_path: Path, name: str, content: bytes, expect: str
) -> None:
    path = write(tmp_path, name, gzip.compress(content))
    result = ingest_paths([str(path)])
    assert result.errors == []
    assert expect in result.articles[0].text


def test_gzip_of_jsonl_names_each_record_by_line(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl.gz", gzip.compress(JSONL + b"not json\n"))
    result = ingest_paths([str(path)])
    assert len(result.articles) == 2
    assert [e.source for e in result.errors] == [f"{path}:3"]


def test_a_gzip_holding_a_web_archive_is_read_as_one_under_any_name(tmp_path: Path) -> None:
    data = _warc([("https://courier.example/bridge", "text/html; charset=utf-8", HTML.encode())], gz=True)
    for name in ("crawl.warc.gz", "crawl.gz"):
        result = ingest_paths([str(write(tmp_path, name, data))])
        assert result.errors == []
        assert [a.source for a in result.articles] == ["https://courier.example/bridge"]


def test_gzip_named_html_never_goes_to_the_archive_reader(tmp_path: Path) -> None:
    """The pages of a public benchmark come as .html.gz: each is a page, never a broken archive."""
    path = write(tmp_path, "page.html.gz", gzip.compress(HTML.encode()))
    out = _ingest_in_subprocess(path)
    assert out.returncode == 0
    assert out.stderr == ""
    assert "reopened to traffic" in out.stdout


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gzip.compress(HTML.encode())[:40], "truncated gzip"),
        (b"\x1f\x8b\x08\x00garbage that is no deflate stream at all" * 3, "damaged gzip"),
        (gzip.compress(gzip.compress(HTML.encode())), "gzip inside gzip"),
        (gzip.compress(b""), "empty file"),
    ],
)
def test_a_bad_gzip_costs_one_line_without_raw_bytes(tmp_path: Path, data: bytes, reason: str) -> None:
    bad = write(tmp_path, "bad.html.gz", data)
    good = write(tmp_path, "good.txt", FLOOD)
    result = ingest_paths([str(bad), str(good)])
    assert len(result.articles) == 1
    (error,) = result.errors
    assert error.source == str(bad)
    assert reason in error.reason
    assert "\n" not in error.reason
    assert "b'" not in error.reason


def test_bad_gzip_files_print_one_line_each_on_stderr(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path, f"bad{i}.html.gz", gzip.compress(HTML.encode())[: 30 + i])
    write(tmp_path, "ok.txt", FLOOD)
    out = _ingest_in_subprocess(tmp_path)
    assert out.stderr.count("\n") == 3, out.stderr
    assert all(line.startswith("error: ") for line in out.stderr.splitlines())


def test_decompression_is_bounded_by_the_file_size_limit(tmp_path: Path) -> None:
    bomb = gzip.compress(b"a" * 2_000_000)  # ~2 KB on disk
    path = write(tmp_path, "bomb.txt.gz", bomb)
    result = ingest_paths([str(path)], Settings(max_file_bytes=1_000_000))
    assert result.articles == []
    assert "inflates beyond" in result.errors[0].reason


def test_gzip_on_stdin_is_read_as_its_content() -> None:
    result = ingest_paths(["-"], stdin=io.BytesIO(gzip.compress(FLOOD.encode())))
    assert result.errors == []
    assert result.articles[0].text.startswith("River flood")


@given(st.binary(max_size=3000), st.integers(min_value=1, max_value=4))
@settings(max_examples=200, deadline=None)
def test_gunzip_round_trips_or_refuses_cleanly(payload: bytes, members: int) -> None:
    data = b"".join(gzip.compress(payload) for _ in range(members))
    if payload.startswith(b"\x1f\x8b"):
        with pytest.raises(IngestError):
            gunzip(data, 10**6, "x.gz")
        return
    assert gunzip(data, 10**6, "x.gz") == payload * members


@given(st.binary(max_size=400))
@settings(max_examples=300, deadline=None)
def test_gunzip_of_damaged_bytes_raises_only_ingest_errors(noise: bytes) -> None:
    data = gzip.compress(b"some article text " * 20)
    damaged = data[:10] + noise + data[10 + len(noise) :]
    reason = ""
    try:
        gunzip(damaged, 10**6, "x.gz")
    except IngestError as exc:
        reason = exc.reason
    assert "\n" not in reason


def test_inner_name_drops_only_the_compression_suffix() -> None:
    assert inner_name("a/page.html.gz") == "a/page.html"
    assert inner_name("page.HTML.GZ") == "page.HTML"
    assert inner_name("crawl.warc.gz") == "crawl.warc"
    assert inner_name("notes.txt") == "notes.txt"


def _ingest_in_subprocess(path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        "from storyweave.ingest import ingest_paths\n"
        "r = ingest_paths([sys.argv[1]])\n"
        "for e in r.errors: print(f'error: {e.source}: {e.reason}', file=sys.stderr)\n"
        "for a in r.articles: print(a.text)\n"
    )
    return subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)


def test_a_damaged_web_archive_is_one_line_without_the_readers_warnings(tmp_path: Path) -> None:
    data = _warc([("https://courier.example/bridge", "text/html; charset=utf-8", HTML.encode())] * 3, gz=False)
    damaged = data.replace(b"Content-Length: ", b"Content-Length: 1", 1)  # a record whose length is wrong
    path = write(tmp_path, "crawl.warc", damaged)
    out = _ingest_in_subprocess(path)
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(f"error: {path}: ")
    assert "WARNING" not in out.stderr
    assert "Remainder" not in out.stderr
    assert "officials said" not in out.stderr  # no page text quoted
