"""The walk begun early in a forked child: its stamps are taken only when they are those of
the files the walk lists, their time is the child's, and a child not taken is stopped."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from postctl.catalog import early_walk
from postctl.catalog import refresh as refresh_module
from postctl.catalog.index import open_index
from postctl.catalog.query import ALL, Filters, Sort
from postctl.site import walk as walk_module
from postctl.site.model import open_site
from postctl.site.stamps import stat_files

POST = "---\ntitle: {title}\ntags: [{tags}]\n---\nbody\n"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or threading.active_count() != 1,
    reason="the early walk forks, on Linux only")


@pytest.fixture(autouse=True)
def two_processes(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    yield
    early_walk.stop()


@pytest.fixture
def site_root(make_site) -> Path:
    return make_site(posts={
        f"_posts/2024-01-0{i}-post-{i}.md": POST.format(title=f"Post {i}", tags="a, b")
        for i in range(1, 6)
    } | {"_posts/deeper/2024-02-01-deep.md": POST.format(title="Deep", tags="c")})


def _listed(root: Path) -> list[walk_module.Directory]:
    site = open_site(root)
    return walk_module.listed_directories(site.folders, str(site.root), str, None)


def _titles(root: Path) -> list[str]:
    with open_index(open_site(root)) as index:
        index.refresh()
        return [s.title or "" for s in index.summaries(Filters(drafts=ALL), Sort("path", False))]


def test_the_child_stats_the_files_the_walk_lists(site_root: Path) -> None:
    before = time.time_ns()
    assert early_walk.begin(str(site_root))
    directories = _listed(site_root)
    total = sum(len(directory.names) for directory in directories)
    early = early_walk.take(directories, total)
    assert early is not None
    assert early.stamps == stat_files(directories)
    assert before <= early.started <= time.time_ns()
    assert early_walk.take(directories, total) is None  # taken once


def test_a_file_added_meanwhile_makes_the_walk_stat_again(site_root: Path) -> None:
    assert early_walk.begin(str(site_root))
    time.sleep(0.3)  # the child has walked
    (site_root / "_posts" / "2024-03-01-new.md").write_text(POST.format(title="New", tags="a"))
    directories = _listed(site_root)
    assert early_walk.take(directories, sum(len(d.names) for d in directories)) is None


def test_the_index_sees_a_file_added_after_the_early_walk(site_root: Path) -> None:
    _titles(site_root)
    assert early_walk.begin(str(site_root))
    time.sleep(0.3)
    (site_root / "_posts" / "2024-03-01-new.md").write_text(POST.format(title="New", tags="a"))
    assert "New" in _titles(site_root)


def test_an_edit_after_the_early_walk_is_seen_by_the_next_run(site_root: Path) -> None:
    """The command sees the files as they were when it started; the edit that came later
    changes the file's stamp, so the next run reads it."""
    old = time.time_ns() - 3600 * 10**9  # no file is racy: only stamps tell an edit
    for path in (site_root / "_posts").rglob("*.md"):
        os.utime(path, ns=(old, old))
    _titles(site_root)
    post = site_root / "_posts" / "2024-01-01-post-1.md"
    assert early_walk.begin(str(site_root))
    time.sleep(0.3)
    post.write_text(POST.format(title="Edited later", tags="a, b"))
    os.utime(post, ns=(old, old + 10**9))
    assert "Edited later" not in _titles(site_root)  # the early walk's view
    assert "Edited later" in _titles(site_root)


