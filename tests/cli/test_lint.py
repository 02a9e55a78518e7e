"""`postctl lint` through the real entry point: formats, exit codes, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CliRunnerFn, SiteFactory, snapshot

BAD = "---\ntitle: [broken\n---\nbody\n"
WARN = "---\ntitle: T\ntags: one two\n---\nbody\n"
GOOD = "---\ntitle: Good\ndate: 2024-01-03\n---\nbody\n"


@pytest.fixture
def site(make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_site(posts={"_posts/2024-01-02-bad.md": BAD, "_posts/2024-01-04-warn.md": WARN,
                            "_posts/2024-01-03-good.md": GOOD, "README.md": "# not a post\n"})
    monkeypatch.chdir(root)
    return root


def test_example_site_lints_clean(cli: CliRunnerFn, example_site: Path) -> None:
    before = snapshot(example_site)
    result = cli("--root", str(example_site), "lint")
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert "No problems in 20 posts." in result.stderr
    assert snapshot(example_site) == before


def test_text_format_lines_sorted_with_summary(cli: CliRunnerFn, site: Path) -> None:
    result = cli("lint")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "_posts/2024-01-02-bad.md:3:1: S001 error invalid YAML: did not find expected ',' or ']'",
        "_posts/2024-01-04-warn.md:3:7: J001 warning tags is one space-separated string "
        "'one two': Jekyll reads it as ['one', 'two']; write it as a list",
    ]
    assert result.stderr.strip() == ("Found 1 error and 1 warning in 2 files (3 posts checked). "
                                     "1 fixable with --fix.")


def test_paths_relative_to_the_current_folder(cli: CliRunnerFn, site: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "_posts")
    result = cli("lint", "2024-01-04-warn.md")
    assert result.stdout.startswith("2024-01-04-warn.md:3:7: J001 warning")
    assert result.exit_code == 0


def test_non_posts_are_skipped_and_folders_walked(cli: CliRunnerFn, site: Path) -> None:
    assert cli("lint", "README.md", "--skip-non-posts").exit_code == 0
    result = cli("lint", "_posts", "README.md", "--format", "json")
    assert {d["path"] for d in json.loads(result.stdout)} == {
        "_posts/2024-01-02-bad.md", "_posts/2024-01-04-warn.md"}


def test_paths_that_hold_no_post_are_exit_2_saying_what_was_looked_for(
        cli: CliRunnerFn, site: Path) -> None:
    (site / "notes").mkdir()
    for args, start in ((["README.md"], "README.md is not a post"),
                        (["notes"], "notes holds no post"),
                        (["README.md", "notes"], "none of the 2 paths is a post")):
        result = cli("lint", *args)
        assert (result.exit_code, result.stdout) == (2, ""), result
        assert result.stderr == (f"Error: {start} of the site at {site}: posts are the files "
                                 "of the site's post folders (_posts/)\n")


def test_a_site_without_posts_is_exit_2(cli: CliRunnerFn, make_site: SiteFactory) -> None:
    root = make_site(posts={"about.md": "---\ntitle: About\n---\n"})
    result = cli("--root", str(root), "lint")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: no posts in the site at {root}: ")


def test_the_site_is_found_from_the_file_given(cli: CliRunnerFn, make_site: SiteFactory,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # no config at all: the site is the folder above _posts, as seen from inside it
    root = make_site(posts={"_posts/2024-01-04-warn.md": WARN}, jekyll=None)
    monkeypatch.chdir(root / "_posts")
    result = cli("lint", "2024-01-04-warn.md")
    assert result.stdout.startswith("2024-01-04-warn.md:3:7: J001 warning"), result
    assert "in 1 file (1 post checked)" in result.stderr
    # from a folder outside any site, the file's own site
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("lint", str(root / "_posts" / "2024-01-04-warn.md"))
    assert "J001 warning" in result.stdout and "(1 post checked)" in result.stderr, result


def test_missing_path_is_a_usage_error(cli: CliRunnerFn, site: Path) -> None:
    result = cli("lint", "_posts/nope.md")
    assert result.exit_code == 2
    assert "_posts/nope.md: no such file or folder" in result.stderr


def test_strict_makes_warnings_count(cli: CliRunnerFn, site: Path) -> None:
    assert cli("lint", "_posts/2024-01-04-warn.md").exit_code == 0
    assert cli("lint", "--strict", "_posts/2024-01-04-warn.md").exit_code == 1


def test_select_and_ignore_by_id_or_prefix(cli: CliRunnerFn, site: Path) -> None:
    assert cli("lint", "--select", "J").stdout.count("\n") == 1
    result = cli("lint", "--ignore", "S,J001")
    assert result.exit_code == 0 and result.stdout == ""
    bad = cli("lint", "--select", "Q9")
    assert bad.exit_code == 2 and "names no rule" in bad.stderr


def test_json_format(cli: CliRunnerFn, site: Path) -> None:
    result = cli("lint", "--format", "json")
    data = json.loads(result.stdout)
    assert data[1] == {"path": "_posts/2024-01-04-warn.md", "line": 3, "column": 7,
                       "rule": "J001", "severity": "warning",
                       "message": data[1]["message"], "fixable": True}
    assert [d["rule"] for d in data] == ["S001", "J001"]
    assert result.exit_code == 1


def test_github_format(cli: CliRunnerFn, site: Path) -> None:
    lines = cli("lint", "--format", "github").stdout.splitlines()
    assert lines[0] == ("::error file=_posts/2024-01-02-bad.md,line=3,col=1,title=S001::"
                        "invalid YAML: did not find expected ',' or ']'")
    assert lines[1].startswith("::warning file=_posts/2024-01-04-warn.md,line=3,col=7,"
                               "title=J001::")


SARIF_REQUIRED = {
    "log": {"version", "runs"},
    "run": {"tool"},
    "driver": {"name"},
    "rule": {"id"},
    "result": {"message"},
}


def test_sarif_format_has_the_required_properties(cli: CliRunnerFn, site: Path) -> None:
    log = json.loads(cli("lint", "--format", "sarif").stdout)
    assert SARIF_REQUIRED["log"] <= set(log) and log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    assert SARIF_REQUIRED["run"] <= set(run)
    driver = run["tool"]["driver"]
    assert SARIF_REQUIRED["driver"] <= set(driver)
    ids = [rule["id"] for rule in driver["rules"]]
    assert all(SARIF_REQUIRED["rule"] <= set(rule) for rule in driver["rules"])
    for result in run["results"]:
        assert SARIF_REQUIRED["result"] <= set(result) and result["message"]["text"]
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note", "none")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("_posts/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    assert [r["ruleId"] for r in run["results"]] == ["S001", "J001"]


def test_list_rules(cli: CliRunnerFn) -> None:
    from postctl.lint.rules import ALL_RULES
    result = cli("lint", "--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(ALL_RULES)
    assert lines[0].split()[:4] == ["S001", "yaml-invalid", "error", "-"]
    assert any(line.split()[:4] == ["J001", "list-as-string", "warning", "safe"] for line in lines)
    data = json.loads(cli("lint", "--list-rules", "--format", "json").stdout)
    assert {d["id"] for d in data} == {r.id for r in ALL_RULES}


def test_lint_config_errors_name_the_key(cli: CliRunnerFn, make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2024-01-02-a.md": GOOD},
                     config='[lint]\nselect = ["Z1"]\n')
    result = cli("--root", str(root), "lint")
    assert result.exit_code == 2
    assert "postctl.toml: lint.select: 'Z1' names no rule" in result.stderr


@pytest.mark.parametrize(("config", "key"), [
    ("[lint]\nfoo = 1\n", "lint.foo"),
    ("[lint.severity]\nJ001 = 'fatal'\n", "lint.severity.J001"),
    ("[lint]\ntitle-max-length = 0\n", "lint.title-max-length"),
    ("[lint.per-file-ignores]\n'*.md' = 'Q'\n", "lint.per-file-ignores.*.md"),
    ("[schema.fields.title]\ntype = 'text'\n", "schema.fields.title.type"),
])
def test_bad_config_is_exit_2(cli: CliRunnerFn, make_site: SiteFactory, config: str,
                              key: str) -> None:
    root = make_site(posts={"_posts/2024-01-02-a.md": GOOD}, config=config)
    result = cli("--root", str(root), "lint", "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "config" and f"{key}: " in error["message"]


def test_no_colour_when_piped_or_no_color(cli: CliRunnerFn, site: Path) -> None:
    assert "\x1b[" not in cli("lint").stdout
    forced = cli("--color", "always", "lint")
    assert "\x1b[" in forced.stdout
    assert "\x1b[" not in cli("lint", env={"NO_COLOR": "1"}).stdout


# --- fixing from the command line -------------------------------------------------------------


def test_fix_lists_files_written_and_exits_0(cli: CliRunnerFn, site: Path) -> None:
    result = cli("lint", "--fix", "_posts/2024-01-04-warn.md")
    assert result.exit_code == 0, result
    assert result.stdout == ""
    assert "fixed _posts/2024-01-04-warn.md (1 fix)" in result.stderr
    assert (site / "_posts/2024-01-04-warn.md").read_text() == (
        "---\ntitle: T\ntags: [one, two]\n---\nbody\n")
    again = cli("lint", "--fix", "--exit-non-zero-on-fix", "_posts/2024-01-04-warn.md")
    assert again.exit_code == 0 and "fixed" not in again.stderr


def test_fix_exit_non_zero_on_fix_and_remaining_errors(cli: CliRunnerFn, site: Path) -> None:
    result = cli("lint", "--fix", "--exit-non-zero-on-fix", "_posts/2024-01-04-warn.md")
    assert result.exit_code == 1
    with_error = cli("lint", "--fix")
    assert with_error.exit_code == 1  # the invalid YAML is not fixable
    assert with_error.stdout.startswith("_posts/2024-01-02-bad.md:3:1: S001 error")


def test_diff_and_check_write_nothing(cli: CliRunnerFn, site: Path) -> None:
    before = snapshot(site)
    diff = cli("lint", "--diff", "_posts/2024-01-04-warn.md")
    assert diff.exit_code == 1
    assert diff.stdout == ("--- a/_posts/2024-01-04-warn.md\n+++ b/_posts/2024-01-04-warn.md\n"
                           "@@ -1,5 +1,5 @@\n ---\n title: T\n-tags: one two\n+tags: [one, two]\n"
                           " ---\n body\n")
    check = cli("lint", "--check", "_posts/2024-01-04-warn.md")
    assert check.exit_code == 1
    assert "would fix _posts/2024-01-04-warn.md (1 fix)" in check.stderr
    assert snapshot(site) == before
    clean = cli("lint", "--check", "_posts/2024-01-03-good.md")
    assert clean.exit_code == 0


def test_hidden_unsafe_fixes_are_counted(cli: CliRunnerFn, make_site: SiteFactory,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\ndate: 2024-01-05\n---\nx\n"})
    monkeypatch.chdir(root)
    result = cli("lint", "--fix")
    assert "1 hidden fix (use --unsafe-fixes)." in result.stderr
    assert (root / "_posts/2024-01-02-a.md").exists()
    renamed = cli("lint", "--fix", "--unsafe-fixes")
    assert "renamed _posts/2024-01-02-a.md -> _posts/2024-01-05-a.md" in renamed.stderr
    assert renamed.exit_code == 0


def test_hostile_text_never_reaches_the_terminal(cli: CliRunnerFn, make_site: SiteFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    hostile = ("---\ntitle: \"\\e[31mred\\u202e\"\ntitle: \"\\x9b2J\"\n"
               "image: \"/\\e]8;;x\"\n---\nb\n")
    root = make_site(posts={"_posts/2024-01-02-a.md": hostile})
    monkeypatch.chdir(root)
    for fmt in ("text", "github", "json", "sarif"):
        result = cli("--color", "always", "lint", "--format", fmt)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # postctl's own colours
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", plain), (fmt, plain)
        assert "S008" in plain


def test_format_names_are_those_of_the_renderer() -> None:
    from postctl.cli.lint import FORMATS
    from postctl.render.lint import LintFormat

    assert FORMATS == tuple(item.value for item in LintFormat)


def test_format_is_case_insensitive(cli: CliRunnerFn, site: Path) -> None:
    result = cli("lint", "--format", "JSON")
    assert {d["rule"] for d in json.loads(result.stdout)} == {"S001", "J001"}


def test_no_cache_reads_the_files_and_writes_no_index(
        cli: CliRunnerFn, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import postctl.lint.run
    from postctl.catalog.database import cache_dir

    monkeypatch.setattr(postctl.lint.run, "SMALL_SITE", 1)  # a large site: the index serves
    indexed = cli("lint", "--format", "json")
    assert list(cache_dir().glob("site-*.sqlite"))
    for path in cache_dir().iterdir():
        path.unlink()
    direct = cli("lint", "--format", "json", "--no-cache")
    assert (direct.exit_code, direct.stdout) == (indexed.exit_code, indexed.stdout)
    assert list(cache_dir().iterdir()) == []


def test_command_module_imports_no_library_at_start_up() -> None:
    import ast

    import postctl.cli.lint as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    top = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
    top |= {alias.name for node in tree.body if isinstance(node, ast.Import)
            for alias in node.names}
    assert {name for name in top if name and name.startswith("postctl")} <= {
        "postctl.cli.options"}


def test_fixable_is_what_fix_applies_and_the_summary_counts_posts(
        cli: CliRunnerFn, make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntitle: A\ndate: 2024-02-03\ntags: a b\n---\n"
                                  "Me: {% post_url 2024-01-01-a %}.\n",
        "_posts/2024-01-05-b.md": "---\ntitle: B\ndate: 2024-01-05\n---\n"
                                  "A: {% post_url 2024-01-01-a %}.\n"})
    monkeypatch.chdir(root)
    data = json.loads(cli("--root", str(root), "lint", "--format", "json").stdout)
    assert {d["rule"]: d["fixable"] for d in data} == {"D004": False, "J001": True}
    data = json.loads(cli("--root", str(root), "lint", "--format", "json",
                          "--unsafe-fixes", "--check").stdout)
    assert {d["rule"]: d["fixable"] for d in data} == {"D004": True, "J001": True}
    plain = cli("--root", str(root), "lint", "--fix")
    assert "Fixed 1 issue in 1 post. " in plain.stderr, plain
    result = cli("--root", str(root), "lint", "--unsafe-fixes")
    assert result.exit_code == 0, result
    assert result.stderr.splitlines() == [
        "renamed _posts/2024-01-01-a.md -> _posts/2024-02-03-a.md",
        "updated _posts/2024-02-03-a.md (1 link to the renamed post)",
        "updated _posts/2024-01-05-b.md (1 link to the renamed post)",
        "Fixed 1 issue in 2 posts. No problems in 2 posts.",
    ]
