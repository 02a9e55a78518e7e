"""Hugo's site configuration, read as Hugo reads it.

Where: ``hugo.toml``, ``hugo.yaml``, ``hugo.yml`` or ``hugo.json`` at the root (the older
``config.*`` names when there is no ``hugo.*``), merged with the folder
``config/_default/``: its ``hugo.*``/``config.*`` file, and files named after a top-level
key (``permalinks.toml``, ``languages.yaml``, ``params.json``...) that hold that key's
value. The root file wins over the folder. Keys are case-insensitive, as in Hugo.

What postctl reads of it: ``contentDir`` (and each language's ``contentDir``, with the
language in the URL of its pages unless it is the default language and
``defaultContentLanguageInSubdir`` is off), ``permalinks`` (by section, or under
``page``/``section``), ``disablePathToLower``, ``uglyURLs``, ``[frontmatter]`` (which
front-matter keys, or ``:filename``, give ``date``, ``publishDate``, ``lastmod`` and
``expiryDate``), ``timeZone`` and ``baseURL``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from postctl.errors import ConfigError

CONFIG_NAMES = ("hugo", "config")
CONFIG_EXTENSIONS = (".toml", ".yaml", ".yml", ".json")
ROOT_CONFIGS = tuple(name + ext for name in CONFIG_NAMES for ext in CONFIG_EXTENSIONS)
CONFIG_FOLDER = ("config", "_default")

# Hugo's defaults (config/pagemeta: the date handlers): front-matter keys, lower case.
DEFAULT_DATES: dict[str, tuple[str, ...]] = {
    "date": ("date", "publishdate", "pubdate", "published", "lastmod", "modified"),
    "publishdate": ("publishdate", "pubdate", "published", "date"),
    "lastmod": ("lastmod", "modified", "date", "publishdate", "pubdate", "published"),
    "expirydate": ("expirydate", "unpublishdate"),
}


class HugoLanguage(NamedTuple):
    name: str
    content_dir: str
    prefix: str  # the URL prefix of its pages: "" or "/fr"


class HugoSettings(NamedTuple):
    """What postctl reads of a Hugo site's configuration."""

    path: Path | None  # the file the settings came from (for messages)
    content_dirs: tuple[HugoLanguage, ...]
    permalinks: tuple[tuple[str, str, str], ...] = ()  # (kind, section, pattern)
    disable_path_to_lower: bool = False
    ugly_urls: bool = False
    dates: tuple[tuple[str, tuple[str, ...]], ...] = tuple(DEFAULT_DATES.items())
    timezone: str | None = None
    base_path: str = "/"  # the path of baseURL
    # Every language, (name, URL prefix), when there are several: a page of any content
    # folder may name its language in its file name (about.fr.md).
    languages: tuple[tuple[str, str], ...] = ()
    language: str | None = None  # the site's language: languageCode, else the default one


def hugo_config_files(root: Path) -> list[Path]:
    """The files Hugo reads its configuration from, in increasing precedence."""
    found: list[Path] = []
    folder = root.joinpath(*CONFIG_FOLDER)
    if folder.is_dir():
        named = [path for path in sorted(folder.iterdir())
                 if path.suffix in CONFIG_EXTENSIONS and path.is_file()]
        found += [path for path in named if path.stem not in CONFIG_NAMES]
        found += [path for path in named if path.stem in CONFIG_NAMES]
    for name in ROOT_CONFIGS:
        # An older config.* counts beside a content folder (many tools have a config.toml).
        if (root / name).is_file() and (name.startswith("hugo.") or found
                                         or (root / "content").is_dir()):
            found.append(root / name)
            break
    return found


def read_hugo_config(root: Path) -> HugoSettings | None:
    """The site's Hugo settings, or None when it has no Hugo configuration."""
    files = hugo_config_files(root)
    return None if not files else _settings(files[-1], hugo_config_data(root, files))


def hugo_config_data(root: Path, files: list[Path] | None = None) -> dict[str, Any]:
    """Every setting of the site's Hugo configuration files, merged as Hugo merges them,
    keys in lower case as Hugo reads them (empty: no Hugo configuration)."""
    merged: dict[str, Any] = {}
    for path in hugo_config_files(root) if files is None else files:
        data = _lower_keys(_read(path))
        if path.parent != root and path.stem not in CONFIG_NAMES:
            data = {path.stem.split(".")[0].lower(): data}
        _merge(merged, data)
    return merged


