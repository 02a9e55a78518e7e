"""Guarantees that hold for every command at once (docs/guarantees.md: Reading, Bad input,
Terminal, Exit codes).

A site is built from every edge-case and hostile fixture; each read-only command runs
over it and must leave every file untouched, never crash, and never let a post's
content put a control character on the terminal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import DATA, HOSTILE_DATA, snapshot

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HOSTILE = sorted((DATA / "hostile").glob("*.md"))


READ_ONLY_COMMANDS = [
    ["list", "--all"],
    ["list", "--all", "--format", "json"],
    ["list", "--all", "--format", "jsonl"],
    ["list", "--all", "--format", "paths"],
    ["list", "--all", "--no-cache"],
    ["tags"],
    ["tags", "--format", "json"],
    ["categories"],
    ["lint"],
    ["lint", "--format", "json"],
    ["lint", "--format", "github"],
    ["lint", "--format", "sarif"],
    ["lint", "--diff"],
    ["lint", "--check"],
    ["search", "the"],
    ["search", "the", "--format", "json"],
    ["search", "the", "--no-cache"],
]


def test_fixtures_are_there() -> None:
    assert len(HOSTILE_DATA) > 60 and HOSTILE


@pytest.mark.parametrize("args", READ_ONLY_COMMANDS, ids=" ".join)
def test_read_only_commands_write_nothing_crash_never_and_emit_no_controls(
    cli, hostile_site: Path, args: list[str]
) -> None:
    before = snapshot(hostile_site)
    result = cli("--root", str(hostile_site), "--color", "never", *args)
    assert snapshot(hostile_site) == before
    assert result.exit_code in (0, 1), result
    assert "Traceback" not in result.stderr
    assert not CONTROL.findall(result.stdout), args
    assert not CONTROL.findall(result.stderr), args
    if "json" in args and args[0] != "lint":
        json.loads(result.stdout)


@pytest.mark.parametrize("fixture", HOSTILE, ids=lambda p: p.name)
def test_preview_of_hostile_posts_emits_no_controls(cli, hostile_site: Path, fixture: Path) -> None:
    target = next((hostile_site / "_posts").glob(f"*-{fixture.name}"))
    before = snapshot(hostile_site)
    result = cli("--root", str(hostile_site), "--color", "never", "preview", str(target),
                 "--no-pager")
    assert snapshot(hostile_site) == before
    assert result.exit_code in (0, 1), result
    assert not CONTROL.findall(result.stdout + result.stderr)


def test_unreadable_posts_are_named_not_dropped(cli, hostile_site: Path) -> None:
    result = cli("--root", str(hostile_site), "list", "--all", "--format", "paths")
    assert result.exit_code == 0
    assert "2024-05-01-unclosed-yaml.md" in result.stderr
    strict = cli("--root", str(hostile_site), "list", "--all", "--strict")
    assert strict.exit_code == 1


def test_paths_printed_by_index_and_preview_html_are_sanitised(cli, make_site, tmp_path,
                                                                monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))  # where the page goes
    root = make_site(posts={"_posts/2024-01-01-a\x1b[31mred.md": "---\ntitle: Red\n---\nBody\n"})
    status = cli("--root", str(root), "index", "--status")
    assert status.exit_code == 0 and not CONTROL.findall(status.stdout)
    page = cli("--root", str(root), "preview", "Red", "--html")
    assert page.exit_code == 0, page
    assert not CONTROL.findall(page.stdout)
