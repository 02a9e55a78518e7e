"""Helpers for rule tests: lint a small generated site and look at the diagnostics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from postctl.lint.diagnostics import Diagnostic

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
GOOD = "---\ntitle: A good post\ndate: 2024-01-02\ntags: [one, two]\n---\nSome text.\n"

LintFn = Callable[..., list[Diagnostic]]


def run_lint(root: Path, select: Sequence[str] = (), paths: Sequence[str] = (),
             **options: object) -> list[Diagnostic]:
    from postctl.lint import LintOptions, run_lint
    from postctl.site.model import open_site

    report = run_lint(open_site(root), LintOptions(
        paths=tuple(paths), select=tuple(select), now=NOW, cwd=root, **options))  # type: ignore[arg-type]
    return list(report.diagnostics)


@pytest.fixture
def lint(make_site: Callable[..., Path]) -> LintFn:
    """``lint({"_posts/2024-01-02-a.md": text}, select=["F"])`` -> diagnostics."""
    count = iter(range(1000))

    def run(posts: dict[str, str | bytes], select: Sequence[str] = (),
            config: str | None = None, jekyll: str | None = "title: T\ntimezone: UTC\n",
            paths: Sequence[str] = (), **options: object) -> list[Diagnostic]:
        root = make_site(posts=posts, config=config, jekyll=jekyll, name=f"site{next(count)}")
        return run_lint(root, select, paths, **options)

    return run


def rules_of(diagnostics: Sequence[Diagnostic]) -> list[str]:
    return [d.rule for d in diagnostics]
