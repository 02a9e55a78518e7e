"""Full-text search: SQLite FTS5 tables in the site index's database, kept in step with it.

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
Snippets are cut from the top hits' files: an in-memory FTS5 table with the same tokenizer
highlights exactly what the query matched (stems included).

Filling: the first search builds the variant it needs (``list`` never pays for it); then
each search reads the ids logged in ``fts_changes`` since its last sync, so after
``SiteIndex.refresh()`` the index matches the files on disk at a cost proportional to the
changes. Without FTS5 (or with ``--no-cache``), :func:`postctl.searchscan.scan_search`
answers by reading the files, with the same query semantics and ranking formula.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.errors import ConfigError, PostctlError, SourceError
from postctl.searchquery import TAG_MARK, Node, QueryError
from postctl.searchquery import to_fts as query_to_fts
from postctl.textify import fold, fold_chars, index_text, markdown_to_text

if TYPE_CHECKING:
    from postctl.index import SiteIndex
    from postctl.query import Filters, Sort
    from postctl.site import Site
    from postctl.summary import Summary

__all__ = [
    "COLUMNS",
    "WEIGHTS",
    "FtsUnavailable",
    "FullTextIndex",
    "Hit",
    "SearchResult",
    "Snippets",
    "SyncStats",
    "excerpt_of",
    "fts5_available",
    "make_snippet",
    "names_text",
    "stem_setting",
]

COLUMNS = ("title", "tags", "categories", "author", "excerpt", "body")
# BM25 column weights: the title counts most, then tags and excerpt, then the rest.
WEIGHTS: Mapping[str, float] = {
    "title": 10.0, "tags": 5.0, "excerpt": 5.0, "categories": 3.0, "author": 3.0, "body": 1.0,
}
TOKENIZERS = {
    False: "unicode61 remove_diacritics 2",
    True: "porter unicode61 remove_diacritics 2",
}
FTS_SCHEMA = "1"
REBUILD_RATIO = 0.5  # rebuild a variant when dead rows exceed this share of live ones
SNIPPET_WIDTH = 160
SNIPPET_SOURCE_LIMIT = 1 << 20  # characters of a body searched for the snippet
HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "\x01", "\x02"

Progress = Callable[[int, int], None]


class FtsUnavailable(PostctlError):
    """SQLite here has no FTS5, or the full-text tables cannot be used."""


# --------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class Hit:
    """One matching post: its summary, its score (higher is better), and a snippet."""

    summary: Summary
    score: float
    snippet: str = ""
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) character spans in snippet

    def item(self, now: float) -> dict[str, Any]:
        """``postctl list``'s JSON item plus ``score``, ``snippet`` and ``highlights``."""
        return {
            **self.summary.item(now),
            "score": self.score,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
        }


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int | None  # matching posts before --limit (None: not counted)
    errors: list[SourceError] = field(default_factory=list)  # unreadable posts (scan path)


@dataclass(frozen=True)
class SyncStats:
    indexed: int  # documents read and added
    reused: int  # documents revived by hash (renamed or re-stamped files)
    removed: int  # documents marked dead
    rebuilt: bool


# --------------------------------------------------------------------------------------------
# settings and capability


def stem_setting(search_config: Mapping[str, Any], path: Path | None) -> bool:
    """``[search] stem = true|false`` (default false); other keys are errors."""
    for key in search_config:
        if key != "stem":
            raise ConfigError(path, "unknown setting (known: stem)", key=f"search.{key}")
    value = search_config.get("stem", False)
    if not isinstance(value, bool):
        raise ConfigError(path, "expected true or false", key="search.stem")
    return value


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


# --------------------------------------------------------------------------------------------
# indexed text


def names_text(names: Iterable[str]) -> str:
    """Tags or categories as indexed: each name between marks, so ``tag:x`` can match whole
    names (``TAG_MARK open source TAG_MARK python TAG_MARK``)."""
    listed = [name for name in names if name]
    if not listed:
        return ""
    return f"{TAG_MARK} " + f" {TAG_MARK} ".join(listed) + f" {TAG_MARK}"


def excerpt_of(values: Mapping[str, Any]) -> str:
    """The post's summary text: ``excerpt``, else ``description``, else ``summary``."""
    for key in ("excerpt", "description", "summary"):
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


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
        return (
            fold_chars(self.title),
            fold_chars(names_text(self.tags)),
            fold_chars(names_text(self.categories)),
            fold_chars(" ".join(self.authors)),
            fold_chars(index_text(self.excerpt)),
            fold_chars(index_text(body)),
        )


def _source(row: Sequence[Any]) -> _Source:
    post_id, path, file_hash, title, tags, categories, authors, excerpt = row
    return _Source(post_id, path, file_hash, title or "", tuple(json.loads(tags)),
                   tuple(json.loads(categories)), tuple(json.loads(authors)), excerpt or "")


