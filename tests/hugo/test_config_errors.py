"""A Hugo configuration postctl cannot read is one line naming the file, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hugo.oracle import write_site


@pytest.mark.parametrize(("name", "text", "words"), [
    ("hugo.toml", "baseURL = \n", "invalid TOML"),
    ("hugo.yaml", "permalinks: [\n", "invalid YAML"),
    ("hugo.json", "{\"contentDir\": }", "invalid JSON"),
    ("hugo.toml", "contentDir = 3\n", "contentDir"),
    ("hugo.toml", "[frontmatter]\ndate = 3\n", "frontmatter.date"),
    ("config/_default/hugo.toml", "permalinks = 'x'\n", "permalinks"),
])
def test_a_bad_hugo_config_is_one_line_naming_the_file(cli, tmp_path: Path, name: str,
                                                        text: str, words: str) -> None:
    root = write_site(tmp_path / "site", {"content/a.md": "---\ntitle: A\n---\n"}, text, name)
    result = cli("--root", str(root), "list")
    assert result.exit_code == 2, result
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert Path(name).name in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr
