"""Lint results as text (``path:line:col: RULE severity message``), JSON, GitHub Actions
annotations or SARIF 2.1.0; the summary line; diffs of fixes; the rule list.

Plain text needs no rich; rich is imported only to colour a terminal.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from postctl.render.paths import path_from_cwd
from postctl.text.sanitize import escape_json_text, sanitize, sanitize_line

if TYPE_CHECKING:
    from postctl.lint import FileChange, LintReport
    from postctl.lint.diagnostics import Diagnostic
    from postctl.lint.rules.base import Rule
    from postctl.render.output import Output

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/postctl/postctl#lint"


class LintFormat(str, enum.Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"


def render_report(report: LintReport, fmt: LintFormat, out: Output, cwd: Path) -> None:
    diagnostics = report.diagnostics
    if fmt is LintFormat.json:
        out.data(escape_json_text(json.dumps([d.to_dict() for d in diagnostics],
                                             ensure_ascii=False, indent=2)))
    elif fmt is LintFormat.github:
        for diagnostic in diagnostics:
            out.data(github_line(diagnostic, path_from_cwd(report.root, diagnostic.path, cwd)))
    elif fmt is LintFormat.sarif:
        from postctl.lint import rules
        document = sarif(diagnostics, rules.ALL_RULES)
        out.data(escape_json_text(json.dumps(document, ensure_ascii=False, indent=2)))
    else:
        _text(report, out, cwd)
    out.flush()


def text_line(diagnostic: Diagnostic, path: str) -> str:
    return (f"{sanitize_line(path)}:{diagnostic.line}:{diagnostic.column}: {diagnostic.rule} "
            f"{diagnostic.severity} {sanitize_line(diagnostic.message)}")


def _text(report: LintReport, out: Output, cwd: Path) -> None:
    lines = [(d, path_from_cwd(report.root, d.path, cwd)) for d in report.diagnostics]
    if not lines:
        return
    if not out.use_color(out.stdout):
        out.data("\n".join(text_line(d, path) for d, path in lines))
        return
    from rich.text import Text

    console = out.console(soft_wrap=True)
    for diagnostic, path in lines:
        text = Text()
        text.append(sanitize_line(path), style="bold")
        text.append(f":{diagnostic.line}:{diagnostic.column}: ")
        text.append(diagnostic.rule, style="bold magenta")
        text.append(" ")
        text.append(diagnostic.severity,
                    style="bold red" if diagnostic.severity == "error" else "yellow")
        text.append(" " + sanitize_line(diagnostic.message))
        console.print(text)


# --- GitHub Actions ------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(diagnostic: Diagnostic, path: str) -> str:
    """A workflow command: ``::error file=...,line=...,col=...,title=RULE::message``."""
    command = "error" if diagnostic.severity == "error" else "warning"
    return (f"::{command} file={_escape_property(sanitize_line(path))},line={diagnostic.line},"
            f"col={diagnostic.column},title={_escape_property(diagnostic.rule)}::"
            f"{_escape_data(sanitize(diagnostic.message))}")


# --- SARIF ---------------------------------------------------------------------------------


def sarif(diagnostics: Sequence[Diagnostic], all_rules: Sequence[Rule]) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run; paths are relative to the site root (%SRCROOT%)."""
    from postctl.version import __version__
    index = {rule.id: number for number, rule in enumerate(all_rules)}
    driver = {
        "name": "postctl",
        "version": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [
            {
                "id": rule.id,
                "name": rule.name,
                "shortDescription": {"text": rule.description},
                "defaultConfiguration": {"level": rule.severity},
                "properties": {"fixable": rule.fix or "no"},
            }
            for rule in all_rules
        ],
    }
    results = [
        {
            "ruleId": d.rule,
            "ruleIndex": index[d.rule],
            "level": d.severity,
            "message": {"text": d.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(d.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                },
            }],
        }
        for d in diagnostics
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results,
                  "columnKind": "unicodeCodePoints"}],
    }


def _uri(rel: str) -> str:
    from urllib.parse import quote

    return quote(rel, safe="/")


# --- summary, fixes, diffs -------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word}{'es' if word.endswith(('x', 's')) else 's'}"


