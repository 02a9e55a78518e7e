"""``postctl index``: bring the site index up to date, rebuild it, or show where it is."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.options import RecordFormatOpt


def index(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and read every post again.")
    ] = False,
    status: Annotated[
        bool, typer.Option("--status", help="Show the index: posts, errors, size, location.")
    ] = False,
    fmt: RecordFormatOpt = None,
) -> None:
    """Update the site index that list, tags, lint and search share (a cache under the user
    cache folder; never written into the site).

    Examples: postctl index; postctl index --status; postctl index --rebuild
    """
    import time

    from postctl.catalog.database import IndexUnavailable
    from postctl.catalog.index import open_index
    from postctl.cli.context import current_site, output, wants_json
    from postctl.render.progress import TerminalReporter
    from postctl.render.status import write_status

    site = current_site()
    out = output()
    wants_json(fmt)
    started = time.perf_counter()
    try:
        reporter = TerminalReporter(out)
        with reporter.stage("index") as bar, open_index(
                site, rebuild=rebuild, reporter=reporter, progress=bar) as opened:
            stats = None if status else opened.refresh(bar)
            facts = opened.status()
    except IndexUnavailable as exc:
        from postctl.errors import UsageError

        raise UsageError(f"{exc} (set POSTCTL_CACHE_DIR to a writable folder)") from None
    if stats is not None:
        facts = {**facts, "scanned": stats.scanned, "changed": stats.updated,
                 "removed": stats.removed, "seconds": round(time.perf_counter() - started, 3)}
    write_status(facts, fmt, out)
