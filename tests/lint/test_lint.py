"""The lint runner: configuration, suppression comments, fixes and their guarantees."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postctl.lint import LintOptions, LintReport, run_lint
from postctl.site.model import open_site
from tests.conftest import SiteFactory, snapshot

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)


def lint(root: Path, **options: object) -> LintReport:
    options.setdefault("now", NOW)
    return run_lint(open_site(root), LintOptions(cwd=root, **options))  # type: ignore[arg-type]


def rules(report: LintReport) -> list[tuple[str, str, int]]:
    return [(d.rule, d.path, d.line) for d in report.diagnostics]


# --- configuration and suppression ------------------------------------------------------------


def test_suppression_comment_on_a_line_and_for_the_file(make_site: SiteFactory) -> None:
    root = make_site(posts={
        "_posts/2024-01-02-a.md": "---\ntitle: T\ntags: a b  # postctl: ignore[J001]\n"
                                  "categories: c d\n---\nx\n",
        "_posts/2024-01-03-b.md": "---\n# postctl: ignore[J, C004]\ntitle: T2  \ntags: a b\n"
                                  "---\nx\n",
    })
    assert rules(lint(root)) == [("J001", "_posts/2024-01-02-a.md", 4)]


def test_per_file_ignores_and_severity(make_site: SiteFactory) -> None:
    config = ("[lint]\nignore = ['C001']\n[lint.severity]\nJ001 = 'error'\nD = 'off'\n"
              "[lint.per-file-ignores]\n'_posts/2023-*' = ['J']\n")
    root = make_site(config=config, posts={
        "_posts/2023-01-02-old.md": "---\ntitle: T\ntags: a b\n---\n",
        "_posts/2024-01-02-new.md": "---\ntitle: U\ntags: a b\ndate: 2024-05-05\n---\n",
    })
    report = lint(root)
    assert [(d.rule, d.path, d.severity) for d in report.diagnostics] == [
        ("J001", "_posts/2024-01-02-new.md", "error")]
    assert report.exit_code() == 1


def test_select_option_overrides_config(make_site: SiteFactory) -> None:
    root = make_site(config="[lint]\nselect = ['C']\n",
                     posts={"_posts/2024-01-02-a.md": "---\ntitle: T\ntags: a b\n---\n"})
    assert [d.rule for d in lint(root).diagnostics] == ["C001"]
    assert [d.rule for d in lint(root, select=("J",)).diagnostics] == ["J001"]


# --- fixes --------------------------------------------------------------------------------------

MESSY = ("---\r\ntitle: 'Quoted'   \r\n# a comment\r\ntags: one two   # keep me\r\n"
         "categories: News\r\nlayout: post\r\n---\r\nBody with {% post_url 2024-01-03-b %}\r\n")


def messy_site(make_site: SiteFactory) -> Path:
    return make_site(posts={
        "_posts/2024-01-02-a.md": b"\xef\xbb\xbf" + MESSY.encode(),
        "_posts/2024-01-03-b.md": "---\ntitle: B\ndate: 2024-01-06\ncategories: [news]\n---\nb\n",
        "_posts/2024-01-04-c.md": "---\ntitle: C\ncategories: [news]\n---\nc\n",
    })


def test_safe_fix_changes_only_the_fixed_values(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    report = lint(root, fix=True)
    raw = (root / "_posts/2024-01-02-a.md").read_bytes()
    assert raw == b"\xef\xbb\xbf" + MESSY.replace("'Quoted'   ", "'Quoted'").replace(
        "one two   #", "[one, two]   #").encode()
    assert [c.path for c in report.changes] == ["_posts/2024-01-02-a.md"]
    assert report.hidden == 2  # the category spelling and the rename
    assert report.exit_code() == 0
    assert report.exit_code(exit_non_zero_on_fix=True) == 1


def test_unsafe_fixes_rename_and_update_post_url(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    report = lint(root, fix=True, unsafe_fixes=True)
    assert not (root / "_posts/2024-01-03-b.md").exists()
    assert (root / "_posts/2024-01-06-b.md").read_text() == (
        "---\ntitle: B\ndate: 2024-01-06\ncategories: [news]\n---\nb\n")
    fixed = (root / "_posts/2024-01-02-a.md").read_bytes().decode("utf-8-sig")
    assert "categories: news\r\n" in fixed
    assert fixed.endswith("Body with {% post_url 2024-01-06-b %}\r\n")
    assert report.diagnostics == () and report.hidden == 0
    assert {c.rename_to for c in report.changes} == {None, "_posts/2024-01-06-b.md"}


def test_second_fix_changes_nothing(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    lint(root, fix=True, unsafe_fixes=True)
    before = snapshot(root)
    report = lint(root, fix=True, unsafe_fixes=True)
    assert report.changes == () and snapshot(root) == before


def test_fix_on_clean_example_site_writes_nothing(example_site: Path) -> None:
    before = snapshot(example_site)
    report = lint(example_site, fix=True, unsafe_fixes=True, now=None)
    assert report.changes == () and report.diagnostics == ()
    assert snapshot(example_site) == before


def test_dry_run_writes_nothing_and_exits_1(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    before = snapshot(root)
    report = lint(root, dry_run=True, unsafe_fixes=True)
    assert snapshot(root) == before
    assert len(report.changes) == 3 and report.exit_code() == 1


def test_rename_refused_when_target_appears(make_site: SiteFactory,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = messy_site(make_site)
    from postctl.lint import fixes
    real = fixes._refuse_existing

    def racing(path: Path, target: Path) -> None:
        target.write_text("someone else's\n")
        real(path, target)

    monkeypatch.setattr(fixes, "_refuse_existing", racing)
    report = lint(root, fix=True, unsafe_fixes=True, select=("D004",))
    assert report.refused and "exists" in report.refused[0][1]
    assert (root / "_posts/2024-01-03-b.md").exists()
    assert report.exit_code() == 3


def test_a_rename_whose_folder_sync_fails_is_reported(make_site: SiteFactory,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    root = messy_site(make_site)
    real_fsync = os.fsync

    def failing(fd: int) -> None:  # the site's folders only, not the journal's
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(root)) and os.path.isdir(
                os.readlink(f"/proc/self/fd/{fd}")):
            raise OSError(errno.EIO, "I/O error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing)
    report = lint(root, fix=True, unsafe_fixes=True, select=("D004",))
    not_synced = "but its folder could not be synced to disk: I/O error"
    assert set(report.refused) == {
        ("_posts/2024-01-06-b.md", f"written, {not_synced}"),
        ("_posts/2024-01-03-b.md", f"removed, {not_synced}"),
        ("_posts/2024-01-02-a.md", f"written, {not_synced}"),
    }  # the new name, the old one gone, and the post whose link to it was rewritten
    assert (root / "_posts/2024-01-06-b.md").exists()
    assert not (root / "_posts/2024-01-03-b.md").exists()  # renamed, not copied
    assert report.exit_code() == 3


def test_verification_failure_writes_nothing(make_site: SiteFactory,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.edit import splice as edit
    root = messy_site(make_site)
    before = snapshot(root)
    real = edit.apply_edits

    def broken(source, edits):  # type: ignore[no-untyped-def]
        return real(source, edits).replace(b"layout: post", b"layout: page")

    monkeypatch.setattr(edit, "apply_edits", broken)
    report = lint(root, fix=True)
    assert report.refused and "verification failed" in report.refused[0][1]
    assert snapshot(root) == before and report.exit_code() == 3


def test_fixes_that_never_settle_are_refused(make_site: SiteFactory,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.edit.splice import Edit
    from postctl.lint.diagnostics import Finding, Fix
    from postctl.lint.rules import jekyll
    counter = iter(range(100))

    def flapping(post, ctx):  # type: ignore[no-untyped-def]
        yield Finding("J001", 2, 1, "flap",
                      Fix("safe", "flap", (Edit("title", "set", f"t{next(counter)}"),)))

    monkeypatch.setattr(jekyll, "check", flapping)
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: T\n---\nx\n"})
    before = snapshot(root)
    report = lint(root, fix=True)
    assert report.refused and "did not settle" in report.refused[0][1]
    assert snapshot(root) == before


def test_clean_file_keeps_mtime_and_inode(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    clean = root / "_posts/2024-01-04-c.md"
    os.utime(clean, ns=(1, 1))
    info = clean.stat()
    lint(root, fix=True)
    after = clean.stat()
    assert (after.st_mtime_ns, after.st_ino) == (info.st_mtime_ns, info.st_ino)


# --- property test: fixes over generated front matter -----------------------------------------

WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=6)
PLAIN_VALUE = st.text(alphabet="abcdefghij ", min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def front_matter(draw: st.DrawFn) -> tuple[bytes, set[str]]:
    """Front matter with random fixable and unfixable lines; returns bytes and fixable keys."""
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines: list[str] = []
    fixable: set[str] = set()
    keys = draw(st.lists(st.sampled_from(["title", "tags", "categories", "layout", "author",
                                          "excerpt"]), min_size=1, max_size=6, unique=True))
    for key in keys:
        if key in ("tags", "categories"):
            words = draw(st.lists(WORD, min_size=1, max_size=4))
            value = " ".join(words)
            style = draw(st.sampled_from(["plain", "single", "double", "flow"]))
            if style == "flow":
                value = "[" + ", ".join(words) + "]"
            elif style == "single":
                value = f"'{value}'"
            elif style == "double":
                value = f'"{value}"'
            if len(words) > 1 and style != "flow":
                fixable.add(key)
        else:
            value = draw(PLAIN_VALUE)
            if draw(st.booleans()):
                value = f'"{value}"'
        trailing = draw(st.sampled_from(["", "", "  ", "\t"]))
        comment = draw(st.sampled_from(["", "", "  # note"]))
        if trailing and not comment:
            fixable.add(key)
        lines.append(f"{key}: {value}{comment}{trailing}")
        if draw(st.booleans()):
            lines.append("# a comment line")
    text = "---" + newline + newline.join(lines) + newline + "---" + newline + "Body" + newline
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode(), fixable


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=front_matter())
def test_fix_round_trip_property(tmp_path_factory: pytest.TempPathFactory,
                                 case: tuple[bytes, set[str]]) -> None:
    from postctl.post import normalize
    from postctl.text.source import split_source
    from postctl.text.yaml_metadata import load_yaml

    raw, fixable = case
    root = tmp_path_factory.mktemp("prop")
    (root / "_posts").mkdir()
    (root / "_config.yml").write_text("timezone: UTC\n")
    path = root / "_posts" / "2024-01-02-a.md"
    path.write_bytes(raw)
    report = lint(root, fix=True)
    new = path.read_bytes()
    assert bool(report.changes) == bool(fixable)
    old_source, new_source = split_source(raw, path), split_source(new, path)
    assert (new_source.bom, new_source.newline, new_source.body) == (
        old_source.bom, old_source.newline, old_source.body)
    old_values = load_yaml(old_source.fm_text, path, 2).values
    new_values = load_yaml(new_source.fm_text, path, 2).values
    assert list(old_values) == list(new_values)
    for key, value in old_values.items():
        if key in ("tags", "categories"):
            assert normalize.to_str_list(new_values[key]) == normalize.to_str_list(value)
        else:
            assert new_values[key] == value
    changed = [(a, b) for a, b in zip(raw.splitlines(), new.splitlines(), strict=True) if a != b]
    assert all(a.split(b":")[0].lstrip(b"\xef\xbb\xbf").decode() in fixable for a, _ in changed)
    again = lint(root, fix=True)
    assert again.changes == () and path.read_bytes() == new


# --- large sites: the site index and the findings cache -----------------------------------


def diagnostics_of(report: LintReport) -> list[tuple[object, ...]]:
    return [(d.path, d.line, d.column, d.rule, d.severity, d.message, d.fixable)
            for d in report.diagnostics]


@pytest.fixture
def cached(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every site counts as large: runs go through the site index."""
    import postctl.lint.run

    monkeypatch.setattr(postctl.lint.run, "SMALL_SITE", 1)


