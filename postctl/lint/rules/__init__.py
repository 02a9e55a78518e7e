"""The registry of lint rules: every rule's id, name, default severity, fixability and
description, grouped by family, and selection by id or prefix.

Families: S syntax, F fields (schema), D dates and file names, J Jekyll specifics,
R references, X site-wide, C content hygiene.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import ModuleType

from postctl.lint.rules import content, dates, fields, jekyll, references, site, syntax
from postctl.lint.rules.base import Rule, matches

FAMILIES: tuple[ModuleType, ...] = (syntax, fields, dates, jekyll, references, site, content)
POST_FAMILIES: tuple[ModuleType, ...] = (syntax, fields, dates, jekyll, references, content)
# Families whose findings depend on the file alone (and the configuration).
PURE_FAMILIES: tuple[ModuleType, ...] = (syntax, fields, dates, jekyll, content)
SITE_FAMILIES: tuple[ModuleType, ...] = (site,)

ALL_RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
ALL_IDS: tuple[str, ...] = tuple(RULES_BY_ID)


def selected(select: Sequence[str], ignore: Iterable[str]) -> tuple[Rule, ...]:
    """The rules named by ``select`` (ids, prefixes or ALL) and not by ``ignore``."""
    ignore = tuple(ignore)
    return tuple(rule for rule in ALL_RULES
                 if matches(rule.id, select) and not matches(rule.id, ignore))


__all__ = ["ALL_IDS", "ALL_RULES", "FAMILIES", "RULES_BY_ID", "Rule", "matches", "selected"]
