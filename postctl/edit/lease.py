"""A read lease on a file about to be replaced: the system tells postctl when another
program opens it for writing (Linux ``fcntl(F_SETLEASE)``).

Between postctl's last check of a file and the moment its old inode is gone, a program that
opened the file a moment earlier can still write to the old inode, and that write would be
lost with it. While postctl holds a read lease, such an open waits for postctl instead, and
the lease shows it: the replace is then undone, the waiting program writes into the file it
opened, and nothing is lost (docs/guarantees.md: Writes). A file that another program has
open for writing right now cannot be leased: it is not replaced. Where leases are not
supported (other systems, some file systems), :class:`Lease` holds nothing and says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
from pathlib import Path

_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
          | getattr(os, "O_CLOEXEC", 0))
_BUSY = frozenset({errno.EAGAIN, errno.EBUSY})


class FileBusy(Exception):
    """Another program has the file open for writing."""


class Lease:
    """Use as a context manager; :meth:`held` is False once another program opened the
    file for writing (it is waiting for the lease to be given up)."""

    def __init__(self, path: Path) -> None:
        self.fd = -1
        self.active = False
        try:
            import fcntl
        except ImportError:  # not a POSIX system
            return
        if not hasattr(fcntl, "F_SETLEASE"):
            return
        self.fd = os.open(path, _FLAGS)
        try:
            # The lease holder is signalled when the lease is broken: a signal whose
            # default action is to be ignored, so that nothing else has to be set up.
            fcntl.fcntl(self.fd, fcntl.F_SETSIG, signal.SIGURG)
            fcntl.fcntl(self.fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
            self.active = True
        except OSError as exc:
            if exc.errno in _BUSY:
                self.close()
                raise FileBusy(path) from None
            self.close()  # leases not supported here

    def held(self) -> bool:
        """Whether no other program has opened the file for writing since the lease."""
        if not self.active:
            return True
        import fcntl

        return bool(fcntl.fcntl(self.fd, fcntl.F_GETLEASE) == fcntl.F_RDLCK)

    def detach(self) -> int:
        """Give up the descriptor (-1: none) without closing it: closing it, which ends the
        lease, is the caller's to do."""
        fd, self.fd, self.active = self.fd, -1, False
        return fd

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