@pytest.fixture
def few(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any number of given files counts as a few: the rest of the site is looked up."""
    import postctl.lint.indexfacts

    monkeypatch.setattr(postctl.lint.indexfacts, "FEW", 0)


@pytest.mark.usefixtures("cached")
def test_cached_runs_equal_direct_runs(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    (root / "_posts/2024-01-05-broken.md").write_text("---\ntitle: [x\n---\n")
    direct = lint(root, use_cache=False)
    cold, warm = lint(root), lint(root)
    assert diagnostics_of(cold) == diagnostics_of(direct) == diagnostics_of(warm)
    assert (warm.hidden, warm.fixable, warm.files) == (direct.hidden, direct.fixable,
                                                       direct.files)
    given = lint(root, paths=("_posts/2024-01-02-a.md",))
    assert diagnostics_of(given) == [d for d in diagnostics_of(direct)
                                     if d[0] == "_posts/2024-01-02-a.md"]


@pytest.mark.usefixtures("cached")
def test_cache_follows_file_and_config_changes(make_site: SiteFactory,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.lint import rules
    root = messy_site(make_site)
    lint(root)
    calls: list[str] = []
    real = rules.jekyll.check

    def counting(post, ctx):  # type: ignore[no-untyped-def]
        calls.append(post.rel_path)
        return real(post, ctx)

    monkeypatch.setattr(rules.jekyll, "check", counting)
    lint(root)
    assert calls == []  # nothing read again
    post = root / "_posts/2024-01-04-c.md"
    post.write_text("---\ntitle: C\ntags: x y\n---\nc\n")
    report = lint(root)
    assert calls == ["_posts/2024-01-04-c.md"]
    assert ("J001", "_posts/2024-01-04-c.md", 3) in rules_of(report)
    (root / "postctl.toml").write_text("[lint]\nignore = ['C']\n")
    calls.clear()
    lint(root)
    assert len(calls) == 3  # new settings: every post is checked again
    post.unlink()
    assert all(d.path != "_posts/2024-01-04-c.md" for d in lint(root).diagnostics)


def rules_of(report: LintReport) -> list[tuple[str, str, int]]:
    return rules(report)


@pytest.mark.usefixtures("cached")
def test_future_is_judged_on_every_run(make_site: SiteFactory) -> None:
    root = make_site(posts={"_posts/2025-01-02-a.md": "---\ntitle: A\n---\nx\n"})
    early = dt.datetime(2024, 12, 1, tzinfo=dt.timezone.utc)
    assert [d.rule for d in lint(root, now=early).diagnostics] == ["D005"]
    assert lint(root).diagnostics == ()


@pytest.mark.usefixtures("cached")
def test_fixing_given_files_uses_indexed_facts_of_the_rest(make_site: SiteFactory) -> None:
    root = messy_site(make_site)
    lint(root)  # fills the index
    report = lint(root, fix=True, unsafe_fixes=True, paths=("_posts/2024-01-02-a.md",))
    fixed = (root / "_posts/2024-01-02-a.md").read_bytes().decode("utf-8-sig")
    assert "categories: news\r\n" in fixed  # the majority spelling comes from the other posts
    assert [c.path for c in report.changes] == ["_posts/2024-01-02-a.md"]


def cross_site(make_site: SiteFactory) -> Path:
    """Posts that the site-wide rules and post_url/link checks relate to one another."""
    def post(title: str, extra: str = "", body: str = "Body.") -> str:
        return f"---\ntitle: {title}\n{extra}---\n{body}\n"

    return make_site(posts={
        "_posts/2024-01-02-same.md": post("One", "tags: [news, Go]\n"),
        "_posts/2024-01-02-same.markdown": post("Two", "tags: [News]\n"),
        "_posts/2024-01-03-b.md": post("Same  title", "categories: [open source]\n"),
        "_posts/2024-01-04-c.md": post("same title", "categories: [open-source]\n"
                                       "tags: [news]\n"),
        "_posts/2024-01-05-d.md": post("D", "categories: open-source\n",
                                       "See {% post_url 2024-01-03-b %}, "
                                       "{% post_url 2024-01-06-gone %}, "
                                       "{% post_url 2024-01-07-draft %}, "
                                       "[c](/2024/01/04/c.html) and [x](/nowhere/)."),
        "_posts/2024-01-06-e.md": post("E", "published: false\npermalink: /d/\n",
                                       "{% post_url 2024-01-05-d %}"),
        "_posts/2024-01-07-draft.md": post("Draft", "published: false\n"),
        "_posts/2025-12-01-later.md": post("One", "tags: [go]\n"),
        "_drafts/a-draft.md": post("Two", "tags: [NEWS]\n"),
    })


@pytest.mark.usefixtures("cached", "few")
def test_given_files_looked_up_in_the_index_equal_reading_the_site(
        make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.lint import indexfacts

    made: list[object] = []

    class Counted(indexfacts.IndexFacts):
        def __init__(self, *args: Any) -> None:
            made.append(self)
            super().__init__(*args)

    monkeypatch.setattr(indexfacts, "IndexFacts", Counted)
    root = cross_site(make_site)
    direct = diagnostics_of(lint(root, use_cache=False))
    assert {d[3] for d in direct} >= {"X001", "X002", "X003", "R002", "R004", "D005"}
    paths = sorted(p.relative_to(root).as_posix() for p in root.glob("_*/*.*"))
    for rel in paths:
        for _ in range(2):  # findings read, then found in the findings cache
            given = diagnostics_of(lint(root, paths=(rel,)))
            assert given == [d for d in direct if d[0] == rel], rel
    assert len(made) == 2 * len(paths)


@pytest.mark.usefixtures("cached", "few")
def test_looked_up_facts_follow_changed_and_deleted_posts(make_site: SiteFactory) -> None:
    root = cross_site(make_site)
    target = ("_posts/2024-01-03-b.md",)
    assert "X002" in {d.rule for d in lint(root, paths=target).diagnostics}
    (root / "_posts/2024-01-04-c.md").unlink()
    assert "X002" not in {d.rule for d in lint(root, paths=target).diagnostics}
    (root / "_posts/2024-02-01-new.md").write_text("---\ntitle: SAME TITLE\n---\nx\n")
    found = [d for d in lint(root, paths=target).diagnostics if d.rule == "X002"]
    assert len(found) == 1 and "2024-02-01-new.md" in found[0].message


@pytest.mark.usefixtures("cached", "few")
def test_looked_up_facts_without_the_index_snapshot(make_site: SiteFactory) -> None:
    """Without the index's stamp snapshot the keys are compared row by row."""
    from postctl.catalog.index import open_index

    root = cross_site(make_site)
    target = ("_posts/2024-01-03-b.md",)
    lint(root, paths=target)
    (root / "_posts/2024-02-01-new.md").write_text("---\ntitle: Same Title\n---\nx\n")
    with open_index(open_site(root)) as index:
        index.refresh()
        index.connection.execute("DROP TABLE stamps")
    found = [d for d in lint(root, paths=target).diagnostics if d.rule == "X002"]
    assert len(found) == 1 and "2024-02-01-new.md" in found[0].message


@pytest.mark.usefixtures("cached", "few")
def test_given_files_read_no_other_post(make_site: SiteFactory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import postctl.site.scan

    root = cross_site(make_site)
    lint(root)  # the index and the findings cache are filled
    rel = "_posts/2024-01-05-d.md"
    (root / rel).write_text((root / rel).read_text() + "More.\n")
    read: list[str] = []
    real = postctl.site.scan.read_post_bytes

    def counting(path, max_bytes):  # type: ignore[no-untyped-def]
        read.append(Path(path).relative_to(root).as_posix())
        return real(path, max_bytes)

    monkeypatch.setattr(postctl.site.scan, "read_post_bytes", counting)
    report = lint(root, paths=(rel,))
    assert {"R002", "R004"} <= {d.rule for d in report.diagnostics}
    assert set(read) == {rel}  # the index refresh and the check read the changed post only


@pytest.mark.usefixtures("cached", "few")
def test_one_cache_file_per_site(make_site: SiteFactory) -> None:
    """Findings and looked-up keys live in the site index's database, not beside it."""
    import sqlite3

    from postctl.catalog.database import cache_dir, index_file

    root = cross_site(make_site)
    lint(root)
    lint(root, paths=("_posts/2024-01-03-b.md",))
    assert {p.name.split("-")[0] for p in cache_dir().iterdir()} == {"site"}
    database = sqlite3.connect(index_file(root))
    tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    database.close()
    assert {"lint1_findings", "lint1_keys", "lint1_terms"} <= tables


@pytest.mark.usefixtures("cached")
def test_rebuilt_index_and_no_cache(make_site: SiteFactory) -> None:
    from postctl.catalog.database import cache_dir
    from postctl.catalog.index import open_index

    root = cross_site(make_site)
    first = diagnostics_of(lint(root))
    with open_index(open_site(root), rebuild=True):
        pass  # drops every table, the lint tables too
    assert diagnostics_of(lint(root)) == first
    for path in cache_dir().iterdir():
        path.unlink()
    assert diagnostics_of(lint(root, use_cache=False)) == first
    assert list(cache_dir().iterdir()) == []


@pytest.mark.usefixtures("cached")
def test_unusable_cache_folder_reads_the_files(make_site: SiteFactory, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = cross_site(make_site)
    first = diagnostics_of(lint(root, use_cache=False))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(blocker / "cache"))
    assert diagnostics_of(lint(root)) == first
    assert diagnostics_of(lint(root, paths=("_posts/2024-01-03-b.md",))) == [
        d for d in first if d[0] == "_posts/2024-01-03-b.md"]


def test_index_facts_fall_back_to_the_files_when_the_database_fails() -> None:
    import sqlite3

    from postctl.lint.facts import MemoryFacts
    from postctl.lint.indexfacts import IndexFacts
    from postctl.lint.rules.base import PostFact

    class Broken:
        def execute(self, *args: object) -> None:
            raise sqlite3.OperationalError("disk I/O error")

    facts = [PostFact(f"_posts/2024-01-0{i}-a.md", "Same", None, "a", ("x",), (),
                      f"/{i}/a.html" if i < 3 else "/1/a.html", True) for i in (1, 2, 3)]
    asked: list[int] = []

    def from_files() -> MemoryFacts:
        asked.append(1)
        return MemoryFacts(facts)

    found = IndexFacts(Broken(), {}, NOW, from_files)  # type: ignore[arg-type]
    assert found.sharing("title", {"same"}) == {"same": [f.rel_path for f in facts]}
    assert found.sharing("url", {"1/a"}) == {"1/a": [facts[0].rel_path, facts[2].rel_path]}
    assert found.named("2024-01-02-a") == [facts[1]] and found.has_url("2/a")
    assert asked == [1]  # the files are read once


@pytest.mark.usefixtures("cached")
def test_first_run_checks_posts_in_worker_processes(make_site: SiteFactory,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from postctl.lint import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN_POSTS", 1)
    monkeypatch.setenv("POSTCTL_INDEX_WORKERS", "2")
    root = cross_site(make_site)
    (root / "_posts/2024-01-09-broken.md").write_text("---\ntitle: [x\n---\n")
    direct = lint(root, use_cache=False)
    chunks: list[int] = []
    real = parallel.check_all

    def spying(linter, targets, processes, progress=None):  # type: ignore[no-untyped-def]
        chunks.append(processes)
        return real(linter, targets, processes, progress)

    monkeypatch.setattr(parallel, "check_all", spying)
    first, again = lint(root), lint(root)
    assert chunks == [2]  # the second run finds every post in the findings cache
    assert diagnostics_of(first) == diagnostics_of(direct) == diagnostics_of(again)
    assert (first.fixable, first.hidden) == (direct.fixable, direct.hidden)
