"""Real kills of ``postctl lint --unsafe-fixes``, the fix that renames posts and rewrites the
``{% post_url %}`` tags naming them: killed with SIGKILL at many moments of its run, every
file is at each moment its old bytes under its old name or its new bytes under its new name,
and ``postctl undo`` puts the old tree back exactly (docs/guarantees.md: Batches)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.killing import kill_at_many_moments, postctl, visible_tree

POSTS = 60
KILLS = 50


def make_site(root: Path) -> dict[str, bytes]:
    """Posts whose file-name date is a day early (the fix renames them), each linking to the
    next one with post_url (the fix rewrites those links)."""
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: Kills\ntimezone: UTC\n")
    for n in range(POSTS):
        day, link = n % 27 + 1, (n + 1) % POSTS
        text = (f"---\ntitle: Post {n}\ndate: 2024-02-{day + 1:02d}\n---\n"
                f"Next: {{% post_url 2024-02-{link % 27 + 1:02d}-post-{link} %}}\n")
        (root / "_posts" / f"2024-02-{day:02d}-post-{n}.md").write_text(text + "Text.\n" * 50)
    return visible_tree(root)


def fix(root: Path, cache: Path):  # type: ignore[no-untyped-def]
    return postctl(root, cache, "lint", "--unsafe-fixes", "--select", "D004")


@pytest.mark.slow
def test_a_killed_fix_leaves_old_or_new_files_and_undo_restores_them(tmp_path: Path) -> None:
    outcomes, new = kill_at_many_moments(tmp_path, make_site, fix, KILLS)
    assert len(new) == POSTS + 1 and b"post_url 2024-02-03-post-1 " in new[
        "_posts/2024-02-02-post-0.md"]
    assert outcomes["interrupted"] >= 3, outcomes
