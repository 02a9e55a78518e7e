"""The command line as postctl reads it before Typer parses it: which command it runs, and
the options whose value may be left out (``preview --html`` or ``preview --html FILE``).

Typer requires a value for every option that is not a flag; such an option given alone is
written here as ``OPTION=OMITTED`` before Typer reads the line. The rule is Click's for an
option whose value may be left out: the next word is its value unless there is none or it
is an option (it starts with ``-`` and is not ``-`` alone).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

# The root options that take a value (the others are flags): what may stand between
# ``postctl`` and the command name.
ROOT_OPTIONS_WITH_VALUE = ("--root", "--color")
ROOT_FLAGS = ("--quiet", "-q", "--debug", "--version")
END_OF_OPTIONS = "--"
OMITTED = "\0omitted"  # the value of an optional-value option given alone


def split_command(args: Sequence[str]) -> tuple[list[str], str | None, list[str]]:
    """``args`` as (root options, command name, the command's own arguments); the name is
    None when there is none, as in ``postctl --version``."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == END_OF_OPTIONS:
            index += 1
            break
        if not _is_option(arg):
            break
        index += 2 if arg in ROOT_OPTIONS_WITH_VALUE else 1
    if index >= len(args):
        return list(args), None, []
    return list(args[:index]), args[index], list(args[index + 1:])


def root_option(before: Sequence[str]) -> str | None:
    """The value of ``--root`` among the root options ``before`` the command (the last one
    given, as Click takes it), or None."""
    value = None
    for index, arg in enumerate(before):
        if arg == "--root" and index + 1 < len(before):
            value = before[index + 1]
        elif arg.startswith("--root="):
            value = arg.removeprefix("--root=")
    return value


def with_omitted_values(args: Sequence[str], optional: Collection[str],
                        valued: Collection[str] = ()) -> list[str]:
    """``args`` where each option of ``optional`` that has no value (it is last, or the next
    word is an option) reads ``OPTION=OMITTED``. ``valued`` names the command's other
    options that take a value: their values are never read as options."""
    filled: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == END_OF_OPTIONS:
            return filled + list(args[index:])
        following = args[index + 1] if index + 1 < len(args) else None
        if arg in valued or (arg in optional and following is not None
                             and not _is_option(following)):
            filled += args[index:index + 2]
            index += 2
            continue
        filled.append(f"{arg}={OMITTED}" if arg in optional else arg)
        index += 1
    return filled


# The environment of a completion request: the variable Click's protocol sets, and the
# words the shell's script passes (bash: COMP_WORDS and COMP_CWORD; zsh and fish: the line
# up to the cursor in _TYPER_COMPLETE_ARGS).
COMPLETE_VAR = "_POSTCTL_COMPLETE"


def completion_request() -> tuple[list[str], str] | None:
    """When the shell asks for completions: the words before the one being completed (the
    program name left out), and that word as typed so far; else None."""
    if not os.environ.get(COMPLETE_VAR):
        return None
    from typer._click.shell_completion import split_arg_string  # the split Typer's own uses

    if "COMP_WORDS" in os.environ:
        words = split_arg_string(os.environ["COMP_WORDS"])
        try:
            current = int(os.environ.get("COMP_CWORD", len(words)))
        except ValueError:
            current = len(words)
        return words[1:current], words[current] if current < len(words) else ""
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = split_arg_string(line)[1:]
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def _is_option(arg: str) -> bool:
    """What the parser reads as an option (``-`` alone is a value: standard input)."""
    return arg.startswith("-") and arg != "-"
