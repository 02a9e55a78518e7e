"""What ``publish``, ``unpublish`` and ``rename`` share: their options, and showing or
writing a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from postctl.edit.lifecycle import LifecyclePlan
    from postctl.render import OutputFormat
    from postctl.site.model import Site

DryRunOpt = Annotated[bool, typer.Option(
    "--dry-run", help="Say what would change (moves, edits as a diff, references); write "
    "nothing.")]
LifecycleDateOpt = Annotated[str | None, typer.Option(
    "--date", "-d", help="Date or ISO date-time (default: now, site time zone).",
    show_default=False)]


def finish(site: Site, plan: LifecyclePlan, fmt: OutputFormat | None, dry_run: bool) -> None:
    """Write ``plan`` (unless ``dry_run``) and show it: the new path, or a JSON object."""
    from postctl.cli.context import output
    from postctl.render import OutputFormat
    from postctl.render.lifecycle import plan_json, show_done, show_dry_run

    out = output()
    if not dry_run:
        from postctl.cli.changing import command_line
        from postctl.edit.lifecycle import apply_plan

        apply_plan(site, plan, command_line())
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        out.data(plan_json(plan, site, written=plan.changed and not dry_run, dry_run=dry_run))
        for note in plan.notes:
            out.info(note)
    elif dry_run:
        show_dry_run(plan, out)
    else:
        show_done(plan, out)
