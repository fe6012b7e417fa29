"""Reliability limits: huge and pathological inputs are refused or survived in bounded time and
memory (measured as peak RSS in a child process), limits are configurable, unreadable files in a
walk are reported, and one slow article cannot stall a batch run from the command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyweave.ingest import ingest_paths, read_bytes, read_warc
from storyweave.settings import Settings

MB = 1024 * 1024
GOOD = "Council approves new cycle lanes\n\nThe town council voted 9 to 2 on Tuesday to build three new cycle lanes.\n"

#: Runs ingest on the given paths in a fresh interpreter and prints what it took as JSON.
MEASURE = textwrap.dedent(
    """
    import json, resource, sys, time
    from storyweave.ingest import ingest_paths

    def peak_mb():
        # VmHWM starts afresh with the new program; getrusage's ru_maxrss keeps the parent's
        # peak across fork and exec, which would hide growth below the test process's own size
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    before = peak_mb()
    started = time.perf_counter()
    result = ingest_paths(sys.argv[1:])
    print(json.dumps({
        "seconds": time.perf_counter() - started,
        "rss_before_mb": before,
        "rss_peak_mb": peak_mb(),
        "articles": [len(a.text) for a in result.articles],
        "errors": [e.reason for e in result.errors],
    }))
    """
)


def measure_ingest(*paths: Path, env: dict[str, str] | None = None) -> dict[str, object]:
    """Ingest ``paths`` in a child process: seconds, peak RSS (MB), article lengths and errors."""
    import trafilatura  # noqa: F401 - fail here, clearly, if the HTML reader is missing

    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (only its last byte is written)."""
    with path.open("wb") as fh:
        fh.seek(size - 1)
        fh.write(b"x")
    return path


# ---------------------------------------------------------------------- sizes


def test_reliability_100mb_text_file_is_refused_quickly_in_bounded_memory(tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "huge.txt", 100 * MB)
    seen = measure_ingest(path)
    assert seen["articles"] == []
    (reason,) = seen["errors"]
    assert "file too large" in reason
    assert "max_file_bytes" in reason
    assert seen["seconds"] < 60  # a hang guard: the size check refuses before reading
    # refused from its size alone: nothing of the file was read into memory
    assert seen["rss_peak_mb"] - seen["rss_before_mb"] < 20


def test_reliability_file_size_limit_is_configurable_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(GOOD * 40, encoding="utf-8")
    assert measure_ingest(path)["articles"] == [len(GOOD * 40)]
    refused = measure_ingest(path, env={"STORYWEAVE_MAX_FILE_BYTES": "1000"})
    assert refused["articles"] == []
    assert "max_file_bytes 1000" in refused["errors"][0]


def test_reliability_over_long_article_is_refused_by_its_character_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD * 100, encoding="utf-8")
    result = ingest_paths([str(path)], Settings(max_article_chars=5000))
    assert result.articles == []
    assert "max_article_chars 5000" in result.errors[0].reason


