"""Ingest, one behaviour per test: formats, metadata, decoding, ids and duplicates.

Every article here is invented for the test.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from storyweave.ingest import (
    article_id,
    decode_bytes,
    ingest_paths,
    iter_files,
    normalise_newlines,
    parse_date,
    text_outlet,
    text_published,
    text_title,
)
from storyweave.settings import Settings

FLOOD = (
    "River flood forces hundreds from homes in Marlow valley\n\n"
    "Heavy rain pushed the river over its banks on Sunday, and about 300 residents left their homes.\n\n"
    '"The water came up faster than anyone expected," said the mayor, Ines Calder.\n'
)

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Bridge reopens after repairs | Valley Courier</title>
<meta property="og:site_name" content="Valley Courier">
<meta property="og:title" content="Bridge reopens after repairs">
<meta property="article:published_time" content="2025-06-14T08:00:00+00:00">
<meta name="author" content="Tomas Reyes">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>Bridge reopens after repairs</h1>
<p>The old stone bridge over the Marlow river reopened to traffic on Friday after eight months of repairs
that cost the county about 2 million euros, officials said.</p>
<p>Engineers replaced two of the five arches, which had cracked during last winter's floods, and
widened the footpath on the northern side.</p>
</article><footer>Contact us</footer></body></html>"""


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- plain text


def test_ingest_text_file_keeps_text_and_takes_headline_title(tmp_path: Path) -> None:
    path = write(tmp_path, "flood.txt", FLOOD)
    result = ingest_paths([str(path)])
    assert result.errors == []
    (article,) = result.articles
    assert article.text == FLOOD
    assert article.title == "River flood forces hundreds from homes in Marlow valley"
    assert article.source == str(path)
    assert article.encoding == "utf-8"
    assert article.id == article_id(FLOOD)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Storm closes mountain pass\n\nBody text.", "Storm closes mountain pass"),
        ("= Marlow valley flood =\n\nThe flood was…", "Marlow valley flood"),
        ("Crews fought the fire through the night, the chief said.\nMore text.", None),  # a sentence, not a headline
        # a credit, a caption or a section label above the headline is passed over
        ("© Valley Photo Agency\nStorm closes mountain pass", "Storm closes mountain pass"),
        ("Weather\nStorm closes mountain pass", "Storm closes mountain pass"),
        (
            "Snow on the pass road on Friday (Picture: Valley Photos).\nWeather\n\nStorm closes mountain pass\n\nBody.",
            "Storm closes mountain pass",
        ),
        ("© Valley Photo Agency\nCrews fought the fire through the night, the chief said.", None),
        ("\n\n   Lifeboat crew rescues two sailors   \nBody.", "Lifeboat crew rescues two sailors"),
        ("x " * 40, None),  # far too long for a headline
    ],
)
def test_ingest_text_title_only_when_first_line_reads_like_a_headline(text: str, title: str | None) -> None:
    assert text_title(text) == title


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Published: 14 June 2025\n\nBody", "2025-06-14"),
        ("Headline\nPosted on March 3, 2024 at 10:15\nBody", "2024-03-03"),
        ("Headline\nFirst published 2023-11-02T08:00Z\nBody", "2023-11-02"),
        ("MARLOW, Wessex, Jan. 9, 2025 — Rescue crews said on Thursday", "2025-01-09"),
        ("Headline\nThe flood on June 14, 2025 was the worst in decades.", None),  # a date in a sentence
        ("MARLOW (Valley Wire) — Rescue crews said on Thursday", None),  # no year: never guessed
        ("Published: yesterday\nBody", None),
    ],
)
def test_ingest_published_only_where_the_text_says_so(text: str, iso: str | None) -> None:
    assert text_published(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [("on 5 May 2024", "2024-05-05"), ("Sept. 30, 2022", "2022-09-30"), ("2021-02-30", None), ("May 5", None)],
)
def test_ingest_parse_date_needs_a_year_and_a_real_day(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("MARLOW (Valley Wire) — Rescue crews worked all night.", None),  # the agency is cited, not the outlet
        ("Publisher: Coastal News Agency\n\nFerries stopped.", "Coastal News Agency"),
        ("Headline\nSource: Marlow Evening Post\n\nBody.", "Marlow Evening Post"),
        ("Rescue crews (pictured) worked all night.", None),
        ("The river (the Marlow) rose.", None),
    ],
)
def test_ingest_outlet_only_where_the_text_names_it(text: str, outlet: str | None) -> None:
    assert text_outlet(text) == outlet


