"""Real kills of ``postctl rename``: a post that 80 others link to is renamed (one move and 80
rewritten links, one all-or-nothing change) and the command is killed with SIGKILL at many
moments; after each kill every post is its old or its new bytes, the renamed post is at its
old or its new path, and ``postctl undo`` puts every byte back (docs/guarantees.md)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.faults.test_bulk_kills import finished, postctl, visible_tree, wait_for_seal

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


@pytest.mark.slow
def test_a_killed_rename_leaves_old_or_new_bytes_and_undo_restores_them(tmp_path: Path) -> None:
    timing = tmp_path / "timing"
    after = expected_new(make_site(timing))
    start = time.perf_counter()
    child = rename(timing, tmp_path / "timing-cache")
    assert wait_for_seal(tmp_path / "timing-cache", child)
    sealed = time.perf_counter()
    code, err = finished(child)
    duration, writing = time.perf_counter() - start, time.perf_counter() - sealed
    assert code == 0, err
    assert visible_tree(timing) == after
    outcomes = {"untouched": 0, "interrupted": 0, "done": 0}
    for kill in range(KILLS):
        root, cache = tmp_path / f"site-{kill}", tmp_path / f"cache-{kill}"
        old = make_site(root)
        new = expected_new(old)
        child = rename(root, cache)
        if kill % 2:  # over the whole run, start-up and planning included
            time.sleep(duration * kill / (KILLS - 1))
        elif wait_for_seal(cache, child):  # over the writes
            time.sleep(writing * kill / (KILLS - 1))
        child.kill()
        child.communicate(timeout=30)
        now = visible_tree(root)
        assert OLD in now or NEW in now
        assert set(now) - {OLD, NEW} == set(old) - {OLD}
        for name, data in now.items():
            assert data in (old.get(name), new.get(name)), name
        code, err = finished(postctl(root, cache, "undo", "--format", "json"))
        if code == 1:  # nothing recorded: the kill came before the change was sealed
            assert "nothing to undo" in err and now == old
            outcomes["untouched"] += 1
        else:
            assert code == 0, err
            outcomes["done" if now == new else "interrupted"] += 1
        assert visible_tree(root) == old, kill
        shutil.rmtree(root)
    print(outcomes)
    assert outcomes["interrupted"] >= 2 and outcomes["untouched"] >= 2, outcomes
