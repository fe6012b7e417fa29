"""Properties of ingest on arbitrary input: Articles or IngestError, never any other exception."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import article_page, deep_json, warc_archive
from storyweave.errors import IngestError
from storyweave.ingest import article_id, ingest_paths, read_path
from storyweave.settings import Settings

SUFFIXES = [".txt", ".html", ".htm", ".json", ".jsonl", ".warc", ".warc.gz", ".dat", ""]
LIMITS = Settings(max_file_bytes=200_000, max_article_chars=100_000)

text_chunks = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200) | st.sampled_from(
    ["\r\n", "\r", "\x00", "\ufeff", "<p>", "</div>", '{"text": ', "WARC/1.0\r\n", "\u00a0", "€"]
)
encodings = st.sampled_from(["utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "cp1251"])


@st.composite
def texty_bytes(draw: st.DrawFn) -> bytes:
    """Text-like bytes in some encoding (characters it cannot encode are replaced)."""
    text = "".join(draw(st.lists(text_chunks, max_size=8)))
    return text.encode(draw(encodings), errors="replace")


@st.composite
def json_bytes(draw: st.DrawFn) -> bytes:
    """JSON of any shape, sometimes with a valid article record in it."""
    leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    value = st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=8,
    )
    record = st.fixed_dictionaries(
        {"text": st.text(max_size=80) | value},
        optional={"title": st.text(max_size=20) | value, "published": st.text(max_size=20) | value},
    )
    data = draw(value | record | st.lists(record, max_size=3))
    return json.dumps(data).encode()


any_bytes = st.binary(max_size=2000) | texty_bytes() | json_bytes()


def read(path: Path) -> tuple[list, list, IngestError | None]:
    """What reading ``path`` gave: articles and record errors, or the whole-file error."""
    try:
        articles, errors = read_path(path, LIMITS)
    except IngestError as exc:
        return [], [], exc
    return articles, errors, None


def check_articles(articles: list) -> None:
    for article in articles:
        assert "\r" not in article.text
        assert article.text.strip()
        assert article.id == article_id(article.text)
        assert len(article.text) <= LIMITS.max_article_chars


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=any_bytes, suffix=st.sampled_from(SUFFIXES))
def test_properties_ingest_any_bytes_give_articles_or_ingest_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        articles, errors, failure = read(path)
        if failure is not None:
            assert str(path) in str(failure)
            return
        check_articles(articles)
        assert all(isinstance(e, IngestError) for e in errors)


def _file_of(source: str) -> str:
    """The file name a source names: without a record suffix (``[3]``, ``#record1``, ``:line``),
    which a file read by its content (a WARC with another extension) carries."""
    return Path(re.split(r"[:\[#]", source, maxsplit=1)[0]).name


@settings(max_examples=60, deadline=None)
@given(files=st.lists(st.tuples(any_bytes, st.sampled_from(SUFFIXES)), min_size=1, max_size=4))
def test_properties_ingest_directory_never_raises_and_accounts_for_every_file(files: list[tuple[bytes, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for i, (data, suffix) in enumerate(files):
            (Path(tmp) / f"f{i}{suffix}").write_bytes(data)
        result = ingest_paths([tmp], LIMITS)
        check_articles(result.articles)
        sources = {_file_of(a.source) for a in result.articles}
        sources |= {_file_of(e.source) for e in result.errors}
        sources |= {_file_of(s) for s, _ in result.duplicates}
        # every file is seen: it gave an article, an error or a duplicate (a WARC may hold URLs instead)
        named = {f"f{i}{suffix}" for i, (_, suffix) in enumerate(files) if not suffix.startswith(".warc")}
        assert named <= sources


@settings(max_examples=80, deadline=None)
@given(text=st.text(min_size=1, max_size=300).filter(lambda t: t.strip() and "\x00" not in t))
def test_properties_ingest_text_round_trips_with_newlines_normalised(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "story.txt"
        path.write_bytes(text.encode("utf-8"))
        articles, _, failure = read(path)
        if failure is not None:
            assert "binary" in failure.reason or "no text" in failure.reason
            return
        (article,) = articles
        expected = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        assert article.text == expected
        assert article.encoding == ("utf-8-sig" if text.startswith("\ufeff") else "utf-8")


@settings(max_examples=100, deadline=None)
@given(data=any_bytes)
def test_properties_ingest_stdin_never_raises(data: bytes) -> None:
    result = ingest_paths(["-"], LIMITS, stdin=io.BytesIO(data))
    check_articles(result.articles)
    assert len(result.articles) + len(result.errors) >= 1


# --------------------------------------------------------------------------- hostile shapes


def one_line(message: str) -> bool:
    return message.isprintable() and "\u202e" not in message


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(0, 3000) | st.integers(3000, 90_000), suffix=st.sampled_from([".json", ".jsonl", ""]))
def test_properties_ingest_any_nesting_depth_gives_an_article_or_one_error(depth: int, suffix: str) -> None:
    from storyweave.codec import MAX_JSON_DEPTH

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"nested{suffix}"
        path.write_text(deep_json(depth), encoding="utf-8")
        result = ingest_paths([tmp], LIMITS)
        if depth + 1 <= MAX_JSON_DEPTH:  # the record object is one level more than its field
            assert len(result.articles) == 1, result.errors
        else:
            assert result.articles == []
            assert [e.reason for e in result.errors] == [
                f"nested too deeply (more than {MAX_JSON_DEPTH} levels of lists and objects)"
            ]


surrogate_escapes = st.lists(
    st.sampled_from(["\\ud800", "\\udfff", "\\udbff", "\\ud83d", "\\ude00", "\\ud83d\\ude00", "x", " ", "é"]),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(pieces=surrogate_escapes, where=st.sampled_from(["text", "title", "outlet", "extra"]))
def test_properties_ingest_surrogate_escapes_never_reach_the_store(pieces: list[str], where: str) -> None:
    from storyweave.store import Store

    fields = {"text": "The ferry ran late on Monday.", "title": "Ferry", "outlet": "Port News", "extra": "x"}
    raw = "{" + ", ".join(f'"{k}": "{v}{"".join(pieces) if k == where else ""}"' for k, v in fields.items()) + "}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "odd.json"
        path.write_text(raw, encoding="utf-8")
        result = ingest_paths([str(path)], LIMITS)
        (article,) = result.articles
        for value in (article.text, article.title, article.outlet, *(v for _, v in article.meta)):
            (value or "").encode("utf-8")  # no lone surrogate is left: this would raise
        with Store.open(None) as store:
            assert store.save_article(article)


#: Bytes after a record's content: "\r\n\r\n", or a gzip member's 8-byte trailer and the end of its deflate stream.
TRAILER = 12


@st.composite
def cut_archives(draw: st.DrawFn) -> tuple[bytes, list[int], int, bool]:
    count = draw(st.integers(1, 3))
    gz = draw(st.booleans())
    pages = [
        (f"https://news.example/{i}", article_page(f"Story {i}", f"Paragraph of story {i}.")) for i in range(count)
    ]
    bounds = [len(warc_archive(pages[:n], gz=gz)) for n in range(count + 1)]
    cut = draw(st.integers(0, bounds[-1]))
    return warc_archive(pages, gz=gz)[:cut], bounds, cut, gz


@settings(max_examples=40, deadline=None)
@given(case=cut_archives())
def test_properties_ingest_a_cut_archive_keeps_exactly_its_whole_records(
    case: tuple[bytes, list[int], int, bool],
) -> None:
    data, bounds, cut, gz = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("crawl.warc.gz" if gz else "crawl.warc")
        path.write_bytes(data)
        articles, errors, failure = read(path)
    whole = max(n for n, end in enumerate(bounds) if end <= cut)
    # A record cut only in what follows its content (the blank lines after it, a gzip member's
    # checksum) is whole: its content is all there. Cut anywhere else, it is not kept, and said so.
    only_trailer = any(end - TRAILER <= cut < end for end in bounds[1:])
    kept = [a.url for a in articles]
    assert kept == [f"https://news.example/{i}" for i in range(whole + (only_trailer and len(kept) > whole))]
    if cut not in bounds and not only_trailer:
        assert failure is not None or errors


name_chars = st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)) | st.sampled_from(
    ["\n", "\r", "\x1b", "\u202e", "\u2028", "\t", "\x7f", "\x85"]
)


@settings(max_examples=60, deadline=None)
@given(name=st.text(name_chars, min_size=1, max_size=20).filter(lambda n: not n.startswith(".")), empty=st.booleans())
def test_properties_ingest_any_file_name_gives_one_line_messages_and_a_storable_source(name: str, empty: bool) -> None:
    from storyweave.errors import shown

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        try:
            path.write_bytes(b"" if empty else b"The ferry ran late on Monday, the port said.")
        except OSError:  # a name this file system refuses (too long in bytes): nothing to test
            return
        result = ingest_paths([tmp], LIMITS)
        for error in result.errors:
            assert one_line(str(error)), repr(str(error))
            assert str(error) == f"{shown(str(path))}: {error.reason}"
        for article in result.articles:
            assert one_line(article.source)
            article.source.encode("utf-8")
        assert len(result.articles) + len(result.errors) == 1
