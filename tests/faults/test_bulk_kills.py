"""Real kills of ``postctl tags rename``: the command, run as a user runs it, is killed with
SIGKILL at many moments of its run; after each kill every post is its old or its new bytes,
and ``postctl undo`` puts every byte back (docs/guarantees.md: Batches)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def visible_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def postctl(root: Path, cache: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "POSTCTL_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "postctl", "--root", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env)


def rename(root: Path, cache: Path) -> subprocess.Popen[bytes]:
    return postctl(root, cache, "tags", "rename", "old", "new")


def wait_for_seal(cache: Path, child: subprocess.Popen[bytes]) -> bool:
    """Wait until the change is recorded and files may start changing (False: it ended)."""
    while child.poll() is None:
        if any(cache.glob("journal/*/*/sealed")):
            return True
        time.sleep(0.0005)
    return False


def finished(child: subprocess.Popen[bytes]) -> tuple[int, str]:
    _, err = child.communicate(timeout=120)
    return child.returncode, err.decode()


@pytest.mark.slow
def test_a_killed_rename_leaves_old_or_new_bytes_and_undo_restores_them(tmp_path: Path) -> None:
    timing = tmp_path / "timing"
    expected_new = {name: renamed(data) for name, data in make_site(timing).items()}
    start = time.perf_counter()
    child = rename(timing, tmp_path / "timing-cache")
    assert wait_for_seal(tmp_path / "timing-cache", child)
    sealed = time.perf_counter()
    code, err = finished(child)
    duration, writing = time.perf_counter() - start, time.perf_counter() - sealed
    assert code == 0, err
    assert visible_tree(timing) == expected_new
    outcomes = {"untouched": 0, "interrupted": 0, "done": 0}
    for kill in range(KILLS):
        root, cache = tmp_path / f"site-{kill}", tmp_path / f"cache-{kill}"
        old = make_site(root)
        child = rename(root, cache)
        if kill % 2:  # over the whole run, start-up and planning included
            time.sleep(duration * kill / (KILLS - 1))
        elif wait_for_seal(cache, child):  # over the writes
            time.sleep(writing * kill / (KILLS - 1))
        child.kill()
        child.communicate(timeout=30)
        now = visible_tree(root)
        assert set(now) == set(old)
        for name, data in now.items():
            assert data in (old[name], renamed(old[name])), name
        code, err = finished(postctl(root, cache, "undo", "--format", "json"))
        if code == 1:  # nothing recorded: the kill came before the change was sealed
            assert "nothing to undo" in err and now == old
            outcomes["untouched"] += 1
        else:
            assert code == 0, err
            outcomes["done" if now == {k: renamed(v) for k, v in old.items()}
                     else "interrupted"] += 1
        assert visible_tree(root) == old, kill
        shutil.rmtree(root)
    print(outcomes)
    assert outcomes["interrupted"] >= 3 and outcomes["untouched"] >= 3, outcomes
