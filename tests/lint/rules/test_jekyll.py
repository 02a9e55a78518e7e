from __future__ import annotations

from tests.lint.rules.conftest import GOOD, LintFn

POST = "_posts/2024-01-02-a.md"


def test_space_separated_tags_are_a_safe_fixable_warning(lint: LintFn) -> None:
    found = lint({POST: "---\ntitle: T\ntags: one two\ncategories: x y\n---\nb\n"},
                 select=["J"])
    assert [(d.rule, d.line, d.column, d.severity, d.fixable) for d in found] == [
        ("J001", 3, 7, "warning", True), ("J001", 4, 13, "warning", True)]
    assert found[0].fix is not None and found[0].fix.applicability == "safe"


def test_comma_separated_string_fix_is_unsafe(lint: LintFn) -> None:
    found = lint({POST: "---\ntitle: T\ntags: one, two\n---\nb\n"}, select=["J"])
    assert found[0].fix is not None and found[0].fix.applicability == "unsafe"
    assert "not commas" in found[0].message


def test_lists_single_words_and_singular_keys_pass(lint: LintFn) -> None:
    text = "---\ntitle: T\ntags: [one, two]\ncategories: news\ncategory: two words\n---\nb\n"
    assert lint({POST: text}, select=["J"]) == []
    assert lint({POST: GOOD}, select=["J"]) == []


def test_draft_key_in_a_jekyll_post(lint: LintFn) -> None:
    found = lint({POST: "---\ntitle: T\ndraft: true\n---\nb\n"}, select=["J"])
    assert [(d.rule, d.line, d.severity) for d in found] == [("J002", 3, "warning")]
    hidden = "---\ntitle: T\ndraft: true\npublished: false\n---\nb\n"
    assert lint({POST: hidden}, select=["J"]) == []
    assert lint({POST: "---\ntitle: T\ndraft: false\n---\nb\n"}, select=["J"]) == []
    assert lint({"_drafts/a.md": "---\ntitle: T\ndraft: true\n---\nb\n"}, select=["J"]) == []
