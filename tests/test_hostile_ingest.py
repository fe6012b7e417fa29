"""Hostile input to the readers: each bad record costs one clear line naming it, the rest of the
batch is read, and nothing is mis-read without a word (issue table rows 1-8)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import (
    HOSTILE_NAMES,
    NON_UTF8_NAME,
    article_page,
    deep_json,
    surrogate_record,
    warc_archive,
)
from storyweave.ingest import ingest_paths
from storyweave.runner import iter_jsonl_articles
from storyweave.settings import Settings
from storyweave.store import Store

GOOD = "Council approves new cycle lanes\n\nThe town council voted 9 to 2 on Tuesday to build three new cycle lanes.\n"
#: Far deeper than any parser's stack: Python's json module raises RecursionError at about 1,000.
DEEP = 100_000


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def names(articles: list) -> list[str]:
    return sorted(Path(a.source).name for a in articles)


# --------------------------------------------------------------------------- 1: nesting depth


def test_hostile_deeply_nested_json_file_costs_only_itself(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", GOOD)
    deep = write(tmp_path, "deep.json", deep_json(DEEP))
    result = ingest_paths([str(tmp_path)])
    assert names(result.articles) == ["good.txt"]
    (error,) = result.errors
    assert error.source == str(deep)
    assert "nested too deeply" in error.reason


def test_hostile_deeply_nested_record_in_a_json_list_costs_only_that_record(tmp_path: Path) -> None:
    records = [json.dumps({"text": "The ferry ran late on Monday."}), deep_json(DEEP), json.dumps({"text": GOOD})]
    path = write(tmp_path, "list.json", "[" + ",\n".join(records) + "]")
    result = ingest_paths([str(path)])
    assert [a.source for a in result.articles] == [f"{path}[0]", f"{path}[2]"]
    (error,) = result.errors
    assert error.source == f"{path}[1]"
    assert "nested too deeply" in error.reason


def test_hostile_deeply_nested_jsonl_line_costs_only_that_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "The ferry ran late on Monday."}), deep_json(DEEP), json.dumps({"text": GOOD})]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines))
    result = ingest_paths([str(path)])
    assert [a.source for a in result.articles] == [f"{path}:1", f"{path}:3"]
    assert [(e.source, "nested too deeply" in e.reason) for e in result.errors] == [(f"{path}:2", True)]


def test_hostile_moderate_nesting_is_still_read(tmp_path: Path) -> None:
    path = write(tmp_path, "nested.json", deep_json(20))
    (article,) = ingest_paths([str(path)]).articles
    assert dict(article.meta)["extra"] == "[" * 20 + "0" + "]" * 20


def test_hostile_cluster_jsonl_stream_reports_a_deep_line_and_goes_on(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "The ferry ran late on Monday."}), deep_json(DEEP), json.dumps({"text": GOOD})]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines))
    reported: list[str] = []
    articles = list(iter_jsonl_articles(path, on_error=reported.append))
    assert [a.source for a in articles] == [f"{path}:1", f"{path}:3"]
    assert len(reported) == 1
    assert reported[0].startswith(f"{path}:2: ")
    assert "nested too deeply" in reported[0]


def test_hostile_deep_json_in_a_command_line_batch_gives_one_error_line(tmp_path: Path, ctx: object) -> None:
    from storyweave.runner import run_analysis

    good = write(tmp_path, "good.txt", GOOD)
    deep = write(tmp_path, "deep.json", deep_json(DEEP))
    result = run_analysis([good, deep], out_dir=tmp_path / "out", quiet=True, ctx=ctx)  # type: ignore[arg-type]
    assert result.status == "ok"
    assert result.analysed == 1
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"{deep}: ")
    assert (tmp_path / "out" / "report.json").is_file()


# --------------------------------------------------------------------------- 2: lone surrogates


def test_hostile_lone_surrogates_are_repaired_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.json", surrogate_record("The pier reopened on Friday. ", "Pier reopens "))
    result = ingest_paths([str(path)])
    (article,) = result.articles
    assert article.text == "The pier reopened on Friday. \ufffd"
    assert article.title == "Pier reopens \ufffd"
    assert [w.source for w in result.warnings] == [str(path)]
    assert "lone surrogate" in result.warnings[0].reason
    with Store.open(None) as store:  # the repaired article is ordinary text: it hashes and stores
        assert store.save_article(article)


def test_hostile_lone_surrogate_in_a_jsonl_line_costs_nothing_else(tmp_path: Path) -> None:
    lines = [surrogate_record("The pier reopened on Friday. ", "Pier"), json.dumps({"text": GOOD})]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines))
    result = ingest_paths([str(path)])
    assert len(result.articles) == 2
    assert result.errors == []
    assert [w.source for w in result.warnings] == [f"{path}:1"]


# --------------------------------------------------------------------------- 3 and 4: decoding

ARTICLE = (
    "“We will not reopen the bridge until it is safe,” the mayor said on Tuesday. "
    "Engineers found 14 cracks in the deck; the council’s report called them “serious”. "
) * 20


def test_hostile_a_few_invalid_bytes_keep_utf8_and_are_named(tmp_path: Path) -> None:
    raw = ARTICLE.encode("utf-8")
    cut = raw.index(b"Engineers", 1500)
    data = raw[:cut] + b"\xff" + raw[cut:-40] + b"\xc3" + raw[-40:]
    assert len(data) > 3000
    path = write(tmp_path, "bridge.txt", data)
    result = ingest_paths([str(path)])
    (article,) = result.articles
    assert article.encoding == "utf-8"
    assert article.text.count("\ufffd") == 2
    assert article.text.replace("\ufffd", "") == ARTICLE
    assert article.text.count("“") == ARTICLE.count("“")
    assert [w.source for w in result.warnings] == [str(path)]
    assert "2 invalid UTF-8 bytes" in result.warnings[0].reason


def test_hostile_legacy_text_is_still_read_as_legacy_without_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "legacy.txt", ARTICLE.encode("cp1252"))
    result = ingest_paths([str(path)])
    (article,) = result.articles
    assert article.text == ARTICLE
    assert article.encoding == "cp1252"
    assert result.warnings == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", [GOOD, "Депутаты одобрили проект, сообщил “Курьер”.\n" * 5, ARTICLE])
def test_hostile_wide_encodings_without_a_bom_are_detected(tmp_path: Path, codec: str, text: str) -> None:
    path = write(tmp_path, "wide.txt", text.encode(codec))
    result = ingest_paths([str(path)])
    assert result.errors == []
    (article,) = result.articles
    assert article.text == text
    assert article.encoding == codec


def test_hostile_binary_with_nul_bytes_is_still_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.txt", bytes(range(256)) * 8)
    (error,) = ingest_paths([str(path)]).errors
    assert "binary file" in error.reason


# --------------------------------------------------------------------------- 5: truncated archives


@pytest.mark.parametrize("gz", [False, True])
def test_hostile_truncated_warc_reports_the_cut_record_and_keeps_the_whole_ones(tmp_path: Path, gz: bool) -> None:
    pages = [
        ("https://news.example/one", article_page("Harbour crane collapses", "A crane fell onto the quay.")),
        ("https://news.example/two", article_page("Storm closes the port", "The port shut at noon as winds rose.")),
    ]
    whole = warc_archive(pages, gz=gz)
    first = len(warc_archive(pages[:1], gz=gz))
    cut = first + (len(whole) - first) * 2 // 3  # inside the second record's body
    path = write(tmp_path, "crawl.warc.gz" if gz else "crawl.warc", whole[:cut])
    result = ingest_paths([str(path)])
    assert [a.url for a in result.articles] == ["https://news.example/one"]
    (error,) = result.errors
    assert "truncated" in error.reason
    assert "https://news.example/two" in error.source or str(path) in error.source


def test_hostile_truncated_gzip_of_a_whole_warc_still_reads_what_is_whole(tmp_path: Path) -> None:
    pages = [("https://news.example/one", article_page("Harbour crane collapses", "A crane fell onto the quay."))]
    data = gzip.compress(warc_archive(pages, gz=False))
    path = write(tmp_path, "crawl.warc.gz", data[: len(data) - 30])
    result = ingest_paths([str(path)])
    assert result.articles == []
    assert len(result.errors) == 1
    assert "truncated" in result.errors[0].reason


# --------------------------------------------------------------------------- 6 and 7: walking folders


def test_hostile_symlink_out_of_the_input_folder_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path, "secret.txt", "Private notes that are not an article at all, kept elsewhere.\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "good.txt", GOOD)
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    result = ingest_paths([str(folder)])
    assert names(result.articles) == ["good.txt"]
    reasons = {Path(e.source).name: e.reason for e in result.errors}
    assert set(reasons) == {"passwd.txt", "elsewhere"}
    assert all("leads out of the input folder" in r for r in reasons.values())


def test_hostile_symlink_out_of_the_folder_is_followed_when_asked(tmp_path: Path) -> None:
    outside = write(tmp_path, "other.txt", "An invented story about a school play, kept in another folder.\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "linked.txt").symlink_to(outside)
    result = ingest_paths([str(folder)], Settings(follow_symlinks=True))
    assert names(result.articles) == ["linked.txt"]
    assert result.errors == []


def test_hostile_symlink_inside_the_folder_and_a_named_link_are_followed(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    target = write(folder / "sub", "story.txt", GOOD)
    (folder / "alias.txt").symlink_to(target)
    named = tmp_path / "named.txt"
    named.symlink_to(write(tmp_path, "elsewhere.txt", "Another invented story about a town fair.\n"))
    result = ingest_paths([str(folder), str(named)])
    assert result.errors == []
    assert len(result.articles) == 2  # alias.txt is the same text as sub/story.txt: one article


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_hostile_fifo_in_a_folder_is_named(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", GOOD)
    os.mkfifo(tmp_path / "pipe.txt")
    result = ingest_paths([str(tmp_path)])
    assert names(result.articles) == ["good.txt"]
    (error,) = result.errors
    assert error.source == str(tmp_path / "pipe.txt")
    assert "FIFO" in error.reason


# --------------------------------------------------------------------------- 8: names in messages


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_file_names_cannot_forge_message_lines(tmp_path: Path, name: str) -> None:
    from storyweave.errors import shown

    write(tmp_path, name, b"")
    (error,) = ingest_paths([str(tmp_path)]).errors
    line = str(error)
    assert line.isprintable(), repr(line)
    assert line == f"{shown(str(tmp_path / name))}: empty file"


def test_hostile_shown_names_are_one_line_and_distinct() -> None:
    from storyweave.errors import shown

    rendered = [shown(n) for n in HOSTILE_NAMES]
    assert all(r.isprintable() for r in rendered)
    assert len(set(rendered)) == len(rendered)
    assert shown("plain/path to/file.txt") == "plain/path to/file.txt"
    assert shown("Zoë/café ‘quoted’.txt") == "Zoë/café ‘quoted’.txt"


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_hostile_name_that_is_not_utf8_is_read_and_stored(tmp_path: Path) -> None:
    os.makedirs(tmp_path / "in")
    with open(os.path.join(os.fsencode(tmp_path / "in"), NON_UTF8_NAME), "wb") as stream:
        stream.write(GOOD.encode())
    result = ingest_paths([str(tmp_path / "in")])
    (article,) = result.articles
    assert article.source.isprintable()
    assert "\\xe9" in article.source
    with Store.open(None) as store:
        assert store.save_article(article)


def test_hostile_cli_prints_one_line_per_bad_file_whatever_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "good.txt", GOOD)
    for name in HOSTILE_NAMES:
        write(folder, name, b"")
    done = subprocess.run(
        [sys.executable, "-m", "storyweave", "ingest", str(folder), "--db", str(tmp_path / "s.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len([ln for ln in lines if ln.startswith("error: ")]) == len(HOSTILE_NAMES)
    assert all(ln.startswith(("error: ", "storyweave: ")) for ln in lines), lines
    assert "\x1b" not in done.stderr
    assert "\u202e" not in done.stderr


def test_hostile_record_and_archive_sources_are_stored_as_one_printable_line(tmp_path: Path) -> None:
    record = write(tmp_path, "a.json", json.dumps({"text": GOOD, "source": "feed\x1b[2J\ufeffname"}))
    crawl = write(
        tmp_path,
        "b.warc",
        warc_archive([("https://po\ufeffrt.example/x", article_page("Port", "Ships left."))], gz=False),
    )
    result = ingest_paths([str(record), str(crawl)])
    assert sorted(a.source for a in result.articles) == ["feed\\x1b[2J\\ufeffname", "https://po\\ufeffrt.example/x"]


def test_hostile_a_store_path_with_a_line_break_is_one_error_line(tmp_path: Path) -> None:
    missing = tmp_path / "no\nerror: forged" / "s.db"  # its folder does not exist: the store cannot open
    done = subprocess.run(
        [sys.executable, "-m", "storyweave", "runs", "--db", str(missing)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("error: cannot open store ")
