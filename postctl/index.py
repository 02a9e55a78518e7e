"""The site index: a SQLite cache of every post's front matter, shared by list, lint and search.

One database per site root, in the user cache folder (``$POSTCTL_CACHE_DIR`` if set, else
``platformdirs.user_cache_dir("postctl")``), named ``site-<hash of the resolved root>.sqlite``.
Nothing is written into the site. The index is only ever a cache: every command that reads
many posts first calls :meth:`SiteIndex.refresh`, which walks the post folders once
(``os.scandir``) and re-reads only the files whose ``(size, mtime_ns, inode)`` changed,
dropping the rows of deleted files. When nothing changed, the walk's count and fingerprint
of the stamps equal the stored ones (``meta.files``) and the stored stamps are not even
read. On Linux with two CPUs or more, a site of 5,000 posts or more has the walk's stat
calls shared with one forked child, and 1,000 changed files or more are parsed by one
worker process per CPU (``$POSTCTL_INDEX_WORKERS`` sets how many processes; 1: none).
Results equal a fresh parse of the files.

Schema (version :data:`SCHEMA_VERSION`)::

    meta(key TEXT PRIMARY KEY, value TEXT)
        schema   SCHEMA_VERSION          version  postctl.__version__
        root     the resolved site root  config   hash of the settings the rows depend on
        updated  ISO time of the last change
        files    "<count> <fingerprint>" of the rows' stamps (see index.signature)
    posts(
        id INTEGER PRIMARY KEY,       -- stable: an updated file keeps its id (not a renamed one)
        path TEXT UNIQUE NOT NULL,    -- relative to the site root, '/'-separated
        mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, inode INTEGER NOT NULL,
        hash TEXT,                    -- blake2b-128 of the bytes (hex), NULL if unreadable
        error TEXT,                   -- NULL, or JSON {"message", "line", "col", "code"}
        title TEXT, slug TEXT, url TEXT,
        date TEXT,                    -- ISO 8601 with offset
        date_epoch REAL,              -- the same instant as a POSIX timestamp
        day TEXT,                     -- its calendar day in the site's time zone
        draft INTEGER NOT NULL,
        tags TEXT, categories TEXT, authors TEXT,                -- JSON arrays of strings
        tags_key TEXT, categories_key TEXT, authors_key TEXT,    -- the same, case-folded
        front_matter TEXT,            -- JSON, every key as written, dates as ISO strings
        defaults TEXT,                -- JSON of the Jekyll defaults: values it gets; NULL: none
        item TEXT                     -- the list JSON item up to "draft" (postctl.summary)
    )
    posts_date ON posts(date_epoch); posts_errors ON posts(path) WHERE error IS NOT NULL;
    posts_stamps ON posts(path, mtime_ns, size, inode)  -- read alone when files changed
    stamps(id = 0, checksum, data)   -- meta.files again and its CRC-32, rewritten with it: a
                                     -- change token for older readers (use meta.files)

Error rows keep their stamp, so a broken file is re-read only when it changes. Other
modules may add their own tables (full-text search keeps ``fts_*`` tables keyed by
``posts.id``). A schema or postctl version change, a change of the site settings the rows
depend on, or a different root rebuilds the index (every table is dropped, with a one-line
notice); a corrupt file is deleted and rebuilt. The database is in WAL mode with a busy
timeout, and writes happen in ``BEGIN IMMEDIATE`` transactions after re-checking the files
under the lock, so concurrent postctl processes never corrupt it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from postctl import __version__
from postctl.errors import PostctlError, SourceError
from postctl.query import Filters, Sort
from postctl.site import PostFolder, Site
from postctl.summary import Summary, join_item

SCHEMA_VERSION = 4
BUSY_TIMEOUT_SECONDS = 60.0
CHECKPOINT_MIN_ROWS = 1000
CACHE_ENV = "POSTCTL_CACHE_DIR"

Notice = Callable[[str], None]
Progress = Callable[[int, int], None]

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    hash TEXT,
    error TEXT,
    title TEXT,
    slug TEXT,
    url TEXT,
    date TEXT,
    date_epoch REAL,
    day TEXT,
    draft INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    authors TEXT NOT NULL DEFAULT '[]',
    tags_key TEXT NOT NULL DEFAULT '[]',
    categories_key TEXT NOT NULL DEFAULT '[]',
    authors_key TEXT NOT NULL DEFAULT '[]',
    front_matter TEXT NOT NULL DEFAULT '{}',
    defaults TEXT,
    item TEXT
);
CREATE INDEX posts_date ON posts (date_epoch);
CREATE INDEX posts_errors ON posts (path) WHERE error IS NOT NULL;
CREATE INDEX posts_stamps ON posts (path, mtime_ns, size, inode);
CREATE TABLE stamps (id INTEGER PRIMARY KEY CHECK (id = 0), checksum INTEGER NOT NULL,
                     data BLOB NOT NULL);
"""
_ROW_COLUMNS = (
    "path", "mtime_ns", "size", "inode", "hash", "error", "title", "slug", "url", "date",
    "date_epoch", "day", "draft", "tags", "categories", "authors", "tags_key",
    "categories_key", "authors_key", "front_matter", "defaults", "item",
)
_UPSERT = (
    f"INSERT INTO posts ({', '.join(_ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_ROW_COLUMNS))}) ON CONFLICT(path) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _ROW_COLUMNS[1:])
)
_SUMMARY_COLUMNS = (
    "posts.path, posts.slug, posts.url, posts.title, posts.date, posts.date_epoch, posts.day, "
    "posts.draft, posts.tags, posts.categories, posts.authors, posts.front_matter, "
    "posts.defaults, posts.item"
)
SUMMARY_COLUMNS = _SUMMARY_COLUMNS  # the columns summary_from_row() reads, in its order
_CORRUPT_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


