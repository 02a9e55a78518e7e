"""The full-text tables in the site index's database: their names for each tokenizer variant,
their schema and meta rows, creating and dropping them.

Tables (all prefixed ``fts_``; the site index drops them with everything else on a rebuild)::

    fts_meta(key, value)                  schema, and per variant: state, last change seen
    fts_changes(seq, post_id)             ids of posts rows written since; filled by triggers
                                          on ``posts`` (insert, content update, delete)
    fts_plain / fts_stem                  contentless FTS5 tables, one per tokenizer variant:
        (title, tags, categories, author, excerpt, body)
    fts_plain_doc / fts_stem_doc(docid, post_id, file_hash, meta_hash, text)
                                          the FTS row of each post, and the text it was
                                          indexed with (zlib, see postctl.search.ftsdocs)

Why contentless: a table that keeps its own copy of the text is 1.6x the corpus on disk,
a contentless one about 0.5x. This Python links SQLite 3.40, where deleting a row from a
contentless table needs the text it was indexed with (``contentless_delete`` came in 3.43):
``*_doc`` keeps that text compressed (another 0.7x: 1.2x in all on a generated corpus of
10,000 posts), so a changed or deleted post's row is deleted, and the statistics BM25 ranks
with count the current posts only (:mod:`postctl.search.ftssync`). Every query joins
through ``*_doc``: a row is a post's while ``post_id`` names it.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from postctl.errors import PostctlError
from postctl.search.base import COLUMNS

if TYPE_CHECKING:
    from postctl.catalog.index import SiteIndex

__all__ = ["FTS_SCHEMA", "TOKENIZERS", "FtsTables", "FtsUnavailable", "drop_all",
           "fts5_available"]

TOKENIZERS = {
    False: "unicode61 remove_diacritics 2",
    True: "porter unicode61 remove_diacritics 2",
}
FTS_SCHEMA = "5"  # bump when the tables or the indexed text change: the next sync rebuilds


class FtsUnavailable(PostctlError):
    """SQLite here has no FTS5, or the full-text tables cannot be used."""


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
SHARED_OBJECTS = frozenset(_TRIGGERS)  # the unreadable-posts index is the site index's own


def drop_all(connection: sqlite3.Connection) -> None:
    """Drop every full-text table and trigger (the next search builds what it needs)."""
    for name in _TRIGGERS:
        connection.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in _TABLES:
        connection.execute(f"DROP TABLE IF EXISTS {name}")  # FTS5 shadow tables go too


class FtsTables:
    """The full-text tables of one site index, for one tokenizer variant (stemmed or not)."""

    def __init__(self, index: SiteIndex, *, stem: bool = False) -> None:
        self.index = index
        self.connection = index.connection
        self.stem = stem
        self.variant = "stem" if stem else "plain"
        self.table = f"fts_{self.variant}"
        self.docs = f"fts_{self.variant}_doc"
        self.tokenizer = TOKENIZERS[stem]

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
        if not SHARED_OBJECTS <= objects:
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
                      "post_id INTEGER UNIQUE, file_hash TEXT NOT NULL, meta_hash TEXT NOT NULL, "
                      "text BLOB NOT NULL)")
        self._execute(f"CREATE INDEX {self.docs}_hash ON {self.docs} (file_hash)")

    def _head(self) -> int:
        """The sequence number of the last logged change (kept after the log is trimmed)."""
        row = self._execute("SELECT seq FROM sqlite_sequence WHERE name = 'fts_changes'"
                            ).fetchone()
        return 0 if row is None else int(row[0])

    def _live(self) -> int:
        """How many rows of this variant are posts'."""
        return int(self._execute(f"SELECT count(post_id) FROM {self.docs}").fetchone()[0])

    def _detached(self) -> int:
        """How many rows of this variant no post has (during a sync)."""
        return int(self._execute(
            f"SELECT count(*) FROM {self.docs} WHERE post_id IS NULL").fetchone()[0])
