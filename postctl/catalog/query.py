"""``postctl list`` filters, ``--where`` expressions and sort keys, as pure functions.

The same :class:`Filters` is applied in Python to :class:`~postctl.catalog.summary.Summary` objects
(files read directly) and translated to SQL for the site index (:func:`sql_conditions`);
tests hold both to the same answers.

``--where`` grammar (one expression per option; all must hold)::

    key=value    the value, as text, equals (a list: any item equals)
    key!=value   not key=value (a post without the key matches)
    key~regex    the regular expression matches somewhere in the text (a list: any item)
    key?         the key is present and not empty (null, "" and [] are empty)
    !key         the key is absent or empty

``key`` is a front-matter key, with Jekyll ``defaults:`` applied (a dotted key reaches into
a mapping: ``author.name``); ``tags`` and ``categories`` are the normalised lists that
``--tag`` and ``--category`` use. Values compare as text: ``true``/``false`` for booleans,
ISO 8601 for dates, ``null`` for null. A regex is limited in length and in running time
(GUARANTEES G9); a bad or too slow regex is a usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from postctl.catalog.summary import Summary, casefold_all, lookup
from postctl.errors import UsageError

MAX_PATTERN_LENGTH = 500
REGEX_BUDGET_SECONDS = 2.0  # total regex time of one command
_LIST_KEYS = ("tags", "categories")


# --- --where ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    key: str
    op: str  # "=", "!=", "~", "?", "!"
    value: str | None = None
    pattern: re.Pattern[str] | None = None


_WHERE = re.compile(r"^\s*(?P<key>[^=!~?\s][^=!~?]*?)\s*(?P<op>!=|=|~)(?P<value>.*)$", re.DOTALL)


def parse_where(text: str) -> Where:
    """Parse one ``--where`` expression; raise UsageError when it is not one."""
    stripped = text.strip()
    if stripped.startswith("!") and _is_key(stripped[1:]):
        return Where(stripped[1:].strip(), "!")
    if stripped.endswith("?") and _is_key(stripped[:-1]):
        return Where(stripped[:-1].strip(), "?")
    found = _WHERE.match(text)
    if not found:
        raise UsageError(
            f"--where {text!r}: expected key=value, key!=value, key~regex, key? or !key"
        )
    key, op, value = found["key"].strip(), found["op"], found["value"]
    if op == "~":
        return Where(key, op, value, compile_regex(value, f"--where {text!r}"))
    return Where(key, op, value)


def _is_key(text: str) -> bool:
    text = text.strip()
    return bool(text) and not any(char in text for char in "=!~?")


def compile_regex(pattern: str, where: str) -> re.Pattern[str]:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UsageError(f"{where}: the regular expression is longer than "
                         f"{MAX_PATTERN_LENGTH} characters")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise UsageError(f"{where}: invalid regular expression: {exc}") from None
    except RecursionError:
        raise UsageError(f"{where}: the regular expression nests too deeply") from None


def as_text(value: Any) -> str:
    """A front-matter value as ``--where`` compares it."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, (list, dict)) and not value)


def _where_value(summary: Summary, key: str) -> Any:
    if key in _LIST_KEYS:
        return list(getattr(summary, key))
    return lookup(summary.values, key)


def where_matches(where: Where, summary: Summary, budget: RegexBudget | None = None) -> bool:
    value = _where_value(summary, where.key)
    if where.op == "?":
        return not _is_empty(value)
    if where.op == "!":
        return _is_empty(value)
    if where.key not in _LIST_KEYS and value is None and where.key not in summary.values:
        return where.op == "!="  # an absent key equals nothing
    items = value if isinstance(value, list) and value else [value]
    texts = [as_text(item) for item in items]
    if where.op == "=":
        return where.value in texts
    if where.op == "!=":
        return where.value not in texts
    assert where.pattern is not None
    search = where.pattern.search
    run = budget or RegexBudget()
    return any(run(search, text) for text in texts)


