from __future__ import annotations

from tests.lint.rules.conftest import GOOD, LintFn

POST = "_posts/2024-01-02-a.md"


def test_empty_body(lint: LintFn) -> None:
    found = lint({POST: "---\ntitle: T\n---\n\n  \n"}, select=["C"])
    assert [(d.rule, d.line, d.severity) for d in found] == [("C001", 4, "warning")]


def test_seo_lengths_with_configurable_limits(lint: LintFn) -> None:
    text = f"---\ntitle: {'t' * 71}\nexcerpt: {'e' * 161}\n---\nBody\n"
    found = lint({POST: text}, select=["C"])
    assert [(d.rule, d.line) for d in found] == [("C002", 2), ("C003", 3)]
    assert lint({POST: text}, select=["C"],
                config="[lint]\ntitle-max-length = 80\nexcerpt-max-length = 200\n") == []


def test_schema_max_length_replaces_the_seo_limit(lint: LintFn) -> None:
    text = f"---\ntitle: {'t' * 71}\n---\nBody\n"
    config = "[schema.fields.title]\nmax_length = 100\n"
    assert lint({POST: text}, select=["C", "F"], config=config) == []


def test_trailing_whitespace_and_tabs(lint: LintFn) -> None:
    text = "---\ntitle: T  \nimage: \t\ntags:\n- a\t \nx: \"a\tb\"\n---\nBody\n"
    found = lint({POST: text}, select=["C"])
    assert [(d.rule, d.line, d.column, d.fixable) for d in found] == [
        ("C004", 2, 9, True), ("C004", 3, 7, True), ("C004", 5, 4, False), ("C005", 6, 6, False)]


def test_whitespace_inside_block_scalars_is_content(lint: LintFn) -> None:
    text = "---\ntitle: T\nexcerpt: |\n  keep   \n  these\t\n---\nBody\n"
    assert lint({POST: text}, select=["C"]) == []


def test_trailing_space_after_a_comment_is_not_fixable(lint: LintFn) -> None:
    found = lint({POST: "---\ntitle: T # note  \n---\nBody\n"}, select=["C"])
    assert [(d.rule, d.fixable) for d in found] == [("C004", False)]


def test_clean_post(lint: LintFn) -> None:
    assert lint({POST: GOOD}, select=["C"]) == []
