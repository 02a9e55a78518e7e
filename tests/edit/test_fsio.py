"""fsio: atomic, durable, metadata-preserving writes, or none at all (docs/guarantees.md: Writes,
New posts)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from postctl.edit import files as fsio
from postctl.edit.tempfiles import TEMP_PREFIX
from postctl.errors import PostExistsError, SourceError, UnsafeWriteError
from postctl.text.reading import FileStamp, read_stamped

ORIGINAL = b"---\ntitle: old\n---\nold body\n"
NEW = b"---\ntitle: new\n---\nnew body, longer than before\n"
LIMIT = 1 << 20


def stamp_of(path: Path) -> FileStamp:
    return read_stamped(path, LIMIT)[1]


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "2024-01-05-post.md"
    path.write_bytes(ORIGINAL)
    path.chmod(0o664)
    return path


def temp_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(TEMP_PREFIX))


def snapshot(path: Path) -> tuple[bytes, int, int]:
    info = os.lstat(path)
    return path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_ino


# --- reading a file to rewrite ---------------------------------------------------------


def test_read_for_rewrite_is_the_stamped_read(post: Path) -> None:
    assert fsio.read_for_rewrite(post, LIMIT) == read_stamped(post, LIMIT)


def test_read_for_rewrite_refuses_a_symlink(post: Path) -> None:
    link = post.with_name("link.md")
    link.symlink_to(post)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        fsio.read_for_rewrite(link, LIMIT)


def test_read_for_rewrite_refuses_a_fifo_as_a_write_would(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeWriteError, match="not a regular file; postctl does not write it"):
        fsio.read_for_rewrite(fifo, LIMIT)


def test_read_for_rewrite_is_bounded(post: Path) -> None:
    with pytest.raises(SourceError, match="larger than the 10 byte limit"):
        fsio.read_for_rewrite(post, 10)


def test_read_for_rewrite_reports_a_missing_file_as_unreadable(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        fsio.read_for_rewrite(tmp_path / "gone.md", LIMIT)


# --- atomic_replace -------------------------------------------------------------------


def test_atomic_replace_writes_new_bytes_and_leaves_no_temp(post: Path) -> None:
    fsio.atomic_replace(post, NEW, stamp_of(post))
    assert post.read_bytes() == NEW
    assert temp_files(post.parent) == []


@pytest.mark.parametrize("mode", [0o664, 0o600, 0o644, 0o755, 0o640])
def test_atomic_replace_keeps_the_mode(post: Path, mode: int, umask: Any) -> None:
    umask(0o077)  # the temp file starts as 0600; the mode must not come from the umask
    post.chmod(mode)
    fsio.atomic_replace(post, NEW, stamp_of(post))
    assert stat.S_IMODE(os.stat(post).st_mode) == mode


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_atomic_replace_keeps_owner_and_group(post: Path) -> None:
    os.chown(post, 4321, 8765)
    fsio.atomic_replace(post, NEW, stamp_of(post))
    info = os.stat(post)
    assert (info.st_uid, info.st_gid) == (4321, 8765)


def test_atomic_replace_refuses_a_file_whose_owner_it_cannot_keep(post: Path,
                                                                   monkeypatch: Any) -> None:
    real_fstat = os.fstat

    def other_owner(fd: int) -> Any:
        info = real_fstat(fd)
        fields = list(info)
        fields[stat.ST_UID] = info.st_uid + 1
        return os.stat_result(fields)

    def refuse(*args: object) -> None:
        raise PermissionError(errno.EPERM, "not permitted")

    before = snapshot(post)
    monkeypatch.setattr(os, "fstat", other_owner)
    monkeypatch.setattr(os, "fchown", refuse)
    with pytest.raises(UnsafeWriteError, match="could not keep its owner"):
        fsio.atomic_replace(post, NEW, stamp_of(post))
    monkeypatch.undo()
    assert snapshot(post) == before
    assert temp_files(post.parent) == []


def test_atomic_replace_refuses_a_symlink(post: Path) -> None:
    link = post.with_name("link.md")
    link.symlink_to(post.name)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        fsio.atomic_replace(link, NEW, stamp_of(post))
    assert link.is_symlink()
    assert os.readlink(link) == post.name
    assert post.read_bytes() == ORIGINAL
    assert temp_files(post.parent) == []


def test_atomic_replace_refuses_a_hard_linked_file(post: Path) -> None:
    other = post.with_name("other.md")
    os.link(post, other)
    with pytest.raises(UnsafeWriteError, match="2 hard links"):
        fsio.atomic_replace(post, NEW, stamp_of(post))
    assert post.read_bytes() == ORIGINAL
    assert os.stat(post).st_ino == os.stat(other).st_ino
    assert temp_files(post.parent) == []


def test_atomic_replace_refuses_a_non_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    stamp = FileStamp(0, 0, os.lstat(fifo).st_ino, "")
    with pytest.raises(UnsafeWriteError, match="not a regular file"):
        fsio.atomic_replace(fifo, NEW, stamp)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_atomic_replace_refuses_a_file_that_vanished(post: Path) -> None:
    stamp = stamp_of(post)
    post.unlink()
    with pytest.raises(UnsafeWriteError, match="changed on disk"):
        fsio.atomic_replace(post, NEW, stamp)
    assert not post.exists()
    assert temp_files(post.parent) == []


def _append(path: Path) -> None:
    with open(path, "ab") as handle:
        handle.write(b"edited meanwhile\n")


def _same_size_same_mtime(path: Path) -> None:
    info = os.stat(path)
    path.write_bytes(ORIGINAL.replace(b"old body", b"OLD BODY"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _replaced_by_editor(path: Path) -> None:
    info = os.stat(path)
    other = path.with_name("editor-save.tmp")
    other.write_bytes(ORIGINAL)
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(other, path)


@pytest.mark.parametrize(
    "meddle", [_append, _same_size_same_mtime, _replaced_by_editor], ids=lambda f: f.__name__
)
def test_atomic_replace_refuses_a_file_changed_since_it_was_read(
    post: Path, meddle: Callable[[Path], None]
) -> None:
    stamp = stamp_of(post)
    meddle(post)
    meddled = post.read_bytes()
    with pytest.raises(UnsafeWriteError, match="changed on disk while postctl was working"):
        fsio.atomic_replace(post, NEW, stamp)
    assert post.read_bytes() == meddled
    assert temp_files(post.parent) == []


def test_atomic_replace_writes_everything_despite_short_writes(
    post: Path, monkeypatch: Any
) -> None:
    real_write = os.write

    def short_write(fd: int, data: Any) -> int:
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(os, "write", short_write)
    fsio.atomic_replace(post, NEW, stamp_of(post))
    monkeypatch.undo()
    assert post.read_bytes() == NEW


# --- fault injection: every step, ENOSPC and Ctrl-C -----------------------------------

STEPS = [
    ("open", 1),  # creating the temp file
    ("write", 1),
    ("fsync", 1),  # the temp file
    ("fchmod", 1),
    ("fstat", 1),  # reading the temp file's owner
    ("read", 1),  # re-reading the target to compare its hash
    ("open", 2),  # re-opening the target
    ("exchange", 1),  # swapping the new file in, where the system can
    ("open", 3),  # re-reading the file swapped out
    ("replace", 1),  # replacing, where it cannot
]
FAULTS = [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()]


def inject(monkeypatch: Any, name: str, nth: int, fault: BaseException) -> list[int]:
    """Make the nth call to os.<name> (or to the name swap) raise ``fault``; return the
    call counter. For ``replace``, the system is taken to have no name swap."""
    if name == "replace":
        monkeypatch.setattr(fsio.swap, "exchange", lambda first, second: False)
    module = fsio.swap if name == "exchange" else os
    real = getattr(module, name)
    calls = [0]

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == nth:
            raise fault
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, failing)
    return calls


@pytest.mark.parametrize("fault", FAULTS, ids=["ENOSPC", "KeyboardInterrupt"])
@pytest.mark.parametrize(("name", "nth"), STEPS, ids=[f"{n}#{k}" for n, k in STEPS])
def test_a_failure_at_any_step_leaves_the_original_intact(
    post: Path, monkeypatch: Any, name: str, nth: int, fault: BaseException
) -> None:
    stamp = stamp_of(post)
    before = snapshot(post)
    calls = inject(monkeypatch, name, nth, fault)
    expected = KeyboardInterrupt if isinstance(fault, KeyboardInterrupt) else UnsafeWriteError
    with pytest.raises(expected):
        fsio.atomic_replace(post, NEW, stamp)
    monkeypatch.undo()
    assert calls[0] >= nth, f"os.{name} was not called {nth} times: the step was not exercised"
    assert snapshot(post) == before
    assert temp_files(post.parent) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
@pytest.mark.parametrize("fault", FAULTS, ids=["ENOSPC", "KeyboardInterrupt"])
def test_a_failing_chown_other_than_permission_aborts(
    post: Path, monkeypatch: Any, fault: BaseException
) -> None:
    os.chown(post, 4321, 8765)
    stamp = stamp_of(post)
    before = snapshot(post)
    inject(monkeypatch, "fchown", 1, fault)
    with pytest.raises((UnsafeWriteError, KeyboardInterrupt)):
        fsio.atomic_replace(post, NEW, stamp)
    monkeypatch.undo()
    assert snapshot(post) == before
    assert temp_files(post.parent) == []


def test_a_failing_folder_sync_reports_but_the_file_is_complete(
    post: Path, monkeypatch: Any
) -> None:
    inject(monkeypatch, "fsync", 2, OSError(errno.EIO, "I/O error"))
    with pytest.raises(UnsafeWriteError, match="written, but its folder could not be synced"):
        fsio.atomic_replace(post, NEW, stamp_of(post))
    monkeypatch.undo()
    assert post.read_bytes() == NEW
    assert temp_files(post.parent) == []


def test_an_unsupported_folder_sync_is_not_an_error(post: Path, monkeypatch: Any) -> None:
    inject(monkeypatch, "fsync", 2, OSError(errno.EINVAL, "Invalid argument"))
    fsio.atomic_replace(post, NEW, stamp_of(post))
    monkeypatch.undo()
    assert post.read_bytes() == NEW


def test_the_temp_file_is_hidden_and_in_the_same_folder(post: Path, monkeypatch: Any) -> None:
    seen: list[str] = []
    real_exchange = fsio.swap.exchange

    def spy(src: Path, dst: Path) -> bool:
        if not seen:
            seen.append(os.fspath(src))
            assert stat.S_IMODE(os.stat(src).st_mode) == 0o664
        return real_exchange(src, dst)

    monkeypatch.setattr(fsio.swap, "exchange", spy)
    fsio.atomic_replace(post, NEW, stamp_of(post))
    (temp,) = seen
    assert str(os.getpid()) in Path(temp).name
    assert Path(temp).parent == post.parent
    assert Path(temp).name.startswith(".postctl-") and temp.endswith(".tmp")


# --- create_exclusive -----------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_create_exclusive_uses_the_default_mode(tmp_path: Path, umask: Any, mask: int) -> None:
    umask(mask)
    path = tmp_path / "2024-01-05-new.md"
    fsio.create_exclusive(path, NEW)
    assert path.read_bytes() == NEW
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o666 & ~mask
    assert os.stat(path).st_nlink == 1
    assert temp_files(tmp_path) == []


def test_create_exclusive_never_overwrites(post: Path) -> None:
    before = snapshot(post)
    with pytest.raises(PostExistsError):
        fsio.create_exclusive(post, NEW)
    assert snapshot(post) == before
    assert temp_files(post.parent) == []


@pytest.mark.parametrize("existing", ["Hello.md", "HELLO.md", "hello.MD"])
def test_create_exclusive_refuses_a_case_folded_collision(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_bytes(ORIGINAL)
    with pytest.raises(PostExistsError, match="different letter case"):
        fsio.create_exclusive(tmp_path / "hello.md", NEW)
    assert sorted(os.listdir(tmp_path)) == [existing]


def test_create_exclusive_refuses_an_nfd_spelling_of_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "cafe\u0301.md").write_bytes(ORIGINAL)
    with pytest.raises(PostExistsError):
        fsio.create_exclusive(tmp_path / "caf\u00e9.md", NEW)


def test_create_exclusive_refuses_a_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "new.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(PostExistsError):
        fsio.create_exclusive(link, NEW)
    assert link.is_symlink() and not (tmp_path / "elsewhere.md").exists()
    assert temp_files(tmp_path) == []


def test_create_exclusive_loses_a_race_cleanly(tmp_path: Path, monkeypatch: Any) -> None:
    path = tmp_path / "new.md"
    real_link = os.link

    def racing_link(src: Any, dst: Any, **kwargs: Any) -> None:
        Path(dst).write_bytes(b"the other writer\n")
        real_link(src, dst, **kwargs)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(PostExistsError):
        fsio.create_exclusive(path, NEW)
    assert path.read_bytes() == b"the other writer\n"
    assert temp_files(tmp_path) == []


def test_create_exclusive_without_hard_links(tmp_path: Path, umask: Any, monkeypatch: Any) -> None:
    umask(0o002)

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "new.md"
    fsio.create_exclusive(path, NEW)
    assert path.read_bytes() == NEW
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o664
    assert temp_files(tmp_path) == []


@pytest.mark.parametrize("fault", FAULTS, ids=["ENOSPC", "KeyboardInterrupt"])
@pytest.mark.parametrize("name", ["write", "fsync", "link"])
def test_create_exclusive_failure_leaves_nothing(
    tmp_path: Path, monkeypatch: Any, name: str, fault: BaseException
) -> None:
    inject(monkeypatch, name, 1, fault)
    with pytest.raises((UnsafeWriteError, KeyboardInterrupt)):
        fsio.create_exclusive(tmp_path / "new.md", NEW)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_create_exclusive_fallback_failure_leaves_nothing(tmp_path: Path, monkeypatch: Any) -> None:
    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    inject(monkeypatch, "write", 2, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(UnsafeWriteError):
        fsio.create_exclusive(tmp_path / "new.md", NEW)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


# --- replace_forced -------------------------------------------------------------------


def test_replace_forced_overwrites_and_keeps_the_mode(post: Path) -> None:
    post.chmod(0o640)
    fsio.replace_forced(post, NEW)
    assert post.read_bytes() == NEW
    assert stat.S_IMODE(os.stat(post).st_mode) == 0o640
    assert temp_files(post.parent) == []


def test_replace_forced_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    fsio.replace_forced(path, NEW)
    assert path.read_bytes() == NEW


def test_replace_forced_refuses_a_symlink(post: Path) -> None:
    link = post.with_name("link.md")
    link.symlink_to(post.name)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        fsio.replace_forced(link, NEW)
    assert link.is_symlink() and post.read_bytes() == ORIGINAL


@pytest.mark.parametrize("fault", FAULTS, ids=["ENOSPC", "KeyboardInterrupt"])
def test_replace_forced_failure_leaves_the_original(
    post: Path, monkeypatch: Any, fault: BaseException
) -> None:
    before = snapshot(post)
    inject(monkeypatch, "replace", 1, fault)
    with pytest.raises((UnsafeWriteError, KeyboardInterrupt)):
        fsio.replace_forced(post, NEW)
    monkeypatch.undo()
    assert snapshot(post) == before
    assert temp_files(post.parent) == []


# --- rename_exclusive -----------------------------------------------------------------


def test_rename_exclusive_gives_the_file_its_new_name(post: Path) -> None:
    before = snapshot(post)
    target = post.with_name("2024-01-06-post.md")
    fsio.rename_exclusive(post, target)
    assert not os.path.lexists(post)
    assert snapshot(target) == before


def test_rename_exclusive_never_replaces_a_file(post: Path) -> None:
    target = post.with_name("taken.md")
    target.write_bytes(b"someone else's\n")
    with pytest.raises(UnsafeWriteError, match="already exists; the post was not renamed"):
        fsio.rename_exclusive(post, target)
    assert post.read_bytes() == ORIGINAL
    assert target.read_bytes() == b"someone else's\n"


def test_rename_exclusive_refuses_a_symlink(post: Path) -> None:
    link = post.with_name("link.md")
    link.symlink_to(post.name)
    with pytest.raises(UnsafeWriteError, match="symbolic link"):
        fsio.rename_exclusive(link, post.with_name("new.md"))
    assert link.is_symlink() and not os.path.lexists(post.with_name("new.md"))


def test_rename_exclusive_keeps_the_old_name_when_it_cannot_be_removed(
    post: Path, monkeypatch: Any
) -> None:
    target = post.with_name("new.md")
    inject(monkeypatch, "unlink", 1, OSError(errno.EACCES, "Permission denied"))
    with pytest.raises(UnsafeWriteError, match="could not be renamed: Permission denied"):
        fsio.rename_exclusive(post, target)
    monkeypatch.undo()
    assert post.read_bytes() == ORIGINAL and not os.path.lexists(target)


def test_a_failing_folder_sync_after_a_rename_is_reported(post: Path, monkeypatch: Any) -> None:
    target = post.with_name("new.md")
    inject(monkeypatch, "fsync", 1, OSError(errno.EIO, "I/O error"))
    with pytest.raises(UnsafeWriteError,
                       match="renamed, but its folder could not be synced to disk: I/O error"):
        fsio.rename_exclusive(post, target)
    monkeypatch.undo()
    assert target.read_bytes() == ORIGINAL and not os.path.lexists(post)


def test_make_folders_makes_missing_parents_and_accepts_existing_ones(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    fsio.make_folders(folder)
    fsio.make_folders(folder)
    assert folder.is_dir()
