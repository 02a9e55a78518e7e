"""``postctl undo``: put back what the last change-making command changed, from the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postctl.cli.options import DryRunOpt, YesOpt
from postctl.cli.options import RecordFormatOpt as FormatOpt  # undo reports: text or JSON

if TYPE_CHECKING:
    from pathlib import Path

    from postctl.edit.journal import Change, Step
    from postctl.render import OutputFormat

ListOpt = Annotated[bool, typer.Option(
    "--list", help="List the recorded changes: id, when, state, files, command.")]


def undo(list_: ListOpt = False, dry_run: DryRunOpt = False, yes: YesOpt = False,
         fmt: FormatOpt = None) -> None:
    """Put back, byte for byte, what the last change-making command changed (bulk edits,
    lint --fix, publish, unpublish, rename), moves included; also an interrupted change.
    A file changed since is left as it is and named (exit 3).

    Examples: postctl undo; postctl undo --dry-run; postctl undo --list
    """
    from postctl.cli.changing import nothing_to_do
    from postctl.cli.context import current_site, output, wants_json
    from postctl.edit.journal import Journal
    from postctl.render.journal import change_items, changes_text
    from postctl.site.cache import journal_dir

    wants_json(fmt)
    site = current_site()
    journal = Journal(journal_dir(site.root), site.root)
    if list_:
        items = change_items(journal.changes())
        if _wants_json(fmt):
            from postctl.text.jsonvalues import json_dumps

            output().data(json_dumps(items, indent=2))
        else:
            out = output()
            width = out.console().width if out.is_terminal(out.stdout) else None
            out.data(changes_text(items, width), end="")
        return
    change = journal.last_to_undo()
    if change is None:
        nothing_to_do("nothing to undo: every recorded change of this site is undone"
                      if journal.changes() else
                      "nothing to undo: no change of this site is recorded")
    _undo(site.root, change, dry_run, yes, fmt)


def _undo(root: Path, change: Change, dry_run: bool, yes: bool, fmt: OutputFormat | None) -> None:
    from pathlib import Path

    from postctl.cli.changing import EXIT_NOTHING, EXIT_REFUSED
    from postctl.cli.context import output
    from postctl.edit import changes
    from postctl.render.changes import ask, can_ask
    from postctl.render.journal import shown, undo_json, undo_summary

    out, cwd = output(), Path.cwd()
    steps = list(change.steps())[::-1]
    if dry_run:
        restored, refused = _preview(root, change, steps, not _wants_json(fmt))
    else:
        count = len(steps)
        question = f"Undo {change.command} ({change.started}, {count} file{'s' * (count != 1)})?"
        if not yes and can_ask(out) and not ask(question, out):
            out.info("Nothing changed.")
            raise typer.Exit(EXIT_NOTHING)
        outcome = changes.undo(change, root)
        restored = [p.relative_to(root).as_posix() for p in outcome.changed]
        refused = [(_rel(root, error), str(getattr(error, "message", error)))
                   for error in outcome.refused]
    if _wants_json(fmt):
        out.data(undo_json(change, restored, refused, dry_run))
    else:
        for rel in restored:
            out.info(f"{shown(root, rel, cwd)}: {'would be put' if dry_run else 'put'} back")
        for rel, reason in refused:
            out.error(f"{shown(root, rel, cwd)}: not put back: {reason}")
        out.info(undo_summary(change, len(restored), len(refused), dry_run))
    if refused:
        raise typer.Exit(EXIT_REFUSED)


def _preview(root: Path, change: Change, steps: list[Step],
             diffs: bool) -> tuple[list[str], list[tuple[str, str]]]:
    """What undo would do to each file as it is now: its diff (when ``diffs``), and which
    files it would put back and which it would leave (changed since)."""
    from postctl.cli.context import output
    from postctl.render.journal import step_diff
    from postctl.text.reading import UnreadableFileError, read_post_bytes

    restored: list[str] = []
    refused: list[tuple[str, str]] = []
    for step in steps:
        here = step.after or step.before
        assert here is not None
        try:
            now: bytes | None = read_post_bytes(root / here.path, 1 << 40)
        except UnreadableFileError:
            now = None
        expected = change.content(step.after) if step.after else None
        back = change.content(step.before) if step.before else None
        if now == back and (step.after is None or step.after.path == here.path):
            continue  # back already
        if now != expected:
            refused.append((here.path, "changed since the change was made; left as it is"))
            continue
        restored.append((step.before or here).path)
        if diffs:
            output().data(step_diff(change, step, now), end="")
    return restored, refused


def _rel(root: Path, error: object) -> str:
    path = getattr(error, "path", None)
    try:
        return path.relative_to(root).as_posix() if path is not None else "?"
    except ValueError:
        return str(path)


def _wants_json(fmt: object) -> bool:
    from postctl.cli.changing import wants_json_output

    return wants_json_output(fmt)
