"""A write never loses another program's edit, never writes what it may not, and leaves no
temporary file behind: lint --fix against a racing writer, the last instant before the swap,
read-only files, another user's files, and the journal every fix is recorded in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from postctl.edit import files, tempfiles
from postctl.edit.changes import undo
from postctl.edit.journal import Journal
from postctl.lint import LintOptions, run_lint
from postctl.site.cache import journal_dir
from postctl.site.model import open_site
from tests.conftest import SiteFactory

FIXABLE = "---\ntitle: Post {n}\ntags: python cli\n---\nBody {n}\n"
FIXED_TAGS = "tags: [python, cli]"

# A writer that appends numbered lines to the file it is given, as fast as it can (open,
# append, close), until it is given the next name; it then says how many it wrote.
APPENDER = textwrap.dedent("""
    import os, select, sys
    for name in iter(sys.stdin.readline, ""):
        name, count = name.strip(), 0
        while not select.select([sys.stdin], [], [], 0)[0]:
            with open(name, "a") as post:
                post.write(f"line {count}\\n")
            count += 1
        sys.stdin.readline()
        print(count, flush=True)
""")


def fix(root: Path, *paths: str) -> tuple[int, tuple[tuple[str, str], ...]]:
    report = run_lint(open_site(root), LintOptions(paths=paths, fix=True, cwd=root))
    return report.exit_code(), report.refused


def temp_files(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(tempfiles.TEMP_PREFIX))


@pytest.mark.slow
def test_no_appended_line_is_lost_while_lint_fix_runs_200_times(make_site: SiteFactory) -> None:
    runs = 200
    root = make_site(posts={f"_posts/2024-01-{n % 28 + 1:02d}-post-{n}.md": FIXABLE.format(n=n)
                            for n in range(runs)})
    appender = subprocess.Popen([sys.executable, "-c", APPENDER], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
    assert appender.stdin is not None and appender.stdout is not None
    refused = 0
    try:
        for n in range(runs):
            post = root / f"_posts/2024-01-{n % 28 + 1:02d}-post-{n}.md"
            appender.stdin.write(f"{post}\n")
            appender.stdin.flush()
            code, _ = fix(root, str(post))
            refused += code == 3
            appender.stdin.write("stop\n")
            appender.stdin.flush()
            count = int(appender.stdout.readline())
            text = post.read_text()
            lines = [line for line in text.splitlines() if line.startswith("line ")]
            assert lines == [f"line {i}" for i in range(count)], post.name
            assert text.startswith(f"---\ntitle: Post {n}\n")
    finally:
        appender.stdin.close()
        appender.wait(timeout=10)
    assert temp_files(root / "_posts") == []
    assert refused > 0  # the race was real: fixes met the writer and were refused


def test_a_write_in_the_last_instant_before_the_swap_is_not_lost(
        make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": FIXABLE.format(n=1)})
    post = root / "_posts/2024-01-01-a.md"
    real_exchange = files.swap.exchange
    calls: list[Path] = []

    def exchange_after_a_save(first: Path, second: Path) -> bool:
        if not calls:  # an editor saves just after postctl's last check
            with open(post, "a") as handle:
                handle.write("saved by the editor\n")
        calls.append(first)
        return real_exchange(first, second)

    monkeypatch.setattr(files.swap, "exchange", exchange_after_a_save)
    code, refused = fix(root, str(post))
    assert code == 3
    assert refused == (("_posts/2024-01-01-a.md",
                        "changed on disk while postctl was working; not written (run again)"),)
    text = post.read_text()
    assert text.endswith("Body 1\nsaved by the editor\n")
    assert "tags: python cli" in text  # the fix was not applied there
    assert temp_files(post.parent) == []


def test_a_read_only_post_is_refused_and_left_as_it_is(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": FIXABLE.format(n=1)})
    post = root / "_posts/2024-01-01-a.md"
    post.chmod(0o444)
    before = (post.read_bytes(), os.stat(post).st_ino, os.stat(post).st_uid)
    code, refused = fix(root, str(post))
    assert code == 3
    assert refused == (("_posts/2024-01-01-a.md", "is read-only (mode 444); postctl does "
                        "not write it (make it writable first)"),)
    assert (post.read_bytes(), os.stat(post).st_ino, os.stat(post).st_uid) == before
    assert temp_files(post.parent) == []


# The second user runs this machine's own Python 3 with postctl and its packages on the path:
# the test's interpreter may live in a folder only root can enter.
SYSTEM_PYTHON = "/usr/bin/python3"
AS_SECOND_USER = textwrap.dedent("""
    import sys
    sys.path[:0] = sys.argv[1:3]
    sys.argv = ["postctl", *sys.argv[3:]]
    from postctl.cli import entry
    entry()
