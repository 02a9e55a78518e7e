"""`postctl publish POST`: a draft becomes a published post, dated."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.lifecycle import DryRunOpt, LifecycleDateOpt
from postctl.cli.options import RecordFormatOpt
from postctl.cli.postref import PostArg

KeepDateOpt = Annotated[bool, typer.Option(
    "--keep-date", help="Keep the post's date (and name the file by it).")]


def publish(
    post_ref: PostArg,
    date: LifecycleDateOpt = None,
    keep_date: KeepDateOpt = False,
    dry_run: DryRunOpt = False,
    fmt: RecordFormatOpt = None,
) -> None:
    """Publish a draft: Jekyll _drafts/slug.md → _posts/DATE-slug.md, or published: false
    removed; Hugo draft: false. Dated now (or --date) in the site's date style."""
    from postctl.cli.context import current_site, wants_json
    from postctl.cli.lifecycle import finish
    from postctl.cli.postref import pick_post
    from postctl.edit.publishing import plan_publish
    from postctl.errors import UsageError

    wants_json(fmt)
    if date is not None and keep_date:
        raise UsageError("--date and --keep-date cannot be used together")
    site = current_site()
    post = pick_post(site, " ".join(post_ref), "Publish")
    finish(site, plan_publish(site, post, date=date, keep_date=keep_date), fmt, dry_run)
