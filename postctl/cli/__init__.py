"""The command-line interface: a thin Typer layer over the postctl library.

Command modules import library code inside their functions, so start-up stays cheap.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

if "rich" not in sys.modules:
    # Typer imports rich (~40 ms, half of start-up) only to draw help screens; postctl's
    # help is plain text and its commands import rich when they draw. pre-commit runs
    # postctl on every commit, so hide rich while Typer loads; later imports see it again.
    sys.modules["rich"] = None  # type: ignore[assignment]
    try:
        import typer
    finally:
        del sys.modules["rich"]
import typer

from postctl import __version__
from postctl.cli import index as index_cmd
from postctl.cli import lint, new
from postctl.cli import list as list_cmd
from postctl.cli import preview as preview_cmd
from postctl.cli import search as search_cmd
from postctl.cli import tags as tags_cmd
from postctl.cli.context import AppState, begin

app = typer.Typer(
    name="postctl",
    help="Manage a site's front-matter Markdown posts: new, lint, list, search, preview.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postctl {__version__}")
        raise typer.Exit()


@app.callback()
def root_options(
    ctx: typer.Context,
    root: Annotated[
        Optional[str],  # noqa: UP045 - Typer 0.15 reads typing.Optional on Python 3.10
        typer.Option("--root", envvar="POSTCTL_ROOT", help="Site root (default: nearest folder "
                     "with postctl.toml, _config.yml, hugo.toml or .git).", show_default=False),
    ] = None,
    color: Annotated[
        str, typer.Option("--color", help="Colour: auto, always or never.",
                          click_type=__import__("click").Choice(["auto", "always", "never"]))
    ] = "auto",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only data and errors.")] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Manage a site's front-matter Markdown posts: new, lint, list, search, preview."""
    ctx.obj = begin(AppState(root=root, color=color, quiet=quiet, debug=debug))


app.command("new")(new.new)
# further commands are registered below, one line each
app.command("lint")(lint.lint)
app.command("list")(list_cmd.list_posts)
app.command("tags")(tags_cmd.tags)
app.command("categories")(tags_cmd.categories)
app.command("index")(index_cmd.index)
app.command("search")(search_cmd.search)
app.command("preview", cls=preview_cmd.PreviewCommand)(preview_cmd.preview)


def main() -> None:
    from postctl.cli.errors import run

    run(app)
