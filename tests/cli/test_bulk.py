"""``tags``/``categories`` rename, merge and delete, ``set``, ``unset`` and ``undo`` from the
command line: the bytes they write, what they print, their exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliRunnerFn, SiteFactory, snapshot

POSTS: dict[str, str | bytes] = {
    "_posts/2024-01-01-flow.md": "---\ntitle: Flow\ntags: [a, Python, 'b']  # note\n---\nPython\n",
    "_posts/2024-01-02-block.md":
        "---\ntitle: Block\ntags:\n  - python\n  - c   # keep\n---\nBody\n",
    "_posts/2024-01-03-words.md": "---\ntitle: Words\ntags: x python y\n---\n",
    "_posts/2024-01-04-crlf.md":
        "\ufeff---\r\ntitle: CRLF\r\ntags: [PYTHON, py]\r\n---\r\nBody".encode(),
    "_posts/2024-01-05-both.md": "---\ntitle: Both\ntags: [python, py, z]\n---\n",
    "_posts/2024-01-06-other.md": "---\ntitle: Other\ntags: [rust]\n---\n",
    "_drafts/draft.md": "---\ntitle: Draft\ntags: [Python]\n---\n",
}


def files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*.md"))}


def run(cli: CliRunnerFn, root: Path, *args: str, code: int = 0) -> Any:
    result = cli("--root", str(root), *args)
    assert result.exit_code == code, result
    return result


def test_rename_changes_only_the_names_and_undo_gives_every_byte_back(
        cli: CliRunnerFn, make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    before = files(root)
    result = run(cli, root, "tags", "rename", "python", "py")
    after = files(root)
    assert after["_posts/2024-01-01-flow.md"] == (
        b"---\ntitle: Flow\ntags: [a, py, 'b']  # note\n---\nPython\n")
    assert after["_posts/2024-01-02-block.md"] == (
        b"---\ntitle: Block\ntags:\n  - py\n  - c   # keep\n---\nBody\n")
    assert after["_posts/2024-01-03-words.md"] == b"---\ntitle: Words\ntags: x py y\n---\n"
    assert after["_posts/2024-01-04-crlf.md"] == (
        "\ufeff---\r\ntitle: CRLF\r\ntags: [py]\r\n---\r\nBody".encode())
    assert after["_posts/2024-01-05-both.md"] == b"---\ntitle: Both\ntags: [py, z]\n---\n"
    assert after["_drafts/draft.md"] == b"---\ntitle: Draft\ntags: [py]\n---\n"
    assert after["_posts/2024-01-06-other.md"] == before["_posts/2024-01-06-other.md"]
    assert "changed 6 posts" in result.stderr and "_posts/2024-01-02-block.md: tags:" in (
        result.stderr)
    listed = run(cli, root, "list", "--all", "--tag", "py", "--format", "paths").stdout
    assert len(listed.split()) == 6
    run(cli, root, "undo")
    assert files(root) == before
    assert "nothing to undo" in run(cli, root, "undo", code=1).stderr


def test_a_name_no_post_has_is_exit_1_and_writes_nothing(cli: CliRunnerFn,
                                                        make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    before = snapshot(root)
    result = run(cli, root, "tags", "rename", "golang", "go", code=1)
    assert result.stderr == "Error: no post has the tag 'golang'\n"
    result = run(cli, root, "tags", "delete", "golang", "--format", "json", code=1)
    assert json.loads(result.stderr)["error"]["code"] == "nothing_to_change"
    assert snapshot(root) == before


def test_exact_merge_and_delete(cli: CliRunnerFn, make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    run(cli, root, "tags", "rename", "--exact", "PYTHON", "Py3")
    assert b"tags: [Py3, py]" in files(root)["_posts/2024-01-04-crlf.md"]
    assert b"- python" in files(root)["_posts/2024-01-02-block.md"]
    run(cli, root, "tags", "merge", "py3", "rust", "--into", "lang")
    assert b"tags: [lang, py]" in files(root)["_posts/2024-01-04-crlf.md"]
    assert b"tags: [lang]" in files(root)["_posts/2024-01-06-other.md"]
    run(cli, root, "tags", "delete", "python")
    assert files(root)["_posts/2024-01-02-block.md"] == (
        b"---\ntitle: Block\ntags:\n  - c   # keep\n---\nBody\n")
    assert files(root)["_posts/2024-01-03-words.md"] == b"---\ntitle: Words\ntags: x y\n---\n"


def test_dry_run_shows_a_diff_and_json_says_what_changed(cli: CliRunnerFn,
                                                        make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    before = snapshot(root)
    result = run(cli, root, "tags", "rename", "rust", "yes", "--dry-run")
    assert "-tags: [rust]\n+tags: [\"yes\"]\n" in result.stdout
    assert "would change 1 post" in result.stderr
    assert snapshot(root) == before
    result = run(cli, root, "tags", "rename", "rust", "yes", "--format", "json")
    report = json.loads(result.stdout)
    assert report["changed"] == [{"path": "_posts/2024-01-06-other.md",
                                  "keys": [{"key": "tags", "before": ["rust"],
                                            "after": ["yes"]}]}]
    assert report["dry_run"] is False and report["change"]
    assert b'tags: ["yes"]' in files(root)["_posts/2024-01-06-other.md"]


def test_folder_categories_are_listed_as_not_changed(cli: CliRunnerFn,
                                                     make_site: SiteFactory) -> None:
    root = make_site(posts={
        "news/_posts/2024-01-01-a.md": "---\ntitle: A\n---\n",
        "_posts/2024-01-02-b.md": "---\ntitle: B\ncategories: [News, misc]\n---\n"})
    result = run(cli, root, "categories", "rename", "news", "press")
    assert files(root)["_posts/2024-01-02-b.md"] == (
        b"---\ntitle: B\ncategories: [press, misc]\n---\n")
    assert files(root)["news/_posts/2024-01-01-a.md"] == b"---\ntitle: A\n---\n"
    assert ("news/_posts/2024-01-01-a.md: not changed: category 'news' comes from its "
            "folder (news/_posts/)") in result.stderr


def test_a_post_that_cannot_be_edited_is_named_and_the_others_change(
        cli: CliRunnerFn, make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": "---\ntags: |\n  python\n---\n",
                            "_posts/2024-01-02-b.md": "---\ntags: [python]\n---\n"})
    monkeypatch.chdir(root)
    result = run(cli, root, "tags", "rename", "python", "py", code=3)
    assert ("Error: _posts/2024-01-01-a.md: not changed: tags: the value is a block scalar "
            "(| or >); edit this key by hand\n") in result.stderr
    assert files(root)["_posts/2024-01-02-b.md"] == b"---\ntags: [py]\n---\n"


def test_a_file_saved_while_postctl_writes_is_not_overwritten(
        cli: CliRunnerFn, make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.edit import batchwrite

    root = make_site(posts=POSTS)
    saved = root / "_posts/2024-01-03-words.md"
    real_flush = batchwrite._flush

    def meanwhile(fds: list[int], pool: Any) -> list[str | None]:
        saved.write_bytes(b"---\ntitle: saved by an editor\ntags: python\n---\n")
        return real_flush(fds, pool)

    monkeypatch.setattr(batchwrite, "_flush", meanwhile)
    result = run(cli, root, "tags", "rename", "python", "py", code=3)
    assert saved.read_bytes() == b"---\ntitle: saved by an editor\ntags: python\n---\n"
    assert "_posts/2024-01-03-words.md: not changed: changed on disk" in result.stderr
    assert b"tags: [py, z]" in files(root)["_posts/2024-01-05-both.md"]
    assert "changed 5 posts" in result.stderr


def test_undo_leaves_a_file_changed_since_and_names_it(cli: CliRunnerFn,
                                                       make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    before = files(root)
    run(cli, root, "tags", "rename", "python", "py")
    edited = root / "_posts/2024-01-01-flow.md"
    edited.write_bytes(b"---\ntitle: mine now\n---\n")
    result = run(cli, root, "undo", code=3)
    assert "_posts/2024-01-01-flow.md: not put back: changed since" in result.stderr
    assert edited.read_bytes() == b"---\ntitle: mine now\n---\n"
    now = files(root)
    assert all(now[name] == before[name] for name in before if "flow" not in name)
    listed = json.loads(run(cli, root, "undo", "--list", "--format", "json").stdout)
    assert listed[0]["state"] == "done" and "_drafts/draft.md" in listed[0]["files"]
    assert listed[0]["command"].startswith("postctl --root ")


def test_a_question_on_a_terminal(cli: CliRunnerFn, make_site: SiteFactory,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.render import changes

    root = make_site(posts=POSTS)
    before = snapshot(root)
    monkeypatch.setattr(changes, "can_ask", lambda out: True)
    result = cli("--root", str(root), "tags", "rename", "rust", "go", input="n\n")
    assert result.exit_code == 1 and "change 1 post? [y/N]" in result.stderr
    assert snapshot(root) == before
    result = cli("--root", str(root), "tags", "rename", "rust", "go", input="y\n")
    assert result.exit_code == 0 and b"[go]" in files(root)["_posts/2024-01-06-other.md"]
    run(cli, root, "tags", "rename", "go", "rust", "--yes")  # no question, no input
    assert b"[rust]" in files(root)["_posts/2024-01-06-other.md"]


def test_set_and_unset_need_a_selection(cli: CliRunnerFn, make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    before = snapshot(root)
    result = run(cli, root, "set", "featured=true", code=2)
    assert "say which posts to change" in result.stderr
    run(cli, root, "unset", "title", code=2)
    run(cli, root, "set", "x=1", "_posts/nope.md", code=2)
    assert snapshot(root) == before


def test_set_inserts_where_new_would_and_unset_gives_the_bytes_back(
        cli: CliRunnerFn, make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS, config='[new]\nkeys = ["title", "author", "tags"]\n')
    before = files(root)
    run(cli, root, "set", "author=Ada", "rating=5", "--tag", "rust")
    assert files(root)["_posts/2024-01-06-other.md"] == (
        b"---\ntitle: Other\nauthor: Ada\ntags: [rust]\nrating: 5\n---\n")
    run(cli, root, "unset", "author", "rating", "_posts/2024-01-06-other.md")
    assert files(root) == before
    run(cli, root, "set", "draft=yes", "--all-posts")
    assert all(b"draft: true\n" in data or b"draft: true\r\n" in data
               for data in files(root).values())
    assert "no selected post has 'nothere'" in run(cli, root, "unset", "nothere",
                                                   "--all-posts", code=1).stderr


def test_set_by_filters_changes_only_those_posts(cli: CliRunnerFn,
                                                 make_site: SiteFactory) -> None:
    root = make_site(posts=POSTS)
    run(cli, root, "set", "layout=post", "--where", "title~^B")
    changed = {name for name, data in files(root).items() if b"layout: post" in data}
    assert changed == {"_posts/2024-01-02-block.md", "_posts/2024-01-05-both.md"}


HUGO = {
    "content/posts/toml.md": "+++\ntitle = 'T'\ntags = ['a', \"Python\"]  # c\n+++\nBody\n",
    "content/posts/json.md": '{\n  "title": "J",\n  "tags": ["python", "b"]\n}\nBody\n',
    "content/posts/yaml.md": "---\ntitle: Y\ntags: [python]\ndraft: false\n---\n",
}


def test_hugo_toml_and_json_front_matter(cli: CliRunnerFn, tmp_path: Path) -> None:
    root = tmp_path / "hugo"
    for rel, text in {**HUGO, "hugo.toml": "title = 'x'\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    before = files(root)
    run(cli, root, "tags", "rename", "python", "it's")
    assert files(root)["content/posts/toml.md"] == (
        b"+++\ntitle = 'T'\ntags = ['a', \"it's\"]  # c\n+++\nBody\n")
    assert files(root)["content/posts/json.md"] == (
        b'{\n  "title": "J",\n  "tags": ["it\'s", "b"]\n}\nBody\n')
    run(cli, root, "set", "weight=3", "--all-posts")
    assert b'"weight": 3\n}' in files(root)["content/posts/json.md"]
    run(cli, root, "undo")
    run(cli, root, "undo")
    assert files(root) == before
