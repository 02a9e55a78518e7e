from __future__ import annotations

from tests.lint.rules.conftest import LintFn


def post(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\nBody.\n"


def test_two_posts_on_one_url_are_errors(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-same.md": post("One"),
                  "_posts/2024-01-02-same.markdown": post("Two")}, select=["X"])
    assert [(d.rule, d.severity, d.path) for d in found] == [
        ("X001", "error", "_posts/2024-01-02-same.markdown"),
        ("X001", "error", "_posts/2024-01-02-same.md")]


def test_different_dates_or_drafts_do_not_collide(lint: LintFn) -> None:
    assert lint({"_posts/2024-01-02-same.md": post("One"),
                 "_posts/2024-01-03-same.md": post("Two"),
                 "_posts/2024-01-04-x.md": post("Three", "permalink: /x/\n"),
                 "_posts/2024-01-05-y.md": post("Four", "published: false\n"
                                                "permalink: /x/\n")}, select=["X"]) == []


def test_duplicate_titles(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-a.md": post("Same Title"),
                  "_posts/2024-01-03-b.md": post("same  title")}, select=["X"])
    assert [(d.rule, d.line, d.severity) for d in found] == [("X002", 2, "warning")] * 2


def test_tag_variants_with_counts_and_majority_fix(lint: LintFn) -> None:
    posts = {f"_posts/2024-01-0{i}-p{i}.md": post(f"P{i}", "tags: [news]\n") for i in range(1, 4)}
    posts["_posts/2024-02-01-q.md"] = post("Q", "tags: [News, misc]\n")
    posts["_posts/2024-02-02-r.md"] = post("R", "tags: [new-s]\n")
    found = lint(posts, select=["X"])
    assert [(d.rule, d.path) for d in found] == [
        ("X003", "_posts/2024-02-01-q.md"), ("X003", "_posts/2024-02-02-r.md")]
    assert "'news': 3, 'News': 1, 'new-s': 1" in found[0].message
    fix = found[0].fix
    assert fix is not None and fix.applicability == "unsafe"
    assert fix.edits[0].value == ["news", "misc"]


def test_category_variants_differing_in_spacing(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-a.md": post("A", "categories: [open source]\n"),
                  "_posts/2024-01-03-b.md": post("B", "categories: [open-source]\n"),
                  "_posts/2024-01-04-c.md": post("C", "categories: [open-source]\n")},
                 select=["X"])
    assert [(d.path, d.line) for d in found] == [("_posts/2024-01-02-a.md", 3)]


def test_site_rules_compare_given_files_with_the_rest_of_the_site(lint: LintFn) -> None:
    posts = {"_posts/2024-01-02-a.md": post("Same"), "_posts/2024-01-03-b.md": post("Same"),
             "_posts/2024-01-04-c.md": post("Other")}
    found = lint(posts, select=["X"], paths=["_posts/2024-01-02-a.md"])
    assert [(d.rule, d.path) for d in found] == [("X002", "_posts/2024-01-02-a.md")]
    assert "2024-01-03-b.md" in found[0].message


def test_given_files_of_a_larger_site_are_grouped_with_the_rest(lint: LintFn) -> None:
    posts = {f"_posts/2024-01-{day:02d}-p{day}.md": post(f"Title {day}", "tags: [news]\n")
             for day in range(1, 29)}
    posts["_posts/2024-02-01-dup.md"] = post("Title 3", "tags: [News]\n")
    posts["_posts/2024-01-05-p5.markdown"] = post("Other")
    found = lint(posts, select=["X"], paths=["_posts/2024-02-01-dup.md",
                                             "_posts/2024-01-05-p5.markdown"])
    assert [(d.rule, d.path) for d in found] == [
        ("X001", "_posts/2024-01-05-p5.markdown"), ("X002", "_posts/2024-02-01-dup.md"),
        ("X003", "_posts/2024-02-01-dup.md")]
    assert "'news': 28, 'News': 1" in found[2].message
