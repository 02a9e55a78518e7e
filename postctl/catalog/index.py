"""The site index: a SQLite cache of every post's front matter, shared by list, lint and search.

One database per site root, in the user cache folder (``$POSTCTL_CACHE_DIR`` if set, else
``platformdirs.user_cache_dir("postctl")``), named ``site-<hash of the resolved root>.sqlite``.
Nothing is written into the site. The index is only ever a cache: every command that reads
many posts first calls :meth:`SiteIndex.refresh`, which walks the post folders once
(:mod:`postctl.site.walk`) and re-reads only the files whose ``(size, mtime_ns, inode)``
changed, dropping the rows of deleted files. When nothing changed, the walk's signature
equals the stored one (``meta.files``) and the stored stamps are not even read. Changed
files become rows in :mod:`postctl.catalog.rows` (in worker processes when there are many);
results equal a fresh parse of the files. :mod:`postctl.catalog.reader` puts the index and a
direct read of the files behind one interface.

Schema (version :data:`SCHEMA_VERSION`)::

    meta(key TEXT PRIMARY KEY, value TEXT)
        schema   SCHEMA_VERSION          version  postctl.__version__
        root     the resolved site root  config   hash of the settings the rows depend on
        updated  ISO time of the last change
        files    the signature of the walk the rows equal (see postctl.site.walk)
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
        item TEXT                     -- the list JSON item up to "draft" (postctl.catalog.summary)
    )
    posts_date ON posts(date_epoch); posts_errors ON posts(path) WHERE error IS NOT NULL;
    posts_stamps ON posts(path, mtime_ns, size, inode)  -- read alone when files changed
    stamps(id = 0, checksum, data)   -- meta.files again and its CRC-32, rewritten with it: a
                                     -- change token for older readers (use meta.files)
    listings(path, dev, inode, mtime_ns, ctime_ns, names, folders)
        -- postctl.site.walk.Listings: each post directory's stamp and names when last read
        -- (path and names as UTF-8 with surrogate escapes, names NUL-separated)

Error rows keep their stamp, so a broken file is re-read only when it changes. Other
modules may add their own tables (full-text search keeps ``fts_*`` tables keyed by
``posts.id``). A schema or postctl version change, a change of the site settings the rows
depend on, or a different root rebuilds the index (every table is dropped, with a one-line
notice); a corrupt file is deleted and rebuilt. The database is in WAL mode with a busy
timeout, and writes happen in ``BEGIN IMMEDIATE`` transactions after re-checking the files
under the lock, so concurrent postctl processes never corrupt it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postctl.catalog.query import Filters, Sort
from postctl.catalog.rows import ROW_COLUMNS, SUMMARY_COLUMNS, build_rows, summary_from_row
from postctl.catalog.summary import Summary, join_item
from postctl.errors import PostctlError, SourceError
from postctl.site.model import Site
from postctl.site.walk import Listings, Walk, pack, walk_folders
from postctl.version import __version__

SCHEMA_VERSION = 7
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
CREATE TABLE listings (path BLOB PRIMARY KEY, dev INTEGER NOT NULL, inode INTEGER NOT NULL,
                       mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
                       names BLOB NOT NULL, folders BLOB NOT NULL);
"""
_UPSERT = (
    f"INSERT INTO posts ({', '.join(ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ROW_COLUMNS))}) ON CONFLICT(path) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in ROW_COLUMNS[1:])
)
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


def open_index(site: Site, *, rebuild: bool = False, notice: Notice | None = None,
               progress: Progress | None = None) -> SiteIndex:
    """Open (creating or rebuilding as needed) the index of ``site``.

    ``notice`` receives one-line messages about rebuilds, ``progress`` the progress of the
    fill that ``rebuild`` makes. Raises IndexUnavailable when the cache folder or database
    cannot be used; callers then read the files directly.
    """
    path = index_file(site.root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"cannot create the cache folder {path.parent}: "
                               f"{exc.strerror or exc}") from None
    try:
        return _open(site, path, rebuild, notice, progress)
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise IndexUnavailable(f"cannot use the site index {path}: {exc}") from None
        if notice:
            notice(f"the site index {path} is damaged ({exc}); rebuilding it")
        remove_files(path)
        try:
            return _open(site, path, True, None, progress)
        except sqlite3.DatabaseError as again:
            raise IndexUnavailable(f"cannot use the site index {path}: {again}") from None


def _open(site: Site, path: Path, rebuild: bool, notice: Notice | None,
          progress: Progress | None) -> SiteIndex:
    connection = _connect(path)
    try:
        index = SiteIndex(site, path, connection)
        index.prepare(rebuild, notice, progress)
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


