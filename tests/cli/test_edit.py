"""`postctl edit`: the editor on the post, then lint's findings for it."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import snapshot


def _editor(tmp_path: Path, script: str) -> str:
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{script}\n")
    editor.chmod(0o755)
    return str(editor)


def test_edit_opens_the_post_then_lints_it(cli, make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\nHi\n"})
    log = tmp_path / "opened"
    editor = _editor(tmp_path, f'echo "$1" > {log}\nprintf -- "---\\ntitle: Hello\\n'
                     f'date: 2024-13-45\\n---\\nHi\\n" > "$1"')
    result = cli("--root", str(root), "edit", "hello", env={"EDITOR": editor})
    assert log.read_text().strip() == str(root / "_posts/2024-01-02-hello.md")
    assert result.exit_code == 1, result
    assert "2024-01-02-hello.md:3:7: D001 error" in result.stdout


def test_an_untouched_clean_post_exits_0_and_postctl_writes_nothing(cli, make_site,
                                                                     tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\nHi\n"})
    before = snapshot(root)
    result = cli("--root", str(root), "edit", "_posts/2024-01-02-hello.md",
                 env={"VISUAL": _editor(tmp_path, "true")})
    assert result.exit_code == 0, result
    assert "No problems" in result.stderr
    assert snapshot(root) == before


def test_a_failing_editor_is_exit_2(cli, make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\nHi\n"})
    result = cli("--root", str(root), "edit", "hello", env={"EDITOR": _editor(tmp_path, "exit 4")})
    assert result.exit_code == 2 and "Editing failed" in result.stderr
