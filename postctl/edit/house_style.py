"""What ``postctl new`` would write, for commands that change a post's date or add a key:
the site's date style, its key order and its list style (postctl.post.conventions, with the
config's ``[new]`` settings first, as postctl.edit.scaffold reads them), and a date written
in that style with an explicit offset, in YAML, TOML or JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from postctl.edit.keys import place
from postctl.edit.scaffold import date_from_option, site_conventions, written_date
from postctl.site.model import Site
from postctl.text import emit
from postctl.text.toml_json import read_toml_value

__all__ = ["HouseStyle", "Written", "house_style"]


@dataclass(frozen=True)
class Written:
    """A value's text in the front matter's language, and the value it reads back as."""

    text: str
    value: object


@dataclass(frozen=True)
class HouseStyle:
    site: Site
    date_format: str
    keys: tuple[str, ...]
    list_style: str  # "flow" | "block"

    def before(self, key: str, present: Iterable[str]) -> str | None:
        """The key of ``present`` (a post's keys) that a new ``key`` goes before, where
        ``new`` would put it (None: last)."""
        return place(key, list(present), self.keys)

    def moment(self, given: str | None, now: dt.datetime) -> dt.datetime:
        """``--date`` (read in the site's zone) or ``now``, in the site's zone, cut to the
        precision the date style writes."""
        value = date_from_option(given, self.site.tz) if given else now
        return written_date(value, self.site, self.date_format)

    def date(self, kind: str, value: dt.datetime, old: str = "") -> Written:
        """``value`` written in the date style; a quoted ``old`` date stays quoted alike."""
        text = emit.format_datetime(value, self.date_format)
        if kind == "json":
            return Written(json.dumps(text), text)
        if kind == "toml":
            return _toml_date(text, value, old)
        if old[:1] == "'" and (quoted := emit.single_quoted(text)) is not None:
            return Written(quoted, text)
        if old[:1] in ("'", '"'):
            return Written(emit.double_quoted(text), text)
        written = emit.datetime_scalar(value, self.date_format)
        return Written(written, _yaml_value(written))


def house_style(site: Site) -> HouseStyle:
    """The site's style, from ``[new]`` in the config, else its recent posts' habits."""
    conventions = site_conventions(site)
    config = site.config.new
    keys = tuple(dict.fromkeys([*(config.keys or ()), *conventions.keys]))
    return HouseStyle(site, config.date_format or conventions.date_format, keys,
                      config.list_style or conventions.list_style)


def _toml_date(text: str, value: dt.datetime, old: str) -> Written:
    """A TOML date: bare where the style's text is a TOML date-time (else RFC 3339); a
    string where the date it replaces was one."""
    if old[:1] in ("'", '"'):
        quoted = f"'{text}'" if old[:1] == "'" else json.dumps(text)
        return Written(quoted, text)
    try:
        read = read_toml_value(text)
    except ValueError:
        read = None
    if isinstance(read, dt.datetime) and read == value:
        return Written(text, read)
    bare = emit.format_datetime(value, "%Y-%m-%dT%H:%M:%S%:z")
    return Written(bare, read_toml_value(bare))


def _yaml_value(text: str) -> object:
    import yaml

    from postctl.text.scalars import PostLoader

    return yaml.load(f"v: {text}\n", Loader=PostLoader)["v"]
