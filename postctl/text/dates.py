"""Read dates the way Jekyll does (Ruby's ``Time.parse``), not as PyYAML types them.

PyYAML leaves ``2013-05-06 02:12:52 +0200`` as a string, reads ``2016-09-27`` as a
``date`` and drops nothing else; Jekyll parses every one of these forms. Values
without an offset take the site's time zone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Named zones Ruby's Time.parse understands (RFC 822 / US zones) plus common European ones.
_ZONE_OFFSETS_HOURS = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10,
    "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
}
ZONE_ABBREVIATIONS = {
    name: dt.timezone(dt.timedelta(hours=hours), name)
    for name, hours in _ZONE_OFFSETS_HOURS.items()
}

_FILENAME_DATE = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-(.*)$")
_ISO_FAST = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


class DateError(ValueError):
    """A value that is not a date Jekyll could read."""


class ParsedDate(NamedTuple):
    value: dt.datetime  # always aware
    has_time: bool
    has_offset: bool
    fuzzy: bool = False  # text around the date was ignored to read it


@lru_cache(maxsize=64)
def zone(name: str | None) -> dt.tzinfo:
    """The named IANA zone, or this machine's local zone when no name is given."""
    if not name:
        return _local_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(f"unknown time zone {name!r}") from None


def _local_zone() -> dt.tzinfo:
    """This machine's zone with its DST rules (a fixed offset only as a last resort)."""
    configured = os.environ.get("TZ", "").lstrip(":")
    candidates = [configured] if configured else []
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else "")
    except (OSError, ValueError):
        pass
    for key in candidates:
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        local = dt.datetime.now().astimezone().tzinfo
        return local if local is not None else dt.timezone.utc


def parse_date(value: object, tz: dt.tzinfo) -> ParsedDate:
    """Parse a front-matter date value; naive results take ``tz``. Raise DateError."""
    if isinstance(value, dt.datetime):
        aware = value.tzinfo is not None
        return ParsedDate(value if aware else value.replace(tzinfo=tz), True, aware)
    if isinstance(value, dt.date):
        return ParsedDate(dt.datetime(value.year, value.month, value.day, tzinfo=tz), False, False)
    if isinstance(value, str) and value.strip():
        return _parse_text(value.strip(), tz)
    raise DateError(f"{value!r} is not a date")


_ISO_WITH_OFFSET = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?"
    r" ?(?:(Z)|([+-])(\d{2}):?(\d{2}))$"
)


def _parse_iso_with_offset(found: re.Match[str]) -> ParsedDate:
    """``2013-05-06 02:12:52 +0200`` and kin: Jekyll's own format, read without dateutil."""
    year, month, day, hour, minute = (int(found[index]) for index in range(1, 6))
    second = int(found[6] or 0)
    micro = int((found[7] or "0").ljust(6, "0"))
    if found[8]:
        zone_info: dt.tzinfo = dt.timezone.utc
    else:
        minutes = int(found[10]) * 60 + int(found[11])
        zone_info = dt.timezone(dt.timedelta(minutes=-minutes if found[9] == "-" else minutes))
    try:
        value = dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=zone_info)
    except ValueError as exc:
        raise DateError(f"{found[0]!r} is not a valid date: {exc}") from None
    return ParsedDate(value, True, True)


def _parse_text(text: str, tz: dt.tzinfo) -> ParsedDate:
    with_offset = _ISO_WITH_OFFSET.match(text)
    if with_offset:
        return _parse_iso_with_offset(with_offset)
    if _ISO_FAST.match(text):
        try:
            parsed = dt.datetime.fromisoformat(text.replace(" ", "T") if len(text) > 10 else text)
        except ValueError as exc:
            raise DateError(f"{text!r} is not a valid date: {exc}") from None
        return ParsedDate(parsed.replace(tzinfo=tz), len(text) > 10, False)
    fuzzy = False
    try:
        parsed = _dateutil_parse(text, 1970, fuzzy=False)
    except (ValueError, OverflowError):
        try:
            parsed = _dateutil_parse(text, 1970, fuzzy=True)
            fuzzy = True
        except (ValueError, OverflowError):
            return _parse_leading_iso(text, tz)
    if parsed.year == 1970 and _dateutil_parse(text, 1971, fuzzy).year == 1971:
        raise DateError(f"{text!r} has no year")  # the year came from the default
    has_time = bool(re.search(r"\d:\d", text))
    has_offset = parsed.tzinfo is not None
    return ParsedDate(parsed if has_offset else parsed.replace(tzinfo=tz), has_time, has_offset,
                      fuzzy)


def _dateutil_parse(text: str, default_year: int, fuzzy: bool) -> dt.datetime:
    import warnings

    from dateutil import parser  # imported here: only unusual date strings need it

    with warnings.catch_warnings():
        # An unknown zone name is ignored, as Ruby's Time.parse ignores it; no warning.
        warnings.simplefilter("ignore")
        return parser.parse(text, default=dt.datetime(default_year, 1, 1),
                            tzinfos=ZONE_ABBREVIATIONS, fuzzy=fuzzy)


# The last resort's patterns, compiled (and cached by re) only when a date needs them.
_LEADING_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\b"
_TRAILING_OFFSET = r"([+-])(\d{2}):?(\d{2})$"


def _parse_leading_iso(text: str, tz: dt.tzinfo) -> ParsedDate:
    """Last resort, like Ruby's lenient Date._parse: a leading ISO date, a trailing offset."""
    found = re.match(_LEADING_ISO, text)
    if not found:
        raise DateError(f"{text!r} is not a date")
    year, month, day, hour, minute, second = (int(part) if part else 0 for part in found.groups())
    offset = re.search(_TRAILING_OFFSET, text)
    zone_info = tz
    if offset:
        minutes = int(offset[2]) * 60 + int(offset[3])
        zone_info = dt.timezone(dt.timedelta(minutes=-minutes if offset[1] == "-" else minutes))
    try:
        parsed = dt.datetime(year, month, day, hour, minute, second, tzinfo=zone_info)
    except ValueError as exc:
        raise DateError(f"{text!r} is not a valid date: {exc}") from None
    return ParsedDate(parsed, found[4] is not None, offset is not None, fuzzy=True)


def filename_date(stem: str) -> tuple[dt.date, str] | None:
    """Jekyll's DATE_FILENAME_MATCHER on a filename stem: (date, slug) or None."""
    found = _FILENAME_DATE.match(stem)
    if not found:
        return None
    try:
        day = dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return day, found[4]


def local_day(moment: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The calendar day of ``moment`` in the site's time zone."""
    return moment.astimezone(tz).date()
