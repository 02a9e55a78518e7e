"""The options that choose posts (list and search): one ``Annotated`` alias each, and
:class:`PostFilters`, the values given, which resolve to the library's filters."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

import typer

from postctl.cli.completion import complete_author, complete_category, complete_tag

if TYPE_CHECKING:
    import datetime as dt

    from postctl.catalog.query import Filters

TagOpt = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Only posts with this tag (repeatable: all must match).",
                 show_default=False, autocompletion=complete_tag),
]
CategoryOpt = Annotated[
    list[str] | None,
    typer.Option("--category", "-c", help="Only posts in this category (repeatable).",
                 show_default=False, autocompletion=complete_category),
]
AuthorOpt = Annotated[
    str | None,
    typer.Option("--author", "-a", help="Only posts by this author.", show_default=False,
                 autocompletion=complete_author),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="Only posts dated on or after this date: YYYY-MM-DD, or "
                 "YYYY-MM or YYYY (from the start of that month or year), or a date and time "
                 "(YYYY-MM-DDTHH:MM).", show_default=False),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Only posts dated on or before this date: YYYY-MM-DD, or "
                 "YYYY-MM or YYYY (to the end of that month or year), or a date and time "
                 "(YYYY-MM-DDTHH:MM).", show_default=False),
]
DraftsOpt = Annotated[bool, typer.Option("--drafts", help="Only drafts.")]
AllOpt = Annotated[bool, typer.Option(
    "--all", help="Published posts and drafts (Hugo: every page hugo list all shows).")]
FutureOpt = Annotated[bool, typer.Option(
    "--future", help="Only posts dated after now (Hugo: publishDate after now; with --drafts "
    "or --expired, those too).")]
ExpiredOpt = Annotated[bool, typer.Option(
    "--expired", help="Hugo: only pages whose expiryDate has passed (with --drafts or "
    "--future, those too).")]
KindOpt = Annotated[
    list[str] | None,
    typer.Option("--kind", help="Hugo: only pages of this kind: page, section or home "
                 "(repeatable).", show_default=False),
]
AnyTagOpt = Annotated[
    bool, typer.Option("--any-tag", help="With several --tag: posts with any of them, not all.")
]
NoFutureOpt = Annotated[
    bool, typer.Option("--no-future", help="Hide posts dated after now (listed by default).")
]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option("--where", "-w", help="Front-matter condition (repeatable, all must hold): "
                 "key=value, key!=value, key~regex, key? (present), !key (absent).",
                 show_default=False),
]


@dataclasses.dataclass(frozen=True)
class PostFilters:
    """The options that choose posts, as given on the command line. A command that takes
    them declares one parameter per field, typed as the field is, and builds this from them
    (Typer reads a command's options from its own signature, one parameter each)."""

    tag: TagOpt = None
    any_tag: AnyTagOpt = False
    category: CategoryOpt = None
    author: AuthorOpt = None
    since: SinceOpt = None
    until: UntilOpt = None
    drafts: DraftsOpt = False
    all_posts: AllOpt = False
    no_future: NoFutureOpt = False
    where: WhereOpt = None
    future: FutureOpt = False
    expired: ExpiredOpt = False
    kind: KindOpt = None

    def resolve(self, tz: dt.tzinfo, hugo: bool = False) -> Filters:
        """The library's filters; UsageError for a bad date, regex or combination.
        ``hugo``: the site is a Hugo site (what is published is what Hugo publishes)."""
        from postctl.catalog.query import make_filters

        return make_filters(
            tz, tags=self.tag, any_tag=self.any_tag, categories=self.category,
            author=self.author, since=self.since, until=self.until, drafts=self.drafts,
            all_posts=self.all_posts, no_future=self.no_future, where=self.where, hugo=hugo,
            future=self.future, expired=self.expired, kinds=self.kind)
