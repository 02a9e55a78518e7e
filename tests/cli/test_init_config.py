"""postctl init (a postctl.toml inferred from the posts, then lint) and postctl config
(each setting and where it comes from)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPORA, snapshot

JEKYLL_DOCS = CORPORA / "jekyll-docs-posts" / "docs"


def test_init_refuses_an_existing_file_then_force_keeps_other_settings(cli, example_site):
    before = snapshot(example_site)
    refused = cli("--root", str(example_site), "init")
    assert refused.exit_code == 3 and "postctl.toml" in refused.stderr
    assert "--force" in refused.stderr and snapshot(example_site) == before
    original = (example_site / "postctl.toml").read_text()
    done = cli("--root", str(example_site), "init", "--force")
    assert done.exit_code == 0, done
    text = (example_site / "postctl.toml").read_text()
    assert 'timezone = "Europe/Berlin"' in text and "[new]" in text
    assert "# in 20 of 20 posts" in text and "max_length = 70" not in text
    assert cli("--root", str(example_site), "undo", "--yes").exit_code == 0
    assert (example_site / "postctl.toml").read_text() == original


def test_init_then_lint_on_a_site_without_config(cli, example_site):
    (example_site / "postctl.toml").unlink()
    dry = cli("--root", str(example_site), "init", "--dry-run")
    assert dry.exit_code == 0 and "[schema.fields.author]" in dry.stdout
    assert not (example_site / "postctl.toml").exists()
    done = cli("--root", str(example_site), "init")
    assert done.exit_code == 0 and "Wrote postctl.toml" in done.stderr
    assert (example_site / "postctl.toml").read_text() == dry.stdout
    # a post that leaves the site's habits is now reported
    post = example_site / "_posts/2024-01-21-compost-in-winter.md"
    post.write_text(post.read_text().replace("author:", "writer:", 1))
    lint = cli("--root", str(example_site), "lint", "--format", "json")
    rules = {(Path(f["path"]).name, f["rule"]) for f in json.loads(lint.stdout)}
    assert (post.name, "F001") in rules
    assert len({name for name, _ in rules}) < 5  # useful: not every post fails


@pytest.mark.skipif(not JEKYLL_DOCS.is_dir(), reason="the Jekyll docs corpus is not here")
def test_init_then_lint_on_the_jekyll_docs_posts(cli, tmp_path):
    root = tmp_path / "docs"
    shutil.copytree(JEKYLL_DOCS, root)
    assert cli("--root", str(root), "init").exit_code == 0
    lint = cli("--root", str(root), "lint", "--format", "json")
    findings = json.loads(lint.stdout)
    schema_findings = {f["path"] for f in findings if f["rule"].startswith("F")}
    assert 0 < len(schema_findings) < 10  # the odd post out, not the whole site


def test_init_with_no_posts_is_a_usage_error(cli, make_site):
    root = make_site(posts={})
    result = cli("--root", str(root), "init")
    assert result.exit_code == 2 and "no posts" in result.stderr
    assert not (root / "postctl.toml").exists()


def test_config_names_the_source_of_each_value(cli, example_site):
    result = cli("--root", str(example_site), "config", "--format", "json")
    assert result.exit_code == 0, result
    found = {item["key"]: item for item in json.loads(result.stdout)}
    assert found["root"]["source"] == "--root"
    assert found["timezone"] == {"key": "timezone", "value": "Europe/Berlin",
                                 "source": "postctl.toml"}
    assert found["new.author"]["source"] == "postctl.toml"
    assert found["slug.max_length"] == {"key": "slug.max_length", "value": 80,
                                        "source": "default"}
    assert found["permalink"]["source"] == "_config.yml"
    assert found["schema"]["source"] == "postctl.toml"
    text = cli("--root", str(example_site), "config").stdout
    assert "timezone" in text and "(postctl.toml)" in text


def test_config_reads_tool_postctl_and_the_environment(cli, make_site):
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\n---\n"}, jekyll=None)
    (root / "pyproject.toml").write_text('[tool.postctl]\ntimezone = "Asia/Tokyo"\n')
    result = cli("config", "--format", "json", env={"POSTCTL_ROOT": str(root)})
    found = {item["key"]: item for item in json.loads(result.stdout)}
    assert found["timezone"]["source"] == "[tool.postctl] in pyproject.toml"
    assert found["root"]["source"] == "POSTCTL_ROOT"
