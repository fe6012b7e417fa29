"""Hostile and broken input: every bad file gives one clear error, and the good ones still load."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storyweave.errors import IngestError
from storyweave.ingest import ingest_paths
from storyweave.settings import Settings

GOOD = "Council approves new cycle lanes\n\nThe town council voted 9 to 2 on Tuesday to build three new cycle lanes.\n"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def only_error(paths: list[str], settings: Settings | None = None) -> IngestError:
    result = ingest_paths(paths, settings)
    assert result.articles == []
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n  ", "whitespace-only"),
        ("nul.txt", b"Council report\x00with a NUL byte", "binary file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("controls.txt", bytes(range(1, 9)) * 50, "binary file"),
        ("empty.html", b"", "empty file"),
        ("blank.json", b"\n\n", "whitespace-only"),
        ("nobody.html", b"<html><head><title>x</title></head><body></body></html>", "no article text"),
        ("number.json", b"42", "got a number"),
        ("string.json", b'"just a string"', "got a string"),
        ("notext.json", b'{"title": "Headline only"}', "no 'text' field"),
        ("badtext.json", b'{"text": ["a", "list"]}', "'text' must be a string"),
        ("nulltext.json", b'{"text": null}', "'text' must be a string"),
        ("blanktext.json", b'{"text": "   "}', "no text"),
        ("badtitle.json", b'{"text": "Fine text.", "title": 7}', "'title' must be a string"),
        ("broken.json", b'{"text": "unterminated', "malformed JSON"),
        ("emptylist.json", b"[]", "empty JSON list"),
        ("notwarc.warc", b"this is plain text, not an archive\n", "WARC"),
        # a response record without a target URI once crashed the WARC reader (found by fuzzing)
        (
            "nouri.warc",
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\n"
            b"Content-Length: 5\r\n\r\nhello\r\n\r\n",
            "damaged WARC archive",
        ),
    ],
)
def test_bad_input_gives_one_clear_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path, name, data)
    error = only_error([str(path)])
    assert str(path) in str(error)
    assert reason in error.reason


def test_bad_input_invalid_utf8_is_decoded_by_detection(tmp_path: Path) -> None:
    # UTF-8 text with one stray Windows-1252 byte (0x92, a curly apostrophe) is not valid UTF-8.
    path = write(tmp_path, "mixed.txt", b"The mayor\x92s office said the lanes open in May.")
    (article,) = ingest_paths([str(path)]).articles
    assert article.text == "The mayor’s office said the lanes open in May."
    assert article.encoding == "cp1252"


def test_bad_input_latin1_file_reads_correctly(tmp_path: Path) -> None:
    path = write(tmp_path, "latin.txt", "Le maire a visité le café; l'entrée coûte 3 €.".encode("cp1252"))
    (article,) = ingest_paths([str(path)]).articles
    assert article.text == "Le maire a visité le café; l'entrée coûte 3 €."


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_bad_input_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    text = "Zoë Müller opened the café.\n"
    data = text.encode(codec) if codec != "utf-16-le" else b"\xff\xfe" + text.encode(codec)
    path = write(tmp_path, "wide.txt", data)
    (article,) = ingest_paths([str(path)]).articles
    assert article.text == text


def test_bad_input_malformed_jsonl_line_names_file_and_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First invented story about a parade."}),
        '{"text": "missing the closing brace"',
        json.dumps({"text": "Third invented story about a market."}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Fifth invented story about a school."}),
    ]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines))
    result = ingest_paths([str(path)])
    assert [a.text.split()[0] for a in result.articles] == ["First", "Third", "Fifth"]
    assert [e.source for e in result.errors] == [f"{path}:2", f"{path}:4"]
    assert "malformed JSON line" in result.errors[0].reason
    assert "expected a JSON object" in result.errors[1].reason


@pytest.mark.parametrize(
    "markup",
    [
        b"<html><body><p>Unclosed <b>bold <i>and italic paragraphs about a town fair that ran all weekend "
        b"with music, food stalls and a parade through the old square.",
        b"<<<>>><p>><</p><div<div<div>The fair ran all weekend with music and food stalls in the square.",
        b"<html>" + b"<div>" * 5000 + b"Deeply nested text about the fair." + b"</div>" * 10,
        b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
    ],
)
def test_bad_input_broken_html_never_crashes(tmp_path: Path, markup: bytes) -> None:
    path = write(tmp_path, "broken.html", markup)
    result = ingest_paths([str(path)])
    assert len(result.articles) + len(result.errors) == 1
    for error in result.errors:
        assert str(path) in str(error)


def test_bad_input_directory_with_mixed_files(tmp_path: Path) -> None:
    write(tmp_path, "01_good.txt", GOOD)
    write(tmp_path, "02_empty.txt", b"")
    write(tmp_path, "03_binary.txt", b"\x00\x01\x02binary")
    write(tmp_path, "04_good.json", json.dumps({"text": "A second invented story about a library."}))
    write(tmp_path, "05_wrong.json", json.dumps({"body": "no text field"}))
    body = b"The library reopened on Monday after a long refit. " * 4
    write(tmp_path, "06_good.html", b"<html><body><article><p>" + body + b"</p></article></body></html>")
    result = ingest_paths([str(tmp_path)])
    assert sorted(Path(a.source).name for a in result.articles) == ["01_good.txt", "04_good.json", "06_good.html"]
    assert [(Path(e.source).name, e.reason) for e in result.errors] == [
        ("02_empty.txt", "empty file"),
        ("03_binary.txt", "binary file (contains NUL bytes)"),
        ("05_wrong.json", "record has no 'text' field"),
    ]


def test_bad_input_symlink_loop_is_survived(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", GOOD)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self_a").symlink_to(tmp_path / "self_b")
    (tmp_path / "self_b").symlink_to(tmp_path / "self_a")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    result = ingest_paths([str(tmp_path)])
    assert [Path(a.source).name for a in result.articles] == ["good.txt"]
    reasons = {Path(e.source).name: e.reason for e in result.errors}
    assert reasons["loop"].startswith("symlink loop")
    assert reasons["self_a"] == "symlink loop"
    assert reasons["self_b"] == "symlink loop"
    assert reasons["dangling.txt"] == "broken symlink"


def test_bad_input_symlink_alias_of_a_directory_is_read_once_without_error(tmp_path: Path) -> None:
    write(tmp_path, "a_dir_placeholder.txt", GOOD)
    (tmp_path / "real").mkdir()
    write(tmp_path, "real/story.txt", "An invented story about a school play.")
    (tmp_path / "zz_alias").symlink_to(tmp_path / "real", target_is_directory=True)
    result = ingest_paths([str(tmp_path)])
    assert result.errors == []
    assert result.duplicates == []
    assert len(result.articles) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file, so chmod 000 cannot make one unreadable")
def test_bad_input_unreadable_file_gives_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", GOOD)
    path.chmod(0)
    try:
        error = only_error([str(path)])
        assert "cannot read" in error.reason
    finally:
        path.chmod(0o644)


def test_bad_input_missing_path_gives_an_error(tmp_path: Path) -> None:
    error = only_error([str(tmp_path / "nowhere.txt")])
    assert "cannot read" in error.reason


def test_bad_input_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", GOOD * 50)
    error = only_error([str(path)], Settings(max_file_bytes=1000))
    assert "file too large" in error.reason
    assert "max_file_bytes" in error.reason


def test_bad_input_oversize_stdin_is_refused(tmp_path: Path) -> None:
    import io

    result = ingest_paths(["-"], Settings(max_file_bytes=100), stdin=io.BytesIO(b"x" * 10_000))
    assert result.articles == []
    assert "file too large" in result.errors[0].reason


def test_bad_input_duplicate_article_under_two_names(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", GOOD)
    write(tmp_path, "b.txt", GOOD.replace("\n", "\r\n"))
    result = ingest_paths([str(tmp_path)])
    assert len(result.articles) == 1
    assert result.errors == []
    assert result.duplicates == [(str(tmp_path / "b.txt"), result.articles[0].id)]
