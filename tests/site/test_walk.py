"""The walk of the post folders: stamps, signature, and the stat calls shared with children."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from array import array
from pathlib import Path

import pytest

from postctl.catalog.index import open_index
from postctl.site import listings as listings_module
from postctl.site import stamps as stamps_module
from postctl.site import walk as walk_module
from postctl.site import workers
from postctl.site.model import open_site
from postctl.site.postfiles import PostNames
from postctl.site.walk import Directory, Relative, forked_stat, stat_files, walk_folders
from tests.catalog.test_index import bump

POST = "---\ntitle: {title}\ntags: [{tags}]\n---\nbody\n"


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


needs_fork = pytest.mark.skipif(not _can_fork(), reason="the walk is forked on Linux only")


def _directories(root: Path) -> list[Directory]:
    site = open_site(root)
    cut = len(str(site.root)) + 1
    return [directory for folder in site.folders
            for directory in listings_module.list_directories(PostNames(folder, site.root),
                                                              Relative(cut, None))]


def _walk(root: Path, expected_files: int = 0) -> walk_module.Walk:
    site = open_site(root)
    return walk_folders(site.folders, str(site.root), lambda path: site.relative(Path(path)),
                        expected_files)


def _records(directories: list[Directory], stamps: array[int]) -> list[walk_module.Found]:
    return list(walk_module._records(directories, stamps))


def _with_names(directory: Directory, names: list[str]) -> Directory:
    return Directory(directory.folder, directory.path, names, directory.relative,
                     walk_module.pack(names))


# --- what the walk finds -----------------------------------------------------------------


def test_the_walk_of_the_index_and_the_scan_find_the_same_files(make_site, tmp_path: Path,
                                                                ) -> None:
    from postctl.site.scan import iter_post_files

    jekyll = make_site(posts={
        "_posts/2024-01-01-a.md": "---\n---\n", "_posts/sub/2024-01-02-b.markdown": "---\n---\n",
        "_posts/.hidden.md": "x", "_posts/_skip/2024-01-03-c.md": "x", "_posts/notes.txt": "x",
        "_drafts/d.md": "---\n---\n", "news/_posts/2024-01-04-e.md": "---\n---\n",
        # what Jekyll ignores: a leading "_" or "#", a trailing "~" (right in _posts)
        "_posts/_under.md": "x", "_posts/#hash.md": "x", "_posts/#dir/2024-01-07-f.md": "x",
        "_posts/2024-01-09-backup.md~": "x",
        # and what it reads: such a folder deeper down, a post of another extension
        "_posts/tilde~/2024-01-08-g.md": "x", "_posts/sub/_part/2024-01-10-h.md": "x",
        "_posts/2024-01-11-i.html": "---\n---\n",
    })
    (jekyll / "_posts" / "2024-01-05-link.md").symlink_to(jekyll / "_posts" / "2024-01-01-a.md")
    if hasattr(os, "mkfifo"):
        os.mkfifo(jekyll / "_posts" / "2024-01-06-fifo.md")
    hugo = tmp_path / "hugo"
    for rel in ("content/posts/a.md", "content/posts/_index.md", "content/posts/b/index.md",
                "content/posts/b/extra.md", "content/_drafts/c.md"):
        (hugo / rel).parent.mkdir(parents=True, exist_ok=True)
        (hugo / rel).write_text("---\n---\n")
    (hugo / "hugo.toml").write_text("")
    for root in (jekyll, hugo):
        site = open_site(root)
        expected = sorted((f.path, f.mtime_ns, f.size, f.inode, f.skip_reason)
                          for f in iter_post_files(site))
        walked = walk_folders(site.folders, str(site.root), str)
        found = sorted(item[1:2] + item[3:] for item in walked.files())
        assert found == expected
        assert any(reason for *_, reason in found) or root == hugo
    assert [Path(f.path).relative_to(jekyll).as_posix() for f in iter_post_files(
        open_site(jekyll))] == [
        "_posts/2024-01-01-a.md", "_posts/2024-01-05-link.md",
        *(["_posts/2024-01-06-fifo.md"] if hasattr(os, "mkfifo") else []),
        "_posts/2024-01-11-i.html", "_posts/sub/2024-01-02-b.markdown",
        "_posts/sub/_part/2024-01-10-h.md", "_posts/tilde~/2024-01-08-g.md",
        "news/_posts/2024-01-04-e.md", "_drafts/d.md"]


def test_a_large_directory_is_stat_ed_through_its_descriptor_with_the_same_result(
        many_files: Path, monkeypatch) -> None:
    directories = _directories(many_files)
    opened: list[str] = []
    real_open = os.open

    def spying_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if flags & os.O_DIRECTORY:
            opened.append(str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", spying_open)
    through_descriptor = stat_files(directories)
    assert opened == [str(many_files / "_posts") + os.sep]  # the folder of 41 files only
    monkeypatch.setattr(stamps_module, "DIR_FD_MIN_FILES", 10**6)
    opened.clear()
    assert stat_files(directories) == through_descriptor and not opened
    monkeypatch.setattr(stamps_module, "DIR_FD_MIN_FILES", 1)
    monkeypatch.setattr(stamps_module, "_DIR_FD", False)  # a system without dir_fd (Windows)
    assert stat_files(directories) == through_descriptor and not opened


def test_a_file_gone_before_its_stat_is_left_out(many_files: Path) -> None:
    directories = _directories(many_files)
    (many_files / "_posts" / "2024-01-01-post-0.md").unlink()
    stamps = stat_files(directories)
    found = _records(directories, stamps)
    assert len(found) == 41 and len(stamps) == 42 * walk_module.WIDTH
    assert "_posts/2024-01-01-post-0.md" not in {rel for rel, *_ in found}
    assert _walk(many_files).count == 41


def test_inode_numbers_beyond_63_bits_are_kept_as_signed_64_bit(many_files: Path,
                                                                monkeypatch) -> None:
    directories = _directories(many_files)
    real_lstat = os.lstat
    huge = (1 << 64) - 5

    def wide_lstat(path, *, dir_fd=None):  # type: ignore[no-untyped-def]
        info = real_lstat(path, dir_fd=dir_fd)
        fields = list(info)
        fields[1] = huge  # st_ino
        return os.stat_result(fields, {"st_mtime_ns": info.st_mtime_ns})

    monkeypatch.setattr(os, "lstat", wide_lstat)
    stamps = stat_files(directories)
    assert len(stamps) == 42 * walk_module.WIDTH
    assert set(stamps[2 :: walk_module.WIDTH]) == {-5}
    assert stamps_module.as_int64(huge) == -5 and stamps_module.as_int64(7) == 7


# --- the signature -------------------------------------------------------------------------


def test_the_signature_is_the_same_in_every_process(many_files: Path) -> None:
    code = ("import sys; from postctl.site.model import open_site; from postctl.site.walk import "
            "walk_folders; s = open_site(sys.argv[1]); "
            "print(walk_folders(s.folders, str(s.root), str).signature)")
    outputs = set()
    for seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", code, str(many_files)],
                                   capture_output=True, text=True, check=True, env=env).stdout)
    assert outputs == {_walk(many_files).signature + "\n"}


def test_the_signature_tells_every_kind_of_change(many_files: Path) -> None:
    directories = _directories(many_files)
    stamps = stat_files(directories)
    count = len(_records(directories, stamps))
    base = walk_module.signature(directories, stamps, count)
    assert base.startswith(f"{count} ") and len(base.split()[1]) == 32
    width = walk_module.WIDTH
    for field in range(width):  # two files exchange one number of their stamps
        other = array("q", stamps)
        other[field], other[width + field] = stamps[width + field], stamps[field]
        if other != stamps:
            assert walk_module.signature(directories, other, count) != base, field
    renamed = [_with_names(d, [*d.names[:-1], d.names[-1] + "x"]) if d is directories[0] else d
               for d in directories]
    assert walk_module.signature(renamed, stamps, count) != base
    moved = [Directory(d.folder, d.path + "x/", d.names, d.relative, d.packed)
             for d in directories]
    assert walk_module.signature(moved, stamps, count) != base


def test_a_directory_listed_in_another_order_costs_one_comparison(many_files: Path,
                                                                  monkeypatch) -> None:
    with open_index(open_site(many_files)) as index:
        index.refresh()
    real = walk_module.list_directories

    def reversed_listing(folder, top, relative, listings=None):  # type: ignore[no-untyped-def]
        return [_with_names(d, d.names[::-1]) for d in real(folder, top, relative, listings)]

    monkeypatch.setattr(walk_module, "list_directories", reversed_listing)
    with open_index(open_site(many_files)) as index:
        before = index._stored_signature()
        stats = index.refresh()
        assert (stats.updated, stats.removed) == (0, 0)
        assert index._stored_signature() != before  # the new order's, saved
        read: list[bool] = []
        real_stamps = index._stamps
        monkeypatch.setattr(index, "_stamps", lambda: read.append(True) or real_stamps())
        assert index.refresh().updated == 0 and not read  # the fast path again


# --- the stat calls shared with forked children ----------------------------------------------


@needs_fork
@pytest.mark.parametrize("processes", ["2", "3", "4"])
def test_a_forked_walk_finds_what_one_process_finds(many_files: Path, monkeypatch,
                                                    processes: str) -> None:
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", processes)
    directories = _directories(many_files)
    alone = stat_files(directories)
    found = _records(directories, alone)
    assert len(found) == 42
    shared = forked_stat(directories, 42)
    assert shared == alone  # the same numbers, in the same order
    assert {folder for _, _, folder, *_ in found} == {open_site(many_files).folders[0]}
    assert sum(1 for *_, reason in found if reason) == 1  # the link


@needs_fork
def test_a_forked_walk_shares_one_file_folders_too(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    root = tmp_path / "hugo"
    for n in range(9):  # page bundles: one post a folder
        bundle = root / "content" / "posts" / f"post-{n}"
        bundle.mkdir(parents=True)
        (bundle / "index.md").write_text(POST.format(title=f"P{n}", tags="a"))
    (root / "hugo.toml").write_text("")
    directories = _directories(root)
    assert len(directories) == 9
    assert stat_files(directories, 0, 4) + stat_files(directories, 4, 9) == \
        stat_files(directories)
    assert forked_stat(directories, 9) == stat_files(directories)


@needs_fork
def test_the_walk_of_a_large_site_is_forked(many_files: Path, monkeypatch) -> None:
    calls: list[int] = []
    real = walk_module.forked_stat
    monkeypatch.setattr(walk_module, "forked_stat",
                        lambda directories, total: calls.append(total) or real(directories, total))
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    monkeypatch.setattr(walk_module, "FORKED_MIN_FILES", 42)
    alone = _walk(many_files, expected_files=41)
    assert calls == []
    forked = _walk(many_files, expected_files=42)
    assert calls == [42] and forked.signature == alone.signature
    assert forked.files() == alone.files()


@needs_fork
def test_a_failed_fork_or_child_leaves_the_walk_to_this_process(many_files: Path,
                                                                monkeypatch) -> None:
    directories = _directories(many_files)
    alone = stat_files(directories)

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", no_fork)
        assert forked_stat(directories, 42) is None
    real = walk_module.stat_files

    def failing_in_the_child(directories, start=0, stop=None):  # type: ignore[no-untyped-def]
        if start > 0:
            raise RuntimeError("the child fails")
        return real(directories, start, stop)

    monkeypatch.setattr(walk_module, "stat_files", failing_in_the_child)
    assert forked_stat(directories, 42) is None
    monkeypatch.setattr(walk_module, "stat_files", real)
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    monkeypatch.setattr(walk_module, "FORKED_MIN_FILES", 0)
    monkeypatch.setattr(walk_module, "forked_stat", lambda directories, total: None)
    with open_index(open_site(many_files)) as index:
        index.refresh()
        walked = index._walk(expected_files=42)
        assert walked.signature == index._stored_signature()
        assert walked.stamps == alone


def test_the_walk_forks_only_where_it_is_tested_and_allowed(monkeypatch) -> None:
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    monkeypatch.setattr(sys, "platform", "linux")
    assert workers.may_fork(10, 10) == (threading.active_count() == 1)
    assert not workers.may_fork(10, 9)  # too few files to pay for a fork
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "1")
    assert not workers.may_fork(10, 10)
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    for platform in ("darwin", "win32", "freebsd14"):
        monkeypatch.setattr(sys, "platform", platform)
        assert not workers.may_fork(10, 10)
    monkeypatch.setattr(sys, "platform", "linux")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not workers.may_fork(10, 10)  # never fork a threaded process
    finally:
        release.set()
        other.join()


# --- directory listings kept from the last walk ----------------------------------------------


def _kept(root: Path) -> dict[str, list[str]]:
    with open_index(open_site(root)) as index:
        return {path: listings_module.unpack(stored[5])
                for path, stored in index._listings().known.items()}


def _read_directories(monkeypatch) -> list[str]:
    """The directories the walk reads from now on (spied on)."""
    read: list[str] = []
    real = listings_module.read_directory

    def spying(path: str, names: PostNames, where: str, undated=None):  # type: ignore[no-untyped-def]
        read.append(path)
        return real(path, names, where, undated)

    monkeypatch.setattr(listings_module, "read_directory", spying)
    return read


def _refresh(root: Path):  # type: ignore[no-untyped-def]
    with open_index(open_site(root)) as index:
        return index.refresh()


def test_a_directory_that_did_not_change_is_not_read_again(many_files: Path,
                                                           monkeypatch) -> None:
    monkeypatch.setattr(listings_module, "RACY_SECONDS", 0)
    posts = str(many_files / "_posts")
    assert _refresh(many_files).updated == 42
    kept = _kept(many_files)
    assert set(kept) == {posts, posts + os.sep + "sub"} and len(kept[posts]) == 41
    read = _read_directories(monkeypatch)
    stats = _refresh(many_files)
    assert (stats.scanned, stats.updated, read) == (42, 0, [])
    # A post added: the folder's stamp moved, even with its mtime put back (ctime moves).
    info = os.stat(posts)
    (many_files / "_posts" / "2024-05-05-new.md").write_text(POST.format(title="N", tags="n"))
    os.utime(posts, ns=(info.st_atime_ns, info.st_mtime_ns))
    stats = _refresh(many_files)
    assert (stats.scanned, stats.updated, read) == (43, 1, [posts])
    assert len(_kept(many_files)[posts]) == 42
    read.clear()
    (many_files / "_posts" / "sub" / "2024-02-01-deeper.md").rename(
        many_files / "_posts" / "sub" / "2024-02-02-moved.md")
    stats = _refresh(many_files)
    assert (stats.updated, stats.removed, read) == (1, 1, [posts + os.sep + "sub"])
    shutil.rmtree(many_files / "_posts" / "sub")
    stats = _refresh(many_files)
    assert (stats.scanned, stats.removed) == (42, 1) and set(_kept(many_files)) == {posts}


def test_a_directory_changed_just_now_is_read_again_next_time(many_files: Path,
                                                              monkeypatch) -> None:
    """A listing is kept only once the directory's last change is RACY_SECONDS old: a coarse
    clock could give a second change within the same tick the same stamp."""
    _refresh(many_files)
    assert _kept(many_files) == {}  # the folders were made just now
    read = _read_directories(monkeypatch)
    assert _refresh(many_files).updated == 0 and len(read) == 2


def test_listings_keep_names_that_are_not_utf8(make_site, monkeypatch) -> None:
    monkeypatch.setattr(listings_module, "RACY_SECONDS", 0)
    root = make_site(posts={"_posts/2024-01-01-a.md": POST.format(title="A", tags="a")})
    name = os.fsdecode(b"2024-01-02-caf\xe9.md")
    (root / "_posts" / name).write_text(POST.format(title="B", tags="b"))
    first = _refresh(root)
    read = _read_directories(monkeypatch)
    second = _refresh(root)
    assert (first.scanned, second.scanned, second.updated, read) == (2, 2, 0, [])
    assert name in _kept(root)[str(root / "_posts")]


def test_a_file_name_that_is_not_utf8_is_skipped_with_its_reason(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": POST.format(title="A", tags="a")})
    (root / "_posts" / os.fsdecode(b"2024-01-02-caf\xe9.md")).write_text(
        POST.format(title="B", tags="b"))
    for command in (["list"], ["search", "body"], ["tags"], ["list", "--no-cache"]):
        result = cli("--root", str(root), *command)
        assert result.exit_code == 0, result.output
        assert ("_posts/2024-01-02-caf\\xe9.md: has a file name that is not valid UTF-8; "
                "skipped (rename the file)") in result.stderr
    with open_index(open_site(root)) as index:
        assert [str(error) for error in index.errors()] == [
            f"{root / '_posts'}/2024-01-02-caf\\xe9.md: {walk_module.NOT_UTF8}"]


def test_keeping_listings_never_waits_for_a_busy_index(many_files: Path, monkeypatch) -> None:
    import sqlite3
    import time

    from postctl.catalog.database import index_file

    _refresh(many_files)  # the rows are current; the listings are not kept yet
    monkeypatch.setattr(listings_module, "RACY_SECONDS", 0)
    other = sqlite3.connect(index_file(many_files), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process writing
        start = time.monotonic()
        assert _refresh(many_files).updated == 0
        assert time.monotonic() - start < 5
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert _kept(many_files) == {}
    _refresh(many_files)
    assert len(_kept(many_files)) == 2


# --- a site of many folders: the kept tree checked at once -------------------------------------


@pytest.fixture
def bundles(tmp_path: Path, monkeypatch) -> Path:
    """A Hugo site of 30 page bundles whose listings are kept from the start."""
    monkeypatch.setattr(listings_module, "RACY_SECONDS", 0)
    monkeypatch.setattr(walk_module, "KEPT_TREE_MIN_DIRECTORIES", 1)
    root = tmp_path / "hugo"
    for n in range(30):
        bundle = root / "content" / "posts" / f"post-{n:02d}"
        bundle.mkdir(parents=True)
        (bundle / "index.md").write_text(POST.format(title=f"P{n}", tags="a"))
    (root / "hugo.toml").write_text("")
    return root


def _listed_one_by_one(monkeypatch) -> list[str]:
    """The folders the walk checks one by one (not as a kept tree) from now on."""
    listed: list[str] = []
    real = walk_module.Listings.listing

    def spying(self, path: str, names: PostNames, where: str):  # type: ignore[no-untyped-def]
        listed.append(path)
        return real(self, path, names, where)

    monkeypatch.setattr(walk_module.Listings, "listing", spying)
    return listed


@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_kept_tree_is_checked_at_once_and_finds_what_the_folders_hold(
        bundles: Path, monkeypatch, processes: str) -> None:
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", processes)
    monkeypatch.setattr(walk_module, "FORKED_MIN_FILES", 0)  # fork whenever allowed
    assert _refresh(bundles).updated == 30
    assert len(_kept(bundles)) == 32  # content, content/posts and each bundle
    listed = _listed_one_by_one(monkeypatch)
    read = _read_directories(monkeypatch)
    stats = _refresh(bundles)
    assert (stats.scanned, stats.updated, listed, read) == (30, 0, [], [])
    posts = bundles / "content" / "posts"
    # an edit in place: the tree holds, the post's own stamp tells
    bump(posts / "post-03" / "index.md", POST.format(title="Edited", tags="b"))
    stats = _refresh(bundles)
    assert (stats.updated, listed, read) == (1, [], [])
    # a file added beside a post: that folder's stamp moved, so every folder is checked
    (posts / "post-04" / "photo.jpg").write_bytes(b"x")
    assert _refresh(bundles).updated == 0 and str(posts / "post-04") in read
    assert len(listed) == 32
    # a new bundle and a removed one
    listed.clear()
    (posts / "post-99").mkdir()
    (posts / "post-99" / "index.md").write_text(POST.format(title="New", tags="c"))
    shutil.rmtree(posts / "post-00")
    stats = _refresh(bundles)
    assert (stats.scanned, stats.updated, stats.removed) == (30, 1, 1) and listed
    with open_index(open_site(bundles)) as index:
        walked = index._walk()
        assert walked.signature == index._stored_signature()
        assert {rel for rel, *_ in walked.files()} == {
            f"content/posts/post-{n:02d}/index.md" for n in [*range(1, 30), 99]}


def test_the_kept_tree_is_the_walk_of_the_folders(bundles: Path) -> None:
    _refresh(bundles)
    site = open_site(bundles)
    with open_index(site) as index:
        listings = index._listings()
    cut = len(str(site.root)) + 1
    for folder in site.folders:
        top = str(folder.path)
        tree = listings.tree(folder, top, Relative(cut, None))
        listed = listings_module.list_directories(PostNames(folder, site.root),
                                                  Relative(cut, None))
        assert tree is not None and tree[0] == listed
        assert list(tree[2]) == list(stamps_module.stat_directories(tree[1]))


def test_the_walk_pauses_the_garbage_collector_and_restores_it() -> None:
    import gc

    assert gc.isenabled()
    with walk_module.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with walk_module.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
