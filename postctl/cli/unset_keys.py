"""``postctl unset KEY... [PATH]...``: remove front-matter keys from the selected posts."""

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

KeysArg = Annotated[list[str], typer.Argument(
    metavar="KEY... [PATH]...", help="Keys to remove, then the posts or folders to change, if "
    "any (a path holds a / or ends in a post's extension).", show_default=False)]


def unset_keys(
    keys: KeysArg,
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
    """Remove front-matter keys from the posts that list's filters or the given paths name
    (--all-posts: every post); each key takes exactly its own lines.

    Examples: postctl unset image --where 'image='; postctl unset featured _posts/
    """
    from postctl.cli.changing import make_change, nothing_to_do, selected
    from postctl.cli.context import current_site, wants_json
    from postctl.edit.bulk import plan_files
    from postctl.edit.keys import unset_edits
    from postctl.site.resolve import looks_like_path

    wants_json(fmt)
    site = current_site()
    names = [text for text in keys if not looks_like_path(text)]
    paths = [text for text in keys if looks_like_path(text)]
    if not names:
        from postctl.errors import UsageError

        raise UsageError("nothing to remove: give the KEY")
    chosen = PostFilters(tag=tag, any_tag=any_tag, category=category, author=author,
                         since=since, until=until, drafts=drafts, all_posts=all_posts,
                         no_future=no_future, where=where)
    rels = selected(site, chosen, paths, every_post, no_cache)
    if not rels:
        nothing_to_do("no post matches the selection")
    plans = plan_files(site, rels, lambda path, front, kind: unset_edits(front, names))
    listed = ", ".join(repr(name) for name in names)
    make_change(site, plans, what=f"unset {', '.join(names)}", fmt=fmt, dry_run=dry_run,
                yes=yes, nothing=f"no selected post has {listed}")
