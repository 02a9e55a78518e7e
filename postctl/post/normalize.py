"""One table decides what ``tags``, ``categories``, ``author`` and ``draft`` mean.

Every command reads these values through it, so ``tags: foo bar`` and
``tags: [foo, bar]`` mean the same thing everywhere, as they do to Jekyll.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TRUE_WORDS = frozenset({"true", "yes", "on", "y"})
FALSE_WORDS = frozenset({"false", "no", "off", "n"})


def to_str_list(value: object, split: bool = True) -> list[str]:
    """Jekyll's reading of a list-ish value: a string is split on whitespace."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split() if split else [value]
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value if item is not None and str(item) != ""]
    return [str(value)]


def pluralized(values: Mapping[str, Any], singular: str, plural: str) -> list[str]:
    """Jekyll's ``Utils.pluralized_array_from_hash``: the singular key wins, unsplit."""
    key = own_key(values, singular, plural)
    return to_str_list(values.get(key), split=key == plural)


def own_key(values: Mapping[str, Any], singular: str, plural: str) -> str:
    """The key :func:`pluralized` reads: ``singular`` when it has a value, else ``plural``."""
    return singular if values.get(singular) is not None else plural


def to_bool(value: object) -> bool | None:
    """A boolean-ish value, or None when it is not one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    return None


def tags(values: Mapping[str, Any]) -> list[str]:
    return _unique(pluralized(values, "tag", "tags"))


def categories(values: Mapping[str, Any]) -> list[str]:
    return _unique(pluralized(values, "category", "categories"))


def authors(values: Mapping[str, Any]) -> list[str]:
    if values.get("author") is not None:
        return to_str_list(values["author"], split=False)
    return to_str_list(values.get("authors"), split=False)


def title(values: Mapping[str, Any]) -> str | None:
    value = values.get("title")
    return None if value is None else str(value)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


NORMALIZERS: dict[str, Callable[[Mapping[str, Any]], object]] = {
    "title": title,
    "tags": tags,
    "categories": categories,
    "authors": authors,
}
