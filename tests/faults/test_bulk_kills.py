"""Real kills of ``postctl tags rename``: the command, run as a user runs it, is killed with
SIGKILL at many moments of its run; after each kill every post is its old or its new bytes,
and ``postctl undo`` puts every byte back (docs/guarantees.md: Batches)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.faults.killing import kill_at_many_moments, postctl, visible_tree

POSTS = 150
KILLS = 50


def make_site(root: Path) -> dict[str, bytes]:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Kills\ntimezone: UTC\n")
    for n in range(POSTS):
        tags = "[old, kept]" if n % 3 else "\n  - Old\n  - kept"
        body = f"Post {n} about old things.\n".encode() * 100
        (root / "_posts" / f"2024-01-{n % 28 + 1:02d}-post-{n}.md").write_bytes(
            f"---\ntitle: Post {n}\ntags: {tags}\n---\n".encode() + body)
    return visible_tree(root)


def renamed(data: bytes) -> bytes:
    return data.replace(b"tags: [old, kept]", b"tags: [new, kept]").replace(
        b"  - Old\n", b"  - new\n")


def rename(root: Path, cache: Path) -> subprocess.Popen[bytes]:
    return postctl(root, cache, "tags", "rename", "old", "new")


@pytest.mark.slow
def test_a_killed_rename_leaves_old_or_new_bytes_and_undo_restores_them(tmp_path: Path) -> None:
    outcomes, new = kill_at_many_moments(tmp_path, make_site, rename, KILLS, same_names)
    assert new == {name: renamed(data) for name, data in make_site(tmp_path / "o").items()}
    assert outcomes["interrupted"] >= 3 and outcomes["untouched"] >= 3, outcomes


def same_names(old: dict[str, bytes], new: dict[str, bytes], now: dict[str, bytes]) -> None:
    assert set(now) == set(old)
    for name, data in now.items():
        assert data in (old[name], renamed(old[name])), name
