"""Live values for shell completion (``postctl --install-completion``): tags, categories
and authors for the options and verbs that take them, post references for POST arguments,
read from the site index as last stored (postctl.catalog.names).

A completion function never fails and never prints: with no site, or no index yet, it
offers nothing and the shell falls back to its own completion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from postctl.site.model import Site


def _site(ctx: typer.Context) -> Site | None:
    """The site the line being completed names (``--root``, POSTCTL_ROOT, or found from
    the working folder), or None."""
    from postctl.errors import PostctlError
    from postctl.site.model import open_site

    root = ctx.find_root().params.get("root")
    try:
        return open_site(root)
    except (PostctlError, OSError):
        return None


def _names(ctx: typer.Context, column: str, incomplete: str) -> list[str]:
    from postctl.catalog.names import stored_names

    site = _site(ctx)
    if site is None or column not in ("tags", "categories", "authors"):
        return []
    return stored_names(site, column, incomplete)  # type: ignore[arg-type]


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "tags", incomplete)


def complete_category(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "categories", incomplete)


def complete_author(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "authors", incomplete)


def complete_term(ctx: typer.Context, incomplete: str) -> list[str]:
    """The names of the group the verb is under: ``tags rename`` offers tags."""
    group = ctx.parent.info_name if ctx.parent is not None else None
    return _names(ctx, group or "", incomplete)


def complete_post(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Post slugs (paths once the word holds a ``/``), each with its title as help."""
    from postctl.catalog.names import stored_refs

    site = _site(ctx)
    return [] if site is None else stored_refs(site, incomplete)
