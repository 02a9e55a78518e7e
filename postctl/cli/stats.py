"""``postctl stats``: the figures of a site's posts."""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import typer

from postctl.cli.filters import (
    AllOpt,
    AuthorOpt,
    CategoryOpt,
    DraftsOpt,
    PostFilters,
    SinceOpt,
    TagOpt,
    UntilOpt,
)
from postctl.cli.options import NoCacheOpt, StrictOpt


class StatsFormat(str, enum.Enum):
    text = "text"
    json = "json"


class By(str, enum.Enum):
    auto = "auto"
    month = "month"
    year = "year"


ByOpt = Annotated[By, typer.Option("--by", help="Posts per month or per year (auto: by month "
                                   "when that is at most 24 months, else by year).",
                                   case_sensitive=False)]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="How many tags and authors to show.")]
_PERIODS: dict[By, Literal["auto", "month", "year"]] = {
    By.auto: "auto", By.month: "month", By.year: "year"}
StatsFormatOpt = Annotated[StatsFormat, typer.Option(
    "--format", "-f", help="Output format.", case_sensitive=False)]


def stats(
    by: ByOpt = By.auto,
    top: TopOpt = 10,
    tag: TagOpt = None,
    category: CategoryOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    fmt: StatsFormatOpt = StatsFormat.text,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """The site in figures: posts per month or year as a bar chart, words per post, drafts,
    the most used tags and authors, the oldest and the newest post. Published posts by
    default; the options choose posts as list's do.

    Example: postctl stats --by year; postctl stats --since 2024 --format json
    """
    from postctl.catalog.stats import site_stats
    from postctl.cli.context import (
        current_site,
        output,
        reading_posts,
        require_posts,
        wants_json,
    )
    from postctl.render.progress import TerminalReporter
    from postctl.render.stats import write_stats

    site = current_site()
    wants_json(fmt)
    filters = PostFilters(tag=tag, category=category, author=author, since=since, until=until,
                          drafts=drafts, all_posts=all_posts).resolve(site.tz)
    with reading_posts(site, no_cache, strict) as catalog:
        figures = site_stats(catalog, filters, _PERIODS[by], top, TerminalReporter(output()))
        if figures.posts == 0 and figures.drafts == 0:
            require_posts(site, "no figures to show")
    if figures.posts == 0:
        output().warning("no post matches these options" if figures.drafts == 0
                         else "no published post matches (drafts are counted apart; see --all)")
    write_stats(figures, fmt is StatsFormat.json, output())
