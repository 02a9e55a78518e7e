"""The only module that writes files: atomic, durable, metadata-preserving, or not at all.

A file to rewrite is read by :func:`read_for_rewrite` (the stamped read of
``postctl.text.reading``), and written back by :func:`atomic_replace` only if it still
matches its stamp. A new file is created by :func:`create_exclusive` (in folders made by
:func:`make_folders`), a post renamed by :func:`rename_exclusive`; neither ever replaces
a file. A failure to make a write durable (an fsync refused) is reported, never ignored,
except a folder sync that the file system does not support.

``atomic_replace`` follows docs/guarantees.md (Writes): refuse links, non-regular files
and files postctl may not write or whose owner it could not keep; write a hidden temporary
file next to the target (:mod:`postctl.edit.tempfiles`), fsync it, give it the target's
mode and owner, check the target did not change since it was read, and swap it in. Where
the system can swap two names in one step (:mod:`postctl.edit.exchange`), the file swapped
out is checked once more and a change that landed after the last check puts it back, so
not even a write in that last instant is lost; elsewhere ``os.replace`` follows the check.
The folder is fsynced. On any failure, Ctrl-C included, the temporary file is removed and
the target keeps its old bytes. :mod:`postctl.edit.batchwrite` replaces many files by the same
steps, flushing their temporary files to disk together.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import unicodedata
from pathlib import Path

from postctl.edit import exchange as swap
from postctl.edit.lease import FileBusy, Lease
from postctl.edit.ownership import check_permitted, copy_owner_and_mode
from postctl.edit.tempfiles import CREATE_FLAGS, temp_file, temp_name, write_all
from postctl.errors import (
    NotDurableError,
    PostExistsError,
    SourceError,
    UnsafeWriteError,
    display_path,
)
from postctl.text.reading import FileStamp, UnreadableFileError, read_stamped

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# link(2) is not available everywhere (FAT, some network and FUSE file systems).
_NO_LINK_ERRNOS = frozenset(
    code
    for code in (
        getattr(errno, "EPERM", None),
        getattr(errno, "EOPNOTSUPP", None),
        getattr(errno, "ENOTSUP", None),
        getattr(errno, "ENOSYS", None),
        getattr(errno, "EMLINK", None),
        getattr(errno, "EXDEV", None),
    )
    if code is not None
)
_NO_DIR_FSYNC_ERRNOS = frozenset(
    code for code in (errno.EINVAL, getattr(errno, "ENOTSUP", None), errno.EBADF) if code
)


def read_for_rewrite(path: Path, max_bytes: int) -> tuple[bytes, FileStamp]:
    """The bytes and stamp of a file about to be rewritten (``reading.read_stamped``).

    A symbolic link or a file that is not a regular one is refused as the write would
    refuse it (UnsafeWriteError); any other failure to read is the reader's SourceError.
    """
    try:
        return read_stamped(path, max_bytes)
    except UnreadableFileError as exc:
        if exc.refusal == "link":
            raise UnsafeWriteError(path, _LINK_MESSAGE) from None
        if exc.refusal == "not regular":
            raise UnsafeWriteError(path, _NOT_REGULAR_MESSAGE) from None
        raise


def atomic_replace(path: Path, data: bytes, expected: FileStamp) -> None:
    """Replace the regular file ``path`` by ``data`` if it still matches ``expected``.

    Raises UnsafeWriteError (and leaves the file as it was) for a symlink, a
    non-regular file, a file with several hard links, a file that changed since it
    was stamped, or an OS error before the replacement.
    """
    try:
        info = check_replaceable(path, allow_hard_links=False)
    except FileNotFoundError:
        raise UnsafeWriteError(path, CHANGED_MESSAGE) from None
    _replace(path, data, info, expected)


def replace_forced(path: Path, data: bytes) -> None:
    """Overwrite ``path`` atomically (``new --force``), or create it if it is missing.

    Only a regular file that is not a symlink is overwritten; its mode and owner are kept.
    """
    try:
        info = check_replaceable(path, allow_hard_links=True)
    except FileNotFoundError:
        create_exclusive(path, data)
        return
    _replace(path, data, info, None)


def create_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; never overwrite, never leave a partial file.

    Refuses (PostExistsError) when the name exists, also as a case-folded variant
    (``Hello.md`` next to ``hello.md``), which a case-insensitive file system or a
    checkout on another OS would treat as the same file. The new file gets the
    default mode (0666 minus the umask).
    """
    _refuse_folded_collision(path)
    folder = path.parent
    try:
        with temp_file(folder, data, 0o666) as (temp, _fd):
            try:
                os.link(temp, path)
            except FileExistsError:
                raise PostExistsError(path) from None
            except OSError as exc:
                if exc.errno not in _NO_LINK_ERRNOS:
                    raise
                _create_without_link(path, data)
    except OSError as exc:
        raise UnsafeWriteError(path, f"could not create the file: {os_reason(exc)}") from exc
    fsync_folder(path)