class IndexUnavailable(PostctlError):
    """The index cannot be used here (cache folder not writable, database locked...)."""


@dataclass(frozen=True)
class RefreshStats:
    scanned: int  # post files found
    updated: int  # rows written (new or changed files)
    removed: int  # rows dropped (deleted files)
    errors: int  # posts in the index that could not be parsed


@dataclass(frozen=True)
class IndexedPost:
    """One row of the index: the file's stamp and either its summary or its parse error."""

    id: int
    path: str  # relative to the site root, '/'-separated
    file: Path
    mtime_ns: int
    size: int
    inode: int
    hash: str | None
    summary: Summary | None
    error: SourceError | None

    @property
    def front_matter_json(self) -> str | None:
        return self.summary.fm_json if self.summary is not None else None


def cache_dir() -> Path:
    """``$POSTCTL_CACHE_DIR`` if set, else the per-user cache folder of the platform."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("postctl", appauthor=False))


def index_file(root: Path) -> Path:
    """The database of the site at ``root``: named by a 64-bit hash of the resolved path."""
    import zlib

    name = str(root.resolve()).encode("utf-8", "surrogateescape")
    return cache_dir() / f"site-{zlib.crc32(name):08x}{zlib.adler32(name):08x}.sqlite"


def config_fingerprint(site: Site) -> str:
    """Every setting the stored rows depend on, as text; a change rebuilds the index."""
    config = site.config
    return repr((
        str(site.root), site.flavour, str(site.tz), config.permalink, config.content_dir,
        config.jekyll_defaults, site.folders, config.limits,
    ))


def open_index(site: Site, *, rebuild: bool = False, notice: Notice | None = None) -> SiteIndex:
    """Open (creating or rebuilding as needed) the index of ``site``.

    ``notice`` receives one-line messages about rebuilds. Raises IndexUnavailable when the
    cache folder or database cannot be used; callers then read the files directly.
    """
    path = index_file(site.root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"cannot create the cache folder {path.parent}: "
                               f"{exc.strerror or exc}") from None
    try:
        return _open(site, path, rebuild, notice)
    except sqlite3.DatabaseError as exc:
        if not _is_corrupt(exc):
            raise IndexUnavailable(f"cannot use the site index {path}: {exc}") from None
        if notice:
            notice(f"the site index {path} is damaged ({exc}); rebuilding it")
        remove_files(path)
        try:
            return _open(site, path, True, None)
        except sqlite3.DatabaseError as again:
            raise IndexUnavailable(f"cannot use the site index {path}: {again}") from None


def _open(site: Site, path: Path, rebuild: bool, notice: Notice | None) -> SiteIndex:
    connection = _connect(path)
    try:
        index = SiteIndex(site, path, connection)
        index.prepare(rebuild, notice)
    except BaseException:
        connection.close()
        raise
    return index


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                 check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if not mode or str(mode[0]).lower() != "wal":
        connection.close()
        raise sqlite3.OperationalError("cannot switch the database to WAL mode")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def remove_files(path: Path) -> None:
    """Delete a database and its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise IndexUnavailable(f"cannot delete the damaged index {path}: "
                                   f"{exc.strerror}") from None


_POST_SUFFIXES = (".md", ".markdown")  # postctl.post.POST_EXTENSIONS (a test holds them equal)
_BUNDLE_INDEXES = ("index.md", "index.markdown")
_SYMLINK = "is a symbolic link; skipped"
_NOT_REGULAR = "is not a regular file; skipped"

# A file found by the walk: (rel, path, folder, mtime_ns, size, inode, skip reason).
_Found = tuple[str, str, PostFolder, int, int, int, str | None]


def walk_stamps(
    folder: PostFolder, path: str
) -> Iterator[tuple[str, int, int, int, str | None]]:
    """``scan.iter_post_files`` for one folder, lean: (path, mtime_ns, size, inode, skip
    reason) tuples, unsorted, without importing the post parser (a test holds the two equal).
    """
    groups = _post_names(folder, path, _Relative(0, None))
    for _, entry_path, _, mtime, size, inode, reason in _files(groups, [_stat_files(groups)]):
        yield entry_path, mtime, size, inode, reason


def _ignored(name: str, hugo: bool) -> bool:
    """Names the walk skips, as ``scan`` does: hidden ones, Hugo's ``_index`` pages, and
    what Jekyll's EntryFilter ignores (a leading ``_`` or ``#``, a trailing ``~``)."""
    if hugo:
        return name.startswith(".") or name.startswith("_index.")
    return name.startswith((".", "_", "#")) or name.endswith("~")


@dataclass(frozen=True)
class _Relative:
    """How the walk names a file: ``path[cut:]``, or ``convert(path)`` when given."""

    cut: int
    convert: Callable[[str], str] | None


