"""Run a search: the site index's full-text search, or a scan of the files when there is no
usable index (``--no-cache``, no FTS5 in this Python's SQLite, an index that cannot be used).

Both answer with the same matches and ranking (:mod:`postctl.search.fulltext`,
:mod:`postctl.search.scan`). What the caller should know is passed to ``warn`` and ``notice``
(one line each); ``progress(stage)`` opens a progress display for a stage of work
(``"index"``: updating the site index, ``"fulltext"``: building the search index) as a
context manager that yields a ``(done, total)`` callback or None.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postctl.catalog.index import Notice
    from postctl.catalog.query import Filters, Sort
    from postctl.search.fulltext import SearchResult
    from postctl.search.language import Node
    from postctl.site.model import Site

__all__ = ["DEFAULT_LIMIT", "parse_search_sort", "ranked_paths", "search_posts"]

DEFAULT_LIMIT = 20
RELEVANCE = frozenset({"relevance", "score", "rank", "-relevance", "-score", "-rank"})

StageProgress = Callable[[str], AbstractContextManager[Callable[[int, int], None] | None]]


def parse_search_sort(text: str | None) -> Sort | None:
    """``--sort``: None for relevance (the default), else a sort key as ``list`` takes."""
    if text is None or text.strip() in RELEVANCE:
        return None
    from postctl.catalog.query import parse_sort

    return parse_sort(text)


def _ignore(message: str) -> None:
    pass


def _stage(progress: StageProgress | None, name: str) -> AbstractContextManager[
        Callable[[int, int], None] | None]:
    return progress(name) if progress is not None else nullcontext()


def search_posts(
    site: Site,
    node: Node,
    filters: Filters,
    sort: Sort | None = None,
    limit: int = DEFAULT_LIMIT,
    *,
    stem: bool | None = None,
    no_cache: bool = False,
    snippet_width: int,
    count: bool,
    warn: Notice = _ignore,
    notice: Notice | None = None,
    progress: StageProgress | None = None,
) -> SearchResult:
    """The posts matching ``node`` and ``filters``, best first (or in ``sort`` order), at
    most ``limit``. ``stem`` None: the ``[search] stem`` setting. ``count``: also count
    every match (``SearchResult.total``)."""
    from postctl.search.fulltext import (
        FtsUnavailable,
        FullTextIndex,
        SearchResult,
        fts5_available,
        stem_setting,
    )
    from postctl.search.scan import scan_search

    if stem is None:
        stem = stem_setting(site.config.search, site.config.path)

    def scan() -> SearchResult:
        if stem:
            warn("--stem needs the full-text index; matching exact word forms")
        return scan_search(site, node, filters, sort, limit, snippet_width=snippet_width)

    if no_cache:
        return scan()
    if not fts5_available():
        warn("this Python's SQLite has no FTS5 full-text search; reading every post "
             "instead (correct, but slower)")
        return scan()
    from postctl.catalog.index import SiteIndex
    from postctl.catalog.reader import open_catalog

    with _stage(progress, "index") as bar:
        catalog = open_catalog(site, notice=notice, warn=warn, progress=bar)
    if not isinstance(catalog, SiteIndex):  # the index cannot be used; the reason was given
        catalog.close()
        return scan()
    try:
        engine = FullTextIndex(catalog, stem=stem)
        with _stage(progress, "fulltext") as bar:
            engine.sync(bar)
        found = engine.search(node, filters, sort, limit, snippet_width=snippet_width,
                              count=count)
        errors = catalog.errors() if catalog.error_count() else []
        return SearchResult(found.hits, found.total, errors)
    except FtsUnavailable as exc:
        warn(f"{exc}; reading every post instead")
        return scan()
    finally:
        catalog.close()


def ranked_paths(
    site: Site,
    words: str,
    limit: int,
    *,
    warn: Notice = _ignore,
    notice: Notice | None = None,
    progress: StageProgress | None = None,
) -> list[str] | None:
    """``postctl search``'s ranking of ``words`` over published posts and drafts alike:
    paths relative to the site root, best first; None when the words are not a query."""
    from postctl.catalog.query import make_filters
    from postctl.search.language import QueryError, parse_query

    try:
        node = parse_query(words)
    except QueryError:
        return None
    filters = make_filters(site.tz, all_posts=True)
    result = search_posts(site, node, filters, None, limit, snippet_width=80, count=False,
                          warn=warn, notice=notice, progress=progress)
    return [hit.summary.path for hit in result.hits]
