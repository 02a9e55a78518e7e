"""The walk of a site's post folders: every post file's stamp, at the cost of one lstat each.

Every command that reads many posts first asks the site index whether any file changed,
and on a large site that question is most of the command's time. The directories are read
with ``os.scandir`` (which tells folders from files without a stat), or not at all when
their stamp is that of the listing kept from the last walk (:class:`Listings`; a large kept
tree, such as a site of page bundles, is checked at once, its folders stat'ed in the forked
shares below); then every
post file gets one ``lstat`` (relative to an open directory when the directory is large),
which no listing can spare: a file edited in place changes its own stamp only. Only numbers are
kept: four 64-bit integers a file, ``(mtime_ns, size, inode, mode)``, in one array, in walk
order; a file gone since its directory was read gets mode 0. On Linux with two CPUs or more,
a walk of :data:`FORKED_MIN_FILES` files or more hands a contiguous share of them to each
forked child, which stats it and sends its numbers back as bytes.

The walk's :attr:`Walk.signature` is ``"<count> <128 bits of SHA-256 of the names and numbers,
in walk order>"``: two walks with the same signature found the same files with the same
stamps, so the index compares one string instead of reading its stored stamps. A directory
that lists its entries in another order only costs one full comparison.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import signal
import stat
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from postctl.site.model import PostFolder
from postctl.site.workers import may_fork, process_count

RACY_SECONDS = 3  # a directory changed less than this before the walk is read again next time
FORKED_MIN_FILES = 5000  # fewer files (or directories) than this are stat'ed in this process
KEPT_TREE_MIN_DIRECTORIES = 1000  # with this many kept listings, check them all at once
DIR_FD_MIN_FILES = 16  # a directory with this many files is stat'ed relative to its fd
POST_SUFFIXES = (".md", ".markdown")  # postctl.post.model.POST_EXTENSIONS (a test holds them equal)
BUNDLE_INDEXES = ("index.md", "index.markdown")
SYMLINK = "is a symbolic link; skipped"
NOT_REGULAR = "is not a regular file; skipped"
NOT_UTF8 = "has a file name that is not valid UTF-8; skipped (rename the file)"
WIDTH = 4  # numbers a file: mtime_ns, size, inode, mode
_GONE = (0, 0, 0, 0)  # no file has mode 0
# stat relative to a directory descriptor (POSIX; not on Windows)
_DIR_FD = (os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
           and hasattr(os, "O_NOFOLLOW"))
_MAX_SHARES = 4

# A file found by the walk: (rel, path, folder, mtime_ns, size, inode, skip reason).
Found = tuple[str, str, PostFolder, int, int, int, "str | None"]


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


@dataclass(frozen=True)
class Walk:
    """What one walk of the post folders found."""

    directories: list[Directory]
    stamps: array[int]  # WIDTH numbers a file, in walk order
    count: int  # files found (each once)
    signature: str
    nested: bool  # a post folder inside another: a file may be named twice

    def files(self, unchanged: Callable[[str, tuple[int, int, int]], bool] | None = None,
              ) -> list[Found]:
        """Every file found, with its stamp, once; only those whose (path, stamp) is not
        ``unchanged`` when that is given."""
        found = list(_records(self.directories, self.stamps, unchanged))
        return _first_of_each(found) if self.nested else found


def walk_folders(folders: tuple[PostFolder, ...], root: str,
                 convert: Callable[[str], str], expected_files: int = 0,
                 listings: Listings | None = None) -> Walk:
    """Walk ``folders`` of the site at ``root``; files are named relative to the root,
    '/'-separated (``convert`` names those outside it). ``expected_files`` is how many
    files the last walk found: it decides whether to fork. ``listings``: the directory
    listings kept from the last walk, updated by this one."""
    with gc_paused():
        return _walk_folders(folders, root, convert, expected_files, listings)


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


def _walk_folders(folders: tuple[PostFolder, ...], root: str, convert: Callable[[str], str],
                  expected_files: int, listings: Listings | None) -> Walk:
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
        directories = [directory for folder, top, relative in tops
                       for directory in list_directories(folder, top, relative, listings)]
    nested = len(folders) > 1 and _nested(folders)
    total = sum(len(directory.names) for directory in directories)
    stamps = None
    if not nested and may_fork(FORKED_MIN_FILES, max(expected_files, 0)):
        stamps = forked_stat(directories, total)
    if stamps is None:
        stamps = stat_files(directories)
    count = total - stamps[WIDTH - 1 :: WIDTH].count(0)
    if nested:
        count = len(_first_of_each(list(_records(directories, stamps))))
    return Walk(directories, stamps, count, signature(directories, stamps, count), nested)


def walk_stamps(folder: PostFolder, path: str) -> Iterator[tuple[str, int, int, int, str | None]]:
    """``scan.iter_post_files`` for one folder, lean: (path, mtime_ns, size, inode, skip
    reason) tuples, unsorted, without importing the post parser (a test holds the two equal).
    """
    directories = list_directories(folder, path, Relative(0, None))
    for _, entry_path, _, mtime, size, inode, reason in _records(directories,
                                                                 stat_files(directories)):
        yield entry_path, mtime, size, inode, reason


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


def signature(directories: list[Directory], stamps: array[int], count: int) -> str:
    """``"<count> <SHA-256 (128 bits) of every directory's path and names, then the stamps>"``."""
    digest = hashlib.sha256()  # the fastest of hashlib here (SHA extensions of the CPU)
    for directory in directories:
        digest.update(b"".join((directory.path.encode("utf-8", "surrogateescape"), b"\0",
                                directory.packed, b"\0\0")))
    digest.update(stamps)
    return f"{count} {digest.hexdigest()[:32]}"


# --- directories --------------------------------------------------------------------------


def ignored(name: str, hugo: bool) -> bool:
    """Names the walk skips, as ``scan`` does: hidden ones, Hugo's ``_index`` pages, and
    what Jekyll's EntryFilter ignores (a leading ``_`` or ``#``, a trailing ``~``)."""
    if hugo:
        return name.startswith(".") or name.startswith("_index.")
    return name.startswith((".", "_", "#")) or name.endswith("~")


