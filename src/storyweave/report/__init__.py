"""Report writers: report.json (the contract), report.md and a self-contained report.html.

The three are written as one set (:func:`write_reports`): into a new folder that then takes the
place of the old one (see :mod:`storyweave.report.folder`), so a reader, or a run killed while
writing, sees the previous set or the new one, never a mix.
"""

from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path
from typing import Any

from storyweave.contract import dumps
from storyweave.report.folder import switched_folder


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


def _write(path: Path, text: str) -> None:
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(text)


def write_reports(report: dict[str, Any], out_dir: Path, *, errors: list[str] | None = None) -> dict[str, Path]:
    """Write every report format into ``out_dir`` as one set; returns format name -> path.

    When rendering the Markdown or HTML view fails, ``errors`` given: the set is report.json (the
    contract) alone and the failure is added to ``errors``; ``errors`` not given: it is raised and
    the previous set stays as it was.
    """
    from storyweave.report.html import render_html
    from storyweave.report.markdown import render_markdown
    from storyweave.report.view import build_view, story_sections

    names = {"json": "report.json", "md": "report.md", "html": "report.html"}
    with switched_folder(out_dir) as folder:
        _write(folder / names["json"], dumps(report))
        try:
            # Both renderings read the same views; building them is most of their cost. A report of
            # several stories is shown story by story, each with its own view.
            stories = story_sections(report)
            view = build_view({}) if stories else build_view(report)
            _write(folder / names["md"], render_markdown(report, view, stories))
            _write(folder / names["html"], render_html(report, view, stories))
        except Exception as exc:  # a rendering bug must not lose a finished analysis
            if errors is None:
                raise
            for name in ("md", "html"):
                (folder / names.pop(name)).unlink(missing_ok=True)
            errors.append(
                f"{out_dir}: rendering the reports failed ({type(exc).__name__}: {exc}); wrote report.json only"
            )
    return {kind: out_dir / name for kind, name in names.items()}
