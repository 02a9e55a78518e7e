"""The Python API (postctl.load, postctl.posts) against ``postctl list --format json``."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter
import pytest

import postctl
from postctl.api import SitePost, UnreadablePostWarning
from postctl.errors import PostNotFoundError, SourceError, UsageError
from tests.conftest import CORPORA, EXAMPLE_SITE, CliRunnerFn, SiteFactory

# --- comparing with list ------------------------------------------------------------------


def listed(cli: CliRunnerFn, root: Path, *args: str) -> list[dict[str, Any]]:
    """``postctl --root ROOT list --format json ARGS``'s items."""
    result = cli("--root", str(root), "list", "--format", "json", *args)
    assert result.exit_code == 0, result
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def item_facts(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in ("path", "title", "date", "tags", "categories", "draft")}


def post_facts(post: SitePost, root: Path) -> dict[str, Any]:
    date = post["date"]
    return {
        "path": post.path.relative_to(root.resolve()).as_posix(),
        "title": post.get("title"),
        "date": None if date is None else date.isoformat(),
        "tags": post["tags"],
        "categories": post["categories"],
        "draft": post.draft,
    }


def assert_same_as_list(
    cli: CliRunnerFn, root: Path, args: tuple[str, ...], **filters: Any
) -> list[SitePost]:
    found = list(postctl.posts(root, **filters))
    assert [post_facts(post, root) for post in found] == [
        item_facts(item) for item in listed(cli, root, *args)]
    return found


FRONT_MATTER = re.compile(r"\A(?:---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z))?",
                          re.DOTALL | re.MULTILINE)


def assert_body_is_the_rest_of_the_file(post: SitePost) -> None:
    raw = post.path.read_bytes()
    body = post.content.encode("utf-8")
    assert raw.endswith(body)
    head = raw[: len(raw) - len(body)].decode("utf-8").removeprefix("\ufeff")
    assert FRONT_MATTER.fullmatch(head), head


def assert_same_post(loaded: SitePost, listed_post: SitePost) -> None:
    assert loaded.path == listed_post.path
    assert loaded.metadata == listed_post.metadata
    assert loaded.content == listed_post.content
    assert loaded.draft == listed_post.draft
    assert type(loaded.handler) is type(listed_post.handler)


# --- the example site -----------------------------------------------------------------------


@pytest.mark.parametrize(("args", "filters"), [
    ((), {}),
    (("--all",), {"all_posts": True}),
    (("--drafts",), {"drafts": True}),
])
def test_posts_are_what_list_lists(
    cli: CliRunnerFn, example_site: Path, args: tuple[str, ...], filters: dict[str, Any]
) -> None:
    assert assert_same_as_list(cli, example_site, args, **filters)


EXAMPLE_FILTERS = [
    (("--tag", "python"), {"tag": "python"}),
    (("-t", "python", "-t", "cli"), {"tag": ["python", "cli"]}),
    (("-t", "python", "-t", "travel", "--any-tag"), {"tag": ("python", "travel"),
                                                      "any_tag": True}),
    (("--category", "travel"), {"category": "travel"}),
    (("--author", "ada okafor"), {"author": "ada okafor"}),
    (("--since", "2024", "--until", "2024-06"), {"since": "2024", "until": "2024-06"}),
    (("--since", "2024-03-02"), {"since": dt.date(2024, 3, 2)}),
    (("--until", "2024-03-02T12:00"), {"until": dt.datetime(2024, 3, 2, 12, 0)}),
    (("--where", "title~^[A-M]", "--where", "image?"), {"where": ["title~^[A-M]", "image?"]}),
    (("--where", "layout=post", "--drafts"), {"where": "layout=post", "drafts": True}),
    (("--no-future",), {"no_future": True}),
    (("--sort", "title", "-n", "5"), {"sort": "title", "limit": 5}),
    (("--no-cache", "--sort", "-path"), {"no_cache": True, "sort": "-path"}),
]


@pytest.mark.parametrize(("args", "filters"), EXAMPLE_FILTERS,
                         ids=[" ".join(args) for args, _ in EXAMPLE_FILTERS])
def test_filters_give_what_the_same_list_filters_give(
    cli: CliRunnerFn, example_site: Path, args: tuple[str, ...], filters: dict[str, Any]
) -> None:
    found = assert_same_as_list(cli, example_site, args, **filters)
    everything = listed(cli, example_site, "--all")
    assert 0 < len(found) < len(everything), "the filter should choose some posts"


def test_load_gives_the_posts_item_and_the_body_after_the_front_matter(
    example_site: Path,
) -> None:
    found = list(postctl.posts(example_site, all_posts=True))
    assert len(found) == 20
    for post in found:
        assert_same_post(postctl.load(post.path), post)
        assert_same_post(postctl.load(post.path, root=example_site), post)
        assert_body_is_the_rest_of_the_file(post)


