"""A post's path as a person at the terminal sees it: relative to the working folder (what
terminals and editors open), computed once per site root where the working folder is the
root or above it, since a listing shows thousands of them."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["path_from_cwd"]


def path_from_cwd(root: Path, rel: str, cwd: Path) -> str:
    """A site-root-relative path as seen from ``cwd`` (what terminals and editors open)."""
    prefix = _root_from(root, cwd)
    if prefix is None:
        try:
            return os.path.relpath(root / rel, cwd).replace(os.sep, "/")
        except ValueError:  # pragma: no cover - another drive on Windows
            return (root / rel).as_posix()
    return rel if prefix == "." else f"{prefix}/{rel}"


_ROOTS: dict[tuple[Path, Path], str | None] = {}


def _root_from(root: Path, cwd: Path) -> str | None:
    """The site root relative to ``cwd`` when ``cwd`` is the root or above it (a post path is
    then simply appended), else None (each path goes through os.path.relpath)."""
    if (root, cwd) not in _ROOTS:
        inside = root == cwd or root.is_relative_to(cwd)
        _ROOTS[(root, cwd)] = os.path.relpath(root, cwd).replace(os.sep, "/") if inside else None
    return _ROOTS[(root, cwd)]