@dataclass(frozen=True)
class _Names:
    """The post files of one directory, by name (found without a stat)."""

    folder: PostFolder
    directory: str  # with a trailing separator
    names: list[str]
    relative: _Relative


def _post_names(folder: PostFolder, top: str, relative: _Relative) -> list[_Names]:
    """Every directory under ``top`` with the names of its post files. Links are not
    followed; ``scandir`` tells folders from files without a stat."""
    hugo = folder.hugo
    found = []
    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            scanner = os.scandir(directory)
        except OSError:
            continue
        names = []
        with scanner:
            entries: Iterable[os.DirEntry[str]] = scanner
            if hugo:  # a page bundle: only its index file is a post
                entries = list(scanner)
                if any(entry.name in _BUNDLE_INDEXES for entry in entries):
                    entries = [entry for entry in entries if entry.name in _BUNDLE_INDEXES]
            for entry in entries:
                name = entry.name
                if _ignored(name, hugo):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif name.endswith(_POST_SUFFIXES):
                    names.append(name)
        if names:
            found.append(_Names(folder, directory + os.sep, names, relative))
    return found


_Share = tuple[int, int, list[int]]  # files, fingerprint sum, (mtime_ns, size, inode, mode)*


def _stat_files(groups: list[_Names], share: int = 0, shares: int = 1) -> _Share:
    """Stat the files named in ``groups`` (every ``shares``-th one, from the ``share``-th,
    counting across the groups): (files, fingerprint sum, their stamps and modes, four
    numbers a file in walk order).

    The stat is the file's own (``lstat``); a file gone since its directory was read gets
    mode 0 and is left out. Only numbers are kept: :func:`_files` makes the records."""
    crc32, adler32, lstat = zlib.crc32, zlib.adler32, os.lstat
    count = total = 0
    stamps: list[int] = []
    record = stamps.extend
    before = 0  # files named in the groups before this one: the numbering runs across them
    for group in groups:
        directory = group.directory
        cut, convert = group.relative.cut, group.relative.convert
        names = group.names
        if shares > 1:
            names, before = names[(share - before) % shares :: shares], before + len(names)
        for name in names:
            path = directory + name
            try:
                info = lstat(path)
            except OSError:
                record(_GONE)
                continue
            rel = path[cut:] if convert is None else convert(path)
            mtime, size, inode = info.st_mtime_ns, info.st_size, info.st_ino
            record((mtime, size, inode, info.st_mode))
            # file_print(), inline: this loop runs for every post of the site
            key = rel.encode("utf-8", "surrogateescape")
            mixed = hash((crc32(key), adler32(key), mtime, size, inode)) & _MASK
            mixed = ((mixed ^ (mixed >> 33)) * _MIX1) & _MASK
            mixed = ((mixed ^ (mixed >> 33)) * _MIX2) & _MASK
            total += mixed ^ (mixed >> 33)
            count += 1
    return count, total, stamps


_GONE = (0, 0, 0, 0)  # no file has mode 0


def _files(
    groups: list[_Names], shares: list[_Share],
    unchanged: Callable[[str, tuple[int, int, int]], bool] | None = None,
) -> Iterator[_Found]:
    """The files the shares of a walk found, in walk order, as records; only those whose
    (path, stamp) is not ``unchanged`` when that is given."""
    records = [iter(stamps) for _, _, stamps in shares]
    parts = len(records)
    number = 0  # across the groups, as _stat_files shares the files out
    for group in groups:
        folder, directory = group.folder, group.directory
        cut, convert = group.relative.cut, group.relative.convert
        for name in group.names:
            numbers = records[number % parts]
            number += 1
            mtime, size, inode, mode = next(numbers), next(numbers), next(numbers), next(numbers)
            if mode:
                path = directory + name
                rel = path[cut:] if convert is None else convert(path)
                if unchanged is None or not unchanged(rel, (mtime, size, inode)):
                    yield rel, path, folder, mtime, size, inode, _skip_reason(mode)


