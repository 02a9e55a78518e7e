"""Stamps of the walk: every post file's ``lstat`` (relative to an open directory when the
directory is large), every directory's ``stat``, and the same work shared out in contiguous
parts to forked children on a large site.

Only numbers are kept: four 64-bit integers an item, in one array, in walk order; an item
gone since its directory was read gets all 0 (no file has mode 0).
"""

from __future__ import annotations

import os
import stat
from array import array
from collections.abc import Callable, Sequence
from typing import Protocol

from postctl.site.forks import fork_sender, interrupts_held, read_all, stop_senders
from postctl.site.workers import process_count

WIDTH = 4  # numbers a file: mtime_ns, size, inode, mode
DIR_FD_MIN_FILES = 16  # a directory with this many files is stat'ed relative to its fd
SYMLINK = "is a symbolic link; skipped"
NOT_REGULAR = "is not a regular file; skipped"
_GONE = (0, 0, 0, 0)  # no file has mode 0
# stat relative to a directory descriptor (POSIX; not on Windows)
_DIR_FD = (os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
           and hasattr(os, "O_NOFOLLOW"))
_MAX_SHARES = 4


class Named(Protocol):
    """A directory and the names of the files to stat in it (a walk's Directory)."""

    @property
    def path(self) -> str: ...  # with a trailing separator
    @property
    def names(self) -> list[str]: ...


def stat_files(directories: Sequence[Named], start: int = 0, stop: int | None = None,
               ) -> array[int]:
    """The stamps of the files named in ``directories``, numbered across them, from the
    ``start``-th to before the ``stop``-th: :data:`WIDTH` numbers a file (the file's own
    ``lstat``; all 0 for a file gone since its directory was read)."""
    stamps: array[int] = array("q")
    record = stamps.extend
    lstat = os.lstat
    end = 0
    for directory in directories:
        names = directory.names
        first, end = end, end + len(names)
        if end <= start or (stop is not None and first >= stop):
            continue
        names = names[max(start - first, 0) : None if stop is None else stop - first]
        folder_fd = _open_directory(directory.path, len(names))
        prefix = "" if folder_fd is not None else directory.path
        try:
            for name in names:
                try:
                    info = lstat(prefix + name, dir_fd=folder_fd)
                except OSError:
                    record(_GONE)
                    continue
                numbers = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode)
                try:
                    record(numbers)
                except OverflowError:  # an inode number of 2**63 or more
                    _record_wrapped(stamps, numbers)
        finally:
            if folder_fd is not None:
                os.close(folder_fd)
    return stamps


def stat_directories(paths: list[str], start: int = 0, stop: int | None = None) -> array[int]:
    """The stamps (device, inode, mtime_ns, ctime_ns) of the directories at ``paths``, from
    the ``start``-th to before the ``stop``-th; all 0 for one that cannot be stat'ed."""
    stamps: array[int] = array("q")
    record = stamps.extend
    for path in paths[start:stop]:
        try:
            info = os.stat(path)
        except OSError:
            record(_GONE)
            continue
        numbers = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
        try:
            record(numbers)
        except OverflowError:  # a device or inode number of 2**63 or more
            _record_wrapped(stamps, numbers)
    return stamps


def skip_reason(mode: int) -> str | None:
    """Why a file of this mode is no post file (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return SYMLINK if stat.S_ISLNK(mode) else NOT_REGULAR


def _open_directory(path: str, files: int) -> int | None:
    """A descriptor of the directory at ``path`` when it has many files (a stat relative to
    it skips the path lookup), else None; links are not followed."""
    if files < DIR_FD_MIN_FILES or not _DIR_FD:
        return None
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None


def _record_wrapped(stamps: array[int], numbers: tuple[int, int, int, int]) -> None:
    """Record a stamp whose numbers do not all fit a signed 64-bit integer, wrapped to fit
    (SQLite stores the same signed numbers)."""
    del stamps[len(stamps) - len(stamps) % WIDTH :]  # what extend() added before it failed
    stamps.extend(as_int64(number) for number in numbers)


def as_int64(number: int) -> int:
    """``number`` as the signed 64-bit integer with the same low 64 bits."""
    number &= (1 << 64) - 1
    return number - (1 << 64) if number >= 1 << 63 else number


# --- shared out to forked children ---------------------------------------------------------

Work = Callable[[int, int], "array[int]"]  # the WIDTH numbers of items start..stop


def forked(work: Work, total: int) -> array[int] | None:
    """``work(0, total)``, shared out in contiguous parts between this process and forked
    children (one per CPU, at most four).

    A child only does its part of the work (stat calls), sends its numbers over a pipe once
    it is done, and leaves with ``os._exit``: it never touches the database or the output,
    and leaves Ctrl-C to this process, which stops it. Returns None when that fails in any
    way; the caller then does the work alone.
    """
    shares = min(process_count(), _MAX_SHARES)
    bounds = [total * share // shares for share in range(shares + 1)]
    children: list[tuple[int, int]] = []  # (pid, read end)
    try:
        with interrupts_held():  # every child forked is recorded, to be stopped
            for share in range(1, shares):
                child = fork_sender(_share(work, bounds[share], bounds[share + 1]))
                if child is None:
                    return None
                children.append(child)
        numbers = work(bounds[0], bounds[1])
        for share, (pid, read_end) in enumerate(children, start=1):
            data = read_all(read_end)
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
            children[share - 1] = (0, -1)
            expected = (bounds[share + 1] - bounds[share]) * WIDTH * numbers.itemsize
            if status != 0 or len(data) != expected:
                return None
            numbers.frombytes(data)
        return numbers
    finally:
        with interrupts_held():  # the shares not read (an error or an interrupt)
            stop_senders([child for child in children if child[0]])


def _share(work: Work, start: int, stop: int) -> Callable[[], bytes]:
    return lambda: work(start, stop).tobytes()
