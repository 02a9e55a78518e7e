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
