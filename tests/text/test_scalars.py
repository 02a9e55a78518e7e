"""How a YAML scalar is typed (postctl.text.scalars): the one definition, read and written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from postctl.text.scalars import (
    PostLoader,
    key_is_text,
    node_value,
    plain_value,
    written_plain_is_text,
)


def test_loader_is_libyaml_safe_loader() -> None:
    assert issubclass(PostLoader, yaml.CSafeLoader)
    assert not issubclass(PostLoader, (yaml.Loader, yaml.UnsafeLoader, yaml.FullLoader))


# A plain value is typed as PyYAML's safe loader types it (YAML 1.1), except for the texts
# that loader refuses and Jekyll's Psych reads as text.
PLAIN_VALUES: list[tuple[str, Any]] = [
    ("yes", True), ("On", True), ("FALSE", False), ("yEs", "yEs"), ("y", "y"),
    ("~", None), ("null", None), ("nUll", "nUll"), ("", None),
    ("1_000", 1000), ("0x1F", 31), ("017", 15), ("08", "08"), ("1,000", "1,000"),
    ("1.5", 1.5), (".5", 0.5), ("-.5", "-.5"), ("1e3", "1e3"), (".inf", float("inf")),
    ("12:30", 750), ("1:2:3:4", 223384), ("09:30", "09:30"), ("0:30", "0:30"),
    ("2024-01-05", dt.date(2024, 1, 5)), ("2024-1-5", "2024-1-5"),
    ("2024-01-05 10:00:00 +01:00",
     dt.datetime(2024, 1, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
    ("2024-01-05 10:00:00 +0100", "2024-01-05 10:00:00 +0100"),
    ("2024-02-30", "2024-02-30"),  # impossible: its text (the safe loader refuses it)
    ("=", "="),  # as Psych reads it (the safe loader refuses it)
    (":sym", ":sym"), ("hello world", "hello world"),
]


@pytest.mark.parametrize(("text", "value"), PLAIN_VALUES)
def test_a_plain_value_is_typed_as_the_safe_loader_types_it(text: str, value: Any) -> None:
    assert plain_value(text) == value
    assert type(plain_value(text)) is type(value)
    if text:  # the same reading inside a document
        loaded = yaml.load(f"k: {text}\n", Loader=PostLoader)["k"]
        assert loaded == value and type(loaded) is type(value)


def test_binary_set_omap_and_pairs_are_refused() -> None:
    for tag in ("binary", "set", "omap", "pairs"):
        with pytest.raises(yaml.constructor.ConstructorError, match=tag):
            yaml.load(f"k: !!{tag} x\n", Loader=PostLoader)


def test_a_plain_key_is_its_text_and_any_other_key_is_constructed() -> None:
    root = yaml.compose("on: 1\n'yes': 2\n!!int 3: 3\n? [a]\n: 4\n", Loader=PostLoader)
    assert [key_is_text(key) for key, _ in root.value] == [True, False, True, False]
    assert yaml.load("on: 1\n1: 2\nnull: 3\n'q': 4\n", Loader=PostLoader) == {
        "on": 1, "1": 2, "null": 3, "q": 4}


def test_a_node_composed_elsewhere_is_read_by_the_same_rules() -> None:
    root = yaml.compose("n: {on: 1, 2: b}\nd: 2024-02-30\ne: =\n", Loader=yaml.CSafeLoader)
    assert node_value(root) == {"n": {"on": 1, "2": "b"}, "d": "2024-02-30", "e": "="}


# Plain texts Jekyll (Ruby's Psych 4, as Jekyll 4 loads front matter) reads as something
# other than that string, though PyYAML reads them as strings; and texts other readers
# type. None of them may be written plain.
TYPED_ELSEWHERE = [
    "yEs", "oN", "nUlL", ".iNf", "1,000", "1,000.5", "-.5",  # Psych: any case, commas
    "09:30", "0:30", "+1:30", "-0:46", "00:00:05", "1:30.5",  # Psych: base 60, hours first
    "2024-1-5", "2024-01-05 10:00:00 +0100", "-2024-01-05 10:00:00",  # Psych: dates
    ":sym",  # Psych: a symbol, refused by Jekyll's safe load
    "y", "n", "Y",  # go-yaml (Hugo): booleans
    "0o17", "1e3",  # YAML 1.2: numbers
    "=",  # PyYAML's plain safe loader refuses it
]


@pytest.mark.parametrize("text", TYPED_ELSEWHERE)
def test_a_text_another_reader_types_is_not_text_when_written_plain(text: str) -> None:
    assert not written_plain_is_text(text)


@pytest.mark.parametrize("text", ["on", "yes", "1", "null", "12:30", "1:2:3:4", "2024-01-05"])
def test_a_text_postctl_types_is_not_text_when_written_plain(text: str) -> None:
    assert not written_plain_is_text(text)


@pytest.mark.parametrize("text", ["hello", "C#", "v1.2", "a,b", "2024 in review", "12:61",
                                  "yesterday", "on-line", "-dash"])
def test_a_text_no_reader_types_is_text_when_written_plain(text: str) -> None:
    assert written_plain_is_text(text)
