"""Temporary files of writes in progress: hidden, named after the writing process, cleaned
up by the next write in their folder once that process is gone.

A write puts its new bytes in ``.postctl-<pid>-<random>.tmp`` beside the target (a leading
dot: Jekyll and Hugo never publish it), and a removal parks the file it removes as
``.postctl-<pid>-<random>.removing`` while it checks it. A process killed in between leaves
such a file behind; the first write of a later postctl process in that folder removes every
one whose process no longer runs (docs/guarantees.md: Writes). ``lint`` lists them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = ".postctl-"
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY
_NAME = re.compile(r"\.postctl-(?:(\d+)-)?[0-9a-f]+\.(?:tmp|removing)\Z")
_swept: set[str] = set()  # folders this process has cleaned already


def temp_name(folder: Path, kind: str = "tmp") -> Path:
    """A fresh hidden name in ``folder`` that carries this process's id."""
    return folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.{kind}"


def open_temp(folder: Path, mode: int) -> tuple[Path, int]:
    """Create a new temporary file in ``folder`` (O_EXCL), after sweeping the folder."""
    sweep(folder)
    for _ in range(100):
        temp = temp_name(folder)
        try:
            return temp, os.open(temp, CREATE_FLAGS, mode)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def leftovers(folder: Path) -> list[Path]:
    """Temporary files in ``folder`` whose writing process is gone."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        match = _NAME.match(name) if name.startswith(TEMP_PREFIX) else None
        if match and not _running(match.group(1)):
            found.append(folder / name)
    return sorted(found)


def sweep(folder: Path) -> None:
    """Remove the leftovers of dead processes in ``folder``, once per process and folder."""
    key = os.fspath(folder)
    if key in _swept:
        return
    _swept.add(key)
    for path in leftovers(folder):
        with contextlib.suppress(OSError):
            os.unlink(path)


def _running(pid_text: str | None) -> bool:
    if pid_text is None:  # a name from before names carried the process id
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "write returned no progress")
        view = view[written:]


@contextlib.contextmanager
def temp_file(folder: Path, data: bytes, mode: int) -> Iterator[tuple[Path, int]]:
    """A fully written, fsynced temporary file in ``folder``; removed on exit unless the
    body moved it away, and always removed on an exception (Ctrl-C included)."""
    temp, fd = open_temp(folder, mode)
    try:
        write_all(fd, data)
        os.fsync(fd)
        yield temp, fd
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        fd = -1
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)
