"""`postctl new TITLE`: scaffold a post."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.options import RecordFormatOpt

TitleArg = Annotated[str, typer.Argument(
    metavar="TITLE", help="The post's title.", show_default=False)]
DateOpt = Annotated[str | None, typer.Option(
    "--date", "-d", help="Date or ISO date-time (default: now, site time zone).",
    show_default=False)]
TagOpt = Annotated[list[str] | None, typer.Option(
    "--tag", "-t", help="A tag (repeatable).", show_default=False)]
CategoryOpt = Annotated[list[str] | None, typer.Option(
    "--category", "-c", help="A category (repeatable).", show_default=False)]
AuthorOpt = Annotated[str | None, typer.Option(help="Author.", show_default=False)]
LayoutOpt = Annotated[str | None, typer.Option(help="Layout.", show_default=False)]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Extra front matter KEY=VALUE (VALUE read as YAML; repeatable).",
    show_default=False)]
SlugOpt = Annotated[str | None, typer.Option(
    "--slug", help="Slug for the file name (default: from the title).", show_default=False)]
DraftOpt = Annotated[bool, typer.Option(
    "--draft", help="Jekyll: into _drafts/ without a date prefix; Hugo: draft: true.")]
SectionOpt = Annotated[str | None, typer.Option(
    "--section", help="Hugo content section (default: posts).", show_default=False)]
TemplateOpt = Annotated[str | None, typer.Option(
    "--template", help="A post file whose front matter and body to start from.",
    show_default=False)]
EditOpt = Annotated[bool, typer.Option(
    "--edit", "-e", help="Open $VISUAL/$EDITOR on the new file.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print the file; write nothing.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]


def new(
    title: TitleArg,
    date: DateOpt = None,
    tag: TagOpt = None,
    category: CategoryOpt = None,
    author: AuthorOpt = None,
    layout: LayoutOpt = None,
    set_: SetOpt = None,
    slug: SlugOpt = None,
    draft: DraftOpt = False,
    section: SectionOpt = None,
    template: TemplateOpt = None,
    edit: EditOpt = False,
    dry_run: DryRunOpt = False,
    force: ForceOpt = False,
    fmt: RecordFormatOpt = None,
) -> None:
    """Scaffold a new post: dated, slugged file name; front matter that fits the site."""
    import datetime as dt
    from pathlib import Path

    from postctl.cli.context import current_site, output, wants_json
    from postctl.edit.scaffold import (
        NewPostRequest,
        create_post,
        date_from_option,
        fields_from_assignments,
        plan_new_post,
    )
    from postctl.render import OutputFormat

    wants_json(fmt)
    site = current_site()
    request = NewPostRequest(
        title=title,
        date=date_from_option(date, site.tz) if date else None,
        tags=tuple(tag or ()),
        categories=tuple(category or ()),
        author=author,
        layout=layout,
        extra=fields_from_assignments(set_ or []),
        slug=slug,
        draft=draft,
        section=section,
        template=Path(template) if template else None,
    )
    plan = plan_new_post(site, request, dt.datetime.now(site.tz))
    out = output()
    if not dry_run:
        create_post(plan, force=force)
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        from postctl.text.jsonvalues import json_dumps

        record = {"path": site.relative(plan.path), "front_matter": plan.front_matter_dict(),
                  "created": not dry_run}
        if dry_run:
            record["text"] = plan.text
        out.data(json_dumps(record, indent=2 if fmt is OutputFormat.json else None))
    elif dry_run:
        out.data(plan.text, end="")
    else:
        out.data(_display_path(plan.path))
    if edit and not dry_run:
        from postctl.cli.editor import edit_file

        edit_file(str(plan.path))


def _display_path(path: object) -> str:
    import os

    from postctl.text.sanitize import sanitize_line

    return sanitize_line(os.path.relpath(str(path)))
