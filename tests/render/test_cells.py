"""Text measured in display cells: padding, cutting and shortening CJK, emoji and paths."""

from __future__ import annotations

from postctl.render.cells import cell_len, cut, middle_cut, pad
from postctl.render.journal import changes_text
from postctl.render.listing import column_widths


def test_pad_and_cut_count_display_cells() -> None:
    assert pad("日本", 6) == "日本  " and pad("ab", 6) == "ab    "
    assert pad("🎉x", 4) == "🎉x " and pad("too long", 3) == "too long"
    assert cut("東京の夜行列車", 9) == "東京の夜…" and cell_len(cut("東京の夜行列車", 9)) == 9
    assert cut("short", 9) == "short"
    assert cell_len(cut("🎉🎉🎉🎉", 6)) <= 6


def test_middle_cut_keeps_the_start_and_the_file_name() -> None:
    path = "_posts/2025-12-01-tokyo-night-train-long-record.md"
    shown = middle_cut(path, 24)
    assert cell_len(shown) == 24 and shown.startswith("_posts/20")
    assert shown.endswith("-record.md") and "…" in shown
    assert middle_cut(path, 200) == path
    assert cell_len(middle_cut("日本語のタイトルです.md", 9)) <= 9


def test_the_title_keeps_half_a_narrow_table_and_nothing_is_cut_in_a_wide_one() -> None:
    names = ["date", "title", "tags", "path"]
    natural = [10, 50, 27, 56]
    assert column_widths(names, natural, 200) == natural
    narrow = column_widths(names, natural, 60)
    assert narrow[1] >= 30 and narrow[3] == 0  # no room for a readable path: left out
    assert sum(w for w in narrow if w) + 3 * 3 + 1 <= 60
    middle = column_widths(names, natural, 120)
    assert middle[1] >= 45 and middle[3] >= 24  # the path shortened, the title nearly whole
    assert sum(middle) + 3 * 4 + 1 <= 120


def test_undo_list_fits_a_narrow_terminal_and_aligns_by_display_width() -> None:
    items = [{"id": "20261204T140547.255279Z-6516", "started": "2026-12-04T14:05:47+00:00",
              "state": "done", "files": ["a"],
              "command": "postctl set 'series=東京' --tag '鉄道' -y"},
             {"id": "20261204T140546.563349Z-6512", "started": "2026-12-04T14:05:46+00:00",
              "state": "undone", "files": ["a", "b"], "command": "postctl lint --fix"}]
    wide = changes_text(items).splitlines()
    assert wide[1].startswith("20261204T140547.255279Z-6516  2026-12-04T14:05:47+00:00  done ")
    assert wide[1].endswith("postctl set 'series=東京' --tag '鉄道' -y")
    narrow = changes_text(items, 60).splitlines()
    assert all(cell_len(line) <= 60 for line in narrow)
    assert narrow[0].split() == ["WHEN", "STATE", "FILES", "COMMAND"]
    assert narrow[1].startswith("2026-12-04 14:05  done    1      postctl set 'series=東京'")
    assert narrow[2].startswith("2026-12-04 14:05  undone  2      postctl lint --fix")