class RegexBudget:
    """Runs regex searches under a total time budget (G9).

    On POSIX, in the main thread, an interval timer interrupts a runaway search (the
    regex engine checks for signals as it backtracks); elsewhere only the total time
    spent is checked after each search. Exceeding the budget raises UsageError.
    """

    def __init__(self, seconds: float = REGEX_BUDGET_SECONDS) -> None:
        self.remaining = seconds
        self.seconds = seconds
        self._use_timer = (
            hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

    def __call__(self, search: Callable[[str], object], text: str) -> bool:
        if self.remaining <= 0:
            raise self._error()
        start = time.perf_counter()
        if self._use_timer:
            found = self._timed(search, text)
        else:
            found = search(text) is not None
        self.remaining -= time.perf_counter() - start
        if self.remaining <= 0:
            raise self._error()
        return found

    def _timed(self, search: Callable[[str], object], text: str) -> bool:
        def expire(signum: int, frame: object) -> None:
            raise _Expired

        previous = signal.signal(signal.SIGALRM, expire)
        try:
            signal.setitimer(signal.ITIMER_REAL, max(self.remaining, 0.001))
            try:
                return search(text) is not None
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _Expired:
            self.remaining = 0
            raise self._error() from None
        finally:
            signal.signal(signal.SIGALRM, previous)

    def _error(self) -> UsageError:
        return UsageError(f"a --where regular expression ran longer than its "
                          f"{self.seconds:g} s budget; simplify it")


class _Expired(Exception):
    pass


# --- date bounds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    """One end of ``--since``/``--until``: a calendar day, or an instant when a time is given."""

    day: str | None = None  # YYYY-MM-DD in the site's time zone
    epoch: float | None = None


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_bound(text: str, tz: dt.tzinfo, *, end: bool, option: str) -> Bound:
    """``2024``, ``2024-03``, ``2024-03-05`` (whole periods, inclusive) or a date-time."""
    stripped = text.strip()
    found = _PARTIAL_DATE.match(stripped)
    try:
        if found:
            year, month, day = found[1], found[2], found[3]
            return Bound(day=_period_day(int(year), month, day, end))
        from postctl.text.dates import DateError, parse_date

        try:
            parsed = parse_date(stripped, tz)
        except DateError as exc:
            raise ValueError(str(exc)) from None
        if parsed.fuzzy:
            raise ValueError("not a date")
        if not parsed.has_time:
            return Bound(day=parsed.value.date().isoformat())
        return Bound(epoch=parsed.value.timestamp())
    except ValueError:
        raise UsageError(f"{option} {text!r}: expected a date such as 2024-03-05 "
                         "(or 2024, 2024-03, or a date and time)") from None


def _period_day(year: int, month: str | None, day: str | None, end: bool) -> str:
    if day is not None:
        return dt.date(year, int(month or 1), int(day)).isoformat()
    if month is not None:
        first = dt.date(year, int(month), 1)
        if not end:
            return first.isoformat()
        following = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
        return (following - dt.timedelta(days=1)).isoformat()
    return dt.date(year, 12 if end else 1, 31 if end else 1).isoformat()


# --- filters --------------------------------------------------------------------------------

PUBLISHED, DRAFTS, ALL = "published", "drafts", "all"


@dataclass(frozen=True)
class Filters:
    tags: tuple[str, ...] = ()
    any_tag: bool = False
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    since: Bound | None = None
    until: Bound | None = None
    drafts: str = PUBLISHED  # PUBLISHED | DRAFTS | ALL
    no_future: bool = False
    where: tuple[Where, ...] = ()
    now: float = field(default_factory=time.time)

    @property
    def tag_keys(self) -> tuple[str, ...]:
        return casefold_all(self.tags)

    @property
    def category_keys(self) -> tuple[str, ...]:
        return casefold_all(self.categories)

    @property
    def author_keys(self) -> tuple[str, ...]:
        return casefold_all(self.authors)


def drafts_mode(drafts: bool, all_posts: bool) -> str:
    if drafts and all_posts:
        raise UsageError("--drafts and --all cannot be combined")
    return DRAFTS if drafts else ALL if all_posts else PUBLISHED


def make_filters(
    tz: dt.tzinfo,
    *,
    tags: Iterable[str] | None = None,
    any_tag: bool = False,
    categories: Iterable[str] | None = None,
    author: str | None = None,
    since: str | None = None,
    until: str | None = None,
    drafts: bool = False,
    all_posts: bool = False,
    no_future: bool = False,
    where: Iterable[str] | None = None,
    now: float | None = None,
) -> Filters:
    """Filters from command-line values; raise UsageError for a bad date or expression."""
    return Filters(
        tags=tuple(tags or ()),
        any_tag=any_tag,
        categories=tuple(categories or ()),
        authors=(author,) if author else (),
        since=parse_bound(since, tz, end=False, option="--since") if since else None,
        until=parse_bound(until, tz, end=True, option="--until") if until else None,
        drafts=drafts_mode(drafts, all_posts),
        no_future=no_future,
        where=tuple(parse_where(text) for text in where or ()),
        now=time.time() if now is None else now,
    )


def matches_facts(summary: Summary, filters: Filters) -> bool:
    """Every filter except ``--where`` (those the index answers in SQL)."""
    if filters.drafts == PUBLISHED and summary.draft:
        return False
    if filters.drafts == DRAFTS and not summary.draft:
        return False
    if filters.tags:
        keys = set(casefold_all(summary.tags))
        wanted = filters.tag_keys
        if filters.any_tag and not any(tag in keys for tag in wanted):
            return False
        if not filters.any_tag and not all(tag in keys for tag in wanted):
            return False
    if filters.categories:
        keys = set(casefold_all(summary.categories))
        if not all(category in keys for category in filters.category_keys):
            return False
    if filters.authors:
        keys = set(casefold_all(summary.authors))
        if not any(author in keys for author in filters.author_keys):
            return False
    if filters.no_future and summary.future(filters.now):
        return False
    return _in_range(summary, filters.since, after=True) and _in_range(
        summary, filters.until, after=False
    )


def _in_range(summary: Summary, bound: Bound | None, *, after: bool) -> bool:
    if bound is None:
        return True
    if bound.day is not None:
        if summary.day is None:
            return False
        return summary.day >= bound.day if after else summary.day <= bound.day
    assert bound.epoch is not None
    if summary.epoch is None:
        return False
    return summary.epoch >= bound.epoch if after else summary.epoch <= bound.epoch


def matches(summary: Summary, filters: Filters, budget: RegexBudget | None = None) -> bool:
    if not matches_facts(summary, filters):
        return False
    return all(where_matches(where, summary, budget) for where in filters.where)


def select(
    summaries: Iterable[Summary], filters: Filters, budget: RegexBudget | None = None
) -> Iterator[Summary]:
    budget = budget or RegexBudget()
    return (summary for summary in summaries if matches(summary, filters, budget))


def sql_conditions(filters: Filters) -> tuple[str, list[Any]]:
    """The filters except ``--where`` as an SQL condition over the index's ``posts`` table."""
    parts = ["posts.error IS NULL"]
    params: list[Any] = []
    if filters.drafts == PUBLISHED:
        parts.append("posts.draft = 0")
    elif filters.drafts == DRAFTS:
        parts.append("posts.draft = 1")
    if filters.tags:
        _json_any(parts, params, "tags_key", filters.tag_keys, every=not filters.any_tag)
    if filters.categories:
        _json_any(parts, params, "categories_key", filters.category_keys, every=True)
    if filters.authors:
        _json_any(parts, params, "authors_key", filters.author_keys, every=False)
    if filters.no_future:
        parts.append("(posts.date_epoch IS NULL OR posts.date_epoch <= ?)")
        params.append(filters.now)
    for bound, op in ((filters.since, ">="), (filters.until, "<=")):
        if bound is None:
            continue
        column, value = (("posts.day", bound.day) if bound.day is not None
                         else ("posts.date_epoch", bound.epoch))
        parts.append(f"{column} IS NOT NULL AND {column} {op} ?")
        params.append(value)
    return " AND ".join(parts), params


def _json_any(
    parts: list[str], params: list[Any], column: str, keys: tuple[str, ...], *, every: bool
) -> None:
    # A cheap substring test on the JSON text first; json_each makes the match exact.
    def exists(key: str) -> str:
        params.extend([json.dumps(key, ensure_ascii=False), key])
        return (f"(instr(posts.{column}, ?) > 0 AND "
                f"EXISTS (SELECT 1 FROM json_each(posts.{column}) WHERE value = ?))")

    joined = [exists(key) for key in keys]
    parts.append("(" + (" AND " if every else " OR ").join(joined) + ")")


# --- sorting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    key: str = "date"
    descending: bool = True

    @property
    def sql(self) -> str | None:
        """ORDER BY for the index when the key is a column there, else None (sort in Python)."""
        direction = "DESC" if self.descending else "ASC"
        if self.key == "date":
            return f"posts.date_epoch IS NULL, posts.date_epoch {direction}, posts.path"
        if self.key == "path":
            return f"posts.path {direction}"
        return None


def parse_sort(text: str) -> Sort:
    """``-key`` sorts descending, ``key`` or ``+key`` ascending."""
    stripped = text.strip()
    descending = stripped.startswith("-")
    key = stripped.lstrip("+-").strip()
    if not key:
        raise UsageError(f"--sort {text!r}: expected a key such as date, -date, title or path")
    return Sort(key, descending)


_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")


def sort_value(value: Any, tz: dt.tzinfo) -> tuple[Any, ...] | None:
    """A key that orders any two front-matter values without TypeError (G13).

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

