"""A listing query's filters applied to summaries in memory: the files read directly, and
``--where`` on the rows the site index selected (it answers every other filter in SQL).

``--where`` regular expressions run under one time budget per command: :class:`RegexBudget`.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from postctl.catalog.query import ALL, DRAFTS, PUBLISHED, Bound, Filters, Where
from postctl.catalog.summary import Summary, casefold_all, lookup
from postctl.errors import UsageError

REGEX_BUDGET_SECONDS = 2.0  # total regex time of one command
_LIST_KEYS = ("tags", "categories")


# --- --where ------------------------------------------------------------------------------


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
    """Runs regex searches under a total time budget (docs/guarantees.md: Limits).

    On POSIX, in the main thread, an interval timer interrupts a runaway search (the
    regex engine checks for signals as it backtracks); elsewhere only the total time
    spent is checked after each search. Exceeding the budget raises UsageError.
    """

    def __init__(self, seconds: float | None = None) -> None:
        if seconds is None:  # read now, not when this module was loaded
            seconds = REGEX_BUDGET_SECONDS
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


# --- every other filter ---------------------------------------------------------------------


def matches_facts(summary: Summary, filters: Filters) -> bool:
    """Every filter except ``--where`` (those the index answers in SQL)."""
    if filters.hugo:
        if not _hugo_status(summary, filters):
            return False
    elif filters.drafts == PUBLISHED and summary.draft:
        return False
    elif filters.drafts == DRAFTS and not summary.draft:
        return False
    if filters.future and not filters.hugo and not summary.future(filters.now):
        return False
    if filters.kinds and summary.kind not in filters.kinds:
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


def _hugo_status(summary: Summary, filters: Filters) -> bool:
    """Hugo: whether ``hugo list`` shows the page with these flags (see Filters)."""
    if not summary.listed:
        return False
    if filters.drafts == ALL:
        return True
    future, expired = summary.future(filters.now), summary.expired(filters.now)
    if filters.drafts == DRAFTS or filters.future or filters.expired:
        return ((filters.drafts == DRAFTS and summary.draft) or (filters.future and future)
                or (filters.expired and expired))
    return not (summary.draft or future or expired)


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

