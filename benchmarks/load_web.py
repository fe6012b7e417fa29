"""Loopback load test of the web app: N concurrent clients for S seconds against uvicorn.

usage: python benchmarks/load_web.py [--clients 50] [--seconds 30] [--db STORE]

Starts ``storyweave.web.app.serve`` in a child process on 127.0.0.1 with a free port (only the
loopback address is ever used), then runs the clients (asyncio + httpx, one connection each)
round-robin over the app's pages and JSON API until the time is up. Prints requests/s, latency
percentiles (p50/p95/p99) and the errors (any exception or a status other than 200).

Without ``--db`` the store is made by analysing the bundled sample corpus (examples/sample), so
the pages carry a real report. tests/test_web_load.py runs a short version of the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

HOST = "127.0.0.1"

#: The server, with an audit hook that logs every file opened once it is up (for the
#: path-traversal checks: a hostile URL must never reach the file system).
SERVER = textwrap.dedent(
    """
    import sys
    db, port, audit = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    from storyweave.web import app as web
    log = open(audit, "a", encoding="utf-8")

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes)):
            name = args[0] if isinstance(args[0], str) else args[0].decode("utf-8", "replace")
            log.write(name + "\\n")
            log.flush()

    sys.addaudithook(hook)
    web.serve(db, host="127.0.0.1", port=port)
    """
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    audit: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def opened(self) -> list[str]:
        """Every file the server opened since it started (imports included)."""
        return self.audit.read_text(encoding="utf-8").splitlines() if self.audit.exists() else []

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(db: Path, audit: Path, *, timeout: float = 60) -> Server:
    """The app over ``db`` in a child process on a free loopback port, once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(db), str(port), str(audit)],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(f"http://{HOST}:{port}/static/app.css", timeout=2).status_code == 200:
                return Server(process, port, audit)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not answer in time")


def app_urls(base: str) -> list[str]:
    """Pages and API calls covering every kind of route, from what the store holds."""
    runs = httpx.get(f"{base}/api/runs", timeout=30).json()
    urls = ["/", "/articles", "/entities", "/entities?speakers=true", "/api/runs", "/static/report.css"]
    with_report = [r for r in runs if r.get("has_report")]
    if with_report:
        run_id = with_report[0]["id"]
        report = httpx.get(f"{base}/api/runs/{run_id}/report", timeout=30).json()
        urls += [f"/runs/{run_id}", f"/api/runs/{run_id}/report"]
        for article in report["articles"][:2]:
            urls += [f"/articles/{quote(article['id'])}", f"/api/articles/{quote(article['id'])}"]
            word = next((w for w in article["text"].split() if w.isalpha() and len(w) > 5), "the")
            urls += [f"/search?q={quote(word)}", f"/api/search?q={quote(word)}"]
        for entity in report["entities"][:2]:
            urls += [f"/entities/{quote(entity['id'])}", f"/api/entities/{quote(entity['id'])}"]
    return urls


@dataclass
class LoadResult:
    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, one per answered request
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # exceptions and non-200 answers

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def summary(self) -> dict[str, object]:
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(50) * 1000, 1),
            "p95_ms": round(self.percentile(95) * 1000, 1),
            "p99_ms": round(self.percentile(99) * 1000, 1),
            "max_ms": round(max(self.latencies, default=0) * 1000, 1),
            "statuses": dict(self.statuses),
            "errors": len(self.errors),
        }


async def _load(base: str, urls: list[str], clients: int, seconds: float, max_requests: int) -> LoadResult:
    result = LoadResult(clients=clients, seconds=seconds)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one_client(n: int) -> None:
            i = n
            while time.perf_counter() < deadline and result.requests + len(result.errors) < max_requests:
                url = urls[i % len(urls)]
                i += 1
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError as exc:
                    result.errors.append(f"{url}: {type(exc).__name__}: {exc}")
                    continue
                result.latencies.append(time.perf_counter() - started)
                result.statuses[response.status_code] += 1
                if response.status_code != 200:
                    result.errors.append(f"{url}: HTTP {response.status_code}")

        started = time.perf_counter()
        await asyncio.gather(*(one_client(n) for n in range(clients)))
        result.seconds = time.perf_counter() - started
    return result


def run_load(base: str, urls: list[str], *, clients: int, seconds: float, max_requests: int = 10**7) -> LoadResult:
    """``clients`` concurrent clients cycling through ``urls`` for ``seconds`` (bounded in count too).

    The event loop runs in its own thread, so this works even where the calling thread already runs
    one (Playwright's sync API leaves one running in pytest's main thread).
    """
    outcome: list[LoadResult | BaseException] = []

    def drive() -> None:
        try:
            outcome.append(asyncio.run(_load(base, urls, clients, seconds, max_requests)))
        except BaseException as exc:  # re-raised in the caller's thread below
            outcome.append(exc)

    thread = threading.Thread(target=drive, name="load-clients")
    thread.start()
    thread.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def sample_store(folder: Path) -> Path:
    """A store holding a real analysis of the sample corpus."""
    from storyweave.runner import run_analysis, sample_dir, sample_files

    db = folder / "sample.db"
    run_analysis(sample_files(sample_dir()), out_dir=folder / "out", db=db, quiet=True)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--db", type=Path, help="an existing store (default: analyse examples/sample)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="storyweave-load-") as tmp_name:
        tmp = Path(tmp_name)
        db = args.db or sample_store(tmp)
        server = start_server(db, tmp / "opened.txt")
        try:
            urls = app_urls(server.url)
            run_load(server.url, urls, clients=4, seconds=1)  # warm the report cache and templates
            result = run_load(server.url, urls, clients=args.clients, seconds=args.seconds)
        finally:
            server.stop()
    summary = result.summary()
    print(json.dumps({"urls": len(urls), **summary, "cpus": os.cpu_count()}))
    print(
        f"{summary['clients']} clients x {summary['seconds']} s: {summary['requests']} requests, "
        f"{summary['requests_per_s']} requests/s, p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms, errors {summary['errors']}"
    )
    for error in result.errors[:10]:
        print(f"error: {error}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
