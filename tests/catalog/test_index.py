from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest

from postctl.catalog import index as index_module
from postctl.catalog import rows as indexrows
from postctl.catalog.database import IndexUnavailable, index_file
from postctl.catalog.index import open_index
from postctl.catalog.listing_parse import scan_summaries
from postctl.catalog.query import ALL, Filters, Sort
from postctl.catalog.refresh import RefreshStats
from postctl.catalog.schema import SCHEMA_VERSION
from postctl.catalog.summary import Summary
from postctl.site import walk as walk_module
from postctl.site import workers
from postctl.site.cache import site_key
from postctl.site.model import open_site
from tests.conftest import RecordingReporter, snapshot

POST = "---\ntitle: {title}\ntags: [{tags}]\n---\nbody\n"


def fresh(root: Path) -> dict[str, Summary]:
    site = open_site(root)
    return {s.path: s for s in scan_summaries(site) if isinstance(s, Summary)}


def indexed(root: Path, **kwargs: object) -> dict[str, Summary]:
    site = open_site(root)
    with open_index(site, **kwargs) as index:  # type: ignore[arg-type]
        index.refresh()
        return {s.path: s for s in index.summaries(Filters(drafts=ALL), Sort("path", False))}


def ids(root: Path) -> dict[str, int]:
    with open_index(open_site(root)) as index:
        return {post.path: post.id for post in index.posts()}


def bump(path: Path, text: str) -> None:
    """Rewrite a file and move its mtime, so even a coarse clock sees the change."""
    info = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def site_root(make_site) -> Path:
    return make_site(posts={
        f"_posts/2024-01-0{i}-post-{i}.md": POST.format(title=f"Post {i}", tags="a, b")
        for i in range(1, 6)
    })


def test_index_matches_a_fresh_parse_of_the_example_site(example_site: Path) -> None:
    assert indexed(example_site) == fresh(example_site)
    assert len(fresh(example_site)) == 20


def test_the_index_lives_in_the_cache_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(tmp_path / "c"))
    assert index_file(tmp_path) == tmp_path / "c" / f"{site_key(tmp_path)}.sqlite"


def test_one_database_per_site_root_outside_the_site(make_site, site_root: Path) -> None:
    other = make_site(name="other")
    before = snapshot(site_root)
    indexed(site_root)
    indexed(other)
    assert index_file(site_root) != index_file(other)
    assert index_file(site_root).exists() and index_file(other).exists()
    assert not index_file(site_root).is_relative_to(site_root)
    assert snapshot(site_root) == before


def test_wal_mode_busy_timeout_and_large_pages(site_root: Path) -> None:
    with open_index(open_site(site_root)) as index:
        assert index.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert index.connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
        assert index.connection.execute("PRAGMA page_size").fetchone()[0] == 16384


def test_second_refresh_reads_nothing(site_root: Path) -> None:
    site = open_site(site_root)
    with open_index(site) as index:
        first = index.refresh()
        second = index.refresh()
    assert (first.scanned, first.updated, first.removed) == (5, 5, 0)
    assert (second.scanned, second.updated, second.removed) == (5, 0, 0)


def test_edit_add_delete_rename_are_noticed(site_root: Path) -> None:
    indexed(site_root)
    before_ids = ids(site_root)
    posts = site_root / "_posts"
    bump(posts / "2024-01-01-post-1.md", POST.format(title="Edited", tags="c"))
    (posts / "2024-02-01-new.md").write_text(POST.format(title="New", tags="a"))
    (posts / "2024-01-02-post-2.md").unlink()
    (posts / "2024-01-03-post-3.md").rename(posts / "2024-03-03-renamed.md")
    site = open_site(site_root)
    with open_index(site) as index:
        stats = index.refresh()
    assert (stats.updated, stats.removed) == (3, 2)
    after = indexed(site_root)
    assert after == fresh(site_root)
    assert after["_posts/2024-01-01-post-1.md"].title == "Edited"
    assert after["_posts/2024-01-01-post-1.md"].tags == ("c",)
    assert "_posts/2024-01-02-post-2.md" not in after
    assert "_posts/2024-03-03-renamed.md" in after
    # an edited file keeps its row id (full-text search relies on it)
    edited = "_posts/2024-01-01-post-1.md"
    assert ids(site_root)[edited] == before_ids[edited]


