"""Live values for shell completion (``postctl --install-completion``): tags, categories
and authors for the options and verbs that take them, post references for POST arguments,
read from the site index as last stored (postctl.catalog.names).

A completion function never fails and never prints: with no site, or no index yet, it
offers nothing and the shell falls back to its own completion.

Typer answers a completion request by parsing the whole line as for a run, which checks
every option's value through pydantic (its import alone costs about 70 ms). When the word
being completed is the value of an option or argument that has live values,
:func:`answer_live_value` finds that parameter from the words and the command's declared
options (which of them take a value) and answers at once, in the format of Typer's own
completion classes; anything else (command names, option names) goes to Typer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from typer._click import Command, Context, Parameter

    from postctl.site.model import Site


def _site(ctx: typer.Context) -> Site | None:
    """The site the line being completed names (``--root``, POSTCTL_ROOT, or found from
    the working folder), or None."""
    from postctl.errors import PostctlError
    from postctl.site.model import open_site

    root = ctx.find_root().params.get("root")
    try:
        return open_site(root)
    except (PostctlError, OSError):
        return None


def _names(ctx: typer.Context, column: str, incomplete: str) -> list[str]:
    from postctl.catalog.names import stored_names

    site = _site(ctx)
    if site is None or column not in ("tags", "categories", "authors"):
        return []
    return stored_names(site, column, incomplete)  # type: ignore[arg-type]


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "tags", incomplete)


def complete_category(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "categories", incomplete)


def complete_author(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "authors", incomplete)


def complete_term(ctx: typer.Context, incomplete: str) -> list[str]:
    """The names of the group the verb is under: ``tags rename`` offers tags."""
    group = ctx.parent.info_name if ctx.parent is not None else None
    return _names(ctx, group or "", incomplete)


def complete_post(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Post slugs (paths once the word holds a ``/``), each with its title as help."""
    from postctl.catalog.names import stored_refs

    site = _site(ctx)
    return [] if site is None else stored_refs(site, incomplete)


def answer_live_value(app: typer.Typer, words: list[str], incomplete: str) -> None:
    """Print the live values for ``incomplete`` and exit, when it is the value of a
    parameter that has them (see the module docstring); else return."""
    from typer._click.shell_completion import CompletionItem

    try:
        command = _command(app)
        found = _live_parameter(command, words, incomplete)
        if found is None:
            return
        ctx, parameter = found
        items: list[CompletionItem] = parameter.shell_complete(ctx, incomplete)
    except Exception:  # a line this reading does not follow: Typer's own parse answers
        return
    _answer(command, items)


def answer_command_name(app: typer.Typer, words: list[str], incomplete: str,
                        names: list[str]) -> None:
    """Print the command ``names`` that start with ``incomplete`` and exit, when the word
    being completed is the command name (``words`` are root options only); else return.
    ``app`` need not hold the commands: they are not built to be named."""
    from typer._click.shell_completion import CompletionItem

    from postctl.cli.argv import ROOT_OPTIONS_WITH_VALUE, split_command

    if incomplete.startswith("-") or (words and words[-1] in ROOT_OPTIONS_WITH_VALUE):
        return
    if split_command(words)[1] is not None:
        return
    _answer(_command(app), [CompletionItem(name) for name in names
                            if name.startswith(incomplete)])


def _command(app: typer.Typer) -> Command:
    import typer.main

    return typer.main.get_command(app)


def _answer(command: Command, items: list[Any]) -> None:
    """Write ``items`` as the shell's completion class of Typer writes them, and exit."""
    import os

    from typer._click.shell_completion import CompletionItem, get_completion_class
    from typer._completion_classes import completion_init

    from postctl.cli.argv import COMPLETE_VAR

    action, _, shell = os.environ.get(COMPLETE_VAR, "").partition("_")
    if action != "complete":
        return
    completion_init()
    shell_class = get_completion_class(shell)
    if shell_class is None:
        return
    if shell == "bash":  # bash inserts a value as is: a space would split it in two
        items = [CompletionItem(_bash_word(item.value), help=item.help) for item in items]

    class Answer(shell_class):  # type: ignore[misc,valid-type]
        def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
            return items

    typer.echo(Answer(command, {}, "postctl", COMPLETE_VAR).complete())
    raise SystemExit(0)


def _bash_word(value: str) -> str:
    """``value`` as one bash word: every character the shell would read otherwise escaped
    with a backslash (``Mara Lindqvist`` -> ``Mara\\ Lindqvist``)."""
    import re

    return re.sub(r"([^\w@%+=:,./-])", r"\\\1", value)


def _live_parameter(command: Command, words: list[str], incomplete: str,
                    ) -> tuple[Context, Parameter] | None:
    """The context and parameter whose value ``incomplete`` is, when that parameter has
    live values; None for anything else (an option name, a word Typer must judge)."""
    from typer._click import Context
    from typer.core import TyperGroup as Group

    if incomplete.startswith("-"):
        return None
    ctx = Context(command, info_name="postctl", resilient_parsing=True)
    positional = 0
    index = 0
    only_arguments = False
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--" and not only_arguments:
            only_arguments = True
            continue
        if word.startswith("-") and word != "-" and not only_arguments:
            option = _option(ctx.command, word.split("=", 1)[0])
            if option is None:
                return None
            if "=" not in word and _takes_value(option):
                if index == len(words):
                    return _with_live_values(ctx, option)
                if option.name is not None:
                    ctx.params[option.name] = words[index]
                index += 1
            continue
        if isinstance(ctx.command, Group) and positional == 0:
            sub = ctx.command.commands.get(word)
            if sub is None:
                return None
            ctx = Context(sub, parent=ctx, info_name=word, resilient_parsing=True)
            continue
        positional += 1
    arguments = [p for p in ctx.command.params if p.param_type_name == "argument"]
    if isinstance(ctx.command, Group) or not arguments:
        return None
    if positional < len(arguments):
        return _with_live_values(ctx, arguments[positional])
    last = arguments[-1]
    return _with_live_values(ctx, last) if last.nargs == -1 else None


def _option(command: Command, name: str) -> Parameter | None:
    for parameter in command.params:
        if parameter.param_type_name == "option" and (
                name in parameter.opts or name in parameter.secondary_opts):
            return parameter
    return None


def _takes_value(option: Parameter) -> bool:
    return not (getattr(option, "is_flag", False) or getattr(option, "count", False))


def _with_live_values(ctx: Context, parameter: Parameter) -> tuple[Context, Parameter] | None:
    if getattr(parameter, "_custom_shell_complete", None) is None:
        return None
    return ctx, parameter
