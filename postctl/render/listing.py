"""``list``, ``tags`` and ``categories`` output: posts or terms as a table for a terminal,
aligned plain text for a pipe, or data (JSON, JSON lines, CSV, paths); and the report of
posts that could not be read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from postctl.render import OutputFormat

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

    from postctl.catalog.query import Filters, Sort
    from postctl.catalog.reader import Catalog
    from postctl.catalog.summary import Summary
    from postctl.errors import SourceError
    from postctl.post.taxonomy import Term
    from postctl.render.output import Output
    from postctl.site.model import Site

__all__ = [
    "DEFAULT_FIELDS",
    "HUGO_FIELDS",
    "parse_fields",
    "report_unreadable",
    "write_items",
    "write_listing",
    "write_plain",
    "write_table",
    "write_terms",
]

DEFAULT_FIELDS = ("date", "title", "tags", "path")
HUGO_FIELDS = ("date", "kind", "title", "tags", "path")  # a section is told from a page
_DATA = (OutputFormat.json, OutputFormat.jsonl)


def parse_fields(text: str | None) -> tuple[str, ...] | None:
    """``--fields a,b``: the column names in order, without repeats (None: the default)."""
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
    """Write the matching posts in ``fmt`` (None: the default for where stdout goes). A
    column or sort key that no listed post has is a usage error (see ``check_fields``)."""
    from postctl.catalog.summary import check_fields, is_item_field

    if fmt in _DATA and columns is None:
        if not is_item_field(order.key):
            check_fields((order.key,), list(catalog.summaries(filters, order, limit)),
                         "--sort", "sort key")
        return write_items(catalog.item_json(filters, order, limit), fmt, out)
    summaries = list(catalog.summaries(filters, order, limit))
    check_fields((order.key,), summaries, "--sort", "sort key")
    if columns is not None:
        check_fields(columns, summaries)
    default = HUGO_FIELDS if site.flavour == "hugo" else DEFAULT_FIELDS
    names = ("path",) if fmt is OutputFormat.paths else columns or default
    human = fmt in (None, OutputFormat.table, OutputFormat.paths)
    rows = _rows(summaries, names, filters.now, site if human else None)
    if fmt is None and not out.is_terminal(out.stdout):
        return write_plain(rows, names, out)
    if fmt in (None, OutputFormat.table):
        return write_table(rows, names, out)
    from postctl.render.rows import write_rows

    return write_rows(rows, fmt, out, fields=names)


def write_terms(terms: Iterable[Term], fmt: OutputFormat | None, out: Output) -> None:
    """Tags or categories with their counts; spelling variants as data, or one label."""
    from postctl.render.rows import write_rows

    rows = [term.row() for term in terms]
    fields = ("name", "count", "variants" if fmt in _DATA else "spellings")
    if fmt is None and not out.is_terminal(out.stdout):
        write_plain(rows, fields, out)
    else:
        write_rows(rows, fmt or OutputFormat.table, out, fields=fields, path_key="name")


def write_table(rows: Iterable[dict[str, Any]], names: Sequence[str], out: Output) -> int:
    """A rich table that fits the width, no colour unless wanted, measured in display cells
    (CJK and emoji take two). When everything fits nothing is cut. Otherwise the title
    keeps at least half the width, a path is shortened in its middle (its file name stays)
    or, with too little room for that, left out; other columns are cut with an ellipsis;
    only a title wraps."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from postctl.render.cells import cut, middle_cut
    from postctl.render.rows import table_cell
    from postctl.text.sanitize import sanitize_line

    cells = [[table_cell(row.get(name)) for name in names] for row in rows]
    console = out.console()
    natural = [_widest(cells, i, name) for i, name in enumerate(names)]
    widths = column_widths(names, natural, console.width)
    shown = [i for i, width in enumerate(widths) if width]
    table = Table(box=box.SIMPLE, header_style="bold")
    for i in shown:
        table.add_column(Text(cut(sanitize_line(names[i]), widths[i])), width=widths[i],
                         no_wrap=names[i] != "title", overflow="fold")
    for line in cells:
        table.add_row(*(Text(line[i] if names[i] == "title" else middle_cut(line[i], widths[i])
                             if names[i] == "path" else cut(line[i], widths[i]))
                        for i in shown))
    console.print(table)
    return len(cells)


# The narrowest a column is made before the title gives up room (a path keeps its file name
# readable, the others a few letters), and the narrowest after.
_FLOOR = {"path": 24, "date": 10}
_OTHER_FLOOR = 8
_LAST_FLOOR = {"path": 14, "date": 10}
_OTHER_LAST_FLOOR = 4


def column_widths(names: Sequence[str], natural: Sequence[int], width: int) -> list[int]:
    """The width of each column (in cells) in a table ``width`` cells wide (0: the column is
    left out): the natural widths when they fit; else the title (which wraps) narrows to
    half the width, the other columns (in proportion) to a floor, then to a last floor; a
    path that still does not fit is left out (the title names the post), the room it
    leaves going back to the others. A table too narrow for all that is cut by the
    terminal."""
    widths = _fitted(names, natural, width, list(range(len(names))))
    if "path" in names and _excess(widths, width) > 0 and "title" in names:
        keep = [i for i, name in enumerate(names) if name != "path"]
        widths = _fitted(names, natural, width, keep)
    return widths


