"""``postctl set KEY=VALUE... [PATH]...``: give the selected posts these front-matter values."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.filters import (
    AllOpt,
    AnyTagOpt,
    AuthorOpt,
    CategoryOpt,
    DraftsOpt,
    NoFutureOpt,
    PostFilters,
    SinceOpt,
    TagOpt,
    UntilOpt,
    WhereOpt,
)
from postctl.cli.options import AllPostsOpt, DryRunOpt, NoCacheOpt, RecordFormatOpt, YesOpt

AssignmentsArg = Annotated[list[str], typer.Argument(
    metavar="KEY=VALUE... [PATH]...", help="Values to set (VALUE read as YAML, as new --set "
    "reads it), then the posts or folders to change, if any.", show_default=False)]


def set_keys(
    assignments: AssignmentsArg,
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
    every_post: AllPostsOpt = False,
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    fmt: RecordFormatOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Set front-matter keys on the posts that list's filters or the given paths name
    (--all-posts: every post). A key a post lacks is added where postctl new would put it.

    Examples: postctl set layout=post --where '!layout'; postctl set featured=true
    _posts/2024-05-01-a.md; postctl set draft=true --tag wip --dry-run
    """
    from postctl.cli.changing import make_change, nothing_to_do, selected
    from postctl.cli.context import current_site, wants_json
    from postctl.edit.bulk import plan_files
    from postctl.edit.keys import set_edits
    from postctl.edit.scaffold import fields_from_assignments, site_conventions

    wants_json(fmt)
    site = current_site()
    pairs = [text for text in assignments if _is_assignment(text)]
    paths = [text for text in assignments if not _is_assignment(text)]
    if not pairs:
        from postctl.errors import UsageError

        raise UsageError("nothing to set: give KEY=VALUE")
    values = fields_from_assignments(pairs, "set")
    chosen = PostFilters(tag=tag, any_tag=any_tag, category=category, author=author,
                         since=since, until=until, drafts=drafts, all_posts=all_posts,
                         no_future=no_future, where=where)
    rels = selected(site, chosen, paths, every_post, no_cache)
    if not rels:
        nothing_to_do("no post matches the selection")
    order = [*(site.config.new.keys or ()), *site_conventions(site).keys]
    plans = plan_files(site, rels, lambda path, front, kind: set_edits(front, values, order))
    shown = ", ".join(f"{key}={text.partition('=')[2]}" for key, text in zip(values, pairs,
                                                                            strict=False))
    make_change(site, plans, what=f"set {shown}", fmt=fmt, dry_run=dry_run, yes=yes)


def _is_assignment(text: str) -> bool:
    """``KEY=VALUE`` with a simple KEY (a path never reads so: it holds a / or a dot)."""
    from postctl.edit.scaffold import FIELD_NAME

    key, sep, _ = text.partition("=")
    return bool(sep) and FIELD_NAME.fullmatch(key.strip()) is not None
