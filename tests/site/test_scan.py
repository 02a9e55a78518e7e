"""Finding and loading a site's posts (postctl.site.scan), and the shared real-world corpora."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path

import pytest

from postctl.errors import SourceError
from postctl.post.model import Post
from postctl.site.model import open_site
from postctl.site.scan import PostLoader, iter_post_files, read_post_bytes, scan_posts
from tests.conftest import CORPORA, SiteFactory

POST = "---\ntitle: t\n---\nBody.\n"


def rel_files(root: Path) -> list[str]:
    site = open_site(root)
    return [Path(item.path).relative_to(site.root).as_posix() for item in iter_post_files(site)]


def test_jekyll_post_files(make_site: SiteFactory) -> None:
    root = make_site(posts={
        "_posts/2024-01-02-b.md": POST,
        "_posts/2024-01-01-a.markdown": POST,
        "_posts/sub/2024-01-03-c.md": POST,
        "_posts/_partials/2024-01-04-skip.md": POST,
        "_posts/.hidden.md": POST,
        "_posts/.cache/2024-01-05-skip.md": POST,
        "_posts/notes.txt": "x",
        "_posts/image.png": b"\x89PNG",
        "_drafts/idea.md": POST,
        "news/_posts/2024-02-01-n.md": POST,
        "about.md": POST,
    })
    assert rel_files(root) == [
        "_posts/2024-01-01-a.markdown",
        "_posts/2024-01-02-b.md",
        "_posts/sub/2024-01-03-c.md",
        "news/_posts/2024-02-01-n.md",
        "_drafts/idea.md",
    ]


def test_post_file_stat(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-02-b.md": POST})
    (item,) = iter_post_files(open_site(root))
    info = os.stat(item.path)
    assert (item.size, item.mtime_ns, item.inode) == (info.st_size, info.st_mtime_ns,
                                                      info.st_ino)
    assert item.skip_reason is None and not item.folder.drafts


def test_nested_posts_get_their_folder_category(make_site: SiteFactory) -> None:
    root = make_site(posts={"news/_posts/2024-02-01-n.md": "---\ncategory: release\n---\n",
                            "_drafts/d.md": POST})
    posts = {item.rel_path: item for item in scan_posts(open_site(root))
             if isinstance(item, Post)}
    assert posts["news/_posts/2024-02-01-n.md"].categories == ("news", "release")
    assert posts["_drafts/d.md"].draft


def test_hugo_sections_and_bundles(tmp_path: Path) -> None:
    files = {
        "content/_index.md": POST,
        "content/posts/_index.md": POST,
        "content/posts/plain.md": POST,
        "content/posts/trip/index.md": POST,
        "content/posts/trip/notes.md": POST,
        "content/posts/trip/extra/more.md": POST,
        "content/posts/branch/_index.md": POST,
        "content/posts/branch/leaf.markdown": POST,
        "content/posts/toml.md": '+++\ntitle = "T"\ndraft = true\n+++\n',
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "hugo.toml").write_text("")
    assert rel_files(tmp_path) == [
        "content/_index.md",
        "content/posts/_index.md",
        "content/posts/branch/_index.md",
        "content/posts/branch/leaf.markdown",
        "content/posts/plain.md",
        "content/posts/toml.md",
        "content/posts/trip/index.md",
    ]
    posts = {item.rel_path: item for item in scan_posts(open_site(tmp_path))
             if isinstance(item, Post)}
    assert {rel: post.kind for rel, post in posts.items() if post.kind != "page"} == {
        "content/_index.md": "home", "content/posts/_index.md": "section",
        "content/posts/branch/_index.md": "section"}
    assert posts["content/posts/trip/index.md"].slug == "trip"
    assert posts["content/posts/toml.md"].draft
    assert not posts["content/posts/plain.md"].draft


# --- only regular files (docs/guarantees.md: Limits) ------------------------------------


def test_fifo_and_device_link_are_skipped_with_a_reason(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-01-ok.md": POST})
    os.mkfifo(root / "_posts" / "2024-01-02-fifo.md")
    (root / "_posts" / "2024-01-03-zero.md").symlink_to("/dev/zero")
    (root / "_posts" / "2024-01-04-link.md").symlink_to(root / "_posts" / "2024-01-01-ok.md")
    site = open_site(root)
    reasons = {Path(item.path).name: item.skip_reason for item in iter_post_files(site)}
    assert reasons == {
        "2024-01-01-ok.md": None,
        "2024-01-02-fifo.md": "is not a regular file; skipped",
        "2024-01-03-zero.md": "is a symbolic link; skipped",
        "2024-01-04-link.md": "is a symbolic link; skipped",
    }
    results = list(scan_posts(site))
    assert [type(item).__name__ for item in results] == [
        "Post", "SourceError", "SourceError", "SourceError"]
    errors = [item for item in results if isinstance(item, SourceError)]
    assert [error.code for error in errors] == ["E008"] * 3
    assert str(errors[0]) == f"{root.resolve() / '_posts' / '2024-01-02-fifo.md'}: " \
                             "is not a regular file; skipped"


def test_directory_link_inside_posts_is_not_followed(make_site: SiteFactory,
                                                     tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-ok.md": POST})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2024-01-02-out.md").write_text(POST)
    (root / "_posts" / "linked").symlink_to(outside, target_is_directory=True)
    (root / "_posts" / "loop").symlink_to(root / "_posts", target_is_directory=True)
    assert rel_files(root) == ["_posts/2024-01-01-ok.md"]


def test_read_post_bytes_refuses_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "f.md"
    os.mkfifo(fifo)
    with pytest.raises(SourceError) as caught:
        read_post_bytes(fifo, 1000)  # would block forever with a plain open()
    assert str(caught.value) == f"{fifo}: not a regular file"


def test_read_post_bytes_refuses_links(tmp_path: Path) -> None:
    link = tmp_path / "z.md"
    link.symlink_to("/dev/zero")
    with pytest.raises(SourceError) as caught:
        read_post_bytes(link, 1000)
    assert str(caught.value) == f"{link}: cannot read: is a symbolic link"


def test_read_post_bytes_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 101)
    with pytest.raises(SourceError) as caught:
        read_post_bytes(path, 100)
    assert str(caught.value) == f"{path}: file is larger than the 100 byte limit"
    assert caught.value.code == "E008"
    assert read_post_bytes(path, 101) == b"x" * 101


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_post_bytes(tmp_path / "gone.md", 100)
    assert caught.value.code == "E008" and "cannot read" in str(caught.value)


def test_configured_limits_apply(make_site: SiteFactory) -> None:
    root = make_site(
        posts={"_posts/2024-01-01-big.md": POST + "x" * 200,
               "_posts/2024-01-02-fm.md": "---\ntitle: " + "y" * 80 + "\n---\n",
               "_posts/2024-01-03-ok.md": POST},
        config="[limits]\nmax_file_bytes = 150\nmax_front_matter_bytes = 50\n")
    results = {Path(item.path).name: item for item in scan_posts(open_site(root))}
    assert isinstance(results["2024-01-03-ok.md"], Post)
    big, fm = results["2024-01-01-big.md"], results["2024-01-02-fm.md"]
    assert isinstance(big, SourceError) and "150 byte limit" in str(big)
    assert isinstance(fm, SourceError) and "front matter is larger than the 50" in str(fm)


# --- loading ----------------------------------------------------------------------------


def test_scan_continues_after_bad_files(make_site: SiteFactory) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": POST,
        "_posts/2024-01-02-bad.md": "---\ntitle: [\n---\n",
        "_posts/2024-01-03-latin1.md": "---\ntitle: caf\xe9\n---\n".encode("latin-1"),
        "_posts/2024-01-04-list.md": "---\n- a\n---\n",
        "_posts/2024-01-05-d.md": POST,
    })
    results = list(scan_posts(open_site(root)))
    assert [isinstance(item, Post) for item in results] == [True, False, False, False, True]
    assert [item.code for item in results if isinstance(item, SourceError)] == [
        "E004", "E003", "E005"]


def test_scan_given_files(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": POST, "_posts/2024-01-02-b.md": POST})
    site = open_site(root)
    files = list(iter_post_files(site))[1:]
    assert [item.rel_path for item in scan_posts(site, files)
            if isinstance(item, Post)] == ["_posts/2024-01-02-b.md"]


def test_loader_context_and_folder_of(make_site: SiteFactory) -> None:
    root = make_site(posts={"news/_posts/2024-01-01-a.md": POST, "_drafts/x.md": POST},
                     jekyll="timezone: Asia/Tokyo\n")
    site = open_site(root)
    loader = PostLoader(site)
    news = site.root / "news" / "_posts" / "2024-01-01-a.md"
    assert loader.folder_of(news).categories == ("news",)
    context = loader.context(site.root / "_drafts" / "x.md")
    assert context.is_draft_file and str(context.tz) == "Asia/Tokyo"
    post = loader.load(news)
    assert post.categories == ("news",)
    assert post.date == dt.datetime(2024, 1, 1, tzinfo=site.tz)


JEKYLL_DEFAULTS = """\
timezone: UTC
defaults:
  - scope: {path: "_posts", type: posts}
    values: {author: Specific}
  - scope: {path: ""}
    values: {author: General, layout: post}
  - scope: {path: "", type: posts}
    values: {tags: [from-defaults]}
  - scope: {path: "", type: pages}
    values: {layout: page}
  - scope: {path: "news/_posts/*-b.md"}
    values: {image: glob.png}
