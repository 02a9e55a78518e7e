"""``postctl stats`` drawn: a few lines of figures, posts per period as a bar chart, and the
most used tags and authors as bars, fitted to the width (the terminal's, 80 in a pipe);
or the figures as JSON.

Names and titles come from posts: each passes the sanitiser and is padded and cut by
display width (a CJK character or an emoji takes two columns), so the bars line up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.text.jsonvalues import json_dumps
from postctl.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from postctl.catalog.stats import Landmark, SiteStats
    from postctl.render.output import Output

PIPE_WIDTH = 80
MIN_WIDTH = 40
MAX_BAR = 60  # columns: longer bars say no more
_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"


def write_stats(stats: SiteStats, as_json: bool, out: Output) -> None:
    """The figures on stdout: text fitted to the width, or one JSON object."""
    if as_json:
        out.data(json_dumps(stats.as_json()))
        return
    terminal = out.is_terminal(out.stdout)
    width = out.console().width if terminal else (out.width or PIPE_WIDTH)
    out.data("\n".join(stats_lines(stats, max(width, MIN_WIDTH))))


def stats_lines(stats: SiteStats, width: int) -> list[str]:
    """The text of ``stats`` in lines at most ``width`` columns wide."""
    lines = _summary(stats, width)
    if stats.periods:
        lines += ["", f"Posts per {stats.period}"]
        lines += bars([(name, count) for name, count in stats.periods], width)
    for title, names in (("Top tags", stats.tags), ("Top authors", stats.authors)):
        if names:
            lines += ["", title]
            lines += bars(names, width, label_share=0.4)
    return lines


def _summary(stats: SiteStats, width: int) -> list[str]:
    posts = _counted(stats.posts, "post")
    extra = [_counted(stats.drafts, "draft")]
    if stats.undated:
        extra.append(f"{stats.undated:,} undated")
    lines = [_row("Posts", ", ".join([posts, *extra]), width)]
    if stats.words is not None:
        w = stats.words
        lines.append(_row("Words", f"{w.mean:,} per post (median {w.median:,}, "
                          f"{w.shortest:,} to {w.longest:,}); {w.total:,} in all", width))
    for label, landmark in (("Oldest", stats.oldest), ("Newest", stats.newest)):
        if landmark is not None:
            lines.append(_landmark_row(label, landmark, width))
    return lines


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _row(label: str, value: str, width: int) -> str:
    return fit(f"{label:<8}{value}", width)


def _landmark_row(label: str, landmark: Landmark, width: int) -> str:
    """Date, title and path; where that does not fit, the path is left out (never cut) and
    the title cut at the end."""
    from rich.cells import cell_len

    title = sanitize_line(landmark.title) if landmark.title else "(no title)"
    whole = f"{label:<8}{landmark.date[:10]}  {title}  ({sanitize_line(landmark.path)})"
    if cell_len(whole) <= width:
        return whole
    return fit(f"{label:<8}{landmark.date[:10]}  {title}", width)


def bars(rows: list[tuple[str, int]], width: int, label_share: float = 0.3) -> list[str]:
    """One line per ``(label, count)``: the label padded to the widest (at most
    ``label_share`` of the width, cut with an ellipsis beyond), a bar scaled to the
    largest count, and the count."""
    from rich.cells import cell_len

    if not rows:
        return []
    labels = [sanitize_line(label) for label, _ in rows]
    counts = [count for _, count in rows]
    number = max(len(f"{count:,}") for count in counts)
    label_width = min(max(cell_len(label) for label in labels), int(width * label_share))
    room = min(max(width - label_width - number - 2, 1), MAX_BAR)
    top = max(counts) or 1
    lines = []
    for label, count in zip(labels, counts, strict=True):
        bar = bar_text(count / top * room)
        lines.append(f"{pad(label, label_width)} {bar}{' ' * (room - len(bar))} "
                     f"{count:>{number},}")
    return lines


def bar_text(cells: float) -> str:
    """A bar ``cells`` columns long, in eighths of a column (at least a sliver when > 0)."""
    eighths = max(round(cells * 8), 1 if cells > 0 else 0)
    whole, part = divmod(eighths, 8)
    return _FULL * whole + (_EIGHTHS[part] if part else "")


def pad(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded with spaces to ``width`` columns."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    return set_cell_size(text, width)


def fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis to at most ``width`` columns (never padded)."""
    from rich.cells import cell_len

    return text if cell_len(text) <= width else pad(text, width)
