"""What ``postctl list`` asks for: the :class:`Filters` and :class:`Sort` models, parsed from
the command line (``--tag``, ``--since``/``--until``, ``--where``, ``--sort``...).

The same :class:`Filters` is applied in Python to :class:`~postctl.catalog.summary.Summary`
objects (:mod:`postctl.catalog.matching`, :mod:`postctl.catalog.ordering`: files read directly)
and translated to SQL for the site index (:mod:`postctl.catalog.querysql`); tests hold both to
the same answers.

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
(docs/guarantees.md: Limits; :class:`postctl.catalog.matching.RegexBudget`); a bad or too slow
regex is a usage error.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from postctl.catalog.summary import casefold_all
from postctl.errors import UsageError

MAX_PATTERN_LENGTH = 500


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
KINDS = ("page", "section", "home")  # Hugo's page kinds postctl lists


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
    # Hugo: "published" is what `hugo list published` shows (not a draft, not future, not
    # expired); --drafts, --future and --expired each choose what that build flag adds,
    # together their union; only pages Hugo lists (not headless, not build.list never).
    hugo: bool = False
    future: bool = False  # only posts dated (Hugo: publishDate) after now
    expired: bool = False  # Hugo: only pages whose expiryDate has passed
    kinds: tuple[str, ...] = ()  # --kind: only these kinds (post, page, section, home)

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
    hugo: bool = False,
    future: bool = False,
    expired: bool = False,
    kinds: Iterable[str] | None = None,
) -> Filters:
    """Filters from command-line values; raise UsageError for a bad date or expression."""
    if expired and not hugo:
        raise UsageError("--expired: only Hugo pages expire (expiryDate); this is a Jekyll site")
    chosen_kinds = tuple(dict.fromkeys(kind.strip().lower() for kind in kinds or ()))
    allowed = KINDS if hugo else ("post",)
    for kind in chosen_kinds:
        if kind not in allowed:
            raise UsageError(f"--kind {kind!r}: expected {' or '.join(allowed)}")
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
        hugo=hugo,
        future=future,
        expired=expired,
        kinds=chosen_kinds,
    )


# --- sorting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """``--sort``: a front-matter key (or date, path, slug, url, title...) and its direction."""

    key: str = "date"
    descending: bool = True


def parse_sort(text: str) -> Sort:
    """``-key`` sorts descending, ``key`` or ``+key`` ascending."""
    stripped = text.strip()
    descending = stripped.startswith("-")
    key = stripped.lstrip("+-").strip()
    if not key:
        raise UsageError(f"--sort {text!r}: expected a key such as date, -date, title or path")
    return Sort(key, descending)

