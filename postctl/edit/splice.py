"""Text-level edits of YAML front matter, guided by the node tree (docs/guarantees.md: Edits,
Verification).

An edit replaces only the characters of one value, found with ``yaml.compose``
marks (character offsets into the front-matter text); a new key is one line added
before a given key or at the end of the front matter; a deleted key loses exactly its
lines. Everything else - comments, order, quoting, indentation, newline style, BOM, body - stays
byte-identical. A value that cannot be spliced safely is refused with
``UneditableError`` ("edit this key by hand") rather than reformatted, and every
rewrite is re-parsed and compared (``postctl.edit.verify``) before it is written.
Some items of a list change by :mod:`postctl.edit.yaml_items`; TOML and JSON front matter
by :mod:`postctl.edit.toml_text` and :mod:`postctl.edit.json_text` (:func:`apply_edits`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

import yaml

from postctl.edit import json_text, toml_text
from postctl.edit.edits import Edit, UneditableError
from postctl.edit.yaml_items import edit_items, styled
from postctl.edit.yaml_nodes import (
    ends_with_block_scalar,
    find_key,
    line_end,
    matches,
    newline_of,
    read_node,
    require_one_line,
    root_mapping,
    same_value,
    value_end,
)
from postctl.text import emit
from postctl.text.source import Source

__all__ = ["Edit", "UneditableError", "apply_edits", "delete_key", "insert_key", "line_end",
           "rejoin_comment", "same_value", "set_value", "strip_trailing_space", "value_end",
           "value_span"]

_DASH_PREFIX = re.compile(r"[ \t]*-[ \t]+")
_ITEM_SEPARATOR = re.compile(r"[ \t]*(\r?\n)([ \t]*-[ \t]+)")
_TRAILING_SPACE = re.compile(r"[ \t]+(?=\r?\n|\Z)")
_COMMENT_AFTER = re.compile(r"[ \t]+#[^\r\n]*?(?=[ \t]*(?:\r?\n|\Z))")


# --- single edits on front-matter text ------------------------------------------------


def value_span(fm_text: str, key: str) -> tuple[int, int]:
    """Character span ``(start, end)`` of a top-level key's value in ``fm_text``.

    For a block list or mapping the span ends after its last item (trailing comments
    excluded). Raises KeyError for a missing key, UneditableError for a duplicate one.
    """
    _, value = find_key(root_mapping(fm_text, key), key)
    return value.start_mark.index, value_end(value)


def set_text(fm_text: str, key: str, text: str) -> str:
    """Replace the one-line value of ``key`` by ``text``, written as it is."""
    _, node = find_key(root_mapping(fm_text, key), key)
    require_one_line(key, node)
    return _splice(fm_text, node, text)


def set_value(fm_text: str, key: str, value: object, newline: str | None = None) -> str:
    """Replace the value of ``key`` by ``value`` (a scalar or a list of scalars).

    A value equal (in value and type) to the current one changes nothing. A string
    keeps the old value's quote style where it can (``"..."`` stays double-quoted,
    ``'...'`` single-quoted). A list replaces a one-line value with a flow list, or
    the items of a block list with block items; items that keep their value (at the
    same position) keep their text.
    """
    _, node = find_key(root_mapping(fm_text, key), key)
    if isinstance(value, dict):
        raise UneditableError(key, "postctl does not write mapping values")
    if same_value(read_node(node), emit.as_written(value)):
        return fm_text  # already that value: a no-op, whatever its spelling
    if isinstance(value, (list, tuple)):
        if isinstance(node, yaml.SequenceNode) and not node.flow_style:
            return _set_block_items(fm_text, key, node, value, newline)
        require_one_line(key, node)
        old_items = node.value if isinstance(node, yaml.SequenceNode) else []
        texts = _item_texts(fm_text, old_items, value, emit.flow_scalar)
        return _splice(fm_text, node, "[" + ", ".join(texts) + "]")
    require_one_line(key, node)
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    return _splice(fm_text, node, styled(value, style))


def insert_key(fm_text: str, key: str, value: object, newline: str = "\n",
               before: str | None = None, text: str | None = None) -> str:
    """Add ``key: value`` (or ``key: text``, ``text`` written as it is) as one line: before
    the line of the key ``before`` when there is one, else at the end of the front matter.
    A ``text`` starting with a line break (a block list) is written on the lines after the
    key, with ``newline`` between them."""
    root = root_mapping(fm_text, key)
    if root is not None and matches(root, key):
        raise UneditableError(key, "the key already exists")
    indent = " " * root.value[0][0].start_mark.column if root is not None and root.value else ""
    if text is None:
        line = indent + _key_line(key, value)
    else:
        written = text if text.startswith("\n") else " " + text
        line = indent + emit.key(key) + ":" + newline.join(written.split("\n"))
    place = _line_of(fm_text, root, before)
    if place is not None:
        return fm_text[:place] + line + newline + fm_text[place:]
    if not fm_text:
        return line + newline
    if fm_text.endswith("\n"):
        return fm_text + line + newline
    return fm_text + newline + line


def _line_of(fm_text: str, root: yaml.MappingNode | None, key: str | None) -> int | None:
    """Where the line of ``key`` starts, when it is there once and starts its line."""
    found = matches(root, key) if root is not None and key is not None else []
    if len(found) != 1:
        return None
    mark = found[0][0].start_mark
    start = int(mark.index) - int(mark.column)
    return None if fm_text[start : mark.index].strip(" ") else start


def delete_key(fm_text: str, key: str) -> str:
    """Remove the lines of ``key`` and its value (all of them, for a block value)."""
    root = root_mapping(fm_text, key)
    name, node = find_key(root, key)
    start = name.start_mark.index - name.start_mark.column
    if fm_text[start : name.start_mark.index].strip(" "):
        raise UneditableError(key, "the key does not start its line")
    end = line_end(fm_text, max(value_end(node), name.end_mark.index))
    assert root is not None
    position = [pair[0] for pair in root.value].index(name)
    if position > 0 and ends_with_block_scalar(root.value[position - 1][1]):
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
    _, node = find_key(root_mapping(fm_text, key), key)
    require_one_line(key, node)
    found = _TRAILING_SPACE.match(fm_text, node.end_mark.index)
    if found is None:
        return fm_text
    return fm_text[: found.start()] + fm_text[found.end() :]


def rejoin_comment(fm_text: str, key: str, value: object) -> str:
    """Write a plain one-line value and the ``#`` comment after it (which YAML cut from it:
    ``title: Why #rust`` reads ``Why``) as one quoted string, ``value``; the spaces after
    the comment stay."""
    _, node = find_key(root_mapping(fm_text, key), key)
    require_one_line(key, node)
    if not isinstance(node, yaml.ScalarNode) or node.style:
        raise UneditableError(key, "the value is not a plain scalar")
    found = _COMMENT_AFTER.match(fm_text, node.end_mark.index)
    start = node.start_mark.index
    if found is None or fm_text[start : found.end()] != value:
        raise UneditableError(key, "no comment after the value to join to it")
    return fm_text[:start] + emit.scalar(value) + fm_text[found.end():]


# --- whole files ----------------------------------------------------------------------


def apply_edits(source: Source, edits: Sequence[Edit]) -> bytes:
    """The bytes of ``source`` with ``edits`` applied, in order, to its front matter only."""
    fm_text = source.fm_text
    if source.kind == "yaml":
        for edit in edits:
            fm_text = _apply(fm_text, edit, source.newline)
    elif source.kind == "toml":
        fm_text = toml_text.apply_edits(fm_text, edits, source.newline)
    elif source.kind == "json":
        fm_text = json_text.apply_edits(fm_text, edits)
    else:
        key = edits[0].key if edits else "?"
        raise UneditableError(key, "the file has no front matter", source.path)
    end = source.fm_offset + len(source.fm_text)
    text = source.text[: source.fm_offset] + fm_text + source.text[end:]
    return (b"\xef\xbb\xbf" if source.bom else b"") + text.encode("utf-8")


# --- helpers --------------------------------------------------------------------------


def _apply(fm_text: str, edit: Edit, newline: str) -> str:
    if edit.op == "set" and edit.text is not None:
        return set_text(fm_text, edit.key, edit.text)
    if edit.op == "set":
        return set_value(fm_text, edit.key, edit.value, newline)
    if edit.op == "insert":
        return insert_key(fm_text, edit.key, edit.value, newline, edit.before, edit.text)
    if edit.op == "items":
        assert isinstance(edit.value, tuple)
        return edit_items(fm_text, edit.key, edit.value)
    if edit.op == "delete":
        return delete_key(fm_text, edit.key)
    if edit.op == "strip":
        return strip_trailing_space(fm_text, edit.key)
    if edit.op == "rejoin":
        return rejoin_comment(fm_text, edit.key, edit.value)
    raise ValueError(f"unknown edit operation {edit.op!r}")


def _splice(fm_text: str, node: yaml.Node, text: str) -> str:
    start, end = node.start_mark.index, node.end_mark.index
    if start == end and fm_text[start - 1 : start] == ":":
        text = " " + text  # an empty value: `key:` becomes `key: value`
    return fm_text[:start] + text + fm_text[end:]


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
        separator = (newline or newline_of(fm_text)) + prefix
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
            read_node(old), emit.as_written(value)
        ):
            texts.append(fm_text[old.start_mark.index : old.end_mark.index])
        else:
            texts.append(write(value))
    return texts


def _key_line(key: str, value: object) -> str:
    text = emit.key(key) + ":"
    if value is None:
        return text
    if isinstance(value, (list, tuple)):
        return f"{text} {emit.flow_list(value)}"
    if isinstance(value, dict):
        raise UneditableError(key, "postctl does not write mapping values")
    return f"{text} {emit.scalar(value)}"


