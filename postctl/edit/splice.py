"""Text-level edits of YAML front matter, guided by the node tree (docs/guarantees.md: Edits,
Verification).

An edit replaces only the characters of one value, found with ``yaml.compose``
marks (character offsets into the front-matter text); a new key is one line added
at the end of the front matter; a deleted key loses exactly its lines. Everything
else - comments, order, quoting, indentation, newline style, BOM, body - stays
byte-identical. A value that cannot be spliced safely is refused with
``UneditableError`` ("edit this key by hand") rather than reformatted, and every
rewrite is re-parsed and compared (``postctl.edit.verify``) before it is written.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import yaml

from postctl.errors import WriteRefusedError, display_path
from postctl.text import emit
from postctl.text.scalars import PostLoader, node_value
from postctl.text.source import Source

Op = Literal["set", "insert", "delete", "strip"]

_DASH_PREFIX = re.compile(r"[ \t]*-[ \t]+")
_ITEM_SEPARATOR = re.compile(r"[ \t]*(\r?\n)([ \t]*-[ \t]+)")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\r?\n|\Z)")


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
    """One change to one top-level key. ``value`` is unused for delete and strip.

    ``text``, when given, is the value as it is to be written (already in the front
    matter's syntax, a date in the site's style say), and ``value`` what it reads back as.
    An inserted key goes after the first of the keys ``after`` that the front matter has,
    else at its end (where ``postctl new`` would put it, when ``after`` follows new's order).
    """

    key: str
    op: Op
    value: object = None
    text: str | None = None
    after: tuple[str, ...] = ()


# --- single edits on front-matter text ------------------------------------------------


def value_span(fm_text: str, key: str) -> tuple[int, int]:
    """Character span ``(start, end)`` of a top-level key's value in ``fm_text``.

    For a block list or mapping the span ends after its last item (trailing comments
    excluded). Raises KeyError for a missing key, UneditableError for a duplicate one.
    """
    _, value = _find(_root(fm_text, key), key)
    return value.start_mark.index, value_end(value)


def set_value(fm_text: str, key: str, value: object, newline: str | None = None) -> str:
    """Replace the value of ``key`` by ``value`` (a scalar or a list of scalars).

    A value equal (in value and type) to the current one changes nothing. A string
    keeps the old value's quote style where it can (``"..."`` stays double-quoted,
    ``'...'`` single-quoted). A list replaces a one-line value with a flow list, or
    the items of a block list with block items; items that keep their value (at the
    same position) keep their text.
    """
    _, node = _find(_root(fm_text, key), key)
    if isinstance(value, dict):
        raise UneditableError(key, "postctl does not write mapping values")
    if same_value(_node_value(node), emit.as_written(value)):
        return fm_text  # already that value: a no-op, whatever its spelling
    if isinstance(value, (list, tuple)):
        if isinstance(node, yaml.SequenceNode) and not node.flow_style:
            return _set_block_items(fm_text, key, node, value, newline)
        _require_one_line(key, node)
        old_items = node.value if isinstance(node, yaml.SequenceNode) else []
        texts = _item_texts(fm_text, old_items, value, emit.flow_scalar)
        return _splice(fm_text, node, "[" + ", ".join(texts) + "]")
    _require_one_line(key, node)
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    return _splice(fm_text, node, _styled(value, style))


def set_text(fm_text: str, key: str, text: str) -> str:
    """Replace the one-line value of ``key`` by ``text``, written as it is."""
    _, node = _find(_root(fm_text, key), key)
    _require_one_line(key, node)
    return _splice(fm_text, node, text)


def insert_key(fm_text: str, key: str, value: object, newline: str = "\n",
               after: Sequence[str] = (), text: str | None = None) -> str:
    """Add ``key: value`` (or ``key: text``) as one line after the first key of ``after``
    present, else at the end of the front matter. A ``text`` holding line breaks (a block
    list) is written with ``newline`` between its lines."""
    root = _root(fm_text, key)
    if root is not None and _matches(root, key):
        raise UneditableError(key, "the key already exists")
    indent = " " * root.value[0][0].start_mark.column if root is not None and root.value else ""
    if text is None:
        line = indent + _key_line(key, value)
    else:
        written = text if text.startswith("\n") else " " + text
        line = indent + emit.key(key) + ":" + newline.join(written.split("\n"))
    anchor = next((name for name in after
                   if root is not None and len(_matches(root, name)) == 1), None)
    if anchor is not None:
        name, node = _find(root, anchor)
        end = line_end(fm_text, max(value_end(node), name.end_mark.index))
        if end > 0 and fm_text[end - 1] == "\n":
            return fm_text[:end] + line + newline + fm_text[end:]
    if not fm_text:
        return line + newline
    if fm_text.endswith("\n"):
        return fm_text + line + newline
    return fm_text + newline + line


def delete_key(fm_text: str, key: str) -> str:
    """Remove the lines of ``key`` and its value (all of them, for a block value)."""
    root = _root(fm_text, key)
    name, node = _find(root, key)
    start = name.start_mark.index - name.start_mark.column
    if fm_text[start : name.start_mark.index].strip(" "):
        raise UneditableError(key, "the key does not start its line")
    end = line_end(fm_text, max(value_end(node), name.end_mark.index))
    assert root is not None
    position = [pair[0] for pair in root.value].index(name)
    if position > 0 and _ends_with_block_scalar(root.value[position - 1][1]):
        if fm_text[end : end + 1] in (" ", "\t", "\r", "\n"):
            raise UneditableError(
                key, "the lines after it would become part of the block scalar (| or >) above"
            )
    result = fm_text[:start] + fm_text[end:]
    if end == len(fm_text) and not fm_text.endswith("\n"):
        result = result[:-2] if result.endswith("\r\n") else result.removesuffix("\n")
    return result


def strip_trailing_space(fm_text: str, key: str) -> str:
    """Remove spaces and tabs between a one-line value and the end of its line.

    YAML ignores them, so the value does not change. Spaces before a ``#`` comment
    are separators and are kept.
    """
    _, node = _find(_root(fm_text, key), key)
    _require_one_line(key, node)
    found = _TRAILING_SPACE.match(fm_text, node.end_mark.index)
    if found is None:
        return fm_text
    return fm_text[: found.start()] + fm_text[found.end() :]


# --- whole files ----------------------------------------------------------------------


def apply_edits(source: Source, edits: Sequence[Edit]) -> bytes:
    """The bytes of ``source`` with ``edits`` applied, in order, to its front matter only."""
    if source.kind != "yaml":
        key = edits[0].key if edits else "?"
        raise UneditableError(key, "only YAML front matter can be edited", source.path)
    fm_text = source.fm_text
    for edit in edits:
        fm_text = _apply(fm_text, edit, source.newline)
    end = source.fm_offset + len(source.fm_text)
    text = source.text[: source.fm_offset] + fm_text + source.text[end:]
    return (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")


def same_value(left: object, right: object) -> bool:
    """Equal in value and type, recursively; datetimes also in their offset."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        assert isinstance(right, dict)
        return list(left) == list(right) and all(same_value(left[k], right[k]) for k in left)
    if isinstance(left, list):
        assert isinstance(right, list)
        return len(left) == len(right) and all(map(same_value, left, right))
    if isinstance(left, float) and math.isnan(left):
        return isinstance(right, float) and math.isnan(right)
    if isinstance(left, datetime):
        assert isinstance(right, datetime)
        return left == right and left.utcoffset() == right.utcoffset()
    return left == right


