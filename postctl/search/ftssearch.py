"""Running a query on the full-text tables: matching, BM25 ranking, and highlighting.

The score is :func:`rank_sql`: per column, FTS5's ``bm25()`` counting that column only, summed
with the weights of :data:`postctl.search.base.WEIGHTS` (ties: newest first, then by path).
Without filters that need every match, SQLite sorts the matches of the FTS5 table alone by
score and the joins run only for the rows read. Snippets are highlighted by an in-memory FTS5
table with the same tokenizer, so they show exactly what the query matched (stems included).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from postctl.search.base import (
    COLUMNS,
    WEIGHTS,
    Hit,
    SearchResult,
    column_texts,
    positive_terms,
)
from postctl.search.language import Node, QueryError
from postctl.search.language import to_fts as query_to_fts
from postctl.search.snippets import SNIPPET_WIDTH, Snippets, Spans
from postctl.text.textify import CJK_BREAK, fold_chars, split_cjk

if TYPE_CHECKING:
    from postctl.catalog.query import Filters, Sort
    from postctl.catalog.summary import Summary
    from postctl.search.ftstables import FtsTables

__all__ = ["rank_sql", "search"]

HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "\x01", "\x02"


def search(
    fts: FtsTables,
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
    from postctl.catalog.querysql import sql_conditions

    expression = query_to_fts(node)
    condition, params = sql_conditions(filters)
    connection = fts.connection
    try:
        rank = rank_sql(fts.table, _scored_columns(fts, node))
        joined = (f" FROM {fts.table} JOIN {fts.docs} AS d ON d.docid = {fts.table}.rowid "
                  f"JOIN posts ON posts.id = d.post_id WHERE {fts.table} MATCH ? AND {condition}")
        arguments: list[Any] = [expression, *params]
        if sort is None and not filters.where and limit is not None:
            scored = _best(fts, rank, expression, (condition, params), limit)
            total = len(scored)
            if count and total >= limit:
                total = int(connection.execute(f"SELECT count(*){joined}", arguments
                                               ).fetchone()[0])
            hits = _hits(connection, scored)
        else:
            hits = _sorted(fts, rank, joined, arguments, filters, sort)
            total = len(hits)
            hits = hits[:limit] if limit is not None else hits
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc).lower():
            raise QueryError(f"cannot search for that: {exc}") from None
        raise
    snippets = Snippets(fts.index.site, snippet_width)
    tokenizer = fts.tokenizer
    return SearchResult(snippets.apply(
        hits, lambda found, texts: fts_highlights(found, texts, expression, tokenizer)), total)


def rank_sql(table: str, columns: Iterable[str] = COLUMNS) -> str:
    """The score of a row of the FTS5 ``table`` in SQL, lower is better (as ``bm25()``): for
    each of ``columns``, its weight times ``bm25()`` with that column weighted 1 and the
    others 0 (see :data:`postctl.search.base.WEIGHTS`)."""
    terms = []
    for name in columns:
        mask = ", ".join("1" if other == name else "0" for other in COLUMNS)
        terms.append(f"{WEIGHTS[name]!r} * bm25({table}, {mask})")
    return " + ".join(terms) or "0.0"


# Columns probed together first (a common word is rarely a tag, category or author name):
# finding that a group has no occurrence costs one scan of the words' posting lists.
_PROBES = (("title",), ("excerpt",), ("body",), ("tags", "categories", "author"))


def _scored_columns(fts: FtsTables, node: Node) -> list[str]:
    """The columns where a word or phrase of the query occurs in at least one row. Only they
    are scored: in the others every row's ``bm25()`` is 0, and each ``bm25()`` left out
    saves a pass over every match's occurrences (a sixth of the time of a query for a word
    in every post)."""
    phrases = " OR ".join(dict.fromkeys(query_to_fts(term) for term in positive_terms(node)))
    if not phrases:
        return list(COLUMNS)
    sql = f"SELECT 1 FROM {fts.table} WHERE {fts.table} MATCH ? LIMIT 1"

    def occurs(names: tuple[str, ...]) -> bool:
        match = f"{{{' '.join(names)}}} : ({phrases})"
        return fts.connection.execute(sql, (match,)).fetchone() is not None

    found: set[str] = set()
    for group in _PROBES:
        if occurs(group):
            found.update(group if len(group) == 1 else
                         (name for name in group if occurs((name,))))
    return [name for name in COLUMNS if name in found]


# Rows of the FTS5 table ranked at first (at least; 4 x the limit): SQLite then keeps only the
# best ones while scoring (a top-N sort), a sixth faster than sorting every match.
WINDOW = 256


def _best(
    fts: FtsTables,
    rank: str,
    expression: str,
    condition: tuple[str, list[Any]],
    limit: int,
) -> list[tuple[int, float]]:
    """The ``limit`` best matches: the best rows of the FTS5 table by ``rank`` alone, then
    joined to the posts and filtered by ``condition``, until ``limit`` rows and the ties of
    the last one are read. When the window of best rows runs out first (many posts the
    filters leave out rank first), the query runs again with a larger window."""
    window = max(WINDOW, 4 * limit)
    sql = (f"SELECT rowid, {rank} AS score FROM {fts.table} WHERE {fts.table} MATCH ? "
           "ORDER BY score LIMIT ?")
    while limit > 0:
        ranked: list[tuple[int, float]] = fts.connection.execute(
            sql, (expression, window)).fetchall()
        rows: list[tuple[int, float, float | None, str]] = []
        for start in range(0, len(ranked), 500):
            batch = ranked[start:start + 500]
            found = _posts_of(fts, [docid for docid, _ in batch], condition)
            for docid, score in batch:
                if docid not in found:
                    continue  # a post the filters leave out
                if len(rows) >= limit and score != rows[-1][1]:
                    return _ordered(rows, limit)
                post_id, epoch, path = found[docid]
                rows.append((post_id, score, epoch, path))
        if len(ranked) < window:  # every match was read
            return _ordered(rows, limit)
        window *= 8
    return []


def _ordered(
    rows: list[tuple[int, float, float | None, str]], limit: int
) -> list[tuple[int, float]]:
    """The first ``limit`` of (post id, rank, date, path) rows, equal ranks newest first,
    as (post id, score)."""
    rows.sort(key=lambda row: (row[1], row[2] is None, -(row[2] or 0.0), row[3]))
    return [(post_id, -rank) for post_id, rank, _, _ in rows[:limit]]


def _posts_of(
    fts: FtsTables, docids: list[int], condition: tuple[str, list[Any]]
) -> dict[int, tuple[int, float | None, str]]:
    """The live rows among ``docids`` whose posts pass ``condition`` (SQL, parameters):
    their post id, date and path."""
    where, params = condition
    marks = ", ".join("?" * len(docids))
    return {row[0]: (row[1], row[2], row[3]) for row in fts.connection.execute(
        f"SELECT d.docid, d.post_id, posts.date_epoch, posts.path FROM {fts.docs} AS d "
        f"JOIN posts ON posts.id = d.post_id WHERE d.docid IN ({marks}) AND {where}",
        [*docids, *params])}


def _sorted(
    fts: FtsTables,
    rank: str,
    joined: str,
    arguments: list[Any],
    filters: Filters,
    sort: Sort | None,
) -> list[Hit]:
    """Every match, with --where applied, in ``sort`` order (None: best first)."""
    from postctl.catalog.querysql import order_by

    order = (order_by(sort) if sort is not None else
             "score, posts.date_epoch IS NULL, posts.date_epoch DESC, posts.path")
    sql = f"SELECT d.post_id, {rank} AS score{joined}"
    if order is not None:
        sql += f" ORDER BY {order}"
    found = _hits(fts.connection,
                  [(row[0], -row[1]) for row in fts.connection.execute(sql, arguments)])
    if filters.where:
        from postctl.catalog.matching import RegexBudget, where_matches

        budget = RegexBudget()
        found = [hit for hit in found if all(
            where_matches(where, hit.summary, budget) for where in filters.where)]
    if order is None and sort is not None:
        from postctl.catalog.ordering import sort_summaries

        by_path = {hit.summary.path: hit for hit in found}
        summaries = sort_summaries(
            (hit.summary for hit in found), sort, fts.index.site.tz, filters.now)
        found = [by_path[summary.path] for summary in summaries]
    return found


def _hits(connection: sqlite3.Connection, scored: list[tuple[int, float]]) -> list[Hit]:
    from postctl.catalog.rows import SUMMARY_COLUMNS, summary_from_row

    summaries: dict[int, Summary] = {}
    for start in range(0, len(scored), 500):
        chunk = [post_id for post_id, _ in scored[start:start + 500]]
        marks = ", ".join("?" * len(chunk))
        for row in connection.execute(
                f"SELECT posts.id, {SUMMARY_COLUMNS} FROM posts WHERE posts.id IN ({marks})",
                chunk):
            summaries[row[0]] = summary_from_row(tuple(row[1:]))
    return [Hit(summaries[post_id], round(score, 6)) for post_id, score in scored
            if post_id in summaries]


def fts_highlights(
    hits: list[Hit], texts: list[tuple[str, str]], expression: str, tokenizer: str
) -> list[tuple[Spans, Spans]]:
    """Where the FTS5 query ``expression`` matched each hit's (excerpt, body) text, found by
    FTS5 itself in a throw-away table with the index's ``tokenizer``."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(f"CREATE VIRTUAL TABLE s USING fts5({', '.join(COLUMNS)}, "
                           f"tokenize='{tokenizer}')")
        rows = []
        for number, (hit, (excerpt, body)) in enumerate(zip(hits, texts, strict=True)):
            summary = hit.summary
            columns = column_texts(summary.title or "", summary.tags, summary.categories,
                                   summary.authors, excerpt, body)
            rows.append((number, *(split_cjk(fold_chars(text)) for text in columns)))
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
    """Spans of the highlighted parts of ``marked``, as offsets into the unmarked text (the
    breaks :func:`split_cjk` put in are not part of it)."""
    spans: Spans = []
    removed = 0
    start = -1
    for index, char in enumerate(marked):
        if char == CJK_BREAK:
            removed += 1
        elif char == HIGHLIGHT_OPEN:
            start = index - removed
            removed += 1
        elif char == HIGHLIGHT_CLOSE:
            if start >= 0:
                spans.append((start, index - removed))
            removed += 1
            start = -1
    return spans
