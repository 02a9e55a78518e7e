"""Killing a change-making ``postctl`` command with SIGKILL at many moments of its run.

A first run, to the end, times the command (start-up and planning, then the writes after the
change is sealed in the journal) and gives the new tree. Then, on a fresh site each time, the
command is killed at moments spread over the whole run (odd kills) or over its writes (even
kills); the tree it leaves must pass ``check``, and ``postctl undo`` must give back the old
tree byte for byte (or say there is nothing to undo: the kill came before the change was
recorded, and nothing changed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

Tree = dict[str, bytes]
Start = Callable[[Path, Path], "subprocess.Popen[bytes]"]


def visible_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def postctl(root: Path, cache: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "POSTCTL_CACHE_DIR": str(cache)}
    return subprocess.Popen([sys.executable, "-m", "postctl", "--root", str(root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env)


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


def any_old_or_new(old: Tree, new: Tree, now: Tree) -> None:
    """Every file is some file's old bytes under its old name or new bytes under its new."""
    assert set(now.items()) <= set(old.items()) | set(new.items())


def kill_at_many_moments(tmp_path: Path, make_site: Callable[[Path], Tree], start: Start,
                         kills: int, check: Callable[[Tree, Tree, Tree], None] = any_old_or_new,
                         ) -> tuple[dict[str, int], Tree]:
    """Kill ``start(root, cache)`` ``kills`` times. Returns the outcomes (how many kills left
    the site untouched, interrupted, or done) and the tree of the run that was not killed."""
    timing, timing_cache = tmp_path / "timing", tmp_path / "timing-cache"
    make_site(timing)
    begin = time.perf_counter()
    child = start(timing, timing_cache)
    assert wait_for_seal(timing_cache, child)
    sealed = time.perf_counter()
    code, err = finished(child)
    duration, writing = time.perf_counter() - begin, time.perf_counter() - sealed
    assert code == 0, err
    new = visible_tree(timing)
    outcomes = {"untouched": 0, "interrupted": 0, "done": 0}
    for kill in range(kills):
        root, cache = tmp_path / f"site-{kill}", tmp_path / f"cache-{kill}"
        old = make_site(root)
        child = start(root, cache)
        if kill % 2:  # over the whole run, start-up and planning included
            time.sleep(duration * kill / (kills - 1))
        elif wait_for_seal(cache, child):  # over the writes
            time.sleep(writing * kill / (kills - 1))
        child.kill()
        child.communicate(timeout=30)
        now = visible_tree(root)
        check(old, new, now)
        code, err = finished(postctl(root, cache, "undo", "--format", "json"))
        if code == 1:  # nothing recorded: the kill came before the change was sealed
            assert "nothing to undo" in err and now == old
            outcomes["untouched"] += 1
        else:
            assert code == 0, err
            outcomes["done" if now == new else "interrupted"] += 1
        assert visible_tree(root) == old, kill
        shutil.rmtree(root)
    return outcomes, new