def read_file(path: Path, max_bytes: int) -> bytes | None:
    """A post's bytes, as ``scan.read_post_bytes`` reads them (a regular file, links not
    followed, no blocking on FIFOs, at most ``max_bytes``: G9), or None when it cannot be.

    Kept here so that a search does not import the post parser (and YAML) to cut snippets.
    """
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        chunks = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= max_bytes else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _body(raw: bytes, path: Path) -> str | None:
    from postctl.source import split_source

    try:
        return split_source(raw, path).body
    except SourceError:
        return None


def _read_body(root: Path, rel: str, expected_hash: str | None, max_bytes: int) -> str | None:
    """The body of the file, or None when it cannot be read or is not the indexed version."""
    path = root / rel
    raw = read_file(path, max_bytes)
    if raw is None or (expected_hash is not None
                       and hashlib.blake2b(raw, digest_size=16).hexdigest() != expected_hash):
        return None
    return _body(raw, path)


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
    workers = _worker_count(len(sources))
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
    body = _read_body(root, source.path, source.file_hash, max_bytes)
    return None if body is None else source.columns(body)


def _worker_count(files: int) -> int:
    import multiprocessing
    import sys

    from postctl.index import WORKERS_ENV

    if files < BULK_DOCUMENTS or not sys.platform.startswith("linux"):
        return 1
    configured = os.environ.get(WORKERS_ENV, "")
    if configured.isdigit():
        return max(1, int(configured))
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


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
            self._drop_all()
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
        # Every search asks whether some posts could not be read: without this partial index
        # that is a scan of the whole posts table (tens of ms on 100k posts).
        execute("CREATE INDEX IF NOT EXISTS fts_posts_errors ON posts (path) "
                "WHERE error IS NOT NULL")

    def _drop_all(self) -> None:
        """Drop every full-text object (another schema version made them)."""
        for name in sorted(_TRIGGERS):
            self._execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in ("fts_plain", "fts_stem", "fts_plain_doc", "fts_stem_doc", "fts_changes",
                     "fts_meta"):
            self._execute(f"DROP TABLE IF EXISTS {name}")  # FTS5 shadow tables go too

    def _create_variant(self) -> None:
        tokenizer = TOKENIZERS[self.stem]
        self._execute(f"DROP TABLE IF EXISTS {self.table}")
        self._execute(f"DROP TABLE IF EXISTS {self.docs}")
        self._execute(
            f"CREATE VIRTUAL TABLE {self.table} USING fts5({', '.join(COLUMNS)}, content='', "
            f"tokenize='{tokenizer}')")
        self._execute(f"CREATE TABLE {self.docs} (docid INTEGER PRIMARY KEY, "
                      "post_id INTEGER UNIQUE, file_hash TEXT NOT NULL, meta_hash TEXT NOT NULL)")
        self._execute(f"CREATE INDEX {self.docs}_hash ON {self.docs} (file_hash)")

    # --- sync -------------------------------------------------------------------------------

    def is_current(self) -> bool:
        """True when no write happened to ``posts`` since this variant's last sync."""
        if self._meta(f"{self.variant}.state") != "ready":
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

    # --- search -----------------------------------------------------------------------------

    def search(
        self,
        node: Node,
        filters: Filters,
        sort: Sort | None = None,
        limit: int | None = 20,
        *,
        snippet_width: int = SNIPPET_WIDTH,
        count: bool = False,
    ) -> SearchResult:
        """The posts matching ``node`` and ``filters``, best first (or in ``sort`` order).

        ``count``: also count every match (``SearchResult.total``; a second, cheaper query).
        """
        from postctl import query

        expression = query_to_fts(node)
        condition, params = query.sql_conditions(filters)
        joined = (f" FROM {self.table} JOIN {self.docs} AS d ON d.docid = {self.table}.rowid "
                  f"JOIN posts ON posts.id = d.post_id WHERE {self.table} MATCH ? AND {condition}")
        arguments: list[Any] = [expression, *params]
        try:
            if sort is None and not filters.where and limit is not None:
                scored = self._best(joined, arguments, limit)
                total = len(scored)
                if count and total >= limit:
                    total = int(self._execute(f"SELECT count(*){joined}", arguments
                                              ).fetchone()[0])
                hits = self._hits(scored)
            else:
                hits = self._sorted(joined, arguments, filters, sort)
                total = len(hits)
                hits = hits[:limit] if limit is not None else hits
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower():
                raise QueryError(f"cannot search for that: {exc}") from None
            raise
        snippets = Snippets(self.index.site, snippet_width)
        stem = self.stem
        return SearchResult(snippets.apply(
            hits, lambda found, texts: _fts_highlights(found, texts, expression, stem)), total)

    def _best(self, joined: str, arguments: list[Any], limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best matches: FTS5 orders its matches by BM25 itself and the joins
        run only for the rows read, until ``limit`` rows and the ties of the last one."""
        weights = ", ".join(str(WEIGHTS[name]) for name in COLUMNS)
        sql = (f"SELECT d.post_id, rank, posts.date_epoch, posts.path{joined} "
               f"AND rank MATCH 'bm25({weights})' ORDER BY rank")
        rows: list[tuple[int, float, float | None, str]] = []
        for row in self._execute(sql, arguments):
            if len(rows) >= limit and row[1] != rows[-1][1]:
                break
            rows.append(row)
        rows.sort(key=lambda row: (row[1], row[2] is None, -(row[2] or 0.0), row[3]))
        return [(post_id, -rank) for post_id, rank, _, _ in rows[:limit]]

    def _sorted(
        self, joined: str, arguments: list[Any], filters: Filters, sort: Sort | None
    ) -> list[Hit]:
        """Every match, with --where applied, in ``sort`` order (None: best first)."""
        from postctl import query

        weights = ", ".join(str(WEIGHTS[name]) for name in COLUMNS)
        order = (sort.sql if sort is not None else
                 "score, posts.date_epoch IS NULL, posts.date_epoch DESC, posts.path")
        sql = f"SELECT d.post_id, bm25({self.table}, {weights}) AS score{joined}"
        if order is not None:
            sql += f" ORDER BY {order}"
        found = self._hits([(row[0], -row[1]) for row in self._execute(sql, arguments)])
        if filters.where:
            budget = query.RegexBudget()
            found = [hit for hit in found if all(
                query.where_matches(where, hit.summary, budget) for where in filters.where)]
        if order is None and sort is not None:
            by_path = {hit.summary.path: hit for hit in found}
            summaries = query.sort_summaries(
                (hit.summary for hit in found), sort, self.index.site.tz, filters.now)
            found = [by_path[summary.path] for summary in summaries]
        return found

    def _hits(self, scored: list[tuple[int, float]]) -> list[Hit]:
        from postctl.index import summary_from_row

        columns = _summary_columns()
        summaries: dict[int, Summary] = {}
        for start in range(0, len(scored), 500):
            chunk = [post_id for post_id, _ in scored[start:start + 500]]
            marks = ", ".join("?" * len(chunk))
            for row in self._execute(
                    f"SELECT posts.id, {columns} FROM posts WHERE posts.id IN ({marks})", chunk):
                summaries[row[0]] = summary_from_row(tuple(row[1:]))
        return [Hit(summaries[post_id], round(score, 6)) for post_id, score in scored
                if post_id in summaries]


_TRIGGERS = frozenset({"fts_posts_insert", "fts_posts_update", "fts_posts_delete"})
_SHARED_OBJECTS = _TRIGGERS | {"fts_posts_errors"}


def _summary_columns() -> str:
    from postctl.index import SUMMARY_COLUMNS

    return SUMMARY_COLUMNS


# --------------------------------------------------------------------------------------------
# snippets


Spans = list[tuple[int, int]]
# (hits, their (excerpt, body) texts) → for each hit, the matched spans of excerpt and body
Highlighter = Callable[[list[Hit], list[tuple[str, str]]], list[tuple[Spans, Spans]]]


class Snippets:
    """Snippets for the hits: the readable text of each file, highlighted where it matched."""

    def __init__(self, site: Site, width: int) -> None:
        self.site = site
        self.width = width

    def texts(self, hit: Hit) -> tuple[str, str]:
        """(excerpt, body) as readable text, read now from the file."""
        path = self.site.root / hit.summary.path
        raw = read_file(path, self.site.config.limits.max_file_bytes)
        body = (_body(raw, path) if raw is not None else None) or ""
        body = body[:SNIPPET_SOURCE_LIMIT]  # a snippet of a huge post comes from its start
        excerpt = excerpt_of(hit.summary.values)
        return markdown_to_text(excerpt), markdown_to_text(body)

    def apply(self, hits: list[Hit], highlight: Highlighter) -> list[Hit]:
        """The hits with their snippets (unchanged when ``width`` is 0)."""
        if not hits or self.width <= 0:
            return hits
        texts = [self.texts(hit) for hit in hits]
        marks = highlight(hits, texts)
        done = []
        for hit, (excerpt, body), (excerpt_spans, body_spans) in zip(hits, texts, marks,
                                                                      strict=True):
            if body_spans:
                text, spans = body, body_spans
            elif excerpt_spans or excerpt:
                text, spans = excerpt, excerpt_spans
            else:
                text, spans = body, []
            snippet, shown = make_snippet(text, spans, self.width)
            done.append(Hit(hit.summary, hit.score, snippet, shown))
        return done


def _fts_highlights(
    hits: list[Hit], texts: list[tuple[str, str]], expression: str, stem: bool
) -> list[tuple[Spans, Spans]]:
    """Where the query matched each hit's excerpt and body, by FTS5 itself."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(f"CREATE VIRTUAL TABLE s USING fts5({', '.join(COLUMNS)}, "
                           f"tokenize='{TOKENIZERS[stem]}')")
        rows = []
        for number, (hit, (excerpt, body)) in enumerate(zip(hits, texts, strict=True)):
            summary = hit.summary
            rows.append((number, fold_chars(summary.title or ""),
                         fold_chars(names_text(summary.tags)),
                         fold_chars(names_text(summary.categories)),
                         fold_chars(" ".join(summary.authors)), fold_chars(excerpt),
                         fold_chars(body)))
        connection.executemany(f"INSERT INTO s (rowid, {', '.join(COLUMNS)}) VALUES "
                               f"(?, {', '.join('?' * len(COLUMNS))})", rows)
        found: dict[int, tuple[Spans, Spans]] = {}
        marks = f"'{HIGHLIGHT_OPEN}', '{HIGHLIGHT_CLOSE}'"
        excerpt_column, body_column = COLUMNS.index("excerpt"), COLUMNS.index("body")
        for number, excerpt_marked, body_marked in connection.execute(
                f"SELECT rowid, highlight(s, {excerpt_column}, {marks}), "
                f"highlight(s, {body_column}, {marks}) FROM s WHERE s MATCH ?", (expression,)):
            found[number] = (_marked_spans(excerpt_marked or ""), _marked_spans(body_marked or ""))
    finally:
        connection.close()
    return [found.get(number, ([], [])) for number in range(len(hits))]


