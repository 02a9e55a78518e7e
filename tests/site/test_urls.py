from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from postctl.post.model import Post
from postctl.site.model import Site, open_site
from postctl.site.scan import PostLoader
from postctl.site.urls import escape_path, post_url, sanitize_url, slugify, template_for

POST = "---\ntitle: T\n{extra}---\nbody\n"
_names = itertools.count()


def load(root: Path, rel: str) -> tuple[Post, Site]:
    site = open_site(root)
    return PostLoader(site).load(root / rel), site


def url_of(make_site, rel: str, extra: str = "", jekyll: str = "timezone: UTC\n") -> str | None:
    root = make_site(posts={rel: POST.format(extra=extra)}, jekyll=jekyll, name=f"s{next(_names)}")
    post, site = load(root, rel)
    return post_url(post, site)


def test_default_style_is_date_with_html(make_site) -> None:
    url = url_of(make_site, "_posts/2024-03-05-hello-world.md", "categories: [News]\n")
    assert url == "/news/2024/03/05/hello-world.html"


def test_no_categories_collapses_the_slash(make_site) -> None:
    assert url_of(make_site, "_posts/2024-03-05-hello.md") == "/2024/03/05/hello.html"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("pretty", "/a/b/2024/03/05/hello/"),
        ("ordinal", "/a/b/2024/065/hello.html"),
        ("none", "/a/b/hello.html"),
        ("weekdate", "/a/b/2024/W10/Tue/hello.html"),
        ("/:year/:i_month/:i_day/:short_year/:slug", "/2024/3/5/24/hello"),
        ("/:title_:year/:unknown/", "/hello_2024/:unknown/"),
    ],
)
def test_site_permalink_styles_and_templates(make_site, style: str, expected: str) -> None:
    jekyll = f"timezone: UTC\npermalink: {style}\n"
    url = url_of(make_site, "_posts/2024-03-05-hello.md", "categories: [A, b, a]\n", jekyll)
    assert url == expected


def test_front_matter_permalink_wins_and_is_a_template(make_site) -> None:
    url = url_of(make_site, "_posts/2024-03-05-hello.md", "permalink: /x/:year/:title/\n",
                 "timezone: UTC\npermalink: pretty\n")
    assert url == "/x/2024/hello/"


def test_folder_categories_come_first(make_site) -> None:
    root = make_site(posts={"Food/_posts/2024-03-05-pie.md": POST.format(extra="category: Bake\n")})
    post, site = load(root, "Food/_posts/2024-03-05-pie.md")
    assert post_url(post, site) == "/food/bake/2024/03/05/pie.html"


def test_date_is_taken_in_the_site_time_zone(make_site) -> None:
    extra = "date: 2024-03-05 23:30:00 -05:00\n"
    assert url_of(make_site, "_posts/2024-03-05-late.md", extra) == "/2024/03/06/late.html"
    berlin = "timezone: Europe/Berlin\n"
    assert url_of(make_site, "_posts/2024-03-05-late.md", extra, berlin).startswith("/2024/03/06/")


def test_dateless_draft_has_no_url_unless_the_template_needs_no_date(make_site) -> None:
    assert url_of(make_site, "_drafts/idea.md") is None
    assert url_of(make_site, "_drafts/idea.md", "permalink: /ideas/:title/\n") == "/ideas/idea/"


def test_title_keeps_case_and_slug_lowercases(make_site) -> None:
    jekyll = "timezone: UTC\npermalink: /:title/:slug/\n"
    url = url_of(make_site, "_posts/2024-03-05-Hello_World.md", "", jekyll)
    assert url == "/Hello_World/hello-world/"


def test_non_ascii_slug_is_percent_encoded(make_site) -> None:
    url = url_of(make_site, "_posts/2024-03-05-café.md", "", "timezone: UTC\npermalink: /:title/\n")
    assert url == "/caf%C3%A9/"


def test_defaults_permalink_applies(make_site) -> None:
    jekyll = (
        "timezone: UTC\npermalink: date\ndefaults:\n  - scope: {path: '', type: posts}\n"
        "    values: {permalink: '/blog/:title/'}\n"
    )
    assert url_of(make_site, "_posts/2024-03-05-hi.md", "", jekyll) == "/blog/hi/"


def test_example_site_uses_its_configured_permalink(example_site: Path) -> None:
    rel = "_posts/2024-09-10-yaml-norway-problem.md"
    post, site = load(example_site, rel)
    assert post_url(post, site) == "/tech/2024/09/10/yaml-norway-problem/"


def test_hugo_section_and_slug(tmp_path: Path) -> None:
    root = tmp_path / "hugo"
    (root / "content" / "posts" / "Trip").mkdir(parents=True)
    (root / "hugo.toml").write_text("title = 'x'\n")
    (root / "content" / "posts" / "one.md").write_text("---\ntitle: One\n---\n")
    (root / "content" / "posts" / "two.md").write_text("---\nslug: deux\n---\n")
    (root / "content" / "posts" / "three.md").write_text("---\nurl: /custom/path/\n---\n")
    (root / "content" / "posts" / "Trip" / "index.md").write_text("---\ntitle: T\n---\n")
    site = open_site(root)
    loader = PostLoader(site)
    urls = {
        name: post_url(loader.load(root / "content" / "posts" / name), site)
        for name in ("one.md", "two.md", "three.md", "Trip/index.md")
    }
    assert urls == {
        "one.md": "/posts/one/",
        "two.md": "/posts/deux/",
        "three.md": "/custom/path/",
        "Trip/index.md": "/posts/trip/",  # Hugo lower-cases the path
    }


def test_helpers() -> None:
    assert template_for("pretty") == "/:categories/:year/:month/:day/:title/"
    assert template_for("/:title") == "/:title"
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("Hello, World!", pretty=True, cased=True) == "Hello,-World!"
    assert escape_path("a b?") == "a%20b%3F"
    assert escape_path("plain/path-1.html") == "plain/path-1.html"
    assert sanitize_url("a//b/../c/./d") == "/a/b/c/d"
