"""The Python API (postctl.load, postctl.posts) against ``postctl list --format json``."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter
import pytest

import postctl
from postctl.api import SitePost
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
