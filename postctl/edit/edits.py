"""What an edit of front matter is, in every front-matter language (docs/guarantees.md: Edits).

An :class:`Edit` changes one top-level key; the splices of YAML (:mod:`postctl.edit.splice`),
TOML (:mod:`postctl.edit.toml_text`) and JSON (:mod:`postctl.edit.json_text`) carry it out on
the text, or refuse with :class:`UneditableError`. An ``items`` edit changes some items of a
list and keeps the others' bytes: a list is the spans of its items, and a change replaces an
item's characters or removes it. In a flow sequence (YAML ``[a, b]``, a TOML or
JSON array, or the members of a JSON object) a removed item takes its separator with it: the
text up to the next kept item, or, for items at the end, the text from the last kept item's
end, so ``[a, "b", c]`` without ``b`` is ``[a, c]`` and keeps every other byte. A removed item
of a block list takes exactly its own lines (:func:`line_span`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from postctl.errors import WriteRefusedError, display_path

Op = Literal["set", "insert", "delete", "strip", "items", "rejoin"]
DELETE = object()  # an ItemChange's value: the item goes


class UneditableError(WriteRefusedError):
    """A key postctl will not rewrite itself (multi-line value, duplicate key...)."""

    def __init__(self, key: str, reason: str, path: Path | None = None) -> None:
        self.key = key
        self.reason = reason
        self.path = path
        where = f"{display_path(path)}: " if path is not None else ""
        super().__init__(f"{where}{key}: {reason}; edit this key by hand")


@dataclass(frozen=True)
class Edit:
    """One change to one top-level key. ``value`` is the new value (set, insert), or the
    :class:`ItemChange` tuple of an ``items`` edit, or the string a plain value and the
    ``#`` comment YAML cut from it read as once joined and quoted (``rejoin``, YAML only);
    unused for delete and strip. An inserted
    key goes on the line before the key ``before`` when the front matter has it, else last.

    ``text``, when given (set, insert), is the value as it is to be written, already in the
    front matter's language (a date in the site's style, a block list), and ``value`` what
    that text reads back as; verification checks that it does."""

    key: str
    op: Op
    value: object = None
    before: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class ItemChange:
    """The item at ``index`` becomes ``value`` (:data:`DELETE`: it goes)."""

    index: int
    value: object = DELETE

    @property
    def deletes(self) -> bool:
        return self.value is DELETE


@dataclass(frozen=True)
class Span:
    """Characters ``start`` to ``end`` (exclusive) of a text."""

    start: int
    end: int


Replacement = tuple[int, int, str]


def changed_list(items: Sequence[object], changes: Iterable[ItemChange]) -> list[object]:
    """``items`` with ``changes`` applied: what the list reads as afterwards."""
    by_index = {change.index: change for change in changes}
    result = []
    for index, item in enumerate(items):
        change = by_index.get(index)
        if change is None:
            result.append(item)
        elif not change.deletes:
            result.append(change.value)
    return result


def flow_removals(items: Sequence[Span], removed: set[int],
                  text: str | None = None) -> list[Replacement]:
    """The text that goes with the items at ``removed`` of a flow sequence (see the notes).

    Given the ``text`` (a language with comments and trailing commas: YAML, TOML), items
    at the end of a list written one per line take their own lines instead, so the comment
    after the item before them stays.
    """
    found: list[Replacement] = []
    index = 0
    while index < len(items):
        if index not in removed:
            index += 1
            continue
        first = index
        while index < len(items) and index in removed:
            index += 1
        if index < len(items):  # a kept item follows: up to it
            found.append((items[first].start, items[index].start, ""))
        elif first > 0 and text is not None and "\n" in text[items[first - 1].end:
                                                            items[first].start]:
            start = text.rfind("\n", 0, items[first].start) + 1
            rest = _REST_OF_LINE.match(text, items[-1].end)
            found.append((start, rest.end() if rest else items[-1].end, ""))
        elif first > 0:  # the run ends the list: from the kept item before it
            found.append((items[first - 1].end, items[-1].end, ""))
        else:  # every item goes
            found.append((items[0].start, items[-1].end, ""))
    return found


_REST_OF_LINE = re.compile(r"[ \t]*,?[ \t]*(?:#[^\n]*)?\r?\n")


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole lines holding ``text[start:end]``, with the last line's ending."""
    first = text.rfind("\n", 0, start) + 1
    if end > 0 and text[end - 1] == "\n":
        return first, end
    newline = text.find("\n", end)
    return first, len(text) if newline < 0 else newline + 1


def replaced(text: str, replacements: Iterable[Replacement]) -> str:
    """``text`` with each ``(start, end, new)`` applied; the spans must not overlap."""
    ordered = sorted(replacements)
    for (_, end, _), (start, _, _) in itertools.pairwise(ordered):
        if start < end:
            raise ValueError("overlapping replacements")
    pieces = []
    last = 0
    for start, end, new in ordered:
        pieces.append(text[last:start])
        pieces.append(new)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
