"""The walk's stat calls begun early: in a child forked as the program starts, while the
command line is still being parsed.

A warm ``postctl list`` on a large site spends a good part of its time stat'ing every post
file (:mod:`postctl.site.walk`), and most of its start loading the command-line parser; on
two CPUs the two can run side by side. :func:`begin` forks a child that finds the site as
the command will, lists its post folders and stats every post file, and sends the stamps
back over a pipe. When the command walks the site, :func:`take` gives it those stamps if
the child listed exactly the directories and names the walk lists; else (another site,
a file added or removed meanwhile, a child that failed) the walk stats the files itself.

The stamps are as old as the child's walk, which began before the walk that takes them:
the command sees the files as they were when it started, and ``TakenStamps.started``
(:mod:`postctl.site.walk`) is when that was, so that files changed just before it are
still compared again (:mod:`postctl.catalog.racy`). The child reads the directory listings
the site index keeps, read-only, never writes it or the output, and ignores Ctrl-C; it
runs in a process group of its own (with the child it shares its stat calls with on a
large site), which :func:`stop` ends when its stamps are not taken.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the modules this one needs load when the walk does: it starts light
    from collections.abc import Sequence

    from postctl.site.listings import Directory
    from postctl.site.walk import TakenStamps

__all__ = ["SHARED_MIN_FILES", "begin", "stop", "take"]

# The message of the child: when its walk began (time.time_ns(), 8 bytes, little-endian),
# the digest of its listing (32 bytes), then the stamps (postctl.site.stamps).
_STARTED = 8
_HEADER = _STARTED + 32
# With this many files or more, the child shares its stat calls with a child of its own
# (postctl.site.stamps.forked); fewer are stat'ed well before the command line is parsed.
SHARED_MIN_FILES = 30_000


class _Child(NamedTuple):
    pid: int
    read_end: int
    parent: int  # the process that forked it (a process forked from that one has it not)


_child: list[_Child] = []  # the child of this process, while its stamps are not taken


def begin(explicit_root: str | None) -> bool:
    """Fork the child that walks the site ``--root`` names (None: the site found from the
    working folder, as every command finds it); False when this process works alone (one
    CPU, ``POSTCTL_INDEX_WORKERS=1``, another thread: see
    :func:`postctl.site.workers.may_fork`), cannot fork, or has a child running already.

    Fork while the process is small, before the bulk of its modules load: until the child
    ends, each page of this process that either writes to is copied first."""
    from postctl.site.forks import fork_sender, interrupts_held
    from postctl.site.workers import may_fork

    if _child or not may_fork(0, 0):
        return False
    with interrupts_held():  # the child is recorded before Ctrl-C is acted on
        child = fork_sender(lambda: _walk(explicit_root))
        if child is None:
            return False
        with contextlib.suppress(OSError):  # set here and in the child: whichever is first
            os.setpgid(child[0], child[0])
        _child.append(_Child(*child, os.getpid()))
    return True


def take(directories: Sequence[Directory], total: int) -> TakenStamps | None:
    """The early walk's stamps of ``total`` files when it listed exactly ``directories``
    (paths and names, in order); None when there is no early walk, it failed, or it found
    other files. Waits for the child to finish; its stamps are taken once."""
    from postctl.site.forks import read_all

    if not _child or _child[0].parent != os.getpid():
        return None
    child = _child.pop()
    try:
        message = read_all(child.read_end)
    finally:
        os.close(child.read_end)
        _, status = os.waitpid(child.pid, 0)
    if status != 0 or len(message) < _HEADER or (len(message) - _HEADER) % 8:
        return None
    from array import array

    from postctl.site.stamps import WIDTH
    from postctl.site.walk import TakenStamps, listing_digest

    stamps: array[int] = array("q")
    stamps.frombytes(message[_HEADER:])
    if message[_STARTED:_HEADER] != listing_digest(directories) or len(stamps) != total * WIDTH:
        return None
    return TakenStamps(int.from_bytes(message[:_STARTED], "little", signed=True), stamps)


def stop() -> None:
    """Stop the child whose stamps were not taken (the command did not walk the site)."""
    if _child and _child[0].parent == os.getpid():
        import signal

        from postctl.site.forks import stop_senders

        for child in _child:  # the child and the one it shares its work with
            with contextlib.suppress(OSError):
                os.killpg(child.pid, signal.SIGKILL)
        stop_senders([(child.pid, child.read_end) for child in _child])
    _child.clear()


def _walk(explicit_root: str | None) -> bytes:  # pragma: no cover - runs in the child
    """The site's directories listed (from the listings the index keeps, where their stamp
    did not move) and every post file stat'ed, as the message :func:`take` reads."""
    from postctl.catalog.database import read_stored
    from postctl.catalog.schema import KEPT_LISTINGS
    from postctl.site.listings import Listings
    from postctl.site.model import open_site
    from postctl.site.stamps import stat_files
    from postctl.site.walk import forked_stat, listed_directories, listing_digest

    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    site = open_site(explicit_root)
    started = time.time_ns()
    listings = Listings(read_stored(site, KEPT_LISTINGS))
    directories = listed_directories(site.folders, str(site.root), str, listings)
    total = sum(len(directory.names) for directory in directories)
    stamps = forked_stat(directories, total) if total >= SHARED_MIN_FILES else None
    if stamps is None:
        stamps = stat_files(directories)
    return b"".join((started.to_bytes(_STARTED, "little", signed=True),
                     listing_digest(directories), stamps.tobytes()))
