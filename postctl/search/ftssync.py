"""Keeping a variant's full-text table in step with the site index's ``posts`` table.

The first search builds the variant it needs (``list`` never pays for it); then each search
reads the ids logged in ``fts_changes`` since its last sync, so after ``SiteIndex.refresh()``
the full-text index matches the files on disk at a cost proportional to the changes. A
changed or deleted post's row is marked dead (see :mod:`postctl.search.ftstables`); when dead
rows outnumber half the live ones the variant is rebuilt (amortised, that is a fraction of
one re-index per edit). A renamed file, or one whose bytes are unchanged, gets its old row
back by hash without being read again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postctl.search.base import COLUMNS
from postctl.search.ftsdocs import SOURCE_COLUMNS, Source, prepare, source_of
from postctl.search.ftstables import FTS_SCHEMA, SHARED_OBJECTS, FtsTables, FtsUnavailable

if TYPE_CHECKING:
    from postctl.reporting import Progress

__all__ = ["FtsSync", "SyncStats"]

REBUILD_RATIO = 0.5  # rebuild a variant when dead rows exceed this share of live ones
BULK_DOCUMENTS = 1000  # from this many documents on, segments are merged once at the end


@dataclass(frozen=True)
class SyncStats:
    indexed: int  # documents read and added
    reused: int  # documents revived by hash (renamed or re-stamped files)
    removed: int  # documents marked dead
    rebuilt: bool


class FtsSync(FtsTables):
    """A variant's full-text tables that can be brought in step with the ``posts`` table."""

    def is_current(self) -> bool:
        """True when no write happened to ``posts`` since this variant's last sync, and the
        tables are of this version of postctl."""
        if (self._meta(f"{self.variant}.state") != "ready"
                or self._meta("schema") != FTS_SCHEMA):
            return False
        try:
            head = self._head()
        except sqlite3.OperationalError:
            return False
        last = self._meta(f"{self.variant}.seq")
        return head == int(last or 0) and SHARED_OBJECTS <= self._objects()

    def sync(self, progress: Progress | None = None) -> SyncStats:
        """Bring this variant in line with the ``posts`` table (after ``refresh()``)."""
        if self.is_current():
            return SyncStats(0, 0, 0, False)
        try:
            self._execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise FtsUnavailable(f"cannot update the full-text index: {exc}") from None
        try:
            stats = self._sync(progress)
        except BaseException:
            self._execute("ROLLBACK")
            raise
        self._execute("COMMIT")
        return stats

    def _sync(self, progress: Progress | None) -> SyncStats:
        self._ensure_shared(self._objects())
        objects = self._objects()
        if self.table not in objects or self.docs not in objects:
            self._create_variant()
            self._set_meta(f"{self.variant}.state", "new")
        head = self._head()
        scoped = self._meta(f"{self.variant}.state") == "ready"
        last = int(self._meta(f"{self.variant}.seq") or 0)
        scope = " AND {column} IN (SELECT post_id FROM fts_changes WHERE seq > ?)"
        params: tuple[Any, ...] = (last,) if scoped else ()
        stale = [row[0] for row in self._execute(
            f"SELECT d.docid FROM {self.docs} AS d LEFT JOIN posts AS p ON p.id = d.post_id "
            "WHERE d.post_id IS NOT NULL AND (p.id IS NULL OR p.error IS NOT NULL "
            "OR p.hash IS NOT d.file_hash)" + (scope.format(column="d.post_id") if scoped else ""),
            params)]
        wanted = [source_of(row) for row in self._execute(
            f"SELECT {SOURCE_COLUMNS} FROM posts AS p LEFT JOIN {self.docs} AS d "
            "ON d.post_id = p.id WHERE p.error IS NULL AND p.hash IS NOT NULL "
            "AND (d.docid IS NULL OR d.file_hash IS NOT p.hash)"
            + (scope.format(column="p.id") if scoped else "") + " ORDER BY p.id", params)]
        live, dead = self._counts()
        rebuilt = False
        if dead + len(stale) > REBUILD_RATIO * max(live - len(stale) + len(wanted), 1):
            self._create_variant()
            wanted = [source_of(row) for row in self._execute(
                f"SELECT {SOURCE_COLUMNS} FROM posts AS p WHERE p.error IS NULL "
                "AND p.hash IS NOT NULL ORDER BY p.id")]
            stale = []
            rebuilt = True
        self._execute_many(f"UPDATE {self.docs} SET post_id = NULL WHERE docid = ?",
                           [(docid,) for docid in stale])
        indexed, reused, complete = self._add(wanted, progress)
        self._set_meta(f"{self.variant}.seq", str(head))
        self._set_meta(f"{self.variant}.state", "ready" if complete else "unsynced")
        self._trim_log()
        return SyncStats(indexed, reused, len(stale), rebuilt)

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    def _add(self, wanted: list[Source], progress: Progress | None) -> tuple[int, int, bool]:
        """Index ``wanted`` (reviving dead rows with the same hashes); False: some file had
        changed since the site index read it (the next sync then compares in full)."""
        reused, to_read = self._revive(wanted)
        bulk = len(to_read) >= BULK_DOCUMENTS
        if bulk:  # merge segments once at the end rather than while inserting
            self._execute(f"INSERT INTO {self.table} ({self.table}, rank) VALUES ('automerge', 0)")
        next_row = self._execute(f"SELECT coalesce(max(docid), 0) + 1 FROM {self.docs}")
        docid = int(next_row.fetchone()[0])
        insert_doc = (f"INSERT INTO {self.docs} (docid, post_id, file_hash, meta_hash) "
                      "VALUES (?, ?, ?, ?)")
        insert_text = (f"INSERT INTO {self.table} (rowid, {', '.join(COLUMNS)}) "
                       f"VALUES (?, {', '.join('?' * len(COLUMNS))})")
        indexed = 0
        complete = True
        docs: list[tuple[Any, ...]] = []
        texts: list[tuple[Any, ...]] = []
        total, done = len(wanted), reused
        site = self.index.site
        for source, columns in prepare(site.root, site.config.limits.max_file_bytes, to_read):
            done += 1
            if columns is None:
                complete = False
            else:
                docs.append((docid, source.post_id, source.file_hash, source.meta_hash))
                texts.append((docid, *columns))
                docid += 1
                indexed += 1
            if len(texts) >= 256 or done == total:
                self._execute_many(insert_doc, docs)
                self._execute_many(insert_text, texts)
                docs.clear()
                texts.clear()
            if progress is not None and (done % 256 == 0 or done == total):
                progress(done, total)
        if bulk:
            self._execute(f"INSERT INTO {self.table} ({self.table}) VALUES ('optimize')")
            self._execute(f"INSERT INTO {self.table} ({self.table}, rank) VALUES ('automerge', 4)")
        return indexed, reused, complete

    def _revive(self, wanted: list[Source]) -> tuple[int, list[Source]]:
        """Give dead rows with the same file and facts back to their (renamed) posts."""
        if not self._counts()[1]:
            return 0, wanted
        find = (f"SELECT docid FROM {self.docs} WHERE file_hash = ? AND meta_hash = ? "
                "AND post_id IS NULL LIMIT 1")
        revive = f"UPDATE {self.docs} SET post_id = ? WHERE docid = ?"
        to_read = []
        for source in wanted:
            dead = self._execute(find, (source.file_hash, source.meta_hash)).fetchone()
            if dead is None:
                to_read.append(source)
            else:
                self._execute(revive, (source.post_id, dead[0]))
        return len(wanted) - len(to_read), to_read

    def _trim_log(self) -> None:
        """Forget changes every built variant has seen; drop a variant that lags far behind
        (it would be rebuilt on its next use anyway)."""
        seen = []
        live = self._counts()[0]
        head = self._head()
        for variant in ("plain", "stem"):
            state = self._meta(f"{variant}.state")
            if state is None:
                continue
            last = int(self._meta(f"{variant}.seq") or 0)
            if variant != self.variant and head - last > max(1000, live):
                self._execute(f"DROP TABLE IF EXISTS fts_{variant}")
                self._execute(f"DROP TABLE IF EXISTS fts_{variant}_doc")
                self._execute("DELETE FROM fts_meta WHERE key LIKE ?", (f"{variant}.%",))
                continue
            seen.append(last)
        if seen:
            self._execute("DELETE FROM fts_changes WHERE seq <= ?", (min(seen),))
