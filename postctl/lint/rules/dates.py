"""Dates as Jekyll reads them: invalid or lenient dates, file-name dates, future posts.

Jekyll parses every front-matter date with Ruby's ``Time.parse(date.to_s).localtime``,
so the day in a post's URL is the day of the date in the site's time zone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from postctl.lint.diagnostics import Finding, Fix
from postctl.lint.rules.base import Context, Rule
from postctl.post.model import Post
from postctl.text.dates import DateError, local_day, parse_date

RULES = (
    Rule("D001", "date-invalid", "error",
         "The front-matter date is not a date Jekyll can read: the whole build stops."),
    Rule("D002", "date-lenient", "warning",
         "The date is only readable by ignoring text around it (2016-07-19 (optional)); "
         "Ruby reads it leniently, but it is easy to get wrong."),
    Rule("D003", "filename-date-missing", "error",
         "A file in _posts/ whose name is not YYYY-MM-DD-slug.ext (or whose date is impossible, "
         "with no front-matter date): Jekyll skips it or stops."),
    Rule("D004", "filename-date-mismatch", "warning",
         "The file-name date differs from the front-matter date in the site's time zone "
         "(the date Jekyll puts in the URL).", fix="unsafe"),
    Rule("D005", "date-future", "warning",
         "The post is dated in the future: Jekyll does not publish it unless _config.yml "
         "sets future: true."),
)

# Date strings that are read exactly (no text around the date is ignored).
_PLAIN_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                         r"(?:\s*(?:Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5}))?$")
# Jekyll's DATE_FILENAME_MATCHER, on the file name alone.
_FILENAME = re.compile(r"^(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^.]+)$")


def in_posts_folder(post: Post, ctx: Context) -> bool:
    """A published-folder Jekyll post (not a draft, not Hugo content)."""
    if ctx.site.flavour != "jekyll":
        return False
    return "_drafts" not in PurePosixPath(post.rel_path).parts[:-1]


def filename_day(name: str) -> tuple[dt.date | None, bool]:
    """(the date of a Jekyll post file name, whether the name has a date prefix at all)."""
    found = _FILENAME.match(name)
    if found is None:
        return None, False
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3])), True
    except ValueError:
        return None, True


def check(post: Post, ctx: Context) -> Iterator[Finding]:
    info = post.metadata.keys.get("date")
    line, col = (info.value_line, info.value_col) if info else (post.source.fm_line, 1)
    raw = post.values.get("date")
    if post.date_error is not None and raw is not None:
        yield Finding("D001", line, col, f"date {str(raw)!r} is not a date Jekyll can read "
                      "(the build stops)")
    elif (isinstance(raw, str) and post.date_origin == "front matter"
          and not _PLAIN_DATE.match(raw.strip())):
        try:
            parsed = parse_date(raw, ctx.site.tz)
        except DateError:  # pragma: no cover - post.date_error covers it
            parsed = None
        if parsed is not None and parsed.fuzzy:
            yield Finding("D002", line, col,
                          f"date {raw!r} is read leniently as "
                          f"{local_day(parsed.value, ctx.site.tz).isoformat()}: "
                          "remove the text around the date")
    if in_posts_folder(post, ctx):
        yield from _filename(post, ctx, line, col)


def _filename(post: Post, ctx: Context, line: int, col: int) -> Iterator[Finding]:
    name = post.path.name
    day, dated = filename_day(name)
    if not dated:
        yield Finding("D003", 1, 1, f"file name {name!r} does not start with a YYYY-MM-DD- "
                      "date: Jekyll skips this file (rename it YYYY-MM-DD-slug"
                      f"{post.path.suffix})")
        return
    if day is None:
        if post.date_origin != "front matter":
            yield Finding("D003", 1, 1, f"the date in file name {name!r} is not a valid date: "
                          "Jekyll stops the build")
        else:
            yield Finding("D004", 1, 1, f"the date in file name {name!r} is not a valid date")
        return
    if post.date is None or post.date_origin != "front matter":
        return
    local = local_day(post.date, ctx.site.tz)
    if local == day:
        return
    written = post.date.date()
    note = (f" (it is {written.isoformat()} in the date's own offset)"
            if written == day else "")
    new_name = local.isoformat() + name[_FILENAME.match(name).end(3):]  # type: ignore[union-attr]
    fix = Fix("unsafe", f"rename to {new_name}", rename=new_name)  # not where it exists
    yield Finding("D004", line, col,
                  f"file name date {day.isoformat()} differs from the front-matter date "
                  f"{local.isoformat()} in the site's time zone{note}; Jekyll uses "
                  f"{local.isoformat()} in the URL", fix)


def date_place(post: Post) -> tuple[int, int]:
    """Where a finding about the post's date points: its date value, else line 1."""
    info = post.metadata.keys.get("date")
    if info is not None and post.date_origin == "front matter":
        return info.value_line, info.value_col
    return 1, 1


def future(rel_path: str, date: dt.datetime | None, published: bool, place: tuple[int, int],
           ctx: Context) -> Iterator[Finding]:
    """D005, judged on every run (it depends on the clock): a published post dated later."""
    if ctx.site.config.future or not published or date is None:
        return
    if ctx.site.flavour != "jekyll" or "_drafts" in rel_path.split("/")[:-1]:
        return
    if date > ctx.now:
        yield Finding("D005", place[0], place[1],
                      f"dated in the future ({local_day(date, ctx.site.tz).isoformat()}): "
                      "Jekyll does not publish it until then (future: true in _config.yml "
                      "publishes it)")
