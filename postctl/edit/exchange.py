"""Swapping two names in one step, where the system can: Linux's ``renameat2`` with
``RENAME_EXCHANGE``.

A guarded replace swaps the new file in and the old one out in one atomic step, then checks
the file it displaced: if another program wrote to it after the last check, the swap is
undone and nothing is lost (docs/guarantees.md: Writes). Where the call or the file system
does not support it, :func:`exchange` says so and the caller falls back to a plain replace.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from functools import cache
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP,
                          getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)})


@cache
def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap the files named ``first`` and ``second`` atomically. False: not supported here
    (nothing was changed); any other failure raises OSError."""
    function = _renameat2()
    if function is None:
        return False
    result = function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                      _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), os.fspath(first))
