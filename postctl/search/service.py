"""Run a search: the site index's full-text search, or a scan of the files when there is no
usable index (``--no-cache``, no FTS5 in this Python's SQLite, an index that cannot be used).

Both answer with the same matches and ranking (:mod:`postctl.search.fulltext`,
:mod:`postctl.search.scan`). What the caller should know, and the stages of work
(``"index"``, ``"fulltext"``), go to the reporter (:mod:`postctl.reporting`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.reporting import SILENT, Reporter

if TYPE_CHECKING:
    from postctl.catalog.query import Filters, Sort
    from postctl.search.fulltext import SearchResult
    from postctl.search.language import Node
    from postctl.site.model import Site

__all__ = ["DEFAULT_LIMIT", "parse_search_sort", "ranked_paths", "search_posts"]

DEFAULT_LIMIT = 20
RELEVANCE = frozenset({"relevance", "score", "rank", "-relevance", "-score", "-rank"})

def parse_search_sort(text: str | None) -> Sort | None:
    """``--sort``: None for relevance (the default), else a sort key as ``list`` takes."""
    if text is None or text.strip() in RELEVANCE:
        return None
    from postctl.catalog.query import parse_sort

    return parse_sort(text)


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
    reporter: Reporter = SILENT,
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
            reporter.warn("--stem needs the full-text index; matching exact word forms")
        return scan_search(site, node, filters, sort, limit, snippet_width=snippet_width)

    if no_cache:
        return scan()
    if not fts5_available():
        reporter.warn("this Python's SQLite has no FTS5 full-text search; reading every post "
             "instead (correct, but slower)")
        return scan()
    from postctl.catalog.index import SiteIndex
    from postctl.catalog.reader import open_catalog

    catalog = open_catalog(site, reporter=reporter)
    if not isinstance(catalog, SiteIndex):  # the index cannot be used; the reason was given
        catalog.close()
        return scan()
    try:
        engine = FullTextIndex(catalog, stem=stem)
        with reporter.stage("fulltext") as progress:
            engine.sync(progress)
        found = engine.search(node, filters, sort, limit, snippet_width=snippet_width,
                              count=count)
        errors = catalog.errors() if catalog.error_count() else []
        return SearchResult(found.hits, found.total, errors)
    except FtsUnavailable as exc:
        reporter.warn(f"{exc}; reading every post instead")
        return scan()
    finally:
        catalog.close()


def ranked_paths(
    site: Site,
    words: str,
    limit: int,
    *,
    reporter: Reporter = SILENT,
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
                          reporter=reporter)
    return [hit.summary.path for hit in result.hits]
