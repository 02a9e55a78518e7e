"""Many files replaced with their flushes batched: each new file is on disk before it is
swapped in, a file changed since it was read is never overwritten, and nothing is left
behind (docs/guarantees.md: Writes, Batches)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from postctl.edit import batchwrite, files
from postctl.edit.changes import Planned, apply_change, undo
from postctl.edit.journal import Journal
from postctl.errors import NotDurableError, UnsafeWriteError
from postctl.text.reading import read_stamped


def make_posts(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"2024-01-01-p{n}.md" for n in range(count)]
    for path in paths:
        path.write_bytes(b"---\ntags: [old]\n---\n" + path.name.encode())
    return paths


def writes_for(paths: list[Path]) -> list[batchwrite.Write]:
    return [(p, p.read_bytes().replace(b"old", b"new"), read_stamped(p, 1 << 20)[1])
            for p in paths]


def test_every_file_is_flushed_before_the_first_swap(tmp_path: Path, monkeypatch: Any) -> None:
    paths = make_posts(tmp_path / "_posts", 20)
    events: list[str] = []
    real_fsync, real_swap = os.fsync, files.swap.exchange
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(files.swap, "exchange",
                        lambda *args: (events.append("swap"), real_swap(*args))[1])
    assert batchwrite.replace_all(writes_for(paths)) == [None] * 20
    assert events.index("swap") >= 20 and events.count("fsync") == 21  # and the folder
    assert events[-1] == "fsync"
    assert all(b"[new]" in p.read_bytes() for p in paths)
    assert sorted(os.listdir(tmp_path / "_posts")) == sorted(p.name for p in paths)


def test_a_file_changed_after_it_was_read_is_not_overwritten(tmp_path: Path,
                                                             monkeypatch: Any) -> None:
    paths = make_posts(tmp_path / "_posts", 5)
    writes = writes_for(paths)
    real_flush = batchwrite._flush

    def meanwhile(fds: list[int], pool: Any) -> list[str | None]:
        paths[2].write_bytes(b"saved by an editor")  # between the read and the swap
        return real_flush(fds, pool)

    monkeypatch.setattr(batchwrite, "_flush", meanwhile)
    results = batchwrite.replace_all(writes)
    assert [r is None for r in results] == [True, True, False, True, True]
    assert isinstance(results[2], UnsafeWriteError) and "changed on disk" in str(results[2])
    assert paths[2].read_bytes() == b"saved by an editor"
    assert sorted(os.listdir(tmp_path / "_posts")) == sorted(p.name for p in paths)


def test_refusals_leave_the_other_files_to_be_written(tmp_path: Path) -> None:
    paths = make_posts(tmp_path / "_posts", 4)
    writes = writes_for(paths)
    paths[1].chmod(0o444)
    os.link(paths[3], tmp_path / "hard-link.md")
    results = batchwrite.replace_all(writes)
    assert results[0] is None and results[2] is None
    assert "read-only" in str(results[1]) and "hard links" in str(results[3])
    assert b"[old]" in paths[1].read_bytes() and b"[old]" in paths[3].read_bytes()


def test_the_mode_is_kept(tmp_path: Path) -> None:
    paths = make_posts(tmp_path / "_posts", 2)
    paths[0].chmod(0o640)
    assert batchwrite.replace_all(writes_for(paths)) == [None, None]
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o640


def test_a_failed_flush_refuses_that_file_only(tmp_path: Path, monkeypatch: Any) -> None:
    paths = make_posts(tmp_path / "_posts", 3)
    writes = writes_for(paths)
    monkeypatch.setattr(batchwrite, "_flush", lambda fds, pool: [None, "No space left", None])
    results = batchwrite.replace_all(writes)
    assert results[0] is None and results[2] is None and "No space left" in str(results[1])
    assert b"[old]" in paths[1].read_bytes()
    assert len(os.listdir(tmp_path / "_posts")) == 3


def test_a_folder_that_cannot_be_flushed_is_reported_for_its_files(
        tmp_path: Path, monkeypatch: Any) -> None:
    paths = make_posts(tmp_path / "_posts", 2)

    def refuse(path: Path, done: str = "written") -> None:
        raise NotDurableError(path, "written, but its folder could not be synced to disk")

    monkeypatch.setattr(files, "fsync_folder", refuse)
    results = batchwrite.replace_all(writes_for(paths))
    assert all(isinstance(result, NotDurableError) for result in results)
    assert all(b"[new]" in p.read_bytes() for p in paths)


@pytest.mark.parametrize("count", [1, batchwrite.BATCH * 2 + 3])
def test_a_change_of_many_files_is_applied_in_batches_and_undone(
        tmp_path: Path, count: int) -> None:
    paths = make_posts(tmp_path / "site" / "_posts", count)
    before = {p: p.read_bytes() for p in paths}
    journal = Journal(tmp_path / "journal", tmp_path / "site")
    planned = (Planned(p, before[p], p, before[p].replace(b"old", b"new")) for p in paths)
    outcome = apply_change(journal, "test", planned)
    assert not outcome.refused and len(outcome.changed) == count
    change = journal.last_to_undo()
    assert change is not None
    assert len(undo(change, tmp_path / "site").changed) == count
    assert {p: p.read_bytes() for p in paths} == before


def test_a_declined_change_writes_nothing_and_keeps_no_record(tmp_path: Path) -> None:
    paths = make_posts(tmp_path / "site" / "_posts", 3)
    journal = Journal(tmp_path / "journal", tmp_path / "site")
    asked: list[int] = []
    planned = [Planned(p, p.read_bytes(), p, b"new") for p in paths]
    outcome = apply_change(journal, "test", planned, confirm=lambda n: asked.append(n) or False)
    assert asked == [3] and outcome.declined and outcome.change is None
    assert all(b"[old]" in p.read_bytes() for p in paths)
    assert journal.changes() == [] and os.listdir(tmp_path / "journal") == []


def stamped_plans(paths: list[Path]) -> list[Planned]:
    plans = []
    for path in paths:
        old, stamp = read_stamped(path, 1 << 20)
        plans.append(Planned(path, old, path, old.replace(b"old", b"new"), stamp=stamp))
    return plans


@pytest.mark.parametrize("meddle", ["content", "touch", "replaced"])
def test_a_file_changed_after_the_read_a_change_was_planned_from_is_not_written(
        tmp_path: Path, meddle: str) -> None:
    paths = make_posts(tmp_path / "site" / "_posts", 5)
    plans = stamped_plans(paths)  # each checked against this read, not read again
    info = os.stat(paths[2])
    if meddle == "content":  # same size and time, other bytes
        paths[2].write_bytes(paths[2].read_bytes().replace(b"p2", b"P2"))
        os.utime(paths[2], ns=(info.st_atime_ns, info.st_mtime_ns))
    elif meddle == "touch":
        os.utime(paths[2], ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    else:  # the same bytes under a new inode
        other = paths[2].with_name("saved.tmp")
        other.write_bytes(paths[2].read_bytes())
        os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(other, paths[2])
    meddled = paths[2].read_bytes()
    outcome = apply_change(Journal(tmp_path / "journal", tmp_path / "site"), "test", plans)
    assert [r.path for r in outcome.refused] == [paths[2]]
    assert "changed on disk" in str(outcome.refused[0])
    assert paths[2].read_bytes() == meddled
    assert all(b"[new]" in p.read_bytes() for n, p in enumerate(paths) if n != 2)
    assert sorted(os.listdir(paths[0].parent)) == sorted(p.name for p in paths)


def test_the_file_swapped_out_is_checked_after_the_swap(tmp_path: Path, monkeypatch: Any) -> None:
    paths = make_posts(tmp_path / "_posts", 3)
    writes = writes_for(paths)
    real_exchange = files.swap.exchange
    swapped: list[Path] = []

    def replaced_just_before(first: Path, second: Path) -> bool:
        if second == paths[1] and second not in swapped:  # a save lands after the check
            other = second.with_name("saved.tmp")
            other.write_bytes(b"saved by an editor")
            os.replace(other, second)
        swapped.append(second)
        return real_exchange(first, second)

    monkeypatch.setattr(files.swap, "exchange", replaced_just_before)
    results = batchwrite.replace_all(writes)
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], UnsafeWriteError) and "changed on disk" in str(results[1])
    assert paths[1].read_bytes() == b"saved by an editor"
    assert sorted(os.listdir(tmp_path / "_posts")) == sorted(p.name for p in paths)


def test_a_file_opened_for_writing_after_the_check_is_put_back(tmp_path: Path,
                                                               monkeypatch: Any) -> None:
    paths = make_posts(tmp_path / "_posts", 3)
    writes = writes_for(paths)
    real_exchange = files.swap.exchange
    opened: list[bool] = []

    def opened_for_writing_just_before(first: Path, second: Path) -> bool:
        if second == paths[1] and not opened:  # a program opens it to write into it
            try:
                os.close(os.open(second, os.O_WRONLY | os.O_NONBLOCK))
                opened.append(False)  # no lease here: nothing to break
            except BlockingIOError:  # the lease holds it back, and is broken
                opened.append(True)
        return real_exchange(first, second)

    monkeypatch.setattr(files.swap, "exchange", opened_for_writing_just_before)
    results = batchwrite.replace_all(writes)
    assert results[0] is None and results[2] is None
    if opened == [True]:
        assert isinstance(results[1], UnsafeWriteError) and "changed on disk" in str(results[1])
        assert b"[old]" in paths[1].read_bytes()
    assert sorted(os.listdir(tmp_path / "_posts")) == sorted(p.name for p in paths)