def _forked_stat(groups: list[_Names]) -> list[_Share] | None:
    """``[_stat_files(groups)]``, with the stat calls shared between this process and one
    forked child: the two shares. On two CPUs that takes about 0.65x the time for 100,000
    files.

    The child only stats and hashes, sends its numbers over a pipe once it is done, and
    leaves with ``os._exit``: it never touches the database or the output. Returns None
    when that fails in any way; the caller then does the work alone.
    """
    import marshal

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
            import gc

            gc.disable()  # a short life: spare copying the parent's memory pages
            os.close(read_end)
            message = memoryview(marshal.dumps(_stat_files(groups, 1, 2)))
            while message:
                message = message[os.write(write_end, message):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    done = False
    try:
        mine = _stat_files(groups, 0, 2)
        chunks = []
        while chunk := os.read(read_end, 1 << 20):
            chunks.append(chunk)
        done = True
    finally:
        os.close(read_end)
        if not done:  # interrupted: do not wait for a child stuck on a slow file system
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
    try:
        theirs = marshal.loads(b"".join(chunks))
    except (ValueError, EOFError, TypeError):
        return None
    if status != 0 or not _is_share(theirs):
        return None
    return [mine, theirs]


def _is_share(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 3
            and isinstance(value[0], int) and isinstance(value[1], int)
            and isinstance(value[2], list) and len(value[2]) % 4 == 0)


def _may_fork_walk(expected_files: int) -> bool:
    """Whether to share the walk's stat calls with a forked child: on Linux, with two
    CPUs or more (and ``$POSTCTL_INDEX_WORKERS`` not 1), many files, and no other thread
    in this process (forking a threaded process is not safe)."""
    if expected_files < FORKED_WALK_MIN_FILES or process_count() < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _skip_reason(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return _SYMLINK if stat.S_ISLNK(mode) else _NOT_REGULAR


def file_print(rel: str, mtime_ns: int, size: int, inode: int) -> int:
    """A file's part of the index's fingerprint: a 64-bit hash of its path and stamp, the
    same in every process (the path goes through CRC-32 and Adler-32: ``hash()`` of a string
    changes from one run to the next).

    ``hash()`` of the tuple is then mixed with MurmurHash3's finalizer: the tuple hash is
    nearly linear in its items, so that a plain sum over the files would often stay the same
    when two files exchange their stamps (say, their inodes).
    """
    name = rel.encode("utf-8", "surrogateescape")
    mixed = hash((zlib.crc32(name), zlib.adler32(name), mtime_ns, size, inode)) & _MASK
    mixed = ((mixed ^ (mixed >> 33)) * _MIX1) & _MASK
    mixed = ((mixed ^ (mixed >> 33)) * _MIX2) & _MASK
    return mixed ^ (mixed >> 33)


def signature(count: int, total: int) -> str:
    """How ``meta.files`` records a set of stamps: their count and fingerprint (the sum of
    their :func:`file_print` values, modulo 2**64: the order of the files does not matter)."""
    return f"{count} {total & _MASK:016x}"


_MASK = (1 << 64) - 1
_MIX1, _MIX2 = 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53  # MurmurHash3's fmix64


@dataclass(frozen=True)
class _Walk:
    """What one walk of the post folders found."""

    groups: list[_Names]
    shares: list[_Share]
    count: int
    signature: str
    nested: bool  # a post folder inside another: a file may be named twice

    def files(self) -> list[_Found]:
        """Every file found, with its stamp, once."""
        found = list(_files(self.groups, self.shares))
        return _first_of_each(found) if self.nested else found


def _first_of_each(found: list[_Found]) -> list[_Found]:
    """``found`` without the second sighting of a file (under its first folder only)."""
    seen: set[str] = set()
    unique = []
    for item in found:
        if item[0] not in seen:
            seen.add(item[0])
            unique.append(item)
    return unique


def _nested(folders: tuple[PostFolder, ...]) -> bool:
    """Whether a post folder is inside another (or listed twice): its files are found twice."""
    paths = [folder.path for folder in folders]
    return any(i != j and inner.is_relative_to(outer)
               for i, outer in enumerate(paths) for j, inner in enumerate(paths))


class SiteIndex:
    """An open site index. Use :func:`open_index`; close it (or use ``with``) when done."""

    def __init__(self, site: Site, path: Path, connection: sqlite3.Connection) -> None:
        self.site = site
        self.path = path
        self.connection = connection
        self._root = str(site.root)
        self._rebuilt: RefreshStats | None = None  # what a forced rebuild's fill did

    def __enter__(self) -> SiteIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    # --- meta and rebuilds ----------------------------------------------------------------

    def expected_meta(self) -> dict[str, str]:
        return {
            "schema": str(SCHEMA_VERSION),
            "version": __version__,
            "root": self._root,
            "config": config_fingerprint(self.site),
        }

    def stale_reason(self) -> str | None:
        """Why the stored index cannot be used as is, or None; "" for a new database."""
        tables = {row[0] for row in self.connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables or "posts" not in tables:
            return "" if not tables else "its tables are incomplete"
        stored = dict(self.connection.execute("SELECT key, value FROM meta").fetchall())
        expected = self.expected_meta()
        if stored.get("schema") != expected["schema"]:
            return "its format changed"
        if stored.get("version") != expected["version"]:
            return f"postctl {stored.get('version', '?')} made it, this is {__version__}"
        if stored.get("root") != expected["root"]:
            return "it belongs to another site root"
        if stored.get("config") != expected["config"]:
            return "the site's settings changed"
        return None

    def prepare(self, rebuild: bool, notice: Notice | None) -> None:
        reason = "" if rebuild else self.stale_reason()
        if reason is None:
            return
        with self._write():
            if not rebuild:  # another process may have rebuilt it while we waited
                reason = self.stale_reason()
                if reason is None:
                    return
            if reason and notice:
                notice(f"rebuilding the site index: {reason}")
            self._reset()
            if rebuild:
                # Fill it in the same transaction: a process reading the index it replaces
                # never sees it empty.
                self._rebuilt = self.refresh()

    def _reset(self) -> None:
        execute = self.connection.execute
        objects = execute("SELECT type, name, sql FROM sqlite_master "
                          "WHERE name NOT LIKE 'sqlite_%'").fetchall()
        virtual = [name for kind, name, sql in objects
                   if kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL")]
        for name in virtual:
            execute(f'DROP TABLE IF EXISTS "{name}"')
        remaining = execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                            " AND type IN ('table', 'view')").fetchall()
        for kind, name in remaining:
            execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                execute(statement)
        meta = {**self.expected_meta(), "updated": _now_iso(), "files": signature(0, 0)}
        self.connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())

    class _Transaction:
        def __init__(self, connection: sqlite3.Connection) -> None:
            self.connection = connection

        def __enter__(self) -> None:
            self.outermost = not self.connection.in_transaction
            if self.outermost:  # a nested write joins the transaction already open
                self.connection.execute("BEGIN IMMEDIATE")

        def __exit__(self, kind: object, value: object, traceback: object) -> None:
            if not self.outermost:
                return
            if kind is None:
                self.connection.execute("COMMIT")
            else:
                self.connection.execute("ROLLBACK")

    def _write(self) -> SiteIndex._Transaction:
        return SiteIndex._Transaction(self.connection)

    # --- refresh --------------------------------------------------------------------------

    def refresh(self, progress: Progress | None = None) -> RefreshStats:
        """Bring the index up to date with the files; return what was done.

        When the walk's count and fingerprint of the stamps equal the stored ones
        (``meta.files``), nothing changed and the stored stamps are not even read. The walk
        keeps only numbers; records of the files are made when something changed.
        """
        if self._rebuilt is not None:  # the rebuild just read every file: report that
            stats, self._rebuilt = self._rebuilt, None
            return stats
        version = self._data_version()
        stored = self._stored_signature()
        expected = int(stored.split()[0]) if stored and stored.split()[0].isdigit() else 0
        walk = self._walk(expected)
        if walk.signature == stored:
            return RefreshStats(walk.count, 0, 0, self.error_count())
        changed, removed = self._changes(walk)
        with self._write():
            if self._data_version() != version:
                # Another process wrote meanwhile (it may have done the work): look again.
                walk = self._walk(expected)
                changed, removed = self._changes(walk)
            if changed or removed:
                self._apply(changed, removed, progress, walk)
            elif walk.signature != self._stored_signature():
                self._save_signature(walk)  # the rows are current, their signature was not
        big = len(changed) + len(removed) >= CHECKPOINT_MIN_ROWS
        if big and not self.connection.in_transaction:
            # Move the big write out of the WAL now, so later reads find it in place.
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return RefreshStats(walk.count, len(changed), len(removed), self.error_count())

    def _walk(self, expected_files: int = 0) -> _Walk:
        """Every post file's stamp, and their signature (see :func:`signature`);
        ``expected_files`` is how many there were last time."""
        inside = self._root + os.sep
        folders = self.site.folders
        groups: list[_Names] = []
        for folder in folders:
            top = str(folder.path)
            plain = top.startswith(inside) and os.sep == "/"
            groups += _post_names(folder, top,
                                  _Relative(len(inside), None if plain else self._relative))
        nested = len(folders) > 1 and _nested(folders)
        shares = None
        if not nested and _may_fork_walk(expected_files):
            shares = _forked_stat(groups)
        if shares is None:
            shares = [_stat_files(groups)]
        count = sum(files for files, _, _ in shares)
        total = sum(part for _, part, _ in shares)
        walk = _Walk(groups, shares, count, signature(count, total), nested)
        if nested:  # a file under two folders counts once, under the first
            found = walk.files()
            total = sum(file_print(rel, mtime, size, inode)
                        for rel, _, _, mtime, size, inode, _ in found)
            walk = _Walk(groups, shares, len(found), signature(len(found), total), nested)
        return walk

    def _stored_signature(self) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'files'").fetchone()
        return str(row[0]) if row else None

    def _stamps(self) -> dict[str, tuple[int, int, int]]:
        """path -> (mtime_ns, size, inode) of every row (read only when something changed)."""
        return {
            path: (mtime, size, inode)
            for path, mtime, size, inode in self.connection.execute(
                "SELECT path, mtime_ns, size, inode FROM posts")
        }

    def _save_signature(self, walk: _Walk) -> None:
        """Store the signature of the rows' stamps (``meta.files``).

        It is the walk's: the rows were just made equal to it (every changed row got the
        walk's stamp, every row of a file the walk did not find was deleted), which spares
        reading 100,000 rows back; a test holds the two equal.
        """
        execute = self.connection.execute
        execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('files', ?)",
                (walk.signature,))
        token = walk.signature.encode("ascii")
        execute("INSERT OR REPLACE INTO stamps (id, checksum, data) VALUES (0, ?, ?)",
                (zlib.crc32(token), token))

    def _data_version(self) -> int:
        """SQLite's counter of commits by other connections (PRAGMA data_version)."""
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def _changes(self, walk: _Walk) -> tuple[list[tuple[str, Any]], list[str]]:
        """(changed or new files as (rel, PostFile) by path, paths of deleted rows)."""
        stored = self._stamps()
        pop = stored.pop
        if walk.nested:
            changed = [item for item in walk.files() if pop(item[0], None) != item[3:6]]
        else:  # records only for the changed files
            changed = list(_files(walk.groups, walk.shares,
                                  lambda rel, stamp: pop(rel, None) == stamp))
        if not changed:
            return [], list(stored)
        from postctl.scan import PostFile

        # Rows go in by path: Jekyll names start with the date, so the table is stored
        # roughly in date order and a listing by date reads it sequentially.
        changed.sort(key=lambda item: item[0])
        return ([(rel, PostFile(path, folder, mtime, size, inode, reason))
                 for rel, path, folder, mtime, size, inode, reason in changed], list(stored))

    def _relative(self, path: str) -> str:
        root = self._root
        if path.startswith(root) and path[len(root) : len(root) + 1] == os.sep:
            rel = path[len(root) + 1 :]
            return rel.replace(os.sep, "/") if os.sep != "/" else rel
        return self.site.relative(Path(path))

    def _apply(
        self, changed: list[tuple[str, Any]], removed: list[str], progress: Progress | None,
        walk: _Walk,
    ) -> None:
        connection = self.connection
        hashes = self._stored_hashes([rel for rel, _ in changed])
        total = len(changed)
        stamps: list[tuple[int, int, int, str]] = []

        def rows() -> Iterator[tuple[Any, ...]]:
            built = _build_rows(self.site, changed, hashes)
            for done, ((rel, found), row) in enumerate(zip(changed, built, strict=True), start=1):
                if row is None:  # same bytes: only the stamp changed
                    stamps.append((found.mtime_ns, found.size, found.inode, rel))
                else:
                    yield row
                if progress is not None and (done % 64 == 0 or done == total):
                    progress(done, total)

        connection.executemany(_UPSERT, rows())
        connection.executemany(
            "UPDATE posts SET mtime_ns = ?, size = ?, inode = ? WHERE path = ?", stamps)
        connection.executemany("DELETE FROM posts WHERE path = ?", ((rel,) for rel in removed))
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('updated', ?)",
                           (_now_iso(),))
        self._save_signature(walk)

    def _stored_hashes(self, paths: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(self.connection.execute(
                f"SELECT path, hash FROM posts WHERE hash IS NOT NULL AND error IS NULL "
                f"AND path IN ({marks})", chunk).fetchall())
        return found

    # --- reading --------------------------------------------------------------------------

    def error_count(self) -> int:
        row = self.connection.execute("SELECT COUNT(*) FROM posts WHERE error IS NOT NULL")
        return int(row.fetchone()[0])

    def count(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0])

    def errors(self) -> list[SourceError]:
        """The posts that could not be parsed, by path."""
        rows = self.connection.execute(
            "SELECT path, error FROM posts WHERE error IS NOT NULL ORDER BY path")
        return [self._error(path, text) for path, text in rows]

    def _error(self, rel: str, text: str) -> SourceError:
        data = json.loads(text)
        return SourceError(self.site.root / rel, data["message"], data.get("line"),
                           data.get("col"), code=data.get("code", "E001"))

    def posts(self) -> Iterator[IndexedPost]:
        """Every row, by path: stamps with either a Summary or a SourceError."""
        rows = self.connection.execute(
            f"SELECT posts.id, posts.mtime_ns, posts.size, posts.inode, posts.hash, posts.error,"
            f" {_SUMMARY_COLUMNS} FROM posts ORDER BY posts.path")
        root = self.site.root
        for row in rows:
            ident, mtime, size, inode, digest, error = row[:6]
            rel = row[6]
            yield IndexedPost(
                id=ident, path=rel, file=root / rel, mtime_ns=mtime, size=size, inode=inode,
                hash=digest,
                summary=None if error else summary_from_row(row[6:]),
                error=self._error(rel, error) if error else None,
            )

    def summaries(
        self, filters: Filters, sort: Sort, limit: int | None = None
    ) -> Iterator[Summary]:
        """The posts that pass ``filters``, in ``sort`` order (ties by path)."""
        from postctl import query

        condition, params = query.sql_conditions(filters)
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM posts WHERE {condition}"
        order = sort.sql
        if order:
            sql += f" ORDER BY {order}"
            if limit is not None and not filters.where:
                sql += " LIMIT ?"
                params.append(limit)
        found: Iterator[Summary] = (
            summary_from_row(row) for row in self.connection.execute(sql, params))
        if filters.where:
            budget = query.RegexBudget()
            found = (s for s in found
                     if all(query.where_matches(w, s, budget) for w in filters.where))
        if order:
            return _take(found, limit)
        return query.ordered(found, sort, self.site.tz, filters.now, limit)

    def item_json(self, filters: Filters, sort: Sort, limit: int | None = None) -> Iterator[str]:
        """The JSON items (see postctl.summary) of the matching posts.

        Straight from SQL, without building a Summary per row, when the filters have no
        ``--where`` and the index can order by the sort key (``Sort.sql``).
        """
        order = sort.sql
        if filters.where or not order:
            now = filters.now
            return (s.item_json(now) for s in self.summaries(filters, sort, limit))
        return self._item_json(filters, order, limit)

    def _item_json(self, filters: Filters, order: str, limit: int | None) -> Iterator[str]:
        from postctl import query

        condition, params = query.sql_conditions(filters)
        sql = (f"SELECT posts.item, posts.date_epoch, posts.front_matter FROM posts "
               f"WHERE {condition} ORDER BY {order}")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        now = filters.now
        for head, epoch, fm_json in self.connection.execute(sql, params):
            yield join_item(head, epoch is not None and epoch > now, fm_json)

    def term_counts(self, column: str, filters: Filters) -> dict[str, int]:
        """How many matching posts carry each exact tag/category/author (column name)."""
        from postctl import query

        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        condition, params = query.sql_conditions(filters)
        rows = self.connection.execute(
            f"SELECT term.value, COUNT(*) FROM posts, json_each(posts.{column}) AS term "
            f"WHERE {condition} GROUP BY term.value", params)
        return {str(name): int(count) for name, count in rows}

    def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int:
        """How many matching posts carry at least one of ``names`` in ``column``."""
        from postctl import query

        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        condition, params = query.sql_conditions(filters)
        marks = ", ".join("?" * len(names))
        row = self.connection.execute(
            f"SELECT COUNT(*) FROM posts WHERE {condition} AND EXISTS (SELECT 1 FROM "
            f"json_each(posts.{column}) AS term WHERE term.value IN ({marks}))",
            [*params, *names])
        return int(row.fetchone()[0])

    def status(self) -> dict[str, Any]:
        """Facts about the index for ``postctl index --status``."""
        meta = dict(self.connection.execute("SELECT key, value FROM meta").fetchall())
        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.stat(f"{self.path}{suffix}").st_size
            except OSError:
                pass
        return {
            "location": str(self.path),
            "root": str(self.site.root),
            "posts": self.count(),
            "errors": self.error_count(),
            "size": size,
            "updated": meta.get("updated"),
            "schema": int(meta.get("schema", SCHEMA_VERSION)),
            "version": meta.get("version"),
        }


