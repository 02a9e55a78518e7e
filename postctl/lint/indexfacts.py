"""``IndexFacts``: the site-wide rules' questions (``rules.base.SiteFacts``) answered by
lookups in the site index, so that linting a few files of a large site reads neither the
other files nor every row.

The keys the rules compare posts by (``postctl.lint.rules.keys``) are derived from the index's
``posts`` rows into two tables of the index's database, with SQL indexes on them::

    lint1_keys(id = posts.id, path, mtime_ns, size, inode,   -- the row they were derived from
               published, url_key, title_key, stem, slug)     -- NULL keys for unparsable posts
    lint1_terms(field 'tags'|'categories', variant, term, id) -- each post's distinct terms
    lint1_state(name 'keys', value)   -- the index's stamps snapshot the keys were synced with

:func:`sync_keys` re-derives the keys of the rows whose stamp changed and drops those of
deleted rows; it runs after ``SiteIndex.refresh()``. When the index's snapshot of every
file's stamp (its ``stamps`` row, rewritten whenever a row changes) has the checksum and
length it had at the last sync, nothing changed and no row is read. The index drops these
tables when it is rebuilt; they are then filled again.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from postctl.lint.facts import FACT_COLUMNS, fact_of_row, string_list
from postctl.lint.rules.base import KeyKind, PostFact, TermField
from postctl.lint.rules.keys import normalize_url, title_key
from postctl.post.taxonomy import variant_key

if TYPE_CHECKING:
    from postctl.lint.rules.base import SiteFacts

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lint1_keys (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL, inode INTEGER NOT NULL, published INTEGER NOT NULL,
    url_key TEXT, title_key TEXT, stem TEXT, slug TEXT);
CREATE INDEX IF NOT EXISTS lint1_keys_url ON lint1_keys (url_key);
CREATE INDEX IF NOT EXISTS lint1_keys_title ON lint1_keys (title_key);
CREATE INDEX IF NOT EXISTS lint1_keys_stem ON lint1_keys (stem);
CREATE INDEX IF NOT EXISTS lint1_keys_slug ON lint1_keys (slug);
CREATE TABLE IF NOT EXISTS lint1_terms (
    field TEXT NOT NULL, variant TEXT NOT NULL, term TEXT NOT NULL, id INTEGER NOT NULL,
    PRIMARY KEY (field, variant, term, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lint1_terms_id ON lint1_terms (id);
CREATE TABLE IF NOT EXISTS lint1_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_STALE = """
SELECT posts.id, posts.path, posts.mtime_ns, posts.size, posts.inode, posts.error,
       posts.draft, posts.url, posts.title, posts.slug, posts.tags, posts.categories
FROM posts LEFT JOIN lint1_keys AS k ON k.id = posts.id
WHERE k.id IS NULL OR k.mtime_ns != posts.mtime_ns OR k.size != posts.size
      OR k.inode != posts.inode OR k.path != posts.path
"""
_COUNTS = "SELECT (SELECT COUNT(*) FROM posts), (SELECT COUNT(*) FROM lint1_keys)"
_CHUNK = 500  # bound parameters per statement (old SQLite allows 999)


def sync_keys(connection: sqlite3.Connection) -> None:
    """Bring the keys up to date with the index's rows (writes only when something changed)."""
    try:
        synced = connection.execute("SELECT value FROM lint1_state WHERE name = 'keys'")
        stored = synced.fetchone()
    except sqlite3.OperationalError:  # no such table: a new or rebuilt index
        _create(connection)
        stored = None
    token = _snapshot(connection)
    if token is not None and stored is not None and stored[0] == token:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        token = _snapshot(connection)  # again, under the write lock: no one writes meanwhile
        stale = connection.execute(_STALE).fetchall()
        ids = [(row[0],) for row in stale]
        connection.executemany("DELETE FROM lint1_terms WHERE id = ?", ids)
        connection.executemany("INSERT OR REPLACE INTO lint1_keys VALUES (?,?,?,?,?,?,?,?,?,?)",
                               map(_keys_row, stale))
        connection.executemany("INSERT OR IGNORE INTO lint1_terms VALUES (?, ?, ?, ?)",
                               _term_rows(stale))
        posts, keys = connection.execute(_COUNTS).fetchone()
        if posts != keys:  # every post has a row now: the others are of deleted posts
            connection.execute("DELETE FROM lint1_keys WHERE id NOT IN (SELECT id FROM posts)")
            connection.execute("DELETE FROM lint1_terms WHERE id NOT IN "
                               "(SELECT id FROM lint1_keys)")
        if token is not None:
            connection.execute("INSERT OR REPLACE INTO lint1_state VALUES ('keys', ?)", (token,))
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _snapshot(connection: sqlite3.Connection) -> str | None:
    """The checksum and length of the index's snapshot of every file's stamp (None: none)."""
    try:
        row = connection.execute(
            "SELECT checksum, length(data) FROM stamps WHERE id = 0").fetchone()
    except sqlite3.OperationalError:  # an index without the snapshot: always compare rows
        return None
    return None if row is None else f"{row[0]}:{row[1]}"


def _create(connection: sqlite3.Connection) -> None:
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _keys_row(row: Sequence[Any]) -> tuple[Any, ...]:
    ident, path, mtime, size, inode, error, draft, url, title, slug = row[:10]
    if error is not None:
        return (ident, path, mtime, size, inode, 0, None, None, None, None)
    published = not draft
    stem = os.path.splitext(path.rsplit("/", 1)[-1])[0]  # as PostFact.stem
    return (ident, path, mtime, size, inode, int(published),
            normalize_url(url) if url else None,
            title_key(title) if published and title and title.strip() else None,
            stem, slug)