def _fitted(names: Sequence[str], natural: Sequence[int], width: int,
            shown: list[int]) -> list[int]:
    widths = [natural[i] if i in shown else 0 for i in range(len(names))]
    title = names.index("title") if "title" in names else None
    others = [i for i in shown if i != title]
    if title is not None:  # a title wraps, losing nothing: it gives room first
        _shrink(widths, width, {title: _title_floor(natural[title], width)})
    _shrink(widths, width, {i: min(natural[i], _FLOOR.get(names[i], _OTHER_FLOOR))
                            for i in others})
    _shrink(widths, width, {i: min(natural[i], _LAST_FLOOR.get(names[i], _OTHER_LAST_FLOOR))
                            for i in others})
    return widths


def _title_floor(natural: int, width: int) -> int:
    """The narrowest a title column gets: half the table when the titles are longer than
    that, else nine tenths of the longest title (the longest wrap onto a second line)."""
    half = max(width // 2, 1)
    return half if natural > half else max(natural * 9 // 10, 1)


def _excess(widths: list[int], width: int) -> int:
    """How many cells the columns (and the table's 3 a column and 1) are over ``width``."""
    shown = [w for w in widths if w]
    return sum(shown) + 3 * len(shown) + 1 - width


def _shrink(widths: list[int], width: int, floors: dict[int, int]) -> None:
    """Narrow the columns of ``floors`` toward their floors, each in proportion to what it
    can give, until the table fits ``width``."""
    slack = {i: widths[i] - floor for i, floor in floors.items() if widths[i] > floor}
    total = sum(slack.values())
    over = _excess(widths, width)
    if over <= 0 or not total:
        return
    take = min(over, total)
    for i, give in slack.items():
        widths[i] -= take * give // total
    while _excess(widths, width) > 0:  # what rounding left: one cell from the widest
        able = [i for i in slack if widths[i] > floors[i]]
        if not able:
            return
        widths[max(able, key=lambda i: widths[i])] -= 1


def _widest(cells: list[list[str]], column: int, name: str) -> int:
    from postctl.render.cells import cell_len

    return max([cell_len(name), *(cell_len(line[column]) for line in cells)])


def _rows(
    summaries: Iterable[Summary], names: Sequence[str], now: float, site: Site | None
) -> Iterator[dict[str, Any]]:
    """Rows of the chosen columns; with ``site`` (for a person), titles on one line and
    paths relative to the current folder."""
    from pathlib import Path

    from postctl.render.paths import path_from_cwd
    from postctl.text.sanitize import one_line

    cwd = Path.cwd()
    for summary in summaries:
        row = {name: summary.field(name, now) for name in names}
        if site is not None and isinstance(row.get("title"), str):
            row["title"] = one_line(row["title"])
        if site is not None and "path" in row:
            row["path"] = path_from_cwd(site.root, summary.path, cwd)
        yield row


def write_items(items: Iterable[bytes], fmt: OutputFormat | None, out: Output) -> int:
    """JSON items (UTF-8) as one JSON array or as JSON lines, in a few large writes."""
    import itertools

    count = 0
    lines = fmt is OutputFormat.jsonl
    separator = b"\n" if lines else b",\n  "
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, 2048)):
        text = separator.join(batch)
        if lines:
            out.data_bytes(text + b"\n")
        else:
            out.data_bytes((b"[\n  " if count == 0 else b",\n  ") + text)
        count += len(batch)
    if not lines:
        out.data_bytes(b"[]\n" if count == 0 else b"\n]\n")
    out.flush()
    return count


def write_plain(rows: Iterable[dict[str, Any]], names: Sequence[str], out: Output) -> int:
    """The table for a pipe: a header, then one line per post, columns aligned with spaces
    by display width (as a terminal shows CJK and emoji), nothing wrapped or cut, no colour
    (as ``docker ps`` or ``kubectl get`` print)."""
    from postctl.render.cells import cell_len, pad
    from postctl.render.rows import table_cell
    from postctl.text.sanitize import sanitize_line

    lines = [[sanitize_line(name.upper()) for name in names]]
    lines.extend([table_cell(row.get(name)) for name in names] for row in rows)
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(names))]
    for line in lines:
        cells = (pad(cell, width) for cell, width in zip(line, widths, strict=True))
        out.data("  ".join(cells).rstrip())
    out.flush()
    return len(lines) - 1


def report_unreadable(errors: list[SourceError], out: Output, strict: bool) -> bool:
    """Name each post that could not be parsed (path relative to here), then a count: an
    error under ``strict`` (returns True: the command fails), else a warning."""
    if not errors:
        return False
    import os

    from postctl.errors import SourceError
    from postctl.text.sanitize import sanitize_line

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
        return True
    out.warning(f"{count} {noun} could not be read and {'was' if count == 1 else 'were'} "
                "skipped (--strict makes this an error)")
    return False


def _relative(path: str) -> Path:
    import os
    from pathlib import Path

    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return Path(path)
