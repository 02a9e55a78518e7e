"""Jekyll's {% post_url NAME %} rule: the NAME's parts, the match on the post's path, and the
deprecated fallback on slug and day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from postctl.post.post_url_tag import PostUrlName, parse_post_url, resolve_post_url


def _post(rel_path: str, slug: str, day: str) -> Any:
    date = dt.datetime.fromisoformat(day).replace(tzinfo=dt.timezone.utc)
    return SimpleNamespace(rel_path=rel_path, slug=slug, date=date)


class Posts:
    def __init__(self, *posts: Any) -> None:
        self.posts = posts

    def named(self, stem: str) -> Iterator[Any]:
        return (p for p in self.posts if p.rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0] == stem)

    def with_slug(self, slug: str) -> Iterator[Any]:
        return (p for p in self.posts if p.slug == slug)


SITE = Posts(
    _post("_posts/2023-11-05-renaming.md", "renaming", "2023-11-05"),
    _post("_posts/2024-01-02-b.md", "b", "2024-01-02"),
    _post("news/_posts/2024-01-02-b.md", "b", "2024-01-02"),
    _post("_posts/sub/2024-01-03-c.markdown", "c", "2024-01-03"),
    _post("news/_posts/sub/2024-01-04-d.md", "d", "2024-01-04"),
    _post("_posts/2024-01-05-moved.md", "moved", "2024-02-01"),
)


@pytest.mark.parametrize(("name", "parsed"), [
    ("2024-01-02-x", PostUrlName("", "2024-01-02", "x")),
    (" /news/2024-01-02-x ", PostUrlName("news/", "2024-01-02", "x")),
    ("a/b/2024-1-2-x.y", PostUrlName("a/b/", "2024-1-2", "x.y")),
    ("renaming", None),
    ("//2024-01-02-x", None),  # Jekyll drops one leading slash only
])
def test_a_name_is_folders_date_and_slug(name: str, parsed: PostUrlName | None) -> None:
    assert parse_post_url(name) == parsed


@pytest.mark.parametrize(("name", "path", "exact"), [
    ("2023-11-05-renaming", "_posts/2023-11-05-renaming.md", True),
    (" /2023-11-05-renaming ", "_posts/2023-11-05-renaming.md", True),
    ("news/2024-01-02-b", "news/_posts/2024-01-02-b.md", True),  # news/_posts/
    ("2024-01-02-b", "_posts/2024-01-02-b.md", True),
    ("sub/2024-01-03-c", "_posts/sub/2024-01-03-c.markdown", True),  # _posts/sub/
    # Folders on both sides of _posts are not a path Jekyll matches: the fallback finds it.
    ("news/sub/2024-01-04-d", "news/_posts/sub/2024-01-04-d.md", False),
    ("2024-01-03-c", "_posts/sub/2024-01-03-c.markdown", False),  # without its folder
    ("other/2023-11-05-renaming", "_posts/2023-11-05-renaming.md", False),
    ("2024-1-3-c", "_posts/sub/2024-01-03-c.markdown", False),  # the same day, unpadded
    ("2024-02-01-moved", "_posts/2024-01-05-moved.md", False),  # the post's own date
])
def test_jekyll_matches_the_path_then_falls_back_to_slug_and_day(name: str, path: str,
                                                                  exact: bool) -> None:
    found = resolve_post_url(name, SITE)
    assert found is not None
    assert (found[0].rel_path, found[1]) == (path, exact)


@pytest.mark.parametrize("name", ["2023-11-05-missing", "2024-01-06-moved", "2024-02-30-b",
                                  "renaming"])
def test_names_of_no_post(name: str) -> None:
    assert resolve_post_url(name, SITE) is None