def test_ingest_crlf_and_cr_become_lf_before_hashing(tmp_path: Path) -> None:
    unix = write(tmp_path, "a.txt", "Line one of the report\nLine two.\n")
    windows = write(tmp_path, "b.txt", b"Line one of the report\r\nLine two.\r\n")
    old_mac = write(tmp_path, "c.txt", b"Line one of the report\rLine two.\r")
    result = ingest_paths([str(unix), str(windows), str(old_mac)])
    assert [a.text for a in result.articles] == ["Line one of the report\nLine two.\n"]
    assert {s for s, _ in result.duplicates} == {str(windows), str(old_mac)}
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert article_id("a\r\nb") == article_id("a\nb")


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        ("Le café coûte 5 €".encode("cp1252"), "Le café coûte 5 €", "cp1252"),
        ("Menu: crème brûlée, 4 €, “fresh”".encode("cp1252"), "Menu: crème brûlée, 4 €, “fresh”", "cp1252"),
        ("Señor Núñez habló en Cádiz.".encode("latin-1"), "Señor Núñez habló en Cádiz.", "cp1252"),
        (
            "Prezydent powiedział, że rząd będzie rozmawiał.".encode("cp1250"),
            "Prezydent powiedział, że rząd będzie rozmawiał.",
            "cp1250",
        ),
        (
            "Мэр города заявил, что мост откроют в пятницу.".encode("cp1251"),
            "Мэр города заявил, что мост откроют в пятницу.",
            "cp1251",
        ),
        ("naïve café".encode(), "naïve café", "utf-8"),
        (b"\xef\xbb\xbfBOM text", "BOM text", "utf-8-sig"),
        ("Zürich flood".encode("utf-16"), "Zürich flood", "utf-16"),
        ("Zürich flood".encode("utf-16-be"), "Zürich flood", "utf-16-be"),  # no BOM: found from its NULs
        (b"Council report\x00with a NUL byte", None, None),  # a stray NUL is no wide encoding: refused
        ("Zürich flood".encode("utf-32"), "Zürich flood", "utf-32"),
    ],
)
def test_ingest_decoding_is_detected_not_assumed(raw: bytes, text: str | None, encoding: str | None) -> None:
    if text is None:
        with pytest.raises(ValueError, match="binary"):
            decode_bytes(raw)
        return
    decoded = decode_bytes(raw)
    assert (decoded.text, decoded.encoding) == (text, encoding)
    assert decoded.notes == ()


def test_ingest_records_encoding_on_the_article(tmp_path: Path) -> None:
    text = "Café owners protest new rent rules\n\nThe café owners said rents rose 20 €.\n"
    path = write(tmp_path, "cafe.txt", text.encode("cp1252"))
    (article,) = ingest_paths([str(path)]).articles
    assert article.encoding == "cp1252"
    assert "Café" in article.text
    assert "€" in article.text


# --------------------------------------------------------------------------- HTML


def test_ingest_html_extracts_main_text_and_metadata(tmp_path: Path) -> None:
    path = write(tmp_path, "bridge.html", HTML)
    result = ingest_paths([str(path)])
    assert result.errors == []
    (article,) = result.articles
    assert "reopened to traffic on Friday" in article.text
    assert "Contact us" not in article.text
    assert "Home" not in article.text
    assert article.title == "Bridge reopens after repairs"
    assert article.published == "2025-06-14"
    assert article.outlet == "Valley Courier"
    meta = dict(article.meta)
    assert meta["author"] == "Tomas Reyes"
    assert meta["sitename"] == "Valley Courier"


def test_ingest_html_honours_declared_legacy_charset(tmp_path: Path) -> None:
    page = HTML.replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("2 million euros", "2 million €, said café owners")
    path = write(tmp_path, "bridge.htm", page.encode("cp1252"))
    (article,) = ingest_paths([str(path)]).articles
    assert "2 million €, said café owners" in article.text
    assert article.encoding == "cp1252"


# --------------------------------------------------------------------------- JSON, JSONL


def test_ingest_json_object_with_all_fields(tmp_path: Path) -> None:
    record = {
        "text": "Ferry service resumes after strike\n\nFerries to the islands ran again on Monday.",
        "title": "Ferry service resumes",
        "url": "https://example.test/ferry",
        "published": "2025-02-03T07:30:00Z",
        "outlet": "Island Radio",
        "source": "island-radio-feed",
        "author": "Mara Quist",
    }
    path = write(tmp_path, "ferry.json", json.dumps(record))
    (article,) = ingest_paths([str(path)]).articles
    assert article.title == "Ferry service resumes"
    assert article.url == "https://example.test/ferry"
    assert article.published == "2025-02-03"
    assert article.outlet == "Island Radio"
    assert article.source == "island-radio-feed"
    assert dict(article.meta) == {"author": "Mara Quist"}


