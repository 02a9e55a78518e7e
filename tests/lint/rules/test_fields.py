from __future__ import annotations

import pytest

from tests.lint.rules.conftest import GOOD, LintFn, rules_of

POST = "_posts/2024-01-02-a.md"
SCHEMA = """
[schema]
strict = {strict}
[schema.fields.title]
type = "string"
required = true
max_length = 20
min_length = 3
[schema.fields.author]
type = "string"
allowed = ["Ada", "Mara"]
[schema.fields.tags]
type = "list"
pattern = "^[a-z-]+$"
[schema.fields.rating]
type = "integer"
[schema.fields.score]
type = "number"
[schema.fields.featured]
type = "boolean"
severity = "error"
[schema.fields.updated]
type = "datetime"
[schema.fields.canonical]
type = "url"
"""


def schema(strict: bool = False) -> str:
    return SCHEMA.replace("{strict}", "true" if strict else "false")


def post(*lines: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\nBody.\n"


def test_default_schema_title_expected_as_warning(lint: LintFn) -> None:
    found = lint({POST: post("layout: post")}, select=["F"])
    assert [(d.rule, d.severity) for d in found] == [("F001", "warning")]
    assert "title" in found[0].message


def test_default_schema_date_from_filename_is_enough(lint: LintFn) -> None:
    assert lint({POST: post("title: Dated by name")}, select=["F"]) == []


def test_jekyll_defaults_count_as_present(lint: LintFn) -> None:
    jekyll = ("timezone: UTC\ndefaults:\n  - scope: {path: ''}\n    values:\n"
              "      title: From defaults\n")
    assert lint({POST: post("layout: post")}, select=["F"], jekyll=jekyll) == []


def test_good_post_passes_default_schema(lint: LintFn) -> None:
    assert lint({POST: GOOD}, select=["F"]) == []


@pytest.mark.parametrize(("line", "expected"), [
    ("title: no", "title is the boolean false, not a string"),
    ("title: 2024", "title is the integer 2024, not a string"),
    ("rating: many", "rating is the string 'many', not an integer"),
    ("rating: true", "rating is the boolean true, not an integer"),
    ("score: x", "score is the string 'x', not a number"),
    ("featured: 'yes'", "featured is the string 'yes', not true or false"),
    ("updated: soon", "updated is the string 'soon', not a date"),
    ("canonical: not a url", "canonical is the string 'not a url', not a URL"),
    ("tags: [ok, 3]", "tags is a list, not a list of strings (item 2 is the integer 3"),
])
def test_wrong_types_are_named(lint: LintFn, line: str, expected: str) -> None:
    text = post("title: Fine title", line) if not line.startswith("title") else post(line)
    found = lint({POST: text}, select=["F002"], config=schema())
    assert len(found) == 1 and found[0].message.startswith(expected), found


@pytest.mark.parametrize("line", [
    "updated: 2024-03-02 09:15:00 +0100",  # a string to PyYAML, a date to Jekyll
    "updated: 2024-03-02",
    "updated: 2024-03-02T09:15:00Z",
    "updated: 2016-03-21 12:00 EDT",
    "rating: 3", "score: 2.5", "score: 2", "featured: true",
    "canonical: https://example.org/x", "canonical: /about/",
    "tags: one-word", "tags: [a, b-c]",
])
def test_right_types_pass(lint: LintFn, line: str) -> None:
    assert lint({POST: post("title: Fine title", "author: Ada", line)}, select=["F"],
                config=schema()) == []


def test_schema_severity_makes_an_error(lint: LintFn) -> None:
    found = lint({POST: post("title: Fine title", "featured: 1")}, select=["F"], config=schema())
    assert [(d.rule, d.severity) for d in found] == [("F002", "error")]


def test_allowed_pattern_and_length(lint: LintFn) -> None:
    text = post("title: A title far too long for it", "author: Bob", "tags: [ok, Not-OK]")
    found = lint({POST: text}, select=["F"], config=schema())
    assert rules_of(found) == ["F005", "F003", "F004"]
    assert "27 characters long, more than the 20 allowed" in found[0].message
    assert "'Bob' is not an allowed value" in found[1].message
    assert "'Not-OK' does not match" in found[2].message
    short = lint({POST: post("title: Ab")}, select=["F005"], config=schema())
    assert "fewer than the 3 required" in short[0].message


def test_required_missing_and_empty(lint: LintFn) -> None:
    assert "missing" in lint({POST: post("author: Ada")}, select=["F001"],
                             config=schema())[0].message
    assert "empty" in lint({POST: post("title:")}, select=["F001"], config=schema())[0].message


def test_near_miss_suggests_the_known_key(lint: LintFn) -> None:
    found = lint({POST: post("tittle: Typo", "title: Real")}, select=["F"])
    assert [(d.rule, d.line, d.column) for d in found] == [("F006", 2, 1)]
    assert "did you mean 'title'?" in found[0].message
    assert "did you mean 'excerpt'" in lint({POST: post("title: x", "exerpt: y")},
                                            select=["F"])[0].message


def test_unknown_keys_only_with_strict(lint: LintFn) -> None:
    text = post("title: Fine title", "mood: happy")
    assert lint({POST: text}, select=["F"], config=schema()) == []
    found = lint({POST: text}, select=["F"], config=schema(strict=True))
    assert [(d.rule, d.line) for d in found] == [("F007", 3)]


def test_key_that_looks_like_text(lint: LintFn) -> None:
    text = post("title: x", "excerpt: <p>one", "", "<p>Two words and more: lost here")
    found = lint({POST: text}, select=["F"])
    assert [(d.rule, d.line) for d in found] == [("F008", 5)]
