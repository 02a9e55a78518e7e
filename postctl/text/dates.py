"""Read dates the way Jekyll does (Ruby's ``Time.parse``), not as PyYAML types them.

PyYAML leaves ``2013-05-06 02:12:52 +0200`` as a string, reads ``2016-09-27`` as a
``date`` and drops nothing else; Jekyll parses every one of these forms. Values
without an offset take the site's time zone.

The zone of a date string is read as Ruby's ``Time.parse`` reads it: the word (or offset)
right after the time (``Date._parse``), worth an offset only when ``Time.zone_offset``
knows it: a numeric offset of two or four digits, UTC, GMT, the US zones, the military
letters, or the site zone's own abbreviation in January or July (``CET``/``CEST`` on a
Berlin site). Any other zone (``IST``, ``UTC+2``, ``Europe/Berlin``, a word after the time)
is ignored: the time is read in the site's zone. ``4/3/2020`` is the 4th of March, as Ruby
reads a day, a month and a four-digit year.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Ruby's Time::ZoneOffset: the zone names Time.parse knows whatever the local zone.
_ZONE_OFFSETS_HOURS = {
    "UTC": 0, "Z": 0, "UT": 0, "GMT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    **dict(zip("ABCDEFGHIKLM", range(1, 13), strict=True)),
    **{letter: -hours for letter, hours in zip("NOPQRSTUVWXY", range(1, 13), strict=True)},
}
ZONE_ABBREVIATIONS = {
    name: dt.timezone(dt.timedelta(hours=hours), name)
    for name, hours in _ZONE_OFFSETS_HOURS.items()
}
# Date._parse's time and the zone written after it (date_parse.c, parse_time), and the
# numeric zones Time.zone_offset reads; compiled (and cached by re) for unusual dates only.
_TIME_AND_ZONE = (
    r"(?:\d+\s*:\s*\d+(?:\s*:\s*\d+(?:[,.]\d*)?)?|\d+\s*h(?:\s*\d+m?(?:\s*\d+s?)?)?)"
    r"(?:\s*[ap](?:m\b|\.m\.))?"
    r"(?:\s*((?:gmt|utc?)?[-+]\d+(?:[,.:]\d+(?::\d+)?)?"
    r"|[^\W\d_][^\W\d_.\s]*(?:[.\s]+[^\W\d_.\s]+)*?\s*(?:standard|daylight)\stime\b"
    r"|[^\W\d_]+(?:\sdst)?\b))?")
_NUMERIC_ZONE = r"\A([+-])(\d\d)(:?)(\d\d)(?:\3(\d\d))?\Z"
# A day, a month and a four-digit year (Ruby reads 4/3/2020 as the 4th of March).
_DAY_MONTH_YEAR = r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-])"

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
    text = _day_first(text)
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
    offset = ruby_zone_offset(text, parsed.year, tz)
    return ParsedDate(parsed.replace(tzinfo=offset or tz), has_time, offset is not None,
                      fuzzy)


def _day_first(text: str) -> str:
    """``4/3/2020 10:00`` as ``2020-03-04 10:00``: Ruby reads the day first."""
    found = re.match(_DAY_MONTH_YEAR, text)
    if found is None:
        return text
    day, month, year = int(found[1]), int(found[2]), int(found[3])
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"{text!r} is not a valid date: {exc}") from None
    return f"{year:04d}-{month:02d}-{day:02d}{text[found.end():]}"


def ruby_zone_offset(text: str, year: int, tz: dt.tzinfo) -> dt.tzinfo | None:
    """The offset Ruby's ``Time.parse`` gives the zone written after the time in ``text``
    (None: no zone, or one Ruby does not know, so the time is read in the site's zone)."""
    found = re.search(_TIME_AND_ZONE, text, re.IGNORECASE)
    if found is None or found[1] is None:
        return None
    name = found[1].upper()
    numeric = re.match(_NUMERIC_ZONE, name)
    if numeric:
        seconds = (int(numeric[2]) * 60 + int(numeric[4])) * 60 + int(numeric[5] or 0)
        return dt.timezone(dt.timedelta(seconds=-seconds if numeric[1] == "-" else seconds))
    if re.fullmatch(r"[+-]\d\d", name):
        return dt.timezone(dt.timedelta(hours=int(name)))
    if name in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[name]
    for month in (1, 7):  # the local zone's own names, as Ruby tries them
        moment = dt.datetime(max(1, min(year, 9999)), month, 1, tzinfo=tz)
        if (moment.tzname() or "").upper() == name:
            offset = moment.utcoffset()
            return dt.timezone(offset) if offset is not None else None
    return None


def _dateutil_parse(text: str, default_year: int, fuzzy: bool) -> dt.datetime:
    import warnings

    from dateutil import parser  # imported here: only unusual date strings need it

    with warnings.catch_warnings():
        # An unknown zone name is ignored, as Ruby's Time.parse ignores it; no warning.
        warnings.simplefilter("ignore")
        return parser.parse(text, default=dt.datetime(default_year, 1, 1), ignoretz=True,
                            fuzzy=fuzzy)


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
