"""TOML front matter (Hugo's ``+++``) edited as text (docs/guarantees.md: Edits).

The top-level ``key = value`` lines (those before the first ``[table]``) are scanned for
where each key's value starts and ends, and where each item of an array does; an edit
replaces those characters and nothing else, as the YAML splices do. A new key is one line,
before the line of a given key or after the last top-level key; a removed key takes its own
lines. A value is written as TOML reads it back: strings in basic quotes (or in the literal
quotes of the string they replace), numbers, booleans, dates and flat arrays; TOML has no
null and postctl writes no tables, so those are refused. A front matter the scanner does not
follow (a dotted key to edit, say) is refused, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
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

if sys.version_info >= (3, 11):
    from tomllib import loads as _loads
else:  # pragma: no cover
    from tomli import loads as _loads  # type: ignore[import-not-found,unused-ignore]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}#\r\n]")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


@dataclass(frozen=True)
class TomlEntry:
    """A top-level key: its lines (with the last line's ending), its value, and the items
    and their quote characters when the value is an array."""

    key: str
    lines: Span
    value: Span
    items: tuple[Span, ...] | None


@dataclass(frozen=True)
class TomlLayout:
    entries: tuple[TomlEntry, ...]
    end: int  # where the top-level keys end: the first table header, or the end

    def find(self, key: str) -> TomlEntry | None:
        found = [entry for entry in self.entries if entry.key == key]
        if len(found) > 1:
            raise UneditableError(key, "the key appears more than once")
        return found[0] if found else None


def apply_edits(fm_text: str, edits: Sequence[Edit], newline: str) -> str:
    """``fm_text`` with each of ``edits`` applied in turn."""
    for edit in edits:
        fm_text = _apply(fm_text, edit, newline)
    return fm_text


def layout(fm_text: str, key: str = "?") -> TomlLayout:
    """Where the top-level keys of ``fm_text`` stand; UneditableError when unreadable."""
    try:
        return _Scanner(fm_text).top_level()
    except (IndexError, ValueError):
        raise UneditableError(key, "postctl cannot follow this TOML front matter") from None


def toml_value(value: object, style: str | None = None) -> str:
    """``value`` as TOML text; a string in literal quotes when ``style`` is ``'`` and it can."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(float(value))
    if isinstance(value, str):
        if style == "'" and not any(c == "'" or (ord(c) < 32 and c != "\t") or c == "\x7f"
                                    for c in value):
            return f"'{value}'"
        return '"' + "".join(_escape(char) for char in value) + '"'
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    kind = "null" if value is None else type(value).__name__
    raise UneditableError("?", f"TOML front matter cannot hold a {kind} value")


# --- edits -----------------------------------------------------------------------------


def _apply(fm_text: str, edit: Edit, newline: str) -> str:
    found = layout(fm_text, edit.key)
    entry = found.find(edit.key)
    try:
        if edit.op == "insert":
            if entry is not None:
                raise UneditableError(edit.key, "the key already exists")
            return _insert(fm_text, found, edit, newline)
        if entry is None:
            raise KeyError(edit.key)
        if edit.op == "delete":
            return fm_text[: entry.lines.start] + fm_text[entry.lines.end :]
        if edit.op == "set":
            style = fm_text[entry.value.start]
            text = edit.text if edit.text is not None else toml_value(edit.value, style)
            return fm_text[: entry.value.start] + text + fm_text[entry.value.end :]
        if edit.op == "items":
            assert isinstance(edit.value, tuple)
            return _edit_items(fm_text, entry, edit.value)
    except UneditableError as exc:
        if exc.key != "?":
            raise
        raise UneditableError(edit.key, exc.reason) from None
    raise UneditableError(edit.key, f"{edit.op!r} is not an edit of TOML front matter")


def _insert(fm_text: str, found: TomlLayout, edit: Edit, newline: str) -> str:
    key = edit.key if _BARE_KEY.fullmatch(edit.key) else toml_value(edit.key)
    line = f"{key} = {edit.text if edit.text is not None else toml_value(edit.value)}"
    before = found.find(edit.before) if edit.before else None
    if before is not None:
        place = before.lines.start
    elif found.entries:
        place = found.entries[-1].lines.end
    else:
        place = found.end
    if place > 0 and fm_text[place - 1] != "\n":
        return fm_text[:place] + newline + line + fm_text[place:]
    return fm_text[:place] + line + newline + fm_text[place:]


def _edit_items(fm_text: str, entry: TomlEntry, changes: tuple[ItemChange, ...]) -> str:
    if entry.items is None:
        raise UneditableError(entry.key, "the value is not an array")
    edits = [(entry.items[c.index].start, entry.items[c.index].end,
              toml_value(c.value, fm_text[entry.items[c.index].start]))
             for c in changes if not c.deletes]
    edits += flow_removals(entry.items, {c.index for c in changes if c.deletes}, fm_text)
    return replaced(fm_text, edits)


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 32 or char == "\x7f":
        return f"\\u{ord(char):04X}"
    return char


# --- the scanner -------------------------------------------------------------------------


class _Scanner:
    """Reads the top-level keys of valid TOML (tomllib has read it) for their spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def top_level(self) -> TomlLayout:
        entries: list[TomlEntry] = []
        text = self.text
        while self.pos < len(text):
            start = self.pos
            self._blanks()
            if self.pos >= len(text):
                break
            if text[self.pos] == "[":
                return TomlLayout(tuple(entries), start)
            if text[self.pos] in "#\r\n":
                self._line_rest()
                continue
            key = self._key()
            self._blanks()
            self._expect("=")
            self._blanks()
            value_start = self.pos
            items = self._value()
            value = Span(value_start, self.pos)
            self._line_rest()
            entries.append(TomlEntry(key, Span(start, self.pos), value, items))
        return TomlLayout(tuple(entries), len(text))

    def _blanks(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def _line_rest(self) -> None:
        """Blanks, a comment and the line ending after a value (or on an empty line)."""
        self._blanks()
        if self.pos < len(self.text) and self.text[self.pos] == "#":
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else end
        if self.text.startswith("\r\n", self.pos):
            self.pos += 2
        elif self.text.startswith("\n", self.pos):
            self.pos += 1
        elif self.pos < len(self.text):
            raise ValueError("text after a value")

    def _gaps(self) -> None:
        """Blanks, line endings and comments between array items."""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r\n":
                self.pos += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def _expect(self, char: str) -> None:
        if self.text[self.pos] != char:
            raise ValueError(f"expected {char!r}")
        self.pos += 1

    def _key(self) -> str:
        parts = [self._simple_key()]
        self._blanks()
        while self.text[self.pos] == ".":
            self.pos += 1
            self._blanks()
            parts.append(self._simple_key())
            self._blanks()
        return ".".join(parts) if len(parts) == 1 else "\0" + "\0".join(parts)

    def _simple_key(self) -> str:
        found = _BARE_KEY.match(self.text, self.pos)
        if found:
            self.pos = found.end()
            return found[0]
        start = self.pos
        self._string()
        return str(_loads("k = " + self.text[start : self.pos])["k"])

    def _value(self) -> tuple[Span, ...] | None:
        char = self.text[self.pos]
        if char in "\"'":
            self._string()
        elif char == "[":
            return self._array()
        elif char == "{":
            self._table()
        else:  # a number, boolean or date: up to a separator, without trailing blanks
            start = self.pos
            end = _SCALAR_END.search(self.text, start)
            self.pos = len(self.text) if end is None else end.start()
            while self.pos > start and self.text[self.pos - 1] in " \t":
                self.pos -= 1
        return None

    def _array(self) -> tuple[Span, ...]:
        self.pos += 1
        items: list[Span] = []
        while True:
            self._gaps()
            if self.text[self.pos] == "]":
                self.pos += 1
                return tuple(items)
            start = self.pos
            self._value()
            items.append(Span(start, self.pos))
            self._gaps()
            if self.text[self.pos] == ",":
                self.pos += 1

    def _table(self) -> None:
        self.pos += 1
        while True:
            self._blanks()
            if self.text[self.pos] == "}":
                self.pos += 1
                return
            self._key()
            self._blanks()
            self._expect("=")
            self._blanks()
            self._value()
            self._blanks()
            if self.text[self.pos] == ",":
                self.pos += 1

    def _string(self) -> None:
        text, quote = self.text, self.text[self.pos]
        if text.startswith(quote * 3, self.pos):
            end = self._closing(quote * 3, self.pos + 3, quote == '"')
            for _ in range(2):  # the content may end with up to two quotes
                if text[end : end + 1] == quote:
                    end += 1
            self.pos = end
            return
        end = self._closing(quote, self.pos + 1, quote == '"')
        if "\n" in text[self.pos : end]:
            raise ValueError("a one-line string spans lines")
        self.pos = end

    def _closing(self, delimiter: str, index: int, escapes: bool) -> int:
        """Index just past ``delimiter`` closing a string whose content starts at ``index``."""
        text = self.text
        while True:
            if escapes and text[index] == "\\":
                index += 2
            elif text.startswith(delimiter, index):
                return index + len(delimiter)
            else:
                index += 1