def test_same_size_edit_in_the_same_second_is_noticed_by_inode(site_root: Path) -> None:
    indexed(site_root)
    target = site_root / "_posts" / "2024-01-04-post-4.md"
    info = target.stat()
    replacement = target.with_suffix(".tmp")
    replacement.write_text(POST.format(title="Post X", tags="a, b"))
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, target)  # same size, same mtime, new inode
    assert indexed(site_root)["_posts/2024-01-04-post-4.md"].title == "Post X"


def test_touch_without_change_does_not_reparse(site_root: Path, monkeypatch) -> None:
    indexed(site_root)
    target = site_root / "_posts" / "2024-01-05-post-5.md"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    import postctl.catalog.listing_parse

    calls: list[Path] = []
    original = postctl.catalog.listing_parse.parse_for_listing

    def counting(raw, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(path)
        return original(raw, path, *args, **kwargs)

    monkeypatch.setattr(postctl.catalog.listing_parse, "parse_for_listing", counting)
    site = open_site(site_root)
    with open_index(site) as index:
        assert index.refresh().updated == 1
        assert index.refresh().updated == 0  # the new stamp was stored
    assert calls == []


def test_unparseable_post_is_kept_as_an_error_row(site_root: Path) -> None:
    bad = site_root / "_posts" / "2024-05-05-bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n")
    site = open_site(site_root)
    with open_index(site) as index:
        stats = index.refresh()
        errors = index.errors()
        rows = {post.path: post for post in index.posts()}
    assert stats.errors == 1
    assert [str(e.path) for e in errors] == [str(bad)]
    direct = [e for e in scan_summaries(site) if not isinstance(e, Summary)]
    assert [str(e) for e in errors] == [str(e) for e in direct]
    assert errors[0].code == direct[0].code == "E004"
    assert rows["_posts/2024-05-05-bad.md"].summary is None
    assert "2024-05-05-bad.md" not in "".join(indexed(site_root))
    bump(bad, "---\ntitle: fixed\n---\n")
    with open_index(site) as index:
        assert index.refresh().errors == 0
    assert indexed(site_root)["_posts/2024-05-05-bad.md"].title == "fixed"


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [("schema", "0", "format changed"), ("version", "0.0.1", "postctl 0.0.1"),
     ("config", "x", "settings changed"), ("root", "/elsewhere", "another site root")],
)
def test_meta_mismatch_rebuilds_with_a_notice(site_root: Path, key: str, value: str,
                                              reason: str) -> None:
    indexed(site_root)
    path = index_file(site_root)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
        db.execute("CREATE TABLE fts_extra (x)")
    reporter = RecordingReporter()
    assert indexed(site_root, reporter=reporter) == fresh(site_root)
    notices = reporter.notices
    assert len(notices) == 1 and reason in notices[0]
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "fts_extra" not in tables  # a rebuild drops every table, search's included
    notices.clear()
    indexed(site_root, reporter=reporter)
    assert notices == []


def test_site_setting_change_rebuilds(site_root: Path) -> None:
    indexed(site_root)
    (site_root / "_config.yml").write_text("timezone: Asia/Tokyo\npermalink: /:title/\n")
    reporter = RecordingReporter()
    after = indexed(site_root, reporter=reporter)
    assert after["_posts/2024-01-01-post-1.md"].url == "/post-1/"
    assert after == fresh(site_root)
    assert reporter.notices and "settings changed" in reporter.notices[0]


def test_corrupt_database_is_rebuilt(site_root: Path) -> None:
    indexed(site_root)
    path = index_file(site_root)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    reporter = RecordingReporter()
    assert indexed(site_root, reporter=reporter) == fresh(site_root)
    assert len(reporter.notices) == 1 and "damaged" in reporter.notices[0]


def test_forced_rebuild(site_root: Path) -> None:
    indexed(site_root)
    site = open_site(site_root)
    with open_index(site, rebuild=True) as index:
        # filled in the rebuild's own transaction: never visible empty to other processes
        assert index.count() == 5
        assert index.refresh().updated == 5  # the rebuild read every file again
        assert index.refresh().updated == 0


def test_forced_rebuild_reports_the_progress_of_its_fill(site_root: Path) -> None:
    indexed(site_root)
    reported: list[tuple[int, int]] = []
    with open_index(open_site(site_root), rebuild=True,
                    progress=lambda done, total: reported.append((done, total))) as index:
        assert index.count() == 5
    assert reported and reported[-1] == (5, 5)


