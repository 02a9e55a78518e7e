"""Replacing many files with the guarded replace, flushing them to disk together
(docs/guarantees.md: Writes, Batches).

Each file goes through the steps of :func:`postctl.edit.files.atomic_replace`: links,
read-only and others' files are refused, the new bytes go to a hidden temporary file with
the target's owner and mode, the target is checked against what was read, and the new file
is swapped in. What differs is when bytes reach the disk: the temporary files of a batch are
all written first, then flushed together (their fsyncs run at once, so the file system
commits them in one go rather than one by one), and only then swapped in, one by one; each
folder is flushed once, after the last swap of the batch. A file is therefore never swapped
in before its new bytes are on disk, and the batch returns only once its renames are: the
same durability as one replace at a time, at a fraction of the flushes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from postctl.edit import files
from postctl.edit.ownership import check_permitted, copy_owner_and_mode
from postctl.edit.tempfiles import open_temp, write_all
from postctl.errors import NotDurableError, UnsafeWriteError, WriteRefusedError
from postctl.text.reading import FileStamp

BATCH = 128  # files whose temporary files are open and flushed together
_FLUSHERS = 16

Write = tuple[Path, bytes, FileStamp]


@dataclass
class _Pending:
    index: int
    path: Path
    temp: Path
    fd: int
    expected: FileStamp


def replace_all(writes: Sequence[Write]) -> list[WriteRefusedError | None]:
    """Replace each ``(path, data, expected)`` as ``files.atomic_replace`` would (at most
    :data:`BATCH` at a time). Per write, None when it was replaced, a NotDurableError when
    it was replaced but its folder could not be flushed, any other WriteRefusedError when
    it was not."""
    results: list[WriteRefusedError | None] = []
    for start in range(0, len(writes), BATCH):
        results += _batch(writes[start : start + BATCH])
    return results


def _batch(writes: Sequence[Write]) -> list[WriteRefusedError | None]:
    results: list[WriteRefusedError | None] = [None] * len(writes)
    pending: list[_Pending] = []
    try:
        for index, (path, data, expected) in enumerate(writes):
            try:
                pending.append(_prepare(index, path, data, expected))
            except WriteRefusedError as refusal:
                results[index] = refusal
            except OSError as exc:
                results[index] = UnsafeWriteError(path, f"not written: {files.os_reason(exc)}")
        for item, error in zip(pending, _flush([item.fd for item in pending]), strict=True):
            if error is not None:
                results[item.index] = UnsafeWriteError(item.path, f"not written: {error}")
        swapped = [item for item in pending if results[item.index] is None
                   and _swap(item, results)]
        for path in {item.path.parent: item.path for item in swapped}.values():
            try:
                files.fsync_folder(path)
            except NotDurableError as error:
                for item in swapped:
                    if item.path.parent == path.parent:
                        results[item.index] = error
    finally:
        for item in pending:
            with contextlib.suppress(OSError):
                os.close(item.fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(item.temp)  # not swapped in, or (after a swap) the old file
    return results


def _prepare(index: int, path: Path, data: bytes, expected: FileStamp) -> _Pending:
    """The checks before a write, and the temporary file with the new bytes, not flushed."""
    try:
        info = files.check_replaceable(path, allow_hard_links=False)
    except FileNotFoundError:
        raise UnsafeWriteError(path, files.CHANGED_MESSAGE) from None
    check_permitted(path, info)
    try:
        temp, fd = open_temp(path.parent, 0o600)
    except OSError as exc:
        raise UnsafeWriteError(path, f"not written: {files.os_reason(exc)}") from exc
    try:
        write_all(fd, data)
        copy_owner_and_mode(path, fd, info)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise UnsafeWriteError(path, f"not written: {files.os_reason(exc)}") from exc
        raise
    return _Pending(index, path, temp, fd, expected)


def _flush(fds: list[int]) -> list[str | None]:
    """fsync every file at once; per file, None or the reason it failed."""

    def flush(fd: int) -> str | None:
        try:
            os.fsync(fd)
        except OSError as exc:
            return files.os_reason(exc)
        return None

    if len(fds) <= 1:
        return [flush(fd) for fd in fds]
    with ThreadPoolExecutor(min(_FLUSHERS, len(fds))) as pool:
        return list(pool.map(flush, fds))


def _swap(item: _Pending, results: list[WriteRefusedError | None]) -> bool:
    """Check the target once more and swap the new file in; False (and the refusal in
    ``results``) when it changed meanwhile or the swap failed."""
    try:
        with files.leased(item.path, item.expected) as lease:
            files.check_unchanged(item.path, item.expected)
            files.swap_in(item.temp, item.path, item.expected, lease)
    except WriteRefusedError as refusal:
        results[item.index] = refusal
        return False
    except OSError as exc:
        results[item.index] = UnsafeWriteError(item.path,
                                               f"not written: {files.os_reason(exc)}")
        return False
    return True
