"""The findings cache holds every rule's findings for each post: a run with other rules
(--select, --ignore) reads no post again and reports what a run without the cache reports;
and lint tells its reporter how the checking advances (a progress bar on a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from postctl.lint import LintOptions, run_lint
from postctl.lint.linter import Linter
from postctl.reporting import Progress, Stage
from postctl.site.model import open_site
from tests.conftest import SiteFactory
from tests.lint.test_lint import NOW, cached, cross_site, diagnostics_of, lint

__all__ = ["cached"]  # the fixture, used by name

EXTRA = {
    "_posts/2024-02-01-links.md": ("---\ntitle: Links\ntags: a b\nimage: /missing.png\n---\n"
                                   "[gone](/nowhere/) and ![x](/img/none.png)\n"),
    "_posts/2024-02-02-dates.md": "---\ntitle: Dates\ndate: 2024-02-05\npublished: no\n---\nx\n",
}
SELECTIONS: list[dict[str, tuple[str, ...]]] = [
    {}, {"select": ("D",)}, {"select": ("R",)}, {"select": ("R004", "J")},
    {"ignore": ("R004",)}, {"select": ("X",)}, {"select": ("D",)},
]


def _site(make_site: SiteFactory) -> Path:
    root = cross_site(make_site)
    for rel, text in EXTRA.items():
        (root / rel).write_text(text)
    return root


@pytest.mark.usefixtures("cached")
@pytest.mark.parametrize("first", [{}, {"select": ("D",)}])
def test_a_run_with_other_rules_reads_no_post_again(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, first: dict[str, tuple[str, ...]],
) -> None:
    root = _site(make_site)
    expected = [lint(root, use_cache=False, **options) for options in SELECTIONS]
    assert len({tuple(diagnostics_of(report)) for report in expected}) > 4  # they differ
    read: list[str] = []
    real = Linter.load

    def counting(self: Linter, target: object) -> object:
        read.append(str(target))
        return real(self, target)  # type: ignore[arg-type]

    monkeypatch.setattr(Linter, "load", counting)
    lint(root, **first)
    assert read  # the first run reads every post
    read.clear()
    for options, direct in zip(SELECTIONS, expected, strict=True):
        report = lint(root, **options)
        assert diagnostics_of(report) == diagnostics_of(direct), options
        assert (report.fixable, report.hidden) == (direct.fixable, direct.hidden)
    assert read == []


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Stage, int, int]] = []

    def notice(self, message: str) -> None:
        pass

    def warn(self, message: str) -> None:
        pass

    @contextmanager
    def stage(self, name: Stage) -> Iterator[Progress]:
        yield lambda done, total: self.calls.append((name, done, total))


@pytest.mark.parametrize("use_cache", [True, False])
def test_lint_reports_how_the_checking_advances(
    make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch, use_cache: bool,
) -> None:
    import postctl.lint.run

    monkeypatch.setattr(postctl.lint.run, "SMALL_SITE", 1)
    root = _site(make_site)
    posts = len(list((root / "_posts").iterdir()))
    recorder = _Recorder()
    run_lint(open_site(root), LintOptions(cwd=root, now=NOW, use_cache=use_cache), recorder)
    lint_calls = [call for call in recorder.calls if call[0] == "lint"]
    _, done, total = lint_calls[-1]
    assert done == total >= posts  # the drafts of the site too
    assert use_cache == any(call[0] == "index" for call in recorder.calls)
