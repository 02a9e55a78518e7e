"""The site index answers as a fresh read of the files does, whatever happened to them.

Random sequences of creates, edits (in place, to the same size too, even within one tick of
the file system's clock: the file's stamp unchanged), renames and deletes made to the files
directly, and posts made by ``postctl new``, on a small site whose names include one that is
not valid UTF-8 and one made of the characters that name is shown as; between them,
``list``, ``tags`` and ``search`` (scores included) give exactly the same output, errors and
exit code with the site index as with ``--no-cache``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import CliRunnerFn

NAMES = [
    "2024-01-01-alpha.md", "2024-01-02-beta.md", "2024-02-03-gamma.md", "2024-03-04-delta.md",
    "sub/2024-04-05-deep.md",
    os.fsdecode(b"2024-05-06-caf\xe9.md"),  # not UTF-8: shown as 2024-05-06-caf\xe9.md
    "2024-05-06-caf\\xe9.md",  # the characters it is shown as
]
WORDS = ["apple", "banana", "cherry", "damson", "elder", "fig"]
TAGS = ["Fruit", "fruit", "tree", "Tree", "garden"]
QUERIES = ["apple", "banana OR cherry", '"apple banana"', "fi*", "tag:fruit", "title:damson"]

word_lists = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12)
# Posts of one size: an edit from one to another in place, within one tick of the file
# system's clock, leaves the file's stamp as it was.
SAME_SIZE = [
    "---\ntitle: apple\n---\nbanana cherry\n",
    "---\ntitle: elder\n---\nbanana cherry\n",
    "---\ntitle: apple\n---\nbanana damson\n",
    "---\ntitle: [brok\n---\nbanana cherry\n",  # cannot be parsed
]
contents = st.one_of(
    st.builds(lambda title, tags, body, draft: (
        f"---\ntitle: {' '.join(title) or 'Untitled'}\ntags: [{', '.join(tags)}]\n"
        + ("published: false\n" if draft else "") + f"---\n{' '.join(body)}\n"),
        st.lists(st.sampled_from(WORDS), max_size=3), st.lists(st.sampled_from(TAGS), max_size=3),
        word_lists, st.booleans()),
    st.sampled_from(SAME_SIZE),
)
names = st.integers(0, len(NAMES) - 1)
steps = st.lists(st.one_of(
    st.tuples(st.just("write"), names, contents),
    st.tuples(st.just("rewrite"), st.integers(0, 30), st.integers(1, len(SAME_SIZE) - 1)),
    st.tuples(st.just("rename"), st.integers(0, 30), names),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("new"), st.sampled_from(WORDS)),
    st.tuples(st.just("compare")),
), min_size=1, max_size=14)


def _apply(step: tuple[object, ...], posts: Path, cli: CliRunnerFn, root: Path) -> None:
    kind = step[0]
    existing = sorted(path for path in posts.rglob("*") if path.is_file())
    if kind in ("rewrite", "rename", "delete"):  # a change to a file that exists
        if not existing:
            return
        path = existing[int(str(step[1])) % len(existing)]
    elif kind == "write":
        path = posts / NAMES[int(str(step[1]))]
    if kind == "write":  # in place when the file exists: same inode
        path.parent.mkdir(exist_ok=True)
        with open(path, "r+b" if path.exists() else "wb") as handle:
            handle.truncate(0)
            handle.write(str(step[2]).encode())
    elif kind == "rewrite":  # the next post of the same size, same stamp
        before = path.stat()
        text = path.read_text(errors="replace")
        now = SAME_SIZE.index(text) if text in SAME_SIZE else 0
        path.write_text(SAME_SIZE[(now + int(str(step[2]))) % len(SAME_SIZE)])
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif kind == "rename":
        target = posts / NAMES[int(str(step[2]))]
        target.parent.mkdir(exist_ok=True)
        os.replace(path, target)
    elif kind == "delete":
        path.unlink(missing_ok=True)
    elif kind == "new":
        result = cli("--root", str(root), "new", str(step[1]), "--date", "2024-06-07")
        assert result.exit_code in (0, 3), result  # 3: that post exists already


def _assert_same_answers(cli: CliRunnerFn, root: Path) -> None:
    commands = [["list", "--all", "--format", "json"], ["list", "--format", "json"],
                ["tags", "--all", "--format", "json"]]
    commands += [["search", text, "--all", "--format", "json"] for text in QUERIES]
    for command in commands:
        indexed = cli("--root", str(root), *command)
        fresh = cli("--root", str(root), *command, "--no-cache")
        assert indexed.exit_code in (0, 1), indexed
        assert (indexed.exit_code, indexed.stdout, indexed.stderr) == (
            fresh.exit_code, fresh.stdout, fresh.stderr), command


@pytest.mark.slow
# Sequences that once found a difference, run every time before the random ones:
@example(steps=[  # the words of a changed post counted still in the search statistics
    ("write", 0, SAME_SIZE[0]), ("write", 0, "---\ntitle: Untitled\ntags: []\n---\n\n"),
    ("compare",), ("write", 0, SAME_SIZE[0])])
@example(steps=[("write", 0, SAME_SIZE[0]), ("compare",), ("rewrite", 0, 1)])  # same stamp
@example(steps=[  # a name that is not UTF-8 beside the name it is shown as
    ("write", 5, SAME_SIZE[0]), ("compare",), ("write", 6, SAME_SIZE[1]), ("compare",),
    ("rename", 1, 5)])
@example(steps=[  # two spellings of a tag: an overlapping phrase counts twice
    ("write", 0, "---\ntitle: Untitled\ntags: [Fruit, fruit]\n---\n\n")])
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=steps)
def test_the_index_answers_as_a_fresh_read(cli: CliRunnerFn, steps: list[tuple[object, ...]],
                                           ) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "_config.yml").write_text("title: Parity\ntimezone: UTC\n")
        posts = root / "_posts"
        posts.mkdir()
        other = root / "other" / "_posts"
        other.mkdir(parents=True)
        for number in range(12):  # posts no query finds: the words searched for are rare
            (other / f"2023-01-{number + 1:02d}-other-{number}.md").write_text(
                f"---\ntitle: Other {number}\ntags: [misc]\n---\nlorem ipsum {number}\n")
        assert len({len(text) for text in SAME_SIZE}) == 1
        for step in [*steps, ("compare",)]:
            if step[0] == "compare":
                _assert_same_answers(cli, root)
            else:
                _apply(step, posts, cli, root)


def test_a_name_that_is_not_utf8_never_stands_for_the_name_it_is_shown_as(
        cli: CliRunnerFn, make_site) -> None:
    root = make_site(posts={
        f"_posts/{NAMES[6]}": "---\ntitle: Literal\n---\nfig\n",
        f"_posts/{NAMES[5]}": "---\ntitle: Bytes\n---\nfig\n"})
    _assert_same_answers(cli, root)
    listed = cli("--root", str(root), "list", "--format", "json")
    assert [post["path"] for post in json.loads(listed.stdout)] == [f"_posts/{NAMES[6]}"]
    assert ("_posts/2024-05-06-caf\\xe9.md: has a file name that is not valid UTF-8"
            in listed.stderr)
