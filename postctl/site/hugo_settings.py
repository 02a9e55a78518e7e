"""One setting of a Hugo site's configuration, read when a command needs it: the site's
``title`` for an archetype, its ``[params]`` for the preview's ``param`` shortcode. The files
are read as :mod:`postctl.site.hugo_config` reads them (every format, the config folder)."""

from __future__ import annotations

from pathlib import Path

from postctl.errors import ConfigError

__all__ = ["hugo_setting"]


def hugo_setting(root: Path, key: str) -> object:
    """The value of the top-level ``key``, in any case (None: no such setting, or no readable
    configuration)."""
    from postctl.site.hugo_config import hugo_config_data

    try:
        return hugo_config_data(root).get(key.lower())
    except ConfigError:
        return None
