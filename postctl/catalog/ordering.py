"""Summaries sorted in memory by any key, ties by path, missing values last, never raising
on values of mixed types: for the keys the index cannot order by, and for the files read
directly.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from postctl.catalog.query import Sort
from postctl.catalog.summary import Summary, lookup

_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")


def sort_value(value: Any, tz: dt.tzinfo) -> tuple[Any, ...] | None:
    """A key that orders any two front-matter values without TypeError (docs/guarantees.md: Output).

    None for missing values (they go last). Otherwise ``(rank, ...)``: booleans, then
    numbers, then dates and date-times (by instant; text that reads as a date counts),
    then other text (case-insensitively, then exactly), then lists and mappings.
    """
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (1, value) if not (isinstance(value, float) and math.isnan(value)) else (1, math.inf)
    if isinstance(value, (dt.date, dt.datetime)):
        return (2, _instant(value, tz))
    if isinstance(value, str):
        if _DATE_LIKE.match(value):
            instant = _text_instant(value, tz)
            if instant is not None:
                return (2, instant)
        return (3, value.casefold(), value)
    return (4, json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))


def _instant(value: dt.date, tz: dt.tzinfo) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.timestamp()


def _text_instant(text: str, tz: dt.tzinfo) -> float | None:
    from postctl.text.dates import DateError, parse_date

    try:
        return parse_date(text, tz).value.timestamp()
    except (DateError, ValueError, OverflowError):
        return None


def summary_sort_value(summary: Summary, key: str, tz: dt.tzinfo, now: float) -> Any:
    if key == "date":
        return None if summary.epoch is None else (2, summary.epoch)
    if key == "path":
        return (3, summary.path, summary.path)
    if key in ("slug", "url", "title", "author", "draft", "future", "tags", "categories"):
        return sort_value(summary.field(key, now), tz)
    return sort_value(lookup(summary.values, key), tz)


def sort_summaries(
    summaries: Iterable[Summary], sort: Sort, tz: dt.tzinfo, now: float
) -> list[Summary]:
    """Sorted by ``sort`` (missing values last), ties by path; never raises on mixed types."""
    keyed: list[tuple[Any, Summary]] = []
    missing: list[Summary] = []
    for summary in summaries:
        value = summary_sort_value(summary, sort.key, tz, now)
        if value is None:
            missing.append(summary)
        else:
            keyed.append((value, summary))
    keyed.sort(key=lambda pair: pair[1].path)
    keyed.sort(key=lambda pair: pair[0], reverse=sort.descending)
    missing.sort(key=lambda summary: summary.path)
    return [summary for _, summary in keyed] + missing


def ordered(
    summaries: Iterable[Summary], sort: Sort, tz: dt.tzinfo, now: float, limit: int | None
) -> Iterator[Summary]:
    items = sort_summaries(summaries, sort, tz, now)
    return iter(items[:limit] if limit is not None else items)