def is_corrupt(exc: sqlite3.DatabaseError) -> bool:
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

    def prepare(self, rebuild: bool, notice: Notice | None,
                progress: Progress | None = None) -> None:
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
                self._rebuilt = self.refresh(progress)

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
        meta = {**self.expected_meta(), "updated": _now_iso(), "files": ""}
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
        listings = self._listings()
        walk = self._walk(expected, listings)
        if walk.signature == stored:
            self._keep_listings(listings)
            return RefreshStats(walk.count, 0, 0, self.error_count())
        changed, removed = self._changes(walk)
        with self._write():
            if self._data_version() != version:
                # Another process wrote meanwhile (it may have done the work): look again.
                listings = self._listings()
                walk = self._walk(expected, listings)
                changed, removed = self._changes(walk)
            self._store_listings(listings)
            if changed or removed:
                self._apply(changed, removed, progress, walk)
            elif walk.signature != self._stored_signature():
                self._save_signature(walk)  # the rows are current, their signature was not
        big = len(changed) + len(removed) >= CHECKPOINT_MIN_ROWS
        if big and not self.connection.in_transaction:
            # Move the big write out of the WAL now, so later reads find it in place.
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return RefreshStats(walk.count, len(changed), len(removed), self.error_count())

    def _walk(self, expected_files: int = 0, listings: Listings | None = None) -> Walk:
        """Every post file's stamp, and their signature; ``expected_files`` is how many
        there were last time; ``listings`` the directory listings kept."""
        return walk_folders(self.site.folders, self._root, self._relative, expected_files,
                            listings)

    def _listings(self) -> Listings:
        """The directory listings kept from the last walk."""
        return Listings(self.connection.execute(
            "SELECT path, dev, inode, mtime_ns, ctime_ns, names, folders FROM listings"))

    def _store_listings(self, listings: Listings) -> None:
        """Write what the walk changed of the kept listings (in the open transaction)."""
        execute = self.connection.execute
        for path in listings.outdated:
            execute("DELETE FROM listings WHERE path = ?", (_encoded(path),))
        self.connection.executemany(
            "INSERT OR REPLACE INTO listings (path, dev, inode, mtime_ns, ctime_ns, names, "
            "folders) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((_encoded(path), *listing.stamp, listing.packed, pack(listing.folders))
             for path, listing in listings.updated.items()))

    def _keep_listings(self, listings: Listings) -> None:
        """Store changed listings after a walk that changed nothing else, if the database
        is free now: they are only a saving, worth no wait."""
        if not listings.changed:
            return
        execute = self.connection.execute
        execute("PRAGMA busy_timeout = 0")
        try:
            with self._write():
                self._store_listings(listings)
        except sqlite3.OperationalError:
            pass  # busy or read-only: the directories are read again next time
        finally:
            execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")

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

    def _save_signature(self, walk: Walk) -> None:
        """Store the signature of the walk the rows were just made equal to (every changed
        row got the walk's stamp, every row of a file the walk did not find was deleted):
        ``meta.files``. A later walk with the same signature found the same stamps."""
        execute = self.connection.execute
        execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('files', ?)",
                (walk.signature,))
        token = walk.signature.encode("ascii")
        execute("INSERT OR REPLACE INTO stamps (id, checksum, data) VALUES (0, ?, ?)",
                (zlib.crc32(token), token))

    def _data_version(self) -> int:
        """SQLite's counter of commits by other connections (PRAGMA data_version)."""
        return int(self.connection.execute("PRAGMA data_version").fetchone()[0])

    def _changes(self, walk: Walk) -> tuple[list[tuple[str, Any]], list[str]]:
        """(changed or new files as (rel, PostFile) by path, paths of deleted rows)."""
        stored = self._stamps()
        pop = stored.pop
        changed = walk.files(lambda rel, stamp: pop(rel, None) == stamp)
        if not changed:
            return [], list(stored)
        from postctl.site.scan import PostFile

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
        walk: Walk,
    ) -> None:
        connection = self.connection
        hashes = self._stored_hashes([rel for rel, _ in changed])
        total = len(changed)
        stamps: list[tuple[int, int, int, str]] = []

        def rows() -> Iterator[tuple[Any, ...]]:
            built = build_rows(self.site, changed, hashes)
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
            f" {SUMMARY_COLUMNS} FROM posts ORDER BY posts.path")
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
        from postctl.catalog import query
        condition, params = query.sql_conditions(filters)
        sql = f"SELECT {SUMMARY_COLUMNS} FROM posts WHERE {condition}"
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
        """The JSON items (see postctl.catalog.summary) of the matching posts.

        Straight from SQL, without building a Summary per row, when the filters have no
        ``--where`` and the index can order by the sort key (``Sort.sql``).
        """
        order = sort.sql
        if filters.where or not order:
            now = filters.now
            return (s.item_json(now) for s in self.summaries(filters, sort, limit))
        return self._item_json(filters, order, limit)

    def _item_json(self, filters: Filters, order: str, limit: int | None) -> Iterator[str]:
        from postctl.catalog import query
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
        from postctl.catalog import query
        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        condition, params = query.sql_conditions(filters)
        rows = self.connection.execute(
            f"SELECT term.value, COUNT(*) FROM posts, json_each(posts.{column}) AS term "
            f"WHERE {condition} GROUP BY term.value", params)
        return {str(name): int(count) for name, count in rows}

    def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int:
        """How many matching posts carry at least one of ``names`` in ``column``."""
        from postctl.catalog import query
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


def _encoded(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
