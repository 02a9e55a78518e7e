"""`postctl new TITLE`: scaffold a post."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from postctl.cli.completion import complete_author, complete_category, complete_tag
from postctl.cli.options import RecordFormatOpt

if TYPE_CHECKING:
    from postctl.render.output import Output
    from postctl.site.model import Site

TitleArg = Annotated[str, typer.Argument(
    metavar="TITLE", help="The post's title.", show_default=False)]
DateOpt = Annotated[str | None, typer.Option(
    "--date", "-d", help="Date or ISO date-time (default: now, site time zone).",
    show_default=False)]
TagOpt = Annotated[list[str] | None, typer.Option(
    "--tag", "-t", help="A tag (repeatable).", show_default=False,
    autocompletion=complete_tag)]
CategoryOpt = Annotated[list[str] | None, typer.Option(
    "--category", "-c", help="A category (repeatable).", show_default=False,
    autocompletion=complete_category)]
AuthorOpt = Annotated[str | None, typer.Option(help="Author.", show_default=False,
                                               autocompletion=complete_author)]
LayoutOpt = Annotated[str | None, typer.Option(help="Layout.", show_default=False)]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Extra front matter KEY=VALUE (VALUE read as YAML; repeatable).",
    show_default=False)]
SlugOpt = Annotated[str | None, typer.Option(
    "--slug", help="Slug for the file name (default: from the title).", show_default=False)]
DraftOpt = Annotated[bool, typer.Option(
    "--draft", help="Jekyll: into _drafts/ without a date prefix; Hugo: draft: true.")]
SectionOpt = Annotated[str | None, typer.Option(
    "--section", help="Hugo: the content section (default: posts; a/b for a folder in it); "
    "its archetype is used, as hugo new content does.", show_default=False)]
BundleOpt = Annotated[bool, typer.Option(
    "--bundle", help="Hugo: a page bundle, a folder named by the slug with index.md in it.")]
TemplateOpt = Annotated[str | None, typer.Option(
    "--template", help="A post file whose front matter and body to start from.",
    show_default=False)]
EditOpt = Annotated[bool, typer.Option(
    "--edit", "-e", help="Open $VISUAL/$EDITOR on the new file.")]
FolderOpt = Annotated[str | None, typer.Option(
    "--folder", "--collection", help="The posts folder to write into, from the site root "
    "(news or news/_posts); default: the root _posts/, else the folder of your own most "
    "recent post (git config user.name); on a terminal, asked when unclear.",
    show_default=False)]
DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Print the file, and the path it would have on stderr; write nothing.")]
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
    bundle: BundleOpt = False,
    folder: FolderOpt = None,
    template: TemplateOpt = None,
    edit: EditOpt = False,
    dry_run: DryRunOpt = False,
    force: ForceOpt = False,
    fmt: RecordFormatOpt = None,
) -> None:
    """Scaffold a new post: dated, slugged file name; front matter that fits the site.

    The author is --author, else the config's, else git config user.name (where the site's
    posts write an author): never another person's.
    """
    import datetime as dt

    from postctl.cli.context import current_site, output, wants_json
    from postctl.edit.scaffold import (
        NewPostRequest,
        create_post,
        date_from_option,
        fields_from_assignments,
        plan_new_post,
    )
    from postctl.render import OutputFormat
    from postctl.site.gituser import git_user_name

    wants_json(fmt)
    site = current_site()
    extra = fields_from_assignments(set_ or [])
    out = output()
    if isinstance(extra.get("title"), str) and extra["title"] != title:
        out.warning(f"--set title={extra['title']!r} replaces the title argument {title!r}")
        title = str(extra.pop("title"))  # the file name follows the title written
    user = git_user_name(site.root)
    request = NewPostRequest(
        title=title,
        date=date_from_option(date, site.tz) if date else None,
        tags=tuple(tag or ()),
        categories=tuple(category or ()),
        author=author,
        layout=layout,
        extra=extra,
        slug=slug,
        draft=draft,
        section=section,
        template=Path(template) if template else None,
        bundle=bundle,
        user=user,
        folder=None if draft and folder is None else _folder(site, folder, user, out),
    )
    plan = plan_new_post(site, request, dt.datetime.now(site.tz))
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
        out.info(f"would create {_display_path(plan.path)}")
        out.data(plan.text, end="")
    else:
        out.data(_display_path(plan.path))
    if edit and not dry_run:
        from postctl.cli.editor import edit_file

        edit_file(str(plan.path))


def _folder(site: Site, given: str | None, user: str | None, out: Output) -> Path | None:
    """The posts folder to write into: named, or chosen by postctl's rule, or asked on a
    terminal; nobody to ask is a usage error listing the folders."""
    from postctl.edit.newfolder import choose_posts_folder, folder_name
    from postctl.errors import UsageError
    from postctl.render.candidates import ask_choice

    choice = choose_posts_folder(site, given, user)
    if choice.folder is not None or not choice.candidates:
        return choice.folder
    names = [folder_name(site, folder) for folder in choice.candidates]
    mine = f"no post by {user} (git config user.name)" if user else "no git user.name"
    picked = ask_choice(f"The site has {len(names)} posts folders, and {mine} to choose by:",
                        names, out, "Write into")
    if picked is not None:
        return choice.candidates[picked]
    raise UsageError(f"the site has {len(names)} posts folders ({', '.join(names)}) and "
                     f"{mine} to choose by: name one with --folder")


def _display_path(path: object) -> str:
    import os

    from postctl.text.sanitize import sanitize_line

    return sanitize_line(os.path.relpath(str(path)))