def _take(items: Iterator[Summary], limit: int | None) -> Iterator[Summary]:
    if limit is None:
        return items
    import itertools

    return itertools.islice(items, limit)


def summary_from_row(row: tuple[Any, ...]) -> Summary:
    """A Summary from the ``_SUMMARY_COLUMNS`` of a row."""
    (path, slug, url, title, date, epoch, day, draft, tags, categories, authors, fm_json,
     defaults, item) = row
    summary = Summary(
        path=path, slug=slug, url=url, title=title, date_iso=date, epoch=epoch, day=day,
        draft=bool(draft), tags=tuple(json.loads(tags)), categories=tuple(json.loads(categories)),
        authors=tuple(json.loads(authors)), fm_json=fm_json, defaults_json=defaults,
    )
    if item is not None:
        summary.__dict__["head_json"] = item  # the cached_property's stored value
    return summary


PARALLEL_MIN_FILES = 1000  # fewer changed files than this are parsed in this process
FORKED_WALK_MIN_FILES = 5000  # fewer files than this are checked in this process
_CHUNK = 250
WORKERS_ENV = "POSTCTL_INDEX_WORKERS"  # how many parsing processes (default: one per CPU)
_worker_state: dict[str, Any] = {}  # what forked workers inherit: "builder", "chunks"


