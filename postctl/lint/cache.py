"""The findings cache: what checking each post gave (``Checked``), kept in a table of the
site index's database, so that a post unchanged since the last run is not read again::

    lint1_findings(id = posts.id, path, mtime_ns, size, inode, key, data)

A row is used when its path and stamp equal those of the post's ``posts`` row and its ``key``
(:func:`settings_key`: postctl and its rules, the site's settings) equals this run's. A row
holds the findings of every rule, selected or not (``Linter.checked(complete=True)``), and
each run takes those of its own rules: a run with other ``--select``/``--ignore`` rules
reads no post again. Only findings that depend on nothing but the file are kept; those that
depend on the rest of the site or the clock are worked out on every run. Writes are
best-effort: a busy or failing database only means the next run checks those posts again.
The index drops the table when it is rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from postctl.lint.checked import NO_SUPPRESSION, Checked, Pairs
from postctl.lint.diagnostics import Finding, Fix

if TYPE_CHECKING:
    from postctl.lint.linter import Linter

FORMAT = "2"  # of the data column; part of the key
SCHEMA = """CREATE TABLE IF NOT EXISTS lint1_findings (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL, inode INTEGER NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL)"""
# Each post's stamp, error, facts, and cached findings if usable (? = the settings key).
ROWS = """
SELECT posts.id, posts.mtime_ns, posts.size, posts.inode, posts.error, {facts}, f.data
FROM posts LEFT JOIN lint1_findings AS f ON f.id = posts.id AND f.path = posts.path
     AND f.mtime_ns = posts.mtime_ns AND f.size = posts.size AND f.inode = posts.inode
     AND f.key = ?
"""


def settings_key(linter: Linter) -> str:
    """What cached findings depend on besides the file: postctl and its rules, the site's
    settings and _config.yml, not the rules selected (two 32-bit checksums of their text:
    hashlib would cost more to import than the whole lookup of a few posts)."""
    import os
    import zlib

    from postctl.version import __version__
    package = os.path.dirname(os.path.dirname(__file__))
    code = sorted((entry.name, entry.stat().st_mtime_ns)
                  for folder in ("lint", "lint/rules")
                  for entry in os.scandir(f"{package}/{folder}")
                  if entry.name.endswith(".py"))
    site = linter.site
    parts = (FORMAT, __version__, code, repr(site.config), repr(site.folders), str(site.tz),
             site.flavour)
    text = repr(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


def create(connection: sqlite3.Connection) -> None:
    connection.execute(SCHEMA)


def store(connection: sqlite3.Connection, rows: Sequence[tuple[Any, ...]],
          prune: bool = False) -> None:
    """Save (id, path, mtime_ns, size, inode, key, data) rows; with ``prune``, drop the rows of
    posts no longer in the index. Best-effort: a busy or failing database is skipped."""
    try:
        if not rows and not (prune and _orphans(connection)):
            return
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany("INSERT OR REPLACE INTO lint1_findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                               rows)
        if prune and _orphans(connection):
            connection.execute("DELETE FROM lint1_findings WHERE id NOT IN "
                               "(SELECT id FROM posts)")
        connection.execute("COMMIT")
    except sqlite3.Error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


def _orphans(connection: sqlite3.Connection) -> bool:
    """Whether some rows belong to posts no longer in the index: after a whole-site run
    every readable post has a row, so there are then more rows than readable posts."""
    posts, kept = connection.execute(
        "SELECT (SELECT COUNT(*) FROM posts WHERE error IS NULL), "
        "(SELECT COUNT(*) FROM lint1_findings)").fetchone()
    return bool(kept > posts)


# --- the data column ---------------------------------------------------------------------------


def encode(item: Checked) -> str:
    pure = [[f.rule, f.line, f.column, f.message, f.severity, _fix_data(f.fix), usable]
            for f, usable in item.pure]
    suppress = [list(item.suppress[0]), {str(k): list(v) for k, v in item.suppress[1].items()}]
    subject = [item.subject.places, item.subject.own, item.subject.tags,
               item.subject.categories]
    data = [pure, [list(ref) for ref in item.refs], suppress, subject, item.date_place,
            sorted(item.editable)]
    return json.dumps(data, ensure_ascii=False, default=str)


def _fix_data(found: Fix | None) -> object:
    if found is None:
        return None
    return [found.applicability, found.description,
            [[e.key, e.op, e.value] for e in found.edits], found.rename]


def _fix_of(found: Any) -> Fix | None:
    if found is None:
        return None
    applicability, description, _edits, rename = found
    # The edits are not needed to report (a fix run reads the file again).
    return Fix(applicability, description, (), rename)


def decode(rel: str, text: str) -> Checked:
    from postctl.lint.rules.site import Subject

    pure_data, refs, suppress, subject, place, editable = json.loads(text)
    pure: Pairs = [(Finding(f[0], f[1], f[2], f[3], _fix_of(f[5]), f[4]), f[6])
                   for f in pure_data] if pure_data else []
    if suppress[0] or suppress[1]:
        suppression = (tuple(suppress[0]), {int(k): tuple(v) for k, v in suppress[1].items()})
    else:
        suppression = NO_SUPPRESSION
    places, own, tags, categories = subject
    return Checked(rel, pure, refs,  # refs stay [kind, target, line, column] lists
                   suppression, Subject(rel, places, own, tuple(tags), tuple(categories)),
                   (place[0], place[1]), frozenset(editable))
