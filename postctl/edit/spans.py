"""Byte-exact edits of TOML and JSON front matter (Hugo), the counterpart of
:mod:`postctl.edit.splice` for YAML (docs/guarantees.md: Edits).

A top-level key's value is found in the text (its span: the characters of the value, from
its first to its last) and only those characters are replaced; a list that grows keeps the
text of its items and gains the new ones in its own layout; a new key is one line, after the
first key of the edit's ``after`` that the front matter has (where ``postctl new`` would put
it), in the file's line-ending style. Scalars and arrays of scalars are edited; multi-line
strings, inline tables, comments inside arrays and keys of TOML tables are refused with
UneditableError ("edit this key by hand").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from postctl.edit.splice import Edit, UneditableError
from postctl.text.toml_json import toml_value

__all__ = ["Located", "apply_edits", "literal", "locate"]

_TOML_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
_TOML_KEY = re.compile(r"""^[ \t]*([A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*=[ \t]*""",
                       re.MULTILINE)
_TOML_BASIC = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_TOML_LITERAL = re.compile(r"'[^'\r\n]*'")
_TOML_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                            r"(?:[Zz]|[+-]\d{2}:\d{2})?)?")
_TOML_BARE = re.compile(r"[^\s#,\]}]+")


@dataclass(frozen=True)
class Located:
    """A top-level key in TOML or JSON text: where its line starts, where the key starts,
    and the span of its value."""

    line_start: int
    key_start: int
    start: int
    end: int
    refusal: str | None = None  # why the value cannot be edited, if it cannot


def locate(kind: str, fm_text: str) -> dict[str, Located]:
    """Every top-level key of TOML (before the first table) or JSON front matter."""
    return _toml_keys(fm_text) if kind == "toml" else _json_keys(fm_text)


def apply_edits(kind: str, fm_text: str, edits: Sequence[Edit], newline: str) -> str:
    """``fm_text`` with ``edits`` (set and insert) applied, in order."""
    for edit in edits:
        if edit.op == "set":
            fm_text = _set(kind, fm_text, edit)
        elif edit.op == "insert":
            fm_text = _insert(kind, fm_text, edit, newline)
        else:
            raise UneditableError(edit.key, f"postctl does not {edit.op} keys of {kind.upper()} "
                                  "front matter")
    return fm_text


def literal(kind: str, value: object, like: str = "") -> str:
    """``value`` written in ``kind``'s syntax; a string keeps the quote style of ``like``
    (the text it replaces) where it can."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(kind, item) for item in value) + "]"
    if isinstance(value, str):
        if kind == "toml" and like.startswith("'") and _TOML_LITERAL.fullmatch(f"'{value}'") \
                and not any(ord(char) < 32 or ord(char) == 127 for char in value):
            return f"'{value}'"
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (dt.date, dt.datetime)) and kind == "toml":
        return value.isoformat()
    raise UneditableError("?", f"postctl does not write a {type(value).__name__} "
                          f"in {kind.upper()}")


# --- set and insert -------------------------------------------------------------------


def _set(kind: str, fm_text: str, edit: Edit) -> str:
    where = _find(kind, fm_text, edit.key)
    old = fm_text[where.start : where.end]
    if edit.text is not None:
        new = edit.text
    elif isinstance(edit.value, (list, tuple)) and old.startswith("["):
        return _set_array(kind, fm_text, where, list(edit.value), edit.key)
    else:
        new = literal(kind, edit.value, old)
    return fm_text[: where.start] + new + fm_text[where.end :]


def _set_array(kind: str, fm_text: str, where: Located, values: list[object], key: str) -> str:
    """The array's items become ``values``: added at its end when it only grows (the old
    items keep their text, the layout its lines), else the array is written anew."""
    old = _load_value(kind, fm_text[where.start : where.end])
    if not isinstance(old, list) or values[: len(old)] != old:
        return fm_text[: where.start] + literal(kind, values) + fm_text[where.end :]
    added = [literal(kind, value) for value in values[len(old) :]]
    if not added:
        return fm_text
    close = where.end - 1
    last = close - 1
    while last > where.start and fm_text[last] in " \t\r\n":
        last -= 1
    if "\n" not in fm_text[where.start : where.end]:
        inner = fm_text[where.start + 1 : last + 1]
        separator = "" if last == where.start else (" " if inner.endswith(",") else ", ")
        return fm_text[: last + 1] + separator + ", ".join(added) + fm_text[last + 1 :]
    if last == where.start:
        raise UneditableError(key, "an empty array over several lines")
    indent = _indent_of(fm_text, last)
    newline = "\r\n" if "\r\n" in fm_text[where.start : where.end] else "\n"
    if fm_text[last] == ",":
        text = "".join(f"{newline}{indent}{item}," for item in added)
    else:
        text = "," + ",".join(f"{newline}{indent}{item}" for item in added)
    return fm_text[: last + 1] + text + fm_text[last + 1 :]


def _insert(kind: str, fm_text: str, edit: Edit, newline: str) -> str:
    keys = locate(kind, fm_text)
    if edit.key in keys:
        raise UneditableError(edit.key, "the key already exists")
    text = edit.text if edit.text is not None else literal(kind, edit.value)
    if kind == "toml":
        return _insert_toml(fm_text, keys, edit, text, newline)
    return _insert_json(fm_text, keys, edit, text, newline)