def _build_rows(
    site: Site, changed: list[tuple[str, Any]], hashes: dict[str, str]
) -> Iterator[tuple[Any, ...] | None]:
    """Each changed file's row (None: unchanged bytes), in order.

    Many files are parsed by worker processes (forked, one per CPU), since parsing YAML
    is CPU-bound; the caller writes rows to the database while they work. The parser is
    imported and set up here, before the fork, so that the workers share it.
    """
    jobs = [(rel, found, hashes.get(rel)) for rel, found in changed]
    builder = _RowBuilder(site)
    workers = worker_count(len(jobs))
    if workers <= 1:
        for rel, found, old_hash in jobs:
            yield builder.row(rel, found, old_hash)
        return
    import multiprocessing

    # The workers inherit the jobs with the fork: only chunk numbers go to them.
    _worker_state.update(
        builder=builder,
        chunks=[jobs[start : start + _CHUNK] for start in range(0, len(jobs), _CHUNK)])
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers) as pool:
            for rows in pool.imap(_build_chunk, range(len(_worker_state["chunks"]))):
                yield from rows
    finally:
        _worker_state.clear()


def worker_count(files: int) -> int:
    """How many processes parse ``files`` changed files (1: this one alone)."""
    if files < PARALLEL_MIN_FILES:
        return 1
    processes = process_count()
    if processes > 1:
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            return 1
    return processes


