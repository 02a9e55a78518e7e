"""lint on a Hugo site: no date asked where Hugo needs none, sections and headless bundles
are pages of their own kind (no title or body asked), and _index.md is checked as one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hugo.oracle import write_site


def _findings(cli, root: Path, *paths: str) -> tuple[int, set[tuple[str, str]]]:
    result = cli("--root", str(root), "lint", "--format", "json", *paths)
    data = json.loads(result.stdout)
    items = data["diagnostics"] if isinstance(data, dict) else data
    return result.exit_code, {(item["path"], item["rule"]) for item in items}


def test_hugo_pages_need_no_date_and_sections_no_title_or_body(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/_index.md": "---\ncascade:\n  params:\n    x: 1\n---\n",
        "content/posts/_index.md": "+++\n[cascade]\ndraft = false\n+++\n",
        "content/posts/undated.md": "---\ntitle: Undated\n---\nText.\n",
        "content/posts/untitled.md": "---\ndate: 2024-01-01\n---\nText.\n",
        "content/posts/empty.md": "---\ntitle: Empty\n---\n",
        "content/shared/index.md": "---\nheadless: true\n---\n",
    })
    code, found = _findings(cli, root)
    assert found == {("content/posts/untitled.md", "F001"), ("content/posts/empty.md", "C001")}
    assert code == 0


def test_a_section_file_named_on_the_command_line_is_checked(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/posts/_index.md": "---\ntitle: Posts\ntitle: Twice\n---\n",
    })
    result = cli("--root", str(root), "lint", str(root / "content/posts/_index.md"))
    assert "content/posts/_index.md" in result.stdout
    assert "unknown" not in (result.stdout + result.stderr).lower()
    assert result.exit_code == 1, result
