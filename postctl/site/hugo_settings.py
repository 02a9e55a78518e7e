"""One setting of a Hugo site's configuration, read when a command needs it: the site's
``title`` for an archetype, its ``[params]`` for the preview's ``param`` shortcode. The files
are read as :mod:`postctl.site.hugo_config` reads them (every format, the config folder)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from postctl.errors import ConfigError

__all__ = ["hugo_setting"]


def hugo_setting(root: Path, key: str) -> object:
    """The value of the top-level ``key``, in any case (None: no such setting, or no readable
    configuration)."""
    from postctl.site.hugo_config import hugo_config_files

    try:
        files = hugo_config_files(root)
        stamps = tuple((path, path.stat().st_mtime_ns) for path in files)
        return _settings(root, stamps).get(key.lower())
    except (ConfigError, OSError):
        return None


@functools.lru_cache(maxsize=2)
def _settings(root: Path, stamps: tuple[tuple[Path, int], ...]) -> dict[str, Any]:
    """The site's merged settings, read again only when one of its files changed (a
    preview asks once per ``param``); only ever read, never changed."""
    from postctl.site.hugo_config import hugo_config_data

    return hugo_config_data(root, [path for path, _ in stamps])
