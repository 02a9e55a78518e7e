"""Front-matter schema: field specs read from the ``[schema]`` table of the site config.

```toml
[schema]
strict = false                 # true: every key not declared here is reported
[schema.fields.title]
type = "string"                # string integer number boolean date datetime list url path
required = true
allowed = ["a", "b"]           # for a list: every item
pattern = "^[A-Z]"             # re.search on a string (each item of a list)
min_length = 1                 # characters of a string, items of a list
max_length = 70
severity = "error"             # default: warning
```

A site without a ``[schema]`` table gets ``DEFAULT_SCHEMA``, a Jekyll post schema.
Values are judged as Jekyll reads them: a ``date`` written ``2024-03-02 09:15:00 +0100``
is a string to PyYAML but a date to Jekyll, so types ``date``/``datetime`` accept every
form ``dates.parse_date`` reads.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from postctl.errors import ConfigError
from postctl.lint.diagnostics import SEVERITIES, Severity

FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "list", "url",
               "path")
_FIELD_KEYS = frozenset({"type", "required", "allowed", "pattern", "min_length", "max_length",
                         "severity"})
_URL = r"^(?:https?://[^\s/]+\S*|/\S*)$"  # compiled (and cached by re) for the first url field

# Keys Jekyll itself (and its common plugins) gives a meaning to: never "unknown".
JEKYLL_KEYS = frozenset({
    "layout", "permalink", "published", "date", "category", "categories", "tag", "tags",
    "slug", "title", "excerpt", "excerpt_separator", "render_with_liquid", "author", "authors",
    "image", "description", "redirect_from", "redirect_to", "sitemap", "last_modified_at",
    "lang", "seo", "comments", "toc",
})

# Keys Hugo gives a meaning to (its front-matter fields, the date keys its [frontmatter]
# settings read by default, and what its embedded templates read: images, series...). Hugo
# reads keys case-insensitively, and a key starting with _ (_build, _comment) is never unknown.
HUGO_KEYS = frozenset({
    "aliases", "build", "_build", "cascade", "date", "description", "draft", "expirydate",
    "unpublishdate", "headless", "iscjklanguage", "keywords", "lastmod", "modified", "layout",
    "linktitle", "markup", "menu", "menus", "outputs", "params", "publishdate", "pubdate",
    "published", "resources", "sitemap", "slug", "summary", "title", "translationkey", "type",
    "url", "weight", "tags", "categories", "series", "images", "videos", "audio", "author",
    "authors",
})


def hugo_key(key: str) -> bool:
    """Whether Hugo gives ``key`` a meaning (or it is private: it starts with ``_``)."""
    return key.startswith("_") or key.lower() in HUGO_KEYS


class FieldSpec(NamedTuple):
    name: str
    type: str | None = None
    required: bool = False
    allowed: tuple[Any, ...] | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    severity: Severity | None = None

    @property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern) if self.pattern is not None else None  # re caches it


class Schema(NamedTuple):
    fields: Mapping[str, FieldSpec]
    strict: bool = False
    builtin: bool = False  # the default Jekyll schema (the site declares none)
    known: frozenset[str] = frozenset()

    def known_keys(self) -> frozenset[str]:
        return JEKYLL_KEYS | frozenset(self.fields) | self.known


DEFAULT_SCHEMA = Schema(
    fields={
        "title": FieldSpec("title", "string", required=True),
        "date": FieldSpec("date", "datetime", required=True),
        "tags": FieldSpec("tags", "list"),
        "categories": FieldSpec("categories", "list"),
        "layout": FieldSpec("layout", "string"),
        "author": FieldSpec("author", "string"),
        "excerpt": FieldSpec("excerpt", "string"),
        "image": FieldSpec("image", "path"),
    },
    builtin=True,
)


def load_schema(raw: Mapping[str, Any], path: Path | None) -> Schema:
    """Validate the raw ``[schema]`` table; ConfigError names the file and the key."""
    if not raw:
        return DEFAULT_SCHEMA
    unknown = set(raw) - {"strict", "fields"}
    if unknown:
        key = sorted(unknown)[0]
        raise ConfigError(path, "unknown setting (expected strict or fields)", f"schema.{key}")
    strict = raw.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(path, f"expected true or false, got {strict!r}", "schema.strict")
    fields_raw = raw.get("fields", {})
    if not isinstance(fields_raw, dict):
        raise ConfigError(path, f"expected a table, got {fields_raw!r}", "schema.fields")
    fields = {name: _field(name, spec, path) for name, spec in fields_raw.items()}
    return Schema(fields, strict=strict)


def _field(name: str, spec: object, path: Path | None) -> FieldSpec:
    prefix = f"schema.fields.{name}"
    if not isinstance(spec, dict):
        raise ConfigError(path, f"expected a table, got {spec!r}", prefix)

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(path, message, f"{prefix}.{key}")

    for key in spec:
        if key not in _FIELD_KEYS:
            raise fail(key, "unknown setting (expected one of "
                       + ", ".join(sorted(_FIELD_KEYS)) + ")")
    kind = spec.get("type")
    if kind is not None and kind not in FIELD_TYPES:
        raise fail("type", f"expected one of {', '.join(FIELD_TYPES)}, got {kind!r}")
    required = spec.get("required", False)
    if not isinstance(required, bool):
        raise fail("required", f"expected true or false, got {required!r}")
    allowed = spec.get("allowed")
    if allowed is not None and not isinstance(allowed, list):
        raise fail("allowed", f"expected a list of values, got {allowed!r}")
    pattern = spec.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise fail("pattern", f"expected a regular expression string, got {pattern!r}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise fail("pattern", f"invalid regular expression: {exc}") from None
    lengths = {}
    for key in ("min_length", "max_length"):
        value = spec.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 0):
            raise fail(key, f"expected a non-negative integer, got {value!r}")
        lengths[key] = value
    severity = spec.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise fail("severity", f"expected 'error' or 'warning', got {severity!r}")
    return FieldSpec(name, kind, required, tuple(allowed) if allowed is not None else None,
                     pattern, lengths["min_length"], lengths["max_length"], severity)


# --- judging values -------------------------------------------------------------------


def describe(value: object) -> str:
    """How YAML typed ``value``, for messages: ``the boolean false``, ``the integer 2024``."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, dt.datetime):
        return f"the date-time {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the string {_short(value)!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_EXPECTED = {
    "string": "a string", "integer": "an integer", "number": "a number",
    "boolean": "true or false", "date": "a date", "datetime": "a date",
    "list": "a list of strings", "url": "a URL", "path": "a path",
}


