"""``run_lint``: the one entry point. Picks where posts are read from (the files, or the site
index on a large site), runs the checks, applies fixes if asked, and reports.

A run that reads the files (a small site, or ``use_cache`` off) never loads sqlite3: it is
imported only where the index is opened or read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.errors import UsageError
from postctl.lint.linter import Linter
from postctl.lint.report import LintOptions, LintReport
from postctl.lint.targets import (
    Target,
    no_posts_message,
    resolve_targets,
    site_targets,
    undated_targets,
)
from postctl.reporting import SILENT, Progress, Reporter
from postctl.site.postfiles import count_posts

if TYPE_CHECKING:
    from postctl.catalog.index import SiteIndex
    from postctl.lint.diagnostics import Diagnostic
    from postctl.site.model import Site

# Below this many posts, reading every file costs less than opening the site index (lint
# of 5 files, measured: about even at 150 posts, the index 20% faster at 300, 35% at 600).
SMALL_SITE = 150


def run_lint(site: Site, options: LintOptions, reporter: Reporter = SILENT) -> LintReport:
    """Lint the posts named by ``options.paths`` (or every post) and apply fixes if asked.

    The ``reporter`` follows the stages: ``"index"`` while the site index is brought up to
    date, ``"lint"`` while posts are read and checked."""
    import gc

    paused = gc.isenabled()
    gc.disable()  # many small records and no reference cycles: collection passes only cost
    try:
        index = _open_index(site, options, reporter)
        try:
            with reporter.stage("lint") as progress:
                return _run_lint(site, options, index, progress)
        finally:
            if index is not None:
                index.close()
    finally:
        if paused:
            gc.enable()


def _open_index(site: Site, options: LintOptions, reporter: Reporter) -> SiteIndex | None:
    """The refreshed site index when it serves this run, else None (the files are read)."""
    if not options.use_cache or count_posts(site, SMALL_SITE) < SMALL_SITE:
        return None
    if (options.fix or options.dry_run) and not options.paths:
        return None  # fixing every post reads every post
    from postctl.catalog.index import SiteIndex
    from postctl.catalog.reader import open_catalog

    catalog = open_catalog(site, reporter=reporter)
    return catalog if isinstance(catalog, SiteIndex) else None


def _run_lint(site: Site, options: LintOptions, index: SiteIndex | None,
              progress: Progress) -> LintReport:
    linter = Linter(site, options, index)
    cwd = options.cwd or Path.cwd()
    given = (resolve_targets(site, linter.loader, options.paths, cwd, options.skip_non_posts)
             if options.paths else None)
    if given is None and count_posts(site, 1) == 0 and not undated_targets(site):
        raise UsageError(no_posts_message(site))
    read_only = not (options.fix or options.dry_run)
    if read_only and index is not None:
        import sqlite3

        from postctl.lint.indexed import lint_indexed

        try:
            diagnostics, files = lint_indexed(linter, index, given, progress)
            return _report(site, options, diagnostics + _leftovers(linter, given), files)
        except sqlite3.Error:  # the index cannot be read: read the files
            linter = Linter(site, options)
    targets = given if given is not None else site_targets(site)
    diagnostics = linter.lint_targets(targets, progress)
    if read_only:
        return _report(site, options, diagnostics + _leftovers(linter, targets),
                       len(targets))
    from postctl.lint.fixes import apply_fixes

    outcome = apply_fixes(linter, diagnostics, options)
    if outcome.changes and not options.dry_run:
        targets = [_renamed(site, target, outcome.renames) for target in targets]
        linter = Linter(site, options, _refreshed(index))
        diagnostics = linter.lint_targets(targets)
    unsafe_left = 0 if options.unsafe_fixes else _count(diagnostics, "unsafe")
    diagnostics = diagnostics + _leftovers(linter, targets)
    return LintReport(site.root, tuple(diagnostics), len(targets), tuple(outcome.changes),
                      tuple(outcome.refused), fixable=0, hidden=unsafe_left, options=options)


def _leftovers(linter: Linter, targets: Sequence[Target] | None) -> list[Diagnostic]:
    """X004 for the post folders and the folders of the linted files."""
    from postctl.lint.leftovers import leftover_diagnostics

    folders = [folder.path for folder in linter.site.folders]
    folders += [target.path.parent for target in targets or ()]
    return leftover_diagnostics(linter, folders)


def _report(site: Site, options: LintOptions, diagnostics: list[Diagnostic],
            files: int) -> LintReport:
    return LintReport(site.root, tuple(diagnostics), files, fixable=_count(diagnostics, "safe"),
                      hidden=_count(diagnostics, "unsafe"), options=options)


def _refreshed(index: SiteIndex | None) -> SiteIndex | None:
    """The index brought up to date with the fixes just written (None if that fails)."""
    if index is None:
        return None
    import sqlite3

    from postctl.errors import PostctlError

    try:
        index.refresh()
    except (sqlite3.Error, PostctlError):
        return None
    return index


def _renamed(site: Site, target: Target, renames: Mapping[str, str]) -> Target:
    rel = site.relative(target.path)
    if rel in renames:
        return Target(site.root / renames[rel], target.folder)
    return target


def _count(diagnostics: Iterable[Diagnostic], applicability: str) -> int:
    return sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == applicability)
