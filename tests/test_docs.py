"""The README cannot drift: every command is documented with an example and has help."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.cli.app import COMMANDS as CLI_COMMANDS
from postctl.cli.app import command_function

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(CLI_COMMANDS)


def test_there_are_commands() -> None:
    assert "new" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_an_example_in_the_readme(name: str) -> None:
    assert f"postctl {name}" in README
    assert f"```sh\npostctl {name}" in README or f"\npostctl {name} " in README


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    doc = command_function(name).__doc__
    assert doc and doc.strip()


def test_readme_quick_start_commands_are_present() -> None:
    assert "pip install -q . && .venv/bin/postctl --root examples/blog" in README
    assert "pip install -q -e '.[test]' && .venv/bin/pytest" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci
    assert ".venv/bin/pytest" in ci


def test_code_cites_sections_of_the_projects_own_guarantees() -> None:
    import re

    root = Path(__file__).resolve().parent.parent
    headings = set(re.findall(r"^## (.+)$", (root / "docs" / "guarantees.md").read_text(), re.M))
    cited: set[str] = set()
    outside = re.compile("GUARANTEES" + r"|\(G\d+\b")  # numbered items of a document not ours
    for path in [*root.glob("postctl/**/*.py"), *root.glob("tests/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert not outside.search(text) or path.name == "test_docs.py", path
        for match in re.finditer(r"docs/guarantees\.md[:,] ([A-Z][\w ]+(?:, [A-Z][\w ]+)*)", text):
            cited.update(name.strip() for name in match.group(1).split(","))
    assert cited and cited <= headings, cited - headings
