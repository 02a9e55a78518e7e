"""The one map from error class to exit code (docs/guarantees.md: Exit codes), applied once, at the
top.

0 success; 1 findings or unreadable posts; 2 usage, configuration or environment;
3 a write refused or aborted for safety; 123 internal error; 130 interrupted.
"""

from __future__ import annotations

import functools
import re
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import NoReturn, ParamSpec

import typer

from postctl.cli.collector import command_starts
from postctl.errors import (
    AmbiguousPostError,
    ConfigError,
    PostctlError,
    PostExistsError,
    SourceError,
    UsageError,
    WriteRefusedError,
)
from postctl.version import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_WRITE_REFUSED = 3
EXIT_INTERNAL = 123
EXIT_INTERRUPTED = 130

EXIT_CODES: tuple[tuple[type[PostctlError], int, str], ...] = (
    (UsageError, EXIT_USAGE, "usage"),
    (ConfigError, EXIT_USAGE, "config"),
    (PostExistsError, EXIT_WRITE_REFUSED, "post_exists"),
    (WriteRefusedError, EXIT_WRITE_REFUSED, "write_refused"),
    (SourceError, EXIT_FINDINGS, "bad_post"),
)


def exit_code_for(error: PostctlError) -> tuple[int, str]:
    for error_class, code, name in EXIT_CODES:
        if isinstance(error, error_class):
            return code, name
    return EXIT_USAGE, "error"


Params = ParamSpec("Params")


