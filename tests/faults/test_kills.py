"""Real kills: a process making a change to many files is killed with SIGKILL at many
moments of its run; after each kill every post is its old or its new bytes, and undo
restores the old tree exactly."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from postctl.edit.changes import complete, undo
from postctl.edit.journal import Journal

POSTS = 120
KILLS = 50

# The child plans one change over every post (a tag renamed in each, every tenth post moved
# to a new name) and applies it through the journal, as every multi-file command does.
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from postctl.edit.changes import Planned, apply_change
    from postctl.edit.journal import Journal

    root, journal = Path(sys.argv[1]), Path(sys.argv[2])

    def planned():
        for index, path in enumerate(sorted((root / "_posts").glob("*.md"))):
            old = path.read_bytes()
            new = old.replace(b"tags: [old, kept]", b"tags: [new, kept]")
            target = path.with_name("moved-" + path.name) if index % 10 == 0 else path
            yield Planned(path, old, target, new)

    print("started", flush=True)
    apply_change(Journal(journal, root), "test rename", planned())
""")


def make_site(root: Path) -> dict[str, bytes]:
    (root / "_posts").mkdir(parents=True)
    for n in range(POSTS):
        body = f"Post {n}\n".encode() * 200
        (root / "_posts" / f"2024-01-{n % 28 + 1:02d}-post-{n}.md").write_bytes(
            b"---\ntitle: Post\ntags: [old, kept]\n---\n" + body)
    return visible_tree(root)


def visible_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def run_child(root: Path, journal: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(root), str(journal)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def timed_run(tmp_path: Path) -> float:
    root = tmp_path / "timing"
    make_site(root)
    child = run_child(root, tmp_path / "timing-journal")
    assert child.stdout is not None
    child.stdout.readline()
    start = time.perf_counter()
    assert child.wait(timeout=120) == 0, child.stderr.read() if child.stderr else ""
    return time.perf_counter() - start


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_old_or_new_and_undo_restores(tmp_path: Path) -> None:
    duration = timed_run(tmp_path)
    outcomes = {"untouched": 0, "interrupted": 0, "done": 0}
    for kill in range(KILLS):
        root, journal_dir = tmp_path / f"site-{kill}", tmp_path / f"journal-{kill}"
        old = make_site(root)
        child = run_child(root, journal_dir)
        assert child.stdout is not None
        child.stdout.readline()  # imports done: the change starts now
        time.sleep(duration * kill / (KILLS - 1))
        child.kill()
        child.wait(timeout=30)
        now = visible_tree(root)
        for name, data in now.items():
            original = old[name.replace("_posts/moved-", "_posts/")]
            assert data in (original, original.replace(b"[old, kept]", b"[new, kept]")), name
        journal = Journal(journal_dir, root)
        change = journal.last_to_undo()
        if change is None:
            assert now == old
            outcomes["untouched"] += 1
            continue
        outcomes["interrupted" if change.state == "interrupted" else "done"] += 1
        assert not undo(change, root).refused
        assert visible_tree(root) == old
        if kill % 5 == 0:  # the same change completed from its record instead
            assert not complete(change, root).refused
            assert len(visible_tree(root)) == POSTS
        shutil.rmtree(root)
    assert outcomes["interrupted"] >= 5, outcomes


def test_the_next_command_says_that_a_change_was_interrupted(cli, make_site,
                                                             monkeypatch) -> None:
    from postctl.edit import files
    from postctl.edit.changes import Planned, apply_change
    from postctl.site.cache import journal_dir

    root = make_site(posts={"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nA\n",
                            "_posts/2024-01-02-b.md": "---\ntitle: B\n---\nB\n"})
    quiet = cli("--root", str(root), "list")
    assert quiet.exit_code == 0 and "interrupted" not in quiet.stderr
    posts = sorted((root / "_posts").iterdir())

    def killed(*args: object) -> None:  # the process stops as a file is swapped in
        raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(files.swap, "exchange", killed)
        apply_change(Journal(journal_dir(root), root), "postctl tags rename a b",
                     [Planned(p, p.read_bytes(), p, p.read_bytes() + b"x") for p in posts])
    result = cli("--root", str(root), "list")
    assert result.exit_code == 0
    found = [line for line in result.stderr.splitlines() if "interrupted" in line]
    assert len(found) == 1, result
    line = found[0]
    assert "`postctl tags rename a b`" in line and "`postctl undo`" in line
