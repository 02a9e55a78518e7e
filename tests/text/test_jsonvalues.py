"""``postctl.text.jsonvalues``: the one mapping of Python values to JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
from pathlib import PurePosixPath

import pytest

from postctl.text.jsonvalues import json_dumps, to_jsonable

CET = dt.timezone(dt.timedelta(hours=1))


def test_to_jsonable_converts_every_supported_type() -> None:
    class Colour(enum.Enum):
        red = "red"

    @dataclasses.dataclass(frozen=True)
    class Item:
        name: str
        when: dt.date

    value = {
        "naive": dt.datetime(2024, 3, 2, 9, 15),
        "aware": dt.datetime(2024, 3, 2, 9, 15, 30, tzinfo=CET),
        "date": dt.date(2024, 3, 2),
        "time": dt.time(9, 15),
        "path": PurePosixPath("a/b.md"),
        "tuple": (1, "x"),
        "set": {"b", "a", "c"},
        "enum": Colour.red,
        "item": Item("n", dt.date(2020, 1, 1)),
        "nested": {dt.date(2024, 1, 1): [None, True, 1.5]},
        2024: "int key",
    }
    assert to_jsonable(value) == {
        "naive": "2024-03-02T09:15:00",
        "aware": "2024-03-02T09:15:30+01:00",
        "date": "2024-03-02",
        "time": "09:15:00",
        "path": "a/b.md",
        "tuple": [1, "x"],
        "set": ["a", "b", "c"],
        "enum": "red",
        "item": {"name": "n", "when": "2020-01-01"},
        "nested": {"2024-01-01": [None, True, 1.5]},
        "2024": "int key",
    }
    # json_dumps gives the same result through its fast path or its fallback
    assert json.loads(json_dumps(value)) == to_jsonable(value)


def test_to_jsonable_names_where_it_failed() -> None:
    with pytest.raises(TypeError, match=r"a\.b\[2\]: a object cannot be written as JSON"):
        to_jsonable({"a": {"b": [0, 1, object()]}})
    with pytest.raises(TypeError, match="a object cannot be written as JSON"):
        json_dumps([object()])


def test_front_matter_values_json_has_no_form_for_keep_their_yaml_spelling() -> None:
    # A post may hold `.nan`, `.inf` and `!!binary`: it must still list, as written.
    value = {"nan": math.nan, "inf": [math.inf, -math.inf], "raw": b"caf\xc3\xa9"}
    assert to_jsonable(value) == {"nan": ".nan", "inf": [".inf", "-.inf"], "raw": "café"}
    assert json.loads(json_dumps(value)) == to_jsonable(value)


@pytest.mark.parametrize("value", [
    {}, {"title": "Émile \u202e & \x7f", "n": 1, "f": 1.5, "b": True, "none": None},
    {"date": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=CET), "day": dt.date(2024, 1, 2),
     "nested": {"list": [dt.date(2020, 2, 2), {"t": dt.time(1, 2)}]}},
    {"nan": math.nan, "inf": [math.inf]}, {1: "int key", 2.5: "float key", None: "n"},
    {dt.date(2020, 1, 1): "date key"}, {"path": PurePosixPath("a/b")},
])
def test_fast_path_and_conversion_write_the_same_text(value: dict[object, object]) -> None:
    converted = json.dumps(to_jsonable(value), ensure_ascii=False)
    assert json.loads(json_dumps(value)) == json.loads(converted)
    assert json_dumps(value, indent=2).replace("\n", "").replace(" ", "") == \
        json_dumps(value).replace(" ", "")


def test_terminal_controls_are_escaped_and_the_value_kept() -> None:
    text = json_dumps({"t": "a\u202eb\x7f"})
    assert "\u202e" not in text and "\x7f" not in text
    assert json.loads(text) == {"t": "a\u202eb\x7f"}


