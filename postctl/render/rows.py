"""Rows of data → JSON, JSON lines, CSV, paths or a rich table (sqlite-utils' ``output_rows``).

Every format except the table streams: a row is written as soon as the iterable yields it,
so ``postctl list --format jsonl`` on a large site starts printing at once. Values follow the one
mapping of :mod:`postctl.text.jsonvalues`. Machine formats carry values
unsanitised (JSON escaping covers control characters; CSV is data, sanitised only when written
straight to a terminal, as ``ls`` does); table cells and path lines are sanitised
(docs/guarantees.md: Terminal).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from postctl.render import OutputFormat
from postctl.text.jsonvalues import json_dumps, to_jsonable
from postctl.text.sanitize import sanitize, sanitize_line

if TYPE_CHECKING:
    from postctl.render.output import Output

__all__ = ["json_dumps", "to_jsonable", "write_rows"]

# --------------------------------------------------------------------------------------------
# text cells (CSV and table)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _scalar_text(value: object, *, short_dates: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if short_dates else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, enum.Enum):
        return _scalar_text(value.value, short_dates=short_dates)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_scalar_text(v, short_dates=short_dates) for v in items)
    if isinstance(value, Mapping) or hasattr(type(value), "__dataclass_fields__"):
        return json.dumps(to_jsonable(value), ensure_ascii=False)
    return str(value)


def _neutralise_formula(text: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (OWASP CSV injection)."""
    if text.startswith(_FORMULA_START) and _NUMBER.fullmatch(text) is None:
        return "'" + text
    return text


def csv_cell(value: object) -> str:
    """One CSV cell: ISO dates, lists joined with ``", "``, None empty, formulas neutralised."""
    return _neutralise_formula(_scalar_text(value, short_dates=False))


def table_cell(value: object) -> str:
    """One table cell, sanitised to a single line; dates as ``YYYY-MM-DD``."""
    return sanitize_line(_scalar_text(value, short_dates=True))


# --------------------------------------------------------------------------------------------
# writers


def _project(row: Mapping[str, object], fields: Sequence[str]) -> dict[str, object]:
    return {name: row.get(name) for name in fields}


def _where(row: Mapping[str, object], path_key: str) -> str:
    path = row.get(path_key)
    return f"{path}: " if path is not None else ""


def _json_row(row: Mapping[str, object], fields: Sequence[str], path_key: str) -> str:
    try:
        return json_dumps(_project(row, fields))
    except ValueError as exc:
        raise ValueError(f"{_where(row, path_key)}{exc}") from exc
    except TypeError as exc:
        raise TypeError(f"{_where(row, path_key)}{exc}") from exc


def _write_json(
    rows: Iterable[Mapping[str, object]], out: Output, fields: Sequence[str], path_key: str
) -> int:
    count = 0
    for row in rows:
        text = _json_row(row, fields, path_key)
        out.data(("[\n  " if count == 0 else ",\n  ") + text, end="")
        count += 1
    out.data("[]" if count == 0 else "\n]")
    return count


def _write_jsonl(
    rows: Iterable[Mapping[str, object]], out: Output, fields: Sequence[str], path_key: str
) -> int:
    count = 0
    for row in rows:
        out.data(_json_row(row, fields, path_key))
        count += 1
    return count


class _DataWriter:
    """File-like adaptor so ``csv.writer`` writes through the Output sink."""

    def __init__(self, out: Output) -> None:
        self._out = out

    def write(self, text: str) -> int:
        self._out.data(text, end="")
        return len(text)


def _write_csv(rows: Iterable[Mapping[str, object]], out: Output, fields: Sequence[str]) -> int:
    # CSV is data and is written as is, except straight to a terminal, where a human reads it
    # and control characters would drive the terminal (the choice `ls -q` makes by default).
    clean = sanitize if out.is_terminal(out.stdout) else None
    writer = csv.writer(_DataWriter(out))  # RFC 4180: minimal quoting, CRLF line ends
    writer.writerow([_neutralise_formula(name) for name in fields])
    count = 0
    for row in rows:
        cells = [csv_cell(row.get(name)) for name in fields]
        writer.writerow([clean(cell) for cell in cells] if clean else cells)
        count += 1
    return count


def _write_paths(rows: Iterable[Mapping[str, object]], out: Output, path_key: str) -> int:
    count = 0
    for row in rows:
        path = row[path_key]
        count += 1
        if path is not None:
            out.data(sanitize_line(str(path)))
    return count


def _write_table(
    rows: Iterable[Mapping[str, object]],
    out: Output,
    fields: Sequence[str],
    title: str | None,
) -> int:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(sanitize_line(title)) if title else None,
        box=box.SIMPLE,
        header_style="bold",
    )
    for name in fields:
        table.add_column(Text(sanitize_line(name)), overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*[Text(table_cell(row.get(name))) for name in fields])
        count += 1
    out.console().print(table)
    return count


def write_rows(
    rows: Iterable[Mapping[str, object]],
    fmt: OutputFormat,
    out: Output,
    *,
    fields: Sequence[str],
    path_key: str = "path",
    title: str | None = None,
) -> int:
    """Write ``rows`` to ``out`` in ``fmt`` and return how many rows there were.

    ``fields`` chooses the columns and their order (a missing key is null/empty). ``path_key``
    is the field printed by ``paths``; ``title`` is shown above a table only. json, jsonl, csv
    and paths consume ``rows`` lazily, writing each row before reading the next.
    """
    fmt = OutputFormat(fmt)
    iterator: Iterator[Mapping[str, object]] = iter(rows)
    if fmt is OutputFormat.json:
        count = _write_json(iterator, out, fields, path_key)
    elif fmt is OutputFormat.jsonl:
        count = _write_jsonl(iterator, out, fields, path_key)
    elif fmt is OutputFormat.csv:
        count = _write_csv(iterator, out, fields)
    elif fmt is OutputFormat.paths:
        count = _write_paths(iterator, out, path_key)
    else:
        count = _write_table(iterator, out, fields, title)
    out.flush()
    return count
