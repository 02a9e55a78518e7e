"""What Hugo makes of one content file: its kind, its four dates, whether it is listed and
rendered.

- kind: ``home`` for the content folder's ``_index.md``, ``section`` for any other
  ``_index.md`` (a branch bundle), ``page`` for every other page (a leaf bundle's
  ``index.md`` included);
- dates: each of ``date``, ``publishDate``, ``lastmod`` and ``expiryDate`` is the first of
  its handlers (``[frontmatter]`` in the site config, Hugo's defaults otherwise) that gives
  one: a front-matter key (matched case-insensitively, as Hugo lower-cases keys) or
  ``:filename`` (a ``YYYY-MM-DD-`` prefix of the file name, whose rest is then the slug)
  or ``:fileModTime`` (the file's modification time); ``:git`` gives nothing here;
- listed: not ``headless`` and ``build.list`` (``_build`` on older sites) not ``never``
  or ``local``: ``hugo list`` shows only such pages; rendered: ``build.render`` not
  ``never`` (an unrendered page has no permalink).

The front-matter values are those after ``cascade`` from the sections above the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from postctl.text.dates import DateError, filename_date, parse_date

# Hugo's defaults, as postctl.site.hugo_config.DEFAULT_DATES (repeated: a lower layer).
_DEFAULT_DATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("date", ("date", "publishdate", "pubdate", "published", "lastmod", "modified")),
    ("publishdate", ("publishdate", "pubdate", "published", "date")),
    ("lastmod", ("lastmod", "modified", "date", "publishdate", "pubdate", "published")),
    ("expirydate", ("expirydate", "unpublishdate")),
)


class HugoFacts(NamedTuple):
    kind: str  # "home" | "section" | "page"
    date: dt.datetime | None
    publish_date: dt.datetime | None
    expiry_date: dt.datetime | None
    listed: bool
    rendered: bool
    filename_slug: str | None  # the slug ``:filename`` gave, if it gave one


def hugo_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The front matter with its keys lower-cased, as Hugo reads keys (a key written in
    lower case wins over another spelling of it)."""
    lower: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(key, str) and (key == key.lower() or key.lower() not in values):
            lower[key.lower()] = value
    return lower


def go_bool(value: object) -> bool:
    """A value as Hugo reads a flag (Go's cast.ToBool): a boolean, a number not 0, or text
    that strconv.ParseBool reads as true (``true``, ``True``, ``TRUE``, ``t``, ``T``, ``1``);
    anything else (``yes`` included) is false."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return isinstance(value, str) and value.strip() in ("1", "t", "T", "TRUE", "true", "True")


def page_kind(path: Path, content: Path | None) -> str:
    """``home``, ``section`` or ``page`` for the file at ``path`` of the content folder
    ``content``."""
    if not path.name.startswith("_index."):
        return "page"
    return "home" if content is not None and path.parent == content else "section"


def hugo_facts(values: Mapping[str, Any], path: Path, content: Path | None, tz: dt.tzinfo,
               dates: tuple[tuple[str, tuple[str, ...]], ...] | None = None) -> HugoFacts:
    lower = hugo_values(values)
    handlers = dict(dates or _DEFAULT_DATES)
    stem = PurePosixPath(path.name).stem
    from_name = filename_date(stem)
    found: dict[str, dt.datetime | None] = {}
    filename_slug = None
    for name in ("date", "publishdate", "lastmod", "expirydate"):
        found[name] = None
        for key in handlers.get(name, ()):
            if key == ":filename":
                if from_name is not None:
                    day = from_name[0]
                    found[name] = dt.datetime(day.year, day.month, day.day, tzinfo=tz)
                    filename_slug = from_name[1]
                    break
                continue
            if key == ":filemodtime":
                found[name] = _modified(path)
                if found[name] is not None:
                    break
                continue
            if key.startswith(":"):
                continue
            moment = _date(lower.get(key), tz)
            if moment is not None:
                found[name] = moment
                break
    if found["publishdate"] is None:  # Hugo: a page is published at its date
        found["publishdate"] = found["date"]
    build = lower.get("build", lower.get("_build"))
    options = {str(key).lower(): value for key, value in build.items()} \
        if isinstance(build, Mapping) else {}
    listed = (lower.get("headless") is not True
              and str(options.get("list", "always")).lower() not in ("never", "local"))
    rendered = str(options.get("render", "always")).lower() != "never"
    return HugoFacts(page_kind(path, content), found["date"], found["publishdate"],
                     found["expirydate"], listed, rendered, filename_slug)


def _modified(path: Path) -> dt.datetime | None:
    """The file's modification time (``:fileModTime``), in UTC as Hugo gives it."""
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    except OSError:
        return None


def _date(value: object, tz: dt.tzinfo) -> dt.datetime | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return parse_date(value, tz).value
    except DateError:
        return None


def cascade_values(front_matter: Mapping[str, Any]) -> dict[str, Any]:
    """The values a section's ``cascade`` gives its pages (and itself): a mapping, or a
    list of them; those aimed at some pages only (``target``/``_target``) are left out."""
    raw = next((value for key, value in front_matter.items()
                if isinstance(key, str) and key.lower() == "cascade"), None)
    entries = raw if isinstance(raw, list) else [raw]
    merged: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        if any(str(key).lower() in ("target", "_target") for key in entry):
            continue
        for key, value in entry.items():
            merged.setdefault(str(key), value)
    return merged