def process_count() -> int:
    """How many processes the index may use: ``$POSTCTL_INDEX_WORKERS``, else one per CPU
    (at most 8); always 1 outside Linux, where forking is not tested."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    configured = os.environ.get(WORKERS_ENV, "")
    if configured.isdigit():
        return max(1, int(configured))
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def _build_chunk(number: int) -> list[tuple[Any, ...] | None]:
    builder = _worker_state["builder"]  # set before the fork
    return [builder.row(rel, found, old_hash)
            for rel, found, old_hash in _worker_state["chunks"][number]]


class _RowBuilder:
    """Reads and parses one changed file into an index row, in one pass."""

    def __init__(self, site: Site) -> None:
        from hashlib import blake2b

        from postctl.reading import read_post_bytes
        from postctl.scan import PostLoader
        from postctl.summary import parse_for_listing, row_values

        self.site = site
        self.loader = PostLoader(site)
        self.max_file_bytes = site.config.limits.max_file_bytes
        self.max_front_matter_bytes = site.config.limits.max_front_matter_bytes
        self.blake2b = blake2b
        self.read = read_post_bytes
        self.parse = parse_for_listing
        self.values = row_values
        # Without Jekyll defaults: scopes, a file's context depends on its folder alone.
        self.per_folder = not site.config.jekyll_defaults
        self.contexts: dict[PostFolder, PostContext] = {}

    def context(self, path: Path, folder: PostFolder) -> PostContext:
        if not self.per_folder:
            return self.loader.context(path, folder)
        context = self.contexts.get(folder)
        if context is None:
            context = self.contexts[folder] = self.loader.context(path, folder)
        return context

    def row(self, rel: str, found: Any, old_hash: str | None) -> tuple[Any, ...] | None:
        path = Path(found.path)
        stamp = (rel, found.mtime_ns, found.size, found.inode)
        if found.skip_reason:
            return _error_row(stamp, None, SourceError(path, found.skip_reason, code="E008"))
        try:
            raw = self.read(path, self.max_file_bytes)
        except SourceError as exc:
            return _error_row(stamp, None, exc)
        digest = self.blake2b(raw, digest_size=16).hexdigest()
        if old_hash is not None and digest == old_hash:
            return None
        try:
            context = self.context(path, found.folder)
            post = self.parse(raw, path, context, self.max_front_matter_bytes)
        except SourceError as exc:
            return _error_row(stamp, digest, exc)
        return (*stamp, digest, None, *self.values(post, self.site, context.defaults))


def _error_row(stamp: tuple[Any, ...], digest: str | None, error: SourceError) -> tuple[Any, ...]:
    detail = json.dumps({"message": error.message, "line": error.line, "col": error.col,
                         "code": error.code})
    empty = "[]"
    return (*stamp, digest, detail, None, None, None, None, None, None, 0,
            empty, empty, empty, empty, empty, empty, "{}", None, None)


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()



# --- one interface for the index and the files read directly ---------------------------------

if TYPE_CHECKING:
    from postctl.post import PostContext

    class Catalog(Protocol):
        """What list, tags and categories read: the index, or the files read directly."""

        def summaries(
            self, filters: Filters, sort: Sort, limit: int | None = None
        ) -> Iterator[Summary]: ...

        def item_json(
            self, filters: Filters, sort: Sort, limit: int | None = None
        ) -> Iterator[str]: ...

        def errors(self) -> list[SourceError]: ...

        def term_counts(self, column: str, filters: Filters) -> dict[str, int]: ...

        def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int: ...

        def close(self) -> None: ...


class DirectRead:
    """The Catalog interface over the files themselves (``--no-cache``, or no usable index).

    ``errors()`` is complete once a query has been consumed.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self._errors: dict[str, SourceError] = {}

    def _scan(self) -> Iterator[Summary]:
        from postctl.summary import scan_summaries

        for found in scan_summaries(self.site):
            if isinstance(found, SourceError):
                self._errors[str(found.path)] = found
            else:
                yield found

    def summaries(
        self, filters: Filters, sort: Sort, limit: int | None = None
    ) -> Iterator[Summary]:
        from postctl import query

        chosen = query.select(self._scan(), filters)
        return query.ordered(chosen, sort, self.site.tz, filters.now, limit)

    def item_json(self, filters: Filters, sort: Sort, limit: int | None = None) -> Iterator[str]:
        now = filters.now
        return (summary.item_json(now) for summary in self.summaries(filters, sort, limit))

    def errors(self) -> list[SourceError]:
        return [self._errors[key] for key in sorted(self._errors)]

    def _term_lists(self, column: str, filters: Filters) -> Iterator[tuple[str, ...]]:
        from postctl import query

        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        for summary in query.select(self._scan(), filters):
            yield getattr(summary, column)

    def term_counts(self, column: str, filters: Filters) -> dict[str, int]:
        counts: dict[str, int] = {}
        for names in self._term_lists(column, filters):
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        return counts

    def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int:
        wanted = set(names)
        return sum(1 for found in self._term_lists(column, filters) if wanted & set(found))

    def close(self) -> None:
        pass


def open_catalog(
    site: Site,
    *,
    no_cache: bool = False,
    notice: Notice | None = None,
    warn: Notice | None = None,
    progress: Progress | None = None,
) -> Catalog:
    """The refreshed site index, or the files read directly when ``no_cache`` or when the
    index cannot be used (``warn`` gets a one-line reason; nothing is raised)."""
    if no_cache:
        return DirectRead(site)
    reason = ""
    for attempt in (1, 2):
        index: SiteIndex | None = None
        try:
            index = open_index(site, rebuild=attempt == 2, notice=notice)
            index.refresh(progress)
            return index
        except IndexUnavailable as exc:
            reason = str(exc)
        except sqlite3.DatabaseError as exc:  # damage found while reading, or locked too long
            if index is not None:
                index.close()
            reason = f"cannot use the site index: {exc}"
            if attempt == 1 and _is_corrupt(exc):
                if notice:
                    notice(f"the site index is damaged ({exc}); rebuilding it")
                try:
                    remove_files(index_file(site.root))
                except IndexUnavailable as removal:
                    reason = str(removal)
                    break
                continue
        break
    if warn:
        warn(f"{reason}; reading the files directly")
    return DirectRead(site)