def _insert_toml(fm_text: str, keys: dict[str, Located], edit: Edit, text: str,
                 newline: str) -> str:
    line = f"{_toml_key(edit.key)} = {text}"
    anchor = next((keys[name] for name in edit.after if name in keys), None)
    if anchor is not None:
        at = _line_end(fm_text, anchor.end)
    else:
        table = _TOML_TABLE.search(fm_text)
        at = table.start() if table else len(fm_text)
    if at == len(fm_text) and fm_text and not fm_text.endswith("\n"):
        return fm_text + newline + line
    return fm_text[:at] + line + newline + fm_text[at:]


def _insert_json(fm_text: str, keys: dict[str, Located], edit: Edit, text: str,
                 newline: str) -> str:
    """A new ``"key": value,`` line: after the anchor when a comma follows it, else before
    it (without an anchor, before the last key: near the end, where ``new`` puts keys it does
    not know), so that no other line changes."""
    if not keys:
        raise UneditableError(edit.key, "an empty JSON object")
    entry = json.dumps(edit.key, ensure_ascii=False) + ": " + text + ","
    anchor = next((keys[name] for name in edit.after if name in keys), None)
    if anchor is not None:
        comma = re.compile(r"[ \t]*,[ \t]*\r?\n").match(fm_text, anchor.end)
        if comma is not None:
            return fm_text[: comma.end()] + _indent_of(fm_text, anchor.key_start) + entry + \
                newline + fm_text[comma.end() :]
    before = anchor or max(keys.values(), key=lambda found: found.start)
    if fm_text[before.line_start : before.key_start].strip():
        raise UneditableError(edit.key, "the JSON object is not one key per line")
    indent = fm_text[before.line_start : before.key_start]
    return fm_text[: before.line_start] + indent + entry + newline + fm_text[before.line_start :]


# --- finding keys ---------------------------------------------------------------------


def _find(kind: str, fm_text: str, key: str) -> Located:
    found = locate(kind, fm_text).get(key)
    if found is None:
        raise KeyError(key)
    if found.refusal is not None:
        raise UneditableError(key, found.refusal)
    return found


def _toml_keys(fm_text: str) -> dict[str, Located]:
    table = _TOML_TABLE.search(fm_text)
    limit = table.start() if table else len(fm_text)
    found: dict[str, Located] = {}
    position = 0
    while (match := _TOML_KEY.search(fm_text, position, limit)) is not None:
        name = match[1]
        key = json.loads(name) if name.startswith('"') else name.strip("'")
        line_start = fm_text.rfind("\n", 0, match.start()) + 1
        try:
            end = _toml_value_end(fm_text, match.end(), key)
            found[key] = Located(line_start, match.start(1), match.end(), end)
        except UneditableError as refused:
            end = _skip_multiline(fm_text, match.end())
            found[key] = Located(line_start, match.start(1), match.end(), end, refused.reason)
        position = max(end, match.end())
        if table is not None and position > table.start():
            table = _TOML_TABLE.search(fm_text, position)
            limit = table.start() if table else len(fm_text)
    return found


def _skip_multiline(text: str, start: int) -> int:
    """Past a multi-line string opening at ``start`` (else past the line)."""
    head = text[start : start + 3]
    if head in ('"""', "'''"):
        close = text.find(head, start + 3)
        if close >= 0:
            return close + 3
    return _line_end(text, start)


def _toml_value_end(text: str, start: int, key: str) -> int:
    head = text[start : start + 3]
    if head in ('"""', "'''"):
        raise UneditableError(key, "a multi-line string")
    char = text[start : start + 1]
    if char in ('"', "'"):
        found = (_TOML_BASIC if char == '"' else _TOML_LITERAL).match(text, start)
        if found is None:
            raise UneditableError(key, "a string that does not end on its line")
        return found.end()
    if char in ("[", "{"):
        return _bracket_end(text, start, key)
    found = _TOML_DATETIME.match(text, start) or _TOML_BARE.match(text, start)
    if found is None:
        raise UneditableError(key, "no value on the key's line")
    return found.end()


def _bracket_end(text: str, start: int, key: str) -> int:
    """End of the TOML array or inline table opening at ``start``."""
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        if char in "\"'":
            pattern = _TOML_BASIC if char == '"' else _TOML_LITERAL
            found = pattern.match(text, position)
            if found is None:
                raise UneditableError(key, "a string that does not end on its line")
            position = found.end()
            continue
        if char == "#":
            raise UneditableError(key, "an array or table with comments inside")
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    raise UneditableError(key, "an array or table that is never closed")


def _json_keys(fm_text: str) -> dict[str, Located]:
    decoder = json.JSONDecoder()
    found: dict[str, Located] = {}
    position = _blank(fm_text, fm_text.index("{") + 1)
    while position < len(fm_text) and fm_text[position] == '"':
        key, after_key = json.decoder.scanstring(fm_text, position + 1)  # type: ignore[attr-defined]
        start = _blank(fm_text, _blank(fm_text, after_key) + 1)
        _, end = decoder.raw_decode(fm_text, start)
        line_start = fm_text.rfind("\n", 0, position) + 1
        found[key] = Located(line_start, position, start, end)
        position = _blank(fm_text, end)
        if fm_text[position : position + 1] != ",":
            break
        position = _blank(fm_text, position + 1)
    return found


def _blank(text: str, position: int) -> int:
    """The first position at or after ``position`` that is not JSON white space."""
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


# --- helpers --------------------------------------------------------------------------


def _load_value(kind: str, text: str) -> object:
    if kind == "json":
        return json.loads(text)
    return toml_value(text)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _indent_of(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    line = text[start:position]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _line_end(text: str, position: int) -> int:
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline + 1
