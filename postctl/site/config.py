"""Site configuration: ``postctl.toml`` (or ``[tool.postctl]`` in ``pyproject.toml``),
plus what Jekyll's ``_config.yml`` or Hugo's config already says.

Every validation error names the file and the key.

Every command reads the configuration first, so this module is cheap to import: the records
are NamedTuples (a frozen dataclass costs far more to define), and the TOML reader is
imported only when there is a TOML file to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from postctl.errors import ConfigError
from postctl.site.hugo_config import HugoSettings, read_hugo_config
from postctl.site.settings_files import read_toml

POSTCTL_TOML = "postctl.toml"
PYPROJECT = "pyproject.toml"
JEKYLL_CONFIG = "_config.yml"
HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml")
DEFAULT_EXCLUDES = ("_site", "vendor", "node_modules", "public", "resources")


class NewPostConfig(NamedTuple):
    """Defaults for ``postctl new``; None means "follow the site's existing posts"."""

    author: str | None = None
    layout: str | None = None
    keys: tuple[str, ...] | None = None
    template: str | None = None
    date_format: str | None = None
    extension: str = ".md"
    section: str = "posts"
    list_style: str | None = None  # "flow" or "block"


class SlugConfig(NamedTuple):
    max_length: int = 80
    allow_unicode: bool | None = None  # None: as the site's post file names do


@dataclass(frozen=True)  # a class whose attributes are the defaults other modules use
class Limits:
    max_file_bytes: int = 10 * 1024 * 1024
    max_front_matter_bytes: int = 256 * 1024


class Config(NamedTuple):
    """Everything postctl knows about a site's settings."""

    path: Path | None = None  # the postctl config file, if any
    flavour: str | None = None  # "jekyll" | "hugo" | None (detect)
    timezone: str | None = None
    posts_dirs: tuple[str, ...] | None = None  # folders holding posts, relative to the root
    drafts_dirs: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    include: tuple[str, ...] = ()  # Jekyll's include: paths that exclude does not skip
    future: bool = False
    permalink: str | None = None
    content_dir: str = "content"
    hugo: HugoSettings | None = None  # a Hugo site's own configuration
    jekyll_defaults: tuple[tuple[str, str | None, dict[str, Any]], ...] = ()  # (path, type, values)
    new: NewPostConfig = NewPostConfig()
    slug: SlugConfig = SlugConfig()
    limits: Limits = Limits()
    lint: Mapping[str, Any] = MappingProxyType({})  # read-only: the default is shared
    schema: Mapping[str, Any] = MappingProxyType({})
    search: Mapping[str, Any] = MappingProxyType({})
    lang: str | None = None  # the site's language: _config.yml lang, Hugo languageCode


def load_config(root: Path) -> Config:
    """Read the site's configuration files under ``root``."""
    own_path, own = own_config(root)
    jekyll = jekyll_config(root)
    hugo = read_hugo_config(root)
    return _build(root, own_path, own, jekyll, hugo)


def own_config(root: Path) -> tuple[Path | None, dict[str, Any]]:
    own = root / POSTCTL_TOML
    if own.is_file():
        return own, read_toml(own)
    pyproject = root / PYPROJECT
    if pyproject.is_file():
        tool = read_toml(pyproject).get("tool")
        table = tool.get("postctl") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return pyproject, table
    return None, {}


def jekyll_config(root: Path) -> dict[str, Any] | None:
    """Jekyll's ``_config.yml`` as a mapping, or None when the site has none."""
    path = root / JEKYLL_CONFIG
    if not path.is_file():
        return None
    from postctl.site.settings_files import read_yaml_settings
    from postctl.text.scalars import PostLoader

    return read_yaml_settings(path, PostLoader)


