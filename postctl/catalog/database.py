"""The site index's database file: where it lives, how it is connected, written and closed,
and how a damaged one is recognised and deleted.

One database per site root, in the cache folder (:mod:`postctl.site.cache`), named
``site-<hash of the resolved root>.sqlite``.
Nothing is written into the site. The database is in WAL mode with a busy timeout, and
writes happen in ``BEGIN IMMEDIATE`` transactions, so concurrent postctl processes never
corrupt it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any, TypeVar

from postctl.catalog.schema import stale_reason
from postctl.errors import PostctlError
from postctl.site.cache import cache_dir, site_key
from postctl.site.model import Site

BUSY_TIMEOUT_SECONDS = 60.0
_CORRUPT_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
PAGE_SIZE = 16384  # bytes, of a new database

_Database = TypeVar("_Database", bound="IndexDatabase")


class IndexUnavailable(PostctlError):
    """The index cannot be used here (cache folder not writable, database locked...)."""


def index_file(root: Path) -> Path:
    """The database of the site at ``root``, named after the site (:func:`site_key`)."""
    return cache_dir() / f"{site_key(root)}.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the database at ``path`` in WAL mode, waiting for other writers."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                 check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    # Pages of 16 KiB for a new database (no effect on an existing one): a listing reads
    # most of the posts table, in a quarter of the reads of the default 4 KiB pages.
    connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if not mode or str(mode[0]).lower() != "wal":
        connection.close()
        raise sqlite3.OperationalError("cannot switch the database to WAL mode")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def read_stored(site: Site, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` over the site's stored index, read-only, without waiting for a
    writer; none when there is no current index (see :func:`~postctl.catalog.schema.
    stale_reason`) or it cannot be read."""
    path = index_file(site.root)
    if not path.is_file():
        return []
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return []
    try:
        if stale_reason(connection, site) is not None:
            return []
        return connection.execute(sql, params).fetchall()
    except sqlite3.Error:
        return []
    finally:
        connection.close()


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


class WriteTransaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on an exception); a nested write joins
    the transaction already open."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.outermost = not self.connection.in_transaction
        if self.outermost:
            self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if not self.outermost:
            return
        if kind is None:
            self.connection.execute("COMMIT")
        else:
            self.connection.execute("ROLLBACK")


class IndexDatabase:
    """The open database of one site's index; close it (or use ``with``) when done."""

    def __init__(self, site: Site, path: Path, connection: sqlite3.Connection) -> None:
        self.site = site
        self.path = path
        self.connection = connection
        self._root = str(site.root)

    def __enter__(self: _Database) -> _Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()

    def _write(self) -> WriteTransaction:
        return WriteTransaction(self.connection)
