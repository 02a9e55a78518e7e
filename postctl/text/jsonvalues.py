"""Python values → JSON: the one mapping every command's output and the site index use.

Front matter is YAML, so its values are more than JSON can hold; each is written as the
closest JSON value, the same way everywhere (docs/guarantees.md, "Output"):

- dates, date-times and times as ISO 8601 (an aware date-time keeps its offset);
- NaN and infinity as their YAML spelling (``.nan``, ``.inf``, ``-.inf``): a post may hold
  them and must still list, and the text says what the post says;
- paths as POSIX strings, tuples as lists, sets as sorted lists, enums as their value,
  dataclasses as objects, bytes (YAML ``!!binary``) as UTF-8 text;
- mapping keys as strings: a date key as ISO 8601, ``true``/``false``/``null`` as JSON spells
  them, numbers as written.

Anything else is a program error: ``TypeError`` naming where in the value it was found.
Text is UTF-8 (``ensure_ascii=False``), with the code points a terminal must not see raw
escaped (:func:`postctl.text.sanitize.escape_json_text`): the parsed value is unchanged.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from collections.abc import Mapping
from pathlib import PurePath

from postctl.text.sanitize import escape_json_text

__all__ = ["json_dumps", "to_jsonable"]

_NON_FINITE = {math.inf: ".inf", -math.inf: "-.inf"}


def to_jsonable(value: object) -> object:
    """``value`` as plain JSON types (dict, list, str, int, float, bool, None)."""
    return _convert(value, "")


def json_dumps(value: object, *, indent: int | None = None) -> str:
    """``value`` as JSON text, the way every postctl command and the site index write it."""
    try:
        if indent is None:
            text = _ENCODER.encode(value)
        else:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False,
                              default=_default, indent=indent)
    except (ValueError, TypeError):
        # NaN or infinity, a key the C encoder refuses (a date), or a type only _convert
        # knows: convert first, which also names where an unknown type was found.
        text = json.dumps(to_jsonable(value), ensure_ascii=False, allow_nan=False,
                          indent=indent)
    return escape_json_text(text)


def _convert(value: object, where: str) -> object:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return ".nan" if math.isnan(value) else _NON_FINITE[value]
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, Mapping):
        return {_key(k): _convert(v, f"{where}.{k}" if where else str(k))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_convert(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [_convert(v, f"{where}[]") for v in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return _convert_other(value, where)


def _convert_other(value: object, where: str) -> object:
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, enum.Enum):
        return _convert(value.value, where)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if hasattr(type(value), "__dataclass_fields__"):  # is_dataclass without importing it
        names = getattr(value, "__dataclass_fields__", {})
        return _convert({name: getattr(value, name) for name in names}, where)
    raise TypeError(f"{where or 'value'}: a {type(value).__name__} cannot be written as JSON")


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (dt.date, dt.time)):
        return key.isoformat()
    if key is None or isinstance(key, bool):
        return json.dumps(key)
    if isinstance(key, (int, float)):  # as the C encoder writes a number key
        return repr(key) if math.isfinite(key) else str(_convert(key, ""))
    raise TypeError(f"a {type(key).__name__} key cannot be written as JSON")


def _default(value: object) -> object:
    # The C encoder's hook for types it does not know; the common ones first.
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return _convert_other(value, "")


# One reused encoder for the compact form: json.dumps builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_default)
