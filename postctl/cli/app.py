"""postctl's Typer app: the commands, built on demand, and the run of one command line.

pre-commit runs postctl on every commit, so start-up stays cheap: a run imports and builds
only the command it runs, and command modules import library code inside their functions.
"""

from __future__ import annotations

import importlib
import inspect
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, NoReturn

import typer

from postctl.cli.argv import completion_request, split_command, with_omitted_values
from postctl.cli.context import AppState, begin
from postctl.cli.errors import EXIT_INTERRUPTED, interrupt_once, report_interrupt, run, translated
from postctl.render.output import ColorMode
from postctl.version import __version__

HELP = "Manage a site's front-matter Markdown posts: new, lint, list, search, preview."

# postctl's commands in the order help lists them: name -> (module in postctl.cli, function).
# A module is imported when its command is built.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("new", "new"),
    "lint": ("lint", "lint"),
    "list": ("list", "list_posts"),
    "tags": ("tags", "tags"),
    "categories": ("tags", "categories"),
    "index": ("index", "index"),
    "search": ("search", "search"),
    "preview": ("preview", "preview"),
    "set": ("set_keys", "set_keys"),
    "unset": ("unset_keys", "unset_keys"),
    "undo": ("undo", "undo"),
    "publish": ("publish", "publish"),
    "unpublish": ("unpublish", "unpublish"),
    "rename": ("rename", "rename"),
    "edit": ("edit", "edit"),
    "stats": ("stats", "stats"),
    "init": ("init", "init"),
    "config": ("config", "config"),
    "links": ("links", "links"),
}
# Commands that are also groups: their verbs, name -> (module in postctl.cli, function). The
# command itself runs when no verb is given (``postctl tags`` lists the tags).
VERBS: dict[str, dict[str, tuple[str, str]]] = {
    field: {verb: ("terms", f"{verb}_{field}") for verb in ("rename", "merge", "delete")}
    for field in ("tags", "categories")
}


def command_module(name: str) -> object:
    """The module of command ``name``."""
    return importlib.import_module(f"postctl.cli.{COMMANDS[name][0]}")


def command_function(name: str) -> Callable[..., None]:
    """The function of command ``name``: its parameters are the command's options."""
    function: Callable[..., None] = getattr(command_module(name), COMMANDS[name][1])
    return function


RootOpt = Annotated[str | None, typer.Option(
    "--root", envvar="POSTCTL_ROOT", help="Site root (default: nearest folder with "
    "postctl.toml, _config.yml, hugo.toml or .git).", show_default=False)]
ColorOpt = Annotated[ColorMode, typer.Option("--color", help="Colour: auto, always or never.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only data and errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postctl {__version__}")
        raise typer.Exit()


VersionOpt = Annotated[bool, typer.Option(
    "--version", callback=_version, is_eager=True, help="Show the version.")]


def root_options(root: RootOpt = None, color: ColorOpt = "auto", quiet: QuietOpt = False,
                 debug: DebugOpt = False, version: VersionOpt = False) -> None:
    """The options before the command: which site, colour, quiet, debug, version."""
    begin(AppState(root=root, color=color, quiet=quiet, debug=debug))


def build_app(only: str | None = None) -> typer.Typer:
    """postctl's Typer app: every command, or only the command named ``only``. Typer reads
    the whole signature of each command it is given before it parses the line, and a run
    needs only the command it runs (help and a mistyped name need them all)."""
    app = typer.Typer(
        name="postctl",
        help=HELP,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        add_completion=True,
        rich_markup_mode="rich",
    )
    app.callback()(root_options)
    for name in COMMANDS:
        if only in (None, name):
            function = command_function(name)
            if name in VERBS:
                app.add_typer(command_group(name, function), name=name,
                              help=help_text(function))
            else:
                app.command(name, help=help_text(function))(translated(function))
    return app


def command_group(name: str, function: Callable[..., None]) -> typer.Typer:
    """The group of command ``name``: ``function`` when no verb is given, and its verbs."""
    group = typer.Typer(context_settings={"help_option_names": ["-h", "--help"]},
                        rich_markup_mode="rich")
    group.callback(invoke_without_command=True, help=help_text(function))(translated(function))
    for verb, (module, attribute) in VERBS[name].items():
        command = getattr(importlib.import_module(f"postctl.cli.{module}"), attribute)
        group.command(verb, help=help_text(command))(translated(command))
    return group


def help_text(command: Callable[..., None]) -> str:
    """``command``'s docstring, each paragraph on one line: rich help keeps the docstring's
    line breaks, and wraps each line to the terminal itself."""
    doc = inspect.getdoc(command) or ""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in doc.split("\n\n"))


def prepared(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """The command that ``args`` run (None: none, or a name that is not a command) and the
    line as Typer is to read it: help when there is nothing else, and options given without
    their optional value completed (see postctl.cli.argv)."""
    if not args:
        return None, ["--help"]
    before, name, rest = split_command(args)
    if name not in COMMANDS:
        return None, [*args]
    module = command_module(name)
    optional: tuple[str, ...] = getattr(module, "OPTIONAL_VALUE_OPTIONS", ())
    if optional:
        rest = with_omitted_values(rest, optional, getattr(module, "VALUE_OPTIONS", ()))
    return name, [*before, name, *rest]


def main() -> None:
    completing = completion_request()
    if completing is not None:  # the shell asks for completions (--install-completion)
        from postctl.cli.completion import answer_command_name, answer_live_value

        name = completed_command(completing[0])
        if name is None:  # the command's name itself: named without building the commands
            answer_command_name(build_app(""), *completing, list(COMMANDS))
        app = build_app(name)
        answer_live_value(app, *completing)  # a tag, a post...: answered without parsing
        run(app, [])
    name, args = prepared(sys.argv[1:])
    run(build_app(name), args)


def completed_command(words: Sequence[str]) -> str | None:
    """The command whose words the shell completes (its name is written, and the cursor is
    past it), or None: then every command is built, to complete the name itself."""
    _before, name, _rest = split_command(words)
    return name if name in COMMANDS else None


def run_program() -> NoReturn:
    """The ``postctl`` program: :func:`main`, then a quick exit.

    Once the command is done and its output flushed, nothing is left to clean up (files
    are written and closed by then, databases closed), so the process leaves with
    ``os._exit`` rather than have the interpreter free every object it made: on a large
    site that teardown costs as much as the search itself.
    """
    signal.signal(signal.SIGINT, interrupt_once)
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt:  # Ctrl-C while the command was being found
        report_interrupt()
        code = EXIT_INTERRUPTED
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    from postctl.cli.early import stop_early_walk

    stop_early_walk()  # when the command did not walk the site (an error, a usage error...)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: the reader has gone
            pass
    os._exit(code or 0)