"""


def test_jekyll_defaults_precedence_and_types(make_site: SiteFactory) -> None:
    root = make_site(jekyll=JEKYLL_DEFAULTS, posts={
        "_posts/2024-01-01-a.md": POST,
        "_drafts/d.md": POST,
        "news/_posts/2024-01-02-b.md": "---\nauthor: Own\n---\n",
    })
    posts = {item.rel_path: item for item in scan_posts(open_site(root))
             if isinstance(item, Post)}
    a, d, b = (posts[name] for name in ("_posts/2024-01-01-a.md", "_drafts/d.md",
                                        "news/_posts/2024-01-02-b.md"))
    # the longer scope path wins, whatever the order in _config.yml (Jekyll's precedence)
    assert a.authors == ("Specific",)
    assert a.tags == ("from-defaults",)
    assert a.metadata.values == {"title": "t"}
    # drafts have the type "posts" in Jekyll
    assert d.tags == ("from-defaults",)
    assert d.authors == ("General",)
    # the post's own value wins; a glob scope matches
    assert b.authors == ("Own",)
    assert b.get("image") is None
    assert PostLoader(open_site(root)).context(b.path).defaults["image"] == "glob.png"


# --- the shared corpora -----------------------------------------------------------------

needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not present")


def scan_corpus(name: str) -> list[Post | SourceError]:
    return list(scan_posts(open_site(CORPORA / name)))


@needs_corpora
def test_jekyll_docs_corpus() -> None:
    results = scan_corpus("jekyll-docs-posts")
    posts = [item for item in results if isinstance(item, Post)]
    assert len(results) == len(posts) == 102
    assert Counter(Path(post.path).suffix for post in posts) == {".markdown": 96, ".md": 6}
    origins = Counter(post.date_origin for post in posts)
    assert origins == {"front matter": 99, "filename": 3}
    # every written date is a string to PyYAML (+0200 has no colon); all carry an offset
    dated = [post for post in posts if "date" in post.values]
    assert all(isinstance(post.values["date"], str) for post in dated)
    assert sum(post.metadata.keys["date"].style == '"' for post in dated) == 14
    assert all(post.date is not None and post.date.utcoffset() is not None for post in dated)
    # file-name day differs from the written day (in the date's own offset) in 9 posts
    assert sum(post.date is not None and post.date.date() != _name_day(post)
               for post in dated) == 9
    assert sum(any(line.rstrip() == "---" for line in post.body.splitlines())
               for post in posts) == 1
    assert all(post.categories[0] == "docs" for post in posts)  # the folder above _posts
    assert Counter(type(post.values.get("version")).__name__ for post in posts)["float"] >= 1


@needs_corpora
def test_18f_corpus() -> None:
    results = scan_corpus("18f-posts")
    posts = [item for item in results if isinstance(item, Post)]
    assert len(results) == len(posts) == 508
    origins = Counter(post.date_origin for post in posts)
    assert origins == {"front matter": 419, "filename": 89}
    assert all(post.date_error is None for post in posts)
    assert sum(not post.source.raw.endswith(b"\n") for post in posts) == 19
    types = Counter(_kind(post.values["date"]) for post in posts if "date" in post.values)
    # The README counts with the pure-Python loader, which fails on one file (trailing tabs
    # after a list item) that libyaml reads: that file holds the 305th YAML date.
    assert types == {"date": 305, "str": 107, "naive datetime": 6, "aware datetime": 1}
    unpadded = next(post for post in posts if post.path.name == "2019-12-3-long-term-teams.md")
    assert _name_day(unpadded) == dt.date(2019, 12, 3)
    # two posts have a `published` key; only one is false (the README says "(2)")
    assert sum("published" in post.values for post in posts) == 2
    assert sum(post.draft for post in posts) == 1
    assert sum(any(line.rstrip() == "---" for line in post.body.splitlines())
               for post in posts) == 19
    assert sum(" " in post.path.name for post in posts) == 1


def _name_day(post: Post) -> dt.date:
    from postctl.text.dates import filename_date

    found = filename_date(post.path.stem)
    assert found is not None
    return found[0]


def _kind(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "aware datetime" if value.tzinfo else "naive datetime"
    return type(value).__name__


def test_jekyll_skips_special_names_like_its_entry_filter(make_site) -> None:
    from postctl.site.model import open_site
    from postctl.site.scan import iter_post_files

    post = "---\ntitle: x\n---\n"
    root = make_site(posts={
        "_posts/2024-01-01-kept.md": post,
        "_posts/_2024-01-02-underscore.md": post,
        "_posts/#2024-01-03-hash.md": post,
        "_posts/2024-01-04-backup.md~": post,
    })
    names = [f.path.rsplit("/", 1)[-1] for f in iter_post_files(open_site(root))]
    assert names == ["2024-01-01-kept.md"]