def test_ingest_json_list_names_each_record_and_keeps_the_good_ones(tmp_path: Path) -> None:
    records = [{"text": "First invented story about a harbour."}, {"title": "no text"}, {"text": "Second story."}]
    path = write(tmp_path, "list.json", json.dumps(records))
    result = ingest_paths([str(path)])
    assert [a.source for a in result.articles] == [f"{path}[0]", f"{path}[2]"]
    (error,) = result.errors
    assert error.source == f"{path}[1]"
    assert "no 'text' field" in error.reason


def test_ingest_jsonl_reads_one_article_per_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Invented story number {i} about a village fair."}) for i in range(3)]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n\n")
    result = ingest_paths([str(path)])
    assert result.errors == []
    assert [a.source for a in result.articles] == [f"{path}:1", f"{path}:2", f"{path}:3"]


def test_ingest_json_file_holding_jsonl_is_read_as_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.json", '{"text": "One invented story."}\n{"text": "Another invented story."}\n')
    assert len(ingest_paths([str(path)]).articles) == 2


def test_ingest_unparseable_published_is_kept_in_meta_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "x.json", json.dumps({"text": "Invented text.", "published": "last Tuesday"}))
    (article,) = ingest_paths([str(path)]).articles
    assert article.published is None
    assert dict(article.meta)["published_raw"] == "last Tuesday"


# --------------------------------------------------------------------------- WARC


def _warc(records: list[tuple[str, str, bytes]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for uri, content_type, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


@pytest.mark.parametrize("gz", [False, True])
def test_ingest_warc_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    data = _warc(
        [
            ("https://courier.example/bridge", "text/html; charset=utf-8", HTML.encode("utf-8")),
            ("https://courier.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ],
        gz=gz,
    )
    path = write(tmp_path, "crawl.warc.gz" if gz else "crawl.warc", data)
    result = ingest_paths([str(path)])
    assert result.errors == []
    (article,) = result.articles
    assert article.source == "https://courier.example/bridge"
    assert article.url == "https://courier.example/bridge"
    assert article.outlet == "Valley Courier"
    assert "reopened to traffic" in article.text


# --------------------------------------------------------------------------- stdin, walking, duplicates


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        (FLOOD.encode(), "River flood forces hundreds"),
        (HTML.encode(), "reopened to traffic"),
        (json.dumps({"text": "Invented stdin story."}).encode(), "Invented stdin story."),
        (b'{"text": "line one story"}\n{"text": "line two story"}\n', "line one story"),
    ],
)
def test_ingest_stdin_sniffs_its_format(data: bytes, expect: str) -> None:
    result = ingest_paths(["-"], stdin=io.BytesIO(data))
    assert result.errors == []
    assert expect in result.articles[0].text
    assert result.articles[0].source.startswith("<stdin>")


def test_ingest_directory_is_walked_sorted_recursively_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path, "b/two.txt", "Second invented story.")
    write(tmp_path, "a.txt", "First invented story.")
    write(tmp_path, "b/c/three.txt", "Third invented story.")
    write(tmp_path, ".hidden.txt", "Hidden invented story.")
    write(tmp_path, ".git/config.txt", "Hidden directory story.")
    files = [p.relative_to(tmp_path).as_posix() for p in iter_files([str(tmp_path)])]
    assert files == ["a.txt", "b/c/three.txt", "b/two.txt"]
    assert [a.text for a in ingest_paths([str(tmp_path)]).articles] == [
        "First invented story.",
        "Third invented story.",
        "Second invented story.",
    ]


def test_ingest_same_file_twice_is_a_silent_no_op(tmp_path: Path) -> None:
    path = write(tmp_path, "flood.txt", FLOOD)
    result = ingest_paths([str(path), str(path)])
    assert len(result.articles) == 1
    assert result.duplicates == []
    assert result.errors == []


def test_ingest_duplicate_under_another_name_is_reported_once(tmp_path: Path) -> None:
    first = write(tmp_path, "a_flood.txt", FLOOD)
    copy = write(tmp_path, "b_copy.txt", FLOOD)
    result = ingest_paths([str(tmp_path), str(copy)])
    assert [a.source for a in result.articles] == [str(first)]
    assert result.duplicates == [(str(copy), article_id(FLOOD))]


def test_ingest_gzip_bytes_named_warc_gz_that_are_not_warc_give_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.warc.gz", gzip.compress(b"this is not a warc record at all\n"))
    result = ingest_paths([str(path)])
    assert result.articles == []
    assert len(result.errors) == 1
    assert str(path) in str(result.errors[0])


def test_ingest_settings_limit_article_length(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "word " * 200)
    result = ingest_paths([str(path)], Settings(max_article_chars=100))
    assert result.articles == []
    assert "max_article_chars" in result.errors[0].reason
