"""The web app served by uvicorn on 127.0.0.1: concurrent load without errors, oversized and
hostile requests refused before any route runs, traversal attempts that never reach the file
system, and a loopback-only default address.

The server runs in a child process (benchmarks/load_web.py starts it) with an audit hook that
logs every file it opens, so "never reaches the file system" is checked, not assumed.
STORYWEAVE_LOAD_SECONDS / STORYWEAVE_LOAD_CLIENTS scale the load (10 s x 20 clients by default).
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from report_samples import sample_report, store_report
from support import ROOT

SECONDS = float(os.environ.get("STORYWEAVE_LOAD_SECONDS", "10"))
CLIENTS = int(os.environ.get("STORYWEAVE_LOAD_CLIENTS", "20"))


def _load_web() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_web", ROOT / "benchmarks" / "load_web.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_web"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


load_web = _load_web()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[load_web.Server]:
    tmp = tmp_path_factory.mktemp("web-load")
    store_report(tmp / "web.db", sample_report())
    running = load_web.start_server(tmp / "web.db", tmp / "opened.txt")
    try:
        yield running
    finally:
        running.stop()


def raw_request(port: int, request: bytes) -> int:
    """Send exact bytes (no client-side URL normalisation) and return the response status."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as conn:
        conn.sendall(request)
        data = b""
        while b"\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    status_line = data.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 "), data[:200]
    return int(status_line.split()[1])


def get(port: int, target: bytes, extra_headers: bytes = b"") -> int:
    return raw_request(port, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + b"\r\n")


# ---------------------------------------------------------------------- load


@pytest.mark.slow
def test_web_load_concurrent_clients_all_get_200(
    server: load_web.Server, record_property: Callable[[str, object], None]
) -> None:
    urls = load_web.app_urls(server.url)
    assert len(urls) >= 15  # pages, API, search, entities, articles and the stylesheet
    result = load_web.run_load(server.url, urls, clients=CLIENTS, seconds=SECONDS, max_requests=20_000)
    summary = result.summary()
    print(f"load: {summary}")
    for key in ("requests", "requests_per_s", "p50_ms", "p95_ms", "p99_ms"):
        record_property(key, summary[key])  # kept in the JUnit XML of a CI run
    assert result.errors == []
    assert set(result.statuses) == {200}
    assert result.requests >= CLIENTS  # every client was answered at least once
    assert summary["p95_ms"] < 10_000  # generous: two shared cores, every page rendered per request


# ---------------------------------------------------------------------- oversized requests


@pytest.mark.parametrize(
    ("name", "request_bytes", "statuses"),
    [
        ("huge query string", b"GET /search?q=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {400, 414}),
        ("long query string", b"GET /?x=" + b"a" * 9_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {414}),
        ("long path", b"GET /articles/" + b"a" * 9_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", {414}),
        ("huge header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n", {400, 431}),
        ("large header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n", {431}),
        (
            "many headers",
            b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(500)) + b"\r\n",
            {431},
        ),
        (
            "declared huge body",
            b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n",
            {413},
        ),
        ("non-numeric length", b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n", {400, 413}),
    ],
)
def test_web_load_oversized_requests_are_refused(
    server: load_web.Server, name: str, request_bytes: bytes, statuses: set[int]
) -> None:
    assert raw_request(server.port, request_bytes) in statuses, name


def test_web_load_upload_over_the_body_limit_is_refused_while_streaming(server: load_web.Server) -> None:
    import httpx

    def body() -> Iterator[bytes]:  # no Content-Length: the limit must hold while reading
        yield b'--b\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'
        for _ in range(25):  # a well-formed file part that never ends, larger than the 20 MB limit
            yield b"x" * (1024 * 1024)

    response = httpx.post(
        f"{server.url}/upload",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=b"},
        timeout=60,
    )
    assert response.status_code == 413


# ---------------------------------------------------------------------- path traversal


TRAVERSALS = [
    b"/static/../../etc/passwd",
    b"/static/..%2f..%2fetc%2fpasswd",
    b"/static/%2e%2e/%2e%2e/etc/passwd",
    b"/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    b"/static/%252e%252e%252fetc%252fpasswd",
    b"/static/....//....//etc/passwd",
    b"/static//etc/passwd",
    b"/static/%2Fetc%2Fpasswd",
    b"/static/report.css%00/../../etc/passwd",
    b"/etc/passwd",
    b"//etc/passwd",
    b"/articles/../../../etc/passwd",
    b"/articles/..%2F..%2Fetc%2Fpasswd",
    b"/articles/%2Fetc%2Fpasswd",
    b"/api/articles/..%5C..%5Cetc%5Cpasswd",
    b"/entities/%2e%2e",
    b"http://127.0.0.1/../../etc/passwd",
]
NUL_IDS = [b"/articles/abc%00def", b"/api/articles/abc%00", b"/static/report.css%00.py", b"/entities/e_varga%00"]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_web_load_path_traversal_never_reaches_the_file_system(server: load_web.Server, target: bytes) -> None:
    assert get(server.port, target) in {400, 404, 422}
    time.sleep(0.05)  # the audit log is flushed per open; give a concurrent write a moment
    assert not [name for name in server.opened() if "passwd" in name or ".." in name]


@pytest.mark.parametrize("target", NUL_IDS)
def test_web_load_nul_bytes_in_ids_are_refused(server: load_web.Server, target: bytes) -> None:
    assert get(server.port, target) == 400


def test_web_load_a_good_page_still_answers_after_the_hostile_requests(server: load_web.Server) -> None:
    assert get(server.port, b"/static/report.css") == 200
    assert get(server.port, b"/runs/1") == 200


# ---------------------------------------------------------------------- where it listens


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A = LISTEN
                found.add(address)
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_web_load_serve_command_listens_on_loopback_only_by_default(tmp_path: Path) -> None:
    store_report(tmp_path / "web.db", sample_report())
    port = load_web.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "storyweave", "serve", "--db", str(tmp_path / "web.db"), "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening_addresses(port) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "warning" not in stderr


def test_web_load_defaults_are_loopback_and_other_addresses_warn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import uvicorn

    from storyweave import cli
    from storyweave.web import app as web

    assert inspect.signature(web.serve).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(cli.serve).parameters["host"].default == "127.0.0.1"
    started: list[dict[str, object]] = []
    # record the call instead of binding: the test never listens beyond this machine
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append(kw))
    web.serve(tmp_path / "web.db", host="0.0.0.0", port=1)
    assert "warning: serving on 0.0.0.0" in capsys.readouterr().err
    assert started[0]["host"] == "0.0.0.0"
    web.serve(tmp_path / "web.db", port=1)
    assert capsys.readouterr().err == ""
    assert started[1]["host"] == "127.0.0.1"
    assert started[1]["h11_max_incomplete_event_size"] == web.MAX_INCOMPLETE_EVENT_BYTES
