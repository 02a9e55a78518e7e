"""The full-text index: SQLite FTS5 tables in the site index's database, kept in step with it.

Tables (all prefixed ``fts_``; the site index drops them with everything else on a rebuild)::

    fts_meta(key, value)                  schema, and per variant: state, last change seen
    fts_changes(seq, post_id)             ids of posts rows written since; filled by triggers
                                          on ``posts`` (insert, content update, delete)
    fts_plain / fts_stem                  contentless FTS5 tables, one per tokenizer variant:
        (title, tags, categories, author, excerpt, body)
    fts_plain_doc / fts_stem_doc(docid, post_id, file_hash, meta_hash)
                                          the FTS row of each post; post_id NULL: a dead row

Why contentless: a table that keeps its own copy of the text is 1.6x the corpus on disk,
a contentless one about 0.5x. This Python links SQLite 3.40, and deleting from a contentless
table needs the old text (``contentless_delete`` came in 3.43), so a changed or deleted post's
row is not deleted: it is marked dead in ``*_doc`` and every query joins through ``*_doc``,
so dead rows are never returned. When dead rows outnumber half the live ones the variant is
rebuilt (amortised, that is a fraction of one re-index per edit). A renamed file, or one
whose bytes are unchanged, gets its old row back by hash without being read again.

Filling: the first search builds the variant it needs (``list`` never pays for it); then
each search reads the ids logged in ``fts_changes`` since its last sync, so after
``SiteIndex.refresh()`` the index matches the files on disk at a cost proportional to the
changes. Without FTS5 (or with ``--no-cache``), :func:`postctl.search.scan.scan_search`
answers by reading the files, with the same query semantics and ranking formula.
Queries run in :mod:`postctl.search.ftssearch`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.errors import PostctlError
from postctl.search import ftssearch
from postctl.search.base import COLUMNS, column_texts, read_body
from postctl.text.textify import fold_chars, index_text

if TYPE_CHECKING:
    from postctl.catalog.index import SiteIndex

__all__ = ["FtsUnavailable", "FullTextIndex", "SyncStats", "drop_all", "fts5_available"]

TOKENIZERS = {
    False: "unicode61 remove_diacritics 2",
    True: "porter unicode61 remove_diacritics 2",
}
FTS_SCHEMA = "2"  # bump when the tables or the indexed text change: the next sync rebuilds
REBUILD_RATIO = 0.5  # rebuild a variant when dead rows exceed this share of live ones

Progress = Callable[[int, int], None]


class FtsUnavailable(PostctlError):
    """SQLite here has no FTS5, or the full-text tables cannot be used."""


@dataclass(frozen=True)
class SyncStats:
    indexed: int  # documents read and added
    reused: int  # documents revived by hash (renamed or re-stamped files)
    removed: int  # documents marked dead
    rebuilt: bool


@functools.cache
def fts5_available() -> bool:
    """Whether this Python's sqlite3 module has the FTS5 extension."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


_TRIGGERS = ("fts_posts_insert", "fts_posts_update", "fts_posts_delete")
_TABLES = ("fts_plain", "fts_stem", "fts_plain_doc", "fts_stem_doc", "fts_changes", "fts_meta")
_SHARED_OBJECTS = frozenset(_TRIGGERS)  # the unreadable-posts index is the site index's own


def drop_all(connection: sqlite3.Connection) -> None:
    """Drop every full-text table and trigger (the next search builds what it needs)."""
    for name in _TRIGGERS:
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in _TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {name}")  # FTS5 shadow tables go too


# --------------------------------------------------------------------------------------------
# the documents to index

# excerpt_of() in SQL, over the post's own front matter, then its Jekyll defaults
_EXCERPT_SQL = "CASE {} END".format(" ".join(
    f"WHEN json_type({source}, '$.{key}') = 'text' "
    f"AND trim(json_extract({source}, '$.{key}')) != '' THEN json_extract({source}, '$.{key}')"
    for key in ("excerpt", "description", "summary") for source in ("p.front_matter", "p.defaults")
))