def _read(path: Path) -> dict[str, Any]:
    from postctl.site import settings_files

    if path.suffix == ".toml":
        return settings_files.read_toml(path)
    if path.suffix in (".yaml", ".yml"):
        from postctl.text.scalars import HugoLoader

        return settings_files.read_yaml_settings(path, HugoLoader)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise ConfigError(path, f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(path, "must be a mapping of settings")
    return data


def _lower_keys(data: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): (_lower_keys(value) if isinstance(value, Mapping) else value)
            for key, value in data.items()}


def _merge(into: dict[str, Any], data: Mapping[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _settings(path: Path, data: dict[str, Any]) -> HugoSettings:
    def text(value: object, key: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ConfigError(path, f"expected a string, got {value!r}", key)
        return value

    content_dir = (text(data.get("contentdir"), "contentDir") or "content").strip("/")
    return HugoSettings(
        path=path,
        content_dirs=_languages(path, data, content_dir),
        permalinks=_permalinks(path, data.get("permalinks")),
        disable_path_to_lower=data.get("disablepathtolower") is True,
        ugly_urls=data.get("uglyurls") is True,
        dates=_dates(path, data.get("frontmatter")),
        timezone=text(data.get("timezone"), "timeZone") or None,
        base_path=_base_path(text(data.get("baseurl"), "baseURL")),
        languages=_all_languages(data),
        language=(text(data.get("languagecode"), "languageCode")
                  or text(data.get("defaultcontentlanguage"), "defaultContentLanguage")),
    )


def _languages(path: Path, data: Mapping[str, Any], content_dir: str,
               ) -> tuple[HugoLanguage, ...]:
    default = str(data.get("defaultcontentlanguage") or "en").lower()
    in_subdir = data.get("defaultcontentlanguageinsubdir") is True
    languages = data.get("languages")
    if not isinstance(languages, dict) or not languages:
        return (HugoLanguage(default, content_dir, f"/{default}" if in_subdir else ""),)
    found: dict[str, HugoLanguage] = {}
    for name, settings in sorted(languages.items(), key=lambda item: item[0] != default):
        if not isinstance(settings, dict) or settings.get("disabled") is True:
            continue
        folder = settings.get("contentdir", content_dir)
        if not isinstance(folder, str):
            raise ConfigError(path, f"expected a string, got {folder!r}",
                              f"languages.{name}.contentDir")
        prefix = "" if name == default and not in_subdir else f"/{name}"
        folder = folder.strip("/")
        if folder not in found:  # languages sharing a folder: the first (default) names it
            found[folder] = HugoLanguage(name, folder, prefix)
    return tuple(found.values()) or (HugoLanguage(default, content_dir, ""),)


def _all_languages(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    languages = data.get("languages")
    if not isinstance(languages, dict) or len(languages) < 2:
        return ()
    default = str(data.get("defaultcontentlanguage") or "en").lower()
    in_subdir = data.get("defaultcontentlanguageinsubdir") is True
    return tuple((name, "" if name == default and not in_subdir else f"/{name}")
                 for name, settings in languages.items()
                 if isinstance(settings, dict) and settings.get("disabled") is not True)


def _permalinks(path: Path, raw: object) -> tuple[tuple[str, str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ConfigError(path, f"expected a table, got {raw!r}", "permalinks")
    found: list[tuple[str, str, str]] = []
    for key, value in raw.items():
        if isinstance(value, str):
            found.append(("page", key, value))
        elif isinstance(value, dict) and key in ("page", "section", "term", "taxonomy"):
            found += [(key, section, pattern) for section, pattern in value.items()
                      if isinstance(pattern, str)]
        else:
            raise ConfigError(path, f"expected a pattern, got {value!r}", f"permalinks.{key}")
    return tuple(found)


def _dates(path: Path, raw: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if raw is None:
        return tuple(DEFAULT_DATES.items())
    if not isinstance(raw, dict):
        raise ConfigError(path, f"expected a table, got {raw!r}", "frontmatter")
    found = dict(DEFAULT_DATES)
    for name in DEFAULT_DATES:
        value = raw.get(name)
        if value is None:
            continue
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ConfigError(path, f"expected a list of keys, got {value!r}",
                              f"frontmatter.{name}")
        keys: list[str] = []
        for item in items:
            keys += DEFAULT_DATES[name] if item.lower() == ":default" else [item.lower()]
        found[name] = tuple(dict.fromkeys(keys))
    return tuple(found.items())


def _base_path(base_url: str | None) -> str:
    if not base_url:
        return "/"
    from urllib.parse import urlsplit

    path = urlsplit(base_url).path.strip("/")
    return f"/{path}/" if path else "/"
