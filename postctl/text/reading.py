"""The one safe way to read a post file's bytes (G9), kept free of heavy imports.

Commands that only need bytes (search snippets, the index's re-reads) import this module
without pulling in the post parser or YAML.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from postctl.errors import SourceError

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_READ_CHUNK = 1 << 20


def read_post_bytes(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, at most ``max_bytes``; links are not followed and FIFOs
    never block (G9). Raises SourceError (code E008) when the file cannot be read so."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        reason = "is a symbolic link" if os.path.islink(path) else exc.strerror
        raise SourceError(path, f"cannot read: {reason}", code="E008") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(path, "not a regular file", code="E008")
        if info.st_size > max_bytes:
            raise SourceError(path, f"file is larger than the {max_bytes} byte limit", code="E008")
        data = _read_at_most(fd, max_bytes + 1)
        if len(data) > max_bytes:  # the file grew after fstat
            raise SourceError(path, f"file is larger than the {max_bytes} byte limit", code="E008")
        return data
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror}", code="E008") from None
    finally:
        os.close(fd)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, _READ_CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
