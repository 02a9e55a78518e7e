"""The walk of a site's post folders: every post file's stamp, at the cost of one lstat each.

Every command that reads many posts first asks the site index whether any file changed,
and on a large site that question is most of the command's time. The directories are read
with ``os.scandir`` under the rule of :mod:`postctl.site.postfiles`, or not at all when
their stamp is that of the listing kept from the last walk (:mod:`postctl.site.listings`;
a large kept tree, such as a site of page bundles, is checked at once, its folders stat'ed
in forked shares); then every post file gets one ``lstat`` (:mod:`postctl.site.stamps`),
which no listing can spare: a file edited in place changes its own stamp only. Only numbers
are kept: four 64-bit integers a file, ``(mtime_ns, size, inode, mode)``, in one array, in
walk order; a file gone since its directory was read gets mode 0. On Linux with two CPUs or
more, a walk of :data:`FORKED_MIN_FILES` files or more hands a contiguous share of them to
each forked child, which stats it and sends its numbers back as bytes.

The walk's :attr:`Walk.signature` is ``"<count> <128 bits of SHA-256 of the names and numbers,
in walk order>"``: two walks with the same signature found the same files with the same
stamps, so the index compares one string instead of reading its stored stamps. A directory
that lists its entries in another order only costs one full comparison.
"""

from __future__ import annotations

import hashlib
import os
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from postctl.site.listings import (
    Directory,
    Listings,
    Relative,
    gc_paused,
    list_directories,
    pack,
)
from postctl.site.model import PostFolder
from postctl.site.postfiles import PostNames
from postctl.site.stamps import WIDTH, forked, skip_reason, stat_directories, stat_files
from postctl.site.workers import may_fork

__all__ = ["FORKED_MIN_FILES", "NOT_UTF8", "NOT_UTF8_MARK", "Directory", "Found", "Listings",
           "Relative", "StampSource", "TakenStamps", "Walk", "folder_files", "forked_stat",
           "listed_directories", "listing_digest", "pack", "shown_path", "signature",
           "stat_files", "walk_folders"]

FORKED_MIN_FILES = 5000  # fewer files (or directories) than this are stat'ed in this process
KEPT_TREE_MIN_DIRECTORIES = 1000  # with this many kept listings, check them all at once
NOT_UTF8 = "has a file name that is not valid UTF-8; skipped (rename the file)"
# Ends the name the walk gives a file whose name is not valid UTF-8 (its stray bytes written
# ``\xNN``, its backslashes doubled): no file's path ends with it, so the site index never
# takes such a file for the file whose name is those characters (see shown_path()).
NOT_UTF8_MARK = "/"

# A file found by the walk: (rel, path, folder, mtime_ns, size, inode, skip reason).
Found = tuple[str, str, PostFolder, int, int, int, "str | None"]


@dataclass(frozen=True)
class Walk:
    """What one walk of the post folders found."""

    directories: list[Directory]
    stamps: array[int]  # WIDTH numbers a file, in walk order
    count: int  # files found (each once)
    signature: str
    nested: bool  # a post folder inside another: a file may be named twice
    started: int  # time.time_ns() before the first directory was read or file stat'ed

    def files(self, unchanged: Callable[[str, tuple[int, int, int]], bool] | None = None,
              ) -> list[Found]:
        """Every file found, with its stamp, once; only those whose (path, stamp) is not
        ``unchanged`` when that is given."""
        found = list(_records(self.directories, self.stamps, unchanged))
        return _first_of_each(found) if self.nested else found


class TakenStamps(NamedTuple):
    """Stamps another process took of the files a walk lists, and when its walk began."""

    started: int  # time.time_ns()
    stamps: array[int]


# Where the stamps of the directories listed (``total`` files) were taken already, or None.
StampSource = Callable[[list[Directory], int], "TakenStamps | None"]


def walk_folders(folders: tuple[PostFolder, ...], root: str,
                 convert: Callable[[str], str], expected_files: int = 0,
                 listings: Listings | None = None, taken: StampSource | None = None) -> Walk:
    """Walk ``folders`` of the site at ``root``; files are named relative to the root,
    '/'-separated (``convert`` names those outside it). ``expected_files`` is how many
    files the last walk found: it decides whether to fork. ``listings``: the directory
    listings kept from the last walk, updated by this one. ``taken``: where the stamps may
    have been taken already (:func:`postctl.catalog.early_walk.take`)."""
    with gc_paused():
        return _walk_folders(folders, root, convert, expected_files, listings, taken)


def _walk_folders(folders: tuple[PostFolder, ...], root: str, convert: Callable[[str], str],
                  expected_files: int, listings: Listings | None,
                  taken: StampSource | None) -> Walk:
    started = time.time_ns()
    directories = listed_directories(folders, root, convert, listings)
    nested = len(folders) > 1 and _nested(folders)
    total = sum(len(directory.names) for directory in directories)
    stamps = None
    early = None if taken is None else taken(directories, total)
    if early is not None:
        started, stamps = early.started, early.stamps
    elif not nested and may_fork(FORKED_MIN_FILES, max(expected_files, 0)):
        stamps = forked_stat(directories, total)
    if stamps is None:
        stamps = stat_files(directories)
    count = total - stamps[WIDTH - 1 :: WIDTH].count(0)
    if nested:
        count = len(_first_of_each(list(_records(directories, stamps))))
    return Walk(directories, stamps, count, signature(directories, stamps, count), nested,
                started)