# --- helpers --------------------------------------------------------------------------


def _apply(fm_text: str, edit: Edit, newline: str) -> str:
    if edit.op == "set":
        if edit.text is not None:
            return set_text(fm_text, edit.key, edit.text)
        return set_value(fm_text, edit.key, edit.value, newline)
    if edit.op == "insert":
        return insert_key(fm_text, edit.key, edit.value, newline, edit.after, edit.text)
    if edit.op == "delete":
        return delete_key(fm_text, edit.key)
    if edit.op == "strip":
        return strip_trailing_space(fm_text, edit.key)
    raise ValueError(f"unknown edit operation {edit.op!r}")


def _root(fm_text: str, key: str) -> yaml.MappingNode | None:
    """The top-level block mapping, or None for empty front matter."""
    try:
        if "&" in fm_text or "*" in fm_text:
            for event in yaml.parse(fm_text, Loader=PostLoader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise UneditableError(key, "the front matter uses YAML anchors or aliases")
        root = yaml.compose(fm_text, Loader=PostLoader)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        reason = f"the front matter does not parse ({type(exc).__name__})"
        raise UneditableError(key, reason) from None
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise UneditableError(key, "the front matter is not a block mapping")
    return root


def _matches(root: yaml.MappingNode, key: str) -> list[tuple[yaml.Node, yaml.Node]]:
    return [
        (name, value)
        for name, value in root.value
        if isinstance(name, yaml.ScalarNode) and name.value == key
    ]


def _find(root: yaml.MappingNode | None, key: str) -> tuple[yaml.Node, yaml.Node]:
    found = _matches(root, key) if root is not None else []
    if not found:
        raise KeyError(key)
    if len(found) > 1:
        raise UneditableError(key, "the key appears more than once")
    return found[0]


def value_end(node: yaml.Node) -> int:
    """End of a value's own text: a block collection ends with its last item."""
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return value_end(node.value[-1])
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return value_end(node.value[-1][1])
    return int(node.end_mark.index)


def _ends_with_block_scalar(node: yaml.Node) -> bool:
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _ends_with_block_scalar(node.value[-1])
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _ends_with_block_scalar(node.value[-1][1])
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def line_end(text: str, position: int) -> int:
    """Index just past the line holding the character before ``position``."""
    if position > 0 and text[position - 1] == "\n":
        return position
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline + 1


def _require_one_line(key: str, node: yaml.Node) -> None:
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        raise UneditableError(key, "the value is a block scalar (| or >)")
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style:
        kind = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
        raise UneditableError(key, f"the value is a block {kind}")
    if node.start_mark.line != node.end_mark.line:
        raise UneditableError(key, "the value spans several lines")


def _splice(fm_text: str, node: yaml.Node, text: str) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    if start == end and fm_text[start - 1 : start] == ":":
        text = " " + text  # an empty value: `key:` becomes `key: value`
    return fm_text[:start] + text + fm_text[end:]


def _styled(value: object, style: str | None) -> str:
    if isinstance(value, str):
        if style == '"':
            return emit.double_quoted(value)
        if style == "'":
            quoted = emit.single_quoted(value)
            if quoted is not None:
                return quoted
    return emit.scalar(value)


def _set_block_items(
    fm_text: str,
    key: str,
    node: yaml.SequenceNode,
    values: Sequence[object],
    newline: str | None,
) -> str:
    """Rewrite the items of a block list of one-line scalars, keeping its dash layout."""
    items = node.value
    if not values:
        raise UneditableError(key, "a block list cannot be emptied in place")
    for item in items:
        if not isinstance(item, yaml.ScalarNode) or item.style in ("|", ">"):
            raise UneditableError(key, "the list holds nested or block values")
        if item.start_mark.line != item.end_mark.line:
            raise UneditableError(key, "a list item spans several lines")
    line_start = fm_text.rfind("\n", 0, items[0].start_mark.index) + 1
    prefix = fm_text[line_start : items[0].start_mark.index]
    if not _DASH_PREFIX.fullmatch(prefix):
        raise UneditableError(key, "the list items are not one per line")
    separator = None
    for before, after in itertools.pairwise(items):
        between = _ITEM_SEPARATOR.fullmatch(fm_text, before.end_mark.index, after.start_mark.index)
        if between is None:
            raise UneditableError(key, "the list has comments or blank lines between items")
        separator = separator or between[1] + prefix
    if separator is None:
        separator = (newline or _newline_of(fm_text)) + prefix
    start, end = items[0].start_mark.index, items[-1].end_mark.index
    text = separator.join(_item_texts(fm_text, items, values, emit.scalar))
    return fm_text[:start] + text + fm_text[end:]


def _item_texts(
    fm_text: str,
    old_items: Sequence[yaml.Node],
    values: Sequence[object],
    write: Callable[[object], str],
) -> list[str]:
    """Text of each new list item: the old item's text where the value is unchanged."""
    texts = []
    for index, value in enumerate(values):
        old = old_items[index] if index < len(old_items) else None
        if isinstance(old, yaml.ScalarNode) and same_value(
            _node_value(old), emit.as_written(value)
        ):
            texts.append(fm_text[old.start_mark.index : old.end_mark.index])
        else:
            texts.append(write(value))
    return texts


_UNKNOWN = object()


def _node_value(node: yaml.Node) -> object:
    """The value postctl reads from ``node``, or a marker when it cannot."""
    try:
        return node_value(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return _UNKNOWN


def _newline_of(text: str) -> str:
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _key_line(key: str, value: object) -> str:
    text = emit.key(key) + ":"
    if value is None:
        return text
    if isinstance(value, (list, tuple)):
        return f"{text} {emit.flow_list(value)}"
    if isinstance(value, dict):
        raise UneditableError(key, "postctl does not write mapping values")
    return f"{text} {emit.scalar(value)}"


