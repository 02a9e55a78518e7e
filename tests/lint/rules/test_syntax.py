from __future__ import annotations

import pytest

from tests.lint.rules.conftest import GOOD, LintFn, rules_of

POST = "_posts/2024-01-02-a.md"


@pytest.mark.parametrize(("text", "rule", "line"), [
    (b"---\ntitle: a: b\n---\nbody\n", "S001", 2),
    (b"---\ntitle: x\nbody without end\n", "S002", 1),
    (b"---\ntitle: caf\xe9\n---\n", "S003", 2),
    (b"---\n- a\n- b\n---\n", "S004", 2),
    (b"---\ntitle: !!python/object:os.system x\n---\n", "S005", 2),
    (b"---\na: &x 1\nb: *x\n---\n", "S006", 2),
    (b"no front matter at all\n", "S009", 1),
    (b"\n---\ntitle: x\n---\n", "S009", 1),
])
def test_parse_errors_are_errors_with_position(lint: LintFn, text: bytes, rule: str,
                                               line: int) -> None:
    found = lint({POST: text}, select=["S"])
    assert rules_of(found) == [rule]
    assert found[0].severity == "error"
    assert found[0].line == line
    assert found[0].path == POST


def test_good_post_has_no_syntax_findings(lint: LintFn) -> None:
    assert lint({POST: GOOD}, select=["S"]) == []


def test_duplicate_key_reported_on_both_lines(lint: LintFn) -> None:
    found = lint({POST: "---\ntitle: One\ndate: 2024-01-02\ntitle: Two\n---\nx\n"}, select=["S"])
    assert [(d.rule, d.line, d.severity) for d in found] == [("S008", 2, "error"),
                                                             ("S008", 4, "error")]
    assert "line 4" in found[0].message and "line 2" in found[1].message


def test_symlinked_post_is_a_warning(lint: LintFn, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "elsewhere.md"
    target.write_text(GOOD)
    from tests.lint.rules.conftest import run_lint

    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("timezone: UTC\n")
    (root / "_posts" / "2024-01-02-link.md").symlink_to(target)
    found = run_lint(root, ["S"])
    assert [(d.rule, d.severity) for d in found] == [("S007", "warning")]


def test_hugo_content_without_front_matter_is_fine(make_site) -> None:  # type: ignore[no-untyped-def]
    from tests.lint.rules.conftest import run_lint

    root = make_site(posts={"content/posts/a.md": "just text\n"}, jekyll=None,
                     config='flavour = "hugo"\n')
    assert run_lint(root, ["S"]) == []


# --- S010: a plain value cut short by a comment ----------------------------------------------


CUT = ("---\ntitle: Why I love #rust\ndraft: true # hide for now\nlayout: post # the default\n"
       "description: Item #1 of 3 # really\nauthor: Ann #writer\ntags: [a] #x\n---\nBody.\n")


def test_a_comment_that_cuts_a_value_short_is_reported(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-a.md": CUT}, select=["S010"])
    # the fix changes a value: fixable only where the run takes unsafe fixes
    assert [(d.line, d.column, d.severity, d.fixable) for d in found] == [
        (2, 19, "warning", False), (5, 19, "warning", False), (6, 13, "warning", False)]
    unsafe = lint({"_posts/2024-01-02-a.md": CUT}, select=["S010"], unsafe_fixes=True)
    assert [d.fixable for d in unsafe] == [True, True, True]
    assert found[0].message == ("title reads 'Why I love': YAML starts a comment at ' #', so "
                                "'#rust' is lost; quote the whole value")


def test_quoted_values_and_comments_on_other_values_are_fine(lint: LintFn) -> None:
    text = ("---\ntitle: \"Why I love #rust\"\nsub: 'a #b'\nlayout: post # note\ncount: 3 #x\n"
            "name: C#\n---\nBody.\n")
    assert lint({"_posts/2024-01-02-a.md": text}, select=["S010"]) == []


def test_the_fix_quotes_the_whole_text_byte_exactly(make_site) -> None:  # type: ignore[no-untyped-def]
    from tests.lint.rules.conftest import run_lint

    raw = CUT.replace("\n", "\r\n").encode()
    root = make_site(posts={"_posts/2024-01-02-a.md": raw})
    post = root / "_posts/2024-01-02-a.md"
    run_lint(root, ["S010"], fix=True)  # an unsafe fix: --fix alone leaves the file
    assert post.read_bytes() == raw
    run_lint(root, ["S010"], fix=True, unsafe_fixes=True)
    expected = raw.replace(b"title: Why I love #rust", b'title: "Why I love #rust"').replace(
        b"description: Item #1 of 3 # really", b'description: "Item #1 of 3 # really"').replace(
        b"author: Ann #writer", b'author: "Ann #writer"')
    assert post.read_bytes() == expected
    assert run_lint(root, ["S010"]) == []


def test_the_fix_on_hugo_yaml_front_matter(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from postctl.site.model import open_site
    from postctl.site.scan import PostLoader
    from tests.edit.lifecycle_sites import make_hugo
    from tests.lint.rules.conftest import run_lint

    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": "---\ntitle: C# tips #dotnet\n"
                                         "---\nB\n"})
    run_lint(root, ["S010"], fix=True, unsafe_fixes=True)
    post = PostLoader(open_site(root)).load(root / "content/posts/a.md")
    assert post.title == "C# tips #dotnet"
    assert post.source.fm_text == 'title: "C# tips #dotnet"\n'
