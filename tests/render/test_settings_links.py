"""config and links drawn on a narrow terminal: long values and paths move to their own
lines (never cut); in a pipe every setting and post stays on one line."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len

from postctl.render.links import LinksReport, links_lines
from postctl.render.settings import settings_lines
from postctl.search.related import Related
from postctl.site.provenance import Setting

SETTINGS = [
    Setting("timezone", "Europe/Berlin", "postctl.toml"),
    Setting("exclude", ["_site", "vendor", "node_modules", "public", "resources", "Gemfile",
                        "Gemfile.lock", "a-rather-long-folder-name/"], "default + _config.yml"),
    Setting("limits.max_front_matter_bytes", 262144, "default"),
]


def test_settings_wrap_on_a_narrow_terminal_only() -> None:
    piped = settings_lines(SETTINGS)
    assert len(piped) == 3 and piped[1].endswith("(default + _config.yml)")
    narrow = settings_lines(SETTINGS, 60)
    assert all(cell_len(line) <= 60 for line in narrow)
    assert "exclude  (default + _config.yml)" in narrow
    assert "a-rather-long-folder-name/" in "\n".join(narrow)  # wrapped, not cut


def test_links_keep_paths_whole_on_a_narrow_terminal() -> None:
    path = "_posts/2024-06-01-what-the-allotment-taught-me-in-year-one.md"
    report = LinksReport("_posts/x.md", "A title", "/x/", [], [],
                         related=[Related(path, "What the Allotment Taught Me in Year One",
                                          ("garden",), 1, 3.0)], key_words=["garden"])
    narrow = links_lines(report, 60)
    assert any(line.strip() == path for line in narrow)
    assert all(cell_len(line) <= 60 for line in narrow if path not in line)
    wide = links_lines(report, 200)
    assert any(line.endswith(f"({path})") and "Allotment" in line for line in wide)


def test_a_backlink_keeps_its_path_and_line_whole_on_a_narrow_terminal() -> None:
    from types import SimpleNamespace

    from postctl.site.backlinks import Backlink

    path = "_posts/2025-09-14-rye-bread-that-actually-rises.markdown"
    link = Backlink("post_url", "2023-03-26-sourdough-starter-from-scratch", 0, 1, 12)
    referrer: Any = SimpleNamespace(rel_path=path, links=(link,))
    report = LinksReport("_posts/x.md", "A title", "/x/", [referrer], [])
    narrow = links_lines(report, 60)
    assert f"{path}:12" in narrow  # 61 columns: the indent goes, the path stays whole
    assert "      post_url  2023-03-26-sourdough-starter-from-scratch" in narrow
    assert f"  {path}:12" in links_lines(report, 62)
    wide = links_lines(report, 200)
    assert f"  {path}:12  post_url  2023-03-26-sourdough-starter-from-scratch" in wide