def test_unwritable_cache_dir_is_reported(site_root: Path, monkeypatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(blocker / "sub"))
    with pytest.raises(IndexUnavailable, match="cannot create the cache folder"):
        open_index(open_site(site_root))


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root can write anywhere")
def test_read_only_cache_dir_is_reported(site_root: Path, monkeypatch, tmp_path: Path) -> None:
    cache = tmp_path / "ro"
    cache.mkdir()
    cache.chmod(0o500)
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(cache))
    try:
        with pytest.raises(IndexUnavailable):
            open_index(open_site(site_root))
    finally:
        cache.chmod(0o700)


def test_database_that_cannot_be_opened_is_reported(site_root: Path, monkeypatch) -> None:
    def refuse(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(index_module, "connect", refuse)
    with pytest.raises(IndexUnavailable, match="readonly"):
        open_index(open_site(site_root))


def test_status(site_root: Path) -> None:
    site = open_site(site_root)
    with open_index(site) as index:
        index.refresh()
        status = index.status()
    assert status["posts"] == 5 and status["errors"] == 0
    assert status["location"] == str(index_file(site_root))
    assert status["size"] > 0
    assert status["schema"] == SCHEMA_VERSION


def test_posts_rows_carry_stamps(site_root: Path) -> None:
    site = open_site(site_root)
    with open_index(site) as index:
        index.refresh()
        rows = list(index.posts())
    target = site_root / "_posts" / "2024-01-01-post-1.md"
    info = target.stat()
    first = rows[0]
    assert first.path == "_posts/2024-01-01-post-1.md" and first.file == target
    assert (first.mtime_ns, first.size, first.inode) == (info.st_mtime_ns, info.st_size,
                                                         info.st_ino)
    assert first.summary is not None and first.summary.title == "Post 1"
    assert first.front_matter_json == '{"title": "Post 1", "tags": ["a", "b"]}'
    assert first.hash and len(first.hash) == 32


def _every_post_file() -> list[Path]:
    from tests.conftest import CORPORA, DATA, EXAMPLE_SITE

    found: list[Path] = []
    for folder in (DATA, EXAMPLE_SITE, CORPORA):
        if folder.is_dir():
            found.extend(p for p in sorted(folder.rglob("*"))
                         if p.suffix in (".md", ".markdown") and p.is_file()
                         and not p.is_symlink())
    return found


def test_listing_parse_equals_the_full_parse_on_every_fixture(make_site) -> None:
    from postctl.catalog.listing_parse import parse_for_listing
    from postctl.errors import SourceError
    from postctl.post.model import PostContext, parse_post

    files = _every_post_file()
    assert len(files) > 20
    context = PostContext(root=Path("/"), tz=dt.timezone.utc)
    extra = {
        "anchor": b"---\na: &x 1\nb: *x\n---\n", "list": b"---\n- a\n---\n",
        "keys": b"---\n1: a\n2020-01-01: b\n---\n", "tag": b"---\na: !!python/name:os\n---\n",
        "deep": b"---\na: " + b"[" * 40 + b"]" * 40 + b"\n---\n", "empty": b"---\n---\n",
        "toml": b"+++\na = 1\n+++\n", "bad": b"---\na: [\n---\n", "none": b"plain\n",
        # quoted text with & and * is no anchor; the rest is (or is invalid YAML)
        "quoted": b"---\ntitle: \"Forest & travel\"\nb: 'O*NET & it''s'\n---\n",
        "after-quote": b"---\na: \"x\"\nb: &y 2\nc: *y\n---\n",
        "across-lines": b"---\na: \"x\nb: \"&anc y\"\nc: *anc\n---\n",
        "across-lines-2": b"---\na: \"x\nb: \"&anc y\"\n---\n",
        "in-flow": b"---\na: [\"&x\", &y b, *y]\n---\n",
        "tagged": b"---\na: !!str &x 1\nb: *x\n---\n",
        "key-anchor": b"---\n&k a: 1\n---\n", "merge": b"---\nb: {x: 1}\n<<: {y: 2}\n---\n",
        "equals": b"---\n=: a\nb: =\n---\n",
        "plain-keys": b"---\non: a\n1: b\n---\n",
        "nested-plain-keys": b"---\nn: {on: 1, 2: b, null: c}\nl: [{yes: 1}]\n---\n",
        "unhashable": b"---\n? [a]\n: b\n---\n",
        "types": b"---\na: 1\nb: 1.5\nc: null\nd: [2024-01-02, yes, ~, .nan]\n"
                 b"e: {f: {g: [h]}}\nf: !!str 12\ng: 2024-13-45\n---\n",
        "deep-block": b"---\n" + b"".join(b"  " * i + b"k:\n" for i in range(20)) + b"---\n",
        "deep-mixed": b"---\n" + b"".join(b" " * i + b"- k:\n" for i in range(0, 40, 2))
                      + b"---\n",
        "two-docs": b"---\na: 1\n--- &x\nb: 2\n---\n",
    }
    samples = [(p, p.read_bytes()) for p in files if p.stat().st_size < 1_000_000]
    samples += [(Path(f"/x/2024-01-01-{k}.md"), v) for k, v in extra.items()]
    for path, raw in samples:
        outcomes = []
        for parse in (parse_post, parse_for_listing):
            try:
                post = parse(raw, path, context, 256 * 1024)
            except SourceError as exc:
                outcomes.append(("error", str(exc), exc.code))
            else:
                outcomes.append(("post", post.values, post.title, post.date, post.tags,
                                 post.categories, post.authors, post.draft, post.slug))
        assert outcomes[0] == outcomes[1], path


def _rows_equal_a_fresh_walk(index: index_module.SiteIndex) -> bool:
    """The rows' stamps are those of a walk now, and the stored signature is that walk's."""
    walk = index._walk()
    stamps = {rel: (mtime, size, inode) for rel, _, _, mtime, size, inode, _ in walk.files()}
    return index._stamps() == stamps and index._stored_signature() == walk.signature


def test_the_stored_signature_follows_the_rows(site_root: Path) -> None:
    site = open_site(site_root)
    with open_index(site) as index:
        index.refresh()
        assert _rows_equal_a_fresh_walk(index)
        (site_root / "_posts" / "2024-01-02-post-2.md").unlink()
        bump(site_root / "_posts" / "2024-01-01-post-1.md", POST.format(title="X", tags="z"))
        (site_root / "_posts" / "2024-01-03-post-3.md").rename(
            site_root / "_posts" / "2024-01-09-moved.md")
        touched = site_root / "_posts" / "2024-01-04-post-4.md"
        os.utime(touched, ns=(0, touched.stat().st_mtime_ns + 10))  # same bytes, new stamp
        before = index.connection.execute("SELECT checksum, data FROM stamps").fetchone()
        assert index.refresh().updated == 3
        assert _rows_equal_a_fresh_walk(index)
        assert len(index._stamps()) == 4 and index.refresh().updated == 0
        # the change token older readers take from the stamps table follows meta.files
        after = index.connection.execute("SELECT checksum, data FROM stamps").fetchone()
        assert after != before and after[1] == index._stored_signature().encode()


# --- the no-change fast path: count and fingerprint of the stamps in meta.files ----------


def _refresh_without_stored_stamps(root: Path, monkeypatch) -> RefreshStats:
    """A refresh that fails if it reads the stored stamps (the slow path)."""

    def refuse(self: object) -> dict[str, tuple[int, int, int]]:
        raise AssertionError("the stored stamps were read")

    with monkeypatch.context() as patch:
        patch.setattr(index_module.SiteIndex, "_stamps", refuse)
        with open_index(open_site(root)) as index:
            return index.refresh()


def _refresh(root: Path) -> RefreshStats:
    with open_index(open_site(root)) as index:
        return index.refresh()


def test_no_change_refresh_does_not_read_the_stored_stamps(site_root: Path,
                                                           monkeypatch) -> None:
    assert _refresh(site_root).updated == 5
    stats = _refresh_without_stored_stamps(site_root, monkeypatch)
    assert (stats.scanned, stats.updated, stats.removed) == (5, 0, 0)
    assert indexed(site_root) == fresh(site_root)


def test_an_edit_its_stamp_does_not_show_is_seen_while_the_file_is_recent(
        site_root: Path, monkeypatch) -> None:
    """A file written again within one tick of the file system's clock, in place and to the
    same size, keeps its stamp: a file changed less than RACY_SECONDS before the walk that
    read it has its bytes compared again, without the stored stamps being read."""
    assert _refresh(site_root).updated == 5
    path = site_root / "_posts" / "2024-01-01-post-1.md"
    info = path.stat()
    path.write_text(POST.format(title="Post X", tags="a, b"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert _refresh_without_stored_stamps(site_root, monkeypatch).updated == 1
    assert indexed(site_root) == fresh(site_root)
    assert _refresh_without_stored_stamps(site_root, monkeypatch).updated == 0


def test_files_older_than_the_racy_window_are_not_read_again(site_root: Path,
                                                             monkeypatch) -> None:
    import time

    from postctl.catalog import racy

    old = time.time_ns() - (racy.RACY_SECONDS + 1) * 10**9
    for path in (site_root / "_posts").iterdir():
        os.utime(path, ns=(old, old))
    assert _refresh(site_root).updated == 5
    read: list[Path] = []
    monkeypatch.setattr(racy, "read_post_bytes", lambda path, limit: read.append(path))
    assert _refresh_without_stored_stamps(site_root, monkeypatch).updated == 0
    assert read == []
    with open_index(open_site(site_root)) as index:
        assert index._racy() == frozenset()


@pytest.fixture(params=["one process", "forked"])
def walk_mode(request, monkeypatch) -> str:
    """The no-change walk in this process, or shared with a forked child (where possible)."""
    if request.param == "forked":
        if not _can_force_fork():
            pytest.skip("the walk is never forked here")
        monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
        monkeypatch.setattr(walk_module, "FORKED_MIN_FILES", 0)
    else:
        monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "1")
    return str(request.param)


def _can_force_fork() -> bool:
    import sys
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


@pytest.mark.parametrize("change", ["new inode", "touch", "rename", "add and delete", "swap"])
def test_every_change_is_noticed_although_the_fast_path_is_on(site_root: Path, change: str,
                                                               monkeypatch,
                                                               walk_mode: str) -> None:
    forks: list[bool] = []
    real = walk_module.forked_stat

    def counted(directories, total):  # type: ignore[no-untyped-def]
        stamps = real(directories, total)
        forks.append(stamps is not None)
        return stamps

    monkeypatch.setattr(walk_module, "forked_stat", counted)
    _refresh(site_root)
    _refresh_without_stored_stamps(site_root, monkeypatch)  # the fast path is in use
    posts = site_root / "_posts"
    one, two = posts / "2024-01-01-post-1.md", posts / "2024-01-02-post-2.md"
    expected = (1, 0)
    if change == "new inode":  # same size, same mtime: only the inode tells
        info = one.stat()
        replacement = posts / "replacement.tmp"
        replacement.write_text(POST.format(title="Post X", tags="a, b"))
        os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(replacement, one)
        assert (one.stat().st_size, one.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    elif change == "touch":
        info = one.stat()
        os.utime(one, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    elif change == "rename":  # same stamp, another path
        one.rename(posts / "2024-01-09-renamed.md")
        expected = (1, 1)
    elif change == "add and delete":  # the same number of files
        two.unlink()
        (posts / "2024-02-02-added.md").write_text(POST.format(title="Added", tags="x"))
        expected = (1, 1)
    else:  # two files exchange names: the same set of stamps under other paths
        one.rename(posts / "swap.tmp")
        two.rename(one)
        (posts / "swap.tmp").rename(two)
        expected = (2, 0)
    stats = _refresh(site_root)
    assert (stats.updated, stats.removed) == expected
    assert indexed(site_root) == fresh(site_root)
    assert _refresh_without_stored_stamps(site_root, monkeypatch).updated == 0
    assert forks and all(forks) if walk_mode == "forked" else not forks


def test_a_missing_or_wrong_signature_is_repaired(site_root: Path, monkeypatch) -> None:
    _refresh(site_root)
    for value in (None, "5 0000000000000000"):
        with sqlite3.connect(index_file(site_root)) as db:
            db.execute("DELETE FROM meta WHERE key = 'files'")
            if value is not None:
                db.execute("INSERT INTO meta (key, value) VALUES ('files', ?)", (value,))
        assert _refresh(site_root).updated == 0  # compared in full: nothing to re-read
        assert _refresh_without_stored_stamps(site_root, monkeypatch).updated == 0


def test_stored_signature_equals_the_walk(site_root: Path) -> None:
    site = open_site(site_root)
    with open_index(site) as index:
        index.refresh()
        stored = index._stored_signature()
        walked = index._walk()
    assert stored == walked.signature and stored.startswith("5 ")
    assert walked.signature == walk_module.signature(walked.directories, walked.stamps, 5)


def test_nested_post_folders_count_each_file_once(make_site) -> None:
    root = make_site(
        posts={"posts/2024-01-01-a.md": POST.format(title="A", tags="a"),
               "posts/sub/2024-01-02-b.md": POST.format(title="B", tags="b")},
        config='posts = ["posts", "posts/sub"]\n')
    first, second = _refresh(root), _refresh(root)
    assert (first.scanned, first.updated) == (2, 2)
    assert (second.scanned, second.updated, second.removed) == (2, 0, 0)


def test_stored_stamps_are_read_from_an_index_alone(site_root: Path) -> None:
    with open_index(open_site(site_root)) as index:
        index.refresh()
        plan = " ".join(str(part) for row in index.connection.execute(
            "EXPLAIN QUERY PLAN SELECT path, mtime_ns, size, inode FROM posts") for part in row)
    assert "COVERING INDEX posts_stamps" in plan


def test_errors_are_found_through_a_partial_index(site_root: Path) -> None:
    with open_index(open_site(site_root)) as index:
        index.refresh()
        plans = [" ".join(str(part) for part in row) for sql in (
            "SELECT COUNT(*) FROM posts WHERE error IS NOT NULL",
            "SELECT path, error FROM posts WHERE error IS NOT NULL ORDER BY path")
            for row in index.connection.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert plans and all("posts_errors" in plan for plan in plans)


@pytest.mark.parametrize("tags", [(), ("a",)])
def test_newest_first_items_are_read_in_index_order_without_a_sort(site_root: Path,
                                                                   tags: tuple[str, ...]) -> None:
    from postctl.catalog.indexview import item_query
    from postctl.catalog.querysql import order_by
    from postctl.catalog.summary import join_item

    with open_index(open_site(site_root)) as index:
        index.refresh()
        sql, params = item_query(Filters(tags=tags), order_by(Sort("date", True)) or "", None)
        plan = " ".join(str(part) for row in index.connection.execute(
            f"EXPLAIN QUERY PLAN {sql}", params) for part in row)
        paths = [json.loads(join_item(head, bool(future), fm))["path"]
                 for head, future, fm in index.connection.execute(sql, params)]
    assert "USING INDEX posts_newest" in plan and "TEMP B-TREE" not in plan
    assert paths == [f"_posts/2024-01-0{i}-post-{i}.md" for i in range(5, 0, -1)]


# --- rows built without a Summary equal the Summary's ----------------------------------------


def test_index_rows_equal_the_summary_of_a_fresh_parse(example_site: Path) -> None:
    from postctl.catalog.summary import item_head
    from postctl.text.jsonvalues import json_dumps

    site = open_site(example_site)
    expected = fresh(example_site)
    with open_index(site) as index:
        index.refresh()
        rows = index.connection.execute(
            "SELECT path, item, tags, categories, authors, tags_key FROM posts").fetchall()
    assert len(rows) == len(expected) == 20
    now = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc).timestamp()
    for path, item, tags, categories, authors, tags_key in rows:
        summary = expected[path]
        assert item == item_head(summary)
        assert summary.item_json(now) == json_dumps(summary.item(now)).encode()
        assert (tags, categories, authors) == tuple(
            json_dumps(list(names)) for names in (summary.tags, summary.categories,
                                                  summary.authors))
        assert tags_key == json_dumps([tag.casefold() for tag in summary.tags])


@pytest.mark.skipif(not _can_force_fork(), reason="posts are parsed in parallel on Linux only")
def test_parallel_parsing_gives_the_rows_of_one_process(many_files: Path, monkeypatch) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(indexrows, "_CHUNK", 7)  # several chunks, the last one short
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    assert workers.worker_count(42) == 2
    parallel = indexed(many_files)
    errors = _errors(many_files)
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "1")
    assert indexed(many_files, rebuild=True) == parallel == fresh(many_files)
    assert _errors(many_files) == errors and len(errors) == 1  # the link


def _errors(root: Path) -> list[str]:
    with open_index(open_site(root)) as index:
        return [str(error) for error in index.errors()]
