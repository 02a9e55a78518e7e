"""Renaming, merging and deleting tags and categories in one post: only the bytes of the
names that change change, in every way a post may write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.edit.splice import apply_edits
from postctl.edit.terms import Field, TermChange, term_edits
from postctl.edit.verify import verify_rewrite
from postctl.post.taxonomy import term_matcher
from postctl.text.front_matter import load_front_matter
from postctl.text.source import split_source


def changed(raw: str, old: list[str], new: str | None, *, exact: bool = False,
            field: Field = "tags") -> str:
    """``raw`` after renaming (or, with ``new`` None, deleting) ``old``; verified."""
    source = split_source(raw.encode("utf-8"), Path("post.md"))
    values = load_front_matter(source.kind, source.fm_text, source.path, 2).values
    edits = term_edits(values, TermChange(field, term_matcher(old, exact), new))
    result = apply_edits(source, edits)
    verify_rewrite(source, result, edits)
    return result.decode("utf-8")


def post(tags: str, key: str = "tags") -> str:
    return f"---\ntitle: T\n{key}: {tags}  # the tags\n---\nBody with old in it.\n"


@pytest.mark.parametrize(("tags", "new", "expected"), [
    ("[a, old, 'b']", "new", "[a, new, 'b']"),
    ("[a, Old, OLD, b]", "new", "[a, new, b]"),            # case variants: one new
    ("[a, old-name, Old_Name]", "new", "[a, new]"),         # hyphens and underscores
    ("[old, a, new]", "new", "[a, new]"),                   # the post has both: one new
    ("[new, old]", "new", "[new]"),
    ("[a, old]", "yes", '[a, "yes"]'),                      # a value that needs quotes
    ("[a, old]", "C#", "[a, C#]"),
    ("[a, old]", "a: b", '[a, "a: b"]'),
    ("[a, old]", "[x]", '[a, "[x]"]'),
    ("[a, old]", "2024", '[a, "2024"]'),
    ('[a, "old"]', "say \"hi\"", '[a, "say \\"hi\\""]'),
    ("[a, old]", None, "[a]"),
    ("[old]", None, "[]"),
    ("[old, a, Old]", None, "[a]"),
    ("a old b", "new", "a new b"),                          # a string stays a string
    ("a  old   b", None, "a   b"),
    ("old a", None, "a"),
    ("a OLD old", "new", "a new"),
    ("old", "no", '"no"'),                                  # a string that needs quotes
    ("a old", "machine learning", "[a, machine learning]"),  # a space: a list
    ("old", None, "[]"),
    ("'a old'", "new", "'a new'"),
    ("[a, 2024]", "x", "[a, x]"),
])
def test_rename_and_delete_in_lists_and_strings(tags: str, new: str | None,
                                                expected: str) -> None:
    old = ["2024"] if "2024" in tags else ["old name"] if "old-name" in tags else ["old"]
    assert changed(post(tags), old, new) == post(expected)


def test_exact_matches_only_the_spelling_given() -> None:
    assert changed(post("[Old, old]"), ["old"], "new", exact=True) == post("[Old, new]")
    assert changed(post("[Old, OLD]"), ["old"], "new", exact=True) == post("[Old, OLD]")


def test_merge_takes_several_names_into_one() -> None:
    raw = post("[py, Python3, python, rust]")
    assert changed(raw, ["py", "python3"], "python") == post("[rust, python]".replace(
        "[rust, python]", "[python, rust]"))


def test_block_lists_keep_their_lines_crlf_bom_and_comments() -> None:
    raw = ("\ufeff---\r\ntitle: T\r\ntags:\r\n  - a   # first\r\n  - Old\r\n"
           "  # a comment line\r\n  - old\r\n  - 'b'\r\nlayout: post\r\n---\r\nold body\r\n")
    assert changed(raw, ["old"], "new") == raw.replace("  - Old\r\n", "  - new\r\n").replace(
        "  - old\r\n", "")
    assert changed(raw, ["old"], None) == raw.replace("  - Old\r\n", "").replace(
        "  - old\r\n", "")
    assert changed(raw, ["old"], "on") == raw.replace("  - Old\r\n", '  - "on"\r\n').replace(
        "  - old\r\n", "")


def test_a_singular_key_is_the_one_renamed() -> None:
    raw = "---\ntag: Old Name\ntags: [old-name]\n---\n"
    assert changed(raw, ["old name"], "new") == "---\ntag: new\ntags: [old-name]\n---\n"
    assert changed(raw, ["old name"], None) == "---\ntag: []\ntags: [old-name]\n---\n"
    alone = "---\ntitle: T\ncategory: News\nlayout: post\n---\n"
    assert changed(alone, ["news"], None, field="categories") == (
        "---\ntitle: T\nlayout: post\n---\n")
    assert changed(alone, ["news"], "Press", field="categories") == alone.replace(
        "News", "Press")


def test_categories_are_renamed_like_tags() -> None:
    raw = "---\ncategories:\n- Travel\n- food\ntags: [travel]\n---\n"
    assert changed(raw, ["travel"], "trips", field="categories") == raw.replace(
        "- Travel", "- trips")


def test_a_post_without_the_name_gets_no_edit() -> None:
    for raw in (post("[a, b]"), post("a b"), "---\ntitle: T\n---\n", post("{old: 1}")):
        assert changed(raw, ["old"], "new") == raw


@pytest.mark.parametrize(("raw", "new", "expected"), [
    ("+++\ntitle = 'T'\ntags = ['a', 'Old', \"old\"]  # c\n+++\nold\n", "new",
     "+++\ntitle = 'T'\ntags = ['a', 'new']  # c\n+++\nold\n"),
    ("+++\ntags = [\n  'a',\n  'old',\n]\n+++\n", None, "+++\ntags = [\n  'a',\n]\n+++\n"),
    ("+++\ntags = \"a old\"\n+++\n", "it's", "+++\ntags = \"a it's\"\n+++\n"),
    ('{\n  "title": "T",\n  "tags": ["a", "Old", "old"]\n}\nold\n', "new",
     '{\n  "title": "T",\n  "tags": ["a", "new"]\n}\nold\n'),
    ('{"tags": ["old", "a"], "x": 1}\n', None, '{"tags": ["a"], "x": 1}\n'),
])
def test_toml_and_json_front_matter(raw: str, new: str | None, expected: str) -> None:
    assert changed(raw, ["old"], new) == expected
