"""Reading a TOML settings file (``postctl.toml``, ``pyproject.toml``, Hugo's ``hugo.toml``):
one reader, whose errors name the file. The TOML reader is imported only when a TOML file
is read (every command reads the configuration first)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from postctl.errors import ConfigError


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML file at ``path``; ConfigError naming it when it cannot be read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from None


def parse_toml(text: str, path: Path | None = None) -> dict[str, Any]:
    """TOML text read as :func:`read_toml` reads a file (``path`` names it in errors)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from None
