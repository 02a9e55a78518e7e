"""The error translator: a name that matches several posts is reported with its candidates."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

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
