"""One setting of a Hugo site's configuration (postctl.site.hugo_settings): read in any key
case, from any config format, and read again once the file changes."""

from __future__ import annotations

import os
from pathlib import Path

from postctl.site.hugo_settings import hugo_setting


def test_a_setting_is_read_in_any_case_and_again_after_a_change(tmp_path: Path) -> None:
    config = tmp_path / "hugo.toml"
    config.write_text('title = "One"\n[params]\nColour = "red"\n')
    assert hugo_setting(tmp_path, "Title") == "One"
    assert hugo_setting(tmp_path, "params") == {"colour": "red"}
    config.write_text('title = "Two"\n')
    os.utime(config, ns=(1, 1_000_000_000))  # a different time, whatever the clock's grain
    assert hugo_setting(tmp_path, "title") == "Two"


def test_yaml_config_and_no_config(tmp_path: Path) -> None:
    assert hugo_setting(tmp_path, "title") is None
    (tmp_path / "hugo.yaml").write_text("title: Yaml site\n")
    assert hugo_setting(tmp_path, "title") == "Yaml site"
