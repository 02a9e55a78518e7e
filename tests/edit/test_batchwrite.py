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
    real_fsync, real_swap = os.fsync, files.swap_in
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(files, "swap_in",
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

    def meanwhile(fds: list[int]) -> list[str | None]:
        paths[2].write_bytes(b"saved by an editor")  # between the read and the swap
        return real_flush(fds)

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
    monkeypatch.setattr(batchwrite, "_flush", lambda fds: [None, "No space left", None])
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
