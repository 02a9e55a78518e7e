"""The walk of the site begun as the program starts (:mod:`postctl.catalog.early_walk`), as
the program sees it: begun for the commands that read the site index first, stopped when
the command ends without taking it."""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["WALK_EARLY", "begin_early_walk", "stop_early_walk"]

# The commands that read the site index before anything else.
WALK_EARLY = frozenset(("list", "tags", "categories", "search", "stats", "links"))
# Options after which such a command reads no index (or does not run at all).
_NO_WALK_OPTIONS = frozenset(("--no-cache", "--help", "-h"))
_MODULE = "postctl.catalog.early_walk"


def begin_early_walk(args: Sequence[str]) -> bool:
    """When ``args`` run a command of :data:`WALK_EARLY` (not asking for help, nor reading
    the files without the index), begin the walk of its site; whether it was begun."""
    from postctl.cli.argv import completion_request, root_option, split_command

    if completion_request() is not None:
        return False
    before, name, rest = split_command(args)
    if name not in WALK_EARLY or not _NO_WALK_OPTIONS.isdisjoint(rest):
        return False
    from postctl.catalog import early_walk

    return early_walk.begin(root_option(before))


def stop_early_walk() -> None:
    """Stop the early walk if one was begun and not taken; loads nothing when none was
    (a command that reads no index loads no part of it)."""
    early_walk = sys.modules.get(_MODULE)
    stop = getattr(early_walk, "stop", None)
    if stop is not None:
        stop()
