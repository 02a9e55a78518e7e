"""The Python API's posts: what their metadata and body hold, its errors, its import."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter
import pytest

import postctl
from postctl.api import UnreadablePostWarning
from postctl.errors import PostNotFoundError, SourceError, UsageError
from tests.conftest import EXAMPLE_SITE, CliRunnerFn, SiteFactory
from tests.test_api import assert_body_is_the_rest_of_the_file

# --- what the metadata holds ------------------------------------------------------------------


def test_dates_are_timezone_aware_in_the_sites_time_zone(make_site: SiteFactory) -> None:
    root = make_site(jekyll="timezone: America/New_York\n", posts={
        "_posts/2024-03-05-naive.md": "---\ndate: 2024-03-05 10:00:00\n---\n",
        "_posts/2024-03-06-offset.md": "---\ndate: 2024-03-06 10:00:00 +0200\n---\n",
        "_posts/2024-03-07-from-the-name.md": "---\ntitle: From the name\n---\n",
        "_posts/2024-03-08-a-day.md": "---\ndate: 2024-03-08\n---\n",
    })
    new_york = ZoneInfo("America/New_York")
    dates = {post.path.name: post["date"] for post in postctl.posts(root)}
    assert dates == {
        "2024-03-05-naive.md": dt.datetime(2024, 3, 5, 10, tzinfo=new_york),
        "2024-03-06-offset.md": dt.datetime(2024, 3, 6, 8, tzinfo=dt.timezone.utc),
        "2024-03-07-from-the-name.md": dt.datetime(2024, 3, 7, tzinfo=new_york),
        "2024-03-08-a-day.md": dt.datetime(2024, 3, 8, tzinfo=new_york),
    }
    assert dates["2024-03-05-naive.md"].utcoffset() == dt.timedelta(hours=-5)
    assert all(date.tzinfo is not None for date in dates.values())


def test_tags_and_categories_are_lists_however_written(make_site: SiteFactory) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-words.md": "---\ntags: cooking bread\ncategory: Food Notes\n---\n",
        "news/_posts/2024-01-02-nested.md": "---\ncategories: [a, b]\ntags: [x]\n---\n",
        "_posts/2024-01-03-none.md": "---\ntitle: 2024\n---\n",
    })
    got = {post.path.name: post for post in postctl.posts(root)}
    words, nested, bare = (got[name] for name in (
        "2024-01-01-words.md", "2024-01-02-nested.md", "2024-01-03-none.md"))
    assert words["tags"] == ["cooking", "bread"]
    assert words["categories"] == ["Food Notes"]
    assert words["category"] == "Food Notes"  # the key as written stays, as Jekyll keeps it
    assert nested["categories"] == ["news", "a", "b"]  # folder categories first
    assert bare["tags"] == bare["categories"] == []
    assert bare["title"] == "2024"


def test_a_post_without_a_date_has_date_none(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/undated.md": "---\ntitle: Undated\n---\nbody\n"})
    post = postctl.load(root / "_posts" / "undated.md")
    assert post["date"] is None
    assert "title" in post and post["title"] == "Undated"


def test_keys_named_like_frontmatter_posts_parameters_stay_metadata(
    make_site: SiteFactory,
) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ncontent: summary\nhandler: me\n---\nThe body.\n"})
    post = postctl.load(root / "_posts" / "2024-01-01-a.md")
    assert post["content"] == "summary" and post["handler"] == "me"
    assert post.content == "The body.\n"


def test_the_body_is_kept_exactly(make_site: SiteFactory) -> None:
    raw = "\ufeff---\r\ntitle: CRLF\r\n---\r\n\r\n  Body line\r\nend  \r\n\r\n".encode()
    bare = b"No front matter here.\n---\nA thematic break.\n"
    root = make_site(posts={"_posts/2024-01-01-crlf.md": raw, "_posts/2024-01-02-bare.md": bare})
    crlf = postctl.load(root / "_posts" / "2024-01-01-crlf.md")
    assert crlf.content == "\r\n  Body line\r\nend  \r\n\r\n"
    assert_body_is_the_rest_of_the_file(crlf)
    plain = postctl.load(root / "_posts" / "2024-01-02-bare.md")
    assert plain.content.encode() == bare
    assert plain.handler is None
    assert plain["date"] == dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc)


def test_drafts_as_list_counts_them(make_site: SiteFactory) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-published.md": "---\npublished: false\n---\n",
        "_posts/2024-01-02-quoted.md": "---\npublished: 'false'\n---\n",
        "_drafts/idea.md": "---\ntitle: Idea\n---\n",
    })
    drafts = {post.path.name: post.draft for post in postctl.posts(root, all_posts=True)}
    assert drafts == {"2024-01-01-published.md": True, "2024-01-02-quoted.md": False,
                      "idea.md": True}


def test_a_hugo_site(tmp_path: Path) -> None:
    root = tmp_path / "hugo"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "hugo.toml").write_text('timeZone = "Asia/Tokyo"\n', encoding="utf-8")
    (root / "content" / "posts" / "toml.md").write_text(
        '+++\ntitle = "TOML"\ndate = 2024-03-05T10:00:00\ntags = ["a", "b"]\ndraft = true\n'
        '+++\nBody.\n', encoding="utf-8")
    (root / "content" / "posts" / "json.md").write_text(
        '{\n  "title": "JSON",\n  "date": "2024-03-06",\n  "categories": "one"\n}\nBody.\n',
        encoding="utf-8")
    toml = postctl.load(root / "content" / "posts" / "toml.md")
    assert toml["date"] == dt.datetime(2024, 3, 5, 10, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert toml["tags"] == ["a", "b"] and toml.draft and toml.content == "Body.\n"
    posts_json = postctl.load(root / "content" / "posts" / "json.md")
    assert posts_json["categories"] == ["one"] and not posts_json.draft
    assert isinstance(posts_json.handler, frontmatter.JSONHandler)
    assert [post["title"] for post in postctl.posts(root, all_posts=True)] == ["JSON", "TOML"]


# --- errors ----------------------------------------------------------------------------------


def test_a_missing_file_is_post_not_found(tmp_path: Path) -> None:
    with pytest.raises(PostNotFoundError) as raised:
        postctl.load(tmp_path / "nowhere.md")
    assert "nowhere.md" in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("notes.txt", b"---\ntitle: A\n---\n", "not a post"),
    ("binary.md", b"---\ntitle: \x00\n---\n", "binary"),
    ("latin1.md", b"---\ntitle: caf\xe9\n---\n", "UTF-8"),
    ("broken.md", b"---\ntitle: [unclosed\n---\n", ""),
    ("folder.md", None, "not a regular file"),
])
def test_a_file_that_is_not_a_post_is_a_source_error(
    make_site: SiteFactory, name: str, content: bytes | None, reason: str
) -> None:
    root = make_site()
    path = root / "_posts" / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with pytest.raises(SourceError) as raised:
        postctl.load(path)
    message = str(raised.value)
    assert name in message and reason in message and "\n" not in message


def test_a_link_is_not_followed(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": "---\ntitle: A\n---\n"})
    (root / "_posts" / "2024-01-02-link.md").symlink_to(root / "_posts" / "2024-01-01-a.md")
    with pytest.raises(SourceError, match=r"2024-01-02-link\.md: .*symbolic link"):
        postctl.load(root / "_posts" / "2024-01-02-link.md")


BAD_FILTERS = [
    (("--since", "nonsense"), {"since": "nonsense"}),
    (("--until", "2024-13"), {"until": "2024-13"}),
    (("--where", "a~("), {"where": "a~("}),
    (("--where", "=x"), {"where": ["=x"]}),
    (("--drafts", "--all"), {"drafts": True, "all_posts": True}),
    (("--sort", "-"), {"sort": "-"}),
]


@pytest.mark.parametrize(("args", "filters"), BAD_FILTERS,
                         ids=[" ".join(args) for args, _ in BAD_FILTERS])
def test_bad_filters_raise_what_list_reports(
    cli: CliRunnerFn, example_site: Path, args: tuple[str, ...], filters: dict[str, Any]
) -> None:
    with pytest.raises(UsageError) as raised:
        postctl.posts(example_site, **filters)  # raised at the call, before iterating
    result = cli("--root", str(example_site), "list", *args)
    assert result.exit_code == 2
    assert str(raised.value) in result.stderr


def test_a_bad_root_or_limit_is_a_usage_error(example_site: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="missing"):
        postctl.posts(tmp_path / "missing")
    with pytest.raises(UsageError, match="limit 0"):
        postctl.posts(example_site, limit=0)


def test_an_unreadable_post_is_skipped_with_a_warning_or_raised_when_strict(
    make_site: SiteFactory,
) -> None:
    root = make_site(posts={"_posts/2024-01-01-good.md": "---\ntitle: Good\n---\n",
                            "_posts/2024-01-02-bad.md": "---\ntitle: [bad\n---\n"})
    for no_cache in (False, True):
        with pytest.warns(UnreadablePostWarning) as record:
            found = list(postctl.posts(root, no_cache=no_cache))
        assert [post["title"] for post in found] == ["Good"]
        assert [str(warning.message) for warning in record] == [
            str(SourceError(root / "_posts" / "2024-01-02-bad.md",
                            "invalid YAML: did not find expected ',' or ']'", 3, 1))]
        with pytest.raises(SourceError, match=r"2024-01-02-bad\.md:3:1: invalid YAML"):
            list(postctl.posts(root, no_cache=no_cache, strict=True))


# --- importing ---------------------------------------------------------------------------------


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, cwd=EXAMPLE_SITE.parents[1])
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_import_postctl_leaves_the_api_unloaded_until_asked_for() -> None:
    assert not {"postctl.api", "frontmatter"} & loaded_after("import postctl")
    loaded = loaded_after("import postctl\npostctl.posts")
    assert {"postctl.api", "frontmatter"} <= loaded
    assert not {"typer", "rich", "click", "postctl.cli", "postctl.render"} & loaded


def test_the_api_names_are_the_modules_functions() -> None:
    from postctl import api

    assert postctl.load is api.load and postctl.posts is api.posts
    assert {"load", "posts"} <= set(dir(postctl)) and {"load", "posts"} <= set(postctl.__all__)
    with pytest.raises(AttributeError, match="no_such_name"):
        postctl.no_such_name  # noqa: B018