def summary(report: LintReport) -> str:
    """One line: what was found, fixed, and what is left to fix."""
    parts = []
    fixed, posts = report.fixed_issues, _plural(report.fixed_posts, "post")
    if report.changes and not report.options.dry_run and report.fixed_posts:
        parts.append(f"Fixed {_plural(fixed, 'issue')} in {posts}.")
    elif report.changes and report.options.dry_run:
        parts.append(f"Would fix {_plural(fixed, 'issue')} in {posts}.")
    if report.diagnostics:
        parts.append(f"Found {_plural(report.errors, 'error')} and "
                     f"{_plural(report.warnings, 'warning')} in "
                     f"{_plural(len({d.path for d in report.diagnostics}), 'file')} "
                     f"({_plural(report.files, 'post')} checked).")
    else:
        parts.append(f"No problems in {_plural(report.files, 'post')}.")
    if report.fixable:
        parts.append(f"{report.fixable} fixable with --fix.")
    if report.hidden:
        fixes = "hidden fix" if report.hidden == 1 else "hidden fixes"
        parts.append(f"{report.hidden} {fixes} (use --unsafe-fixes).")
    if report.refused:
        parts.append(f"{_plural(len(report.refused), 'write')} refused.")
    return " ".join(parts)


def written_lines(report: LintReport, cwd: Path) -> list[str]:
    """One line per file written (or that would be), and per refused write."""
    lines = []
    verb = "would fix" if report.options.dry_run else "fixed"
    for change in report.changes:
        path = path_from_cwd(report.root, change.path, cwd)
        if change.rename_to is not None:
            new = path_from_cwd(report.root, change.rename_to, cwd)
            lines.append(f"{'would rename' if report.options.dry_run else 'renamed'} "
                         f"{path} -> {new}")
        elif change.is_relink:
            links = "link" if change.fixes == 1 else "links"
            lines.append(f"{'would update' if report.options.dry_run else 'updated'} {path} "
                         f"({change.fixes} {links} to the renamed post)")
        else:
            lines.append(f"{verb} {path} ({_plural(change.fixes, 'fix')})")
    for rel, reason in report.refused:
        lines.append(f"not written: {path_from_cwd(report.root, rel, cwd)}: {reason}")
    return lines


def diff_text(changes: Iterable[FileChange], root: Path, cwd: Path) -> str:
    """Unified diffs of what the fixes change (a rename as git-style headers)."""
    import difflib

    chunks = []
    for change in changes:
        path = path_from_cwd(root, change.path, cwd)
        if change.rename_to is not None:
            new = path_from_cwd(root, change.rename_to, cwd)
            chunks.append(f"diff --git a/{path} b/{new}\nrename from {path}\nrename to {new}\n")
            continue
        old = change.old.decode("utf-8", errors="replace").splitlines(keepends=True)
        new_lines = change.new.decode("utf-8", errors="replace").splitlines(keepends=True)
        diff = "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in difflib.unified_diff(old, new_lines, f"a/{path}", f"b/{path}")
        )
        chunks.append(sanitize(diff))
    return "".join(chunks)


# --- rule list -------------------------------------------------------------------------------


def render_rules(all_rules: Sequence[Rule], fmt: LintFormat, out: Output) -> None:
    if fmt in (LintFormat.json, LintFormat.sarif):
        out.data(json.dumps([
            {"id": r.id, "name": r.name, "severity": r.severity, "fixable": r.fix or "no",
             "description": r.description} for r in all_rules], indent=2))
        return
    width = max(len(rule.name) for rule in all_rules)
    for rule in all_rules:
        fix = rule.fix or "-"
        out.data(f"{rule.id}  {rule.name:<{width}}  {rule.severity:<7}  {fix:<6}  "
                 f"{rule.description}")


def rules_markdown(all_rules: Sequence[Rule]) -> str:
    """The README's rule table (tests/test_docs_lint.py keeps the README in step with it)."""
    lines = ["| id | name | severity | fix | description |", "| --- | --- | --- | --- | --- |"]
    for rule in all_rules:
        description = rule.description.replace("|", "\\|")
        lines.append(f"| `{rule.id}` | {rule.name} | {rule.severity} | {rule.fix or '-'} | "
                     f"{description} |")
    return "\n".join(lines) + "\n"
