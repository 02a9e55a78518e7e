"""The pre-commit hooks, for real: `pre-commit try-repo <this checkout>` in a site repo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
# The hook repository to try (default: this checkout; try-repo takes HEAD plus uncommitted
# changes to tracked files).
HOOK_REPO = Path(os.environ.get("POSTCTL_TEST_HOOK_REPO", ROOT))


def test_hook_ids_and_entries() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text())}
    assert set(hooks) == {"postctl-lint", "postctl-lint-fix"}
    assert hooks["postctl-lint"]["entry"] == "postctl lint --skip-non-posts"
    assert hooks["postctl-lint-fix"]["entry"] == (
        "postctl lint --skip-non-posts --fix --exit-non-zero-on-fix")
    assert all(hook["language"] == "python" and hook["types"] == ["markdown"]
               for hook in hooks.values())


def _readme_snippet() -> dict[str, object]:
    """The hook configuration the README shows (the YAML block naming this repository)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(text for text in re.findall(r"```yaml\n(.*?)```", readme, re.S)
                 if "postctl-lint" in text)
    repos: list[dict[str, object]] = yaml.safe_load(block)["repos"]
    return repos[0]


def test_the_readme_names_a_rev_of_this_repository_that_has_the_hooks() -> None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("this checkout is not a git repository")
    shallow = subprocess.run([git, "-C", str(ROOT), "rev-parse", "--is-shallow-repository"],
                             capture_output=True, text=True, check=False).stdout.strip()
    if shallow == "true":
        pytest.skip("a shallow clone holds only the newest commits")
    snippet = _readme_snippet()
    rev = str(snippet["rev"])
    exists = subprocess.run([git, "-C", str(ROOT), "cat-file", "-e", f"{rev}^{{commit}}"],
                            capture_output=True, check=False)
    assert exists.returncode == 0, f"README's pre-commit rev {rev} is not in this repository"
    hooks = subprocess.run([git, "-C", str(ROOT), "show", f"{rev}:.pre-commit-hooks.yaml"],
                           capture_output=True, text=True, check=True).stdout
    ids = {hook["id"] for hook in yaml.safe_load(hooks)}
    named = {hook["id"] for hook in snippet["hooks"]}  # type: ignore[attr-defined]
    assert named <= ids and "postctl-lint" in named


def _tool(name: str) -> str | None:
    import sys

    candidate = Path(sys.executable).parent / name  # the venv's own tools first
    return str(candidate) if candidate.exists() else shutil.which(name)


@pytest.mark.slow
def test_try_repo_fails_on_a_bad_post_and_passes_on_a_good_one(tmp_path: Path) -> None:
    pre_commit, git = _tool("pre-commit"), shutil.which("git")
    if pre_commit is None or git is None:
        pytest.skip("pre-commit or git is not installed")
    head = subprocess.run([git, "-C", str(HOOK_REPO), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("timezone: UTC\n")
    post = site / "_posts" / "2024-01-02-hello.md"
    post.write_text("---\ntitle: [broken\n---\nHello.\n")
    (site / "README.md").write_text("# not a post\n")
    subprocess.run([git, "init", "-q", str(site)], check=True, env=env)
    subprocess.run([git, "-C", str(site), "add", "."], check=True, env=env)

    def try_repo(hook: str, *extra: str) -> subprocess.CompletedProcess[str]:
        which = [] if "--files" in extra else ["--all-files"]
        return subprocess.run([pre_commit, "try-repo", str(HOOK_REPO), hook, *which, *extra],
                              cwd=site, capture_output=True, text=True, env=env, timeout=600,
                              check=False)

    readme_only = try_repo("postctl-lint", "--files", "README.md")  # no post staged: fine
    assert readme_only.returncode == 0, readme_only.stdout + readme_only.stderr

    bad = try_repo("postctl-lint")
    assert "postctl lint" in bad.stdout and bad.returncode == 1, bad.stdout + bad.stderr
    assert "_posts/2024-01-02-hello.md:3:1: S001 error" in bad.stdout

    post.write_text("---\ntitle: Hello\ntags: a b\n---\nHello.\n")
    subprocess.run([git, "-C", str(site), "add", "."], check=True, env=env)
    good = try_repo("postctl-lint", "--verbose")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "J001 warning" in good.stdout  # a warning does not fail the hook

    fixed = try_repo("postctl-lint-fix")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # files were modified
    assert post.read_text() == "---\ntitle: Hello\ntags: [a, b]\n---\nHello.\n", fixed.stdout
