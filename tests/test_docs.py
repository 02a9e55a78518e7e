"""The README cannot drift: every command is documented with an example and has help."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.cli import command, commands

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(
    info.name or (info.callback.__name__ if info.callback else "")
    for info in commands.registered_commands
)


def test_there_are_commands() -> None:
    assert "new" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_an_example_in_the_readme(name: str) -> None:
    assert f"postctl {name}" in README
    assert f"```sh\npostctl {name}" in README or f"\npostctl {name} " in README


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    sub = command(name)
    assert sub is not None and sub.help and sub.help.strip()


def test_readme_quick_start_commands_are_present() -> None:
    assert "pip install -q . && .venv/bin/postctl --root examples/blog" in README
    assert "pip install -q -e '.[test]' && .venv/bin/pytest" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci
    assert ".venv/bin/pytest" in ci
