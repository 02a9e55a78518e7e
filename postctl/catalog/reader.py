"""One interface for what list, tags and categories read: the site index, or the files.

:func:`open_catalog` gives the refreshed site index, or :class:`DirectRead` over the files
themselves with ``--no-cache`` or when the index cannot be used (with a one-line reason).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from postctl.catalog.database import IndexUnavailable, index_file, is_corrupt, remove_files
from postctl.catalog.index import SiteIndex, open_index
from postctl.catalog.query import Filters, Sort
from postctl.catalog.summary import Summary
from postctl.errors import SourceError
from postctl.reporting import SILENT, Progress, Reporter
from postctl.site.model import Site

if TYPE_CHECKING:

    class Catalog(Protocol):
        """What list, tags and categories read: the index, or the files read directly."""

        site: Site

        def summaries(
            self, filters: Filters, sort: Sort, limit: int | None = None
        ) -> Iterator[Summary]: ...

        def item_json(
            self, filters: Filters, sort: Sort, limit: int | None = None
        ) -> Iterator[bytes]: ...

        def errors(self) -> list[SourceError]: ...

        def term_counts(self, column: str, filters: Filters) -> dict[str, int]: ...

        def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int: ...

        def close(self) -> None: ...


class DirectRead:
    """The Catalog interface over the files themselves (``--no-cache``, or no usable index).

    ``errors()`` is complete once a query has been consumed.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self._errors: dict[tuple[str, bool], SourceError] = {}  # by error_order()

    def _scan(self) -> Iterator[Summary]:
        from postctl.catalog.listing_parse import scan_summaries
        from postctl.site.scan import error_order

        for found in scan_summaries(self.site):
            if isinstance(found, SourceError):
                self._errors[error_order(found)] = found
            else:
                yield found

    def summaries(
        self, filters: Filters, sort: Sort, limit: int | None = None
    ) -> Iterator[Summary]:
        from postctl.catalog.matching import select
        from postctl.catalog.ordering import ordered

        if filters.hugo:  # Hugo's sections that set no date get those of their pages
            from postctl.catalog.sections import dated_branches, view_filters

            every = list(self._scan())
            chosen = dated_branches(list(select(every, filters)),
                                    select(every, view_filters(filters)), filters.now)
            return ordered(chosen, sort, self.site.tz, filters.now, limit)
        return ordered(select(self._scan(), filters), sort, self.site.tz, filters.now, limit)

    def item_json(self, filters: Filters, sort: Sort, limit: int | None = None,
                  ) -> Iterator[bytes]:
        now = filters.now
        return (summary.item_json(now) for summary in self.summaries(filters, sort, limit))

    def errors(self) -> list[SourceError]:
        return [self._errors[key] for key in sorted(self._errors)]

    def _term_lists(self, column: str, filters: Filters) -> Iterator[tuple[str, ...]]:
        from postctl.catalog.matching import select

        if column not in ("tags", "categories", "authors"):
            raise ValueError(column)
        for summary in select(self._scan(), filters):
            yield getattr(summary, column)

    def term_counts(self, column: str, filters: Filters) -> dict[str, int]:
        counts: dict[str, int] = {}
        for names in self._term_lists(column, filters):
            for name in names:
                counts[name] = counts.get(name, 0) + 1
        return counts

    def posts_with_any(self, column: str, names: list[str], filters: Filters) -> int:
        wanted = set(names)
        return sum(1 for found in self._term_lists(column, filters) if wanted & set(found))

    def close(self) -> None:
        pass


def open_catalog(
    site: Site,
    *,
    no_cache: bool = False,
    reporter: Reporter = SILENT,
) -> Catalog:
    """The refreshed site index, or the files read directly when ``no_cache`` or when the
    index cannot be used (the reporter is warned with a one-line reason; nothing is
    raised)."""
    if no_cache:
        return DirectRead(site)
    with reporter.stage("index") as progress:
        return _refreshed_index(site, reporter, progress)


def _refreshed_index(site: Site, reporter: Reporter, progress: Progress) -> Catalog:
    reason = ""
    for attempt in (1, 2):
        index: SiteIndex | None = None
        try:
            index = open_index(site, rebuild=attempt == 2, reporter=reporter, progress=progress)
            index.refresh(progress)
            return index
        except IndexUnavailable as exc:
            reason = str(exc)
        except sqlite3.DatabaseError as exc:  # damage found while reading, or locked too long
            if index is not None:
                index.close()
            reason = f"cannot use the site index: {exc}"
            if attempt == 1 and is_corrupt(exc):
                reporter.notice(f"the site index is damaged ({exc}); rebuilding it")
                try:
                    remove_files(index_file(site.root))
                except IndexUnavailable as removal:
                    reason = str(removal)
                    break
                continue
        break
    reporter.warn(f"{reason}; reading the files directly")
    return DirectRead(site)
