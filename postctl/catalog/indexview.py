"""What is read from an open site index: its rows, the posts that could not be parsed, the
posts a listing query selects (as summaries or straight as JSON items), term counts, status.

Every filter but ``--where`` is answered in SQL (:mod:`postctl.catalog.querysql`), and so is
the order when the index has the sort key as a column; ``--where`` and other sort keys are
applied to the rows read (:mod:`postctl.catalog.matching`, :mod:`postctl.catalog.ordering`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postctl.catalog.database import IndexDatabase
from postctl.catalog.query import Filters, Sort
from postctl.catalog.querysql import order_by, sql_conditions
from postctl.catalog.rows import SUMMARY_COLUMNS, summary_from_row
from postctl.catalog.schema import SCHEMA_VERSION
from postctl.catalog.summary import Summary, join_item
from postctl.errors import SourceError


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


class IndexView(IndexDatabase):
    """The reading side of an open site index."""

    def error_count(self) -> int:
        row = self.connection.execute("SELECT COUNT(*) FROM posts WHERE error IS NOT NULL")
        return int(row.fetchone()[0])

    def count(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM posts").fetchone()[0])

    def errors(self) -> list[SourceError]:
        """The posts that could not be parsed, by path as shown (a name that is not UTF-8
        after the same characters in UTF-8, see postctl.site.walk.NOT_UTF8_MARK)."""
        rows = self.connection.execute(
            "SELECT path, error FROM posts WHERE error IS NOT NULL "
            "ORDER BY rtrim(path, '/'), path")
        return [self._error(path, text) for path, text in rows]

    def _error(self, rel: str, text: str) -> SourceError:
        from postctl.site.walk import shown_path

        data = json.loads(text)
        return SourceError(self.site.root / shown_path(rel), data["message"], data.get("line"),
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
        """The posts that pass ``filters``, in ``sort`` order (ties by path); Hugo's sections
        that set no date get those of their pages (:mod:`postctl.catalog.sections`)."""
        if filters.hugo and self._undated_branches():
            from postctl.catalog.ordering import ordered
            from postctl.catalog.sections import dated_branches, view_filters

            by_path = Sort("path", False)
            chosen = list(self._summaries(filters, by_path))
            view = self._summaries(view_filters(filters), by_path)
            return ordered(dated_branches(chosen, view, filters.now), sort, self.site.tz,
                           filters.now, limit)
        return self._summaries(filters, sort, limit)

    def _undated_branches(self) -> bool:
        return self.connection.execute(
            "SELECT 1 FROM posts WHERE kind IN ('section', 'home') AND error IS NULL AND "
            "date IS NULL AND publish_date IS NULL AND expiry_date IS NULL LIMIT 1",
        ).fetchone() is not None

    def _summaries(
        self, filters: Filters, sort: Sort, limit: int | None = None
    ) -> Iterator[Summary]:
        condition, params = sql_conditions(filters)
        sql = f"SELECT {SUMMARY_COLUMNS} FROM posts WHERE {condition}"
        order = order_by(sort)
        if order:
            sql += f" ORDER BY {order}"
            if limit is not None and not filters.where:
                sql += " LIMIT ?"
                params.append(limit)
        found: Iterator[Summary] = (
            summary_from_row(row) for row in self.connection.execute(sql, params))
        if filters.where:
            from postctl.catalog.matching import RegexBudget, where_matches

            budget = RegexBudget()
            found = (s for s in found
                     if all(where_matches(w, s, budget) for w in filters.where))
        if order:
            return _take(found, limit)
        from postctl.catalog.ordering import ordered

        return ordered(found, sort, self.site.tz, filters.now, limit)

    def item_json(self, filters: Filters, sort: Sort, limit: int | None = None,
                  ) -> Iterator[bytes]:
        """The JSON items (see postctl.catalog.summary) of the matching posts, UTF-8.

        Straight from SQL, without building a Summary per row or decoding the text, when
        the filters have no ``--where`` and the index can order by the sort key
        (:func:`order_by`).
        """
        order = order_by(sort)
        if filters.where or not order or (filters.hugo and self._undated_branches()):
            now = filters.now
            return (s.item_json(now) for s in self.summaries(filters, sort, limit))
        return self._item_json(filters, order, limit)

    def _item_json(self, filters: Filters, order: str, limit: int | None) -> Iterator[bytes]:
        for head, future, fm_json in self.connection.execute(*item_query(filters, order,
                                                                          limit)):
            yield join_item(head, bool(future), fm_json)

    def term_counts(self, column: str, filters: Filters) -> dict[str, int]:
        """How many matching posts carry each exact tag/category/author (column name)."""
        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        condition, params = sql_conditions(filters)
        rows = self.connection.execute(
            f"SELECT term.value, COUNT(*) FROM posts, json_each(posts.{column}) AS term "
            f"WHERE {condition} GROUP BY term.value", params)
        return {str(name): int(count) for name, count in rows}

    def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int:
        """How many matching posts carry at least one of ``names`` in ``column``."""
        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        condition, params = sql_conditions(filters)
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


def item_query(filters: Filters, order: str, limit: int | None) -> tuple[str, list[Any]]:
    """The SQL (and its parameters) of :meth:`IndexView.item_json`: each matching post's
    item head and front matter as stored (UTF-8 BLOBs), and whether it is in the future
    (Hugo's future is by publishDate: Summary.future; no date is not), in ``order``."""
    condition, params = sql_conditions(filters)
    sql = (f"SELECT CAST(posts.item AS BLOB), CASE WHEN posts.kind = 'post' THEN "
           f"posts.date_epoch ELSE posts.publish_epoch END > ?, "
           f"CAST(posts.front_matter AS BLOB) FROM posts WHERE {condition} ORDER BY {order}")
    params.insert(0, filters.now)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params