@dataclass(frozen=True)
class _Source:
    """A posts row to index: the facts the index parsed, and where the body is."""

    post_id: int
    path: str
    file_hash: str
    title: str
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    authors: tuple[str, ...]
    excerpt: str

    @property
    def meta_hash(self) -> str:
        joined = "\x1f".join((self.title, "\x1e".join(self.tags), "\x1e".join(self.categories),
                              "\x1e".join(self.authors), self.excerpt))
        return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"),
                               digest_size=8).hexdigest()

    def columns(self, body: str) -> tuple[str, ...]:
        texts = column_texts(self.title, self.tags, self.categories, self.authors,
                             index_text(self.excerpt), index_text(body))
        return tuple(fold_chars(text) for text in texts)


def _source(row: Sequence[Any]) -> _Source:
    post_id, path, file_hash, title, tags, categories, authors, excerpt = row
    return _Source(post_id, path, file_hash, title or "", tuple(json.loads(tags)),
                   tuple(json.loads(categories)), tuple(json.loads(authors)), excerpt or "")


BULK_DOCUMENTS = 1000  # from this many files on: worker processes, one merge at the end
_CHUNK = 200
_worker_state: dict[str, Any] = {}


def _prepare(
    root: Path, max_bytes: int, sources: list[_Source]
) -> Iterator[tuple[_Source, tuple[str, ...] | None]]:
    """Each source with its indexed columns (None: the file is not the version indexed).

    Many files are read and reduced to text by forked worker processes (the text work is
    CPU-bound), while this process writes to the database.
    """
    from postctl.site.workers import worker_count  # the same threshold and setting as the index

    workers = worker_count(len(sources))
    if workers <= 1:
        for source in sources:
            yield source, _columns(root, max_bytes, source)
        return
    import multiprocessing

    chunks = [sources[start:start + _CHUNK] for start in range(0, len(sources), _CHUNK)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(root, max_bytes)) as pool:
        for chunk, prepared in zip(chunks, pool.imap(_prepare_chunk, chunks), strict=True):
            yield from zip(chunk, prepared, strict=True)


def _columns(root: Path, max_bytes: int, source: _Source) -> tuple[str, ...] | None:
    body = read_body(root / source.path, max_bytes, source.file_hash)
    return None if body is None else source.columns(body)


def _init_worker(root: Path, max_bytes: int) -> None:
    _worker_state["root"] = root
    _worker_state["max_bytes"] = max_bytes


def _prepare_chunk(sources: list[_Source]) -> list[tuple[str, ...] | None]:
    root, max_bytes = _worker_state["root"], _worker_state["max_bytes"]
    return [_columns(root, max_bytes, source) for source in sources]


# --------------------------------------------------------------------------------------------
# the FTS5 index


