"""What ``postctl undo`` shows: the recorded changes (``--list``), what undoing one would put
back (``--dry-run``: a diff per file), and what it did (text on stderr, or JSON).

Paths, commands and file contents come from the site and the journal, so all of it passes
the sanitiser (docs/guarantees.md: Terminal).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.render.changes import unified_diff
from postctl.text.jsonvalues import json_dumps
from postctl.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from postctl.edit.journal import Change, Step


def change_items(changes: Sequence[Change]) -> list[dict[str, object]]:
    """``{"id", "started", "command", "state", "files": [paths]}`` per change, newest first."""
    return [{"id": change.id, "started": change.started, "command": change.command,
             "state": change.state,
             "files": sorted({path for step in change.steps() for path in step.paths})}
            for change in changes]


def changes_text(items: Sequence[dict[str, object]], width: int | None = None) -> str:
    """The recorded changes as aligned plain text: id, when, state, files, command, aligned
    by display width. In ``width`` cells (a terminal), a row too long shows the time to the
    minute, then leaves the id out, then cuts the command with an ellipsis; without, nothing
    is cut (a pipe)."""
    from postctl.render.cells import cell_len, cut, pad

    rows = [["ID", "WHEN", "STATE", "FILES", "COMMAND"]]
    rows += [[sanitize_line(str(item["id"])), sanitize_line(str(item["started"])),
              sanitize_line(str(item["state"])), str(len(item["files"])),  # type: ignore[arg-type]
              sanitize_line(str(item["command"]))]
             for item in items]

    def widths() -> list[int]:
        return [max(cell_len(row[column]) for row in rows) for column in range(len(rows[0]))]

    def too_wide() -> bool:
        return width is not None and sum(widths()) + 2 * (len(rows[0]) - 1) > width

    if too_wide():
        for row in rows[1:]:
            row[1] = row[1][:16].replace("T", " ")
    if too_wide():
        rows = [row[1:] for row in rows]
    columns = widths()
    if width is not None and too_wide():
        room = max(width - sum(columns[:-1]) - 2 * (len(columns) - 1), 8)
        rows = [[*row[:-1], cut(row[-1], room)] for row in rows]
    return "".join(
        "  ".join([*(pad(cell, size) for cell, size in zip(row[:-1], columns, strict=False)),
                   row[-1]]) + "\n"
        for row in rows)


def step_diff(change: Change, step: Step, now: bytes | None) -> str:
    """What undoing ``step`` does to the file as it is now (``now``): git-style headers
    for a file moved back, created again or removed, and the diff of its bytes."""
    after, before = step.after, step.before
    old_name = after.path if after else before.path  # type: ignore[union-attr]
    new_name = before.path if before else after.path  # type: ignore[union-attr]
    head = ""
    if old_name != new_name and after and before:
        head = sanitize_line(f"diff --git a/{old_name} b/{new_name}") + "\n" + sanitize_line(
            f"rename from {old_name}") + "\n" + sanitize_line(f"rename to {new_name}") + "\n"
    old = now if now is not None else b""
    new = change.content(before) if before else b""
    old_label = f"a/{old_name}" if now is not None else "/dev/null"
    new_label = f"b/{new_name}" if before else "/dev/null"
    return head + unified_diff(old, new, old_label, new_label)


def undo_json(change: Change, restored: Sequence[str], refused: Sequence[tuple[str, str]],
              dry_run: bool) -> str:
    return json_dumps({"change": change.id, "command": change.command, "dry_run": dry_run,
                       "restored": list(restored),
                       "refused": [{"path": path, "reason": reason} for path, reason in refused]},
                      indent=2)


def undo_summary(change: Change, restored: int, refused: int, dry_run: bool) -> str:
    files = f"{restored} file{'s' if restored != 1 else ''}"
    verb = "would put back" if dry_run else "put back"
    line = f"Undo of {change.command} ({change.started}): {verb} {files}"
    if refused:
        line += f"; {refused} changed since and left as they are"
    return sanitize_line(line + ".")


def shown(root: Path, rel: str, cwd: Path) -> str:
    from postctl.render.paths import path_from_cwd

    return path_from_cwd(root, rel, cwd)
