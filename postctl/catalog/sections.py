"""Hugo's dates of a section or home page that sets none: the latest ``date`` of the pages
under it, as Hugo gives them.

Hugo lets every page's dates bubble up to the sections above it: a section whose own front
matter sets no date takes the latest ``date`` of the pages (and dated sections) under it
that the build holds, and its ``publishDate`` is the latest ``date`` among those of them
that are neither future nor expired. Which pages the build holds is the listing's view:
``--all`` holds drafts, future and expired pages, the default only published ones. The
dates depend on the other pages and on the time now, so they are given when the listing is
read, not stored with each row.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable

from postctl.catalog.query import Filters
from postctl.catalog.summary import Summary

BRANCH_KINDS = ("section", "home")


def undated_branch(summary: Summary) -> bool:
    """A section or home page whose front matter gives none of Hugo's dates."""
    return (summary.kind in BRANCH_KINDS and summary.date_iso is None
            and summary.publish_iso is None and summary.expiry_iso is None)


def view_filters(filters: Filters) -> Filters:
    """The pages the build holds for ``filters``: its view, without any other filter."""
    return Filters(drafts=filters.drafts, now=filters.now, hugo=True, future=filters.future,
                   expired=filters.expired)


def dated_branches(chosen: list[Summary], view: Iterable[Summary], now: float,
                   ) -> list[Summary]:
    """``chosen`` with each undated section and home page given the dates of the pages of
    ``view`` under it."""
    branches = [summary for summary in chosen if undated_branch(summary)]
    if not branches:
        return chosen
    pool = [summary for summary in view if summary.date_iso is not None
            and summary.epoch is not None and not undated_branch(summary)]
    dated: dict[str, Summary] = {}
    for branch in branches:
        folder = posixpath.dirname(branch.path) + "/"
        under = [page for page in pool if page.path.startswith(folder)
                 and page.path != branch.path]
        latest = max(under, key=lambda page: page.epoch or 0.0, default=None)
        if latest is None:
            continue
        published = [page for page in under
                     if not page.future(now) and not page.expired(now)]
        newest = max(published, key=lambda page: page.epoch or 0.0, default=None)
        dated[branch.path] = dataclasses.replace(
            branch, date_iso=latest.date_iso, epoch=latest.epoch, day=latest.day,
            publish_iso=newest.date_iso if newest else None,
            publish_epoch=newest.epoch if newest else None)
    return [dated.get(summary.path, summary) for summary in chosen]
