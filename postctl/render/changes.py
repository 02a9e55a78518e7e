"""What a change-making command shows (tags rename/merge/delete, categories ..., set, unset,
undo): each file and what changed in it, unified diffs for ``--dry-run``, the question asked
on a terminal, the summary, and the ``--format json`` document.

Every path and value comes from the posts, so all of it passes the sanitiser
(docs/guarantees.md: Terminal); JSON is written by the one mapping of
:mod:`postctl.text.jsonvalues`.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.text.jsonvalues import json_dumps
from postctl.text.sanitize import sanitize, sanitize_line

if TYPE_CHECKING:
    from postctl.edit.bulk import FilePlan, KeyChange, Unchanged
    from postctl.render.output import Output


@dataclass
class ChangeReport:
    """What a command changed (or, with ``--dry-run``, would change), file by file."""

    dry_run: bool = False
    changed: list[tuple[str, tuple[KeyChange, ...]]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # left alone, and why
    refused: list[tuple[str, str]] = field(default_factory=list)  # could not be changed
    change_id: str | None = None
    shown: tuple[int, int, int] = (0, 0, 0)  # changed, notes and refused lines written

    def add(self, plan: FilePlan) -> None:
        self.changed.append((plan.rel, plan.changes))

    def skip(self, item: Unchanged) -> None:
        (self.refused if item.failed else self.notes).append((item.rel, item.reason))


def unified_diff(old: bytes, new: bytes, old_name: str, new_name: str) -> str:
    """A unified diff of two files' bytes, sanitised, with git's marker after a last line
    without a newline."""
    lines = difflib.unified_diff(old.decode("utf-8", errors="replace").splitlines(keepends=True),
                                 new.decode("utf-8", errors="replace").splitlines(keepends=True),
                                 old_name, new_name)
    return sanitize("".join(line if line.endswith("\n")
                            else line + "\n\\ No newline at end of file\n" for line in lines))


def file_diff(plan: FilePlan, shown: str) -> str:
    return unified_diff(plan.old, plan.new, f"a/{shown}", f"b/{shown}")


def value_text(value: object) -> str:
    """A value as JSON text (the one mapping of front-matter values), or ``(none)``."""
    from postctl.edit.bulk import ABSENT

    return "(none)" if value is ABSENT else json_dumps(value)


def change_line(shown: str, changes: Sequence[KeyChange]) -> str:
    """``path: key: before → after; key: ...``."""
    parts = [f"{c.key}: {value_text(c.before)} → {value_text(c.after)}" for c in changes]
    return sanitize_line(f"{shown}: {'; '.join(parts)}")


def write_lines(report: ChangeReport, root: Path, cwd: Path, out: Output, *,
                changed: bool = True) -> None:
    """One line on stderr per file changed (unless not ``changed``), left alone or refused,
    except those written already."""
    from postctl.render.paths import path_from_cwd

    done_changed, done_notes, done_refused = report.shown
    if changed:
        for rel, changes in report.changed[done_changed:]:
            out.info(change_line(path_from_cwd(root, rel, cwd), changes))
        done_changed = len(report.changed)
    for rel, reason in report.notes[done_notes:]:
        out.info(f"{path_from_cwd(root, rel, cwd)}: not changed: {reason}")
    for rel, reason in report.refused[done_refused:]:
        out.error(f"{path_from_cwd(root, rel, cwd)}: not changed: {reason}")
    report.shown = (done_changed, len(report.notes), len(report.refused))


def summary(report: ChangeReport, what: str) -> str:
    """The last line: how many posts changed (or would), and how to take it back."""
    count = len(report.changed)
    posts = f"{count} post{'s' if count != 1 else ''}"
    if report.dry_run:
        line = f"{what}: would change {posts} (dry run: nothing written)"
    else:
        line = f"{what}: changed {posts}"
        if report.change_id and count:
            line += "; postctl undo puts them back"
    extra = []
    if report.notes:
        extra.append(f"{len(report.notes)} left as they are")
    if report.refused:
        extra.append(f"{len(report.refused)} could not be changed")
    return line + (f" ({', '.join(extra)})" if extra else "") + "."


def report_json(report: ChangeReport, command: str) -> str:
    """``{"command", "dry_run", "change", "changed": [{"path", "keys": [{"key", "before",
    "after"}]}], "unchanged": [{"path", "reason"}], "refused": [{"path", "reason"}]}``;
    ``before``/``after`` are left out where the key is not there."""
    from postctl.edit.bulk import ABSENT

    def key_item(change: KeyChange) -> dict[str, object]:
        item: dict[str, object] = {"key": change.key}
        if change.before is not ABSENT:
            item["before"] = change.before
        if change.after is not ABSENT:
            item["after"] = change.after
        return item

    return json_dumps({
        "command": command,
        "dry_run": report.dry_run,
        "change": report.change_id,
        "changed": [{"path": rel, "keys": [key_item(c) for c in changes]}
                    for rel, changes in report.changed],
        "unchanged": [{"path": rel, "reason": reason} for rel, reason in report.notes],
        "refused": [{"path": rel, "reason": reason} for rel, reason in report.refused],
    }, indent=2)


def can_ask(out: Output) -> bool:
    """Whether someone can answer a question: stdin and stderr are a terminal."""
    return out.is_terminal(sys.stdin) and out.is_terminal(out.stderr)


def ask(question: str, out: Output) -> bool:
    """``question [y/N]`` on stderr; True only for yes."""
    stream = out.stderr
    stream.write(sanitize_line(question) + " [y/N] ")
    stream.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
