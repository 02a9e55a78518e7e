"""The post files of each directory of a post folder, by name: read with ``os.scandir``
(which tells folders from files without a stat) under the rule of
:mod:`postctl.site.postfiles`, or taken from the listing kept from the last walk when the
directory's stamp has not moved (:class:`Listings`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from postctl.site.model import PostFolder, holds_system_folders, system_folder
from postctl.site.postfiles import PostNames
from postctl.site.stamps import as_int64

RACY_SECONDS = 3  # a directory changed less than this before the walk is read again next time
_SIGNED = 1 << 63


@dataclass(frozen=True)
class Relative:
    """How the walk names a file: ``path[cut:]``, or ``convert(path)`` when given."""

    cut: int
    convert: Callable[[str], str] | None


class Directory(NamedTuple):
    """The post files of one directory, by name (found without a stat). A named tuple: a
    site of page bundles has one a post."""

    folder: PostFolder
    path: str  # with a trailing separator
    names: list[str]
    relative: Relative
    packed: bytes  # pack(names): how the signature and the kept listing hold them


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: the walk makes a few objects a file or folder
    (strings, tuples, lists; never a cycle), and on a site of 100,000 page bundles the
    collector's passes over them cost a third of the walk."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def list_directories(names: PostNames, relative: Relative, listings: Listings | None = None,
                     undated: list[str] | None = None) -> list[Directory]:
    """Every directory of the post folder of ``names`` with the names of its post files.
    Links are not followed. With ``listings``, a directory whose stamp is that of its kept
    listing is not read again; else ``undated`` receives the paths of the Markdown files
    Jekyll skips for want of a date in their name."""
    folder = names.folder
    top = str(folder.path)
    inside = len(top) + 1
    found = []
    pending = [top]
    while pending:
        directory = pending.pop()
        where = directory[inside:].replace(os.sep, "/") + "/" if len(directory) > len(top) else ""
        if listings is None:
            skipped: list[str] | None = None if undated is None else []
            read = read_directory(directory, names, where, skipped)
            listing = None if read is None else Listing(_NO_STAMP, *read, pack(read[0]))
            if undated is not None and skipped:
                undated += [directory + os.sep + name for name in skipped]
        else:
            listing = listings.listing(directory, names, where)
        if listing is None:
            continue
        pending += [directory + os.sep + name for name in listing.folders]
        if listing.names:
            found.append(Directory(folder, directory + os.sep, listing.names, relative,
                                   listing.packed))
    return found


def read_directory(path: str, names: PostNames, where: str,
                   undated: list[str] | None = None) -> tuple[list[str], list[str]] | None:
    """(the post files, the folders to walk) of the directory at ``path`` (``where`` in its
    post folder), by name; None when it cannot be read. ``undated`` receives the Markdown
    files Jekyll skips for want of a date in their name."""
    try:
        scanner = os.scandir(path)
    except OSError:
        return None
    files: list[str] = []
    folders: list[str] = []
    system = holds_system_folders(path)  # "/": its /proc, /sys and /dev are not walked into
    with scanner:
        entries: Iterable[os.DirEntry[str]] = scanner
        if names.hugo:
            entries = list(scanner)
            bundle = names.bundle({entry.name for entry in entries})
            if bundle is not None:  # a page bundle: only its index file is a post
                entries = [entry for entry in entries if entry.name in bundle]
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                if names.walks_into(name, where) and not (system and system_folder(entry.path)):
                    folders.append(name)
            elif names.post_file(name, where):
                files.append(name)
            elif undated is not None and names.undated_file(name, where):
                undated.append(name)
    return files, folders


def pack(names: list[str]) -> bytes:
    """``names`` as one string of bytes: NUL-separated (no file name holds a NUL), in UTF-8
    with the bytes of undecodable names kept (surrogate escapes)."""
    return "\0".join(names).encode("utf-8", "surrogateescape")


def unpack(packed: bytes) -> list[str]:
    return packed.decode("utf-8", "surrogateescape").split("\0") if packed else []


Stamp = tuple[int, int, int, int]  # a directory's st_dev, st_ino, st_mtime_ns, st_ctime_ns
_NO_STAMP = (0, 0, 0, 0)


class Listing(NamedTuple):
    """What a directory held when it was last read, and its stamp then."""

    stamp: Stamp
    names: list[str]  # post files
    folders: list[str]  # folders to walk
    packed: bytes  # pack(names)


# A kept listing as stored: (path, dev, inode, mtime_ns, ctime_ns, pack(names), pack(folders)),
# the path in UTF-8 with surrogate escapes.
StoredListing = tuple[bytes, int, int, int, int, bytes, bytes]


class Listings:
    """The listings of the directories walked last time, by path, and what this walk
    changes of them.

    A directory's modification time moves whenever an entry is added to it, removed or
    renamed, so a directory whose stamp (device, inode, mtime and ctime) is unchanged holds
    the same names: the walk then stats its files without reading it. A listing is kept only
    when the directory last changed :data:`RACY_SECONDS` or more before it was read, so that
    a change made within the same tick of a coarse file system clock is never missed.
    """

    def __init__(self, stored: Iterable[StoredListing]) -> None:
        with gc_paused():
            self.known = {row[0].decode("utf-8", "surrogateescape"): row for row in stored}
        self.updated: dict[str, Listing] = {}  # read again, and settled: to keep
        self._outdated: set[str] = set(self.known)  # kept listings this walk did not confirm
        self._now = time.time_ns()
        self._unpacked: dict[bytes, list[str]] = {}  # a page bundle's names are alike

    def listing(self, path: str, names: PostNames, where: str) -> Listing | None:
        """The listing of the directory at ``path`` (``where`` in its post folder), kept or
        read now; None when it cannot be read."""
        try:
            info = os.stat(path)  # before reading it: a change made meanwhile moves the stamp
        except OSError:
            return None
        stamp = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
        if stamp[0] >= _SIGNED or stamp[1] >= _SIGNED:
            stamp = (as_int64(stamp[0]), as_int64(stamp[1]), *stamp[2:])
        kept = self.known.get(path)
        if kept is not None and kept[1:5] == stamp:
            self._outdated.discard(path)
            return Listing(stamp, self._unpack(kept[5]), self._unpack(kept[6]), kept[5])
        read = read_directory(path, names, where)
        if read is None:
            return None
        listing = Listing(stamp, *read, pack(read[0]))
        if self._now - max(info.st_mtime_ns, info.st_ctime_ns) >= RACY_SECONDS * 10**9:
            self.updated[path] = listing
        return listing

    def tree(self, folder: PostFolder, top: str, relative: Relative,
             ) -> tuple[list[Directory], list[str], array[int]] | None:
        """The directories under ``top`` as their kept listings have them, in the order of
        :func:`list_directories`, without a system call: (the directories with post files,
        every directory's path, their kept stamps); None when one is not kept (a missing
        ``top`` is no directory at all)."""
        found: list[Directory] = []
        paths: list[str] = []
        stamps: list[int] = []
        known, unpack_names, separator = self.known.get, self._unpack, os.sep
        pending = [top]
        while pending:
            directory = pending.pop()
            kept = known(directory)
            if kept is None:
                if directory == top and not os.path.lexists(top):
                    continue
                return None
            paths.append(directory)
            stamps += kept[1:5]
            if kept[6]:
                pending += [directory + separator + name for name in unpack_names(kept[6])]
            if kept[5]:
                found.append(Directory(folder, directory + separator, unpack_names(kept[5]),
                                       relative, kept[5]))
        return found, paths, array("q", stamps)

    def confirm(self, paths: list[str]) -> None:
        """The kept listings of ``paths`` are current."""
        self._outdated.difference_update(paths)

    def _unpack(self, packed: bytes) -> list[str]:
        """``unpack(packed)``, the same list for the same bytes (the lists are never
        changed)."""
        names = self._unpacked.get(packed)
        if names is None:
            names = self._unpacked[packed] = unpack(packed)
        return names

    @property
    def outdated(self) -> list[str]:
        """The paths of kept listings to drop: not seen by this walk, or changed and not
        replaced."""
        return sorted(self._outdated - self.updated.keys())

    @property
    def changed(self) -> bool:
        return bool(self.updated) or bool(self._outdated)
