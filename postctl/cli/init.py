"""``postctl init``: write a ``postctl.toml`` whose schema is inferred from the posts."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.options import DryRunOpt

ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Replace an existing postctl.toml (postctl undo puts it back).")]


def init(force: ForceOpt = False, dry_run: DryRunOpt = False) -> None:
    """Write postctl.toml for the site, with a \\[schema] inferred from its posts: keys
    nearly every post has become required, types and small sets of values come from the
    values seen, each choice commented with its count. lint checks posts against it at once.
    An existing postctl.toml is kept unless --force, which replaces its \\[schema] and keeps
    its other settings.

    Example: postctl init --dry-run; postctl init && postctl lint
    """
    from postctl.catalog.query import Sort, make_filters
    from postctl.cli.changing import command_line
    from postctl.cli.context import current_site, no_posts, output, reading_posts
    from postctl.edit.sitefiles import write_site_file
    from postctl.errors import PostExistsError
    from postctl.lint.infer import config_text
    from postctl.site.config import POSTCTL_TOML

    site = current_site()
    target = site.root / POSTCTL_TOML
    if (target.exists() or target.is_symlink()) and not force and not dry_run:
        raise PostExistsError(target)
    with reading_posts(site, no_cache=False, strict=False) as catalog:
        summaries = list(catalog.summaries(make_filters(site.tz, all_posts=True),
                                           Sort("path", descending=False)))
    if not summaries:
        raise no_posts(site, "nothing to infer a schema from")
    existing = target.read_text(encoding="utf-8") if target.is_file() else None
    text, fields, total = config_text(summaries, site.tz, f"{site.flavour} posts", existing)
    out = output()
    if dry_run:
        out.data(text, end="")
        return
    write_site_file(site.root, POSTCTL_TOML, text.encode("utf-8"), command_line(), force=force)
    required = sum(1 for spec in fields if spec.required)
    out.info(f"Wrote {site.relative(target)}: {len(fields)} keys ({required} required) "
             f"inferred from {total} posts. Next: postctl lint (postctl undo takes it back).")
    if site.config.path is not None and site.config.path.name != POSTCTL_TOML:
        out.warning(f"{POSTCTL_TOML} now takes precedence over [tool.postctl] in "
                    f"{site.config.path.name}")