def rename_exclusive(path: Path, target: Path) -> None:
    """Give the regular file ``path`` the new name ``target`` in the same folder.

    Never replaces a file: refused (UnsafeWriteError) when ``target`` exists, even if it
    appeared a moment ago. The new name is linked before the old one is removed, so the
    file always has a name; on failure it keeps its old one.
    """
    try:
        check_replaceable(path, allow_hard_links=True)
    except FileNotFoundError:
        raise UnsafeWriteError(path, CHANGED_MESSAGE) from None
    try:
        os.link(path, target)
    except FileExistsError:
        raise UnsafeWriteError(target, "already exists; the post was not renamed") from None
    except OSError as exc:
        raise UnsafeWriteError(path, f"could not be renamed: {os_reason(exc)}") from None
    try:
        os.unlink(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise UnsafeWriteError(path, f"could not be renamed: {os_reason(exc)}") from None
    fsync_folder(target, "renamed")


def make_folders(folder: Path) -> None:
    """Create ``folder`` and its missing parents (an existing folder is fine)."""
    folder.mkdir(parents=True, exist_ok=True)


# --- steps ----------------------------------------------------------------------------

CHANGED_MESSAGE = "changed on disk while postctl was working; not written (run again)"
BUSY_MESSAGE = "is open for writing in another program; not written (run again)"
_LINK_MESSAGE = "is a symbolic link; postctl does not write through links (edit the target)"
_NOT_REGULAR_MESSAGE = "not a regular file; postctl does not write it"


def check_replaceable(path: Path, allow_hard_links: bool) -> os.stat_result:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWriteError(path, _LINK_MESSAGE)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWriteError(path, _NOT_REGULAR_MESSAGE)
    if info.st_nlink != 1 and not allow_hard_links:
        raise UnsafeWriteError(
            path,
            f"has {info.st_nlink} hard links; replacing it would break them, so it is not written",
        )
    return info


def _replace(path: Path, data: bytes, original: os.stat_result, expected: FileStamp | None) -> None:
    check_permitted(path, original)
    try:
        with leased(path, expected) as lease, temp_file(path.parent, data, 0o600) as (temp, fd):
            copy_owner_and_mode(path, fd, original)
            if expected is not None:
                check_unchanged(path, expected)
            swap_in(temp, path, expected, lease)
    except OSError as exc:
        raise UnsafeWriteError(path, f"not written: {os_reason(exc)}") from exc
    fsync_folder(path)


def leased(path: Path, expected: FileStamp | None) -> contextlib.AbstractContextManager[
        Lease | None]:
    """A read lease on ``path`` while a stamped replace runs (see :mod:`postctl.edit.lease`)."""
    if expected is None:
        return contextlib.nullcontext()
    try:
        return Lease(path)
    except FileBusy:
        raise UnsafeWriteError(path, BUSY_MESSAGE) from None


def swap_in(temp: Path, path: Path, expected: FileStamp | None,
            lease: Lease | None = None) -> None:
    """Put ``temp`` in the place of ``path``. Swapped in one step where possible: then
    ``temp`` names the old file, which must still be as ``expected`` and leased, or the
    swap is undone (the other writer's file keeps its name) and the write refused. The old
    file is removed while the lease is still held."""
    if expected is None or not swap.exchange(temp, path):
        if lease is not None and not lease.held():
            raise UnsafeWriteError(path, CHANGED_MESSAGE)
        os.replace(temp, path)
        return
    try:
        _, displaced = read_stamped(temp, expected.size)
    except SourceError:
        displaced = None
    except BaseException:  # Ctrl-C before the check: the old file gets its name back
        swap.exchange(temp, path)
        raise
    if displaced != expected or (lease is not None and not lease.held()):
        swap.exchange(temp, path)
        raise UnsafeWriteError(path, CHANGED_MESSAGE)
    os.unlink(temp)



def check_unchanged(path: Path, expected: FileStamp) -> None:
    """The file at ``path`` still has the stamp ``expected`` (a larger file, or one that
    cannot be read any more, has changed)."""
    changed = UnsafeWriteError(path, CHANGED_MESSAGE)
    try:
        _, now = read_stamped(path, expected.size)
    except SourceError:
        raise changed from None
    if now != expected:
        raise changed


def _create_without_link(path: Path, data: bytes) -> None:
    """O_EXCL create and write in place, where hard links are not supported."""
    try:
        fd = os.open(path, CREATE_FLAGS, 0o666)
    except FileExistsError:
        raise PostExistsError(path) from None
    try:
        write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        _close_quietly(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def _refuse_folded_collision(path: Path) -> None:
    wanted = _fold(path.name)
    try:
        names = os.listdir(path.parent)
    except FileNotFoundError:
        return
    for name in names:
        if _fold(name) == wanted:
            raise PostExistsError(
                path.parent / name,
                None
                if name == path.name
                else f"{display_path(path.parent / name)}: already exists with different "
                f"letter case (would collide with {path.name} on a case-insensitive file system)",
            )


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def fsync_folder(path: Path, done: str = "written") -> None:
    """Make the rename durable. Not possible on Windows or some file systems; skipped there.
    Any other failure is reported: the file was ``done`` (written, renamed), but may not
    survive a crash."""
    if os.name == "nt":
        return
    try:
        fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _O_CLOEXEC)
    except OSError as exc:
        raise NotDurableError(
            path, f"{done}, but its folder could not be synced to disk: {os_reason(exc)}"
        ) from exc
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIR_FSYNC_ERRNOS:
            raise NotDurableError(
                path, f"{done}, but its folder could not be synced to disk: {os_reason(exc)}"
            ) from exc
    finally:
        os.close(fd)


def _close_quietly(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


def os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_if_present(path: Path, max_bytes: int) -> FileStamp | None:
    """The stamp of ``path`` now, or None when there is no file of that name.

    For comparing with a recorded content of ``max_bytes``: a larger file is not read, and
    its stamp has no hash (it equals no recorded content). A link, a special file or a file
    that cannot be read is refused.
    """
    try:
        return read_for_rewrite(path, max_bytes)[1]
    except UnreadableFileError as exc:
        if exc.refusal == "too large":
            info = os.lstat(path)
            return FileStamp(info.st_mtime_ns, info.st_size, info.st_ino, sha256="")
        if not os.path.lexists(path):
            return None
        raise UnsafeWriteError(path, exc.message) from None


def remove_unchanged(path: Path, expected: FileStamp) -> None:
    """Remove ``path`` if it is still as ``expected``; otherwise leave it and refuse.

    The file is first renamed to a hidden name in its folder (one atomic step: from then on
    no editor can save into it unseen), checked there, and only then unlinked; a file that
    changed is given its name back.
    """
    hidden = temp_name(path.parent, "removing")
    try:
        os.rename(path, hidden)
    except FileNotFoundError:
        raise UnsafeWriteError(path, CHANGED_MESSAGE) from None
    except OSError as exc:
        raise UnsafeWriteError(path, f"not removed: {os_reason(exc)}") from exc
    try:
        _, now = read_stamped(hidden, expected.size)
    except UnreadableFileError:
        now = None
    except BaseException:
        _put_back(hidden, path)
        raise
    if now is None or now.sha256 != expected.sha256:
        _put_back(hidden, path)
        raise UnsafeWriteError(path, CHANGED_MESSAGE)
    os.unlink(hidden)
    fsync_folder(path, "removed")


def _put_back(hidden: Path, path: Path) -> None:
    """Give ``hidden`` its name back without replacing a file saved there meanwhile."""
    try:
        os.link(hidden, path)
    except FileExistsError:
        raise UnsafeWriteError(
            path, f"changed while postctl removed it; the old content is kept as {hidden.name}"
        ) from None
    os.unlink(hidden)
