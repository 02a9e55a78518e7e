"""Where postctl keeps what it knows about a site outside the site: the cache folder.

Each site gets a name there from its resolved root, shared by the site index
(``site-<hash>.sqlite``) and the journal of changes (``journal/site-<hash>/``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_ENV = "POSTCTL_CACHE_DIR"


def cache_dir() -> Path:
    """``$POSTCTL_CACHE_DIR`` if set, else the per-user cache folder of the platform."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    if sys.platform.startswith("linux"):  # platformdirs' answer here, without its import
        base = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(base if base else os.path.expanduser("~/.cache")) / "postctl"
    import platformdirs

    return Path(platformdirs.user_cache_dir("postctl", appauthor=False))


def site_key(root: Path) -> str:
    """``site-`` and a 64-bit hash of the resolved root: one name per site in the cache."""
    import zlib

    name = str(root.resolve()).encode("utf-8", "surrogateescape")
    return f"site-{zlib.crc32(name):08x}{zlib.adler32(name):08x}"


def journal_dir(root: Path) -> Path:
    """The folder of the site's recorded changes (see :mod:`postctl.edit.journal`)."""
    return cache_dir() / "journal" / site_key(root)
