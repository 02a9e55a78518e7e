"""``postctl tags`` and ``postctl categories``: every name with its post count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.cli.options import (
    AllOpt,
    DraftsOpt,
    FormatOpt,
    LimitOpt,
    MinCountOpt,
    NoCacheOpt,
    StrictOpt,
)

if TYPE_CHECKING:
    from postctl.render import OutputFormat


def tags(
    min_count: MinCountOpt = 1,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Every tag with its post count, most used first; spellings that differ only in case,
    spaces, hyphens or underscores are shown together.

    Example: postctl tags --min-count 5
    """
    _terms("tags", min_count, drafts, all_posts, limit, fmt, no_cache, strict)


def categories(
    min_count: MinCountOpt = 1,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    limit: LimitOpt = None,
    fmt: FormatOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Every category with its post count, most used first; spellings that differ only in
    case, spaces, hyphens or underscores are shown together.

    Example: postctl categories --format json
    """
    _terms("categories", min_count, drafts, all_posts, limit, fmt, no_cache, strict)


def _terms(
    column: str,
    min_count: int,
    drafts: bool,
    all_posts: bool,
    limit: int | None,
    fmt: OutputFormat | None,
    no_cache: bool,
    strict: bool,
) -> None:
    from postctl import query, taxonomy
    from postctl.cli.context import current_site, output, wants_json
    from postctl.cli.list import open_catalog_for, report_unreadable, write_plain
    from postctl.render import OutputFormat
    from postctl.render.rows import write_rows

    site = current_site()
    out = output()
    wants_json(fmt)
    filters = query.make_filters(site.tz, drafts=drafts, all_posts=all_posts)
    catalog = open_catalog_for(site, no_cache, out)
    try:
        counts = catalog.term_counts(column, filters)
        terms = taxonomy.group_terms(
            counts, lambda names: catalog.posts_with_any(column, names, filters))
        errors = catalog.errors()
    finally:
        catalog.close()
    chosen = taxonomy.at_least(terms, min_count)[:limit]
    rows = [term.row() for term in chosen]
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        fields: tuple[str, ...] = ("name", "count", "variants")
    else:
        fields = ("name", "count", "spellings")
    if fmt is None and not out.is_terminal(out.stdout):
        write_plain(rows, fields, out)
    else:
        write_rows(rows, fmt or OutputFormat.table, out, fields=fields, path_key="name")
    report_unreadable(errors, out, strict)
