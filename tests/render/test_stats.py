"""stats drawn: bars scaled and aligned by display width, every line within the width."""

from __future__ import annotations

import json

from rich.cells import cell_len

from postctl.catalog.stats import Landmark, SiteStats, WordFigures
from postctl.render.output import Output
from postctl.render.stats import bar_text, stats_lines, write_stats
from tests.render.terminal import FakeStream

STATS = SiteStats(
    posts=12, drafts=1, undated=0, period="year",
    periods=[("2022", 2), ("2023", 0), ("2024", 10)],
    words=WordFigures(total=1200, mean=100, median=90, shortest=3, longest=400),
    tags=[("日本語", 7), ("python", 3), ("a-rather-long-tag-name-that-goes-on-and-on", 1)],
    authors=[("Ann", 12)],
    oldest=Landmark("_posts/2022-01-01-a-post-with-a-long-name.md", "First 🎉 post",
                    "2022-01-01T00:00:00+00:00"),
    newest=Landmark("_posts/2024-12-01-z.md", "Last\x1b[31m", "2024-12-01T00:00:00+00:00"),
)


def test_bars_in_eighths() -> None:
    assert bar_text(0) == ""
    assert bar_text(0.01) == "▏"
    assert bar_text(2.5) == "██▌"


def test_lines_fit_the_width_and_bars_line_up() -> None:
    for width in (60, 200):
        lines = stats_lines(STATS, width)
        assert all(cell_len(line) <= width for line in lines), width
        tag_lines = lines[lines.index("Top tags") + 1:][:3]
        ends = {cell_len(line) for line in tag_lines}
        assert len(ends) == 1, tag_lines  # the counts end in one column
        assert tag_lines[0].startswith("日本語 ") and tag_lines[0].endswith(" 7")
    narrow = stats_lines(STATS, 60)
    assert any("…" in line for line in narrow)  # the long tag is cut, not wrapped
    assert "2023" in "\n".join(narrow)  # an empty year is shown
    assert "\x1b" not in "\n".join(narrow)  # titles are sanitised
    oldest = next(line for line in narrow if line.startswith("Oldest"))
    assert "First 🎉 post" in oldest and "_posts/" not in oldest  # the path goes, not cut
    wide = next(line for line in stats_lines(STATS, 200) if line.startswith("Oldest"))
    assert wide.endswith("(_posts/2022-01-01-a-post-with-a-long-name.md)")


def test_a_pipe_gets_80_columns_and_json_is_the_figures() -> None:
    stdout = FakeStream(tty=False)
    write_stats(STATS, False, Output(stdout=stdout))
    lines = stdout.getvalue().splitlines()
    assert max(cell_len(line) for line in lines) <= 80 and lines[0].startswith("Posts")
    stdout = FakeStream(tty=False)
    write_stats(STATS, True, Output(stdout=stdout))
    data = json.loads(stdout.getvalue())
    assert data["per_period"][1] == {"period": "2023", "posts": 0}
    assert data["top_tags"][0] == {"name": "日本語", "posts": 7}
    assert data["words"]["median"] == 90
