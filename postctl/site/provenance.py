"""Where each setting of a site comes from, for ``postctl config``.

The values are the effective ones (:func:`postctl.site.config.load_config` decides them, in
one place); this module only says which file set each: ``postctl.toml`` (or
``[tool.postctl]`` in ``pyproject.toml``), Jekyll's ``_config.yml``, Hugo's config, the
command line, or postctl's default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from postctl.site import config as site_config
from postctl.site.hugo_config import hugo_config_data, hugo_config_files
from postctl.site.model import Site

DEFAULT = "default"


@dataclass(frozen=True)
class Setting:
    key: str  # as written in postctl.toml (dotted for a table's key)
    value: Any  # JSON-ready
    source: str  # a file name, "--root", "POSTCTL_ROOT", "found from FOLDER" or "default"


def settings(site: Site, root_source: str) -> list[Setting]:
    """Every setting of ``site`` with its value and where it came from; ``root_source``
    says how the root was chosen."""
    root = site.root
    config = site.config
    own_path, own = site_config.own_config(root)
    jekyll = site_config.jekyll_config(root) or {}
    hugo_files = hugo_config_files(root)
    hugo_path = hugo_files[-1] if hugo_files else None
    hugo = hugo_config_data(root, hugo_files)  # its keys in lower case, as Hugo reads them
    own_name = (None if own_path is None else own_path.name if own_path.name ==
                site_config.POSTCTL_TOML else f"[tool.postctl] in {own_path.name}")
    hugo_name = hugo_path.name if hugo_path is not None else None

    def source(own_key: str | None = None, jekyll_key: str | None = None,
               hugo_key: str | None = None, fallback: str = DEFAULT) -> str:
        if own_key and own_name and _has(own, own_key):
            return own_name
        if jekyll_key and jekyll_key in jekyll:
            return site_config.JEKYLL_CONFIG
        if hugo_key and hugo_name and hugo_key.lower() in hugo:
            return hugo_name
        return fallback

    detected = (site_config.JEKYLL_CONFIG if jekyll else hugo_name) or "detected"
    found: list[Setting] = [
        Setting("root", str(root), root_source),
        Setting("config_file", str(own_path) if own_path else None,
                own_name or "no postctl.toml, no [tool.postctl]"),
        Setting("flavour", site.flavour, source("flavour", fallback=detected)),
        Setting("timezone", config.timezone or f"{site.tz} (this machine)",
                source("timezone", "timezone", "timeZone")),
        _folders("posts", [site.relative(f.path) for f in site.folders if not f.drafts],
                 source("posts", fallback="found in the site")),
        _folders("drafts", [site.relative(f.path) for f in site.folders if f.drafts],
                 source("drafts", fallback="found in the site")),
        Setting("exclude", list(config.exclude), _merged(
            [DEFAULT] + ([site_config.JEKYLL_CONFIG] if "exclude" in jekyll else [])
            + ([own_name] if own_name and "exclude" in own else []))),
        Setting("include", list(config.include), source(jekyll_key="include")),
        Setting("future", config.future, source(jekyll_key="future")),
        Setting("permalink", config.permalink, source(jekyll_key="permalink")),
        Setting("content_dir", config.content_dir, source(hugo_key="contentDir")),
    ]
    for table, values in (("new", config.new._asdict()), ("slug", config.slug._asdict()),
                          ("limits", dataclasses.asdict(config.limits))):
        for key, value in values.items():
            shown = list(value) if isinstance(value, tuple) else value
            found.append(Setting(f"{table}.{key}", shown, source(f"{table}.{key}")))
    schema_fields = config.schema.get("fields", {}) if config.schema else {}
    found.append(Setting(
        "schema", sorted(schema_fields) if config.schema else "built-in Jekyll post schema",
        source("schema")))
    for table in ("lint", "search"):
        values = getattr(config, table)
        for key, value in sorted(values.items()):
            found.append(Setting(f"{table}.{key}", value, source(f"{table}.{key}")))
    if jekyll.get("defaults"):
        found.append(Setting("jekyll_defaults", len(config.jekyll_defaults),
                             site_config.JEKYLL_CONFIG))
    return found


def _folders(key: str, found: list[str], source: str) -> Setting:
    return Setting(key, found or None, source if found or source != "found in the site"
                   else "none found in the site")


def _has(data: Mapping[str, Any], dotted: str) -> bool:
    current: Any = data
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return False
        current = current[part]
    return True


def _merged(sources: list[str]) -> str:
    return " + ".join(sources)
