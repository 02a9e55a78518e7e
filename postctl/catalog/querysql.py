"""A listing query as SQL over the site index's ``posts`` table: the filters except
``--where`` as a condition with placeholders, and the sort keys the index can order by.
"""

from __future__ import annotations

import json
from typing import Any

from postctl.catalog.query import ALL, DRAFTS, PUBLISHED, Filters, Sort


def sql_conditions(filters: Filters) -> tuple[str, list[Any]]:
    """The filters except ``--where`` as an SQL condition over the index's ``posts`` table."""
    parts = ["posts.error IS NULL"]
    params: list[Any] = []
    if filters.hugo:
        _hugo_status(parts, params, filters)
    elif filters.drafts == PUBLISHED:
        parts.append("posts.draft = 0")
    elif filters.drafts == DRAFTS:
        parts.append("posts.draft = 1")
    if filters.future and not filters.hugo:
        parts.append("posts.date_epoch > ?")
        params.append(filters.now)
    if filters.kinds:
        parts.append(f"posts.kind IN ({', '.join('?' * len(filters.kinds))})")
        params.extend(filters.kinds)
    if filters.tags:
        _json_any(parts, params, "tags_key", filters.tag_keys, every=not filters.any_tag)
    if filters.categories:
        _json_any(parts, params, "categories_key", filters.category_keys, every=True)
    if filters.authors:
        _json_any(parts, params, "authors_key", filters.author_keys, every=False)
    if filters.no_future:
        column = "posts.publish_epoch" if filters.hugo else "posts.date_epoch"
        parts.append(f"({column} IS NULL OR {column} <= ?)")
        params.append(filters.now)
    for bound, op in ((filters.since, ">="), (filters.until, "<=")):
        if bound is None:
            continue
        column, value = (("posts.day", bound.day) if bound.day is not None
                         else ("posts.date_epoch", bound.epoch))
        parts.append(f"{column} IS NOT NULL AND {column} {op} ?")
        params.append(value)
    return " AND ".join(parts), params


_FUTURE = "(posts.publish_epoch IS NOT NULL AND posts.publish_epoch > ?)"
_EXPIRED = "(posts.expiry_epoch IS NOT NULL AND posts.expiry_epoch < ?)"


def _hugo_status(parts: list[str], params: list[Any], filters: Filters) -> None:
    """Hugo: the pages ``hugo list`` shows, by status (see Filters)."""
    parts.append("posts.listed = 1")
    if filters.drafts == ALL:
        return
    chosen = []
    if filters.drafts == DRAFTS:
        chosen.append("posts.draft = 1")
    if filters.future:
        chosen.append(_FUTURE)
        params.append(filters.now)
    if filters.expired:
        chosen.append(_EXPIRED)
        params.append(filters.now)
    if chosen:
        parts.append("(" + " OR ".join(chosen) + ")")
        return
    parts.append(f"posts.draft = 0 AND NOT {_FUTURE} AND NOT {_EXPIRED}")
    params.extend([filters.now, filters.now])


def _json_any(
    parts: list[str], params: list[Any], column: str, keys: tuple[str, ...], *, every: bool
) -> None:
    # A cheap substring test on the JSON text first; json_each makes the match exact.
    def exists(key: str) -> str:
        params.extend([json.dumps(key, ensure_ascii=False), key])
        return (f"(instr(posts.{column}, ?) > 0 AND "
                f"EXISTS (SELECT 1 FROM json_each(posts.{column}) WHERE value = ?))")

    joined = [exists(key) for key in keys]
    parts.append("(" + (" AND " if every else " OR ").join(joined) + ")")


def order_by(sort: Sort) -> str | None:
    """ORDER BY for the index when the key is a column there, else None (sort in Python)."""
    direction = "DESC" if sort.descending else "ASC"
    if sort.key == "date":
        return f"posts.date_epoch IS NULL, posts.date_epoch {direction}, posts.path"
    if sort.key == "path":
        return f"posts.path {direction}"
    return None
