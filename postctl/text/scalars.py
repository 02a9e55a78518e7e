"""How a YAML scalar of front matter is typed: the one definition postctl reads and writes by.

**Reading** (:class:`PostLoader`; :func:`node_value` for a node composed elsewhere).
Front matter is YAML 1.1 as libyaml and PyYAML's safe loader resolve it, which is what
Jekyll's Psych reads in nearly every case:

* a quoted scalar is a string;
* a plain value is typed by the safe loader's rules: ``yes``, ``on`` and ``true`` (each
  in three casings) are True, ``1_000`` and ``0x1F`` integers, ``1.5`` and ``.inf``
  floats, ``12:30`` the base-60 integer 750, ``2024-01-05`` a date, ``~`` and ``null``
  None; anything else is a string;
* except that an impossible timestamp (``2024-02-30``) is its text, and so is a plain
  ``=`` (as Psych reads them; the safe loader refuses both);
* a plain key is its text as written: ``on``, ``yes``, ``1`` and ``null`` are four keys,
  not True, True, 1 and None merged into one (tagged and complex keys are constructed);
* binary, set, omap and pairs values are refused: they are not plain data, and cannot be
  shown or compared like the rest.

**Other readers.** Where the same plain text means something else to the programs that
read a site's posts, postctl still reads it as above, but never writes it plain
(:func:`written_plain_is_text`):

* Jekyll's Psych types a plain *key* as it types a value (``on:`` is the key true), and
  also reads as non-strings: booleans and nulls in any letter case (``yEs``, ``nUlL``),
  ``.inf``/``.nan`` in any case, numbers with commas (``1,000``), base-60 numbers with a
  leading zero, a sign or up to three parts, hours first (``09:30`` is 34200, ``12:30``
  45000), dates with one-digit months or days (``2024-1-5``), timestamps with a ``+0100``
  offset or a negative year, and symbols (``:name``, which Jekyll's safe load refuses);
* Hugo's YAML 1.1 reader (go-yaml) reads ``y`` and ``n`` as booleans, and YAML 1.2
  readers read ``0o17`` and ``1e3`` as numbers;
* PyYAML's plain safe loader, as other Python tools use it, refuses a plain ``=`` and an
  impossible timestamp.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable
from typing import Any

import yaml

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
# The tags the resolver gives a plain scalar: a plain key with one of them is its text.
_RESOLVED = frozenset(_TAG + name
                      for name in ("bool", "int", "float", "null", "timestamp", "str", "value"))


@functools.cache
def _other_readers() -> re.Pattern[str]:
    """Plain texts that another reader (see the module notes) takes for something other
    than that string, whatever PyYAML's safe loader makes of them. Only writers ask, so the
    pattern is compiled on first use, not whenever a post is read."""
    return re.compile(
        r"""[-+]?(?:0b[01_,]+|0o?[0-7_,]+|0x[0-9a-fA-F_,]+)
        |[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_,]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}(?:\.[0-9_]*)?
        |[-+]?\.(?:inf|nan)
        |(?:yes|no|true|false|on|off|y|n|null|nil|~)
        |-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt\s].*)?
        |:.*
        |=""",
        re.VERBOSE | re.IGNORECASE | re.DOTALL,
    )


class PostLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's safe loader, typing scalars as the module notes say."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_is_text(key_node):
                key = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
                if not isinstance(key, Hashable):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        "found an unhashable key", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def key_is_text(node: yaml.Node) -> bool:
    """Whether a mapping key is read as its text as written: a scalar written without
    quotes (style None, or "" from libyaml) whose tag is one the resolver gives."""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.tag in _RESOLVED


def node_value(node: yaml.Node) -> Any:
    """The value postctl reads from a composed node (the loader's errors propagate)."""
    loader = PostLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def plain_value(text: str) -> Any:
    """The value postctl reads from ``text`` written as a plain value (syntax aside)."""
    loader = PostLoader("")
    try:
        tag = loader.resolve(yaml.ScalarNode, text, (True, False))
        return loader.construct_document(yaml.ScalarNode(tag, text))
    finally:
        loader.dispose()


def written_plain_is_text(text: str) -> bool:
    """Whether ``text`` written plain, as a value or as a key, is that very string to
    postctl and to every other reader (syntax aside: the writer checks that)."""
    if _other_readers().fullmatch(text):
        return False
    try:
        value = plain_value(text)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return False
    return type(value) is str and value == text


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return node.value


def _construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    return loader.construct_scalar(node)


def _refuse_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark
    )


PostLoader.add_constructor(_TAG + "timestamp", _construct_timestamp)


class HugoLoader(PostLoader):
    """Front matter as Hugo's Go reader types plain scalars (YAML 1.2's core schema):
    only ``true`` and ``false`` are booleans (``yes``, ``no``, ``on`` and ``off`` are text),
    and ``1:30`` is text, not a sexagesimal number. Dates and everything else as PostLoader."""


_YAML11_ONLY = (_TAG + "bool", _TAG + "int", _TAG + "float")
HugoLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in _YAML11_ONLY]
    for first, resolvers in PostLoader.yaml_implicit_resolvers.items()}
HugoLoader.add_implicit_resolver(
    _TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
HugoLoader.add_implicit_resolver(
    _TAG + "int", re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
HugoLoader.add_implicit_resolver(
    _TAG + "float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))
PostLoader.add_constructor(_TAG + "value", _construct_text)
for _name in ("binary", "set", "omap", "pairs"):
    PostLoader.add_constructor(_TAG + _name, _refuse_tag)
