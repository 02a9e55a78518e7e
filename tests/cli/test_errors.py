"""The error translator: a name that matches several posts is reported with its candidates."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import pytest
import typer
from typer.testing import CliRunner

from postctl.errors import AmbiguousPostError
from tests.conftest import CliResult

PATHS = ["_posts/2024-01-01-a.md", "_posts/2024-02-01-b.md"]


def _ambiguous(labels: list[str] | None = None, hint: str | None = None) -> AmbiguousPostError:
    error = AmbiguousPostError("word", list(PATHS))
    if labels is not None:
        error.labels = labels  # type: ignore[attr-defined]
    if hint is not None:
        error.hint = hint  # type: ignore[attr-defined]
    return error


def _run(runner: CliRunner, command: Callable[..., None], *args: str) -> CliResult:
    """Run a one-command app through ``postctl.cli.errors.run``, as ``main()`` runs postctl."""
    from postctl.cli.errors import run, translated

    app = typer.Typer()
    app.command()(translated(command))
    with runner.isolation() as (out, err, _):
        try:
            run(app, args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        sys.stdout.flush()
        sys.stderr.flush()
        return CliResult(code, out.getvalue().decode(), err.getvalue().decode())


def test_candidates_are_listed_under_the_error_line(runner: CliRunner) -> None:
    def command() -> None:
        raise _ambiguous(["2024-01-01  A  " + PATHS[0], "2024-02-01  B  " + PATHS[1]],
                         hint="name one by its path")

    result = _run(runner, command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: 'word' matches 2 posts",
        f"  1. 2024-01-01  A  {PATHS[0]}",
        f"  2. 2024-02-01  B  {PATHS[1]}",
        "hint: name one by its path",
    ]


def test_without_labels_the_paths_are_listed(runner: CliRunner) -> None:
    def command() -> None:
        raise _ambiguous()

    result = _run(runner, command)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 'word' matches 2 posts", f"  1. {PATHS[0]}", f"  2. {PATHS[1]}"]


def test_candidate_lines_are_sanitised(runner: CliRunner) -> None:
    def command() -> None:
        raise _ambiguous(["\x1b[31mred\x1b[0m", "two\nlines"])

    result = _run(runner, command)
    assert "  1. \\x1b[31mred\\x1b[0m\n" in result.stderr
    assert "  2. two\\nlines\n" in result.stderr
    assert "\x1b" not in result.stderr


def test_json_errors_carry_the_candidates(runner: CliRunner) -> None:
    def command() -> None:
        from postctl.cli.context import wants_json

        wants_json("json")
        raise _ambiguous(["label a", "label b"], hint="name one")

    result = _run(runner, command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert json.loads(result.stderr) == {"error": {
        "code": "usage", "message": "'word' matches 2 posts", "hint": "name one",
        "candidates": PATHS}}


def test_other_json_errors_have_no_candidates(runner: CliRunner) -> None:
    def command() -> None:
        from postctl.cli.context import wants_json
        from postctl.errors import PostNotFoundError

        wants_json("json")
        raise PostNotFoundError("no post matches 'word'")

    result = _run(runner, command)
    assert result.exit_code == 2
    assert json.loads(result.stderr) == {"error": {
        "code": "usage", "message": "no post matches 'word'", "hint": None}}


def _raising(error: BaseException) -> Callable[[], None]:
    def command() -> None:
        print("partial output")
        raise error

    return command


@pytest.mark.parametrize(("error", "on_a_terminal"), [
    (KeyboardInterrupt(), "\nInterrupted.\n"),  # Ctrl-C: after the ^C the terminal shows
    (EOFError(), "\nInterrupted.\n"),
    (typer.Abort(), "Interrupted.\n"),  # the user quit a prompt
])
def test_an_interrupted_command_exits_130(runner: CliRunner, monkeypatch,
                                          error: BaseException, on_a_terminal: str) -> None:
    """One line; on a terminal, the line the ^C was left on is ended first."""
    result = _run(runner, _raising(error))
    assert (result.exit_code, result.stderr) == (130, "Interrupted.\n")
    monkeypatch.setattr("postctl.render.output._isatty", lambda stream: True)
    result = _run(runner, _raising(error))
    assert (result.exit_code, result.stderr) == (130, on_a_terminal)


def test_an_interrupt_typer_ends_itself_is_reported_once(runner: CliRunner,
                                                         monkeypatch) -> None:
    """Ctrl-C while Typer reads the command line: Typer ends the run with 130, silently."""
    def reading(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.core.TyperCommand, "make_context", reading)
    result = _run(runner, _raising(RuntimeError("never run")))
    assert (result.exit_code, result.stdout, result.stderr) == (130, "", "Interrupted.\n")


def test_the_first_ctrl_c_stops_the_command_and_the_next_ones_wait() -> None:
    """A second Ctrl-C never cuts the cleaning up after the first one short."""
    import os
    import signal

    from postctl.cli.errors import interrupt_once

    before = signal.signal(signal.SIGINT, interrupt_once)
    try:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)  # ignored
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_closed_pipe_ends_the_command_quietly_with_exit_0(runner: CliRunner) -> None:
    result = _run(runner, _raising(BrokenPipeError()))
    assert (result.exit_code, result.stderr) == (0, "")


def test_an_unexpected_error_is_one_line_and_exit_123(runner: CliRunner) -> None:
    from postctl import __version__

    result = _run(runner, _raising(RuntimeError("boom")))
    assert result.exit_code == 123
    assert result.stderr == (f"Error: internal error: RuntimeError: boom (postctl {__version__}; "
                             "please report this, with --debug for the traceback)\n")


def test_debug_shows_the_traceback_of_an_unexpected_error(cli, example_site, monkeypatch) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("postctl.post.taxonomy.group_terms", failing)
    plain = cli("--root", str(example_site), "tags", "--no-cache")
    debug = cli("--debug", "--root", str(example_site), "tags", "--no-cache")
    assert plain.exit_code == debug.exit_code == 123
    assert "Traceback" not in plain.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.rstrip().endswith("please report this, with --debug for the traceback)")


def test_exit_codes_of_a_command_pass_through(runner: CliRunner) -> None:
    result = _run(runner, _raising(typer.Exit(3)))
    assert (result.exit_code, result.stdout) == (3, "partial output\n")


def test_a_bad_value_a_command_reports_through_typer_is_a_usage_error(runner: CliRunner) -> None:
    result = _run(runner, _raising(typer.BadParameter("not a slug")))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value: not a slug"
