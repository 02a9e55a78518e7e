"""Replacing many files with the guarded replace, flushing them to disk together
(docs/guarantees.md: Writes, Batches).

Each file goes through the steps of :func:`postctl.edit.files.atomic_replace`: links,
read-only and others' files are refused, the new bytes go to a hidden temporary file with
the target's owner and mode, the target is checked against what was read, and the new file
is swapped in. What differs is when bytes reach the disk, and what runs meanwhile:

* The temporary files of a batch are all written first, then flushed together (their
  fsyncs run at once, so the file system commits them in one go rather than one by one),
  and only then swapped in, one by one; each folder is flushed once, after the last swap
  of the batch. A file is therefore never swapped in before its new bytes are on disk, and
  a batch's results come back only once its renames are: the same durability as one
  replace at a time, at a fraction of the flushes.
* While one batch is flushed (by a background thread: fsync waits on the disk, not on
  Python), the next batch's temporary files are written and the batch before it is swapped
  in. The file a swap displaces is closed by another background thread once the swap is
  decided: closing it is what frees its blocks on disk.

The check before a swap reads the target through its lease (:mod:`postctl.edit.lease`):
its size, modification time, inode and content hash must be those read. After a swap in one
step, the file swapped out must be that same inode, with the same size and modification
time, and the lease must still be held: no program has opened it for writing since its
content was checked (a lease cannot be taken on a file open for writing), so its content is
the content checked. Otherwise the swap is undone and the write refused. Where no lease can
be taken, the file swapped out is read and compared whole, as a single replace does.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
import threading
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from postctl.edit import exchange as swap
from postctl.edit import files
from postctl.edit.lease import FileBusy, Lease
from postctl.edit.ownership import check_permitted, copy_owner_and_mode
from postctl.edit.tempfiles import open_temp, write_all
from postctl.errors import NotDurableError, UnsafeWriteError, WriteRefusedError
from postctl.text.reading import FileStamp, stamp_of_open_file

BATCH = 128  # files whose temporary files are open and flushed together
_FLUSHERS = 64  # threads that flush them
_CLOSING = 64  # files swapped out that wait to be closed, at most

Write = tuple[Path, bytes, FileStamp]
Result = WriteRefusedError | None


@dataclass
class _Pending:
    index: int
    path: Path
    temp: Path
    fd: int
    expected: FileStamp
    swapped: bool = False  # the temporary name is gone: swapped in


@dataclass
class _Batch:
    results: list[Result]
    pending: list[_Pending] = field(default_factory=list)
    flushed: Future[list[str | None]] | None = None


def replace_all(writes: Iterable[Write]) -> list[Result]:
    """Replace each ``(path, data, expected)`` as ``files.atomic_replace`` would. Per write,
    None when it was replaced, a NotDurableError when it was replaced but its folder could
    not be flushed, any other WriteRefusedError when it was not."""
    return [result for batch in replace_batches(writes) for result in batch]


def replace_batches(writes: Iterable[Write]) -> Generator[list[Result], None, None]:
    """:func:`replace_all`, one list of results per batch of at most :data:`BATCH` writes,
    in order. A batch is given once all its files are swapped in and their folders flushed;
    a caller that stops taking batches leaves the rest unwritten (the next batch's
    temporary files, written ahead, are removed)."""
    chunks = _chunks(writes)
    live: list[_Batch] = []
    with _Workers() as workers:
        try:
            chunk = next(chunks, None)
            if chunk is not None:
                _start(chunk, workers, live)
            while live:
                chunk = next(chunks, None)
                if chunk is not None:  # written while the batch before it is flushed
                    _start(chunk, workers, live)
                results = _finish(live[0], workers)
                live.pop(0)
                yield results
        finally:
            for batch in live:
                _settle(batch)
                _clean(batch)


class _Workers:
    """The background threads of :func:`replace_batches`: one that has each batch flushed
    (by :data:`_FLUSHERS` threads, so that the file system commits many fsyncs at once),
    and one that closes the files swapped out, at most :data:`_CLOSING` waiting."""

    def __init__(self) -> None:
        self.flusher = ThreadPoolExecutor(1)
        self.fsyncs = ThreadPoolExecutor(_FLUSHERS)
        self.closer = ThreadPoolExecutor(1)
        self._closing = threading.BoundedSemaphore(_CLOSING)

    def flush(self, fds: list[int]) -> Future[list[str | None]]:
        return self.flusher.submit(_flush, fds, self.fsyncs)

    def close_later(self, fd: int) -> None:
        self._closing.acquire()
        try:
            self.closer.submit(self._close, fd)
        except BaseException:
            self._closing.release()
            raise

    def _close(self, fd: int) -> None:
        try:
            os.close(fd)
        except OSError:
            pass
        finally:
            self._closing.release()

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        for pool in (self.flusher, self.fsyncs, self.closer):
            pool.shutdown(wait=True)


def _chunks(writes: Iterable[Write]) -> Iterator[list[Write]]:
    iterator = iter(writes)
    while chunk := list(itertools.islice(iterator, BATCH)):
        yield chunk


def _start(writes: Sequence[Write], workers: _Workers, live: list[_Batch]) -> None:
    """Write the temporary files of ``writes`` and have them flushed in the background."""
    batch = _Batch([None] * len(writes))
    live.append(batch)  # from here on, whatever happens, its temporary files are removed
    for index, (path, data, expected) in enumerate(writes):
        try:
            _prepare(batch, index, path, data, expected)
        except WriteRefusedError as refusal:
            batch.results[index] = refusal
        except OSError as exc:
            batch.results[index] = UnsafeWriteError(path, f"not written: {files.os_reason(exc)}")
    batch.flushed = workers.flush([item.fd for item in batch.pending])


def _finish(batch: _Batch, workers: _Workers) -> list[Result]:
    """Swap in the files of ``batch`` once they are on disk, then flush their folders."""
    results = batch.results
    try:
        errors = batch.flushed.result() if batch.flushed is not None else []
        for item, error in zip(batch.pending, errors, strict=True):
            if error is not None:
                results[item.index] = UnsafeWriteError(item.path, f"not written: {error}")
        swapped = [item for item in batch.pending if results[item.index] is None
                   and _swap(item, results, workers)]
        for path in {item.path.parent: item.path for item in swapped}.values():
            try:
                files.fsync_folder(path)
            except NotDurableError as error:
                for item in swapped:
                    if item.path.parent == path.parent:
                        results[item.index] = error
    finally:
        _settle(batch)
        _clean(batch)
    return results


def _settle(batch: _Batch) -> None:
    """Wait until no flush of ``batch`` is running (its descriptors may then be closed)."""
    if batch.flushed is not None:
        with contextlib.suppress(Exception):
            batch.flushed.result()


def _clean(batch: _Batch) -> None:
    """Close the temporary files of ``batch`` and remove those not swapped in (after a swap
    the temporary name is gone already); safe to repeat."""
    for item in batch.pending:
        _clean_one(item)
    batch.pending.clear()


def _clean_one(item: _Pending) -> None:
    if item.fd >= 0:
        with contextlib.suppress(OSError):
            os.close(item.fd)
        item.fd = -1
    if not item.swapped:
        with contextlib.suppress(OSError):
            os.unlink(item.temp)


def _prepare(batch: _Batch, index: int, path: Path, data: bytes, expected: FileStamp) -> None:
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
    item = _Pending(index, path, temp, fd, expected)
    batch.pending.append(item)  # removed by _clean, whatever happens next
    try:
        write_all(fd, data)
        copy_owner_and_mode(path, fd, info)
    except BaseException:
        _clean_one(item)
        batch.pending.pop()
        raise


def _flush(fds: list[int], pool: ThreadPoolExecutor) -> list[str | None]:
    """fsync every file at once (by the threads of ``pool``); per file, None or the reason
    it failed."""
    return list(pool.map(_fsync, fds))


def _fsync(fd: int) -> str | None:
    try:
        os.fsync(fd)
    except OSError as exc:
        return files.os_reason(exc)
    return None


def _swap(item: _Pending, results: list[Result], workers: _Workers) -> bool:
    """Check the target once more and swap the new file in; False (and the refusal in
    ``results``) when it changed meanwhile or the swap failed."""
    try:
        try:
            lease = Lease(item.path)
        except FileBusy:
            raise UnsafeWriteError(item.path, files.BUSY_MESSAGE) from None
        try:
            _swap_leased(item, lease)
        finally:
            fd = lease.detach()
            if fd >= 0:
                workers.close_later(fd)  # frees the old file, off this thread
    except WriteRefusedError as refusal:
        results[item.index] = refusal
        return False
    except OSError as exc:
        results[item.index] = UnsafeWriteError(item.path,
                                               f"not written: {files.os_reason(exc)}")
        return False
    item.swapped = True
    return True


def _swap_leased(item: _Pending, lease: Lease) -> None:
    """See the module notes; where no lease is held, :func:`files.swap_in` after a check by
    name."""
    path, temp, expected = item.path, item.temp, item.expected
    if not lease.active:
        files.check_unchanged(path, expected)
        files.swap_in(temp, path, expected, lease)
        return
    if stamp_of_open_file(lease.fd, expected.size) != expected:
        raise UnsafeWriteError(path, files.CHANGED_MESSAGE)
    if not swap.exchange(temp, path):
        if not lease.held():
            raise UnsafeWriteError(path, files.CHANGED_MESSAGE)
        os.replace(temp, path)
        return
    try:
        unchanged = _displaced_is_leased(temp, expected, lease)
    except BaseException:  # Ctrl-C before the check: the old file gets its name back
        swap.exchange(temp, path)
        raise
    if not unchanged:
        swap.exchange(temp, path)
        raise UnsafeWriteError(path, files.CHANGED_MESSAGE)
    os.unlink(temp)


def _displaced_is_leased(temp: Path, expected: FileStamp, lease: Lease) -> bool:
    """Whether the file swapped out (now named ``temp``) is the leased file whose content
    was checked, as it was, and the lease is still held."""
    try:
        info = os.lstat(temp)
    except OSError:
        return False
    leased = os.fstat(lease.fd)
    return (stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino)
            == (leased.st_dev, leased.st_ino) and info.st_ino == expected.inode
            and info.st_size == expected.size and info.st_mtime_ns == expected.mtime_ns
            and lease.held())