def list_directories(folder: PostFolder, top: str, relative: Relative,
                     listings: Listings | None = None) -> list[Directory]:
    """Every directory under ``top`` with the names of its post files. Links are not
    followed; ``scandir`` tells folders from files without a stat. With ``listings``, a
    directory whose stamp is that of its kept listing is not read again."""
    found = []
    pending = [top]
    while pending:
        directory = pending.pop()
        if listings is None:
            read = read_directory(directory, folder.hugo)
            listing = None if read is None else Listing(_NO_STAMP, *read, pack(read[0]))
        else:
            listing = listings.listing(directory, folder.hugo)
        if listing is None:
            continue
        pending += [directory + os.sep + name for name in listing.folders]
        if listing.names:
            found.append(Directory(folder, directory + os.sep, listing.names, relative,
                                   listing.packed))
    return found


def pack(names: list[str]) -> bytes:
    """``names`` as one string of bytes: NUL-separated (no file name holds a NUL), in UTF-8
    with the bytes of undecodable names kept (surrogate escapes)."""
    return "\0".join(names).encode("utf-8", "surrogateescape")


def unpack(packed: bytes) -> list[str]:
    return packed.decode("utf-8", "surrogateescape").split("\0") if packed else []


def read_directory(path: str, hugo: bool) -> tuple[list[str], list[str]] | None:
    """(the post files, the folders to walk) of the directory at ``path``, by name; None
    when it cannot be read."""
    try:
        scanner = os.scandir(path)
    except OSError:
        return None
    names: list[str] = []
    folders: list[str] = []
    with scanner:
        entries: Iterable[os.DirEntry[str]] = scanner
        if hugo:  # a page bundle: only its index file is a post
            entries = list(scanner)
            if any(entry.name in BUNDLE_INDEXES for entry in entries):
                entries = [entry for entry in entries if entry.name in BUNDLE_INDEXES]
        for entry in entries:
            name = entry.name
            if ignored(name, hugo):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(name)
            elif name.endswith(POST_SUFFIXES):
                names.append(name)
    return names, folders


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

    def listing(self, path: str, hugo: bool) -> Listing | None:
        """The listing of the directory at ``path``, kept or read now; None when it cannot
        be read."""
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
        read = read_directory(path, hugo)
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


def _nested(folders: tuple[PostFolder, ...]) -> bool:
    """Whether a post folder is inside another (or listed twice): its files are found twice."""
    paths = [folder.path for folder in folders]
    return any(i != j and inner.is_relative_to(outer)
               for i, outer in enumerate(paths) for j, inner in enumerate(paths))


# --- stats --------------------------------------------------------------------------------


def stat_files(directories: list[Directory], start: int = 0, stop: int | None = None,
               ) -> array[int]:
    """The stamps of the files named in ``directories``, numbered across them, from the
    ``start``-th to before the ``stop``-th: :data:`WIDTH` numbers a file (the file's own
    ``lstat``; all 0 for a file gone since its directory was read)."""
    stamps: array[int] = array("q")
    record = stamps.extend
    lstat = os.lstat
    end = 0
    for directory in directories:
        names = directory.names
        first, end = end, end + len(names)
        if end <= start or (stop is not None and first >= stop):
            continue
        names = names[max(start - first, 0) : None if stop is None else stop - first]
        folder_fd = _open_directory(directory.path, len(names))
        prefix = "" if folder_fd is not None else directory.path
        try:
            for name in names:
                try:
                    info = lstat(prefix + name, dir_fd=folder_fd)
                except OSError:
                    record(_GONE)
                    continue
                numbers = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode)
                try:
                    record(numbers)
                except OverflowError:  # an inode number of 2**63 or more
                    _record_wrapped(stamps, numbers)
        finally:
            if folder_fd is not None:
                os.close(folder_fd)
    return stamps


