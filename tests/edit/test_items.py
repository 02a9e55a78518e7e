"""Item edits of YAML, TOML and JSON lists, new keys in place, and TOML/JSON front matter:
only the bytes of what changes change, and every result passes verification
(docs/guarantees.md: Edits, Verification)."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.edit import splice
from postctl.edit.edits import DELETE, Edit, ItemChange, Span, UneditableError, flow_removals
from postctl.edit.verify import verify_rewrite
from postctl.text.source import split_source


def edited(raw: str | bytes, *edits: Edit) -> bytes:
    """The file ``raw`` with ``edits`` applied, checked by the verification."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    source = split_source(data, Path("post.md"))
    new = splice.apply_edits(source, list(edits))
    verify_rewrite(source, new, list(edits))
    return new


def items(key: str, *changes: tuple[int, object]) -> Edit:
    return Edit(key, "items", tuple(ItemChange(index, value) for index, value in changes))


@pytest.mark.parametrize(("before", "changes", "after"), [
    ('[a, "OLD", c]', [(1, "NEW")], '[a, "NEW", c]'),
    ("[ a ,OLD,  c ]", [(1, "NEW")], "[ a ,NEW,  c ]"),
    ("['OLD', b]", [(0, "it's")], "['it''s', b]"),
    ("[a, OLD]", [(1, "yes")], '[a, "yes"]'),
    ("[a, OLD]", [(1, "C#")], "[a, C#]"),
    ("[a, OLD]", [(1, "a: b")], '[a, "a: b"]'),
    ("[a, OLD]", [(1, "[x]")], '[a, "[x]"]'),
    ("[a, OLD]", [(1, "x, y")], '[a, "x, y"]'),
    ('[a,  "OLD", "c"]', [(1, DELETE)], '[a,  "c"]'),
    ('[a, "b", OLD]', [(2, DELETE)], '[a, "b"]'),
    ("[OLD, Old, c]", [(0, DELETE), (1, DELETE)], "[c]"),
    ("[a, OLD, Old]", [(1, DELETE), (2, DELETE)], "[a]"),
    ("[OLD]", [(0, DELETE)], "[]"),
    ("[OLD, a, NEW]", [(0, "NEW"), (2, DELETE)], "[NEW, a]"),
])
def test_flow_list_items_change_alone(before: str, changes: list[tuple[int, object]],
                                      after: str) -> None:
    raw = f"---\ntitle: T  # keep\ntags: {before}   # note\n---\nbody\n"
    assert edited(raw, items("tags", *changes)) == raw.replace(before, after).encode()


@pytest.mark.parametrize(("before", "index", "after"), [
    ("[\n  a,\n  OLD,\n  c\n]", 1, "[\n  a,\n  c\n]"),
    ("[\n  a,  # one\n  OLD,  # two\n]", 1, "[\n  a,  # one\n]"),
    ("[\n  a,  # one\n  OLD]", 1, "[\n  a,  # one\n]"),
])
def test_a_flow_list_over_several_lines_loses_the_removed_line(before: str, index: int,
                                                               after: str) -> None:
    raw = f"---\ntags: {before}\n---\n"
    assert edited(raw, items("tags", (index, DELETE))) == raw.replace(before, after).encode()


@pytest.mark.parametrize(("changes", "after"), [
    ([(1, "NEW")], "tags:\r\n  - a\r\n  - NEW # c\r\n  -   'b'\r\n"),
    ([(1, DELETE)], "tags:\r\n  - a\r\n  -   'b'\r\n"),
    ([(2, "x'y")], "tags:\r\n  - a\r\n  - OLD # c\r\n  -   'x''y'\r\n"),
    ([(0, DELETE), (1, DELETE), (2, DELETE)], "tags: []\r\n"),
])
def test_block_list_items_keep_the_other_lines(changes: list[tuple[int, object]],
                                               after: str) -> None:
    raw = "\ufeff---\r\ntags:\r\n  - a\r\n  - OLD # c\r\n  -   'b'\r\nnext: 1\r\n---\r\nbody"
    expected = raw.replace("tags:\r\n  - a\r\n  - OLD # c\r\n  -   'b'\r\n", after)
    assert edited(raw, items("tags", *changes)) == expected.encode("utf-8")


def test_item_edits_refuse_what_they_cannot_splice() -> None:
    with pytest.raises(UneditableError, match="not a list"):
        edited("---\ntags: a b\n---\n", items("tags", (0, "x")))
    with pytest.raises(UneditableError, match="nested or block"):
        edited("---\ntags:\n  - |\n    a\n---\n", items("tags", (0, "x")))
    with pytest.raises(UneditableError, match="not one per line"):
        edited("---\ntags:\n  -\n    OLD\n  - c\n---\n", items("tags", (0, DELETE)))


def test_flow_removals_take_the_separators() -> None:
    spans = [Span(i, i + 1) for i in (1, 4, 7, 10)]  # the items of "[a, b, c, d]"
    assert flow_removals(spans, {1, 3}) == [(4, 7, ""), (8, 11, "")]
    assert flow_removals(spans, {0, 1, 2, 3}) == [(1, 11, "")]