def _marked_spans(marked: str) -> Spans:
    """Spans of the highlighted parts of ``marked``, as offsets into the unmarked text."""
    spans: Spans = []
    removed = 0
    start = -1
    for index, char in enumerate(marked):
        if char == HIGHLIGHT_OPEN:
            start = index - removed
            removed += 1
        elif char == HIGHLIGHT_CLOSE:
            if start >= 0:
                spans.append((start, index - removed))
            removed += 1
            start = -1
    return spans


_SPACE_RUN = re.compile(r"\s+")


def make_snippet(text: str, spans: Sequence[tuple[int, int]], width: int = SNIPPET_WIDTH
                 ) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``width`` characters of ``text`` around its best highlighted passage.

    The window holding the most distinct highlighted words wins (the earliest on a tie); it is
    cut at word boundaries, whitespace is collapsed to single spaces, and "…" marks a cut.
    Returns the snippet and the highlight spans within it.
    """
    if not text.strip():
        return "", ()
    start, end = _word_bounds(text, *_best_window(text, spans, width))
    pieces: list[str] = []
    shown: list[tuple[int, int]] = []
    length = 0
    cursor = start
    for span_start, span_end in sorted(spans):
        if span_start < cursor or span_end > end:
            continue
        plain = _collapse(text[cursor:span_start])
        marked = _collapse(text[span_start:span_end])
        shown.append((length + len(plain), length + len(plain) + len(marked)))
        pieces += [plain, marked]
        length += len(plain) + len(marked)
        cursor = span_end
    pieces.append(_collapse(text[cursor:end]))
    body = "".join(pieces)
    lead = len(body) - len(body.lstrip())
    prefix = "… " if text[:start].strip() else ""
    suffix = " …" if text[end:].strip() else ""
    shift = len(prefix) - lead
    return prefix + body.strip() + suffix, tuple((a + shift, b + shift) for a, b in shown)


def _collapse(text: str) -> str:
    return _SPACE_RUN.sub(" ", text)


def _best_window(text: str, spans: Sequence[tuple[int, int]], width: int) -> tuple[int, int]:
    """The window of ``width`` characters with the most distinct highlighted words."""
    if not spans:
        return 0, min(len(text), width)
    ordered = sorted(spans)[:200]
    lead = width // 4
    best_count, best_start = -1, 0
    for anchor, _ in ordered:
        start = max(0, anchor - lead)
        words = {fold(text[a:b]) for a, b in ordered if a >= start and b <= start + width}
        if len(words) > best_count:
            best_count, best_start = len(words), start
    end = min(len(text), best_start + width)
    return max(0, end - width), end


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Pull the window's ends in to the nearest whitespace, so no word is cut in two."""
    if start > 0 and not text[start - 1].isspace():
        match = _SPACE_RUN.search(text, start, min(end, start + 30))
        if match:
            start = match.end()
    if end < len(text) and not text[end].isspace():
        cut = max(text.rfind(" ", max(start, end - 30), end),
                  text.rfind("\n", max(start, end - 30), end))
        if cut > start:
            end = cut
    return start, end
