"""The bundled Hugo example site: postctl lists it as Hugo does, and lints it clean."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.hugo.oracle import assert_same_as_hugo

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hugo-site"


def test_the_example_site_lists_as_hugo_lists_it(cli, tmp_path: Path) -> None:
    root = tmp_path / "hugo-site"
    shutil.copytree(EXAMPLE, root)
    assert_same_as_hugo(cli, root)


def test_the_example_site_has_each_kind_of_page(cli, tmp_path: Path) -> None:
    import json

    root = tmp_path / "hugo-site"
    shutil.copytree(EXAMPLE, root)
    result = cli("--root", str(root), "list", "--all", "--format", "json")
    items = {item["path"]: item for item in json.loads(result.stdout)}
    assert {item["kind"] for item in items.values()} == {"home", "section", "page"}
    assert items["content/posts/compost-draft.md"]["draft"] is True
    assert items["content/posts/winter-sowing.md"]["future"] is True
    assert "content/snippets/index.md" not in items  # headless
    assert items["content/posts/seed-library.md"]["front_matter"]["title"]
    texts = [path.read_text() for path in (root / "content").rglob("*.md")]
    assert any(text.startswith("+++") for text in texts)
    assert any(text.startswith("---") for text in texts)
    assert any("{{< ref" in text for text in texts) and any("{{< relref" in text for text in texts)


def test_the_example_site_lints_clean(cli, tmp_path: Path) -> None:
    root = tmp_path / "hugo-site"
    shutil.copytree(EXAMPLE, root)
    result = cli("--root", str(root), "lint")
    assert result.exit_code == 0, result


def test_the_files_read_directly_list_as_the_index_does(cli, tmp_path: Path) -> None:
    root = tmp_path / "hugo-site"
    shutil.copytree(EXAMPLE, root)
    for flags in ((), ("--all",), ("--drafts", "--future", "--expired"), ("--kind", "section")):
        indexed = cli("--root", str(root), "list", *flags, "--format", "json")
        direct = cli("--root", str(root), "list", *flags, "--format", "json", "--no-cache")
        assert indexed.stdout == direct.stdout and indexed.stdout.strip() != "[]", flags
