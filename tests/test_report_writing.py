"""Writing the report files: the set (report.json, .md, .html) switches as one, a process killed
while writing leaves the previous set whole, and what a killed writer left behind is cleaned up by
the next one (issue table row 9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from report_samples import sample_report
from storyweave.contract import dumps
from storyweave.report import write_reports
from storyweave.report.folder import MANIFEST

NAMES = ["report.html", "report.json", "report.md"]

#: Writes a report into OUT in a fresh interpreter that SIGKILLs itself at the named moment.
KILLED_WRITER = textwrap.dedent(
    """
    import json, os, signal, sys
    from pathlib import Path
    import storyweave.report as report_module
    from storyweave.report import html as html_module

    out, moment, report_file = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    report = json.loads(Path(report_file).read_text(encoding="utf-8"))

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if moment == "render":  # after report.json of the new set is written, before the HTML
        html_module.render_html = die
    else:  # in the middle of writing a file's bytes
        real_open = open

        def dying_open(path, mode="r", *args, **kwargs):
            stream = real_open(path, mode, *args, **kwargs)
            if "x" in mode or "w" in mode:
                real_write = stream.write

                def write(text):
                    real_write(text[: len(text) // 2])
                    stream.flush()
                    die()

                stream.write = write
            return stream

        report_module.open = dying_open
    report_module.write_reports(report, out)
    """
)


def changed_report() -> dict:
    report = sample_report()
    report["claims"] = report["claims"][:1]
    return report


def visible(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_report_writing_writes_the_three_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    paths = write_reports(sample_report(), out)
    assert sorted(p.name for p in paths.values()) == NAMES
    assert visible(out) == NAMES
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == sample_report()


@pytest.mark.parametrize("moment", ["render", "write"])
def test_report_writing_killed_midway_leaves_the_previous_set_whole(tmp_path: Path, moment: str) -> None:
    out = tmp_path / "out"
    write_reports(sample_report(), out)
    before = {name: (out / name).read_bytes() for name in NAMES}
    new = tmp_path / "new.json"
    new.write_text(dumps(changed_report()), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(out), moment, str(new)], timeout=120)
    assert done.returncode == -9
    assert {name: (out / name).read_bytes() for name in NAMES} == before
    # the next write switches to the new set and clears what the killed writer left behind
    write_reports(changed_report(), out)
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == changed_report()
    assert visible(out) == NAMES
    kept = ["new.json", "out", f"out/{MANIFEST}", *(f"out/{n}" for n in NAMES)]
    assert everything_under(tmp_path) == sorted(kept)  # no half-written file, no folder of the killed writer


def test_report_writing_keeps_other_files_in_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    write_reports(sample_report(), out)
    write_reports(changed_report(), out)
    assert visible(out) == sorted([*NAMES, "notes.txt"])
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == changed_report()


def test_report_writing_a_concurrent_writer_is_not_disturbed(tmp_path: Path) -> None:
    # Another live process's unfinished work is not a leftover: only dead writers' are removed.
    out = tmp_path / "out"
    write_reports(sample_report(), out)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        pending = tmp_path / f".out.storyweave-{live.pid}-abcd1234"
        pending.mkdir()
        write_reports(changed_report(), out)
        assert pending.is_dir()
    finally:
        live.kill()
        live.wait()
    write_reports(changed_report(), out)
    assert not pending.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_report_writing_into_a_folder_it_cannot_write_fails_cleanly(tmp_path: Path) -> None:
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            write_reports(sample_report(), parent / "out")
    finally:
        parent.chmod(0o700)
    assert everything_under(parent) == []


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_report_writing_without_an_atomic_exchange_still_switches_the_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyweave.report import folder

    monkeypatch.setattr(folder, "_exchange", lambda a, b: False)  # as on a system without renameat2
    out = tmp_path / "out"
    write_reports(sample_report(), out)
    write_reports(changed_report(), out)
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == changed_report()
    assert everything_under(tmp_path) == sorted(["out", f"out/{MANIFEST}", *(f"out/{n}" for n in NAMES)])


def test_report_writing_a_writer_killed_between_two_renames_is_put_right(tmp_path: Path) -> None:
    from storyweave.report.folder import clean_leftovers

    out = tmp_path / "out"
    write_reports(sample_report(), out)
    before = {name: (out / name).read_bytes() for name in NAMES}
    os.rename(out, tmp_path / f".out.storyweave-old-{dead_pid()}-0123abcd")  # where that writer died
    clean_leftovers(out)  # what the next writer does first
    assert {name: (out / name).read_bytes() for name in NAMES} == before
    assert everything_under(tmp_path) == sorted(["out", f"out/{MANIFEST}", *(f"out/{n}" for n in NAMES)])


def test_report_writing_a_failed_rendering_leaves_report_json_alone_not_a_mixed_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyweave.report import html

    out = tmp_path / "out"
    write_reports(sample_report(), out)

    def broken(*args: object) -> str:
        raise RuntimeError("a rendering bug")

    monkeypatch.setattr(html, "render_html", broken)
    errors: list[str] = []
    paths = write_reports(changed_report(), out, errors=errors)
    assert sorted(paths) == ["json"]
    assert visible(out) == ["report.json"]  # no report.md or .html of the previous run beside it
    assert "rendering the reports failed" in errors[0]
