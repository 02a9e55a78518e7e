"""Who may write a file, and keeping its owner: a replace gives the new file the old one's
owner, group and mode, and refuses what postctl may not write or whose owner it could not
keep (docs/guarantees.md: Writes)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from postctl.errors import UnsafeWriteError


def check_permitted(path: Path, info: os.stat_result) -> None:
    """Refuse a file its owner made read-only, or one this user may not write."""
    if not info.st_mode & stat.S_IWUSR:
        raise UnsafeWriteError(
            path, f"is read-only (mode {stat.S_IMODE(info.st_mode):o}); postctl does not "
            "write it (make it writable first)")
    if hasattr(os, "geteuid") and os.geteuid() != 0 and not os.access(path, os.W_OK):
        raise UnsafeWriteError(path, "you may not write this file; postctl does not replace it")


def copy_owner_and_mode(path: Path, fd: int, original: os.stat_result) -> None:
    """Give the new file the original's owner, group and mode; refuse the write when the
    owner or group cannot be kept (another user's file in a shared folder)."""
    # chown first: changing the owner clears set-id bits, which the chmod then restores.
    if hasattr(os, "fchown"):
        current = os.fstat(fd)
        if (current.st_uid, current.st_gid) != (original.st_uid, original.st_gid):
            try:
                os.fchown(fd, original.st_uid, original.st_gid)
            except PermissionError:
                raise UnsafeWriteError(
                    path, f"belongs to {_owner(original)}; postctl could not keep its owner "
                    "and group, so it does not replace it") from None
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(original.st_mode))


def _owner(info: os.stat_result) -> str:
    try:
        import grp
        import pwd

        return f"{pwd.getpwuid(info.st_uid).pw_name}:{grp.getgrgid(info.st_gid).gr_name}"
    except (ImportError, KeyError):
        return f"{info.st_uid}:{info.st_gid}"