def expected(kind: str) -> str:
    return _EXPECTED[kind]


def type_problem(kind: str, value: object, tz: dt.tzinfo) -> str | None:
    """Why ``value`` is not of schema type ``kind`` (None when it is)."""
    if kind in ("string", "path"):
        return None if isinstance(value, str) else _quote_hint(value)
    if kind == "url":
        if not isinstance(value, str):
            return _quote_hint(value)
        return None if re.match(_URL, value.strip()) else "is not an http(s) URL or a /path"
    if kind == "integer":
        return None if isinstance(value, int) and not isinstance(value, bool) else ""
    if kind == "number":
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    if kind == "boolean":
        return None if isinstance(value, bool) else ""
    if kind in ("date", "datetime"):
        return None if is_date(value, tz) else "is not a date Jekyll can read"
    if kind == "list":
        return _list_problem(value)
    return None


def _quote_hint(value: object) -> str:
    if isinstance(value, (bool, int, float, dt.date)):
        return "YAML reads the unquoted value that way: put it in quotes"
    return ""


def _list_problem(value: object) -> str | None:
    if isinstance(value, str):
        return None  # Jekyll splits a string into a list
    if not isinstance(value, list):
        return ""
    for index, item in enumerate(value, start=1):
        if not isinstance(item, str):
            return f"item {index} is {describe(item)}, not a string"
    return None


def is_date(value: object, tz: dt.tzinfo) -> bool:
    if isinstance(value, (dt.date, dt.datetime)):
        return True
    if not isinstance(value, str):
        return False
    from postctl.text.dates import DateError, parse_date

    try:
        parse_date(value, tz)
    except DateError:
        return False
    return True


def items(value: object) -> list[Any]:
    """The values a per-item check looks at: a list's items, or the value itself."""
    if isinstance(value, list):
        return value
    return [value]


def length(value: object) -> int | None:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return len(value)
    return None
