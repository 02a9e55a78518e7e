"""Rule X004: temporary files that an interrupted postctl write left in a post folder.

A write that is killed between creating its hidden temporary file and swapping it in
leaves the file behind (``postctl.edit.tempfiles``). Jekyll and Hugo never publish it, and
the next postctl write in that folder removes it once its process is gone; until then lint
says where it is. Only the post folders and the folders of the linted files are looked at.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.lint.diagnostics import Diagnostic

if TYPE_CHECKING:
    from postctl.lint.linter import Linter

RULE = "X004"
MESSAGE = ("a temporary file left by an interrupted postctl write (its process is gone); "
           "the next postctl write in this folder removes it, or delete it")


def leftover_diagnostics(linter: Linter, folders: Iterable[Path]) -> list[Diagnostic]:
    if not linter.enabled(RULE):
        return []
    from postctl.edit.tempfiles import leftovers
    from postctl.lint.rules import RULES_BY_ID

    severity = linter.severity_of(RULE) or RULES_BY_ID[RULE].severity
    return [Diagnostic(linter.site.relative(path), 1, 1, RULE, severity, MESSAGE)
            for folder in sorted(set(folders)) for path in leftovers(folder)]
