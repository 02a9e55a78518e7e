"""Checking many posts in worker processes: the first lint of a large site reads and checks
every post, which is CPU-bound (YAML, rules), so it runs on every CPU.

Workers are forked from the run's process (:mod:`postctl.site.forks`), so the rules,
settings and schema are loaded once. Each post gives what the findings cache keeps
(``cache.encode`` of its ``Checked``) and its facts, or its parse error. Only Linux forks
workers (as the site index does); the number of processes follows ``POSTCTL_INDEX_WORKERS``
(default: one per CPU, at most 8).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from postctl.errors import SourceError
from postctl.reporting import Progress

if TYPE_CHECKING:
    from pathlib import Path

    from postctl.lint.linter import Linter
    from postctl.lint.rules.base import PostFact
    from postctl.lint.targets import Target

PARALLEL_MIN_POSTS = 1000  # fewer posts than this are checked in the run's own process
_CHUNK = 250
# One post's outcome: (rel, encoded Checked, facts), or (rel, its error's message, line,
# column, code): errors are sent back as plain values.
Checked = tuple[str, str, "PostFact"]
Failed = tuple[str, str, "int | None", "int | None", str]
Outcome = Checked | Failed


def workers(posts: int) -> int:
    """How many processes check ``posts`` posts (1: the run's own process)."""
    if posts < PARALLEL_MIN_POSTS:
        return 1
    from postctl.site.workers import process_count  # one setting for every forked pool

    return process_count()


def check_all(linter: Linter, targets: Sequence[Target], processes: int,
              progress: Progress | None = None) -> list[Outcome]:
    """Each target's outcome, in order, checked by ``processes`` forked workers (stopped
    before this returns, also when it is interrupted); ``progress`` is told how many are
    done."""
    from postctl.site.forks import forked_map

    chunks = [targets[start : start + _CHUNK] for start in range(0, len(targets), _CHUNK)]

    def check_chunk(number: int) -> list[Outcome]:
        return [check_one(linter, target) for target in chunks[number]]

    found: list[Outcome] = []
    with contextlib.closing(forked_map(check_chunk, len(chunks), processes)) as checked:
        for outcomes in checked:
            found += outcomes
            if progress is not None:
                progress(len(found), len(targets))
    return found


def check_one(linter: Linter, target: Target) -> Outcome:
    from postctl.lint.cache import encode

    item = linter.load(target)
    if isinstance(item, SourceError):
        return linter.site.relative(target.path), item.message, item.line, item.col, item.code
    return item.rel_path, encode(linter.checked(item, complete=True)), linter.fact(item)


def error_of(path: Path, failed: Failed) -> SourceError:
    _, message, line, col, code = failed
    return SourceError(path, message, line, col, code=code)
