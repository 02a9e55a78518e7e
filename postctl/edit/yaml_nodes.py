"""The YAML front matter as a node tree for editing: finding a key, where its value ends,
whether a value may be spliced, and comparing values (docs/guarantees.md: Edits).

Shared by the splices of :mod:`postctl.edit.splice` and :mod:`postctl.edit.yaml_items`
and by the check of :mod:`postctl.edit.verify`.
"""

from __future__ import annotations

import math
from datetime import datetime

import yaml

from postctl.edit.edits import UneditableError
from postctl.text.scalars import PostLoader, node_value
from postctl.text.yaml_metadata import composed

__all__ = ["composed"]  # the tree an edit reads: the one its front matter was loaded from


def root_mapping(fm_text: str, key: str) -> yaml.MappingNode | None:
    """The top-level block mapping, or None for empty front matter."""
    try:
        if "&" in fm_text or "*" in fm_text:
            for event in yaml.parse(fm_text, Loader=PostLoader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    raise UneditableError(key, "the front matter uses YAML anchors or aliases")
        root = composed(fm_text)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        reason = f"the front matter does not parse ({type(exc).__name__})"
        raise UneditableError(key, reason) from None
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise UneditableError(key, "the front matter is not a block mapping")
    return root


def matches(root: yaml.MappingNode, key: str) -> list[tuple[yaml.Node, yaml.Node]]:
    """The (name, value) pairs of ``root`` whose name is ``key``."""
    return [
        (name, value)
        for name, value in root.value
        if isinstance(name, yaml.ScalarNode) and name.value == key
    ]


def find_key(root: yaml.MappingNode | None, key: str) -> tuple[yaml.Node, yaml.Node]:
    """The name and value nodes of ``key``: KeyError when missing, UneditableError when the
    key appears more than once."""
    found = matches(root, key) if root is not None else []
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


def ends_with_block_scalar(node: yaml.Node) -> bool:
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return ends_with_block_scalar(node.value[-1])
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return ends_with_block_scalar(node.value[-1][1])
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def line_end(text: str, position: int) -> int:
    """Index just past the line holding the character before ``position``."""
    if position > 0 and text[position - 1] == "\n":
        return position
    newline = text.find("\n", position)
    return len(text) if newline < 0 else newline + 1


def require_one_line(key: str, node: yaml.Node) -> None:
    """Refuse a value that is not written on one line (block scalar or collection...)."""
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        raise UneditableError(key, "the value is a block scalar (| or >)")
    if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)) and not node.flow_style:
        kind = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
        raise UneditableError(key, f"the value is a block {kind}")
    if node.start_mark.line != node.end_mark.line:
        raise UneditableError(key, "the value spans several lines")


def newline_of(text: str) -> str:
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


UNKNOWN = object()


def read_node(node: yaml.Node) -> object:
    """The value postctl reads from ``node``, or :data:`UNKNOWN` when it cannot."""
    try:
        return node_value(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return UNKNOWN


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
