"""Real kills of ``postctl rename``: a post that 80 others link to is renamed (one move and 80
rewritten links, one all-or-nothing change) and the command is killed with SIGKILL at many
moments; after each kill every post is its old or its new bytes, the renamed post is at its
old or its new path, and ``postctl undo`` puts every byte back (docs/guarantees.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.killing import (
    any_old_or_new,
    kill_at_many_moments,
    postctl,
    visible_tree,
)

LINKING = 80
KILLS = 30
OLD, NEW = "_posts/2024-01-02-old-name.md", "_posts/2024-01-02-new-name.md"


def make_site(root: Path) -> dict[str, bytes]:
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Kills\ntimezone: UTC\n")
    (root / OLD).write_bytes(b"---\ntitle: Old Name\n---\nThe post everyone links to.\n")
    for n in range(LINKING):
        body = b"Some words.\n" * 200 + b"See {% post_url 2024-01-02-old-name %}.\n"
        (root / "_posts" / f"2024-02-{n % 28 + 1:02d}-linking-{n}.md").write_bytes(
            f"---\ntitle: Linking {n}\n---\n".encode() + body)
    return visible_tree(root)


def expected_new(old: dict[str, bytes]) -> dict[str, bytes]:
    new = {name: data.replace(b"post_url 2024-01-02-old-name", b"post_url 2024-01-02-new-name")
           for name, data in old.items() if name != OLD}
    new[NEW] = old[OLD].replace(b"title: Old Name", b"title: New Name")
    return new


def rename(root: Path, cache: Path):  # type: ignore[no-untyped-def]
    return postctl(root, cache, "rename", OLD, "New Name", "--no-redirect")


def renamed_post_at_one_path(old: dict[str, bytes], new: dict[str, bytes],
                             now: dict[str, bytes]) -> None:
    """The linking posts old or new; the renamed post at its old or new path (or, between
    the two steps of its move, both)."""
    any_old_or_new(old, new, now)
    assert OLD in now or NEW in now
    assert set(now) - {OLD, NEW} == set(old) - {OLD}


@pytest.mark.slow
def test_a_killed_rename_leaves_old_or_new_bytes_and_undo_restores_them(tmp_path: Path) -> None:
    outcomes, new = kill_at_many_moments(tmp_path, make_site, rename, KILLS,
                                         renamed_post_at_one_path)
    assert new == expected_new(make_site(tmp_path / "o"))
    assert outcomes["interrupted"] >= 2 and outcomes["untouched"] >= 2, outcomes

