"""Keeping a variant's full-text table in step with the site index's ``posts`` table.

The first search builds the variant it needs (``list`` never pays for it); then each search
reads the ids logged in ``fts_changes`` since its last sync, so after ``SiteIndex.refresh()``
the full-text index matches the files on disk at a cost proportional to the changes. The row
of a changed or deleted post is deleted from the FTS5 table with the text it was indexed
with (kept in ``*_doc``, see :mod:`postctl.search.ftstables`), so the statistics BM25 ranks
with (rows, their average length, rows holding each word) count the current posts only, as
a search that reads the files counts them. A renamed file, or one whose bytes are
unchanged, gets its old row back by hash without being read again.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postctl.search.base import COLUMNS
from postctl.search.ftsdocs import SOURCE_COLUMNS, Source, prepare, source_of, unpack_columns
from postctl.search.ftstables import FTS_SCHEMA, SHARED_OBJECTS, FtsTables, FtsUnavailable

if TYPE_CHECKING:
    from postctl.reporting import Progress

__all__ = ["FtsSync", "SyncStats"]

BULK_DOCUMENTS = 1000  # from this many documents on, segments are merged once at the end


@dataclass(frozen=True)
class SyncStats:
    indexed: int  # documents read and added
    reused: int  # documents given back by hash (renamed or re-stamped files)
    removed: int  # documents taken from their posts (changed, renamed or deleted)
    rebuilt: bool  # the variant was made anew (its first build, or a new table format)


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
        rebuilt = self.table not in objects or self.docs not in objects
        if rebuilt:
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
        self._execute_many(f"UPDATE {self.docs} SET post_id = NULL WHERE docid = ?",
                           [(docid,) for docid in stale])
        reused, to_read = self._reassign(wanted)
        self._delete_detached()
        indexed, complete = self._add(to_read, progress, reused, len(wanted))
        self._set_meta(f"{self.variant}.seq", str(head))
        self._set_meta(f"{self.variant}.state", "ready" if complete else "unsynced")
        self._trim_log()
        return SyncStats(indexed, reused, len(stale), rebuilt)

    def _execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    def _reassign(self, wanted: list[Source]) -> tuple[int, list[Source]]:
        """Give detached rows (of posts changed, renamed or deleted) with the same file and
        facts to the wanted posts (a renamed file, one whose bytes came back); return how
        many were given, and the sources still to read."""
        if not self._detached():
            return 0, wanted
        find = (f"SELECT docid FROM {self.docs} WHERE file_hash = ? AND meta_hash = ? "
                "AND post_id IS NULL LIMIT 1")
        attach = f"UPDATE {self.docs} SET post_id = ? WHERE docid = ?"
        to_read = []
        for source in wanted:
            detached = self._execute(find, (source.file_hash, source.meta_hash)).fetchone()
            if detached is None:
                to_read.append(source)
            else:
                self._execute(attach, (source.post_id, detached[0]))
        return len(wanted) - len(to_read), to_read

    def _delete_detached(self) -> None:
        """Delete the rows no post has any more from the FTS5 table, with the text each was
        indexed with (a contentless table needs it to take the row's words and length out of
        its statistics), and from ``*_doc``."""
        rows = self._execute(
            f"SELECT docid, text FROM {self.docs} WHERE post_id IS NULL").fetchall()
        if not rows:
            return
        self._execute_many(
            f"INSERT INTO {self.table} ({self.table}, rowid, {', '.join(COLUMNS)}) "
            f"VALUES ('delete', ?, {', '.join('?' * len(COLUMNS))})",
            ((docid, *unpack_columns(text)) for docid, text in rows))
        self._execute(f"DELETE FROM {self.docs} WHERE post_id IS NULL")

    def _add(self, to_read: list[Source], progress: Progress | None, done: int, total: int,
             ) -> tuple[int, bool]:
        """Read and index ``to_read`` (``done`` of ``total`` wanted documents are in place
        already); return how many were indexed, and False when some file had changed since
        the site index read it (the next sync then compares in full)."""
        bulk = len(to_read) >= BULK_DOCUMENTS
        if bulk:  # merge segments once at the end rather than while inserting
            self._execute(f"INSERT INTO {self.table} ({self.table}, rank) VALUES ('automerge', 0)")
        next_row = self._execute(f"SELECT coalesce(max(docid), 0) + 1 FROM {self.docs}")
        docid = int(next_row.fetchone()[0])
        insert_doc = (f"INSERT INTO {self.docs} (docid, post_id, file_hash, meta_hash, text) "
                      "VALUES (?, ?, ?, ?, ?)")
        insert_text = (f"INSERT INTO {self.table} (rowid, {', '.join(COLUMNS)}) "
                       f"VALUES (?, {', '.join('?' * len(COLUMNS))})")
        indexed = 0
        complete = True
        docs: list[tuple[Any, ...]] = []
        texts: list[tuple[Any, ...]] = []
        site = self.index.site
        prepared = prepare(site.root, site.config.limits.max_file_bytes, to_read)
        with contextlib.closing(prepared):  # its workers stop when the writes stop early
            for source, document in prepared:
                done += 1
                if document is None:
                    complete = False
                else:
                    columns, packed = document
                    docs.append((docid, source.post_id, source.file_hash, source.meta_hash,
                                 packed))
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
        return indexed, complete

    def _trim_log(self) -> None:
        """Forget changes every built variant has seen; drop a variant that lags far behind
        (it would be rebuilt on its next use anyway)."""
        seen = []
        live = self._live()
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
