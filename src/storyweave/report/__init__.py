"""Report writers: report.json (the contract), report.md and a self-contained report.html."""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path
from typing import Any

from storyweave.contract import dumps


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and ``os.replace``,
    so a reader (or a run killed mid-write) sees the old file or the new one, never half of one."""
    # A unique name opened with "x" (not mkstemp) keeps the usual umask permissions of the report.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "x", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):  # removing the leftover is best effort; the original error matters
            os.unlink(tmp)
        raise


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write every report format into ``out_dir``; returns format name -> path."""
    from storyweave.report.html import render_html
    from storyweave.report.markdown import render_markdown
    from storyweave.report.view import build_view

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md", "html": out_dir / "report.html"}
    write_atomic(paths["json"], dumps(report))
    view = build_view(report)  # both renderings read the same view; building it is most of their cost
    write_atomic(paths["md"], render_markdown(report, view))
    write_atomic(paths["html"], render_html(report, view))
    return paths
