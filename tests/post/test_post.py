"""The post model: facts every command reads (postctl.post.model)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from postctl.errors import SourceError
from postctl.post.model import Post, PostContext, parse_post
from tests.conftest import DATA

POSTS = DATA / "posts"
ROOT = Path("/site")
BERLIN = ZoneInfo("Europe/Berlin")
JEKYLL = PostContext(root=ROOT, tz=BERLIN)
HUGO = PostContext(root=ROOT, tz=BERLIN, flavour="hugo")

# Every fixture: the error code it must raise, or None when it is a post.
OUTCOMES = {
    "2019-12-3-unpadded-filename-date.md": None,
    "2020-05-17-filename-date.markdown": None,
    "anchor-alias.md": "E007",
    "binary-nul-byte.md": "E003",
    "binary-tag.md": "E006",
    "block-scalar-excerpt.md": None,
    "body-thematic-break.md": None,
    "comment-only-front-matter.md": None,
    "control-character.md": "E004",
    "date-invalid.md": None,
    "date-naive-time.md": None,
    "date-named-zone.md": None,
    "date-offset-without-colon.md": None,
    "date-only.md": None,
    "date-prose.md": None,
    "date-quoted-iso.md": None,
    "date-unpadded-day.md": None,
    "deep-compact-nesting.md": "E007",
    "delimiter-trailing-whitespace.md": None,
    "dots-closing-delimiter.md": None,
    "draft-key-true.md": None,
    "duplicate-keys.md": None,
    "empty-file.md": None,
    "empty-front-matter.md": None,
    "four-dashes-not-front-matter.md": None,
    "invalid-json.md": "E004",
    "invalid-toml.md": "E004",
    "invalid-yaml-bad-indent.md": "E004",
    "invalid-yaml.md": "E004",
    "json-front-matter-no-body.md": None,
    "json-front-matter.md": None,
    "leading-blank-line-not-front-matter.md": None,
    "line-separator-in-value.md": None,
    "liquid-first-line-no-front-matter.md": None,
    "list-front-matter.md": "E005",
    "no-front-matter.md": None,
    "not-utf8-latin1.md": "E003",
    "only-front-matter-crlf-no-final-newline.md": None,
    "only-front-matter-no-final-newline.md": None,
    "only-front-matter.md": None,
    "only-opening-delimiter.md": "E002",
    "plain-equals-value.md": None,
    "published-false.md": None,
    "published-quoted-false.md": None,
    "python-object-tag.md": "E006",
    "scalar-front-matter.md": "E005",
    "tabs-after-list-item.md": None,
    "toml-front-matter.md": None,
    "unclosed-toml.md": "E002",
    "unclosed-yaml.md": "E002",
    "yaml-basic.md": None,
    "yaml-bom-crlf.md": None,
    "yaml-bom.md": None,
    "yaml-crlf.md": None,
}


def load(name: str, context: PostContext = JEKYLL, folder: str = "_posts") -> Post:
    path = ROOT / folder / name
    return parse_post((POSTS / name).read_bytes(), path, context)


def post_from(text: str | bytes, name: str = "2024-01-02-a.md",
              context: PostContext = JEKYLL) -> Post:
    raw = text.encode() if isinstance(text, str) else text
    return parse_post(raw, ROOT / "_posts" / name, context)


def test_outcome_table_covers_every_fixture() -> None:
    assert set(OUTCOMES) == {path.name for path in POSTS.iterdir()}


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_fixture_outcome(name: str) -> None:
    code = OUTCOMES[name]
    if code is None:
        post = load(name)
        assert post.rel_path == f"_posts/{name}"
        return
    with pytest.raises(SourceError) as caught:
        load(name)
    error = caught.value
    assert error.code == code
    assert error.path == ROOT / "_posts" / name
    assert error.line is not None and error.col is not None
    assert str(error).startswith(f"{ROOT / '_posts' / name}:{error.line}:{error.col}: ")
    assert "\n" not in str(error)


def test_basic_facts() -> None:
    post = load("yaml-basic.md")
    assert post.title == "A walk by the river"
    assert post.tags == ("walks", "rivers")
    assert post.date == dt.datetime(2021, 4, 3, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert post.date_origin == "front matter" and post.date_error is None
    assert post.slug == "yaml-basic"
    assert post.body == "First paragraph.\n"
    assert post.get("title") == post.values["title"] == post.title
    assert post.get("missing", 7) == 7


def test_bom_and_crlf_post() -> None:
    post = load("yaml-bom-crlf.md")
    assert (post.title, post.authors, post.author) == ("Both", ("Ann",), "Ann")
    assert post.source.bom and post.source.newline == "\r\n"


@pytest.mark.parametrize("name, expected", [
    ("date-offset-without-colon.md",
     dt.datetime(2013, 5, 6, 2, 12, 52, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
    ("date-quoted-iso.md",
     dt.datetime(2014, 3, 19, 10, 14, 29, tzinfo=dt.timezone(dt.timedelta(hours=-4)))),
    ("date-named-zone.md",
     dt.datetime(2016, 3, 21, 12, tzinfo=dt.timezone(dt.timedelta(hours=-4)))),
    ("date-unpadded-day.md", dt.datetime(2017, 11, 8, tzinfo=BERLIN)),
    ("date-only.md", dt.datetime(2016, 9, 27, tzinfo=BERLIN)),
    ("date-prose.md", dt.datetime(2021, 7, 27, tzinfo=BERLIN)),
    ("date-naive-time.md", dt.datetime(2020, 1, 15, 8, 30, tzinfo=BERLIN)),
])
def test_front_matter_dates(name: str, expected: dt.datetime) -> None:
    post = load(name)
    assert post.date == expected
    assert post.date is not None and post.date.utcoffset() == expected.utcoffset()
    assert post.date_origin == "front matter"


def test_naive_date_takes_the_site_zone() -> None:
    post = load("date-naive-time.md", PostContext(root=ROOT, tz=ZoneInfo("America/Chicago")))
    assert post.date is not None and post.date.utcoffset() == dt.timedelta(hours=-6)


@pytest.mark.parametrize("name, day", [
    ("2019-12-3-unpadded-filename-date.md", dt.date(2019, 12, 3)),
    ("2020-05-17-filename-date.markdown", dt.date(2020, 5, 17)),
])
def test_date_from_file_name(name: str, day: dt.date) -> None:
    post = load(name)
    assert post.date == dt.datetime(day.year, day.month, day.day, tzinfo=BERLIN)
    assert post.date_origin == "filename"
    assert post.date_error is None
    assert post.slug == name.split("-", 3)[3].rsplit(".", 1)[0]


def test_invalid_front_matter_date_falls_back_to_file_name_and_says_why() -> None:
    post = parse_post((POSTS / "date-invalid.md").read_bytes(),
                      ROOT / "_posts" / "2020-02-28-x.md", JEKYLL)
    assert post.date == dt.datetime(2020, 2, 28, tzinfo=BERLIN)
    assert post.date_origin == "filename"
    assert post.date_error is not None and "2020-02-30" in post.date_error


def test_invalid_date_without_file_name_date() -> None:
    post = load("date-invalid.md")
    assert post.date is None and post.date_origin is None
    assert post.date_error is not None


def test_no_date_anywhere() -> None:
    post = load("no-front-matter.md")
    assert (post.date, post.date_origin, post.date_error) == (None, None, None)


# --- drafts -----------------------------------------------------------------------------


def test_jekyll_drafts() -> None:
    assert load("published-false.md").draft
    assert not load("yaml-basic.md").draft
    in_drafts = PostContext(root=ROOT, tz=BERLIN, is_draft_file=True)
    assert load("yaml-basic.md", in_drafts, folder="_drafts").draft


def test_jekyll_ignores_a_draft_key() -> None:
    assert not load("draft-key-true.md").draft


def test_jekyll_publishes_a_quoted_false() -> None:
    # Jekyll unpublishes only `published == false`; the string "false" is truthy in Ruby.
    assert not load("published-quoted-false.md").draft


def test_hugo_drafts() -> None:
    assert load("draft-key-true.md", HUGO, folder="content").draft
    assert load("toml-front-matter.md", HUGO, folder="content").draft
    assert not load("json-front-matter.md", HUGO, folder="content").draft
    assert not load("published-false.md", HUGO, folder="content").draft


# --- context: defaults and folder categories -------------------------------------------


def test_defaults_fill_in_under_the_posts_own_values() -> None:
    context = PostContext(root=ROOT, tz=BERLIN, defaults={"author": "Site Owner",
                                                          "tags": ["site"], "title": "No"})
    post = post_from("---\ntitle: Own\n---\n", context=context)
    assert post.title == "Own"
    assert post.authors == ("Site Owner",)
    assert post.tags == ("site",)
    assert post.metadata.values == {"title": "Own"}  # only what the file says


def test_defaults_can_unpublish() -> None:
    context = PostContext(root=ROOT, tz=BERLIN, defaults={"published": False})
    assert post_from("---\ntitle: x\n---\n", context=context).draft


def test_folder_categories_come_first() -> None:
    context = PostContext(root=ROOT, tz=BERLIN, path_categories=("news",))
    post = post_from("---\ncategories: [release, news]\n---\n", context=context)
    assert post.categories == ("news", "release")


def test_slug_from_front_matter_and_bundles() -> None:
    assert post_from("---\nslug: chosen\n---\n").slug == "chosen"
    bundle = parse_post(b"---\ntitle: b\n---\n", ROOT / "content" / "trip" / "index.md", HUGO)
    assert bundle.slug == "trip"
    assert post_from("---\n---\n", name="no-date.md").slug == "no-date"


def test_rel_path_is_posix_relative_to_root() -> None:
    post = parse_post(b"", ROOT / "news" / "_posts" / "2020-01-01-x.md", JEKYLL)
    assert post.rel_path == "news/_posts/2020-01-01-x.md"


# --- limits -----------------------------------------------------------------------------


def test_front_matter_limit_counts_bytes() -> None:
    text = "---\ntitle: " + "é" * 60 + "\n---\n"  # 68 characters, 128 bytes
    with pytest.raises(SourceError) as caught:
        parse_post(text.encode(), ROOT / "x.md", JEKYLL, max_front_matter_bytes=100)
    assert caught.value.code == "E008"
    assert str(caught.value) == (f"{ROOT / 'x.md'}:1:1: "
                                 "front matter is larger than the 100 byte limit")
    assert parse_post(text.encode(), ROOT / "x.md", JEKYLL, max_front_matter_bytes=200).title

