"""Which posts a change-making command touches: the posts that carry a tag or category in
any of its spellings, or the posts ``list``'s filters and given paths name.

Posts are found through the catalog (the site index, or the files read directly), drafts
included unless the filters say otherwise; paths come back relative to the site root,
sorted, for :func:`postctl.edit.bulk.plan_files` to read and edit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.catalog.query import ALL, Filters, Sort
from postctl.errors import UsageError
from postctl.site.model import Site

if TYPE_CHECKING:
    from postctl.catalog.reader import Catalog

BY_PATH = Sort("path", descending=False)


def posts_with_terms(catalog: Catalog, column: str,
                     matches: Callable[[str], bool]) -> tuple[list[str], list[str]]:
    """The posts (drafts too) that carry a name of ``column`` (tags or categories) that
    ``matches`` accepts, and those names as written, each sorted."""
    spellings = sorted(name for name in catalog.term_counts(column, Filters(drafts=ALL))
                       if matches(name))
    found: set[str] = set()
    for name in spellings:
        one = (Filters(tags=(name,), drafts=ALL) if column == "tags"
               else Filters(categories=(name,), drafts=ALL))
        found.update(summary.path for summary in catalog.summaries(one, BY_PATH)
                     if any(matches(term) for term in getattr(summary, column)))
    return sorted(found), spellings


def selected_posts(catalog: Catalog, filters: Filters, within: Sequence[str] | None) -> list[str]:
    """The posts that pass ``filters``; with ``within`` (paths relative to the site root, of
    posts or folders: :func:`site_paths`), only those among them."""
    found = [summary.path for summary in catalog.summaries(filters, BY_PATH)]
    if within is None or "" in within:
        return found
    wanted = set(within)
    folders = tuple(path.rstrip("/") + "/" for path in within)
    return [path for path in found if path in wanted or path.startswith(folders)]


def site_paths(site: Site, paths: Sequence[str], cwd: Path) -> list[str]:
    """The given files or folders, relative to the site root ('/'-separated). A path is
    taken from ``cwd``, else from the root; one that does not exist or lies outside the
    site is a usage error."""
    found = []
    for given in paths:
        candidates = [Path(given)] if os.path.isabs(given) else [cwd / given, site.root / given]
        path = next((c for c in candidates if os.path.lexists(c)), None)
        if path is None:
            raise UsageError(f"no such file or folder: {given}")
        absolute = (Path(os.path.realpath(path)) if os.path.isdir(path)
                    else Path(os.path.realpath(path.parent)) / path.name)
        if not absolute.is_relative_to(site.root):
            raise UsageError(f"{given}: not inside the site at {site.root}")
        rel = absolute.relative_to(site.root).as_posix()
        found.append("" if rel == "." else rel)
    return found
