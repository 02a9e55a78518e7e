"""The full-text index the commands use: SQLite FTS5 tables in the site index's database,
for one tokenizer variant, kept in step with it and queried.

Its tables are :mod:`postctl.search.ftstables`, their documents :mod:`postctl.search.ftsdocs`,
keeping them in step :mod:`postctl.search.ftssync`, and queries run in
:mod:`postctl.search.ftssearch`. Without FTS5 (or with ``--no-cache``),
:func:`postctl.search.scan.scan_search` answers by reading the files, with the same query
semantics and ranking formula.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.search import ftssearch
from postctl.search.ftssync import FtsSync
from postctl.search.ftstables import FtsUnavailable, fts5_available

if TYPE_CHECKING:
    from postctl.catalog.index import SiteIndex

__all__ = ["FullTextIndex"]


class FullTextIndex(FtsSync):
    """The full-text tables of one site index, for one tokenizer variant (stemmed or not):
    ``sync()`` them after ``SiteIndex.refresh()``, then ``search()``."""

    def __init__(self, index: SiteIndex, *, stem: bool = False) -> None:
        if not fts5_available():
            raise FtsUnavailable("this Python's SQLite has no FTS5 full-text extension")
        super().__init__(index, stem=stem)

    # A query on these tables, run by postctl.search.ftssearch (call sync() first):
    # search(node, filters, sort=None, limit=20, *, snippet_width, count) -> SearchResult
    search = ftssearch.search
