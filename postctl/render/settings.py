"""``postctl config`` drawn: one line per setting (key, value, source), aligned by display
width; or a JSON list of ``{key, value, source}``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.text.jsonvalues import json_dumps
from postctl.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from postctl.render.output import Output
    from postctl.site.provenance import Setting


def write_settings(found: list[Setting], as_json: bool, out: Output) -> None:
    if as_json:
        out.data(json_dumps([{"key": s.key, "value": s.value, "source": s.source}
                             for s in found], indent=2))
        return
    out.data("\n".join(settings_lines(found)))


def settings_lines(found: list[Setting]) -> list[str]:
    """``key  value  (source)``, the values starting in one column."""
    from rich.cells import cell_len

    width = max(cell_len(s.key) for s in found)
    return [f"{s.key}{' ' * (width - cell_len(s.key))}  {value_text(s.value)}  "
            f"({sanitize_line(s.source)})" for s in found]


def value_text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item) for item in value) or "[]"
    return sanitize_line(str(value))
