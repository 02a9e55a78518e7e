"""The command-line interface: a thin Typer layer over the postctl library.

Command modules import library code inside their functions, so start-up stays cheap.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn, Optional

if "rich" not in sys.modules:
    # Typer imports rich (~40 ms, half of start-up) only to draw help screens; postctl's
    # help is plain text and its commands import rich when they draw. pre-commit runs
    # postctl on every commit, so hide rich while Typer loads; later imports see it again.
    sys.modules["rich"] = None  # type: ignore[assignment]
    try:
        import typer
    finally:
        del sys.modules["rich"]
import click
import typer
import typer.core

from postctl.cli import index as index_cmd
from postctl.cli import lint, new
from postctl.cli import list as list_cmd
from postctl.cli import preview as preview_cmd
from postctl.cli import search as search_cmd
from postctl.cli import tags as tags_cmd
from postctl.cli.context import AppState, begin
from postctl.version import __version__


class LazyGroup(typer.core.TyperGroup):
    """postctl's command group: a command's click object is built when it is looked up, so
    start-up pays for building the command that runs, not all of them (Typer reads every
    command's signature and type hints to build it)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [info.name or "" for info in commands.registered_commands]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        built = self.commands.get(cmd_name)
        if built is None:
            for info in commands.registered_commands:
                if info.name == cmd_name:
                    built = typer.main.get_command_from_info(
                        info, pretty_exceptions_short=True, rich_markup_mode=None)
                    self.commands[cmd_name] = built
        return built


commands = typer.Typer()  # postctl's commands, registered below and built by LazyGroup
app = typer.Typer(
    name="postctl",
    cls=LazyGroup,
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
                          click_type=click.Choice(["auto", "always", "never"]))
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


commands.command("new")(new.new)
# further commands are registered below, one line each
commands.command("lint")(lint.lint)
commands.command("list")(list_cmd.list_posts)
commands.command("tags")(tags_cmd.tags)
commands.command("categories")(tags_cmd.categories)
commands.command("index")(index_cmd.index)
commands.command("search")(search_cmd.search)
commands.command("preview", cls=preview_cmd.PreviewCommand)(preview_cmd.preview)


def command(name: str) -> click.Command | None:
    """The click command ``name`` of the CLI (built now), or None."""
    group = typer.main.get_command(app)
    assert isinstance(group, click.Group)
    return group.get_command(click.Context(group), name)


def main() -> None:
    from postctl.cli.errors import run

    run(app)


def entry() -> NoReturn:
    """The ``postctl`` program: :func:`main`, then a quick exit.

    Once the command is done and its output flushed, nothing is left to clean up (files
    are written and closed by then, databases closed), so the process leaves with
    ``os._exit`` rather than have the interpreter free every object it made: on a large
    site that teardown costs as much as the search itself.
    """
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the reader has gone
            pass
    os._exit(code or 0)
