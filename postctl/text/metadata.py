"""What a post's front matter says: its values, and where each top-level key stands.

Loaded by :func:`postctl.text.front_matter.load_front_matter`, from YAML
(:mod:`postctl.text.yaml_metadata`), TOML or JSON (:mod:`postctl.text.toml_json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postctl.errors import SourceError

MAX_DEPTH = 32  # levels of nesting front matter may have (the outer mapping is one)


@dataclass(frozen=True)
class KeyInfo:
    """Where a top-level key and its value stand in the file (1-based lines/cols)."""

    line: int
    col: int
    value_line: int
    value_col: int
    end_line: int
    value_text: str
    style: str | None = None  # YAML scalar style of the value ('"', "'", '|', '>', or None)


@dataclass(frozen=True)
class Duplicate:
    key: str
    first_line: int
    line: int


@dataclass(frozen=True)
class Metadata:
    values: dict[str, Any]
    keys: dict[str, KeyInfo]
    duplicates: tuple[Duplicate, ...] = ()
    comments: tuple[tuple[int, str], ...] = field(default=())

    @classmethod
    def empty(cls) -> Metadata:
        return cls({}, {})


def too_deep(path: Path, line_offset: int) -> SourceError:
    """The error of front matter nesting deeper than MAX_DEPTH."""
    return SourceError(path, f"front matter nests deeper than {MAX_DEPTH} levels", line_offset, 1,
                       code="E007")
