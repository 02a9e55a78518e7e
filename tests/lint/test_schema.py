from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postctl.errors import ConfigError
from postctl.lint import schema as sch

CONFIG = Path("/site/postctl.toml")
UTC = dt.timezone.utc


def test_no_table_gives_the_default_jekyll_schema() -> None:
    found = sch.load_schema({}, CONFIG)
    assert found is sch.DEFAULT_SCHEMA and found.builtin
    assert found.fields["title"].required and found.fields["tags"].type == "list"


def test_fields_are_read() -> None:
    found = sch.load_schema({"strict": True, "fields": {"title": {
        "type": "string", "required": True, "allowed": ["a"], "pattern": "^a",
        "min_length": 1, "max_length": 9, "severity": "error"}}}, CONFIG)
    spec = found.fields["title"]
    assert found.strict and not found.builtin
    assert (spec.type, spec.required, spec.allowed, spec.min_length, spec.max_length,
            spec.severity) == ("string", True, ("a",), 1, 9, "error")
    assert spec.regex is not None and spec.regex.search("abc")


@pytest.mark.parametrize(("raw", "key"), [
    ({"strict": "yes"}, "schema.strict"),
    ({"fields": []}, "schema.fields"),
    ({"colour": 1}, "schema.colour"),
    ({"fields": {"t": "string"}}, "schema.fields.t"),
    ({"fields": {"t": {"type": "text"}}}, "schema.fields.t.type"),
    ({"fields": {"t": {"required": 1}}}, "schema.fields.t.required"),
    ({"fields": {"t": {"allowed": "a"}}}, "schema.fields.t.allowed"),
    ({"fields": {"t": {"pattern": "("}}}, "schema.fields.t.pattern"),
    ({"fields": {"t": {"max_length": -1}}}, "schema.fields.t.max_length"),
    ({"fields": {"t": {"min_length": True}}}, "schema.fields.t.min_length"),
    ({"fields": {"t": {"severity": "fatal"}}}, "schema.fields.t.severity"),
    ({"fields": {"t": {"requierd": True}}}, "schema.fields.t.requierd"),
])
def test_bad_schema_names_file_and_key(raw: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        sch.load_schema(raw, CONFIG)
    assert caught.value.key == key and caught.value.path == CONFIG
    assert str(caught.value).startswith(f"{CONFIG}: {key}: ")


@pytest.mark.parametrize(("kind", "value", "ok"), [
    ("string", "x", True), ("string", False, False), ("string", 2024, False),
    ("integer", 3, True), ("integer", True, False), ("integer", 2.0, False),
    ("number", 2.5, True), ("number", 2, True), ("number", "2", False),
    ("boolean", False, True), ("boolean", "false", False),
    ("date", dt.date(2024, 1, 2), True), ("datetime", "2013-05-06 02:12:52 +0200", True),
    ("date", "2016-03-21 12:00 EDT", True), ("datetime", "nonsense", False),
    ("list", ["a", "b"], True), ("list", "a b", True), ("list", [1], False),
    ("list", {"a": 1}, False), ("url", "https://x.org/a", True), ("url", "/a/b", True),
    ("url", "x.org", False), ("path", "/img/a.png", True), ("path", 3, False),
])
def test_type_problem(kind: str, value: object, ok: bool) -> None:
    assert (sch.type_problem(kind, value, UTC) is None) is ok


def test_describe_names_yaml_types() -> None:
    assert sch.describe(False) == "the boolean false"
    assert sch.describe(2024) == "the integer 2024"
    assert sch.describe(dt.date(2024, 1, 2)) == "the date 2024-01-02"
    assert sch.describe("x" * 50).endswith("…'")
    assert sch.describe(None) == "empty"
