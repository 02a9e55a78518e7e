"""`postctl rename POST "New title"`: a new title, file name and URL; references follow."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.completion import complete_post
from postctl.cli.lifecycle import DryRunOpt, LifecycleDateOpt
from postctl.cli.options import RecordFormatOpt

RefArg = Annotated[str, typer.Argument(
    metavar="POST", help="A path, a slug, or words from the title (quoted).",
    show_default=False, autocompletion=complete_post)]
TitleArg = Annotated[str, typer.Argument(
    metavar="TITLE", help="The new title.", show_default=False)]
SlugOpt = Annotated[str | None, typer.Option(
    "--slug", help="Slug for the file name (default: from the new title).",
    show_default=False)]
NowOpt = Annotated[bool, typer.Option("--now", help="Date the post now (and its file name).")]
NoRedirectOpt = Annotated[bool, typer.Option(
    "--no-redirect", help="Do not add the old URL to redirect_from (Hugo: aliases).")]


def rename(
    post_ref: RefArg,
    title: TitleArg,
    slug: SlugOpt = None,
    date: LifecycleDateOpt = None,
    now: NowOpt = False,
    no_redirect: NoRedirectOpt = False,
    dry_run: DryRunOpt = False,
    fmt: RecordFormatOpt = None,
) -> None:
    """Retitle a post: title in place, file renamed to the new slug, every post_url, link
    and ref to it rewritten, the old URL kept as a redirect."""
    from postctl.cli.context import current_site, wants_json
    from postctl.cli.lifecycle import finish
    from postctl.cli.postref import pick_post
    from postctl.edit.renaming import plan_rename
    from postctl.errors import UsageError

    wants_json(fmt)
    if date is not None and now:
        raise UsageError("--date and --now cannot be used together")
    site = current_site()
    post = pick_post(site, post_ref, "Rename")
    plan = plan_rename(site, post, title, slug=slug, date=date, now=now,
                       redirect=not no_redirect)
    finish(site, plan, fmt, dry_run)
