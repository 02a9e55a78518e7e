"""Front-matter text to values and key positions (postctl.text.metadata)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postctl.errors import SourceError
from postctl.text.front_matter import load_front_matter
from postctl.text.metadata import MAX_DEPTH, Duplicate, Metadata
from postctl.text.source import split_source
from postctl.text.toml_json import load_json, load_toml
from postctl.text.yaml_metadata import load_yaml
from tests.conftest import DATA

POSTS = DATA / "posts"

# name -> (exact str(error), code); the path in the message is the bare file name
METADATA_ERRORS = {
    "invalid-yaml.md": (
        "invalid-yaml.md:4:7: invalid YAML: did not find expected ',' or ']'", "E004"),
    "invalid-yaml-bad-indent.md": (
        "invalid-yaml-bad-indent.md:3:9: invalid YAML: mapping values are not allowed in this "
        "context", "E004"),
    "invalid-toml.md": ("invalid-toml.md:3:9: invalid TOML: Invalid value", "E004"),
    "list-front-matter.md": (
        "list-front-matter.md:2:1: front matter is a list, not a mapping of keys to values",
        "E005"),
    "scalar-front-matter.md": (
        "scalar-front-matter.md:2:1: front matter is a scalar, not a mapping of keys to values",
        "E005"),
    "python-object-tag.md": (
        "python-object-tag.md:2:8: YAML tag '!!python/object/apply:os.system' is not allowed "
        "(only plain data is read)", "E006"),
    "binary-tag.md": (
        "binary-tag.md:3:8: YAML tag '!!binary' is not allowed (only plain data is read)",
        "E006"),
    "anchor-alias.md": (
        "anchor-alias.md:2:7: YAML anchors and aliases are not allowed in front matter", "E007"),
    "deep-compact-nesting.md": (
        "deep-compact-nesting.md:3:63: front matter nests deeper than 32 levels", "E007"),
    "control-character.md": (
        "control-character.md:2:12: invalid YAML: control characters are not allowed (U+0007)",
        "E004"),
}


def parse_fixture(name: str) -> Metadata:
    source = split_source((POSTS / name).read_bytes(), Path(name))
    return load_front_matter(source.kind, source.fm_text, Path(name), source.fm_line)


def yaml_error(text: str) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load_yaml(text, Path("p.md"), 2)
    return caught.value


@pytest.mark.parametrize("name", sorted(METADATA_ERRORS))
def test_fixture_errors(name: str) -> None:
    message, code = METADATA_ERRORS[name]
    with pytest.raises(SourceError) as caught:
        parse_fixture(name)
    assert str(caught.value) == message
    assert caught.value.code == code


# --- positions --------------------------------------------------------------------------


def test_key_lines_and_value_spans() -> None:
    meta = parse_fixture("yaml-basic.md")
    assert list(meta.keys) == ["title", "date", "tags"]
    assert [info.line for info in meta.keys.values()] == [2, 3, 4]
    tags = meta.keys["tags"]
    assert (tags.col, tags.value_line, tags.value_col, tags.end_line) == (1, 4, 7, 4)
    assert tags.value_text == "[walks, rivers]"
    assert meta.keys["date"].value_text == "2021-04-03 09:15:00 +0200"


def test_key_lines_with_bom_and_crlf() -> None:
    meta = parse_fixture("yaml-bom-crlf.md")
    assert {key: info.line for key, info in meta.keys.items()} == {"title": 2, "author": 3}
    assert meta.keys["author"].value_text == "Ann"
    crlf = parse_fixture("yaml-crlf.md")
    categories = crlf.keys["categories"]
    assert (categories.line, categories.value_line, categories.end_line) == (3, 4, 5)


def test_block_scalar_span() -> None:
    meta = parse_fixture("block-scalar-excerpt.md")
    excerpt = meta.keys["excerpt"]
    assert (excerpt.line, excerpt.value_line, excerpt.end_line) == (3, 3, 5)
    assert excerpt.style == ">"
    assert meta.keys["author"].line == 6
    assert meta.values["excerpt"] == "folded line one folded line two\n"


def test_value_styles() -> None:
    meta = load_yaml("a: 'single'\nb: \"double\"\nc: |\n  lit\nd: plain\n", Path("p"), 2)
    assert [meta.keys[key].style for key in "abc"] == ["'", '"', "|"]
    assert meta.keys["d"].style in ("", None)


def test_line_separator_inside_a_value_does_not_shift_lines() -> None:
    # libyaml counts U+2028 as a line break; the file (and editors) do not.
    meta = parse_fixture("line-separator-in-value.md")
    assert meta.values["title"] == "one\u2028two"
    assert meta.keys["title"].end_line == 2
    assert meta.keys["author"].line == 4
    assert meta.comments == ((3, "a comment"),)


def test_error_line_after_next_line_character() -> None:
    error = yaml_error('a: "x\x85y"\nb: [\n')
    assert (error.line, error.col) == (4, 1)


def test_duplicate_keys_record_both_lines() -> None:
    meta = parse_fixture("duplicate-keys.md")
    assert meta.duplicates == (Duplicate("title", 2, 4),)
    assert meta.values["title"] == "Second"  # the loader keeps the last, as Psych does
    assert meta.keys["title"].line == 4


def test_comments_with_their_file_lines() -> None:
    meta = load_yaml("# top\ntitle: x  # trailing\nurl: 'a#b'\n", Path("p"), 2)
    assert meta.comments == ((2, "top"), (3, "trailing"))


# --- empty and refused front matter ------------------------------------------------------


def test_comment_only_front_matter_is_empty() -> None:
    meta = parse_fixture("comment-only-front-matter.md")
    assert meta.values == {} and meta.keys == {}
    assert meta.comments == ((2, "nothing here yet"),)


def test_empty_front_matter_is_empty() -> None:
    assert parse_fixture("empty-front-matter.md") == Metadata.empty()


def test_plain_equals_sign_is_a_string() -> None:
    # PyYAML's SafeLoader refuses a plain "=" (tag:yaml.org,2002:value); Psych reads "=".
    assert parse_fixture("plain-equals-value.md").values == {"title": "="}


def test_trailing_tabs_after_a_list_item_are_accepted_as_libyaml_does() -> None:
    assert parse_fixture("tabs-after-list-item.md").values["authors"] == ["ann", "bob"]


@pytest.mark.parametrize("text, tag", [
    ("a: !!python/object:os.system x\n", "!!python/object:os.system"),
    ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
    ("a: !!set {x, y}\n", "!!set"),
    ("a: !!omap [b: 1]\n", "!!omap"),
    ("a: !!pairs [b: 1]\n", "!!pairs"),
    ("a: !local thing\n", "!local"),
])
def test_unsafe_or_non_data_tags_are_refused(text: str, tag: str) -> None:
    error = yaml_error(text)
    assert error.code == "E006"
    assert error.message == f"YAML tag {tag!r} is not allowed (only plain data is read)"
    assert (error.line, error.col) == (2, 4)


def test_core_tags_are_allowed() -> None:
    meta = load_yaml("a: !!str 1\nb: !!int '2'\nc: !!float 1\n", Path("p"), 2)
    assert meta.values == {"a": "1", "b": 2, "c": 1.0}


def test_billion_laughs_anchor_is_refused_at_the_first_anchor() -> None:
    text = 'a: &a ["x", "x"]\nb: &b [*a, *a]\nc: &c [*b, *b]\n'
    error = yaml_error(text)
    assert (error.code, error.line, error.col) == ("E007", 2, 4)


def test_alias_hint_in_a_string_is_not_an_error() -> None:
    meta = load_yaml('title: "*bold* & brave"\n', Path("p"), 2)
    assert meta.values == {"title": "*bold* & brave"}


def _nested_mappings(levels: int) -> str:
    """Block mappings indented by one space each: ``levels`` mappings deep."""
    lines = [" " * i + f"k{i}:" for i in range(levels - 1)]
    return "\n".join([*lines, " " * (levels - 1) + f"k{levels - 1}: x"]) + "\n"


def _sequence_of_mappings(pairs: int) -> str:
    """``a:`` then ``- k:`` items nested by two columns: 1 + 2 * pairs levels."""
    return "a:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(pairs))


@pytest.mark.parametrize("text_for_depth", [
    lambda depth: "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n",
    lambda depth: "a: " + "{b: " * (depth - 1) + "c" + "}" * (depth - 1) + "\n",
    lambda depth: "x:\n" + "- " * (depth - 1) + "leaf\n",
    _nested_mappings,
], ids=["flow-lists", "flow-maps", "compact-sequences", "one-space-indents"])
def test_nesting_limit_is_exact(text_for_depth: object) -> None:
    make = text_for_depth
    assert callable(make)
    assert load_yaml(make(MAX_DEPTH), Path("p"), 2).values
    assert yaml_error(make(MAX_DEPTH + 1)).code == "E007"


def test_nesting_limit_for_alternating_sequences_and_mappings() -> None:
    assert load_yaml(_sequence_of_mappings(15), Path("p"), 2).values  # 31 levels
    assert yaml_error(_sequence_of_mappings(16)).code == "E007"  # 33 levels


@pytest.mark.parametrize("text", [
    "a: [\n", "a: b: c\n", "a:\n\t- b\n", "a: 'x\n", "? [a]\n: 1\n", "[a]: 1\n",
    "a: 1\n--- x\n", "a: \x1b\n", "a: " + "9" * 5000 + "\n", "a: \ud7ff\ufffe\n", "%YAML 9.9\n",
])
def test_every_loader_failure_becomes_one_line_source_error(text: str) -> None:
    error = yaml_error(text)
    assert error.code in ("E004", "E005")
    assert "\n" not in str(error)
    assert error.line is not None and error.line >= 2
    assert error.col is not None and error.col >= 1


def test_impossible_timestamp_stays_text() -> None:
    meta = load_yaml("date: 2020-02-30\nother: 2020-02-03\n", Path("p"), 2)
    assert meta.values == {"date": "2020-02-30", "other": dt.date(2020, 2, 3)}


def test_offset_without_colon_is_a_string_for_pyyaml() -> None:
    meta = parse_fixture("date-offset-without-colon.md")
    assert meta.values["date"] == "2013-05-06 02:12:52 +0200"


def test_non_string_keys_are_stringified() -> None:
    meta = load_yaml("3: a\n2020-01-02: b\n", Path("p"), 2)
    assert meta.values == {"3": "a", "2020-01-02": "b"}


def test_a_plain_key_is_its_text_as_written() -> None:
    """YAML 1.1 reads on, yes, 1 and null as True, True, 1 and None: as keys, the four would
    merge into one, losing three values."""
    meta = load_yaml("on: 0\nyes: 1\n1: x\nnull: y\n'q': 2\nn: {off: 1, 2: b}\n~: z\n",
                     Path("p"), 2)
    assert meta.values == {"on": 0, "yes": 1, "1": "x", "null": "y", "q": 2,
                           "n": {"off": 1, "2": "b"}, "~": "z"}
    assert list(meta.keys) == list(meta.values)
    assert meta.duplicates == ()


# --- TOML and JSON ----------------------------------------------------------------------


def test_toml_values_and_top_level_keys_only() -> None:
    meta = parse_fixture("toml-front-matter.md")
    assert meta.values == {"title": "Hugo in TOML", "draft": True, "tags": ["a", "b"],
                           "params": {"hidden": 1}}
    assert {key: info.line for key, info in meta.keys.items()} == {
        "title": 2, "draft": 3, "tags": 4}
    assert meta.keys["title"].value_text == '"Hugo in TOML"'


def test_toml_keys_with_crlf() -> None:
    meta = load_toml('title = "x"\r\ndraft = true\r\n', Path("p"), 2)
    assert meta.keys["draft"].line == 3 and meta.keys["draft"].value_text == "true"


def test_json_values_and_key_lines() -> None:
    meta = parse_fixture("json-front-matter.md")
    assert meta.values == {"title": "Hugo in JSON", "draft": False, "tags": ["x"]}
    assert {key: info.line for key, info in meta.keys.items()} == {
        "title": 2, "draft": 3, "tags": 4}
    assert meta.keys["title"].col == 3


def test_json_nested_keys_are_not_top_level_keys() -> None:
    text = '{\n "params": {\n  "title": "inner"\n },\n "title": "outer",\n "t": "a\\"b"\n}'
    meta = load_json(text, Path("p"), 1)
    assert meta.keys["title"].line == 5
    assert set(meta.keys) == {"params", "title", "t"}


def test_json_duplicate_keys() -> None:
    meta = load_json('{"a": 1,\n "a": 2}', Path("p"), 1)
    assert meta.values == {"a": 2}
    assert meta.duplicates == (Duplicate("a", 1, 2),)


def test_json_front_matter_must_be_an_object() -> None:
    with pytest.raises(SourceError) as caught:
        load_json("[1, 2]", Path("p"), 1)
    assert caught.value.code == "E005"


@pytest.mark.parametrize("loader, text", [
    (load_toml, "a = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"),
    (load_toml, "a = " + "[" * 100_000 + "\n"),
    (load_json, '{"a": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"),
    (load_json, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
])
def test_toml_and_json_nesting_is_limited(loader: object, text: str) -> None:
    assert callable(loader)
    with pytest.raises(SourceError) as caught:
        loader(text, Path("p"), 2)
    assert caught.value.code == "E007"


@pytest.mark.parametrize("loader, text", [
    (load_toml, "a = " + "9" * 5000 + "\n"),
    (load_json, '{"a": ' + "9" * 5000 + "}"),
    (load_toml, "a = \n"),
    (load_json, '{"a": }'),
])
def test_toml_and_json_failures_are_source_errors(loader: object, text: str) -> None:
    assert callable(loader)
    with pytest.raises(SourceError) as caught:
        loader(text, Path("p"), 2)
    assert caught.value.code == "E004"
    assert "\n" not in str(caught.value)
