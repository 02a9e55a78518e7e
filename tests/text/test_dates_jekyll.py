"""Date strings that Ruby's Time.parse reads its own way, read as real Jekyll reads them:
a tiny site is built with ``jekyll build`` and each post's date compared, instant and local
day, with what postctl reads."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from postctl.text.dates import parse_date, zone
from tests.oracles import require, run

# Crafted front-matter dates (plain YAML strings): extra words, a year after the time,
# zones Ruby knows (numeric, US, the site zone's own names) and zones it ignores.
CRAFTED = (
    "2016-07-19 (optional)",
    "Tue Mar 5 10:00:00 CET 2019",
    "Tue Mar 5 10:00:00 JST 2019",
    "Mar 5 10:00:00 2019",
    "10:00 2019-03-05",
    "2020-07-04 10:30 CEST",
    "2020-01-02 10:00 IST",
    "2020-03-04T10:30:00 UTC+2",
    "2020-03-04 10:30 GMT+2",
    "2020-03-04 10:30 HST",
    "2020-03-04 10:30 +5",
    "2020-01-02 10:00:00 +05",
    "2020-03-04 10:30 Europe/Berlin",
    "4 Mar 2020 10:30 EST and more words",
    "published on 2020-03-04 at 10:30 pm",
    "10:30 on March 4 2020",
    "Sept 5 2020 10:00 PST",
    "04/03/2020",
    "25.12.2020 08:00",
    "2020-03-04 10:30 Z",
    "2020-03-04 10:30 A",
)
SITE_ZONE = "Europe/Berlin"


def test_crafted_dates_read_as_jekyll_reads_them(tmp_path: Path) -> None:
    jekyll = require("jekyll")
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_layouts").mkdir()
    (site / "_config.yml").write_text(f"title: T\ntimezone: {SITE_ZONE}\n")
    (site / "_layouts" / "default.html").write_text(
        "CASE={{ page.case }}\nDATE={{ page.date | date_to_xmlschema }}\n")
    for number, text in enumerate(CRAFTED):
        (site / "_posts" / f"2001-01-01-case-{number}.md").write_text(
            f"---\nlayout: default\ncase: {number}\ndate: {text}\n---\nx\n")
    done = run(jekyll, "build", "-q", "-s", str(site), "-d", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    built = {}
    for page in (tmp_path / "out").rglob("*.html"):
        found = re.search(r"CASE=(\d+)\nDATE=(\S+)", page.read_text())
        assert found, page
        built[CRAFTED[int(found[1])]] = dt.datetime.fromisoformat(found[2])
    assert set(built) == set(CRAFTED)
    tz = zone(SITE_ZONE)
    ours = {text: parse_date(text, tz).value.astimezone(tz) for text in CRAFTED}
    assert {text: value.isoformat() for text, value in ours.items()} == \
        {text: value.isoformat() for text, value in built.items()}


@pytest.mark.parametrize(("text", "hours"), [
    ("Tue Mar 5 10:00:00 CET 2019", 1),  # the site zone's winter name
    ("2020-07-04 10:30 CEST", 2),  # and its summer name
    ("2020-01-02 10:00:00 +05", 5),
    ("Sept 5 2020 10:00 PST", -8),
])
def test_a_zone_ruby_knows_is_kept(text: str, hours: int) -> None:
    parsed = parse_date(text, zone(SITE_ZONE))
    assert parsed.has_offset
    assert parsed.value.utcoffset() == dt.timedelta(hours=hours)


@pytest.mark.parametrize("text", [
    "2020-01-02 10:00 IST", "2020-03-04T10:30:00 UTC+2", "2020-03-04 10:30 HST",
    "2020-03-04 10:30 +5", "Tue Mar 5 10:00:00 JST 2019",
])
def test_a_zone_ruby_does_not_know_is_the_site_zone(text: str) -> None:
    tz = zone(SITE_ZONE)
    parsed = parse_date(text, tz)
    assert not parsed.has_offset
    assert parsed.value.tzinfo is tz


def test_a_day_a_month_and_a_year_read_day_first() -> None:
    tz = zone(SITE_ZONE)
    assert parse_date("04/03/2020", tz).value.date() == dt.date(2020, 3, 4)
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date("12/25/2020", tz)  # Ruby: no 25th month
