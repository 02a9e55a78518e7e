"""The site: its root, flavour and post folders (postctl.site.model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.errors import UsageError
from postctl.site.model import ROOT_ENV, PostFolder, find_root, open_site


def make_dirs(root: Path, *names: str) -> Path:
    for name in names:
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


def folders(root: Path) -> list[tuple[str, bool, tuple[str, ...]]]:
    site = open_site(root)
    return [(folder.path.relative_to(site.root).as_posix(), folder.drafts, folder.categories)
            for folder in site.folders]


# --- root -------------------------------------------------------------------------------


def test_explicit_root_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_dirs(tmp_path, "a", "b")
    monkeypatch.setenv(ROOT_ENV, str(tmp_path / "b"))
    assert find_root(tmp_path / "a", cwd=tmp_path) == (tmp_path / "a").resolve()


def test_root_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_dirs(tmp_path, "site", "elsewhere")
    (tmp_path / "elsewhere" / "_config.yml").write_text("")
    monkeypatch.setenv(ROOT_ENV, str(tmp_path / "site"))
    assert find_root(cwd=tmp_path / "elsewhere") == (tmp_path / "site").resolve()


@pytest.mark.parametrize("marker", ["postctl.toml", "_config.yml", "hugo.toml", "config.toml",
                                    ".git"])
def test_nearest_folder_with_a_marker(tmp_path: Path, marker: str) -> None:
    root = make_dirs(tmp_path / "site", "_posts/deep/er")
    if marker == ".git":
        (root / ".git").mkdir()
    else:
        (root / marker).write_text("")
    assert find_root(cwd=root / "_posts" / "deep" / "er") == root.resolve()
    assert find_root(cwd=root) == root.resolve()


def test_nearest_marker_wins_over_outer_one(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    inner = make_dirs(tmp_path, "blog/_posts") / "blog"
    (inner / "_config.yml").write_text("")
    assert find_root(cwd=inner / "_posts") == inner.resolve()


def test_no_marker_means_the_working_folder(tmp_path: Path) -> None:
    # tmp_path has no marker above it in a normal test run; the search stops at /.
    start = make_dirs(tmp_path, "x/y") / "x" / "y"
    if any((parent / m).exists() for parent in start.parents
           for m in ("postctl.toml", "_config.yml", "hugo.toml", "config.toml", ".git")):
        pytest.skip("a marker file exists above the temporary folder")
    assert find_root(cwd=start) == start.resolve()


def test_missing_root_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        find_root(tmp_path / "nope")
    (tmp_path / "file").write_text("")
    with pytest.raises(UsageError):
        find_root(tmp_path / "file")


# --- Jekyll folders ---------------------------------------------------------------------


def test_jekyll_posts_drafts_and_nested_posts(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "_posts", "_drafts", "news/_posts", "blog/tech/_posts",
                     "news/_drafts")
    (root / "_config.yml").write_text("title: x\n")
    assert folders(root) == [
        ("_posts", False, ()),
        ("news/_posts", False, ("news",)),
        ("blog/tech/_posts", False, ("blog", "tech")),
        ("_drafts", True, ()),
        ("news/_drafts", True, ("news",)),
    ]
    site = open_site(root)
    assert site.flavour == "jekyll"
    assert site.posts_folder == site.root / "_posts"
    assert site.drafts_folder == site.root / "_drafts"


def test_discovery_skips_build_vendor_hidden_and_excluded(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "_posts", "_site/_posts", "vendor/bundle/gems/x/_posts",
                     "node_modules/pkg/_posts", ".hidden/_posts", ".git/_posts", "docs/_posts",
                     "old/stuff/_posts", "archive-2019/_posts", "keep/_posts")
    (root / "_config.yml").write_text("exclude:\n  - docs/\n  - old/stuff\n  - archive-*\n")
    assert folders(root) == [("_posts", False, ()), ("keep/_posts", False, ("keep",))]


def test_directory_links_are_not_followed(tmp_path: Path) -> None:
    root = make_dirs(tmp_path / "site", "_posts")
    outside = make_dirs(tmp_path, "outside/_posts") / "outside"
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "_config.yml").write_text("")
    assert folders(root) == [("_posts", False, ())]


def test_configured_folders(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "writing/published", "writing/wip", "_posts")
    (root / "postctl.toml").write_text('posts = ["writing/published"]\ndrafts = ["writing/wip"]\n')
    site = open_site(root)
    assert site.folders == (PostFolder(site.root / "writing/published"),
                            PostFolder(site.root / "writing/wip", drafts=True))
    assert site.posts_folder == site.root / "writing/published"
    assert site.drafts_folder == site.root / "writing/wip"


def test_site_time_zone(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "_posts")
    (root / "_config.yml").write_text("timezone: Asia/Tokyo\n")
    assert str(open_site(root).tz) == "Asia/Tokyo"


def test_relative_path(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "_posts")
    site = open_site(root)
    assert site.relative(root / "_posts" / "a.md") == "_posts/a.md"
    assert site.relative(Path("/elsewhere/b.md")) == "/elsewhere/b.md"


# --- Hugo and flavour -------------------------------------------------------------------


def test_hugo_content_folder(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "content/posts")
    (root / "hugo.toml").write_text('title = "x"\n')
    site = open_site(root)
    assert site.flavour == "hugo"
    assert site.folders == (PostFolder(site.root / "content", hugo=True),)
    assert site.posts_folder == site.root / "content"


def test_hugo_content_dir_setting(tmp_path: Path) -> None:
    root = make_dirs(tmp_path, "src")
    (root / "hugo.toml").write_text('contentDir = "src"\n')
    assert open_site(root).folders == (PostFolder(root.resolve() / "src", hugo=True),)


@pytest.mark.parametrize("layout, flavour", [
    ({"_posts": None}, "jekyll"),
    ({"_config.yml": ""}, "jekyll"),
    ({"content": None}, "hugo"),
    ({"hugo.toml": ""}, "hugo"),
    ({"config.toml": "", "content": None}, "hugo"),
    ({}, "jekyll"),
])
def test_flavour_detection(tmp_path: Path, layout: dict[str, str | None], flavour: str) -> None:
    for name, content in layout.items():
        if content is None:
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_text(content)
    assert open_site(tmp_path, require=False).flavour == flavour


def test_configured_flavour_wins(tmp_path: Path) -> None:
    make_dirs(tmp_path, "_posts", "content")
    (tmp_path / "postctl.toml").write_text('flavour = "hugo"\n')
    assert open_site(tmp_path).flavour == "hugo"
