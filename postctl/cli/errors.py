"""The one map from error class to exit code (GUARANTEES G11), applied once, at the top.

0 success; 1 findings or unreadable posts; 2 usage, configuration or environment;
3 a write refused or aborted for safety; 123 internal error; 130 interrupted.
"""

from __future__ import annotations

import sys
import traceback
from typing import NoReturn

import click
import typer

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


def run(app: typer.Typer) -> NoReturn:
    """Run the CLI; translate every outcome into a message and an exit code."""
    from postctl.cli.context import begin, state

    begin()
    command = typer.main.get_command(app)
    try:
        result = command.main(prog_name="postctl", standalone_mode=False)
        sys.exit(result if isinstance(result, int) else EXIT_OK)
    except PostctlError as error:
        code, name = exit_code_for(error)
        _report(state().json_errors, name, str(error), getattr(error, "hint", None),
                getattr(error, "diff", None), *_candidates(error))
        sys.exit(code)
    except click.exceptions.Abort:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_USAGE if error.exit_code in (1, 2) else error.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_OK)
    except SystemExit:
        if isinstance(sys.stdout, click.utils.PacifyFlushWrapper):
            # click met a closed pipe (``postctl list | head -1``) and exits 1; the reader
            # has what it wanted: that is not a finding.
            _silence_stdout()
            sys.exit(EXIT_OK)
        raise
    except Exception as error:  # the one place that catches everything
        if state().debug:
            traceback.print_exc()
        message = (
            f"internal error: {type(error).__name__}: {error} (postctl {__version__}; "
            "please report this, with --debug for the traceback)"
        )
        _report(state().json_errors, "internal", message, None)
        sys.exit(EXIT_INTERNAL)


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