def _term_rows(stale: Sequence[Sequence[Any]]) -> Iterator[tuple[str, str, str, int]]:
    for row in stale:
        if row[5] is not None:
            continue
        for field, text in (("tags", row[10]), ("categories", row[11])):
            for term in set(string_list(text)):
                yield field, variant_key(term), term, row[0]


class IndexFacts:
    """``SiteFacts`` from the site index (refreshed, keys synced) for a few linted posts.

    ``own`` are the facts of the posts being linted, read from their files; the index holds
    them too (the refresh at the start of the run read them). Should the database fail
    mid-run, the answers come from ``fallback()`` (the files read directly).
    """

    def __init__(self, connection: sqlite3.Connection, own: Mapping[str, PostFact],
                 now: dt.datetime, fallback: Callable[[], SiteFacts]) -> None:
        self.connection = connection
        self.own = own
        self.now = now
        self._fallback = fallback
        self._rescue: SiteFacts | None = None
        self._facts: dict[tuple[str, str], list[PostFact]] = {}

    def _files(self) -> SiteFacts:
        if self._rescue is None:
            self._rescue = self._fallback()
        return self._rescue

    def _rows(self, sql: str, params: Sequence[Any]) -> list[Any] | None:
        """The rows of a query; None once the database has failed."""
        if self._rescue is not None:
            return None
        try:
            return self.connection.execute(sql, params).fetchall()
        except sqlite3.Error:
            self._files()
            return None

    def _chunked(self, sql: str, first: Sequence[Any], keys: Collection[str]) -> list[Any] | None:
        """``sql`` (with ``{marks}`` for the keys) over the keys in chunks."""
        found: list[Any] = []
        ordered = sorted(keys)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            rows = self._rows(sql.format(marks=", ".join("?" * len(chunk))), [*first, *chunk])
            if rows is None:
                return None
            found.extend(rows)
        return found

    def fact(self, rel_path: str) -> PostFact | None:
        found = self.own.get(rel_path)
        if found is not None:
            return found
        rows = self._rows(f"SELECT {FACT_COLUMNS} FROM posts WHERE posts.path = ? "
                          "AND posts.error IS NULL", (rel_path,))
        if rows is None:
            return self._files().fact(rel_path)
        return fact_of_row(rows[0], self.now) if rows else None

    def sharing(self, kind: KeyKind, keys: Collection[str]) -> dict[str, list[str]]:
        column = "url_key" if kind == "url" else "title_key"
        rows = self._chunked(f"SELECT {column}, path FROM lint1_keys WHERE published = 1 "
                             f"AND {column} IN ({{marks}})", (), keys)
        if rows is None:
            return self._files().sharing(kind, keys)
        groups: dict[str, list[str]] = {}
        for key, path in rows:
            groups.setdefault(key, []).append(path)
        return {key: paths for key, paths in groups.items() if len(paths) > 1}

    def spellings(self, field: TermField, variants: Collection[str]) -> dict[str, Counter[str]]:
        rows = self._chunked("SELECT variant, term, COUNT(*) FROM lint1_terms WHERE field = ? "
                             "AND variant IN ({marks}) GROUP BY variant, term", (field,),
                             variants)
        if rows is None:
            return self._files().spellings(field, variants)
        groups: dict[str, Counter[str]] = {}
        for variant, term, count in rows:
            groups.setdefault(variant, Counter())[term] = count
        return {key: group for key, group in groups.items() if len(group) > 1}

    def named(self, stem: str) -> list[PostFact]:
        return self._by("stem", stem)

    def with_slug(self, slug: str) -> list[PostFact]:
        return self._by("slug", slug)

    def _by(self, column: str, value: str) -> list[PostFact]:
        found = self._facts.get((column, value))
        if found is None:
            rows = self._rows(f"SELECT {FACT_COLUMNS} FROM lint1_keys AS k JOIN posts ON "
                              f"posts.id = k.id WHERE k.{column} = ? ORDER BY posts.path",
                              (value,))
            if rows is None:
                files = self._files()
                return files.named(value) if column == "stem" else files.with_slug(value)
            found = self._facts[(column, value)] = [fact_of_row(row, self.now) for row in rows]
        return found

    def has_url(self, url_key: str) -> bool:
        rows = self._rows("SELECT 1 FROM lint1_keys WHERE url_key = ? LIMIT 1", (url_key,))
        if rows is None:
            return self._files().has_url(url_key)
        return bool(rows)


FEW = 20  # IndexFacts when the linted posts are fewer than 1/FEW of the site's


def is_few(connection: sqlite3.Connection, count: int) -> bool:
    """Whether ``count`` linted posts are few enough for lookups rather than every row."""
    total = connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
    return count * FEW < int(total)


def index_facts(connection: sqlite3.Connection, own: Mapping[str, PostFact],
                now: dt.datetime, fallback: Callable[[], SiteFacts]) -> SiteFacts:
    """Facts about the site for a run that read ``own`` from the files: lookups in the
    index for a few posts, else every row of it; ``fallback()`` if the index fails."""
    from postctl.lint.facts import MemoryFacts

    try:
        if is_few(connection, len(own)):
            sync_keys(connection)
            return IndexFacts(connection, own, now, fallback)
        rows = connection.execute(
            f"SELECT {FACT_COLUMNS} FROM posts WHERE posts.error IS NULL").fetchall()
    except sqlite3.Error:
        return fallback()
    facts = {row[0]: fact_of_row(row, now) for row in rows}
    facts.update(own)
    return MemoryFacts(facts.values())
