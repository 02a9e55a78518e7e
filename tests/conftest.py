"""Shared fixtures: an isolated environment, a site factory and a CLI runner."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

EXAMPLE_SITE = Path(__file__).resolve().parent.parent / "examples" / "blog"
# Real sites' posts, kept beside the checkout: tests that use them skip with a reason where the
# folder is absent, unless REQUIRE_CORPORA=1 (as .ci/run sets), where its absence fails the run.
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
DATA = Path(__file__).resolve().parent / "data"
HOSTILE_DATA = sorted((DATA / "posts").glob("*.md")) + sorted((DATA / "hostile").glob("*.md"))


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("REQUIRE_CORPORA") == "1" and not CORPORA.is_dir():
        raise pytest.UsageError(f"REQUIRE_CORPORA=1 but {CORPORA} is not a folder")


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user settings leak in; the cache lives in a temporary folder."""
    for name in list(os.environ):
        if name.startswith("POSTCTL_") or name in ("EDITOR", "VISUAL", "NO_COLOR", "PAGER"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    # git's settings are the test's own: no user.name from this machine (new's author)
    git_config = tmp_path_factory.mktemp("git") / "config"
    git_config.touch()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(git_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    # Temporary files (preview --html's page when no file is named) go in pytest's own
    # temporary folder, which pytest cleans, never in the system's, in this process and in
    # the programs tests start.
    temp = tmp_path_factory.mktemp("temp")
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")


# The system's temporary folder, for the rare test that needs one another user can enter
# (tests otherwise get their own, see isolated_env).
SYSTEM_TEMP = tempfile.gettempdir()

SiteFactory = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> SiteFactory:
    """Create a site: ``make_site(posts={"_posts/2024-01-02-a.md": "---\\ntitle: A\\n---\\n"})``.

    Values may be ``str`` (written as UTF-8, newlines untouched) or ``bytes``.
    ``config`` is the text of postctl.toml; ``jekyll`` the text of _config.yml.
    """

    def factory(
        posts: dict[str, str | bytes] | None = None,
        config: str | None = None,
        jekyll: str | None = "title: Test site\ntimezone: UTC\n",
        name: str = "site",
    ) -> Path:
        root = tmp_path / name
        root.mkdir()
        if jekyll is not None:
            (root / "_config.yml").write_text(jekyll, encoding="utf-8")
        if config is not None:
            (root / "postctl.toml").write_text(config, encoding="utf-8")
        (root / "_posts").mkdir()
        for rel, content in (posts or {}).items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_bytes(content.encode("utf-8"))
        return root

    return factory


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()  # stdout and stderr apart


@pytest.fixture
def example_site(tmp_path: Path) -> Iterator[Path]:
    """A private copy of the bundled example site (tests may write to it)."""
    import shutil

    target = tmp_path / "blog"
    shutil.copytree(EXAMPLE_SITE, target)
    yield target


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """(bytes, mtime_ns, inode) of every file under root: for 'nothing was written' checks."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            found[path.relative_to(root).as_posix()] = (
                path.read_bytes(), info.st_mtime_ns, info.st_ino
            )
    return found


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"CliResult({self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


CliRunnerFn = Callable[..., CliResult]


@pytest.fixture
def cli(runner: CliRunner) -> CliRunnerFn:
    """Run ``postctl ARGS`` through the real entry function (exit-code translation included)."""
    import sys

    from postctl.cli.app import main

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> CliResult:
        with runner.isolation(input=input, env=env) as streams:
            old_argv = sys.argv
            sys.argv = ["postctl", *args]
            code: int = 0
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                sys.argv = old_argv
                sys.stdout.flush()
                sys.stderr.flush()
            out, err = streams[0], streams[1]
            return CliResult(code, out.getvalue().decode(), err.getvalue().decode() if err else "")

    return run


@pytest.fixture
def many_files(make_site: SiteFactory) -> Path:
    """A site of 42 post files: 40 in ``_posts``, one in a subfolder, one a symbolic link."""
    post = "---\ntitle: {title}\ntags: [{tags}]\n---\nbody\n"
    posts = {f"_posts/2024-01-{day:02d}-post-{n}.md": post.format(title=f"P{n}", tags="a")
             for n in range(40) for day in [n % 28 + 1]}
    posts["_posts/sub/2024-02-01-deeper.md"] = post.format(title="Deep", tags="b")
    root = make_site(posts=posts)
    (root / "_posts" / "2024-03-01-link.md").symlink_to(root / "_posts" / "sub")
    return root


@pytest.fixture
def hostile_site(make_site: SiteFactory) -> Path:
    """A site whose posts are every test fixture, hostile ones included, each as
    ``_posts/2024-05-01-<fixture name>``, byte-exact."""
    return make_site(posts={f"_posts/2024-05-01-{fixture.name}": fixture.read_bytes()
                            for fixture in HOSTILE_DATA})


class RecordingReporter:
    """A reporter (``postctl.reporting.Reporter``) that keeps what it is told."""

    def __init__(self) -> None:
        self.notices: list[str] = []
        self.warnings: list[str] = []
        self.stages: list[str] = []
        self.progress: list[tuple[int, int]] = []

    def notice(self, message: str) -> None:
        self.notices.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    @contextmanager
    def stage(self, name: str) -> Iterator[Callable[[int, int], None]]:
        self.stages.append(name)
        yield lambda done, total: self.progress.append((done, total))
