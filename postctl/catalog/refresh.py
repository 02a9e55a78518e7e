"""Bringing the site index's rows in step with the post files.

A refresh walks the post folders once (:mod:`postctl.site.walk`) and re-reads only the files
whose ``(size, mtime_ns, inode)`` changed, dropping the rows of deleted files. When nothing
changed, the walk's signature equals the stored one (``meta.files``) and the stored stamps
are not even read. Changed files become rows in :mod:`postctl.catalog.rows` (in worker
processes when there are many); results equal a fresh parse of the files. Error rows keep
their stamp, so a broken file is re-read only when it changes. Writes happen in one
``BEGIN IMMEDIATE`` transaction after re-checking the files under the lock, so a process
that waited for another one's write does not redo it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postctl.catalog.database import BUSY_TIMEOUT_SECONDS
from postctl.catalog.early_walk import take as take_early_stamps
from postctl.catalog.indexview import IndexView
from postctl.catalog.racy import decode, encode, racy_paths, rewritten
from postctl.catalog.rows import ROW_COLUMNS, build_rows
from postctl.catalog.schema import KEPT_LISTINGS, now_iso
from postctl.reporting import Progress
from postctl.site.listings import gc_paused
from postctl.site.walk import Found, Listings, Walk, pack, walk_folders

CHECKPOINT_MIN_ROWS = 1000


_UPSERT = (
    f"INSERT INTO posts ({', '.join(ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ROW_COLUMNS))}) ON CONFLICT(path) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in ROW_COLUMNS[1:])
)


@dataclass(frozen=True)
class RefreshStats:
    scanned: int  # post files found
    updated: int  # rows written (new or changed files)
    removed: int  # rows dropped (deleted files)
    errors: int  # posts in the index that could not be parsed


class IndexRefresh(IndexView):
    """An open site index that can bring its rows up to date with the files."""

    _reread_all = False  # every file is read again, its bytes changed or not

    def refresh(self, progress: Progress | None = None) -> RefreshStats:
        """Bring the index up to date with the files; return what was done.

        When the walk's count and fingerprint of the stamps equal the stored ones
        (``meta.files``), nothing changed and the stored stamps are not even read; only the
        bytes of the files changed too recently for their stamp to show a later change are
        compared again (:mod:`postctl.catalog.racy`). The walk keeps only numbers; records
        of the files are made when something changed.
        """
        version = self._data_version()
        stored = self._stored_signature()
        expected = int(stored.split()[0]) if stored and stored.split()[0].isdigit() else 0
        listings = self._listings()
        racy = self._racy()
        walk = self._walk(expected, listings)
        removed: list[str] = []
        if walk.signature == stored:
            changed = self._rewritten(walk, racy)
            if not changed:
                self._keep_listings(listings, walk, racy)
                return RefreshStats(walk.count, 0, 0, self.error_count())
        else:
            changed, removed = self._changes(walk, racy)
        with self._write():
            if self._data_version() != version:
                # Another process wrote meanwhile (it may have done the work): look again.
                listings = self._listings()
                racy = self._racy()
                walk = self._walk(expected, listings)
                changed, removed = self._changes(walk, racy)
            self._store_listings(listings)
            if changed or removed:
                self._apply(self._post_files(changed), removed, progress, walk)
            elif walk.signature != self._stored_signature():
                self._save_signature(walk)  # the rows are current, their signature was not
            self._save_racy(walk, racy)
        big = len(changed) + len(removed) >= CHECKPOINT_MIN_ROWS
        if big and not self.connection.in_transaction:
            # Move the big write out of the WAL now, so later reads find it in place.
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return RefreshStats(walk.count, len(changed), len(removed), self.error_count())

    def _walk(self, expected_files: int = 0, listings: Listings | None = None) -> Walk:
        """Every post file's stamp, and their signature; ``expected_files`` is how many
        there were last time; ``listings`` the directory listings kept."""
        return walk_folders(self.site.folders, self._root, self._relative, expected_files,
                            listings, taken=take_early_stamps)

    def _listings(self) -> Listings:
        """The directory listings kept from the last walk."""
        return Listings(self.connection.execute(KEPT_LISTINGS))

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

    def _keep_listings(self, listings: Listings, walk: Walk, racy: frozenset[str]) -> None:
        """Store changed listings, and the racy files that are racy still, after a walk that
        changed nothing else, if the database is free now: they are only a saving, worth no
        wait."""
        if not listings.changed and not racy:
            return
        now_racy = racy_paths(walk)
        if not listings.changed and racy == frozenset(now_racy):
            return
        execute = self.connection.execute
        execute("PRAGMA busy_timeout = 0")
        try:
            with self._write():
                self._store_listings(listings)
                self._set_racy(now_racy)
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

    def _changes(self, walk: Walk, racy: frozenset[str]) -> tuple[list[Found], list[str]]:
        """(changed or new files, paths of deleted rows); a racy file whose stamp did not
        change is changed when its bytes did."""
        stored = self._stamps()
        pop = stored.pop
        changed = walk.files(lambda rel, stamp: pop(rel, None) == stamp)
        if racy:
            seen = {item[0] for item in changed}
            changed += self._rewritten(walk, racy - seen)
        if self.site.flavour == "hugo" and _cascades_changed(changed, stored):
            # A section's cascade gives values to the pages under it: read them all again.
            self._reread_all = True
            changed = walk.files()
        return changed, list(stored)

    def _rewritten(self, walk: Walk, racy: frozenset[str]) -> list[Found]:
        """The racy files whose bytes are not those of their row."""
        if not racy:
            return []
        found = walk.files(lambda rel, stamp: rel not in racy)
        hashes = dict(self._chunked("SELECT path, hash FROM posts WHERE path IN ({})",
                                    [item[0] for item in found]))
        return rewritten(found, hashes, self.site.config.limits.max_file_bytes)

    @staticmethod
    def _post_files(changed: list[Found]) -> list[tuple[str, Any]]:
        """The changed files as (rel, PostFile), by path."""
        from postctl.site.scan import PostFile

        # Rows go in by path: Jekyll names start with the date, so the table is stored
        # roughly in date order and a listing by date reads it sequentially.
        changed.sort(key=lambda item: item[0])
        return [(rel, PostFile(path, folder, mtime, size, inode, reason))
                for rel, path, folder, mtime, size, inode, reason in changed]

    def _racy(self) -> frozenset[str]:
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'racy'").fetchone()
        return decode(row[0] if row else None)

    def _save_racy(self, walk: Walk, racy: frozenset[str]) -> None:
        """Keep the paths of the files racy after ``walk`` (in the open transaction)."""
        now_racy = racy_paths(walk)
        if racy != frozenset(now_racy):
            self._set_racy(now_racy)

    def _set_racy(self, paths: list[str]) -> None:
        self.connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('racy', ?)",
                                (encode(paths),))

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
        hashes = {} if self._reread_all else self._stored_hashes(
            [rel for rel, _ in changed])
        total = len(changed)
        stamps: list[tuple[int, int, int, str]] = []

        def rows(built: Iterator[tuple[Any, ...] | None]) -> Iterator[tuple[Any, ...]]:
            for done, ((rel, found), row) in enumerate(zip(changed, built, strict=True), start=1):
                if row is None:  # same bytes: only the stamp changed
                    stamps.append((found.mtime_ns, found.size, found.inode, rel))
                else:
                    yield row
                if progress is not None and (done % 64 == 0 or done == total):
                    progress(done, total)

        # Closed when the writes stop early (an error, Ctrl-C): its workers stop at once.
        # Parsing makes many small objects and no reference cycle (the YAML loader is
        # disposed of): no collector passes, which in a forked worker would also copy the
        # pages of every object it inherited.
        with gc_paused(), contextlib.closing(build_rows(self.site, changed, hashes)) as built:
            connection.executemany(_UPSERT, rows(built))
        connection.executemany(
            "UPDATE posts SET mtime_ns = ?, size = ?, inode = ? WHERE path = ?", stamps)
        connection.executemany("DELETE FROM posts WHERE path = ?", ((rel,) for rel in removed))
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('updated', ?)",
                           (now_iso(),))
        self._save_signature(walk)

    def _stored_hashes(self, paths: list[str]) -> dict[str, str]:
        return dict(self._chunked("SELECT path, hash FROM posts WHERE hash IS NOT NULL "
                                  "AND error IS NULL AND path IN ({})", paths))

    def _chunked(self, sql: str, paths: list[str]) -> Iterator[tuple[Any, ...]]:
        """The rows of ``sql`` (its ``{}`` a list of paths) for ``paths``, 500 at a time."""
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            yield from self.connection.execute(sql.format(", ".join("?" * len(chunk))), chunk)


def _cascades_changed(changed: list[Found], removed: dict[str, Any]) -> bool:
    """Whether a Hugo section's own page (``_index.md``, which may hold a ``cascade``) is
    new, changed or gone."""
    return any(rel.rpartition("/")[2].startswith("_index.")
               for rel in [*(item[0] for item in changed), *removed])


def _encoded(path: str) -> bytes:
    return path.encode("utf-8", "surrogateescape")