""")


def _second_user() -> tuple[int, int] | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not os.access(SYSTEM_PYTHON, os.X_OK):
        return None
    import pwd

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return nobody.pw_uid, nobody.pw_gid


def _as_second_user(uid: int, gid: int, *args: str, **options: object) -> \
        subprocess.CompletedProcess[str]:
    import sysconfig

    package_root = str(Path(__file__).resolve().parents[2])
    packages = sysconfig.get_paths()["purelib"]
    return subprocess.run([SYSTEM_PYTHON, "-c", AS_SECOND_USER, package_root, packages, *args],
                          user=uid, group=gid, extra_groups=[], capture_output=True, text=True,
                          timeout=60, **options)  # type: ignore[call-overload]


@pytest.mark.skipif(_second_user() is None,
                    reason="needs root and /usr/bin/python3, to run postctl as a second user")
def test_another_users_post_in_a_shared_folder_is_refused() -> None:
    import tempfile

    uid, gid = _second_user()  # type: ignore[misc]
    probe = _as_second_user(uid, gid, "--version")
    if probe.returncode != 0:
        pytest.skip(f"the second user cannot run postctl from here: {probe.stderr[-200:]}")
    from tests.conftest import SYSTEM_TEMP

    # pytest's temporary folder is root's only: the second user needs one it can enter
    tmp_path = Path(tempfile.mkdtemp(prefix="postctl-shared-", dir=SYSTEM_TEMP))
    try:
        _refused_as_second_user(tmp_path, uid, gid)
    finally:
        shutil.rmtree(tmp_path)


def _refused_as_second_user(tmp_path: Path, uid: int, gid: int) -> None:
    shared = tmp_path / "shared"
    (shared / "_posts").mkdir(parents=True)
    (shared / "_config.yml").write_text("title: Shared\ntimezone: UTC\n")
    post = shared / "_posts/2024-01-01-a.md"
    post.write_text(FIXABLE.format(n=1))
    post.chmod(0o666)  # anyone may write it; it belongs to root
    for folder in (tmp_path, shared, shared / "_posts"):
        folder.chmod(0o777)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o777)
    cache.chmod(0o777)
    before = (post.read_bytes(), os.stat(post).st_ino, os.stat(post).st_uid)
    done = _as_second_user(
        uid, gid, "--root", str(shared), "lint", "--fix", str(post),
        env={**os.environ, "POSTCTL_CACHE_DIR": str(cache), "HOME": str(tmp_path),
             "TMPDIR": str(tmp_path)},
        cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "belongs to root:root; postctl could not keep its owner" in done.stderr
    assert (post.read_bytes(), os.stat(post).st_ino, os.stat(post).st_uid) == before
    assert temp_files(post.parent) == []


def test_leftovers_of_a_dead_writer_go_with_the_next_write_in_their_folder(
        make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": FIXABLE.format(n=1)})
    folder = root / "_posts"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    leftover = folder / f".postctl-{dead}-0123456789ab.tmp"
    leftover.write_text("half a post")
    running = folder / f".postctl-{os.getppid()}-0123456789ab.tmp"  # a live process's
    running.write_text("being written")
    assert tempfiles.leftovers(folder) == [leftover]
    tempfiles._swept.discard(os.fspath(folder))
    assert fix(root, str(folder / "2024-01-01-a.md"))[0] == 0
    assert temp_files(folder) == [running.name]


def test_every_fix_is_recorded_and_undone_byte_exactly(make_site: SiteFactory) -> None:
    posts = {"_posts/2024-01-01-a.md": "---\ntitle: A\r\ntags: python cli\r\n---\r\nA\r\n",
             "_posts/2024-01-02-b.md": "---\ntitle: B\ndate: 2024-01-05\n---\nB\n",
             "_posts/2024-01-03-c.md": "---\ntitle: C\n---\n{% post_url 2024-01-02-b %}\n"}
    root = make_site(posts=posts)
    before = {p.name: p.read_bytes() for p in (root / "_posts").iterdir()}
    report = run_lint(open_site(root), LintOptions(fix=True, unsafe_fixes=True, cwd=root))
    assert report.exit_code() == 0 and not report.refused
    after = {p.name: p.read_bytes() for p in (root / "_posts").iterdir()}
    assert "2024-01-05-b.md" in after and "2024-01-02-b.md" not in after
    assert b"{% post_url 2024-01-05-b %}" in after["2024-01-03-c.md"]
    assert b"tags: [python, cli]\r\n" in after["2024-01-01-a.md"]
    journal = Journal(journal_dir(root), root)
    change = journal.last_to_undo()
    assert change is not None and change.command == "postctl lint --fix --unsafe-fixes"
    assert not undo(change, root).refused
    assert {p.name: p.read_bytes() for p in (root / "_posts").iterdir()} == before


def test_unsafe_fixes_imply_fix_and_one_run_reaches_a_fixed_point(cli, make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntitle: A\ntags: \"Python, CLI\"\n---\nA\n",
        "_posts/2024-01-02-b.md": "---\ntitle: B\ntags: [python]\n---\nB\n",
        "_posts/2024-01-03-c.md": "---\ntitle: C\ntags: [python]\n---\nC\n",
        "_posts/2024-01-04-d.md": "---\ntitle: D\ndate: 2024-01-09\n---\n"
                                  "{% post_url 2024-01-05-e %}\n",
        "_posts/2024-01-05-e.md": "---\ntitle: E\ndate: 2024-01-07\ntags: [Python]\n---\nE\n"})
    first = cli("--root", str(root), "lint", "--unsafe-fixes")
    assert first.exit_code == 0, first
    assert "2024-01-05-e.md -> " in first.stderr and "2024-01-07-e.md" in first.stderr
    again = cli("--root", str(root), "lint", "--unsafe-fixes", "--check")
    assert again.exit_code == 0, again  # nothing left that a fix would change
    assert sorted(p.name for p in (root / "_posts").iterdir()) == [
        "2024-01-01-a.md", "2024-01-02-b.md", "2024-01-03-c.md", "2024-01-07-e.md",
        "2024-01-09-d.md"]


def test_a_copy_of_the_example_site_fixed_and_undone_is_unchanged(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE_SITE

    root = tmp_path / "blog"
    shutil.copytree(EXAMPLE_SITE, root)
    before = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    run_lint(open_site(root), LintOptions(fix=True, unsafe_fixes=True, cwd=root))
    change = Journal(journal_dir(root), root).last_to_undo()
    if change is not None:
        assert not undo(change, root).refused
    assert {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_lint_names_leftovers_of_a_dead_writer(cli, make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nA\n"})
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (root / "_posts" / f".postctl-{dead}-0123456789ab.tmp").write_text("half a post")
    result = cli("--root", str(root), "lint", "--format", "json")
    assert result.exit_code == 0, result
    import json

    [found] = [d for d in json.loads(result.stdout) if d["rule"] == "X004"]
    assert found["path"] == f"_posts/.postctl-{dead}-0123456789ab.tmp"
    assert found["severity"] == "warning"
    only_posts = cli("--root", str(root), "lint", "--format", "json", "--ignore", "X004")
    assert "X004" not in only_posts.stdout
