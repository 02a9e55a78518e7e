"""Setting and removing front-matter keys in one post (``postctl set``/``unset``).

A key the post has gets its new value in place; a key it lacks is inserted where
``postctl new`` would put it: before the first key that comes after it in the site's key
order (``[new] keys``, then the habits of its recent posts), else last. So ``unset`` after
``set`` of a new key gives the file back byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from postctl.edit.edits import Edit
from postctl.edit.yaml_nodes import same_value
from postctl.text import emit


def set_edits(values: Mapping[str, Any], assignments: Mapping[str, object],
              order: Sequence[str]) -> list[Edit]:
    """The edits that give a post whose front matter is ``values`` each assigned value;
    none for a value it has already (equal in value and type)."""
    keys = list(values)
    edits = []
    for key, value in assignments.items():
        if key in values:
            if not same_value(values[key], emit.as_written(value)):
                edits.append(Edit(key, "set", value))
            continue
        before = place(key, keys, order)
        edits.append(Edit(key, "insert", value, before=before))
        keys.insert(keys.index(before) if before is not None else len(keys), key)
    return edits


def unset_edits(values: Mapping[str, Any], keys: Sequence[str]) -> list[Edit]:
    """The edits that remove each of ``keys`` the post has."""
    return [Edit(key, "delete") for key in dict.fromkeys(keys) if key in values]


def place(key: str, keys: Sequence[str], order: Sequence[str]) -> str | None:
    """The key of ``keys`` that a new ``key`` goes before, as ``postctl new`` orders keys
    (a key ``order`` does not name comes after those it names), or None: last."""
    rank = {name: index for index, name in reversed(list(enumerate(order)))}
    if key not in rank:
        return None
    return next((name for name in keys if rank.get(name, len(rank)) > rank[key]), None)
