"""Words per post for ``postctl stats``, kept beside the site index and counted on demand.

Counting the words a reader sees (:func:`postctl.post.words.word_count`) costs more than
parsing a post's front matter, and only ``stats`` reads it, so the site index's own rows do
not hold it: the table ``words(hash PRIMARY KEY, words)`` maps the hash of a post's bytes
(``posts.hash``) to its count. A post whose bytes are new is counted when ``stats`` first
needs it; counts of bytes no post has any more are dropped then. A rebuild of the index
drops the table with the rest, and the next ``stats`` counts again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from postctl.reporting import SILENT, Reporter
from postctl.site.forks import forked_map
from postctl.site.workers import worker_count

if TYPE_CHECKING:
    from postctl.catalog.indexview import IndexView
    from postctl.catalog.query import Filters
    from postctl.site.model import Site

_TABLE = "CREATE TABLE IF NOT EXISTS words (hash TEXT PRIMARY KEY, words INTEGER NOT NULL)"
_CHUNK = 250


def file_words(site: Site, rel: str) -> int | None:
    """The words of the post at ``rel`` (relative to the site root), or None when it cannot
    be read or split."""
    from postctl.errors import SourceError
    from postctl.post.words import word_count
    from postctl.text.reading import read_post_bytes
    from postctl.text.source import split_source

    path = site.root / rel
    try:
        return word_count(split_source(read_post_bytes(
            path, site.config.limits.max_file_bytes), path).body)
    except (SourceError, UnicodeDecodeError):
        return None


def count_files(site: Site, rels: list[str]) -> Iterator[int | None]:
    """:func:`file_words` of each of ``rels``, in order; many are shared out to forked
    processes (counting is CPU-bound)."""
    workers = worker_count(len(rels))
    if workers <= 1:
        yield from (file_words(site, rel) for rel in rels)
        return
    chunks = [rels[start:start + _CHUNK] for start in range(0, len(rels), _CHUNK)]

    def count_chunk(number: int) -> list[int | None]:
        return [file_words(site, rel) for rel in chunks[number]]

    with contextlib.closing(forked_map(count_chunk, len(chunks), workers)) as counted:
        for counts in counted:
            yield from counts


def indexed_words(index: IndexView, filters: Filters, paths: Iterable[str] | None = None,
                  reporter: Reporter = SILENT) -> dict[str, int]:
    """The words of each post of the index that ``filters`` choose but for ``--where`` (and
    of ``paths`` among them), by path; posts not counted yet are counted and remembered."""
    condition, params = _counted(index, filters, reporter)
    rows = index.connection.execute(
        "SELECT posts.path, words.words FROM posts JOIN words ON words.hash = posts.hash "
        f"WHERE {condition}", params)
    wanted = None if paths is None else set(paths)
    return {rel: words for rel, words in rows if wanted is None or rel in wanted}


def word_figures(index: IndexView, filters: Filters, reporter: Reporter = SILENT,
                 ) -> tuple[int, int, int, int, int] | None:
    """(posts, total, median, shortest, longest) of the words of the posts ``filters``
    choose but for ``--where``, computed in SQL; None: no post counted."""
    condition, params = _counted(index, filters, reporter)
    execute = index.connection.execute
    join = f"FROM posts JOIN words ON words.hash = posts.hash WHERE {condition}"
    posts, total, shortest, longest = execute(
        f"SELECT COUNT(*), SUM(words.words), MIN(words.words), MAX(words.words) {join}",
        params).fetchone()
    if not posts:
        return None
    middle = [row[0] for row in execute(
        f"SELECT words.words {join} ORDER BY words.words LIMIT ? OFFSET ?",
        [*params, 2 - posts % 2, (posts - 1) // 2])]
    return posts, total, round(sum(middle) / len(middle)), shortest, longest


def _counted(index: IndexView, filters: Filters, reporter: Reporter) -> tuple[str, list[Any]]:
    """Count the posts ``filters`` choose whose bytes have no count yet; their condition."""
    from postctl.catalog.querysql import sql_conditions

    connection = index.connection
    connection.execute(_TABLE)
    condition, params = sql_conditions(filters)
    missing = connection.execute(
        "SELECT posts.path, posts.hash FROM posts LEFT JOIN words ON words.hash = posts.hash "
        f"WHERE {condition} AND posts.hash IS NOT NULL AND words.hash IS NULL", params
    ).fetchall()
    if missing:
        counted: list[tuple[str, int]] = []
        with reporter.stage("words") as progress:
            for number, words in enumerate(count_files(index.site, [m[0] for m in missing])):
                if words is not None:
                    counted.append((missing[number][1], words))
                progress(number + 1, len(missing))
        with index._write():
            connection.executemany("INSERT OR REPLACE INTO words (hash, words) VALUES (?, ?)",
                                   counted)
            connection.execute("DELETE FROM words WHERE hash NOT IN "
                               "(SELECT hash FROM posts WHERE hash IS NOT NULL)")
    return condition, params
