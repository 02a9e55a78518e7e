"""emit: every emitted scalar, list and mapping reads back as exactly the value given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.text import emit
from postctl.text.yaml_metadata import load_yaml

LOADER = yaml.CSafeLoader
LINE_BREAKS = "\n\r\x85\u2028\u2029"


def load_value(text: str) -> Any:
    return yaml.load("k: " + text + "\n", Loader=LOADER)["k"]


def same(left: object, right: object) -> bool:
    if type(left) is not type(right):
        return False
    if isinstance(left, dt.datetime):
        assert isinstance(right, dt.datetime)
        return left == right and left.utcoffset() == right.utcoffset()
    if isinstance(left, list):
        assert isinstance(right, list)
        return len(left) == len(right) and all(map(same, left, right))
    return left == right


# --- strings --------------------------------------------------------------------------

# Strings YAML 1.1 (PyYAML), Ruby's Psych or YAML 1.2 would read as something else or
# cut short: they must be quoted to stay the same string.
NEEDS_QUOTES = [
    "no",
    "No",
    "NO",
    "yes",
    "on",
    "off",
    "Off",
    "true",
    "False",
    "y",
    "n",
    "Y",
    "null",
    "Null",
    "~",
    "",
    "1.10",
    "1",
    "-1",
    "+1",
    "0x1F",
    "0o17",
    "017",
    "1_000",
    "1,000",
    "1e3",
    "1.5e+3",
    ".5",
    ".inf",
    "-.Inf",
    ".nan",
    "1:30",
    "09:30",
    "0:30",
    "+1:30",
    "1:2:3:4",
    "yEs",
    "nUlL",
    ".iNf",
    "1,000.5",
    "2024-01-01",
    "2024-1-5",
    "-2024-01-05 10:00:00",
    "2024-03-02 09:15:00 +0100",
    "2024-03-02T09:15:00Z",
    "@x",
    "`x",
    ": x",
    ":sym",
    "# x",
    "#",
    " leading space",
    "trailing space ",
    "a #b",
    "key: value",
    "- item",
    "? q",
    "[x]",
    "{x}",
    "*alias",
    "&anchor",
    "!tag",
    "!!str",
    "|",
    ">",
    "%x",
    "'quoted'",
    '"quoted"',
    "=",
    "<<",
    "tab\there",
    "line\nbreak",
    "nel\x85",
    "ls\u2028",
    "ps\u2029",
    "bom\ufeff",
    "rtl\u202eoverride",
    "zero\u200bwidth",
    "bell\x07",
    "del\x7f",
    "c1\x9b",
    "\x00",
]
PLAIN = [
    "hello world",
    "C#",
    "it's fine",
    "Ünïcödé ✓",
    "emoji 😀",
    "2024 in review",
    "v1.2",
    "a,b",
    "http://example.com/a?b=c#d",
    "-dash",
    "a:b",
    "x\u200dy",
]


@pytest.mark.parametrize("text", NEEDS_QUOTES)
def test_ambiguous_strings_are_double_quoted_and_read_back(text: str) -> None:
    emitted = emit.scalar(text)
    assert emitted.startswith('"') and emitted.endswith('"')
    assert load_value(emitted) == text
    assert not any(char in emitted for char in LINE_BREAKS)


@pytest.mark.parametrize("text", PLAIN)
def test_unambiguous_strings_stay_plain(text: str) -> None:
    assert emit.scalar(text) == text
    assert load_value(text) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a\tb", '"a\\tb"'),
        ("a\nb", '"a\\nb"'),
        ("a\r\nb", '"a\\r\\nb"'),
        ('"hi" she said', '"\\"hi\\" she said"'),
        ("back\\slash\t", '"back\\\\slash\\t"'),
        ("\x00\x1b\x7f", '"\\x00\\x1B\\x7F"'),
        ("\x85", '"\\x85"'),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        ("\u202e", '"\\u202E"'),
        ("\ufeff", '"\\uFEFF"'),
        ("\U000e0001", '"\\U000E0001"'),
    ],
)
def test_escapes(text: str, escaped: str) -> None:
    assert emit.scalar(text) == escaped
    assert load_value(escaped) == text


def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(emit.EmitError, match="U\\+DCFF"):
        emit.scalar("bad \udcff byte")
    with pytest.raises(emit.EmitError):
        emit.double_quoted("\ud800")


def test_single_quoted() -> None:
    assert emit.single_quoted("it's") == "'it''s'"
    assert load_value("'it''s'") == "it's"
    assert emit.single_quoted("tab\t") is None
    assert emit.single_quoted("nl\n") is None


def test_keys_are_quoted_when_jekyll_would_not_read_them_as_the_same_string() -> None:
    """postctl reads a plain key as its text, but Jekyll types it as a value (``on:`` is
    the key true there), so a key is quoted whenever its text, as a value, is not text."""
    for name in ["on", "09:30", "2024-01-05", "=", "y"]:
        assert emit.key(name) == emit.double_quoted(name)
    assert emit.key("on-line") == "on-line"


def test_keys_are_quoted_when_they_would_not_read_back_as_the_same_string() -> None:
    assert emit.key("title") == "title"
    for name in ["yes", "on", "1", "a: b", "---", "...", "%x", "- x", "", "null"]:
        emitted = emit.key(name)
        assert emitted.startswith('"'), name
        assert yaml.load(f"{emitted}: 1\n", Loader=LOADER) == {name: 1}


# --- other scalars --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-12, "-12"),
        (10**30, str(10**30)),
        (1.5, "1.5"),
        (1e20, "1.0e+20"),  # "1e+20" would be a string in YAML 1.1
        (1e-05, "1.0e-05"),
        (-0.0, "-0.0"),
        (float("inf"), ".inf"),
        (float("-inf"), "-.inf"),
        (dt.date(2024, 1, 5), "2024-01-05"),
        (dt.date(5, 1, 1), "0005-01-01"),
        (dt.datetime(2024, 3, 2, 9, 15), "2024-03-02 09:15:00"),
    ],
)
def test_scalars(value: object, text: str) -> None:
    assert emit.scalar(value) == text
    assert same(load_value(text), value)


def test_nan_is_written_as_yaml_nan() -> None:
    loaded = load_value(emit.scalar(float("nan")))
    assert isinstance(loaded, float) and loaded != loaded


def test_unsupported_types_are_refused() -> None:
    with pytest.raises(emit.EmitError):
        emit.scalar(b"bytes")
    with pytest.raises(emit.EmitError):
        emit.flow_list([{"a": 1}])


# --- dates and times ------------------------------------------------------------------

PLUS_ONE = dt.timezone(dt.timedelta(hours=1))
MINUS_0930 = dt.timezone(-dt.timedelta(hours=9, minutes=30))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2024, 3, 2, 9, 15, tzinfo=PLUS_ONE), "2024-03-02 09:15:00 +01:00"),
        (dt.datetime(2024, 3, 2, 9, 15, tzinfo=MINUS_0930), "2024-03-02 09:15:00 -09:30"),
        (
            dt.datetime(2024, 3, 2, 9, 15, 0, 120, tzinfo=dt.timezone.utc),
            "2024-03-02 09:15:00.000120 +00:00",
        ),
    ],
)
def test_aware_datetimes_keep_instant_and_offset(value: dt.datetime, text: str) -> None:
    assert emit.scalar(value) == text
    assert same(load_value(text), value)


def test_an_offset_with_seconds_is_written_in_utc() -> None:
    lmt = dt.timezone(dt.timedelta(minutes=9, seconds=21))
    value = dt.datetime(1900, 1, 1, 12, 0, tzinfo=lmt)
    loaded = load_value(emit.scalar(value))
    assert loaded == value and loaded.utcoffset() == dt.timedelta(0)
    assert same(loaded, emit.as_written(value))


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        (None, "2024-03-02 09:15:00 +01:00"),
        ("%Y-%m-%d %H:%M:%S %z", "2024-03-02 09:15:00 +01:00"),
        ("%Y-%m-%dT%H:%M:%S%:z", "2024-03-02T09:15:00+01:00"),
        ("%Y-%m-%d %H:%M", "2024-03-02 09:15 +01:00"),
        ("%d/%m/%Y", "02/03/2024 +01:00"),
        ("%Y-%m-%d %H:%M:%S %%z", "2024-03-02 09:15:00 %z +01:00"),
    ],
)
def test_format_datetime_always_has_a_readable_offset(fmt: str | None, text: str) -> None:
    assert emit.format_datetime(dt.datetime(2024, 3, 2, 9, 15, tzinfo=PLUS_ONE), fmt) == text


def test_format_datetime_pads_the_year() -> None:
    value = dt.datetime(5, 1, 1, tzinfo=dt.timezone.utc)
    assert emit.format_datetime(value, "%Y-%m-%d %H:%M:%S %z") == "0005-01-01 00:00:00 +00:00"


def test_format_datetime_refuses_naive_values() -> None:
    with pytest.raises(emit.EmitError, match="offset"):
        emit.format_datetime(dt.datetime(2024, 3, 2, 9, 15))


def test_datetime_scalar_is_plain_only_when_it_reads_back_as_that_datetime() -> None:
    value = dt.datetime(2024, 3, 2, 9, 15, tzinfo=PLUS_ONE)
    plain = emit.datetime_scalar(value, "%Y-%m-%d %H:%M:%S %z")
    assert plain == "2024-03-02 09:15:00 +01:00"
    assert same(load_value(plain), value)
    # A site format PyYAML cannot read as a timestamp is written as a string.
    text = emit.datetime_scalar(value, "%d %B %Y, %H:%M")
    assert load_value(text) == "02 March 2024, 09:15 +01:00"


# --- lists and mappings ---------------------------------------------------------------


def test_flow_list() -> None:
    text = emit.flow_list(["a", "b c: d", "x,y", "[z]", 1, True, None, dt.date(2024, 1, 5)])
    assert text == '[a, "b c: d", "x,y", "[z]", 1, true, null, 2024-01-05]'
    assert load_value(text) == ["a", "b c: d", "x,y", "[z]", 1, True, None, dt.date(2024, 1, 5)]
    assert emit.flow_list([]) == "[]"


def test_block_list() -> None:
    text = emit.block_list(["a", "no", "- x"], indent="  ", newline="\r\n")
    assert text == '  - a\r\n  - "no"\r\n  - "- x"\r\n'
    assert yaml.load("k:\r\n" + text, Loader=LOADER) == {"k": ["a", "no", "- x"]}


def test_mapping() -> None:
    items: list[tuple[str, object]] = [
        ("title", "no"),
        ("date", dt.datetime(2024, 3, 2, 9, 15, tzinfo=PLUS_ONE)),
        ("tags", ["a", "b c: d"]),
        ("categories", []),
        ("image", None),
        ("draft", False),
    ]
    flow = emit.mapping(items)
    assert flow == (
        'title: "no"\ndate: 2024-03-02 09:15:00 +01:00\ntags: [a, "b c: d"]\n'
        "categories: []\nimage:\ndraft: false\n"
    )
    block = emit.mapping(items, newline="\r\n", list_style="block")
    assert '\r\ntags:\r\n  - a\r\n  - "b c: d"\r\ncategories: []\r\n' in block
    for text in (flow, block):
        loaded = load_yaml(text, Path("x.md"), 2)
        assert list(loaded.values.items()) == [
            *items[:2],
            ("tags", ["a", "b c: d"]),
            ("categories", []),
            ("image", None),
            ("draft", False),
        ]


# --- properties -----------------------------------------------------------------------

minute_offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
aware_datetimes = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=minute_offsets
)
scalars = st.one_of(
    st.text(),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
    aware_datetimes,
)


@settings(max_examples=400)
@given(st.text())
def test_any_text_reads_back(text: str) -> None:
    emitted = emit.scalar(text)
    assert not any(char in emitted for char in LINE_BREAKS)
    assert yaml.load("k: " + emitted, Loader=LOADER) == {"k": text}
    assert yaml.load("k: " + emitted + "  # comment\nz: 1\n", Loader=LOADER) == {"k": text, "z": 1}


@settings(max_examples=300)
@given(scalars)
def test_any_scalar_reads_back_with_its_type(value: object) -> None:
    assert same(load_value(emit.scalar(value)), emit.as_written(value))


@settings(max_examples=200)
@given(st.lists(scalars, max_size=6))
def test_any_list_reads_back(values: list[object]) -> None:
    expected = emit.as_written(values)
    assert same(load_value(emit.flow_list(values)), expected)
    if values:
        block = yaml.load("k:\n" + emit.block_list(values), Loader=LOADER)["k"]
        assert same(block, expected)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=20), scalars), max_size=6, unique_by=lambda i: i[0]
    ),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["flow", "block"]),
)
def test_any_mapping_reads_back_with_the_project_loader(
    items: list[tuple[str, object]], newline: str, list_style: Any
) -> None:
    text = emit.mapping(items, newline=newline, list_style=list_style)
    loaded = load_yaml(text, Path("x.md"), 2).values
    assert list(loaded) == [name for name, _ in items]
    for name, value in items:
        assert same(loaded[name], emit.as_written(value))
