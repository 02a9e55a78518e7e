"""Dates read as Jekyll reads them (Ruby's Time.parse), not as PyYAML types them."""

from __future__ import annotations

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

import pytest
import yaml

from postctl.text.dates import DateError, filename_date, local_day, parse_date, zone
from postctl.text.scalars import PostLoader

BERLIN = ZoneInfo("Europe/Berlin")


def utc_offset(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def from_yaml(line: str) -> object:
    """The value as the front-matter loader types it (PyYAML leaves most of these as str)."""
    return yaml.load(f"date: {line}\n", Loader=PostLoader)["date"]


# YAML text -> (type PyYAML gives, expected aware datetime, has_time, has_offset)
CASES = {
    "2013-05-06 02:12:52 +0200": (str, dt.datetime(2013, 5, 6, 2, 12, 52, tzinfo=utc_offset(2)),
                                  True, True),
    "2014-11-09 09:47:52 -0800": (str, dt.datetime(2014, 11, 9, 9, 47, 52,
                                                   tzinfo=utc_offset(-8)), True, True),
    '"2013-05-06 02:12:52 +0200"': (str, dt.datetime(2013, 5, 6, 2, 12, 52,
                                                     tzinfo=utc_offset(2)), True, True),
    "'2014-03-19T10:14:29-04:00'": (str, dt.datetime(2014, 3, 19, 10, 14, 29,
                                                     tzinfo=utc_offset(-4)), True, True),
    "2016-03-21 12:00 EDT": (str, dt.datetime(2016, 3, 21, 12, 0, tzinfo=utc_offset(-4)),
                             True, True),
    "2016-01-21 12:00 PST": (str, dt.datetime(2016, 1, 21, 12, 0, tzinfo=utc_offset(-8)),
                             True, True),
    "2017-11-8": (str, dt.datetime(2017, 11, 8, tzinfo=BERLIN), False, False),
    "2016-09-27": (dt.date, dt.datetime(2016, 9, 27, tzinfo=BERLIN), False, False),
    "July 27, 2021": (str, dt.datetime(2021, 7, 27, tzinfo=BERLIN), False, False),
    "27 July 2021": (str, dt.datetime(2021, 7, 27, tzinfo=BERLIN), False, False),
    "2020-01-15 08:30:00": (dt.datetime, dt.datetime(2020, 1, 15, 8, 30, tzinfo=BERLIN),
                            True, False),
    "2020-07-01 10:00": (str, dt.datetime(2020, 7, 1, 10, 0, tzinfo=BERLIN), True, False),
    "2020-01-01T10:00:00Z": (dt.datetime, dt.datetime(2020, 1, 1, 10, tzinfo=dt.timezone.utc),
                             True, True),
    "2020-01-01 10:00:00 -08:00": (dt.datetime, dt.datetime(2020, 1, 1, 10,
                                                            tzinfo=utc_offset(-8)), True, True),
    "Tue, 27 Jul 2021 10:00:00 +0000": (str, dt.datetime(2021, 7, 27, 10,
                                                         tzinfo=dt.timezone.utc), True, True),
}


@pytest.mark.parametrize("text", sorted(CASES))
def test_date_forms(text: str) -> None:
    kind, expected, has_time, has_offset = CASES[text]
    value = from_yaml(text)
    assert type(value) is kind
    parsed = parse_date(value, BERLIN)
    assert parsed.value == expected
    assert parsed.value.utcoffset() == expected.utcoffset()
    assert (parsed.has_time, parsed.has_offset) == (has_time, has_offset)
    assert parsed.value.tzinfo is not None


def test_site_zone_is_attached_with_its_daylight_saving_rules() -> None:
    winter = parse_date("2020-01-15 08:00", BERLIN).value
    summer = parse_date("2020-07-15 08:00", BERLIN).value
    assert winter.utcoffset() == dt.timedelta(hours=1)
    assert summer.utcoffset() == dt.timedelta(hours=2)
    assert parse_date(dt.date(2020, 7, 15), BERLIN).value.utcoffset() == dt.timedelta(hours=2)


def test_explicit_offset_is_kept_not_converted() -> None:
    parsed = parse_date("2013-05-06 02:12:52 +0200", ZoneInfo("America/New_York"))
    assert parsed.value.utcoffset() == dt.timedelta(hours=2)
    assert parsed.value.hour == 2


def test_template_leftover_is_read_leniently_and_flagged_fuzzy() -> None:
    parsed = parse_date("2016-07-19 (optional)", BERLIN)
    assert parsed.value == dt.datetime(2016, 7, 19, tzinfo=BERLIN)
    assert parsed.fuzzy


def test_plain_dates_are_not_fuzzy() -> None:
    assert not parse_date("July 27, 2021", BERLIN).fuzzy
    assert not parse_date("2016-09-27", BERLIN).fuzzy


@pytest.mark.parametrize("value", [
    "hello", "", "   ", 12, None, True, [2020, 1, 1], "2020-02-30", "2020-13-01",
    "2020-01-01 25:00", "July 27",
])
def test_not_a_date(value: object) -> None:
    with pytest.raises(DateError):
        parse_date(value, BERLIN)


def test_a_date_without_year_is_refused() -> None:
    with pytest.raises(DateError, match="has no year"):
        parse_date("July 27", BERLIN)
    assert parse_date("July 27, 1970", BERLIN).value.year == 1970


def test_unknown_zone_name_is_ignored_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = parse_date("2016-03-21 12:00 XYZ", BERLIN)
    assert parsed.value == dt.datetime(2016, 3, 21, 12, tzinfo=BERLIN)
    assert not parsed.has_offset


# --- zones ------------------------------------------------------------------------------


def test_zone_by_name() -> None:
    assert zone("Europe/Berlin") == BERLIN
    with pytest.raises(DateError, match="unknown time zone 'Mars/Base'"):
        zone("Mars/Base")


def test_local_zone_follows_daylight_saving(monkeypatch: pytest.MonkeyPatch) -> None:
    import postctl.text.dates as dates

    monkeypatch.setenv("TZ", "Europe/Berlin")
    local = dates._local_zone()
    assert dt.datetime(2024, 1, 5, tzinfo=local).utcoffset() == dt.timedelta(hours=1)
    assert dt.datetime(2024, 7, 5, tzinfo=local).utcoffset() == dt.timedelta(hours=2)


def test_default_zone_is_aware() -> None:
    assert dt.datetime(2024, 1, 5, tzinfo=zone(None)).utcoffset() is not None


# --- file names -------------------------------------------------------------------------


@pytest.mark.parametrize("stem, expected", [
    ("2019-12-3-long-term-teams", (dt.date(2019, 12, 3), "long-term-teams")),
    ("2024-01-02-a", (dt.date(2024, 1, 2), "a")),
    ("2015-02-25-We-Are-Hiring", (dt.date(2015, 2, 25), "We-Are-Hiring")),
    ("2017-09-28-three-ways-to manage", (dt.date(2017, 9, 28), "three-ways-to manage")),
    ("2020-1-2-x", (dt.date(2020, 1, 2), "x")),
])
def test_filename_date(stem: str, expected: tuple[dt.date, str]) -> None:
    assert filename_date(stem) == expected


@pytest.mark.parametrize("stem", ["hello", "2020-01-01", "2020-02-30-x", "2020-13-01-x",
                                  "x-2020-01-01-y", "202-01-01"])
def test_not_a_filename_date(stem: str) -> None:
    assert filename_date(stem) is None


def test_local_day_is_the_day_in_the_site_zone() -> None:
    late = dt.datetime(2014, 11, 9, 23, 30, tzinfo=utc_offset(-8))
    assert local_day(late, dt.timezone.utc) == dt.date(2014, 11, 10)
    assert local_day(late, utc_offset(-8)) == dt.date(2014, 11, 9)


@pytest.mark.parametrize(
    "text",
    ["2013-05-06 02:12:52 +0200", "2013-05-06 02:12:52 -0800", "2024-01-02 03:04 +05:30",
     "2024-01-02T03:04:05.123+0100", "2010-01-01T11:00:53Z", "2014-03-19T10:14:29-04:00"],
)
def test_jekyll_offset_dates_agree_with_dateutil_without_importing_it(text: str) -> None:
    import subprocess
    import sys

    from dateutil import parser

    from postctl.text.dates import parse_date, zone

    parsed = parse_date(text, zone("UTC"))
    expected = parser.parse(text)
    assert parsed.value == expected and parsed.value.utcoffset() == expected.utcoffset()
    assert parsed.has_offset and parsed.has_time
    code = ("import sys; from postctl.text.dates import parse_date, zone; "
            f"parse_date({text!r}, zone('UTC')); print('dateutil' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False"
