"""POST arguments: a path, a slug or file name, or words; one post, several, or none."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.errors import AmbiguousPostError, PostNotFoundError, SourceError
from postctl.site.model import open_site
from postctl.site.resolve import find_posts, resolve_path, resolve_post


def post(title: str, date: str = "2024-01-02", extra: str = "", body: str = "Body.\n") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}"


@pytest.fixture
def site(make_site):
    root = make_site(posts={
        "_posts/2024-01-02-bread-basics.md": post("Bread Basics", "2024-01-02"),
        "_posts/2024-03-04-more-bread.md": post("More Bread for Winter", "2024-03-04",
                                                body="Rye and wheat.\n"),
        "_posts/2023-05-06-garden.md": post("Garden Notes", "2023-05-06", "slug: my-garden\n",
                                            body="Sourdough crumbs for the birds.\n"),
        "_posts/2022-01-01-Café.md": post("Café Life", "2022-01-01"),
        "_drafts/seed-swap.md": post("Seed Swap", "2024-06-01"),
        "_posts/2021-01-01-broken.md": "---\ntitle: [unclosed\n---\nBread bread.\n",
    })
    return open_site(root)


def names(match) -> list[str]:
    return [p.rel_path for p in match.posts]


def test_path_relative_to_cwd_and_to_root(site, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(site.root / "_posts")
    assert names(find_posts(site, "2024-01-02-bread-basics.md")) == [
        "_posts/2024-01-02-bread-basics.md"
    ]
    monkeypatch.chdir(tmp_path)
    match = find_posts(site, "_posts/2024-03-04-more-bread.md")
    assert (match.rule, names(match)) == ("path", ["_posts/2024-03-04-more-bread.md"])


def test_missing_path_is_not_found(site) -> None:
    with pytest.raises(PostNotFoundError, match=r"no such post file: _posts/nope\.md"):
        resolve_post(site, "_posts/nope.md")


def test_resolve_path_is_none_for_a_slug(site) -> None:
    assert resolve_path(site, "bread-basics") is None


def test_named_unparseable_post_is_reported(site) -> None:
    with pytest.raises(SourceError):
        resolve_post(site, "_posts/2021-01-01-broken.md")
    with pytest.raises(SourceError):
        resolve_post(site, "broken")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("bread-basics", "_posts/2024-01-02-bread-basics.md"),
        ("2024-01-02-bread-basics", "_posts/2024-01-02-bread-basics.md"),
        ("BREAD-BASICS", "_posts/2024-01-02-bread-basics.md"),
        ("my-garden", "_posts/2023-05-06-garden.md"),  # front-matter slug
        ("seed-swap", "_drafts/seed-swap.md"),  # drafts are included
        ("café", "_posts/2022-01-01-Café.md"),
    ],
)
def test_slugs_and_file_names(site, reference: str, expected: str) -> None:
    assert resolve_post(site, reference).rel_path == expected


def test_exact_title_wins_over_title_words(site) -> None:
    match = find_posts(site, "bread basics")
    assert (match.rule, names(match)) == ("title", ["_posts/2024-01-02-bread-basics.md"])


def test_title_words_ignore_case_and_accents(site) -> None:
    assert resolve_post(site, "cafe").rel_path == "_posts/2022-01-01-Café.md"
    assert resolve_post(site, "WINTER").rel_path == "_posts/2024-03-04-more-bread.md"


def test_several_title_matches_are_ranked_then_ambiguous(site) -> None:
    match = find_posts(site, "bread")
    # "Bread Basics" covers more of its title than "More Bread for Winter".
    assert (match.rule, names(match)) == ("title words", [
        "_posts/2024-01-02-bread-basics.md", "_posts/2024-03-04-more-bread.md"
    ])
    with pytest.raises(AmbiguousPostError) as caught:
        resolve_post(site, "bread")
    assert caught.value.candidates == names(match)


def test_words_in_the_body_when_no_title_has_them(site) -> None:
    match = find_posts(site, "sourdough birds")
    assert (match.rule, names(match)) == ("words", ["_posts/2023-05-06-garden.md"])


def test_unparseable_posts_are_skipped_while_searching(site) -> None:
    # the broken post's body says "Bread bread." but it is never a candidate
    assert "_posts/2021-01-01-broken.md" not in names(find_posts(site, "bread"))


@pytest.mark.parametrize("reference", ["nothing-like-this", "zebra crossing", "   "])
def test_no_match_is_not_found(site, reference: str) -> None:
    with pytest.raises(PostNotFoundError):
        resolve_post(site, reference)


def test_example_site(example_site: Path) -> None:
    site = open_site(example_site)
    assert resolve_post(site, "norway").rel_path == "_posts/2024-09-10-yaml-norway-problem.md"
    assert len(find_posts(site, "python").posts) == 2


def test_words_are_ranked_by_the_search_given(site) -> None:
    asked: list[str] = []

    def search(words: str) -> list[str]:
        asked.append(words)
        return ["_posts/2024-01-02-bread-basics.md", "_posts/gone.md",
                "_posts/2023-05-06-garden.md"]

    match = find_posts(site, "crumbs", search=search)
    assert asked == ["crumbs"]
    assert (match.rule, names(match)) == ("words", [
        "_posts/2024-01-02-bread-basics.md", "_posts/2023-05-06-garden.md"])


def test_title_matches_come_before_the_search(site) -> None:
    match = find_posts(site, "winter", search=lambda words: ["_posts/2023-05-06-garden.md"])
    assert names(match) == ["_posts/2024-03-04-more-bread.md"]


def test_search_that_cannot_run_falls_back_to_a_scan(site) -> None:
    match = find_posts(site, "sourdough birds", search=lambda words: None)
    assert names(match) == ["_posts/2023-05-06-garden.md"]
