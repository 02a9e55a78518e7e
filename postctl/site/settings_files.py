"""Reading a settings file: TOML (``postctl.toml``, ``pyproject.toml``, Hugo's ``hugo.toml``)
or YAML (Jekyll's ``_config.yml``, Hugo's ``hugo.yaml``); one reader for each, whose errors
name the file. Each reader is imported only when such a file is read (every command reads
the configuration first)."""

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


def read_yaml_settings(path: Path, loader: type[Any]) -> dict[str, Any]:
    """The YAML file at ``path`` as a mapping of settings (empty when it holds nothing),
    its scalars typed by ``loader``; ConfigError naming the file (and line) otherwise."""
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=loader)
    except (OSError, UnicodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None)
        detail = f": {problem}" if isinstance(problem, str) else ""
        where = f" (line {mark.line + 1})" if mark else ""
        raise ConfigError(path, f"invalid YAML{detail}{where}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(path, "must be a mapping of settings")
    return data
