"""lint over the real Jekyll corpora (copies): never a crash, no false errors, fixes that
change only the fixed bytes and settle after one run."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

import pytest

from postctl.lint import LintOptions, LintReport, run_lint
from postctl.site.model import open_site
from tests.conftest import CORPORA, snapshot

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="shared corpora not available")

# Site roots inside the corpora (each holds a _posts folder).
SITES = ["18f-posts", "jekyll-docs-posts/docs"]
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def copy_site(name: str, tmp_path: Path) -> Path:
    if not (CORPORA / name / "_posts").is_dir():
        pytest.skip(f"{name} not in the corpora")
    target = tmp_path / name.replace("/", "-")
    # the corpora are kept read-only; a site being fixed is writable, as a checkout is
    shutil.copytree(CORPORA / name, target, copy_function=shutil.copyfile)
    for folder in [target, *(p for p in target.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    return target


def lint(root: Path, **options: object) -> LintReport:
    return run_lint(open_site(root), LintOptions(now=NOW, cwd=root, **options))  # type: ignore[arg-type]


def posts_in(root: Path) -> int:
    return sum(1 for p in (root / "_posts").rglob("*") if p.suffix in (".md", ".markdown"))


@pytest.mark.parametrize("name", SITES)
def test_every_post_is_checked_without_false_errors(name: str, tmp_path: Path) -> None:
    root = copy_site(name, tmp_path)
    before = snapshot(root)
    report = lint(root)
    assert report.files == posts_in(root)
    assert snapshot(root) == before
    errors = [d for d in report.diagnostics if d.severity == "error"]
    # The only errors are {% link %} tags to docs pages that are not part of the corpus
    # (the corpus is the _posts folder of a larger site): Jekyll would stop on those here.
    assert all(d.rule == "R003" and "_docs/" in d.message for d in errors), errors
    counts = Counter(d.rule for d in report.diagnostics)
    assert counts  # real posts always have something to say


@pytest.mark.parametrize("name", SITES)
@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_changes_only_fixed_lines_and_settles(name: str, unsafe: bool, tmp_path: Path) -> None:
    root = copy_site(name, tmp_path)
    before = snapshot(root)
    first = lint(root, fix=True, unsafe_fixes=unsafe)
    assert first.refused == ()
    after = snapshot(root)
    renamed = {c.path: c.rename_to for c in first.changes if c.rename_to}
    edited = {c.path for c in first.changes if not c.rename_to}
    for rel, (old, _, _) in before.items():
        new_rel = renamed.get(rel, rel)
        new = after[new_rel][0]
        if rel not in edited and new_rel not in edited:
            assert new == old, rel
            continue
        old_lines, new_lines = old.splitlines(), new.splitlines()
        assert len(old_lines) == len(new_lines)
        for a, b in zip(old_lines, new_lines, strict=True):
            if a != b:  # a fixed line: same key, trailing space gone or a list written
                assert a.split(b":")[0] == b.split(b":")[0] or b"post_url" in a
    assert set(after) == {renamed.get(rel, rel) for rel in before}
    second = lint(root, fix=True, unsafe_fixes=unsafe)
    assert second.changes == () and second.refused == ()
    assert snapshot(root) == after
