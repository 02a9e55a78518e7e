"""The one way postctl reads a post file's bytes (docs/guarantees.md: Limits), kept free of heavy
imports.

A read opens the file without following a symbolic link and without blocking on a FIFO,
reads only a regular file and at most a given number of bytes. Where a write may follow,
the read also stamps the file (:func:`read_stamped`), from the same open, so that the
write can check nothing changed in between. Commands that only need bytes (search
snippets, the index's re-reads) import this module without pulling in the post parser
or YAML.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Literal, NamedTuple

from postctl.errors import SourceError

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_READ_CHUNK = 1 << 20

Refusal = Literal["link", "not regular", "too large", "os error"]


class UnreadableFileError(SourceError):
    """A file the reader does not read; ``refusal`` says why (code E008)."""

    def __init__(self, path: Path, refusal: Refusal, message: str) -> None:
        super().__init__(path, message, code="E008")
        self.refusal = refusal


class FileStamp(NamedTuple):
    """What a file looked like when it was read; a write proceeds only if it still does."""

    mtime_ns: int
    size: int
    inode: int
    sha256: str


def read_post_bytes(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most ``max_bytes``; links are not followed and FIFOs
    never block (docs/guarantees.md: Limits). Raises UnreadableFileError (a SourceError, code E008)
    when the file cannot be read so."""
    return _read(path, max_bytes)[0]


def read_stamped(path: Path, max_bytes: int) -> tuple[bytes, FileStamp]:
    """:func:`read_post_bytes`, and the file's stamp taken from the same open."""
    data, info = _read(path, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    return data, FileStamp(info.st_mtime_ns, info.st_size, info.st_ino, digest)


def stamp_of_open_file(fd: int, max_bytes: int) -> FileStamp | None:
    """The stamp of the file open as ``fd``, its bytes read from the start (None: not a
    regular file, or larger than ``max_bytes``). OSError propagates."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        return None
    chunks, offset = [], 0
    while offset <= max_bytes:
        chunk = os.pread(fd, max_bytes + 1 - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    if offset > max_bytes:
        return None
    data = b"".join(chunks)
    digest = hashlib.sha256(data).hexdigest()
    return FileStamp(info.st_mtime_ns, info.st_size, info.st_ino, digest)


def _read(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if os.path.islink(path):
            raise UnreadableFileError(path, "link", "cannot read: is a symbolic link") from None
        raise UnreadableFileError(path, "os error", f"cannot read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFileError(path, "not regular", "not a regular file")
        if info.st_size > max_bytes:
            raise _too_large(path, max_bytes)
        data = _read_at_most(fd, max_bytes + 1, info.st_size + 1)
        if len(data) > max_bytes:  # the file grew after fstat
            raise _too_large(path, max_bytes)
        return data, info
    except OSError as exc:
        raise UnreadableFileError(path, "os error", f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)


def _too_large(path: Path, max_bytes: int) -> UnreadableFileError:
    return UnreadableFileError(path, "too large",
                               f"file is larger than the {max_bytes} byte limit")


def _read_at_most(fd: int, limit: int, expected: int = _READ_CHUNK) -> bytes:
    """At most ``limit`` bytes of a regular file, asking ``expected`` bytes first: a read of
    a regular file that gives fewer bytes than asked has reached its end (one call for a
    file whose size was just read, rather than a second one that finds nothing)."""
    chunks = []
    remaining = limit
    size = max(1, min(expected, _READ_CHUNK))
    while remaining > 0:
        asked = min(remaining, size)
        chunk = os.read(fd, asked)
        size = _READ_CHUNK
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
        if len(chunk) < asked:
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
