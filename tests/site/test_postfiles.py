"""Which files are posts (postctl.site.postfiles): Jekyll's reader and EntryFilter, Hugo's
content rules, and every command that asks (the scan, the walk, lint's targets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postctl.site.model import PostFolder, open_site
from postctl.site.postfiles import POST_EXTENSIONS, PostNames, post_kind_of_path
from postctl.site.scan import iter_post_files
from tests.lint.rules.conftest import run_lint

POST = "---\ntitle: T\n---\nBody.\n"


def posts_of(root: Path) -> list[str]:
    site = open_site(root)
    return [Path(item.path).relative_to(site.root).as_posix() for item in iter_post_files(site)]


def names(folder: str, hugo: bool = False, drafts: bool = False) -> PostNames:
    return PostNames(PostFolder(Path("/site") / folder, drafts=drafts, hugo=hugo), "/site")


def test_markdown_extensions() -> None:
    assert POST_EXTENSIONS == (".md", ".markdown")


@pytest.mark.parametrize(("name", "where", "post"), [
    ("2024-01-02-a.md", "", True),
    ("2024-1-2-a.markdown", "", True),
    ("24-01-02-a.md", "", True),  # DATE_FILENAME_MATCHER takes 2 to 4 digits of year
    ("2024-01-02-a.html", "", True),  # any extension...
    ("2024-01-02-a.textile", "2024/", True),
    ("2024-01-02-a.yml", "", False),  # ...but data files
    ("2024-01-02-photo.JPG", "", False),  # and binary ones
    ("2024-01-02-a", "", False),  # no extension
    ("2024-01-02.md", "", False),  # no slug
    ("notes.md", "", False),  # no date
    ("2024-02-30-a.md", "", True),  # an impossible date is Jekyll's build error, not a skip
    ("_2024-01-02-a.md", "sub/", False),
    ("#2024-01-02-a.md", "", False),
    ("~2024-01-02-a.md", "", False),
    (".2024-01-02-a.md", "", False),
    ("2024-01-02-a.md~", "", False),
    ("2024-01-02-a.md.", "", False),
])
def test_jekyll_posts_by_name(name: str, where: str, post: bool) -> None:
    assert names("_posts").post_file(name, where) is post


def test_jekyll_folders_skipped_right_in_posts_only() -> None:
    """EntryFilter looks at the first component of a path under _posts and at the file's own
    name: ``_posts/_x/`` is skipped, ``_posts/sub/_x/`` is read; hidden folders never."""
    rule = names("_posts")
    assert [rule.walks_into(name, "") for name in ("_x", "#x", "~x", ".x", "x~", "2024")] == [
        False, False, False, False, True, True]
    assert [rule.walks_into(name, "sub/") for name in ("_x", "#x", "~x", ".x")] == [
        True, True, True, False]


def test_drafts_need_an_extension_not_a_date() -> None:
    rule = names("_drafts", drafts=True)
    assert [rule.post_file(name, "") for name in ("idea.md", "idea.html", "idea", "_idea.md",
                                                  "idea.yaml")] == [
        True, True, False, False, False]
    assert not rule.undated_file("idea.md", "")


def test_undated_markdown_of_posts_is_no_post_but_lint_sees_it() -> None:
    rule = names("_posts")
    assert not rule.post_file("notes.md", "") and rule.undated_file("notes.md", "")
    assert not rule.undated_file("notes.txt", "")  # not written as a post at all
    assert not rule.undated_file("_template.md", "")  # Jekyll ignores it on purpose
    assert not rule.undated_file("2024-01-02-a.md", "")  # a post


@pytest.mark.parametrize(("name", "post"), [
    ("a.md", True), ("a.markdown", True), ("_index.md", True), ("a.html", False),
    ("#a.md", False), ("a.md~", False), (".a.md", False), ("_a.md", True),
])
def test_hugo_pages_by_name(name: str, post: bool) -> None:
    assert names("content", hugo=True).post_file(name, "posts/") is post


def test_exclude_and_include_apply_inside_post_folders(make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-02-kept.md": POST,
        "_posts/archive/2019-01-02-old.md": POST,
        "_posts/2020-01-02-excluded.md": POST,
        "_posts/2020-01-03-included.md": POST,
        "news/_posts/2024-01-04-n.md": POST,
    }, jekyll='exclude: [_posts/archive, "_posts/2020-*", Gemfile]\n'
              'include: [_posts/2020-01-03-included.md]\n')
    assert posts_of(root) == ["_posts/2020-01-03-included.md", "_posts/2024-01-02-kept.md",
                              "news/_posts/2024-01-04-n.md"]
    folders = open_site(root).folders
    assert [folder.exclude for folder in folders] == [("_posts/archive", "_posts/2020-*"), ()]


def test_list_lint_and_given_paths_agree(cli, make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-02-a.md": POST,
        "_posts/2024-01-03-b.html": POST,
        "_posts/sub/_part/2024-01-04-c.md": POST,
        "_posts/notes.md": POST,  # no date: no post, but lint says so (D003)
        "_posts/_template.md": POST,  # ignored by Jekyll: neither
        "_posts/#draft.md#": POST,
        "_posts/2024-01-05-d.md~": POST,
    })
    listed = json.loads(cli("--root", str(root), "list", "--format", "json").stdout)
    assert sorted(item["path"] for item in listed) == [
        "_posts/2024-01-02-a.md", "_posts/2024-01-03-b.html", "_posts/sub/_part/2024-01-04-c.md"]
    found = run_lint(root, ["D003"])
    assert [d.path for d in found] == ["_posts/notes.md"]
    given = run_lint(root, ["D003", "S", "F"], paths=[
        "_posts/notes.md", "_posts/_template.md", "_posts/#draft.md#", "_posts/2024-01-05-d.md~",
        "_posts/2024-01-02-a.md"])
    assert sorted({d.path for d in given}) == ["_posts/notes.md"]


def test_hugo_bundle_resources_are_no_posts_and_sections_are_pages(tmp_path: Path) -> None:
    for rel in ("content/posts/a.md", "content/posts/_index.md", "content/posts/trip/index.md",
                "content/posts/trip/notes.md", "content/posts/trip/more/deep.md",
                "content/posts/#a.md#", "content/posts/b.md~"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(POST)
    (tmp_path / "hugo.toml").write_text("")
    assert posts_of(tmp_path) == ["content/posts/_index.md", "content/posts/a.md",
                                  "content/posts/trip/index.md"]
    site = open_site(tmp_path)
    (folder,) = site.folders
    kinds = {rel: post_kind_of_path(folder, site.root, site.root / rel) for rel in (
        "content/posts/a.md", "content/posts/trip/index.md", "content/posts/trip/notes.md",
        "content/posts/trip/more/deep.md", "content/posts/_index.md", "content/posts/#a.md#")}
    assert kinds == {"content/posts/a.md": "post", "content/posts/trip/index.md": "post",
                     "content/posts/trip/notes.md": None, "content/posts/trip/more/deep.md": None,
                     "content/posts/_index.md": "post", "content/posts/#a.md#": None}
    given = run_lint(tmp_path, ["F"], paths=["content/posts/trip/notes.md",
                                             "content/posts/a.md"])
    assert {d.path for d in given} <= {"content/posts/a.md"}


def test_a_large_site_through_the_index_lints_the_undated_files_too(make_site,
                                                                    monkeypatch) -> None:
    from postctl.lint import LintOptions, indexed
    from postctl.lint import run_lint as lint_site

    posts = {f"_posts/2024-01-{day % 28 + 1:02d}-p{day}.md": POST.replace("T", f"T{day}")
             for day in range(160)}
    root = make_site(posts={**posts, "_posts/notes.md": POST})
    through_index = []
    real = indexed.lint_indexed
    monkeypatch.setattr(indexed, "lint_indexed",
                        lambda *args: through_index.append(True) or real(*args))
    reports = [lint_site(open_site(root), LintOptions(select=("D003",), use_cache=cached,
                                                      cwd=root))
               for cached in (True, False)]
    assert through_index == [True]
    assert [[d.path for d in report.diagnostics] for report in reports] == [
        ["_posts/notes.md"]] * 2
    assert reports[0].files == reports[1].files == 161


def test_count_posts_counts_by_the_same_rule(make_site) -> None:
    from postctl.site.postfiles import count_posts

    root = make_site(posts={"_posts/2024-01-02-a.md": POST, "_posts/notes.md": POST,
                            "_posts/_x.md": POST, "_posts/sub/2024-01-03-b.md": POST,
                            "_drafts/idea.md": POST})
    assert count_posts(open_site(root), 100) == 3
    assert count_posts(open_site(root), 2) == 2


def test_the_index_follows_a_change_of_exclude(cli, make_site, monkeypatch) -> None:
    from postctl.site import listings

    monkeypatch.setattr(listings, "RACY_SECONDS", 0)  # keep the listings from the start
    root = make_site(posts={"_posts/2024-01-02-a.md": POST, "_posts/old/2019-01-02-b.md": POST})

    def listed() -> list[str]:
        result = cli("--root", str(root), "list", "--format", "json")
        return sorted(item["path"] for item in json.loads(result.stdout))

    assert listed() == ["_posts/2024-01-02-a.md", "_posts/old/2019-01-02-b.md"]
    assert listed() == ["_posts/2024-01-02-a.md", "_posts/old/2019-01-02-b.md"]
    (root / "_config.yml").write_text("timezone: UTC\nexclude: [_posts/old]\n")
    assert listed() == ["_posts/2024-01-02-a.md"]


def test_a_file_of_posts_without_a_date_is_no_post_url_target(make_site) -> None:
    root = make_site(posts={
        "_posts/notes.md": "---\ntitle: N\ndate: 2024-01-02\n---\n",
        "_posts/2024-01-03-a.md": "---\ntitle: A\n---\n{% post_url 2024-01-02-notes %}\n",
    })
    found = run_lint(root, ["R002"])
    assert [(d.path, d.severity) for d in found] == [("_posts/2024-01-03-a.md", "error")]
    assert "_posts/notes.md, which Jekyll does not publish" in found[0].message
