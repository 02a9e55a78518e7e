from __future__ import annotations

import pytest

from tests.lint.rules.conftest import LintFn, rules_of


def post(date_line: str | None, title: str = "T") -> str:
    date = f"{date_line}\n" if date_line else ""
    return f"---\ntitle: {title}\n{date}---\nBody.\n"


def test_invalid_date_is_an_error(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-a.md": post("date: not a date")}, select=["D"])
    assert [(d.rule, d.severity, d.line, d.column) for d in found] == [("D001", "error", 3, 7)]


@pytest.mark.parametrize("value", ["2016-07-19 (optional)", "2023-01-29 18:30:22 2023 -0800"])
def test_lenient_dates_are_warnings(lint: LintFn, value: str) -> None:
    name = "_posts/" + value[:10] + "-a.md"
    found = lint({name: post(f"date: {value}")}, select=["D", "F"])
    assert found and {d.severity for d in found} == {"warning"}
    assert "D002" in rules_of(found)


@pytest.mark.parametrize("date_line", [
    None,  # no date: the file name gives it
    "date: 2024-01-02",
    "date: 2024-01-02 09:15:00 +0100",  # a string to PyYAML, a date to Jekyll
    "date: 2024-01-02T23:30:00-08:00",  # a late-evening offset: 2024-01-03 in UTC
    "date: '2024-01-02T10:14:29-04:00'",
    "date: 2024-1-2",
])
def test_readable_dates_matching_the_file_name_pass(lint: LintFn, date_line: str | None) -> None:
    assert lint({"_posts/2024-01-02-a.md": post(date_line)}, select=["D"],
                jekyll="timezone: America/Los_Angeles\n") == []


def test_file_name_without_date_is_an_error(lint: LintFn) -> None:
    found = lint({"_posts/no-date.md": post("date: 2024-01-02")}, select=["D"])
    assert [(d.rule, d.severity) for d in found] == [("D003", "error")]


def test_impossible_file_name_date(lint: LintFn) -> None:
    no_date = lint({"_posts/2024-02-30-a.md": post(None)}, select=["D"])
    assert [(d.rule, d.severity) for d in no_date] == [("D003", "error")]
    with_date = lint({"_posts/2024-02-30-a.md": post("date: 2024-02-28")}, select=["D"])
    assert [(d.rule, d.severity) for d in with_date] == [("D004", "warning")]


def test_drafts_need_no_dated_name(lint: LintFn) -> None:
    assert lint({"_drafts/idea.md": post(None)}, select=["D", "F"]) == []


def test_file_name_date_mismatch_is_a_warning_fixable_with_unsafe_fixes(lint: LintFn) -> None:
    posts = {"_posts/2024-01-02-a.md": post("date: 2024-01-05 10:00")}
    found = lint(posts, select=["D"])
    # --fix alone does not rename: not fixable unless the run takes unsafe fixes
    assert [(d.rule, d.severity, d.fixable) for d in found] == [("D004", "warning", False)]
    assert found[0].fix is not None and found[0].fix.applicability == "unsafe"
    assert found[0].fix.rename == "2024-01-05-a.md"
    unsafe = lint(posts, select=["D"], unsafe_fixes=True, dry_run=True)
    assert [(d.rule, d.fixable) for d in unsafe] == [("D004", True)]


def test_one_day_off_late_evening_offset_is_at_most_a_warning(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-a.md": post("date: 2024-01-02 23:30:00 -0800")},
                 select=["D"], jekyll="timezone: Europe/Berlin\n")
    assert [(d.rule, d.severity) for d in found] == [("D004", "warning")]
    assert "own offset" in found[0].message


def test_mismatch_fix_not_offered_when_target_exists(lint: LintFn) -> None:
    found = lint({"_posts/2024-01-02-a.md": post("date: 2024-01-05"),
                  "_posts/2024-01-05-a.md": post("date: 2024-01-05", title="Other")},
                 select=["D004"])
    assert [(d.path, d.fixable) for d in found] == [("_posts/2024-01-02-a.md", False)]


def test_future_post_warns_unless_future_true(lint: LintFn) -> None:
    posts = {"_posts/2030-01-02-a.md": post(None)}
    found = lint(posts, select=["D"])
    assert [(d.rule, d.severity) for d in found] == [("D005", "warning")]
    assert lint(posts, select=["D"], jekyll="timezone: UTC\nfuture: true\n") == []
    past = {"_posts/2020-01-02-a.md": post(None)}
    assert lint(past, select=["D"]) == []
