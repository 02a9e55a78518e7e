"""What ``publish``, ``unpublish`` and ``rename`` did, or would do: the new path, a summary,
the changes as unified diffs (``--dry-run``), or one JSON object (``--format json``)."""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.text.jsonvalues import json_dumps
from postctl.text.sanitize import sanitize, sanitize_line

if TYPE_CHECKING:
    from postctl.edit.lifecycle import FileChange, LifecyclePlan
    from postctl.render.output import Output
    from postctl.site.model import Site

__all__ = ["plan_diff", "plan_json", "show_done", "show_dry_run"]

_DONE = {"publish": "published", "unpublish": "unpublished", "rename": "renamed"}


def shown(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the working folder (as ``new`` prints it), sanitised."""
    return sanitize_line(os.path.relpath(path, cwd or Path.cwd()))


def show_done(plan: LifecyclePlan, out: Output) -> None:
    """The new path on stdout; what changed, and the notes, on stderr."""
    out.data(shown(plan.new_path))
    for note in plan.notes:
        out.info(note)
    if not plan.changed:
        return
    out.info(_summary(plan, _DONE[plan.command]))
    referring = plan.files[1:]
    if referring:
        out.info(_references_line(referring, "rewrote"))


def show_dry_run(plan: LifecyclePlan, out: Output) -> None:
    """What would happen, on stdout: the summary, then every change as a unified diff."""
    for note in plan.notes:
        out.info(note)
    if not plan.changed:
        out.data(shown(plan.new_path))
        return
    out.data(_summary(plan, f"would {plan.command}"))
    if plan.files[1:]:
        out.data(_references_line(plan.files[1:], "would rewrite"))
    out.data(plan_diff(plan), end="")


def plan_diff(plan: LifecyclePlan, cwd: Path | None = None) -> str:
    """Every file of the plan as a unified diff (a move with git's rename headers)."""
    return "".join(_file_diff(change, cwd) for change in plan.files)


def plan_json(plan: LifecyclePlan, site: Site, *, written: bool, dry_run: bool) -> str:
    """One JSON object: paths (from the site root), URLs, what changed, what was written."""
    record: dict[str, object] = {
        "command": plan.command,
        "path": site.relative(plan.new_path),
        "old_path": plan.post.rel_path,
        "url": plan.new_url if plan.changed else plan.old_url,
        "old_url": plan.old_url,
        "moved": plan.moved,
        "changed": plan.changed,
        "written": written,
        "fields": [{"key": f.key, "op": f.op, "value": f.value} for f in plan.fields],
        "references": [{"path": site.relative(change.old_path), "count": change.references}
                       for change in plan.files[1:]],
        "notes": list(plan.notes),
    }
    if dry_run:
        record["diff"] = plan_diff(plan, site.root)
    return json_dumps(record, indent=2)


def _summary(plan: LifecyclePlan, verb: str) -> str:
    where = shown(plan.post.path)
    if plan.moved:
        where += f" → {shown(plan.new_path)}"
    parts = [_field(field.key, field.op, field.value, field.text) for field in plan.fields]
    if plan.new_url != plan.old_url and plan.new_url is not None:
        parts.append(f"URL {plan.new_url}")
    return sanitize_line(f"{verb} {where}" + (f" ({'; '.join(parts)})" if parts else ""))


def _field(key: str, op: str, value: object, text: str) -> str:
    if op == "delete":
        return f"{key} removed"
    if key in ("redirect_from", "aliases") and isinstance(value, list) and value:
        return f"{value[-1]} added to {key}"
    return f"{key}: {text or value}"


def _references_line(changes: Sequence[FileChange], verb: str) -> str:
    count = sum(change.references for change in changes)
    names = ", ".join(shown(change.old_path) for change in changes)
    posts = "post" if len(changes) == 1 else "posts"
    references = "reference" if count == 1 else "references"
    return sanitize_line(f"{verb} {count} {references} in {len(changes)} {posts}: {names}")


def _file_diff(change: FileChange, cwd: Path | None) -> str:
    old, new = shown(change.old_path, cwd), shown(change.new_path, cwd)
    head = ""
    if old != new:
        head = f"diff --git a/{old} b/{new}\nrename from {old}\nrename to {new}\n"
    if change.old == change.new:
        return head
    lines = difflib.unified_diff(_lines(change.old), _lines(change.new), f"a/{old}", f"b/{new}")
    body = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
    return head + sanitize(body)


def _lines(data: bytes) -> list[str]:
    """Lines for the diff; a CRLF ending shows as a plain one (the file keeps its own)."""
    text = data.decode("utf-8", errors="replace")
    return [line[:-2] + "\n" if line.endswith("\r\n") else line
            for line in text.splitlines(keepends=True)]