def listed_directories(folders: tuple[PostFolder, ...], root: str,
                       convert: Callable[[str], str], listings: Listings | None,
                       ) -> list[Directory]:
    """The directories of ``folders`` (of the site at ``root``) that hold post files, with
    their names, in walk order; taken from ``listings`` where their stamp did not move."""
    inside = root + os.sep
    tops = []
    for folder in folders:
        top = str(folder.path)
        plain = top.startswith(inside) and os.sep == "/"
        tops.append((folder, top, Relative(len(inside), None if plain else convert)))
    directories = None
    if listings is not None and len(listings.known) >= KEPT_TREE_MIN_DIRECTORIES:
        directories = _kept_directories(tops, listings)
    if directories is None:
        directories = [directory for folder, _, relative in tops for directory in
                       list_directories(PostNames(folder, root), relative, listings)]
    return directories


def folder_files(folder: PostFolder, root: str, undated: list[str] | None = None,
                 ) -> list[Found]:
    """The post files of one folder of the site at ``root``, with their stamps, in path
    order (each folder's names sorted, as a sorted listing of the tree gives them): read in
    this process, without kept listings. Files are named by their full path. ``undated``
    receives the paths of the Markdown files Jekyll skips for want of a date, in path order."""
    directories = list_directories(PostNames(folder, root), Relative(0, None), None, undated)
    found = list(_records(directories, stat_files(directories)))
    found.sort(key=_path_order)
    if undated:
        undated.sort(key=lambda path: path.split(os.sep))
    return found


def _path_order(found: Found) -> list[str]:
    return found[1].split(os.sep)


def _kept_directories(tops: list[tuple[PostFolder, str, Relative]],
                      listings: Listings) -> list[Directory] | None:
    """The directories of the walk as the kept listings have them, when a stat of every one
    (in forked shares, on a large site) finds its stamp unchanged; None when a directory is
    not kept or changed: the walk then lists them one by one."""
    directories: list[Directory] = []
    paths: list[str] = []
    expected: array[int] = array("q")
    for folder, top, relative in tops:
        tree = listings.tree(folder, top, relative)
        if tree is None:
            return None
        directories += tree[0]
        paths += tree[1]
        expected.extend(tree[2])
    stamps = None
    if may_fork(FORKED_MIN_FILES, len(paths)):
        stamps = forked(lambda start, stop: stat_directories(paths, start, stop), len(paths))
    if stamps is None:
        stamps = stat_directories(paths)
    if stamps != expected:
        return None
    listings.confirm(paths)
    return directories


def listing_digest(directories: Sequence[Directory]) -> bytes:
    """SHA-256 of the directories' paths and names, in order: what a walk listed."""
    digest = hashlib.sha256()  # the fastest of hashlib here (SHA extensions of the CPU)
    for directory in directories:
        digest.update(b"".join((directory.path.encode("utf-8", "surrogateescape"), b"\0",
                                directory.packed, b"\0\0")))
    return digest.digest()


def signature(directories: list[Directory], stamps: array[int], count: int) -> str:
    """``"<count> <SHA-256 (128 bits) of the directories' digest (listing_digest), then the
    stamps>"``."""
    digest = hashlib.sha256(listing_digest(directories))
    digest.update(stamps)
    return f"{count} {digest.hexdigest()[:32]}"


def _nested(folders: tuple[PostFolder, ...]) -> bool:
    """Whether a post folder is inside another (or listed twice): its files are found twice."""
    paths = [folder.path for folder in folders]
    return any(i != j and inner.is_relative_to(outer)
               for i, outer in enumerate(paths) for j, inner in enumerate(paths))


def forked_stat(directories: list[Directory], total: int) -> array[int] | None:
    """``stat_files(directories)`` for ``total`` files, shared out by :func:`forked`. On two
    CPUs that takes about 0.55x the time for 100,000 files."""
    return forked(lambda start, stop: stat_files(directories, start, stop), total)


# --- records ------------------------------------------------------------------------------


def _records(directories: list[Directory], stamps: array[int],
             unchanged: Callable[[str, tuple[int, int, int]], bool] | None = None,
             ) -> Iterator[Found]:
    """The files found, in walk order, as records; only those whose (path, stamp) is not
    ``unchanged`` when that is given."""
    position = 0
    for directory in directories:
        folder, path = directory.folder, directory.path
        cut, convert = directory.relative.cut, directory.relative.convert
        for name in directory.names:
            mtime, size, inode, mode = stamps[position : position + WIDTH]
            position += WIDTH
            if mode:
                full = path + name
                rel = full[cut:] if convert is None else convert(full)
                reason = skip_reason(mode)
                if not rel.isascii() and not _is_utf8(rel):
                    rel, reason = _escaped(rel) + NOT_UTF8_MARK, NOT_UTF8
                if unchanged is None or not unchanged(rel, (mtime, size, inode)):
                    yield rel, full, folder, mtime, size, inode, reason


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept as surrogate escapes
        return False
    return True


def _escaped(name: str) -> str:
    """A name that is not valid UTF-8, with its stray bytes written ``\\xNN`` and its
    backslashes doubled (so two such names never come out the same)."""
    doubled = name.replace("\\", "\\\\")
    return doubled.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def shown_path(rel: str) -> str:
    """A file's name as the walk gives it (Found's first item), as it is shown."""
    return rel[: -len(NOT_UTF8_MARK)] if rel.endswith(NOT_UTF8_MARK) else rel


def _first_of_each(found: list[Found]) -> list[Found]:
    """``found`` without the second sighting of a file (under its first folder only)."""
    seen: set[str] = set()
    unique = []
    for item in found:
        if item[0] not in seen:
            seen.add(item[0])
            unique.append(item)
    return unique
