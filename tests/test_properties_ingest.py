"""Properties of ingest on arbitrary input: Articles or IngestError, never any other exception."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@settings(max_examples=60, deadline=None)
@given(files=st.lists(st.tuples(any_bytes, st.sampled_from(SUFFIXES)), min_size=1, max_size=4))
def test_properties_ingest_directory_never_raises_and_accounts_for_every_file(files: list[tuple[bytes, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for i, (data, suffix) in enumerate(files):
            (Path(tmp) / f"f{i}{suffix}").write_bytes(data)
        result = ingest_paths([tmp], LIMITS)
        check_articles(result.articles)
        sources = {Path(a.source.split(":")[0].split("[")[0]).name for a in result.articles}
        sources |= {Path(e.source.split(":")[0].split("[")[0]).name for e in result.errors}
        sources |= {Path(s.split(":")[0].split("[")[0]).name for s, _ in result.duplicates}
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