def test_a_post_is_a_frontmatter_post(example_site: Path) -> None:
    post = postctl.load(example_site / "_posts" / "2025-02-08-two-days-in-lisbon.md")
    assert isinstance(post, frontmatter.Post)
    assert isinstance(post.handler, frontmatter.YAMLHandler)
    assert post["title"] == post.metadata["title"] == "Two Days in Lisbon's Steepest Streets"
    assert post.to_dict()["content"] == post.content
    assert "title:" in frontmatter.dumps(post)
    assert repr(post) == f"<SitePost {post.path}>"


def test_jekyll_defaults_are_merged_under_the_files_own_keys(example_site: Path) -> None:
    path = example_site / "_posts" / "2025-02-08-two-days-in-lisbon.md"
    assert "layout:" not in path.read_text(encoding="utf-8")
    assert postctl.load(path)["layout"] == "post"  # from _config.yml defaults:
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\nlayout: page\n", 1),
                    encoding="utf-8")
    assert postctl.load(path)["layout"] == "page"


def test_load_takes_a_path_relative_to_the_working_folder(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_site / "_posts")
    post = postctl.load("2024-01-21-compost-in-winter.md")
    assert post.path == example_site.resolve() / "_posts" / "2024-01-21-compost-in-winter.md"
    assert post["date"].tzinfo is not None


def test_load_finds_the_files_own_site_whatever_postctl_root_says(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokyo = make_site(posts={"_posts/2024-03-05-a.md": "---\ntitle: A\n---\n"},
                      jekyll="timezone: Asia/Tokyo\n", name="tokyo")
    other = make_site(jekyll="timezone: UTC\n", name="other")
    monkeypatch.setenv("POSTCTL_ROOT", str(other))
    post = postctl.load(tokyo / "_posts" / "2024-03-05-a.md")
    assert post["date"] == dt.datetime(2024, 3, 5, tzinfo=ZoneInfo("Asia/Tokyo"))


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


# --- the README -----------------------------------------------------------------------------


def test_the_readme_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (EXAMPLE_SITE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.partition("<!-- section:api -->")[2].partition("<!-- /section:api -->")[0]
    code = section.partition("```python\n")[2].partition("```")[0]
    assert "postctl.posts(" in code and "postctl.load(" in code
    shutil.copytree(EXAMPLE_SITE, tmp_path / "examples" / "blog")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == ("2025-11-02 Weeknotes: Moving the Blog, Again "
                          "['jekyll', 'markdown', 'python'] "
                          "2025-11-02-weeknotes-moving-the-blog-again.md")
    assert len(printed) == 4 and printed[-1].endswith(" words")


# --- the shared corpora -------------------------------------------------------------------------


def corpus_names() -> list[Any]:
    if not CORPORA.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CORPORA} is absent"))]
    return [path.name for path in sorted(CORPORA.iterdir())
            if path.is_dir() and path.name != "LICENSES"]


@pytest.fixture(params=corpus_names())
def corpus(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    target = tmp_path / str(request.param)
    shutil.copytree(CORPORA / str(request.param), target, symlinks=True)
    return target


def corpus_filters(items: list[dict[str, Any]]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Filters that choose part of the corpus: its commonest tags, category and author, the
    middle of its dates, a title pattern."""
    def commonest(key: str) -> list[str]:
        """The two names most posts have, but not all."""
        counts = Counter(name for item in items for name in item[key])
        return [name for name, count in counts.most_common() if count < len(items)][:2]

    chosen: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    tags = commonest("tags")
    if len(tags) == 2:
        chosen.append((("-t", tags[0]), {"tag": tags[0]}))
        chosen.append((("-t", tags[0], "-t", tags[1], "--any-tag"),
                       {"tag": tags, "any_tag": True}))
    for category in commonest("categories")[:1]:
        chosen.append((("-c", category), {"category": category}))
    authors = Counter(item["author"] for item in items if item["author"])
    for author, _count in authors.most_common(1):
        chosen.append((("--author", author), {"author": author}))
    days = sorted(item["date"][:10] for item in items if item["date"])
    middle = days[len(days) // 2]
    chosen.append((("--since", middle), {"since": middle}))
    chosen.append((("--until", middle, "--where", "title~^[A-M]"),
                   {"until": dt.date.fromisoformat(middle), "where": "title~^[A-M]"}))
    return chosen


@pytest.mark.slow
def test_corpus_posts_are_what_list_lists(cli: CliRunnerFn, corpus: Path) -> None:
    found = assert_same_as_list(cli, corpus, ("--all",), all_posts=True)
    assert len(found) > 50
    for post in found:
        assert_same_post(postctl.load(post.path, root=corpus), post)
        assert_body_is_the_rest_of_the_file(post)
    assert_same_as_list(cli, corpus, ())
    assert_same_as_list(cli, corpus, ("--drafts",), drafts=True)
    filters = corpus_filters(listed(cli, corpus, "--all"))
    assert len(filters) >= 4
    for args, chosen in filters:
        subset = assert_same_as_list(cli, corpus, args, **chosen)
        assert 0 < len(subset) < len(found), args