@pytest.mark.parametrize(("before", "expected"), [
    ("categories", "title: T\ndate: 2024-01-02\nauthor: Ada\ncategories: [a]\n"),
    ("nowhere", "title: T\ndate: 2024-01-02\ncategories: [a]\nauthor: Ada\n"),
])
def test_a_new_key_goes_before_the_key_named(before: str, expected: str) -> None:
    raw = "---\ntitle: T\ndate: 2024-01-02\ncategories: [a]\n---\n"
    new = edited(raw, Edit("author", "insert", "Ada", before=before))
    assert new == f"---\n{expected}---\n".encode()
    back = edited(new, Edit("author", "delete"))
    assert back == raw.encode()


# --- TOML ------------------------------------------------------------------------------

TOML = (
    "+++\r\n"
    'title = "A \\"quoted\\" title"  # kept\r\n'
    "tags = [ 'a',  \"OLD\", \"c\" ]\r\n"
    "categories = [\r\n  \"x\", # one\r\n  \"OLD\",\r\n]\r\n"
    "date = 2024-01-02T10:00:00Z\r\n"
    "\r\n"
    "[params]\r\n"
    "tags = \"not top level\"\r\n"
    "+++\r\n"
    "Body\r\n"
)


@pytest.mark.parametrize(("edit", "old", "new"), [
    (items("tags", (1, "NEW")), '"OLD", "c" ]', '"NEW", "c" ]'),
    (items("tags", (0, "it's")), "[ 'a',", '[ "it\'s",'),
    (items("tags", (0, "b")), "[ 'a',", "[ 'b',"),
    (items("tags", (1, DELETE)), "'a',  \"OLD\", \"c\" ]", "'a',  \"c\" ]"),
    (items("categories", (1, DELETE)), '"x", # one\r\n  "OLD",\r\n]', '"x", # one\r\n]'),
    (Edit("title", "set", "B"), '"A \\"quoted\\" title"', '"B"'),
    (Edit("tags", "delete"), "tags = [ 'a',  \"OLD\", \"c\" ]\r\n", ""),
    (Edit("draft", "insert", True, before="date"), "date =", "draft = true\r\ndate ="),
    (Edit("weight", "insert", 3), "Z\r\n\r\n[params]", "Z\r\nweight = 3\r\n\r\n[params]"),
    (Edit("tags", "set", ["a", "b"]), "[ 'a',  \"OLD\", \"c\" ]", '["a", "b"]'),
])
def test_toml_front_matter_is_edited_in_place(edit: Edit, old: str, new: str) -> None:
    assert TOML.count(old) == 1
    assert edited(TOML, edit) == TOML.replace(old, new).encode()


def test_toml_refuses_what_it_cannot_write_or_follow() -> None:
    with pytest.raises(UneditableError, match="null"):
        edited("+++\ntitle = 'a'\n+++\n", Edit("title", "set", None))
    with pytest.raises(UneditableError, match="already exists"):
        edited("+++\ntitle = 'a'\n+++\n", Edit("title", "insert", "b"))
    with pytest.raises(KeyError):
        edited("+++\ntitle = 'a'\n+++\n", Edit("tags", "delete"))


def test_toml_multi_line_strings_and_dotted_keys_are_skipped_over() -> None:
    raw = "+++\nsummary = \"\"\"a\n\"tags\" = 1\"\"\"\"\nsite.tags = 2\ntags = ['OLD']\n+++\n"
    assert edited(raw, items("tags", (0, "NEW"))) == raw.replace("'OLD'", "'NEW'").encode()


# --- JSON ------------------------------------------------------------------------------

JSON = '{\n  "title": "A \\u00e9",\n  "tags": ["a", "OLD", "c"],\n  "x": {"tags": [1]}\n}\nBody\n'


@pytest.mark.parametrize(("edit", "old", "new"), [
    (items("tags", (1, "NEW")), '"OLD"', '"NEW"'),
    (items("tags", (2, DELETE)), '"OLD", "c"]', '"OLD"]'),
    (items("tags", (0, DELETE), (1, DELETE), (2, DELETE)), '["a", "OLD", "c"]', "[]"),
    (Edit("tags", "delete"), '  "tags": ["a", "OLD", "c"],\n', ""),
    (Edit("x", "delete"), ',\n  "x": {"tags": [1]}', ""),
    (Edit("draft", "insert", True, before="tags"), '  "tags"', '  "draft": true,\n  "tags"'),
    (Edit("weight", "insert", 2), "[1]}\n}", '[1]},\n  "weight": 2\n}'),
    (Edit("title", "set", "B"), '"A \\u00e9"', '"B"'),
])
def test_json_front_matter_is_edited_in_place(edit: Edit, old: str, new: str) -> None:
    assert JSON.count(old) == 1
    assert edited(JSON, edit) == JSON.replace(old, new).encode()


def test_json_has_no_dates_to_write() -> None:
    import datetime as dt

    with pytest.raises(UneditableError, match="no dates"):
        edited('{"title": "a"}\n', Edit("date", "insert", dt.date(2024, 1, 2)))