def test_reliability_100k_nested_divs_end_in_bounded_time_and_memory(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    story = b"<p>The harvest fair ran all weekend in the square, with music, food stalls and a parade.</p>"
    path.write_bytes(b"<html><body>" + b"<div>" * 100_000 + story + b"</div>" * 100_000 + b"</body></html>")
    seen = measure_ingest(path)
    # the parser stops descending at its own depth limit: an article or one clear error, never a crash
    assert len(seen["articles"]) + len(seen["errors"]) == 1
    assert seen["seconds"] < 120  # a hang guard, not a speed test
    assert seen["rss_peak_mb"] < 400  # measured: about 75 MB


def test_reliability_20mb_html_page_is_refused_before_parsing(tmp_path: Path) -> None:
    para = b"<p>The council met on Tuesday and voted to build three new cycle lanes in the centre.</p>\n"
    path = tmp_path / "huge.html"
    path.write_bytes(b"<html><body><article>" + para * (20 * MB // len(para)) + b"</article></body></html>")
    seen = measure_ingest(path)
    assert seen["articles"] == []
    (reason,) = seen["errors"]
    assert "HTML page too large" in reason
    assert "max_html_bytes" in reason
    assert seen["seconds"] < 60  # a hang guard: refused before parsing
    assert seen["rss_peak_mb"] - seen["rss_before_mb"] < 50  # the 20 MB of bytes once, never a parse tree


def test_reliability_html_limit_is_configurable(tmp_path: Path) -> None:
    page = b"<html><body><article><p>" + b"The library reopened on Monday after a long refit. " * 40 + b"</p></article>"
    (article,), _ = read_bytes(page, "page.html", "html", Settings())
    assert "library reopened" in article.text
    with pytest.raises(Exception, match="max_html_bytes 1000"):
        read_bytes(page, "page.html", "html", Settings(max_html_bytes=1000))
    path = tmp_path / "page.html"
    path.write_bytes(page)
    assert "max_html_bytes 500" in measure_ingest(path, env={"STORYWEAVE_MAX_HTML_BYTES": "500"})["errors"][0]


def test_reliability_html_limit_applies_to_each_warc_record() -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for name, repeat in (("small", 20), ("big", 400)):
        body = (
            b"<html><body><article><p>" + b"The ferry ran late again on Friday evening. " * repeat + b"</p></article>"
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{name}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    buffer.seek(0)
    articles, errors = read_warc(buffer, "crawl.warc", Settings(max_html_bytes=5000))
    assert [a.source for a in articles] == ["https://news.example/small"]
    assert [e.source for e in errors] == ["https://news.example/big"]
    assert "max_html_bytes 5000" in errors[0].reason


# ---------------------------------------------------------------------- encodings and line endings


def test_reliability_mixed_line_endings_become_one_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        b"Ferry delayed by fog\r\n\r\nThe ferry left late on Monday.\rIt arrived at noon.\nCrews blamed fog.\r\n"
    )
    (article,) = ingest_paths([str(path)]).articles
    assert (
        article.text
        == "Ferry delayed by fog\n\nThe ferry left late on Monday.\nIt arrived at noon.\nCrews blamed fog.\n"
    )
    assert article.title == "Ferry delayed by fog"


def test_reliability_plain_latin1_bytes_read_as_western_text(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Señora Núñez said the façade of the théâtre would reopen.".encode("latin-1"))
    (article,) = ingest_paths([str(path)]).articles
    assert article.text == "Señora Núñez said the façade of the théâtre would reopen."


def test_reliability_utf16_without_bom_is_read_from_where_its_nuls_are(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("The ferry left late.".encode("utf-16-le"))  # NUL bytes and no byte-order mark
    result = ingest_paths([str(path)])
    assert result.errors == []
    assert [(a.text, a.encoding) for a in result.articles] == [("The ferry left late.", "utf-16-le")]


# ---------------------------------------------------------------------- unreadable files in a walk


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary folder that another user may enter (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix="storyweave-walk-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in sorted(folder.rglob("*"), reverse=True):
            path.chmod(0o755) if path.is_dir() else path.chmod(0o644)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


WALK = textwrap.dedent(
    """
    import json, os, sys
    from storyweave.ingest import ingest_paths
    if os.geteuid() == 0:  # root reads everything: walk as an unprivileged user (after the imports)
        os.setgid(65534)
        os.setuid(65534)
    result = ingest_paths(sys.argv[1:])
    print(json.dumps({
        "articles": sorted(os.path.basename(a.source) for a in result.articles),
        "errors": {os.path.basename(e.source): e.reason for e in result.errors},
    }))
    """
)


def test_reliability_unreadable_file_and_folder_in_a_walk_are_reported(shared_tmp: Path) -> None:
    (shared_tmp / "a_good.txt").write_text(GOOD, encoding="utf-8")
    locked = shared_tmp / "b_locked.txt"
    locked.write_text("A second invented story about a library.", encoding="utf-8")
    locked.chmod(0)
    closed = shared_tmp / "c_closed"
    closed.mkdir()
    (closed / "inside.txt").write_text("A third invented story about a bakery.", encoding="utf-8")
    closed.chmod(0)
    (shared_tmp / "d_good.txt").write_text("A fourth invented story about a regatta.", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", WALK, str(shared_tmp)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["articles"] == ["a_good.txt", "d_good.txt"]
    assert seen["errors"]["b_locked.txt"].startswith("cannot read")
    assert seen["errors"]["c_closed"].startswith("cannot list directory")


# ---------------------------------------------------------------------- time limit through the CLI

#: The command line with one extra stage that hangs on one article, registered only in this process.
SLOW_CLI = textwrap.dedent(
    """
    import sys, time
    from storyweave.pipeline import stage

    @stage("hang_on_marker", scope="article", order=99)
    def hang_on_marker(analysis, ctx):
        if "night market" in analysis.article.text:
            time.sleep(600)
        return analysis

    from storyweave.cli import main
    sys.argv = ["storyweave", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.slow
def test_reliability_one_hanging_article_cannot_stall_a_cli_batch(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    stories = {
        "a.txt": "The Kessa river bridge in Lorrin reopened on Sunday after three weeks of repairs.\n",
        "b.txt": "Vendors at the Ostrel night market protested on Friday against a rent rise of 15 percent.\n",
        "c.txt": "The Lorrin bridge reopened to cars on Sunday, the roads agency said.\n",
    }
    for name, text in stories.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    script = tmp_path / "slow_cli.py"  # a file: the pipeline version hashes every stage's source file
    script.write_text(SLOW_CLI, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), "analyze", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=240,  # far below the 600 s the hanging stage would take
        env={**os.environ, "STORYWEAVE_ARTICLE_TIMEOUT": "2"},
    )
    assert done.returncode == 0, done.stderr
    assert "b.txt" in done.stderr
    assert "took longer than 2 s" in done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sorted(Path(a["source"]).name for a in report["articles"]) == ["a.txt", "c.txt"]


# ---------------------------------------------------------------------- stages without a file, limits in threads


def test_reliability_a_stage_defined_without_a_source_file_can_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyweave import pipeline
    from storyweave.runner import pipeline_version

    namespace: dict[str, object] = {"__name__": "__main__"}  # as in ``python -c`` or a notebook
    exec(compile("def passthrough(analysis, ctx):\n    return analysis\n", "<string>", "exec"), namespace)
    monkeypatch.setitem(
        pipeline._REGISTRY,
        "passthrough",
        pipeline.StageInfo("passthrough", "article", namespace["passthrough"], frozenset(), frozenset(), 98),
    )
    pipeline_version.cache_clear()
    try:
        assert "+" in pipeline_version()
    finally:
        pipeline_version.cache_clear()


def test_reliability_time_limit_also_holds_in_a_worker_thread() -> None:
    import threading
    import time

    from storyweave.runner import ArticleTimeout, time_limit

    outcome: list[str] = []

    def spin() -> None:  # a stage stuck in Python code, in a server's worker thread
        try:
            with time_limit(0.2):
                deadline = time.monotonic() + 2
                while time.monotonic() < deadline:
                    pass
            outcome.append("ran to the end")
        except ArticleTimeout:
            outcome.append("stopped")

    worker = threading.Thread(target=spin)
    worker.start()
    worker.join(10)
    assert outcome == ["stopped"]
