"""``postctl list``: the site's posts, filtered and sorted, as a table or as data."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import typer

from postctl.cli.options import (
    AllOpt,
    AnyTagOpt,
    AuthorOpt,
    CategoryOpt,
    DraftsOpt,
    FieldsOpt,
    FormatOpt,
    LimitOpt,
    NoCacheOpt,
    NoFutureOpt,
    SinceOpt,
    SortOpt,
    StrictOpt,
    TagOpt,
    UntilOpt,
    WhereOpt,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from postctl.errors import SourceError
    from postctl.index import Catalog
    from postctl.query import Filters, Sort
    from postctl.render import OutputFormat
    from postctl.render.output import Output
    from postctl.site import Site
    from postctl.summary import Summary

DEFAULT_FIELDS = ("date", "title", "tags", "path")


def list_posts(
    tag: TagOpt = None,
    any_tag: AnyTagOpt = False,
    category: CategoryOpt = None,
    author: AuthorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    drafts: DraftsOpt = False,
    all_posts: AllOpt = False,
    no_future: NoFutureOpt = False,
    where: WhereOpt = None,
    sort: SortOpt = "-date",
    limit: LimitOpt = None,
    fields: FieldsOpt = None,
    fmt: FormatOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
) -> None:
    """List posts (published by default, newest first), filtered by tag, category, author,
    date or any front-matter key.

    Examples: postctl list --tag politics; postctl list -t python -t cli --format json;
    postctl list --where 'title~^How' --where 'image?' --sort title --fields title,image
    """
    from postctl import query
    from postctl.cli.context import current_site, output, wants_json

    site = current_site()
    out = output()
    wants_json(fmt)
    filters = query.make_filters(
        site.tz, tags=tag, any_tag=any_tag, categories=category, author=author, since=since,
        until=until, drafts=drafts, all_posts=all_posts, no_future=no_future, where=where)
    order = query.parse_sort(sort)
    columns = parse_fields(fields)
    catalog = open_catalog_for(site, no_cache, out)
    try:
        write_listing(catalog, site, filters, order, limit, columns, fmt, out)
        errors = catalog.errors()
    finally:
        catalog.close()
    report_unreadable(errors, out, strict)


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    names = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    if not names:
        from postctl.errors import UsageError

        raise UsageError("--fields: name at least one column, e.g. --fields date,title")
    return names


def write_listing(
    catalog: Catalog,
    site: Site,
    filters: Filters,
    order: Sort,
    limit: int | None,
    columns: tuple[str, ...] | None,
    fmt: OutputFormat | None,
    out: Output,
) -> int:
    """Write the matching posts in ``fmt`` (None: the default for where stdout goes)."""
    from postctl.render import OutputFormat

    if fmt in (OutputFormat.json, OutputFormat.jsonl) and columns is None:
        return write_items(catalog.item_json(filters, order, limit), fmt, out)
    summaries = catalog.summaries(filters, order, limit)
    names = ("path",) if fmt is OutputFormat.paths else columns or DEFAULT_FIELDS
    human = fmt in (None, OutputFormat.table, OutputFormat.paths)
    rows = _rows(summaries, names, filters.now, site if human else None)
    if fmt is None and not out.is_terminal(out.stdout):
        return write_plain(rows, names, out)
    if fmt in (None, OutputFormat.table):
        return write_table(rows, names, out)
    from postctl.render.rows import write_rows

    return write_rows(rows, fmt, out, fields=names)


def write_table(rows: Iterable[dict[str, Any]], names: Sequence[str], out: Output) -> int:
    """A rich table that fits the width, no colour unless wanted. Dates never wrap; paths
    do not either while the other columns keep room enough (a path split over two lines
    cannot be copied); titles and tags wrap."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from postctl.render.rows import table_cell
    from postctl.render.sanitize import sanitize_line

    cells = [[table_cell(row.get(name)) for name in names] for row in rows]
    console = out.console()
    others = sum(min(_widest(cells, i, name), 16) + 3 for i, name in enumerate(names)
                 if name != "path")
    table = Table(box=box.SIMPLE, header_style="bold")
    for i, name in enumerate(names):
        keep = name == "date" or (name == "path"
                                  and _widest(cells, i, name) + 3 + others <= console.width)
        table.add_column(Text(sanitize_line(name)), no_wrap=keep, overflow="fold",
                         min_width=None if keep else min(_widest(cells, i, name), 12))
    for line in cells:
        table.add_row(*map(Text, line))
    console.print(table)
    return len(cells)


