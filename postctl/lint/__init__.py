"""``postctl lint``: check posts with the rules of ``postctl.lint.rules``; fix what is fixable.

``run_lint(site, LintOptions) -> LintReport`` is the one entry point. Posts are read
read-only; with ``fix`` safe (and with ``unsafe_fixes`` unsafe) fixes are applied through
``postctl.lint.fixes``, which writes only through ``edit``/``fsio`` (verified, atomic).

Modules: ``report`` (options and report), ``targets`` (which files), ``linter`` (checks and
diagnostics), ``checked`` (what checking one post gives), ``facts`` (facts about posts,
and the site's facts held in memory), ``indexfacts`` (the site's facts looked up in the
site index), ``cache`` (findings kept in the index's database), ``indexed`` (a run through
the index), ``parallel`` (checking many posts in worker processes), ``run`` (``run_lint``).
"""

from __future__ import annotations

from postctl.lint.report import FileChange, LintOptions, LintReport
from postctl.lint.run import run_lint

__all__ = ["FileChange", "LintOptions", "LintReport", "run_lint"]
