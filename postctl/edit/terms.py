"""Renaming, merging and deleting tags or categories in one post's front matter.

:func:`term_edits` looks at the key Jekyll reads the names from (``tag`` before ``tags``,
``category`` before ``categories``: :func:`postctl.post.normalize.own_key`) and returns the
edits that rename or remove the names that match, changing only those:

* in a list, a matching item becomes the new name (written as YAML, TOML or JSON needs it),
  and further matches go; a post that already has the new name keeps that one and loses
  the others, so a name never appears twice;
* in a space-separated string (``tags: a b``) the same happens to the words, and the value
  stays a string (it becomes a list only when the new name holds a space, which a string
  cannot: Jekyll would split it);
* a single value (``tag: Old``) is replaced as a whole.

A list or string left without a name becomes ``[]``; a singular key left without one goes,
unless a plural key stands beside it (which Jekyll would then read), when it becomes ``[]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from postctl.edit.edits import Edit, ItemChange
from postctl.post.normalize import own_key

Field = Literal["tags", "categories"]
SINGULAR: dict[Field, str] = {"tags": "tag", "categories": "category"}
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class TermChange:
    """What becomes of the names of ``field`` that ``matches`` accepts: ``new``, or nothing
    (None: they are deleted)."""

    field: Field
    matches: Callable[[str], bool]
    new: str | None


def term_key(values: Mapping[str, Any], field: Field) -> str:
    """The front-matter key that holds the post's names of ``field``."""
    return own_key(values, SINGULAR[field], field)


def term_edits(values: Mapping[str, Any], change: TermChange) -> list[Edit]:
    """The edits that apply ``change`` to a post whose front matter is ``values``."""
    key = term_key(values, change.field)
    value = values.get(key)
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, list):
        changes = _changes([_text(item) for item in value], change)
        return [Edit(key, "items", tuple(changes))] if changes else []
    if isinstance(value, str) and key == change.field:
        return _word_edits(key, value, change)
    if not _changes([str(value)], change):
        return []
    if change.new is not None:
        return [Edit(key, "set", change.new)]
    if key != change.field and values.get(change.field) is None:
        return [Edit(key, "delete")]
    return [Edit(key, "set", [])]


def _text(item: object) -> str | None:
    """An item as the name Jekyll reads (None: no name, as ``null`` and ``""`` are none)."""
    return None if item is None or str(item) == "" else str(item)


def _changes(names: Sequence[str | None], change: TermChange) -> list[ItemChange]:
    """Item changes for ``names``: the first match renamed (unless the new name is there
    already), every other match removed. None when no name matches."""
    hits = [i for i, name in enumerate(names) if name is not None and change.matches(name)
            and name != change.new]
    if not hits:
        return []
    if change.new is None:
        return [ItemChange(index) for index in hits]
    present = [i for i, name in enumerate(names) if name == change.new]
    keep = present[0] if present else hits[0]
    gone = sorted(set(hits + present) - {keep})
    changes = [ItemChange(index) for index in gone]
    if keep in hits:
        changes.append(ItemChange(keep, change.new))
    return sorted(changes, key=lambda item: item.index)


def _word_edits(key: str, value: str, change: TermChange) -> list[Edit]:
    words = list(_WORD.finditer(value))
    changes = _changes([word[0] for word in words], change)
    if not changes:
        return []
    by_index = {item.index: item for item in changes}
    kept: list[tuple[re.Match[str], str]] = []
    for index, word in enumerate(words):
        item = by_index.get(index)
        if item is None or not item.deletes:
            kept.append((word, word[0] if item is None else str(item.value)))
    if not kept:
        return [Edit(key, "set", [])]
    if any(_WORD.fullmatch(text) is None for _, text in kept):
        return [Edit(key, "set", [text for _, text in kept])]
    # Each kept word keeps the blanks before it; a removed word takes its own with it.
    pieces = [value[: words[0].start()], kept[0][1]]
    for word, text in kept[1:]:
        index = words.index(word)
        pieces += [value[words[index - 1].end() : word.start()], text]
    pieces.append(value[words[-1].end() :])
    return [Edit(key, "set", "".join(pieces))]
