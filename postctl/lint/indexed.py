"""A read-only lint run through the site index (refreshed by the caller): facts about every
post come from the index's rows, and what checking a post gave from the findings cache
(``postctl.lint.cache``) when the post is unchanged; only the other linted posts are read
(in worker processes when there are many, ``postctl.lint.parallel``).

Linting a few files of a large site reads only their rows; the site-wide rules then ask
the index (``postctl.lint.indexfacts``) rather than load every row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from postctl.errors import SourceError
from postctl.lint import cache
from postctl.lint.facts import FACT_COLUMNS, MemoryFacts, fact_of_row
from postctl.lint.indexfacts import is_few
from postctl.lint.targets import Target, undated_targets
from postctl.reporting import Progress

if TYPE_CHECKING:
    import sqlite3

    from postctl.catalog.index import SiteIndex
    from postctl.lint.checked import Checked
    from postctl.lint.diagnostics import Diagnostic
    from postctl.lint.linter import Linter
    from postctl.lint.rules.base import PostFact
    from postctl.post.model import Post

_CHUNK = 500  # paths per query (old SQLite allows 999 parameters)
Stamp = tuple[int, str, int, int, int]  # posts.id, path, mtime_ns, size, inode


class _Run:
    """What one pass over the rows collects."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.diagnostics: list[Diagnostic] = []
        self.checked: dict[str, Checked] = {}
        self.live: dict[str, Post] = {}
        self.facts: list[PostFact] = []
        self.unread: list[tuple[Target, Stamp | None]] = []  # linted posts to read and check
        self.fresh: list[tuple[Any, ...]] = []  # new rows of the findings cache


def lint_indexed(linter: Linter, index: SiteIndex, given: Sequence[Target] | None,
                 progress: Progress | None = None) -> tuple[list[Diagnostic], int]:
    """(diagnostics, posts checked) of the given targets, or of every post; ``progress`` is
    told how many of the posts to read again were checked.

    Raises sqlite3.Error when the index cannot be read (the caller then reads the files).
    """
    connection = index.connection
    cache.create(connection)
    run = _Run(cache.settings_key(linter))
    wanted = None if given is None else {linter.site.relative(t.path): t for t in given}
    few = wanted is not None and is_few(connection, len(wanted))
    rows = _rows(connection, run.key, sorted(wanted) if wanted is not None and few else None)
    for row in rows:
        rel = row[5]
        target = wanted.pop(rel, None) if wanted is not None else None
        _take(linter, row, run, wanted is None or target is not None, target)
    # Given posts without a row are not in a folder the index covers, or files of _posts
    # without a date (no posts, but lint says so): read them too.
    unlisted = list((wanted or {}).values()) if given is not None else undated_targets(linter.site)
    linter.mark_undated(unlisted)
    run.unread.extend((target, None) for target in unlisted)
    _check(linter, run, progress)
    if not few:
        linter.site_facts = MemoryFacts(run.facts)
    cache.store(connection, run.fresh, prune=given is None)
    files = len(rows) + len(unlisted) if given is None else len(given)
    return linter.finish(run.checked, run.live, run.diagnostics), files


def _rows(connection: sqlite3.Connection, key: str, paths: list[str] | None) -> list[Any]:
    """Every post's row (``paths``: only theirs) with its findings if cached, by path."""
    sql = cache.ROWS.format(facts=FACT_COLUMNS)
    if paths is None:
        return connection.execute(f"{sql} ORDER BY posts.path", (key,)).fetchall()
    rows: list[Any] = []
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        rows += connection.execute(f"{sql} WHERE posts.path IN ({', '.join('?' * len(chunk))})",
                                   [key, *chunk]).fetchall()
    return rows


def _take(linter: Linter, row: Sequence[Any], run: _Run, wanted: bool,
          target: Target | None) -> None:
    """One row: the post's findings if wanted (cached, or to read), and its facts."""
    ident, mtime, size, inode, error = row[:5]
    rel = row[5]
    if error is not None:
        if wanted:
            run.diagnostics.extend(linter.source_error(rel, _error_of(linter, rel, error)))
        return
    data = row[13] if wanted else None
    if data is not None:  # checked before: findings and facts from the row
        checked = run.checked[rel] = linter.selected(cache.decode(rel, data))
        subject = checked.subject
        fact = fact_of_row(row[5:13], linter.now, (subject.tags, subject.categories))
        run.facts.append(fact)
        linter.own[rel] = fact
    elif wanted:
        if target is None:
            path = linter.site.root / rel
            target = Target(path, linter.loader.folder_of(path))
        run.unread.append((target, (ident, rel, mtime, size, inode)))
    else:
        run.facts.append(fact_of_row(row[5:13], linter.now))


def _check(linter: Linter, run: _Run, progress: Progress | None) -> None:
    """Read and check the linted posts not found in the findings cache; cache the results
    under the stamps of their rows."""
    from postctl.lint import parallel

    total = len(run.unread)
    processes = parallel.workers(total)
    if processes <= 1:
        for done, (target, stamp) in enumerate(run.unread, start=1):
            _check_live(linter, target, stamp, run)
            if progress is not None and (done % 64 == 0 or done == total):
                progress(done, total)
        return
    targets = [target for target, _ in run.unread]
    outcomes = parallel.check_all(linter, targets, processes, progress)
    for (target, stamp), outcome in zip(run.unread, outcomes, strict=True):
        rel = outcome[0]
        if len(outcome) == 3:
            _, data, fact = outcome
            run.checked[rel] = linter.selected(cache.decode(rel, data))
            run.facts.append(fact)
            linter.own[rel] = fact
            if stamp is not None:
                run.fresh.append((*stamp, run.key, data))
        else:
            error = parallel.error_of(target.path, outcome)
            run.diagnostics.extend(linter.source_error(rel, error))


def _check_live(linter: Linter, target: Target, stamp: Stamp | None, run: _Run) -> None:
    item = linter.load(target)
    if isinstance(item, SourceError):
        run.diagnostics.extend(linter.source_error(linter.site.relative(target.path), item))
        return
    rel = item.rel_path
    linter.posts[rel] = run.live[rel] = item
    checked = linter.checked(item, complete=True)
    run.checked[rel] = linter.selected(checked)
    if stamp is not None:
        run.fresh.append((*stamp, run.key, cache.encode(checked)))
    fact = linter.own_fact(rel)
    if fact is not None:
        run.facts.append(fact)


def _error_of(linter: Linter, rel: str, text: str) -> SourceError:
    data = json.loads(text)
    return SourceError(linter.site.root / rel, data["message"], data.get("line"),
                       data.get("col"), code=data.get("code", "E001"))
