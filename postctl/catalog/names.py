"""Names for shell completion: the tags, categories, authors and post slugs the site index
holds, read as they were stored when a command last brought the index up to date.

Completion runs at every press of Tab, so it reads without walking the site and without
writing: a site with no index (or one made by another version of postctl) offers no
values, and a file changed since the last command is offered as it was.
"""

from __future__ import annotations

from typing import Literal

from postctl.catalog.database import read_stored
from postctl.site.model import Site

Column = Literal["tags", "categories", "authors"]
MAX_NAMES = 200  # a shell shows no more usefully


def stored_names(site: Site, column: Column, prefix: str = "") -> list[str]:
    """The names in ``column`` that start with ``prefix`` (ignoring case), most used first,
    then by name."""
    if column not in ("tags", "categories", "authors"):
        raise ValueError(column)
    rows = read_stored(site, f"SELECT term.value, COUNT(*) AS uses FROM posts, "
                  f"json_each(posts.{column}) AS term WHERE posts.error IS NULL "
                  f"GROUP BY term.value ORDER BY uses DESC, term.value")
    folded = prefix.casefold()
    return [str(name) for name, _ in rows if str(name).casefold().startswith(folded)][:MAX_NAMES]


def stored_refs(site: Site, prefix: str = "") -> list[tuple[str, str]]:
    """``(reference, title)`` of the posts a command's POST argument can name that start
    with ``prefix``: slugs (newest first), or, when the prefix holds a ``/``, paths
    relative to the site root."""
    column = "posts.path" if "/" in prefix else "posts.slug"
    rows = read_stored(site, f"SELECT {column}, posts.title FROM posts WHERE posts.error IS NULL "
                  f"AND substr({column}, 1, ?) = ? ORDER BY posts.date_epoch DESC, posts.path",
                  (len(prefix), prefix))
    found: dict[str, str] = {}
    for ref, title in rows:
        if ref and ref not in found:
            found[ref] = title or ""
            if len(found) >= MAX_NAMES:
                break
    return list(found.items())
