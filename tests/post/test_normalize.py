"""One reading of tags, categories, authors, title and booleans (postctl.post.normalize)."""

from __future__ import annotations

import pytest

from postctl.post import normalize


@pytest.mark.parametrize("value, expected", [
    (None, []),
    ("foo bar", ["foo", "bar"]),
    ("  foo\tbar\n", ["foo", "bar"]),
    (["a b", "c"], ["a b", "c"]),
    (("x", None, "", 3), ["x", "3"]),
    (2024, ["2024"]),
    (3.0, ["3.0"]),
])
def test_to_str_list(value: object, expected: list[str]) -> None:
    assert normalize.to_str_list(value) == expected


def test_to_str_list_without_splitting() -> None:
    assert normalize.to_str_list("foo bar", split=False) == ["foo bar"]


def test_singular_key_wins_and_is_not_split() -> None:
    # Jekyll's Utils.pluralized_array_from_hash
    values = {"tag": "machine learning", "tags": ["ignored"]}
    assert normalize.pluralized(values, "tag", "tags") == ["machine learning"]
    assert normalize.tags({"tags": "machine learning"}) == ["machine", "learning"]


def test_flow_list_and_space_separated_string_mean_the_same() -> None:
    assert normalize.tags({"tags": "foo bar"}) == normalize.tags({"tags": ["foo", "bar"]})


def test_duplicates_removed_in_order() -> None:
    assert normalize.tags({"tags": ["b", "a", "b"]}) == ["b", "a"]
    assert normalize.categories({"categories": "news news release"}) == ["news", "release"]


def test_category_singular() -> None:
    assert normalize.categories({"category": "release notes"}) == ["release notes"]
    assert normalize.categories({"categories": ["community"]}) == ["community"]
    assert normalize.categories({}) == []


def test_authors_are_never_split() -> None:
    assert normalize.authors({"author": "Ada Lovelace"}) == ["Ada Lovelace"]
    assert normalize.authors({"authors": ["ann", "bob"]}) == ["ann", "bob"]
    assert normalize.authors({"authors": "Ann Smith"}) == ["Ann Smith"]
    assert normalize.authors({"author": "x", "authors": ["y"]}) == ["x"]
    assert normalize.authors({}) == []


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("yes", True), ("No", False), (" on ", True), ("off", False),
    ("true", True), ("FALSE", False), ("maybe", None), (1, None), (None, None),
])
def test_to_bool(value: object, expected: bool | None) -> None:
    assert normalize.to_bool(value) is expected


def test_title() -> None:
    assert normalize.title({"title": 1.10}) == "1.1"
    assert normalize.title({"title": "x"}) == "x"
    assert normalize.title({}) is None


def test_table_names_each_normaliser() -> None:
    values = {"title": "T", "tags": "a b", "categories": ["c"], "author": "A"}
    results = {key: fn(values) for key, fn in normalize.NORMALIZERS.items()}
    assert results == {"title": "T", "tags": ["a", "b"], "categories": ["c"], "authors": ["A"]}
