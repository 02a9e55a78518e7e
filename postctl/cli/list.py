"""``postctl list``: the site's posts, filtered and sorted, as a table or as data."""

from __future__ import annotations

from postctl.cli.filters import (
    AllOpt,
    AnyTagOpt,
    AuthorOpt,
    CategoryOpt,
    DraftsOpt,
    ExpiredOpt,
    FutureOpt,
    KindOpt,
    NoFutureOpt,
    PostFilters,
    SinceOpt,
    TagOpt,
    UntilOpt,
    WhereOpt,
)
from postctl.cli.options import FieldsOpt, FormatOpt, LimitOpt, NoCacheOpt, SortOpt, StrictOpt


def list_posts(
    tag: TagOpt = None,
    any_tag: AnyTagOpt = False,
    category: CategoryOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    no_future: NoFutureOpt = False,
    where: WhereOpt = None,
    future: FutureOpt = False,
    expired: ExpiredOpt = False,
    kind: KindOpt = None,
    sort: SortOpt = "-date",
    limit: LimitOpt = None,
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """List posts (published by default, newest first), filtered by tag, category, author,
    date or any front-matter key.

    Examples: postctl list --tag politics; postctl list -t python -t cli --format json;
    postctl list --where 'title~^How' --where 'image?' --sort title --fields title,image

    On a Hugo site the default is what hugo list published shows; --drafts, --future and
    --expired show what Hugo's build flags add, --all what hugo list all shows.
    """
    from postctl.catalog.query import parse_sort
    from postctl.cli.context import current_site, output, reading_posts, require_posts, wants_json
    from postctl.render.listing import parse_fields, write_listing

    site = current_site()
    wants_json(fmt)
    filters = PostFilters(tag=tag, any_tag=any_tag, category=category, author=author,
                          since=since, until=until, drafts=drafts, all_posts=all_posts,
                          no_future=no_future, where=where, future=future, expired=expired,
                          kind=kind)
    chosen = filters.resolve(site.tz, hugo=site.flavour == "hugo")
    order = parse_sort(sort)
    columns = parse_fields(fields)
    require_posts(site, "nothing to list")
    with reading_posts(site, no_cache, strict) as catalog:
        write_listing(catalog, site, chosen, order, limit, columns, fmt, output())
