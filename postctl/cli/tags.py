"""``postctl tags`` and ``postctl categories``: every name with its post count (their verbs
rename, merge and delete are in postctl.cli.terms)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from postctl.cli.filters import AllOpt, DraftsOpt
from postctl.cli.options import FormatOpt, LimitOpt, MinCountOpt, NoCacheOpt, StrictOpt

_GROUPED = ("spellings that differ only in case, spaces, hyphens or underscores are shown "
            "together.")


def _term_command(column: str, help_text: str) -> Callable[..., None]:
    """The command that counts the names in ``column`` (tags or categories)."""

    def command(
        ctx: typer.Context,
        min_count: MinCountOpt = 1,
        drafts: DraftsOpt = False,
        all_posts: AllOpt = False,
        limit: LimitOpt = None,
        fmt: FormatOpt = None,
        no_cache: NoCacheOpt = False,
        strict: StrictOpt = False,
    ) -> None:
        from postctl.catalog.query import make_filters
        from postctl.cli.context import (
            current_site,
            output,
            reading_posts,
            require_posts,
            wants_json,
        )
        from postctl.post import taxonomy
        from postctl.render.listing import write_terms

        if ctx.invoked_subcommand is not None:
            return  # a verb (rename, merge, delete) runs instead
        site = current_site()
        wants_json(fmt)
        filters = make_filters(site.tz, drafts=drafts, all_posts=all_posts,
                               hugo=site.flavour == "hugo")
        require_posts(site, f"no {column} to show")
        with reading_posts(site, no_cache, strict) as catalog:
            terms = taxonomy.group_terms(
                catalog.term_counts(column, filters),
                lambda names: catalog.posts_with_any(column, names, filters))
            write_terms(taxonomy.at_least(terms, min_count)[:limit], fmt, output())

    command.__name__ = command.__qualname__ = column
    command.__doc__ = help_text
    return command


tags = _term_command("tags", f"""Every tag with its post count, most used first; {_GROUPED}
    Verbs: rename, merge, delete.

    Example: postctl tags --min-count 5; postctl tags rename python3 python
    """)
categories = _term_command("categories", f"""Every category with its post count, most used
    first; {_GROUPED} Verbs: rename, merge, delete.

    Example: postctl categories --format json; postctl categories merge Tech Dev --into Engineering
    """)
