"""`postctl unpublish POST`: a published post becomes a draft again."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.lifecycle import DryRunOpt
from postctl.cli.options import RecordFormatOpt
from postctl.cli.postref import PostArg

ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Unpublish even when other posts link to it (their build breaks).")]


def unpublish(
    post_ref: PostArg,
    force: ForceOpt = False,
    dry_run: DryRunOpt = False,
    fmt: RecordFormatOpt = None,
) -> None:
    """Make a post a draft again: Jekyll _posts/DATE-slug.md → _drafts/slug.md, content
    unchanged; Hugo draft: true. Refused when other posts link to it, unless --force."""
    from postctl.cli.context import current_site, wants_json
    from postctl.cli.lifecycle import finish
    from postctl.cli.postref import pick_post
    from postctl.edit.publishing import plan_unpublish

    wants_json(fmt)
    site = current_site()
    post = pick_post(site, " ".join(post_ref), "Unpublish")
    finish(site, plan_unpublish(site, post, force=force), fmt, dry_run)
