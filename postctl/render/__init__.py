"""Rendering: library results to text. rich is imported only inside the functions that use it."""

from __future__ import annotations

import enum

__all__ = ["OutputFormat"]


class OutputFormat(str, enum.Enum):
    """Output formats of the commands that list data (``--format``)."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    paths = "paths"
