"""``index`` output: the index's facts as ``key:  value`` lines, or one JSON object."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from postctl.render import OutputFormat
from postctl.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from postctl.render.output import Output

__all__ = ["human_size", "write_status"]


def write_status(facts: Mapping[str, Any], fmt: OutputFormat | None, out: Output) -> None:
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        from postctl.text.jsonvalues import json_dumps

        out.data(json_dumps(facts))
        return
    for key, value in facts.items():
        shown = human_size(value) if key == "size" and isinstance(value, int) else value
        out.data(sanitize_line(f"{key + ':':<10} {'' if shown is None else shown}"))


def human_size(size: int) -> str:
    """``512 B``, ``88.5 KiB``, ``1.2 MiB``, ``3.0 GiB``."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
