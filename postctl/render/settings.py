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
    width = out.console().width if out.is_terminal(out.stdout) else None
    out.data("\n".join(settings_lines(found, width)))


def settings_lines(found: list[Setting], width: int | None = None) -> list[str]:
    """``key  value  (source)``, the values starting in one column; on a terminal of
    ``width`` columns, a setting that does not fit takes two or more lines: the key and its
    source, then the value wrapped under it."""
    import textwrap

    from rich.cells import cell_len

    column = max(cell_len(s.key) for s in found)
    lines = []
    for s in found:
        value, source = value_text(s.value), f"({sanitize_line(s.source)})"
        line = f"{s.key}{' ' * (column - cell_len(s.key))}  {value}  {source}"
        if width is None or cell_len(line) <= width:
            lines.append(line)
            continue
        lines.append(f"{s.key}  {source}")
        lines += textwrap.wrap(value, width=max(width - 4, 20), initial_indent="    ",
                               subsequent_indent="    ", break_on_hyphens=False)
    return lines


def value_text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item) for item in value) or "[]"
    return sanitize_line(str(value))
