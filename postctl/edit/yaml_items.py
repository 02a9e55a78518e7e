"""Changing some items of a YAML list, keeping every other byte (docs/guarantees.md: Edits).

A changed item's characters are replaced by the new value, written in the old item's quote
style where it can be (``"..."`` stays double-quoted, ``'...'`` single-quoted) and quoted
exactly when YAML needs it (:mod:`postctl.text.emit`). A removed item of a flow list takes its
separator with it (:func:`postctl.edit.edits.flow_removals`); a removed item of a block list
takes its own lines; a block list whose every item goes becomes ``key: []``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from postctl.edit.edits import (
    ItemChange,
    Replacement,
    Span,
    UneditableError,
    flow_removals,
    line_span,
    replaced,
)
from postctl.edit.yaml_nodes import find_key, line_end, root_mapping, value_end
from postctl.text import emit

_DASH_PREFIX = re.compile(r"[ \t]*-[ \t]+")


def styled(value: object, style: str | None, flow: bool = False) -> str:
    """``value`` as YAML text, in the quote ``style`` of the text it replaces where it can;
    ``flow``: as an item of a flow list (where ``,[]{}`` need quotes)."""
    if isinstance(value, str):
        if style == '"':
            return emit.double_quoted(value)
        if style == "'":
            quoted = emit.single_quoted(value)
            if quoted is not None:
                return quoted
    return emit.flow_scalar(value) if flow else emit.scalar(value)


def edit_items(fm_text: str, key: str, changes: Sequence[ItemChange]) -> str:
    """``fm_text`` with the items of the list ``key`` changed as ``changes`` say."""
    name, node = find_key(root_mapping(fm_text, key), key)
    if not isinstance(node, yaml.SequenceNode):
        raise UneditableError(key, "the value is not a list")
    items = node.value
    for change in changes:
        if not 0 <= change.index < len(items):
            raise ValueError(f"{key}: no item {change.index}")
        _require_plain_item(key, items[change.index])
    flow = bool(node.flow_style)
    edits: list[Replacement] = [
        (items[c.index].start_mark.index, items[c.index].end_mark.index,
         styled(c.value, items[c.index].style, flow))
        for c in changes if not c.deletes
    ]
    removed = {change.index for change in changes if change.deletes}
    if flow:
        spans = [Span(item.start_mark.index, item.end_mark.index) for item in items]
        edits.extend(flow_removals(spans, removed, fm_text))
    elif removed and len(removed) == len(items):
        return _emptied_block(fm_text, name, node)
    else:
        edits.extend(_block_removal(fm_text, key, items[index]) for index in removed)
    return replaced(fm_text, edits)


def _require_plain_item(key: str, item: yaml.Node) -> None:
    if not isinstance(item, yaml.ScalarNode) or item.style in ("|", ">"):
        raise UneditableError(key, "the list holds nested or block values")
    if item.start_mark.line != item.end_mark.line:
        raise UneditableError(key, "a list item spans several lines")


def _block_removal(fm_text: str, key: str, item: yaml.Node) -> Replacement:
    start, end = line_span(fm_text, item.start_mark.index, item.end_mark.index)
    if not _DASH_PREFIX.fullmatch(fm_text, start, item.start_mark.index):
        raise UneditableError(key, "the list items are not one per line")
    return start, end, ""


def _emptied_block(fm_text: str, name: yaml.Node, node: yaml.SequenceNode) -> str:
    """``key: []`` in place of ``key:`` and the lines of its block list."""
    end = line_end(fm_text, value_end(node))
    if fm_text[end - 1 : end] == "\n":
        end -= 2 if fm_text[end - 2 : end] == "\r\n" else 1
    return fm_text[: name.end_mark.index] + ": []" + fm_text[end:]
