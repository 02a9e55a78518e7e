"""rename: title in place, file renamed, references rewritten, redirects added."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.edit.lifecycle import apply_plan
from postctl.edit.renaming import plan_rename
from postctl.errors import UnsafeWriteError, UsageError
from tests.edit.lifecycle_sites import BERLIN_NOW, load, make_hugo, tree, undo_last

BERLIN = "title: T\ntimezone: Europe/Berlin\n"
OLD = "---\ntitle: Old Title  # keep\ntags:\n  - a\n---\nSee {% post_url 2024-01-02-old %}.\n"


def rename(root: Path, rel: str, title: str, **options: object):
    site, post = load(root, rel)
    options.setdefault("clock", BERLIN_NOW)
    plan = plan_rename(site, post, title, **options)  # type: ignore[arg-type]
    apply_plan(site, plan)
    return plan


def test_rename_retitles_moves_rewrites_references_and_redirects(make_site) -> None:
    posts = {
        "_posts/2024-01-02-old.md": OLD,
        "_posts/2024-02-02-a.md": "---\ntitle: A\n---\n[x]({% post_url 2024-01-02-old %}) and "
                                  "{% link _posts/2024-01-02-old.md %}\r\n",
        "_posts/2024-02-03-b.md": "---\ntitle: B\n---\n```\n{% post_url 2024-01-02-old %}\n```\n",
        "news/_posts/2024-02-04-c.md": "---\ntitle: C\n---\n{%post_url /2024-01-02-old%}\n",
    }
    root = make_site(posts=posts, jekyll=BERLIN)
    before = tree(root)
    plan = rename(root, "_posts/2024-01-02-old.md", "New: Title")
    assert plan.new_path == root / "_posts/2024-01-02-new-title.md"
    after = tree(root)
    assert after["_posts/2024-01-02-new-title.md"].decode() == (
        '---\ntitle: "New: Title"  # keep\ntags:\n  - a\nredirect_from:\n'
        "  - /2024/01/02/old.html\n---\nSee {% post_url 2024-01-02-new-title %}.\n")
    assert after["_posts/2024-02-02-a.md"] == before["_posts/2024-02-02-a.md"].replace(
        b"2024-01-02-old", b"2024-01-02-new-title")
    assert after["_posts/2024-02-03-b.md"] == before["_posts/2024-02-03-b.md"]  # code
    assert after["news/_posts/2024-02-04-c.md"] == b"---\ntitle: C\n---\n" \
        b"{%post_url /2024-01-02-new-title%}\n"
    assert "_posts/2024-01-02-old.md" not in after
    assert [change.references for change in plan.files] == [1, 2, 1]
    undo_last(root)
    assert tree(root) == before


def test_date_renames_by_day_and_no_redirect_skips_the_redirect(make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-old.md": "---\ntitle: Old\n---\n"},
                     jekyll=BERLIN)
    plan = rename(root, "_posts/2024-01-02-old.md", "Old", date="2024-03-04", redirect=False)
    assert plan.new_path == root / "_posts/2024-03-04-old.md"
    assert plan.new_path.read_text() == "---\ntitle: Old\ndate: 2024-03-04 00:00:00 +01:00\n---\n"


def test_now_and_slug(make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-old.markdown": "---\ntitle: Old\n---\n"},
                     jekyll=BERLIN)
    plan = rename(root, "_posts/2024-01-02-old.markdown", "Brand new", slug="fresh", now=True)
    assert plan.new_path == root / "_posts/2025-03-01-fresh.markdown"


def test_flow_lists_get_a_flow_redirect_and_an_existing_list_grows(make_site) -> None:
    posts = {"_posts/2024-01-02-a.md": "---\ntitle: A\ntags: [x]\n---\n",
             "_posts/2024-01-02-b.md": "---\ntitle: B\nredirect_from: [/older/]\n---\n"}
    root = make_site(posts=posts, jekyll=BERLIN)
    rename(root, "_posts/2024-01-02-a.md", "A2")
    rename(root, "_posts/2024-01-02-b.md", "B2")
    assert (root / "_posts/2024-01-02-a2.md").read_text() == (
        "---\ntitle: A2\ntags: [x]\nredirect_from: [/2024/01/02/a.html]\n---\n")
    assert (root / "_posts/2024-01-02-b2.md").read_text() == (
        "---\ntitle: B2\nredirect_from: [/older/, /2024/01/02/b.html]\n---\n")


def test_a_draft_is_renamed_without_redirect(make_site) -> None:
    root = make_site(posts={"_drafts/old.md": "---\ntitle: Old\n---\n"}, jekyll=BERLIN)
    plan = rename(root, "_drafts/old.md", "New")
    assert plan.new_path.read_text() == "---\ntitle: New\n---\n"
    assert plan.new_path == root / "_drafts/new.md"


def test_an_existing_target_is_refused_and_nothing_changes(make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-old.md": OLD,
                            "_posts/2024-01-02-New.md": "mine"}, jekyll=BERLIN)
    before = tree(root)
    with pytest.raises(UnsafeWriteError, match="cannot move to"):
        rename(root, "_posts/2024-01-02-old.md", "new")
    assert tree(root) == before


def test_an_empty_title_is_a_usage_error(make_site) -> None:
    root = make_site(posts={"_posts/2024-01-02-old.md": OLD}, jekyll=BERLIN)
    with pytest.raises(UsageError):
        rename(root, "_posts/2024-01-02-old.md", "  ")


def test_hugo_rename_in_toml_rewrites_refs_and_adds_aliases(tmp_path: Path) -> None:
    posts = {"content/posts/old.md": "+++\ntitle = 'Old'\ndate = 2024-01-02\n+++\nB\n",
             "content/about.md": '---\ntitle: About\n---\n{{< relref "posts/old.md#x" >}} '
                                 '{{< ref "old" >}} {{< ref "older" >}}\n'}
    root = make_hugo(tmp_path / "hugo", posts)
    plan = rename(root, "content/posts/old.md", "New")
    assert plan.new_path == root / "content/posts/new.md"
    assert plan.new_path.read_text() == (
        "+++\ntitle = 'New'\ndate = 2024-01-02\naliases = [\"/posts/old/\"]\n+++\nB\n")
    assert (root / "content/about.md").read_text() == (
        '---\ntitle: About\n---\n{{< relref "posts/new.md#x" >}} {{< ref "new" >}} '
        '{{< ref "older" >}}\n')


def test_hugo_json_rename_and_a_bundle_keeps_its_folder(tmp_path: Path) -> None:
    posts = {"content/posts/j.md": '{\n  "title": "J",\n  "aliases": ["/x/"]\n}\n',
             "content/posts/n.md": '{\n  "title": "N",\n  "tags": [],\n  "draft": false\n}\n',
             "content/posts/b/index.md": "---\ntitle: B\n---\n"}
    root = make_hugo(tmp_path / "hugo", posts)
    rename(root, "content/posts/j.md", "K")
    assert (root / "content/posts/k.md").read_text() == (
        '{\n  "title": "K",\n  "aliases": ["/x/", "/posts/j/"]\n}\n')
    rename(root, "content/posts/n.md", "M")
    assert (root / "content/posts/m.md").read_text() == (
        '{\n  "title": "M",\n  "tags": [],\n  "draft": false,\n  "aliases": ["/posts/n/"]\n}\n')
    plan = rename(root, "content/posts/b/index.md", "C")
    assert plan.new_path == root / "content/posts/b/index.md"
    assert plan.notes == ("a page bundle keeps its folder name",)
    assert plan.new_path.read_text() == "---\ntitle: C\n---\n"


def test_a_slug_key_takes_the_new_slug(tmp_path: Path) -> None:
    posts = {"content/posts/old.md": "---\ntitle: Old\nslug: old\n---\n"}
    root = make_hugo(tmp_path / "hugo", posts)
    rename(root, "content/posts/old.md", "New")
    assert (root / "content/posts/new.md").read_text() == (
        "---\ntitle: New\nslug: new\naliases: [/posts/old/]\n---\n")
