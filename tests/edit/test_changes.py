"""Recorded multi-file changes: apply, refuse, roll back, undo, complete."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postctl.edit import files
from postctl.edit.changes import Planned, apply_change, complete, undo
from postctl.edit.journal import Journal
from postctl.errors import PostExistsError, UnsafeWriteError


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "_drafts").mkdir()
    for name, text in {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nA\r\n",
                       "_posts/2024-01-02-b.md": "---\ntags: [x]\n---\nB\n",
                       "_drafts/c.md": "---\ntitle: C\n---\nC\n"}.items():
        (root / name).write_bytes(text.encode())
    return root


@pytest.fixture
def journal(site: Path, tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journal", site)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def plan_all(site: Path) -> list[Planned]:
    a, b, c = (site / "_posts/2024-01-01-a.md", site / "_posts/2024-01-02-b.md",
               site / "_drafts/c.md")
    return [
        Planned(a, a.read_bytes(), a, a.read_bytes().replace(b"A\r\n", b"A!\r\n")),
        Planned(b, b.read_bytes(), None, None),                       # removed
        Planned(c, c.read_bytes(), site / "_posts/2024-02-03-c.md", c.read_bytes()),  # moved
        Planned(None, None, site / "_posts/2024-03-04-d.md", b"---\ntitle: D\n---\n"),  # new
    ]


def test_a_change_is_applied_and_undone_byte_exactly(site: Path, journal: Journal) -> None:
    before = tree(site)
    outcome = apply_change(journal, "test", plan_all(site))
    assert not outcome.refused and len(outcome.changed) == 4
    after = tree(site)
    assert after == {"_posts/2024-01-01-a.md": b"---\ntitle: A\n---\nA!\r\n",
                     "_posts/2024-02-03-c.md": before["_drafts/c.md"],
                     "_posts/2024-03-04-d.md": b"---\ntitle: D\n---\n"}
    change = journal.last_to_undo()
    assert change is not None and change.state == "done" and change.command == "test"
    back = undo(change, site)
    assert not back.refused and len(back.changed) == 4
    assert tree(site) == before
    assert change.state == "undone" and journal.last_to_undo() is None


def test_a_file_saved_by_another_program_is_not_overwritten(site: Path,
                                                              journal: Journal) -> None:
    planned = plan_all(site)
    edited = site / "_posts/2024-01-01-a.md"
    edited.write_bytes(b"---\ntitle: A\n---\nsaved meanwhile\n")  # after the read
    outcome = apply_change(journal, "test", planned)
    assert [r.path for r in outcome.refused] == [edited]
    assert isinstance(outcome.refused[0], UnsafeWriteError)
    assert edited.read_bytes() == b"---\ntitle: A\n---\nsaved meanwhile\n"
    assert not (site / "_posts/2024-01-02-b.md").exists()  # the others were changed


def test_all_or_nothing_puts_back_what_it_changed(site: Path, journal: Journal) -> None:
    before = tree(site)
    planned = plan_all(site)
    last = site / "_posts/2024-03-04-d.md"
    last.write_bytes(b"someone else's post\n")  # the new file's name is taken meanwhile
    outcome = apply_change(journal, "test", planned, all_or_nothing=True)
    assert outcome.rolled_back
    assert [type(r) for r in outcome.refused] == [PostExistsError]
    assert tree(site) == {**before, "_posts/2024-03-04-d.md": b"someone else's post\n"}


def test_undo_leaves_a_file_changed_since_and_names_it(site: Path, journal: Journal) -> None:
    before = tree(site)
    apply_change(journal, "test", plan_all(site))
    moved = site / "_posts/2024-02-03-c.md"
    moved.write_bytes(b"edited after the change\n")
    change = journal.last_to_undo()
    assert change is not None
    outcome = undo(change, site)
    assert [r.path for r in outcome.refused] == [moved]
    assert moved.read_bytes() == b"edited after the change\n"
    assert change.state == "done"  # not undone while a file is not back
    assert (site / "_posts/2024-01-01-a.md").read_bytes() == before["_posts/2024-01-01-a.md"]
    moved.write_bytes(before["_drafts/c.md"])  # the user puts it back as the change left it
    assert not undo(change, site).refused
    assert tree(site) == before


def test_an_interrupted_change_is_reported_and_can_be_undone_or_completed(
        site: Path, journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(site)
    real_create = files.create_exclusive

    def interrupted(path: Path, data: bytes) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "create_exclusive", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_change(journal, "test", plan_all(site))
    monkeypatch.setattr(files, "create_exclusive", real_create)
    [change] = journal.interrupted()
    assert change.state == "interrupted"
    assert tree(site) != before
    assert not undo(change, site).refused and tree(site) == before
    # recorded again and interrupted again, then finished from the record
    monkeypatch.setattr(files, "create_exclusive", interrupted)
    with pytest.raises(KeyboardInterrupt):
        apply_change(journal, "test", plan_all(site))
    monkeypatch.setattr(files, "create_exclusive", real_create)
    [again] = journal.interrupted()
    assert not complete(again, site).refused and again.state == "done"
    assert set(tree(site)) == {"_posts/2024-01-01-a.md", "_posts/2024-02-03-c.md",
                               "_posts/2024-03-04-d.md"}


def test_a_change_stopped_while_recording_touched_nothing(site: Path, journal: Journal) -> None:
    before = tree(site)

    def planned() -> object:
        yield from plan_all(site)[:2]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        apply_change(journal, "test", planned())  # type: ignore[arg-type]
    assert tree(site) == before and journal.changes() == []
    assert apply_change(journal, "test", []).change is None  # nothing to do: no record


def test_recordings_of_dead_processes_are_pruned(site: Path, journal: Journal) -> None:
    recorder = journal.record("test")
    dead = recorder.change.folder.with_name(recorder.change.id.rsplit("-", 1)[0] + "-999999999")
    recorder.abort()
    dead.mkdir(parents=True)
    (dead / "change.json").write_text('{"command": "x"}')
    journal.record("next").abort()
    assert not dead.exists()


def test_contents_are_stored_once_and_checked_when_read(site: Path, journal: Journal) -> None:
    a = site / "_posts/2024-01-01-a.md"
    same = a.read_bytes()
    apply_change(journal, "test", [Planned(a, same, a, same + b"x"),
                                   Planned(None, None, site / "_posts/2024-05-05-e.md", same)])
    change = journal.last_to_undo()
    assert change is not None
    assert (change.folder / "pack").stat().st_size == 2 * len(same) + 1
    with open(change.folder / "pack", "r+b") as pack:
        pack.write(b"#")
    with pytest.raises(OSError, match="damaged"):
        undo(change, site)
    assert a.read_bytes() == same + b"x"


def test_remove_unchanged_refuses_a_changed_file(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    post.write_bytes(b"one")
    stamp = files.read_if_present(post, 3)
    assert stamp is not None
    post.write_bytes(b"two")
    with pytest.raises(UnsafeWriteError, match="changed"):
        files.remove_unchanged(post, stamp)
    assert post.read_bytes() == b"two" and os.listdir(tmp_path) == ["p.md"]
    files.remove_unchanged(post, files.read_if_present(post, 3))  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []

