"""What a post's front matter says: its values, and where each top-level key stands.

Loaded by :func:`postctl.text.front_matter.load_front_matter`, from YAML
(:mod:`postctl.text.yaml_metadata`), TOML or JSON (:mod:`postctl.text.toml_json`).
The records are NamedTuples: every command that reads a post defines them at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from postctl.errors import SourceError

MAX_DEPTH = 32  # levels of nesting front matter may have (the outer mapping is one)


class KeyInfo(NamedTuple):
    """Where a top-level key and its value stand in the file (1-based lines/cols)."""

    line: int
    col: int
    value_line: int
    value_col: int
    end_line: int
    value_text: str
    style: str | None = None  # YAML scalar style of the value ('"', "'", '|', '>', or None)


class Duplicate(NamedTuple):
    key: str
    first_line: int
    line: int


class Metadata(NamedTuple):
    values: dict[str, Any]
    keys: dict[str, KeyInfo]
    duplicates: tuple[Duplicate, ...] = ()
    comments: tuple[tuple[int, str], ...] = ()

    @classmethod
    def empty(cls) -> Metadata:
        return cls({}, {})


def too_deep(path: Path, line_offset: int) -> SourceError:
    """The error of front matter nesting deeper than MAX_DEPTH."""
    return SourceError(path, f"front matter nests deeper than {MAX_DEPTH} levels", line_offset, 1,
                       code="E007")