def _jekyll_names(root: Path, jekyll: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """Jekyll's ``exclude`` or ``include``: a list of names (a single string is one name)."""
    raw = jekyll.get(key)
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if not isinstance(raw, list):
        raise ConfigError(root / JEKYLL_CONFIG, f"expected a list of names, got {raw!r}", key)
    return tuple(item for item in raw if isinstance(item, str))


def _build(
    root: Path,
    path: Path | None,
    own: dict[str, Any],
    jekyll: dict[str, Any] | None,
    hugo: HugoSettings | None,
) -> Config:
    check = _Checker(path)
    jekyll = jekyll or {}
    flavour = check.choice(own, "flavour", ("jekyll", "hugo"))
    if flavour is None:
        flavour = "hugo" if hugo is not None and not jekyll else ("jekyll" if jekyll else None)
    # (value, file it came from, key there): the error must name the file that set it.
    timezones = [
        (check.string(own, "timezone") or None, path, "timezone"),
        (_string(jekyll.get("timezone")), root / JEKYLL_CONFIG, "timezone"),
        (hugo.timezone if hugo else None, hugo.path if hugo else None, "timeZone"),
        # Hugo reads a date without an offset in UTC unless timeZone says otherwise.
        ("UTC" if hugo is not None and flavour == "hugo" else None, None, "timeZone"),
    ]
    timezone, timezone_file, timezone_key = next(
        (found for found in timezones if found[0] is not None), (None, None, "timezone")
    )
    if timezone is not None:
        from postctl.text.dates import DateError, zone

        try:
            zone(timezone)
        except DateError as exc:
            raise ConfigError(timezone_file, str(exc), timezone_key) from None
    excludes = _jekyll_names(root, jekyll, "exclude")
    return Config(
        path=path,
        flavour=flavour,
        timezone=timezone,
        posts_dirs=check.strings(own, "posts"),
        drafts_dirs=check.strings(own, "drafts"),
        exclude=DEFAULT_EXCLUDES + excludes + (check.strings(own, "exclude") or ()),
        include=_jekyll_names(root, jekyll, "include"),
        future=bool(jekyll.get("future", False)),
        permalink=_string(jekyll.get("permalink")),
        content_dir=hugo.content_dirs[0].content_dir if hugo else "content",
        hugo=hugo,
        jekyll_defaults=_jekyll_defaults(jekyll.get("defaults")),
        new=_new_config(check, check.table(own, "new")),
        slug=SlugConfig(
            max_length=check.integer(check.table(own, "slug"), "max_length", 80, "slug."),
            allow_unicode=check.optional_boolean(check.table(own, "slug"), "allow_unicode",
                                                 "slug."),
        ),
        limits=Limits(
            max_file_bytes=check.integer(check.table(own, "limits"), "max_file_bytes",
                                         Limits.max_file_bytes, "limits."),
            max_front_matter_bytes=check.integer(check.table(own, "limits"),
                                                 "max_front_matter_bytes",
                                                 Limits.max_front_matter_bytes, "limits."),
        ),
        lint=check.table(own, "lint"),
        schema=check.table(own, "schema"),
        search=check.table(own, "search"),
        lang=_string(jekyll.get("lang")) or (hugo.language if hugo else None),
    )


def _new_config(check: _Checker, table: dict[str, Any]) -> NewPostConfig:
    keys = check.strings(table, "keys", "new.")
    extension = check.string(table, "extension", "new.") or ".md"
    if not extension.startswith("."):
        extension = "." + extension
    if extension not in (".md", ".markdown"):
        raise ConfigError(check.path, "must be .md or .markdown", "new.extension")
    return NewPostConfig(
        author=check.string(table, "author", "new."),
        layout=check.string(table, "layout", "new."),
        keys=keys,
        template=check.string(table, "template", "new."),
        date_format=check.string(table, "date_format", "new."),
        extension=extension,
        section=check.string(table, "section", "new.") or "posts",
        list_style=check.choice(table, "list_style", ("flow", "block"), "new."),
    )


def _jekyll_defaults(raw: object) -> tuple[tuple[str, str | None, dict[str, Any]], ...]:
    if not isinstance(raw, list):
        return ()
    found = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry["scope"] if isinstance(entry.get("scope"), dict) else {}
        found.append((str(scope.get("path") or ""), _string(scope.get("type")), entry["values"]))
    return tuple(found)


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class _Checker:
    """Typed reads of config values; a wrong type is a ConfigError naming the key."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def _fail(self, key: str, expected: str, value: object) -> ConfigError:
        return ConfigError(self.path, f"expected {expected}, got {value!r}", key)

    def table(self, data: Mapping[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "a table", value)
        return value

    def string(self, data: Mapping[str, Any], key: str, prefix: str = "") -> str | None:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise self._fail(prefix + key, "a string", value)
        return value

    def strings(
        self, data: Mapping[str, Any], key: str, prefix: str = ""
    ) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(prefix + key, "a list of strings", value)
        return tuple(value)

    def integer(self, data: Mapping[str, Any], key: str, default: int, prefix: str = "") -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self._fail(prefix + key, "a positive integer", value)
        return value

    def boolean(self, data: Mapping[str, Any], key: str, default: bool, prefix: str = "") -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(prefix + key, "true or false", value)
        return value

    def optional_boolean(self, data: Mapping[str, Any], key: str, prefix: str = "",
                         ) -> bool | None:
        if data.get(key) is None:
            return None
        return self.boolean(data, key, False, prefix)

    def choice(
        self, data: Mapping[str, Any], key: str, choices: tuple[str, ...], prefix: str = ""
    ) -> str | None:
        value = data.get(key)
        if value is not None and value not in choices:
            raise self._fail(prefix + key, " or ".join(map(repr, choices)), value)
        return value
