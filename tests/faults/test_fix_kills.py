"""Real kills of ``postctl lint --unsafe-fixes``, the fix that renames posts and rewrites the
``{% post_url %}`` tags naming them: killed with SIGKILL at many moments of its run, every
file is at each moment its old bytes under its old name or its new bytes under its new name,
and ``postctl undo`` puts the old tree back exactly (docs/guarantees.md: Batches)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.faults.test_bulk_kills import finished, postctl, visible_tree, wait_for_seal

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
    timing, timing_cache = tmp_path / "timing", tmp_path / "timing-cache"
    make_site(timing)
    start = time.perf_counter()
    child = fix(timing, timing_cache)
    assert wait_for_seal(timing_cache, child)
    sealed = time.perf_counter()
    code, err = finished(child)
    duration, writing = time.perf_counter() - start, time.perf_counter() - sealed
    assert code == 0, err
    new = visible_tree(timing)
    assert len(new) == POSTS + 1 and b"post_url 2024-02-03-post-1 " in new[
        "_posts/2024-02-02-post-0.md"]
    outcomes = {"untouched": 0, "interrupted": 0, "done": 0}
    for kill in range(KILLS):
        root, cache = tmp_path / f"site-{kill}", tmp_path / f"cache-{kill}"
        old = make_site(root)
        child = fix(root, cache)
        if kill % 2:
            time.sleep(duration * kill / (KILLS - 1))
        elif wait_for_seal(cache, child):
            time.sleep(writing * kill / (KILLS - 1))
        child.kill()
        child.communicate(timeout=30)
        now = visible_tree(root)
        allowed = set(old.items()) | set(new.items())
        assert set(now.items()) <= allowed, kill
        code, err = finished(postctl(root, cache, "undo", "--format", "json"))
        if code == 1:
            assert "nothing to undo" in err and now == old
            outcomes["untouched"] += 1
        else:
            assert code == 0, err
            outcomes["done" if now == new else "interrupted"] += 1
        assert visible_tree(root) == old, kill
        shutil.rmtree(root)
    assert outcomes["interrupted"] >= 3, outcomes