def _widest(cells: list[list[str]], column: int, name: str) -> int:
    return max([len(name), *(len(line[column]) for line in cells)])


def _rows(
    summaries: Iterable[Summary], names: Sequence[str], now: float, site: Site | None
) -> Iterator[dict[str, Any]]:
    """Rows of the chosen columns; with ``site``, paths relative to the current folder."""
    import os

    cwd = os.getcwd()
    for summary in summaries:
        row = {name: summary.field(name, now) for name in names}
        if site is not None and "path" in row:
            row["path"] = os.path.relpath(os.path.join(site.root, summary.path), cwd)
        yield row


def write_items(items: Iterable[str], fmt: OutputFormat, out: Output) -> int:
    """Pre-rendered JSON items as one JSON array or as JSON lines (as render.rows writes)."""
    import itertools

    from postctl.render import OutputFormat

    count = 0
    separator = "\n" if fmt is OutputFormat.jsonl else ",\n  "
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, 512)):  # fewer, larger writes
        text = separator.join(batch)
        if fmt is OutputFormat.jsonl:
            out.data(text)
        else:
            out.data(("[\n  " if count == 0 else ",\n  ") + text, end="")
        count += len(batch)
    if fmt is not OutputFormat.jsonl:
        out.data("[]" if count == 0 else "\n]")
    out.flush()
    return count


def write_plain(rows: Iterable[dict[str, Any]], names: Sequence[str], out: Output) -> int:
    """The table for a pipe: a header, then one line per post, columns aligned with spaces,
    nothing wrapped or cut, no colour (as ``docker ps`` or ``kubectl get`` print)."""
    from postctl.render.rows import table_cell
    from postctl.render.sanitize import sanitize_line

    lines = [[sanitize_line(name.upper()) for name in names]]
    lines.extend([table_cell(row.get(name)) for name in names] for row in rows)
    widths = [max(len(line[i]) for line in lines) for i in range(len(names))]
    for line in lines:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        out.data("  ".join(cells).rstrip())
    out.flush()
    return len(lines) - 1


def report_unreadable(errors: list[SourceError], out: Output, strict: bool) -> None:
    """Name each post that could not be parsed (path relative to here), then a count."""
    if not errors:
        return
    import os

    from postctl.errors import SourceError
    from postctl.render.sanitize import sanitize_line

    stream = out.stderr
    for error in errors:
        relative = SourceError(
            _relative(os.fspath(error.path)), error.message, error.line, error.col, error.code)
        stream.write(sanitize_line(str(relative)) + "\n")
    count = len(errors)
    noun = "post" if count == 1 else "posts"
    if strict:
        out.error(f"{count} {noun} could not be read")
        stream.flush()
        raise typer.Exit(1)
    out.warning(f"{count} {noun} could not be read and {'was' if count == 1 else 'were'} "
                "skipped (--strict makes this an error)")


def _relative(path: str) -> Any:
    import os
    from pathlib import Path

    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return Path(path)


class ProgressBar:
    """A rich progress bar on stderr, shown only on a terminal and only once an index
    update has taken more than ``delay`` seconds."""

    def __init__(self, out: Output, delay: float = 1.0) -> None:
        self.out = out
        self.delay = delay
        self.start = time.monotonic()
        self._progress: Any = None
        self._task: Any = None
        self._enabled = out.is_terminal(out.stderr) and not out.quiet
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._progress is None:
            if time.monotonic() - self.start < self.delay or done >= total:
                return
            from rich.console import Console
            from rich.progress import Progress

            color = self.out.use_color(self.out.stderr)
            console = Console(file=self.out.stderr, force_terminal=True, no_color=not color,
                              color_system="auto" if color else None, highlight=False,
                              markup=False, emoji=False)
            self._progress = Progress(console=console, transient=True)
            self._progress.start()
            self.shown = True
            self._task = self._progress.add_task("Updating the site index", total=total)
        self._progress.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def open_catalog_for(site: Site, no_cache: bool, out: Output) -> Catalog:
    """The refreshed index (notices on stderr, a progress bar when slow), or the files."""
    from postctl.index import open_catalog

    bar = ProgressBar(out)
    try:
        return open_catalog(site, no_cache=no_cache, notice=out.info, warn=out.warning,
                            progress=bar)
    finally:
        bar.close()
