"""Paths to the files to read: folders walked in a fixed order, and what is not read said so.

A folder given on the command line is the *input tree*. Inside it:

* a symbolic link is followed while it stays inside the tree (another name for a file or folder
  that is part of it); one that leads out of the tree (``passwd.txt -> /etc/passwd``) is not
  followed and is reported, unless ``follow_symlinks`` is set. A path given by name is always
  read, link or not: the person named it.
* loops, broken links and unreadable folders are reported, and each real folder is read once;
* anything that is not a regular file or folder (a FIFO, a socket, a device) is reported and
  never opened: opening a FIFO would wait for a writer forever. Files are opened without
  blocking and checked again once open, so one swapped for a FIFO after the walk is refused too.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from storyweave.errors import IngestError

STDIN = "-"

_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def iter_files(
    paths: Iterable[str], errors: list[IngestError] | None = None, *, follow_symlinks: bool = False
) -> Iterator[Path]:
    """Files under ``paths`` in a deterministic order: directories recursively, entries sorted,
    hidden names skipped, each real directory visited once (so symlink loops end).

    Problems found while walking (a link out of the tree, a loop, a broken link, an unreadable
    directory, a FIFO) are appended to ``errors`` when given; ``-`` (stdin) is passed through as
    ``Path("-")``.
    """
    sink: list[IngestError] = errors if errors is not None else []
    visited: set[str] = set()
    for p in paths:
        if p == STDIN:
            yield Path(STDIN)
            continue
        path = Path(p)
        root = os.path.realpath(path)  # the tree the person named (a named link is followed)
        yield from _walk(path, root, visited, sink, top=True, follow=follow_symlinks)


def _inside(target: str, root: str) -> bool:
    try:
        return os.path.commonpath([target, root]) == root
    except ValueError:  # different drives (Windows)
        return False


def _walk(
    path: Path, root: str, visited: set[str], errors: list[IngestError], *, top: bool, follow: bool
) -> Iterator[Path]:
    if not top and not follow and path.is_symlink():
        target = os.path.realpath(path)
        if not _inside(target, root):
            errors.append(
                IngestError(
                    str(path),
                    f"symbolic link leads out of the input folder (to {target}); not followed "
                    "(--follow-symlinks reads it)",
                )
            )
            return
    try:
        info = path.stat()  # follows symlinks; a loop raises ELOOP
    except OSError as exc:
        if path.is_symlink():
            reason = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
            errors.append(IngestError(str(path), reason))
        else:
            errors.append(IngestError(str(path), f"cannot read: {exc.strerror or exc}"))
        return
    if stat.S_ISDIR(info.st_mode):
        real = os.path.realpath(path)
        if real in visited:
            parent = os.path.realpath(path.parent)
            if not top and (parent == real or parent.startswith(real.rstrip(os.sep) + os.sep)):
                errors.append(IngestError(str(path), "symlink loop (links back to a directory above it)"))
            return  # otherwise an alias of a directory already read: its files are not read twice
        visited.add(real)
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            errors.append(IngestError(str(path), f"cannot list directory: {exc.strerror or exc}"))
            return
        for name in names:
            if name.startswith("."):
                continue
            yield from _walk(path / name, root, visited, errors, top=False, follow=follow)
    elif stat.S_ISREG(info.st_mode):
        yield path
    else:
        errors.append(IngestError(str(path), f"not a regular file ({_kind(info.st_mode)}); skipped"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, refused (``IngestError``) unless it is a regular file.

    Opened without blocking, then checked on the open descriptor: a FIFO put in a file's place
    after the walk cannot make the read wait forever.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise IngestError(str(path), f"not a regular file ({_kind(mode)}); skipped")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