def translated(command: Callable[Params, None]) -> Callable[Params, None]:
    """``command`` with every outcome turned into a message and an exit code (``typer.Exit``),
    so that Typer only ever sees a command end or exit. Typer reads the parameters of
    ``command`` itself through the wrapper."""

    @functools.wraps(command)
    def run_command(*args: Params.args, **kwargs: Params.kwargs) -> None:
        command_starts()
        try:
            command(*args, **kwargs)
        except (typer.Exit, typer.TyperException):  # an exit code, or a bad value for Typer
            raise
        except PostctlError as error:
            raise typer.Exit(_report_error(error)) from None
        except typer.Abort:  # the user declined (a prompt's quit)
            report_interrupt(newline=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (KeyboardInterrupt, EOFError):  # Ctrl-C, or the end of input at a prompt
            report_interrupt()
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:  # ``postctl list | head -1``: the reader has what it wanted
            _silence_stdout()
            raise typer.Exit(EXIT_OK) from None
        except Exception as error:  # the one place that catches everything
            raise typer.Exit(_report_internal(error)) from None

    return run_command


def run(app: typer.Typer, args: Sequence[str]) -> NoReturn:
    """Run the CLI on ``args``: exit with the command's code, or report a command line that
    Typer could not read (exit 2)."""
    from postctl.cli.context import begin

    begin()
    try:
        code = app(args=list(args), prog_name="postctl", standalone_mode=False)
    except typer.TyperException as error:
        _report_usage_error(error)
        sys.exit(EXIT_USAGE if error.exit_code in (1, 2) else error.exit_code)
    except KeyboardInterrupt:  # Ctrl-C while Typer was not listening
        code = EXIT_INTERRUPTED
    if code == EXIT_INTERRUPTED:  # Typer ends a Ctrl-C outside the command so, silently
        report_interrupt()
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def interrupt_once(signum: int, frame: object) -> None:
    """The handler of Ctrl-C (SIGINT) for a run of postctl: stop the command, once. Ctrl-C
    again is ignored meanwhile, so it never cuts the cleaning up short (a temporary file
    removed, worker processes stopped, a transaction rolled back)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def report_interrupt(newline: bool = True) -> None:
    """``Interrupted.`` on stderr, once a run; on a terminal, after a newline that ends the
    line the ^C (or the unanswered prompt) was left on when ``newline``."""
    from postctl.cli.context import output, state

    if state().interrupt_reported:
        return
    state().interrupt_reported = True
    out = output()
    start = "\n" if newline and out.is_terminal(out.stderr) else ""
    out.stderr.write(f"{start}Interrupted.\n")


def _report_error(error: PostctlError) -> int:
    from postctl.cli.context import state

    code, name = exit_code_for(error)
    _report(state().json_errors, name, str(error), getattr(error, "hint", None),
            getattr(error, "diff", None), *_candidates(error))
    return code


def _report_internal(error: Exception) -> int:
    from postctl.cli.context import state

    if state().debug:
        traceback.print_exc()
    message = (
        f"internal error: {type(error).__name__}: {error} (postctl {__version__}; "
        "please report this, with --debug for the traceback)"
    )
    _report(state().json_errors, "internal", message, None)
    return EXIT_INTERNAL


def _report_usage_error(error: typer.TyperException) -> None:
    """As Typer reports a command line it cannot read, without a frame around it: the usage
    line of the command, how to get its help, then ``Error: message``."""
    ctx: typer.Context | None = getattr(error, "ctx", None)
    if ctx is not None:
        help_hint = f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.\n"
        sys.stderr.write(f"{ctx.get_usage()}\n{help_hint}\n")
    sys.stderr.write(f"Error: {_explained(error)}\n")


# How Typer words a value that is not one of a choice's names (a Value error from its
# coercion of an Enum), to add the name probably meant.
_NOT_ONE_OF = re.compile(r"(?:Value error, )?'(?P<given>[^']*)' is not one of "
                         r"(?P<choices>'[^']*'(?:, '[^']*')*)\.$")


def _explained(error: typer.TyperException) -> str:
    """Typer's message, with what it leaves out: a root option given after the command
    (``postctl list --root x``) is said to go before it; a value that is not one of the
    choices gets the one probably meant."""
    from postctl.cli.argv import ROOT_FLAGS, ROOT_OPTIONS_WITH_VALUE
    from postctl.text.names import unknown_name

    option = getattr(error, "option_name", None)
    ctx: typer.Context | None = getattr(error, "ctx", None)
    if option in (*ROOT_OPTIONS_WITH_VALUE, *ROOT_FLAGS) and ctx is not None:
        command = ctx.command_path.removeprefix("postctl ")
        value = " VALUE" if option in ROOT_OPTIONS_WITH_VALUE else ""
        return (f"{option} is an option of postctl itself, not of '{command}': give it "
                f"before the command, as in: postctl {option}{value} {command} ...")
    message = error.format_message()
    command_name = re.match(r"No such command '(.*)'\.", message)
    list_commands = getattr(getattr(ctx, "command", None), "list_commands", None)
    if command_name and list_commands is not None:
        return unknown_name("command", command_name[1], list_commands(ctx))
    found = _NOT_ONE_OF.search(message)
    if found is None:
        return message
    choices = re.findall(r"'([^']*)'", found["choices"])
    return message[:found.start()] + unknown_name("value", found["given"], choices)


def _candidates(error: PostctlError) -> tuple[list[str] | None, list[str] | None]:
    """An ambiguous name's candidates (paths) and the lines that describe them (``labels``,
    set by the command that found them; the paths themselves otherwise)."""
    if not isinstance(error, AmbiguousPostError) or not error.candidates:
        return None, None
    return list(error.candidates), list(error.labels) if error.labels else None


def _report(
    as_json: bool,
    code: str,
    message: str,
    hint: str | None,
    detail: str | None = None,
    candidates: list[str] | None = None,
    labels: list[str] | None = None,
) -> None:
    """The error line, then its detail (a diff), a numbered list of candidates, a hint;
    or all of it as one JSON object."""
    from postctl.cli.context import output

    out = output()
    if as_json:
        out.error_json(code, message, hint, candidates=candidates)
        return
    out.error(message)
    if detail:
        from postctl.text.sanitize import sanitize

        out.stderr.write(sanitize(detail.rstrip("\n")) + "\n")
    if candidates:
        from postctl.render.candidates import numbered

        out.stderr.write("".join(line + "\n" for line in numbered(labels or candidates)))
    if hint:
        out.hint(hint)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