def test_files_changed_just_before_the_early_walk_are_racy_for_it(site_root: Path,
                                                                  monkeypatch) -> None:
    """Racy files are those changed less than RACY_SECONDS before the walk *began*: with
    early stamps, before the child's walk, not before the refresh that takes them."""
    from postctl.catalog import racy

    _titles(site_root)
    early = time.time_ns() - 60 * 10**9  # the early walk, a minute before the refresh
    post = site_root / "_posts" / "2024-01-02-post-2.md"
    changed = early - 10**9  # changed a second before it: racy for it, not for the refresh
    old = early - (racy.RACY_SECONDS + 5) * 10**9
    for path in (site_root / "_posts").rglob("*.md"):
        os.utime(path, ns=(old, changed if path == post else old))

    def taken(directories, total):
        return walk_module.TakenStamps(early, stat_files(directories))

    monkeypatch.setattr(refresh_module, "take_early_stamps", taken)
    with open_index(open_site(site_root)) as index:
        index.refresh()
        assert index._racy() == frozenset({"_posts/2024-01-02-post-2.md"})


def test_a_child_not_taken_is_stopped(site_root: Path) -> None:
    assert early_walk.begin(str(site_root))
    pid = early_walk._child[0].pid
    early_walk.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie is left
    assert early_walk.take(_listed(site_root), 6) is None


def test_a_failed_child_gives_nothing(tmp_path: Path) -> None:
    assert early_walk.begin(str(tmp_path / "no such site"))
    assert early_walk.take([], 0) is None


def test_one_process_only_when_asked(site_root: Path, monkeypatch) -> None:
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "1")
    assert not early_walk.begin(str(site_root))
    assert early_walk._child == []


def test_a_process_forked_later_does_not_take_the_stamps(site_root: Path) -> None:
    assert early_walk.begin(str(site_root))
    directories = _listed(site_root)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked process
        taken = early_walk.take(directories, 6)
        early_walk.stop()  # not its child: nothing is stopped
        os.write(write_end, b"none" if taken is None else b"some")
        os._exit(0)
    os.close(write_end)
    assert os.read(read_end, 8) == b"none"
    os.close(read_end)
    os.waitpid(pid, 0)
    assert early_walk.take(directories, 6) is not None


def test_the_child_lists_the_folders_from_the_listings_the_index_keeps(site_root: Path,
                                                                      monkeypatch) -> None:
    """Folders whose stamp did not move are not read again (on a large site, reading them
    costs as much as the stat calls): here, reading one makes the child fail."""
    from postctl.site import listings

    monkeypatch.setattr(listings, "RACY_SECONDS", 0)  # the folders were made just now
    _titles(site_root)  # the index keeps the listings

    def unread(*args, **kwargs):
        raise AssertionError("a folder was read again")

    with monkeypatch.context() as child_only:
        child_only.setattr(listings, "read_directory", unread)
        assert early_walk.begin(str(site_root))
    directories = _listed(site_root)
    early = early_walk.take(directories, sum(len(d.names) for d in directories))
    assert early is not None and early.stamps == stat_files(directories)


def test_a_large_site_shares_the_stat_calls(site_root: Path, monkeypatch) -> None:
    monkeypatch.setattr(early_walk, "SHARED_MIN_FILES", 1)
    shared: list[int] = []
    real = walk_module.forked_stat
    monkeypatch.setattr(walk_module, "forked_stat",
                        lambda d, total: shared.append(total) or real(d, total))
    assert early_walk.begin(str(site_root))
    directories = _listed(site_root)
    early = early_walk.take(directories, 6)
    assert early is not None and early.stamps == stat_files(directories)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_stop_ends_the_child_and_the_child_it_shares_with(tmp_path: Path, monkeypatch) -> None:
    noted = tmp_path / "pid"

    def walk(root: str | None) -> bytes:  # the child: its own group, a child of its own
        os.setpgid(0, 0)
        if os.fork() == 0:
            noted.write_text(str(os.getpid()))
            time.sleep(60)
            os._exit(0)
        time.sleep(60)
        return b""

    monkeypatch.setattr(early_walk, "_walk", walk)
    assert early_walk.begin(str(tmp_path))
    deadline = time.monotonic() + 10
    while not noted.exists() or not noted.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    shared_with = int(noted.read_text())
    assert _alive(shared_with)
    early_walk.stop()
    while _alive(shared_with):
        assert time.monotonic() < deadline, "the child's own child was left running"
        time.sleep(0.01)
