"""Rows of data → JSON, JSON lines, CSV, paths or a rich table (sqlite-utils' ``output_rows``).

Every format except the table streams: a row is written as soon as the iterable yields it,
so ``postctl list --format jsonl`` on a large site starts printing at once. Values follow one
mapping (G13): dates and date-times as ISO 8601 with their offset, paths as POSIX strings,
sets and tuples as lists; NaN and infinity are refused. Machine formats carry values
unsanitised (JSON escaping covers control characters; CSV is data, sanitised only when written
straight to a terminal, as ``ls`` does); table cells and path lines are sanitised (G10).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from postctl.render import OutputFormat
from postctl.render.sanitize import escape_json_text, sanitize, sanitize_line

if TYPE_CHECKING:
    from postctl.render.output import Output

__all__ = ["json_dumps", "to_jsonable", "write_rows"]

# --------------------------------------------------------------------------------------------
# JSON


def _json_key(key: object, where: str) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (dt.date, dt.time)):
        return key.isoformat()
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(_convert(key, where))
    raise TypeError(f"{where or 'value'}: a {type(key).__name__} key cannot be written as JSON")


def _is_dataclass_instance(value: object) -> bool:
    # dataclasses.is_dataclass without importing dataclasses (and inspect) at start-up
    return hasattr(type(value), "__dataclass_fields__")


def _convert(value: object, where: str) -> object:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(
                f"{where or 'value'}: {value!r} cannot be written as JSON "
                "(NaN and infinity have no JSON form)"
            )
        return value
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    if isinstance(value, enum.Enum):
        return _convert(value.value, where)
    if isinstance(value, Mapping):
        return {
            _json_key(k, where): _convert(v, f"{where}.{k}" if where else str(k))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_convert(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [_convert(v, f"{where}[]") for v in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if _is_dataclass_instance(value):
        names = getattr(value, "__dataclass_fields__", {})
        return _convert({name: getattr(value, name) for name in names}, where)
    raise TypeError(f"{where or 'value'}: a {type(value).__name__} cannot be written as JSON")


def to_jsonable(value: object) -> object:
    """``value`` as plain JSON types (dict, list, str, int, float, bool, None).

    Dates, date-times and times become ISO 8601 strings (an aware date-time keeps its offset),
    paths POSIX strings, tuples lists, sets sorted lists, enums their value, dataclasses dicts,
    mappings dicts with string keys. Raises ``ValueError`` for NaN and infinity and
    ``TypeError`` for anything else; the message names where in ``value`` it was found.
    """
    return _convert(value, "")


def _default(value: object) -> object:
    # Called by the C encoder for types it does not know; _convert does the same job with
    # error locations, and runs only when this fast path fails.
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return value.as_posix()
    return _convert(value, "")


def json_dumps(value: object, *, indent: int | None = None) -> str:
    """Serialise ``value`` as JSON text the way every postctl command does.

    UTF-8 text stays readable (``ensure_ascii=False``), but code points a terminal must not see
    raw (DEL, C1, bidi and zero-width controls, lone surrogates) are ``\\u`` escaped: the parsed
    value is unchanged. Types are converted by :func:`to_jsonable`; NaN and infinity raise
    ``ValueError``.
    """
    try:
        text = json.dumps(
            value, ensure_ascii=False, allow_nan=False, default=_default, indent=indent
        )
    except (ValueError, TypeError):
        # Redo through to_jsonable: it raises the same class of error with a clear location,
        # or handles what the C encoder cannot (for example a date as a mapping key).
        text = json.dumps(to_jsonable(value), ensure_ascii=False, allow_nan=False, indent=indent)
    return escape_json_text(text)


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
    if isinstance(value, Mapping) or _is_dataclass_instance(value):
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
