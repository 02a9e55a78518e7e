"""What a lint run is asked to do (LintOptions) and what it found (LintReport).

Records are NamedTuples, as in ``postctl.lint.diagnostics``: cheap to define at start-up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from postctl.lint.diagnostics import Diagnostic

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_WRITE_REFUSED = 3


class LintOptions(NamedTuple):
    paths: tuple[str, ...] = ()  # as given (relative to cwd); empty: every post of the site
    select: tuple[str, ...] = ()  # empty: the config's (default ALL)
    ignore: tuple[str, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    dry_run: bool = False  # --diff / --check: compute fixes, write nothing
    now: dt.datetime | None = None
    cwd: Path | None = None
    use_cache: bool = True  # on large sites, read the rest of the site through the site index
    skip_non_posts: bool = False  # paths holding no post are not an error (pre-commit)


class FileChange(NamedTuple):
    """One file changed (or that would change) by fixes."""

    path: str  # relative to the site root
    old: bytes
    new: bytes
    fixes: int
    rename_to: str | None = None  # relative to the site root
    written: bool = False
    group: str | None = None  # the rename this change is part of (its old path)

    @property
    def is_relink(self) -> bool:
        """The links to a renamed post rewritten (``fixes`` of them), not a finding fixed."""
        return self.group is not None and self.rename_to is None


class LintReport(NamedTuple):
    root: Path
    diagnostics: tuple[Diagnostic, ...]
    files: int
    changes: tuple[FileChange, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()  # (path, reason) of refused writes
    fixable: int = 0  # safe fixes not applied (no --fix)
    hidden: int = 0  # unsafe fixes not applied (no --unsafe-fixes)
    options: LintOptions = LintOptions()

    @property
    def fixed_issues(self) -> int:
        """The findings the changes fix (written, or that would be with --diff/--check): a
        post's rename is one, whatever links to it it rewrites."""
        return sum(change.fixes for change in self._done() if not change.is_relink)

    @property
    def fixed_posts(self) -> int:
        """The posts the changes touch, each once: a post edited, renamed and its links to
        itself rewritten is one."""
        renamed = {change.rename_to: change.path for change in self.changes
                   if change.rename_to is not None}
        return len({renamed.get(change.path, change.path) for change in self._done()})

    def _done(self) -> list[FileChange]:
        return [change for change in self.changes if change.written or self.options.dry_run]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    def exit_code(self, strict: bool = False, exit_non_zero_on_fix: bool = False) -> int:
        if self.refused:
            return EXIT_WRITE_REFUSED
        if self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        if self.changes and (self.options.dry_run or exit_non_zero_on_fix):
            return EXIT_FINDINGS
        return EXIT_OK
