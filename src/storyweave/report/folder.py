"""Writing a set of files into a folder so that the set switches as one.

The files are written into a new folder beside the target, then the two folders are switched:
atomically where the system can exchange two names (Linux ``renameat2(RENAME_EXCHANGE)``), else by
two renames with the old folder kept until the new one is in place. A process killed at any moment
leaves the previous set whole (or, between the two renames, the old folder under its temporary
name, which the next writer puts back). Whatever a killed writer left beside the target (its new
folder, the old one) or inside it (``.report.json.*.tmp`` files of earlier versions) is removed by
the next writer, unless the process that made it is still running.

A folder that holds files the writer did not put there (``--out .`` in a project folder, notes kept
beside a report) is never switched: each file of the set replaces its old version atomically, one
by one, and nothing else in the folder is touched.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

#: Names a report folder may hold from an earlier version that wrote no manifest.
KNOWN_NAMES = frozenset({"report.json", "report.md", "report.html"})
#: The file in a switched folder that lists what the writer put there.
MANIFEST = ".storyweave-report"
#: ``.NAME.storyweave-PID-TOKEN`` (a new folder) and ``.NAME.storyweave-old-PID-TOKEN`` (the one it replaced).
_BESIDE = re.compile(r"^\.(?P<name>.+)\.storyweave-(?P<old>old-)?(?P<pid>\d+)-[0-9a-f]+$")
#: ``.report.json.PID.TOKEN.tmp``: a file half written by an earlier version's writer.
_TMP_FILE = re.compile(r"^\..+\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, it is not ours
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` in one step; False where the system cannot."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EBUSY):
        return False
    raise OSError(code, os.strerror(code), str(b))


def clean_leftovers(target: Path) -> None:
    """Remove what killed writers left beside ``target`` and inside it (never a live writer's)."""
    parent = target.parent
    with suppress(OSError):
        for entry in os.scandir(parent):
            m = _BESIDE.match(entry.name)
            if not m or m.group("name") != target.name or _alive(int(m.group("pid"))):
                continue
            path = Path(entry.path)
            if m.group("old") and not target.exists():
                os.rename(path, target)  # killed between its two renames: the old set comes back
            else:
                shutil.rmtree(path, ignore_errors=True)
    with suppress(OSError):
        for entry in os.scandir(target):
            m = _TMP_FILE.match(entry.name)
            if m and entry.is_file(follow_symlinks=False) and not _alive(int(m.group("pid"))):
                os.unlink(entry.path)


def _only_ours(target: Path) -> bool:
    """Whether every entry of ``target`` was put there by a writer of report sets."""
    try:
        names = set(os.listdir(target))
    except OSError:
        return False
    listed = set(KNOWN_NAMES)
    with suppress(OSError, UnicodeDecodeError):
        listed |= set((target / MANIFEST).read_text(encoding="utf-8").split("\n"))
    return names <= listed | {MANIFEST}


def _holds_cwd(target: Path) -> bool:
    try:
        here = os.getcwd()
    except OSError:
        return False
    return os.path.commonpath([here, str(target)]) == str(target)


@contextmanager
def switched_folder(out_dir: Path) -> Iterator[Path]:
    """A new empty folder to write the set into; on leaving the block it becomes ``out_dir``.

    On an exception in the block nothing changes (the new folder is removed). ``out_dir`` is created
    with its parents if needed; a link to a folder is followed (the folder it names is switched).
    """
    target = Path(os.path.realpath(out_dir))
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    token = secrets.token_hex(4)
    staging = target.parent / f".{target.name}.storyweave-{os.getpid()}-{token}"
    staging.mkdir()
    try:
        yield staging
        written = sorted(p.name for p in staging.iterdir())
        (staging / MANIFEST).write_text("\n".join(written) + "\n", encoding="utf-8")
        _switch(staging, target, written, token)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _switch(staging: Path, target: Path, written: list[str], token: str) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    if target.is_dir() and _only_ours(target) and not _holds_cwd(target) and not os.path.ismount(target):
        if _exchange(staging, target):
            return  # staging now holds the previous set, removed by the caller
        old = target.parent / f".{target.name}.storyweave-old-{os.getpid()}-{token}"
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
        return
    # A folder with files of its own: each file of the set replaces its old version atomically, and
    # files of the previous set that this one does not have are removed (never anything else).
    previous = set(KNOWN_NAMES)
    with suppress(OSError, UnicodeDecodeError):
        previous |= set((target / MANIFEST).read_text(encoding="utf-8").split("\n"))
    for name in [*written, MANIFEST]:
        os.replace(staging / name, target / name)
    for name in sorted(previous - set(written) - {MANIFEST, ""}):
        stale = target / name
        if "/" not in name and stale.is_file() and not stale.is_symlink():
            stale.unlink()