class FullTextIndex:
    """The full-text tables of one site index, for one tokenizer variant (stemmed or not)."""

    def __init__(self, index: SiteIndex, *, stem: bool = False) -> None:
        if not fts5_available():
            raise FtsUnavailable("this Python's SQLite has no FTS5 full-text extension")
        self.index = index
        self.connection = index.connection
        self.stem = stem
        self.variant = "stem" if stem else "plain"
        self.table = f"fts_{self.variant}"
        self.docs = f"fts_{self.variant}_doc"
        self.tokenizer = TOKENIZERS[stem]

    # A query on these tables, run by postctl.search.ftssearch (call sync() first):
    # search(node, filters, sort=None, limit=20, *, snippet_width, count) -> SearchResult
    search = ftssearch.search

    # --- schema -----------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    def _meta(self, key: str) -> str | None:
        try:
            row = self._execute("SELECT value FROM fts_meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # no such table yet
            return None
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._execute("INSERT OR REPLACE INTO fts_meta (key, value) VALUES (?, ?)", (key, value))

    def _objects(self) -> set[str]:
        return {row[0] for row in self._execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'fts%'")}

    def _ensure_shared(self, objects: set[str]) -> None:
        """The meta table, the change log and its triggers (inside a write transaction)."""
        if "fts_meta" in objects and self._meta("schema") != FTS_SCHEMA:
            drop_all(self.connection)
            objects = set()
        execute = self._execute
        execute("CREATE TABLE IF NOT EXISTS fts_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._set_meta("schema", FTS_SCHEMA)
        execute("CREATE TABLE IF NOT EXISTS fts_changes "
                "(seq INTEGER PRIMARY KEY AUTOINCREMENT, post_id INTEGER NOT NULL)")
        if not _SHARED_OBJECTS <= objects:
            # Without the triggers nothing was logged: every variant must compare in full.
            for variant in ("plain", "stem"):
                if self._meta(f"{variant}.state") == "ready":
                    self._set_meta(f"{variant}.state", "unsynced")
            logged = "INSERT INTO fts_changes (post_id) VALUES ({}.id)"
            execute("CREATE TRIGGER IF NOT EXISTS fts_posts_insert AFTER INSERT ON posts "
                    f"BEGIN {logged.format('new')}; END")
            # every content change rewrites hash or error; a stamp-only update is not logged
            execute("CREATE TRIGGER IF NOT EXISTS fts_posts_update AFTER UPDATE OF path, hash, "
                    f"error ON posts BEGIN {logged.format('new')}; END")
            execute("CREATE TRIGGER IF NOT EXISTS fts_posts_delete AFTER DELETE ON posts "
                    f"BEGIN {logged.format('old')}; END")

    def _create_variant(self) -> None:
        self._execute(f"DROP TABLE IF EXISTS {self.table}")
        self._execute(f"DROP TABLE IF EXISTS {self.docs}")
        self._execute(
            f"CREATE VIRTUAL TABLE {self.table} USING fts5({', '.join(COLUMNS)}, content='', "
            f"tokenize='{self.tokenizer}')")
        self._execute(f"CREATE TABLE {self.docs} (docid INTEGER PRIMARY KEY, "
                      "post_id INTEGER UNIQUE, file_hash TEXT NOT NULL, meta_hash TEXT NOT NULL)")
        self._execute(f"CREATE INDEX {self.docs}_hash ON {self.docs} (file_hash)")

    # --- sync -------------------------------------------------------------------------------

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
        return head == int(last or 0) and _SHARED_OBJECTS <= self._objects()

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

    def _head(self) -> int:
        """The sequence number of the last logged change (kept after the log is trimmed)."""
        row = self._execute("SELECT seq FROM sqlite_sequence WHERE name = 'fts_changes'"
                            ).fetchone()
        return 0 if row is None else int(row[0])

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
        wanted = [_source(row) for row in self._execute(
            f"SELECT p.id, p.path, p.hash, p.title, p.tags, p.categories, p.authors, "
            f"{_EXCERPT_SQL} FROM posts AS p LEFT JOIN {self.docs} AS d ON d.post_id = p.id "
            "WHERE p.error IS NULL AND p.hash IS NOT NULL "
            "AND (d.docid IS NULL OR d.file_hash IS NOT p.hash)"
            + (scope.format(column="p.id") if scoped else "") + " ORDER BY p.id", params)]
        live, dead = self._counts()
        rebuilt = False
        if dead + len(stale) > REBUILD_RATIO * max(live - len(stale) + len(wanted), 1):
            self._create_variant()
            wanted = [_source(row) for row in self._execute(
                f"SELECT p.id, p.path, p.hash, p.title, p.tags, p.categories, p.authors, "
                f"{_EXCERPT_SQL} FROM posts AS p WHERE p.error IS NULL AND p.hash IS NOT NULL "
                "ORDER BY p.id")]
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

    def _counts(self) -> tuple[int, int]:
        live, total = self._execute(
            f"SELECT count(post_id), count(*) FROM {self.docs}").fetchone()
        return int(live), int(total) - int(live)

    def _add(self, wanted: list[_Source], progress: Progress | None) -> tuple[int, int, bool]:
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
        for source, columns in _prepare(site.root, site.config.limits.max_file_bytes, to_read):
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

    def _revive(self, wanted: list[_Source]) -> tuple[int, list[_Source]]:
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

