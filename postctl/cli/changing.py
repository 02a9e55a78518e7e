"""The flow the commands that change posts share (tags/categories rename, merge and delete,
set, unset): plan every file, then show the plan (``--dry-run``) or ask on a terminal and
apply it through the journal, and report each file.

A plan is applied by :func:`postctl.edit.changes.apply_change` (recorded first, then guarded
writes), so ``postctl undo`` can take it back. Exit codes: 0 done; 1 nothing to change or
the user said no; 3 a post could not be changed, each named
(docs/guarantees.md: Exit codes, Batches).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from postctl.cli.filters import PostFilters
    from postctl.edit.bulk import FilePlan, Unchanged
    from postctl.edit.changes import Outcome, Planned
    from postctl.render import OutputFormat
    from postctl.render.changes import ChangeReport
    from postctl.site.model import Site

EXIT_NOTHING = 1
EXIT_REFUSED = 3


def command_line() -> str:
    """The command as typed, for the journal and the JSON report."""
    return shlex.join(["postctl", *sys.argv[1:]])


def nothing_to_do(message: str) -> NoReturn:
    """One line on stderr (a JSON error with ``--format json``), exit 1."""
    from postctl.cli.context import output, state

    if state().json_errors:
        output().error_json("nothing_to_change", message)
    else:
        output().error(message)
    raise typer.Exit(EXIT_NOTHING)


def make_change(site: Site, plans: Iterable[FilePlan | Unchanged], *, what: str,
                fmt: OutputFormat | None, dry_run: bool, yes: bool,
                nothing: str | None = None) -> None:
    """Show (``dry_run``) or apply ``plans``, and report; ``what`` names the change. When no
    post would change and none was left alone or refused, ``nothing`` is the message of
    exit 1 (None: that is no failure)."""
    from postctl.render.changes import ChangeReport

    report = ChangeReport(dry_run=dry_run)
    if dry_run:
        _show(site, plans, report, fmt)
    else:
        _apply(site, plans, report, what, yes)
    if nothing and not (report.changed or report.notes or report.refused):
        nothing_to_do(nothing)
    _finish(site, report, what, fmt)


def _show(site: Site, plans: Iterable[FilePlan | Unchanged], report: ChangeReport,
          fmt: OutputFormat | None) -> None:
    from postctl.cli.context import output
    from postctl.edit.bulk import Unchanged
    from postctl.render.changes import file_diff
    from postctl.render.paths import path_from_cwd

    out, cwd = output(), Path.cwd()
    for item in plans:
        if isinstance(item, Unchanged):
            report.skip(item)
            continue
        report.add(item)
        if not wants_json_output(fmt):
            out.data(file_diff(item, path_from_cwd(site.root, item.rel, cwd)), end="")


def _apply(site: Site, plans: Iterable[FilePlan | Unchanged], report: ChangeReport,
           what: str, yes: bool) -> None:
    from postctl.cli.context import output
    from postctl.edit.bulk import Unchanged
    from postctl.edit.changes import apply_change
    from postctl.edit.journal import Journal
    from postctl.render.changes import ask, can_ask, write_lines
    from postctl.site.cache import journal_dir

    out = output()

    def planned() -> Iterator[Planned]:
        for item in plans:
            if isinstance(item, Unchanged):
                report.skip(item)
            else:
                report.add(item)
                yield item.planned()

    def confirm(count: int) -> bool:
        if yes or not can_ask(out):
            return True
        write_lines(report, site.root, Path.cwd(), out, changed=False)
        posts = f"{count} post{'s' if count != 1 else ''}"
        return ask(f"{what}: change {posts}?", out)

    journal = Journal(journal_dir(site.root), site.root)  # an interrupted change was told of
    outcome = apply_change(journal, command_line(), planned(), confirm=confirm)
    if outcome.declined:
        out.info("Nothing changed.")
        raise typer.Exit(EXIT_NOTHING)
    _note_refusals(site, report, outcome)


def _note_refusals(site: Site, report: ChangeReport, outcome: Outcome) -> None:
    """Files the writes refused move from changed to refused (a file written but not
    flushed to disk stays changed, and is named too)."""
    from postctl.errors import NotDurableError

    report.change_id = outcome.change.id if outcome.change is not None else None
    for refusal in outcome.refused:
        path = getattr(refusal, "path", None)
        rel = site.relative(Path(path)) if path is not None else "?"
        if not isinstance(refusal, NotDurableError):
            report.changed = [item for item in report.changed if item[0] != rel]
        reason = getattr(refusal, "message", None) or str(refusal)
        report.refused.append((rel, str(reason)))


def _finish(site: Site, report: ChangeReport, what: str, fmt: OutputFormat | None) -> None:
    from postctl.cli.context import output
    from postctl.render.changes import report_json, summary, write_lines

    out = output()
    if wants_json_output(fmt):
        out.data(report_json(report, command_line()))
    else:
        write_lines(report, site.root, Path.cwd(), out)
        out.info(summary(report, what))
    if report.refused:
        raise typer.Exit(EXIT_REFUSED)


def wants_json_output(fmt: object) -> bool:
    return str(getattr(fmt, "value", fmt)) in ("json", "jsonl")


def selected(site: Site, chosen: PostFilters, paths: list[str], every_post: bool,
             no_cache: bool) -> list[str]:
    """The posts that ``chosen`` (list's filters) and ``paths`` name, or every post with
    ``every_post``. Naming none of them is a usage error: a change to every post is asked
    for by name. Given paths, drafts count unless ``--drafts`` says only drafts."""
    import dataclasses

    from postctl.catalog.selection import selected_posts, site_paths
    from postctl.cli.context import reading_posts
    from postctl.errors import UsageError

    if not (every_post or paths or chosen != type(chosen)()):
        raise UsageError("say which posts to change: list's filters (--tag, --category, "
                         "--author, --since, --until, --where, --drafts, --all), paths, "
                         "or --all-posts")
    if every_post or (paths and not chosen.drafts):
        chosen = dataclasses.replace(chosen, all_posts=True)
    within = site_paths(site, paths, Path.cwd()) if paths else None
    with reading_posts(site, no_cache, strict=False) as catalog:
        return selected_posts(catalog, chosen.resolve(site.tz, hugo=site.flavour == "hugo"), within)
