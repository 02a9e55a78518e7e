"""Tag and category counts, with spelling variants grouped.

Names that differ only in case, spacing, hyphens or underscores (``Politics``,
``politics``, ``Machine Learning``, ``machine-learning``) are one group: a group is shown
under its most used spelling, counts the posts that carry any of its spellings, and lists
every spelling with its own count, so a user sees ``Politics (40) / politics (3)``.
:func:`variant_key` is the one definition of a variant: ``postctl tags`` groups by it and
the lint rule on variants (which renames a post's tag to the majority spelling) does too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_SEPARATORS = re.compile(r"[\s_\-]+")


@dataclass(frozen=True)
class Variant:
    name: str
    count: int


@dataclass(frozen=True)
class Term:
    name: str  # the most used spelling
    count: int  # posts carrying any spelling of the group
    variants: tuple[Variant, ...]  # every spelling, most used first

    def row(self) -> dict[str, Any]:
        """The ``--format json`` item: name, count, variants [{name, count}], and a label."""
        return {
            "name": self.name,
            "count": self.count,
            "variants": [{"name": v.name, "count": v.count} for v in self.variants],
            "spellings": self.label() if len(self.variants) > 1 else "",
        }

    def label(self) -> str:
        return " / ".join(f"{v.name} ({v.count})" for v in self.variants)


@functools.lru_cache(maxsize=4096)  # a site writes its few hundred terms again and again
def variant_key(name: str) -> str:
    """What two spellings of one name share: case-folded, without spaces, ``-`` or ``_``.

    A plural is another name, not a spelling of it (``Windows`` and ``window``, ``news`` and
    ``new``, ``Rails`` and ``rail``): a variant is the same word written differently, which
    a rename to the majority spelling may safely merge. A name of separators only is its own
    key, never the empty one.
    """
    key = _SEPARATORS.sub("", name.casefold())
    return key or name.casefold()


def term_matcher(names: Iterable[str], exact: bool = False) -> Callable[[str], bool]:
    """Whether a name is one of ``names``: as written with ``exact``, else any spelling of
    one (:func:`variant_key`)."""
    if exact:
        wanted = frozenset(names)
        return wanted.__contains__
    keys = frozenset(variant_key(name) for name in names)
    return lambda name: variant_key(name) in keys


def _name_order(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


def group_terms(
    counts: Mapping[str, int], group_count: Callable[[list[str]], int] | None = None
) -> list[Term]:
    """Group exact-name counts into terms, sorted by count (descending), then name.

    ``group_count(names)`` tells how many posts carry any of ``names``; it is asked only
    for groups of several spellings (a post may carry two of them). Without it, the
    variants' counts are summed.
    """
    groups: dict[str, list[Variant]] = {}
    for name, count in counts.items():
        groups.setdefault(variant_key(name), []).append(Variant(name, count))
    terms = []
    for variants in groups.values():
        variants.sort(key=lambda v: (-v.count, *_name_order(v.name)))
        if len(variants) == 1:
            total = variants[0].count
        elif group_count is not None:
            total = group_count([v.name for v in variants])
        else:
            total = sum(v.count for v in variants)
        terms.append(Term(variants[0].name, total, tuple(variants)))
    terms.sort(key=lambda t: (-t.count, *_name_order(t.name)))
    return terms


def count_terms(lists: Iterable[Sequence[str]]) -> list[Term]:
    """Terms from each post's names (tags or categories of one post per item)."""
    counts: dict[str, int] = {}
    group_posts: dict[str, int] = {}
    for names in lists:
        unique = set(names)
        for name in unique:
            counts[name] = counts.get(name, 0) + 1
        for key in {variant_key(name) for name in unique}:
            group_posts[key] = group_posts.get(key, 0) + 1

    def group_count(names: list[str]) -> int:
        return group_posts[variant_key(names[0])]

    return group_terms(counts, group_count)


def at_least(terms: Iterable[Term], min_count: int) -> list[Term]:
    return [term for term in terms if term.count >= min_count]
