"""Running a query on the full-text tables: matching, BM25 ranking, and highlighting.

FTS5 ranks by ``bm25()`` with the column weights of :data:`postctl.searchbase.WEIGHTS`
(ties: newest first, then by path). Without filters that need every match, FTS5 orders the
matches itself and the joins run only for the rows read. Snippets are highlighted by an
in-memory FTS5 table with the same tokenizer, so they show exactly what the query matched
(stems included).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from postctl.searchbase import COLUMNS, WEIGHTS, Hit, SearchResult, column_texts
from postctl.searchquery import Node, QueryError
from postctl.searchquery import to_fts as query_to_fts
from postctl.snippets import SNIPPET_WIDTH, Snippets, Spans
from postctl.textify import fold_chars

if TYPE_CHECKING:
    from postctl.ftsindex import FullTextIndex
    from postctl.query import Filters, Sort
    from postctl.summary import Summary

__all__ = ["search"]

HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE = "\x01", "\x02"


def search(
    fts: FullTextIndex,
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
    joined = (f" FROM {fts.table} JOIN {fts.docs} AS d ON d.docid = {fts.table}.rowid "
              f"JOIN posts ON posts.id = d.post_id WHERE {fts.table} MATCH ? AND {condition}")
    arguments: list[Any] = [expression, *params]
    connection = fts.connection
    try:
        if sort is None and not filters.where and limit is not None:
            scored = _best(connection, joined, arguments, limit)
            total = len(scored)
            if count and total >= limit:
                total = int(connection.execute(f"SELECT count(*){joined}", arguments
                                               ).fetchone()[0])
            hits = _hits(connection, scored)
        else:
            hits = _sorted(fts, joined, arguments, filters, sort)
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


def _weights() -> str:
    return ", ".join(str(WEIGHTS[name]) for name in COLUMNS)


def _best(
    connection: sqlite3.Connection, joined: str, arguments: list[Any], limit: int
) -> list[tuple[int, float]]:
    """The ``limit`` best matches: FTS5 orders its matches by BM25 itself and the joins
    run only for the rows read, until ``limit`` rows and the ties of the last one."""
    sql = (f"SELECT d.post_id, rank, posts.date_epoch, posts.path{joined} "
           f"AND rank MATCH 'bm25({_weights()})' ORDER BY rank")
    rows: list[tuple[int, float, float | None, str]] = []
    for row in connection.execute(sql, arguments):
        if len(rows) >= limit and row[1] != rows[-1][1]:
            break
        rows.append(row)
    rows.sort(key=lambda row: (row[1], row[2] is None, -(row[2] or 0.0), row[3]))
    return [(post_id, -rank) for post_id, rank, _, _ in rows[:limit]]


def _sorted(
    fts: FullTextIndex, joined: str, arguments: list[Any], filters: Filters, sort: Sort | None
) -> list[Hit]:
    """Every match, with --where applied, in ``sort`` order (None: best first)."""
    from postctl import query

    order = (sort.sql if sort is not None else
             "score, posts.date_epoch IS NULL, posts.date_epoch DESC, posts.path")
    sql = f"SELECT d.post_id, bm25({fts.table}, {_weights()}) AS score{joined}"
    if order is not None:
        sql += f" ORDER BY {order}"
    found = _hits(fts.connection,
                  [(row[0], -row[1]) for row in fts.connection.execute(sql, arguments)])
    if filters.where:
        budget = query.RegexBudget()
        found = [hit for hit in found if all(
            query.where_matches(where, hit.summary, budget) for where in filters.where)]
    if order is None and sort is not None:
        by_path = {hit.summary.path: hit for hit in found}
        summaries = query.sort_summaries(
            (hit.summary for hit in found), sort, fts.index.site.tz, filters.now)
        found = [by_path[summary.path] for summary in summaries]
    return found


def _hits(connection: sqlite3.Connection, scored: list[tuple[int, float]]) -> list[Hit]:
    from postctl.index import SUMMARY_COLUMNS, summary_from_row

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
            rows.append((number, *(fold_chars(text) for text in columns)))
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
