"""One setting of a Hugo site's TOML configuration (``hugo.toml`` or ``config.toml``), read
when a command needs it: the site's ``title`` for an archetype, its ``[params]`` for the
preview's ``param`` shortcode."""

from __future__ import annotations

from pathlib import Path

from postctl.errors import ConfigError
from postctl.site.config import HUGO_CONFIGS, read_toml

__all__ = ["hugo_setting"]


def hugo_setting(root: Path, key: str) -> object:
    """The value of the top-level ``key`` (None: no such setting, or no readable file)."""
    for name in HUGO_CONFIGS:
        path = root / name
        if path.is_file():
            try:
                return read_toml(path).get(key)
            except ConfigError:
                return None
    return None
