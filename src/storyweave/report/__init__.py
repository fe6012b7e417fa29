"""Report writers: report.json (the contract), report.md and a self-contained report.html."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyweave.contract import dumps


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write every report format into ``out_dir``; returns format name -> path."""
    from storyweave.report.html import render_html
    from storyweave.report.markdown import render_markdown

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md", "html": out_dir / "report.html"}
    paths["json"].write_text(dumps(report), encoding="utf-8")
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    paths["html"].write_text(render_html(report), encoding="utf-8")
    return paths
