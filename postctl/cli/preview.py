"""`postctl preview POST`: see a post rendered (terminal or HTML page), not its source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postctl.cli.argv import OMITTED
from postctl.cli.postref import PostArg

if TYPE_CHECKING:
    from postctl.post.model import Post
    from postctl.site.model import Site

# ``--html`` alone or ``--html FILE`` (see postctl.cli.argv); ``--width`` always takes a value.
OPTIONAL_VALUE_OPTIONS = ("--html",)
VALUE_OPTIONS = ("--width", "-w")

HtmlOpt = Annotated[str | None, typer.Option(
    "--html", metavar="[FILE]", help="Write a standalone HTML page to FILE (default: a "
    "temporary file) and print its path. Put it after POST, or write --html=FILE.",
    show_default=False)]
OpenOpt = Annotated[bool, typer.Option(
    "--open", help="Open the HTML page in the browser (implies --html).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing --html FILE.")]
AllowHtmlOpt = Annotated[bool, typer.Option(
    "--allow-html", help="Keep raw HTML of the post in the HTML page (escaped by default).")]
RawOpt = Annotated[bool, typer.Option("--raw", help="The source, syntax-highlighted.")]
PlainOpt = Annotated[bool, typer.Option("--plain", help="No colour.")]
NoPagerOpt = Annotated[bool, typer.Option("--no-pager", help="Never page the output.")]
WidthOpt = Annotated[int | None, typer.Option(
    "--width", "-w", min=20, max=1000, help="Width in columns (default: the terminal's, at "
    "most 100).", show_default=False)]


def preview(
    post_ref: PostArg,
    html: HtmlOpt = None,
    open_: OpenOpt = False,
    force: ForceOpt = False,
    allow_html: AllowHtmlOpt = False,
    raw: RawOpt = False,
    plain: PlainOpt = False,
    no_pager: NoPagerOpt = False,
    width: WidthOpt = None,
) -> None:
    """Render a post in the terminal (header, lint warnings, Markdown body) or as HTML."""
    from postctl.cli.context import current_site, output
    from postctl.lint import preview as library
    from postctl.render import preview as render
    from postctl.render.rawview import show_source
    from postctl.render.screen import View
    site = current_site()
    out = output()
    reference = " ".join(post_ref)
    page_html = html is not None or open_
    view = View(plain=plain, page=not no_pager, width=width)
    source = library.raw_source(site, reference) if raw and not page_html else None
    if source is not None:  # a path or file name: shown as written, parsed or not
        show_source(source, out, view)
        return
    post = _pick_post(site, reference)
    if page_html:
        from postctl.render.html import write_page

        path, warnings = write_page(post, site, None if html in (None, OMITTED) else html,
                                    force=force, allow_html=allow_html)
        from postctl.text.sanitize import sanitize_line

        for warning in warnings:
            out.warning(sanitize_line(f"{post.rel_path}: {warning}"))
        out.data(sanitize_line(str(path)))
        if open_:
            import webbrowser

            webbrowser.open(path.as_uri())
    elif raw:
        show_source(library.RawSource.of(post.source), out, view)
    else:
        from postctl.site.urls import post_url

        render.show_post(post, site, out, view, notes=library.lint_notes(post, site),
                         url=post_url(post, site))


def _pick_post(site: Site, reference: str) -> Post:
    """The post named; of several, the user's choice on a terminal, else exit 2 listing them."""
    from postctl.cli.postref import pick_post

    return pick_post(site, reference, "Preview")