def stat_directories(paths: list[str], start: int = 0, stop: int | None = None) -> array[int]:
    """The stamps (device, inode, mtime_ns, ctime_ns) of the directories at ``paths``, from
    the ``start``-th to before the ``stop``-th; all 0 for one that cannot be stat'ed."""
    stamps: array[int] = array("q")
    record = stamps.extend
    for path in paths[start:stop]:
        try:
            info = os.stat(path)
        except OSError:
            record(_GONE)
            continue
        numbers = (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
        try:
            record(numbers)
        except OverflowError:  # a device or inode number of 2**63 or more
            _record_wrapped(stamps, numbers)
    return stamps


def _open_directory(path: str, files: int) -> int | None:
    """A descriptor of the directory at ``path`` when it has many files (a stat relative to
    it skips the path lookup), else None; links are not followed."""
    if files < DIR_FD_MIN_FILES or not _DIR_FD:
        return None
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None


def _record_wrapped(stamps: array[int], numbers: tuple[int, int, int, int]) -> None:
    """Record a stamp whose numbers do not all fit a signed 64-bit integer, wrapped to fit
    (SQLite stores the same signed numbers)."""
    del stamps[len(stamps) - len(stamps) % WIDTH :]  # what extend() added before it failed
    stamps.extend(as_int64(number) for number in numbers)


_SIGNED = 1 << 63


def as_int64(number: int) -> int:
    """``number`` as the signed 64-bit integer with the same low 64 bits."""
    number &= (1 << 64) - 1
    return number - (1 << 64) if number >= 1 << 63 else number


def forked_stat(directories: list[Directory], total: int) -> array[int] | None:
    """``stat_files(directories)`` for ``total`` files, shared out by :func:`forked`. On two
    CPUs that takes about 0.55x the time for 100,000 files."""
    return forked(lambda start, stop: stat_files(directories, start, stop), total)


Work = Callable[[int, int], "array[int]"]  # the WIDTH numbers of items start..stop


def forked(work: Work, total: int) -> array[int] | None:
    """``work(0, total)``, shared out in contiguous parts between this process and forked
    children (one per CPU, at most four).

    A child only does its part of the work (stat calls), sends its numbers over a pipe once
    it is done, and leaves with ``os._exit``: it never touches the database or the output.
    Returns None when that fails in any way; the caller then does the work alone.
    """
    shares = min(process_count(), _MAX_SHARES)
    bounds = [total * share // shares for share in range(shares + 1)]
    children: list[tuple[int, int]] = []  # (pid, read end)
    try:
        for share in range(1, shares):
            child = _fork_share(work, bounds[share], bounds[share + 1])
            if child is None:
                return None
            children.append(child)
        numbers = work(bounds[0], bounds[1])
        for share, (pid, read_end) in enumerate(children, start=1):
            data = _read_all(read_end)
            os.close(read_end)
            _, status = os.waitpid(pid, 0)
            children[share - 1] = (0, -1)
            expected = (bounds[share + 1] - bounds[share]) * WIDTH * numbers.itemsize
            if status != 0 or len(data) != expected:
                return None
            numbers.frombytes(data)
        return numbers
    finally:
        _reap([child for child in children if child[0]])


def _fork_share(work: Work, start: int, stop: int) -> tuple[int, int] | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        child = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if child == 0:  # pragma: no cover - the child process (its result is tested)
        status = 1
        try:
            gc.disable()  # a short life: spare copying the parent's memory pages
            os.close(read_end)
            message = memoryview(work(start, stop).tobytes())
            while message:
                message = message[os.write(write_end, message):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return child, read_end


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _reap(children: list[tuple[int, int]]) -> None:
    """Stop and wait for children whose share was not read (an error or an interrupt): do
    not wait for a child stuck on a slow file system."""
    for pid, read_end in children:
        with contextlib.suppress(OSError):
            os.close(read_end)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


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
                    rel, reason = _escaped(rel), NOT_UTF8
                if unchanged is None or not unchanged(rel, (mtime, size, inode)):
                    yield rel, full, folder, mtime, size, inode, reason


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept as surrogate escapes
        return False
    return True


def _escaped(name: str) -> str:
    """A name that is not valid UTF-8, with its stray bytes written ``\\xNN``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def skip_reason(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return SYMLINK if stat.S_ISLNK(mode) else NOT_REGULAR


def _first_of_each(found: list[Found]) -> list[Found]:
    """``found`` without the second sighting of a file (under its first folder only)."""
    seen: set[str] = set()
    unique = []
    for item in found:
        if item[0] not in seen:
            seen.add(item[0])
            unique.append(item)
    return unique
