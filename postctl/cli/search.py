"""``postctl search QUERY``: ranked full-text search over the site's posts."""

from __future__ import annotations

from typing import Annotated

import typer

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
from postctl.cli.options import FormatOpt, LimitOpt, NoCacheOpt, StrictOpt

QueryArg = Annotated[
    list[str],
    typer.Argument(metavar="QUERY...", show_default=False, help=(
        'Words (all must match), "exact phrases", prefix*, OR, NOT or -word, and field terms '
        "title:word, tag:name, author:name, category:name. Several words are one query, as "
        "if quoted together.")),
]
SearchSortOpt = Annotated[
    str | None,
    typer.Option("--sort", "-s", show_default=False, help=(
        "Order: relevance (default; ties newest first), or a sort key as for list "
        "(-date: newest first).")),
]
StemOpt = Annotated[
    bool | None,
    typer.Option("--stem/--no-stem", show_default=False, help=(  # help is rich markup: \[
        "Match English word forms (talks finds talk); default: \\[search] stem in the config.")),
]


def search(
    query_words: QueryArg,
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
    sort: SearchSortOpt = None,
    limit: LimitOpt = None,
    stem: StemOpt = None,
    fmt: FormatOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Search the posts' text, best matches first, with the matching passage shown.

    Case and accents are ignored (cafe finds café). Shows the 20 best unless --limit says
    otherwise. Exit 1 when nothing matches.

    Examples: postctl search zelensky alaska; postctl search '"night train" -flight';
    postctl search 'title:python tag:cli' --since 2024 --format json
    """
    from postctl.cli.context import (
        current_site,
        output,
        report_unreadable,
        require_posts,
        wants_json,
    )
    from postctl.render.progress import TerminalReporter
    from postctl.render.search import snippet_width, write_hits
    from postctl.search.language import parse_query
    from postctl.search.service import DEFAULT_LIMIT, parse_search_sort, search_posts

    query_text = " ".join(query_words)
    site = current_site()
    out = output()
    wants_json(fmt)
    node = parse_query(query_text)
    filters = PostFilters(tag=tag, any_tag=any_tag, category=category, author=author,
                          since=since, until=until, drafts=drafts, all_posts=all_posts,
                          no_future=no_future, where=where, future=future, expired=expired,
                          kind=kind)
    chosen = filters.resolve(site.tz, hugo=site.flavour == "hugo")
    order = parse_search_sort(sort)
    result = search_posts(
        site, node, chosen, order, limit or DEFAULT_LIMIT, stem=stem, no_cache=no_cache,
        snippet_width=snippet_width(fmt, out), count=fmt is None or fmt.value == "table",
        reporter=TerminalReporter(out))
    if not result.hits:
        require_posts(site, "nothing to search")
    write_hits(result, site, fmt, out, chosen.now)
    report_unreadable(result.errors, strict)
    if not result.hits:
        out.info(f"no posts match {query_text!r}")
        raise typer.Exit(1)
