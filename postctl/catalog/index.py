"""The site index: a SQLite cache of every post's front matter, shared by list, lint and search.

:func:`open_index` opens a site's index, creating it, or rebuilding it when it is stale or
damaged. The index is only ever a cache: every command that reads many posts first calls
:meth:`SiteIndex.refresh`, and then reads it. One job per module:

- :mod:`postctl.catalog.database`: where the database lives, its connection and transactions;
- :mod:`postctl.catalog.schema`: its tables, and when a stored index is stale;
- :mod:`postctl.catalog.refresh`: the rows brought in step with the files;
- :mod:`postctl.catalog.rows`: how a changed file becomes a row;
- :mod:`postctl.catalog.indexview`: what is read from it.

A rebuild drops every table with a one-line notice (a corrupt file is deleted and made
anew); concurrent postctl processes never corrupt it. :mod:`postctl.catalog.reader` puts the
index and a direct read of the files behind one interface.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from postctl.catalog.database import (
    IndexUnavailable,
    connect,
    index_file,
    is_corrupt,
    remove_files,
)
from postctl.catalog.refresh import IndexRefresh, RefreshStats
from postctl.catalog.schema import reset, stale_reason
from postctl.reporting import SILENT, Progress, Reporter
from postctl.site.model import Site


def open_index(site: Site, *, rebuild: bool = False, reporter: Reporter = SILENT,
               progress: Progress | None = None) -> SiteIndex:
    """Open (creating or rebuilding as needed) the index of ``site``.

    The reporter is told about rebuilds; ``progress`` (of the caller's ``"index"`` stage)
    follows the fill that ``rebuild`` makes. Raises IndexUnavailable when the cache folder or
    database cannot be used; callers then read the files directly.
    """
    path = index_file(site.root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"cannot create the cache folder {path.parent}: "
                               f"{exc.strerror or exc}") from None
    try:
        return _open(site, path, rebuild, reporter, progress)
    except sqlite3.DatabaseError as exc:
        if not is_corrupt(exc):
            raise IndexUnavailable(f"cannot use the site index {path}: {exc}") from None
        reporter.notice(f"the site index {path} is damaged ({exc}); rebuilding it")
        remove_files(path)
        try:
            return _open(site, path, True, SILENT, progress)
        except sqlite3.DatabaseError as again:
            raise IndexUnavailable(f"cannot use the site index {path}: {again}") from None


def _open(site: Site, path: Path, rebuild: bool, reporter: Reporter,
          progress: Progress | None) -> SiteIndex:
    connection = connect(path)
    try:
        index = SiteIndex(site, path, connection)
        index.prepare(rebuild, reporter, progress)
    except BaseException:
        connection.close()
        raise
    return index


class SiteIndex(IndexRefresh):
    """An open site index. Use :func:`open_index`; close it (or use ``with``) when done."""

    def __init__(self, site: Site, path: Path, connection: sqlite3.Connection) -> None:
        super().__init__(site, path, connection)
        self._rebuilt: RefreshStats | None = None  # what a forced rebuild's fill did

    def prepare(self, rebuild: bool, reporter: Reporter = SILENT,
                progress: Progress | None = None) -> None:
        """Make the stored index usable: reset it when ``rebuild`` or when it is stale."""
        reason = "" if rebuild else stale_reason(self.connection, self.site)
        if reason is None:
            return
        with self._write():
            if not rebuild:  # another process may have rebuilt it while we waited
                reason = stale_reason(self.connection, self.site)
                if reason is None:
                    return
            if reason:
                reporter.notice(f"rebuilding the site index: {reason}")
            reset(self.connection, self.site)
            if rebuild:
                # Fill it in the same transaction: a process reading the index it replaces
                # never sees it empty.
                self._rebuilt = self.refresh(progress)

    def refresh(self, progress: Progress | None = None) -> RefreshStats:
        """Bring the index up to date with the files; return what was done (right after a
        forced rebuild: what its fill did)."""
        if self._rebuilt is not None:  # the rebuild just read every file: report that
            stats, self._rebuilt = self._rebuilt, None
            return stats
        return super().refresh(progress)
