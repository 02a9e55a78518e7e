"""JSON front matter (Hugo's leading ``{...}`` object) edited as text (docs/guarantees.md: Edits).

The members of the outer object are scanned for where each key and value starts and ends,
and where each item of an array does; an edit replaces those characters and nothing else,
as the YAML splices do. A member removed, like an array item, takes its separating comma
with it (:func:`postctl.edit.edits.flow_removals`); a new member goes before a given key,
or after the last one, with the separator the object already uses between its members.
Values are written by :func:`json.dumps` (UTF-8 kept as it is); a date becomes its ISO 8601
text (:func:`as_json`), as JSON has no dates.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from postctl.edit.edits import (
    Edit,
    ItemChange,
    Span,
    UneditableError,
    flow_removals,
    replaced,
)

_LITERAL = re.compile(r"[^,\]}\s]+")


@dataclass(frozen=True)
class JsonMember:
    """One member of the outer object: from its key to the end of its value."""

    key: str
    span: Span
    value: Span
    items: tuple[Span, ...] | None


def apply_edits(fm_text: str, edits: Sequence[Edit]) -> str:
    """``fm_text`` with each of ``edits`` applied in turn."""
    for edit in edits:
        fm_text = _apply(fm_text, edit)
    return fm_text


def members(fm_text: str, key: str = "?") -> tuple[JsonMember, ...]:
    """The members of the outer object; UneditableError when the text cannot be followed."""
    try:
        return _Scanner(fm_text).members()
    except (IndexError, ValueError):
        raise UneditableError(key, "postctl cannot follow this JSON front matter") from None


def as_json(value: object) -> object:
    """``value`` as JSON front matter holds it: a date or time as its ISO 8601 text."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [as_json(item) for item in value]
    return value


def json_value(value: object) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise UneditableError("?", "JSON has no NaN or infinity")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        raise UneditableError("?", "JSON has no dates")
    return json.dumps(as_json(value), ensure_ascii=False)


# --- edits -----------------------------------------------------------------------------


def _apply(fm_text: str, edit: Edit) -> str:
    found = members(fm_text, edit.key)
    named = [index for index, member in enumerate(found) if member.key == edit.key]
    if len(named) > 1:
        raise UneditableError(edit.key, "the key appears more than once")
    try:
        if edit.op == "insert":
            if named:
                raise UneditableError(edit.key, "the key already exists")
            return _insert(fm_text, found, edit)
        if not named:
            raise KeyError(edit.key)
        member = found[named[0]]
        if edit.op == "delete":
            return replaced(fm_text, flow_removals([m.span for m in found], {named[0]}))
        if edit.op == "set":
            text = edit.text if edit.text is not None else json_value(edit.value)
            return replaced(fm_text, [(member.value.start, member.value.end, text)])
        if edit.op == "items":
            assert isinstance(edit.value, tuple)
            return _edit_items(fm_text, member, edit.value)
    except UneditableError as exc:
        if exc.key != "?":
            raise
        raise UneditableError(edit.key, exc.reason) from None
    raise UneditableError(edit.key, f"{edit.op!r} is not an edit of JSON front matter")


def _insert(fm_text: str, found: tuple[JsonMember, ...], edit: Edit) -> str:
    text = edit.text if edit.text is not None else json_value(edit.value)
    member = f"{json.dumps(edit.key, ensure_ascii=False)}: {text}"
    if not found:
        opening = fm_text.index("{") + 1
        return fm_text[:opening] + member + fm_text[opening:]
    if len(found) > 1:
        separator = fm_text[found[0].span.end : found[1].span.start]
    else:
        separator = "," + fm_text[fm_text.index("{") + 1 : found[0].span.start]
    names = [m.key for m in found]
    if edit.before in names:
        place = found[names.index(edit.before)].span.start
        return fm_text[:place] + member + separator + fm_text[place:]
    place = found[-1].span.end
    return fm_text[:place] + separator + member + fm_text[place:]


def _edit_items(fm_text: str, member: JsonMember, changes: tuple[ItemChange, ...]) -> str:
    if member.items is None:
        raise UneditableError(member.key, "the value is not an array")
    edits = [(member.items[c.index].start, member.items[c.index].end, json_value(c.value))
             for c in changes if not c.deletes]
    edits += flow_removals(member.items, {c.index for c in changes if c.deletes})
    return replaced(fm_text, edits)


# --- the scanner -------------------------------------------------------------------------


class _Scanner:
    """Reads valid JSON (the reader has parsed it) for the spans of its outer members."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def members(self) -> tuple[JsonMember, ...]:
        self._blanks()
        self._expect("{")
        found: list[JsonMember] = []
        while True:
            self._blanks()
            if self.text[self.pos] == "}":
                return tuple(found)
            if self.text[self.pos] == ",":
                self.pos += 1
                self._blanks()
            start = self.pos
            self._string()
            key = json.loads(self.text[start : self.pos])
            self._blanks()
            self._expect(":")
            self._blanks()
            value_start = self.pos
            items = self._value()
            found.append(JsonMember(str(key), Span(start, self.pos),
                                    Span(value_start, self.pos), items))

    def _blanks(self) -> None:
        while self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def _expect(self, char: str) -> None:
        if self.text[self.pos] != char:
            raise ValueError(f"expected {char!r}")
        self.pos += 1

    def _value(self) -> tuple[Span, ...] | None:
        char = self.text[self.pos]
        if char == '"':
            self._string()
            return None
        if char in "[{":
            closing = "]" if char == "[" else "}"
            self.pos += 1
            items: list[Span] = []
            while True:
                self._blanks()
                if self.text[self.pos] == closing:
                    self.pos += 1
                    return tuple(items) if char == "[" else None
                if self.text[self.pos] == ",":
                    self.pos += 1
                    self._blanks()
                start = self.pos
                if char == "{":
                    self._string()
                    self._blanks()
                    self._expect(":")
                    self._blanks()
                self._value()
                items.append(Span(start, self.pos))
        found = _LITERAL.match(self.text, self.pos)
        if found is None:
            raise ValueError("expected a value")
        self.pos = found.end()
        return None

    def _string(self) -> None:
        index = self.pos + 1
        if self.text[self.pos] != '"':
            raise ValueError("expected a string")
        while self.text[index] != '"':
            index += 2 if self.text[index] == "\\" else 1
        self.pos = index + 1
