"""Fixtures for the browser tests: Debian's Chromium through Playwright, and the app on a free port.

Without Chromium the tests skip with the reason locally, and fail when ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, LiveServer

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

from report_samples import sample_report, store_report  # noqa: E402

ROOT = TESTS.parent
SEEDS = ROOT.parent / "shared" / "seeds"
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _need_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seed articles analysed by the real pipeline into a store, plus a hand-made sample run."""
    from storyweave.runner import run_analysis

    root = tmp_path_factory.mktemp("browser")
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, f"the seed articles are missing from {SEEDS}"
    result = run_analysis(paths, out_dir=root / "out", db=root / "app.db", quiet=True)
    assert result.status == "ok", result.errors
    sample_run = store_report(root / "app.db", sample_report())
    return {"result": result, "db": root / "app.db", "html": result.outputs["html"], "sample_run": sample_run}


@pytest.fixture(scope="session")
def live_app(seeds_run: dict[str, Any]) -> Iterator[LiveServer]:
    with LiveServer(seeds_run["db"]) as server:
        yield server
