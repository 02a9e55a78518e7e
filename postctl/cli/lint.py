"""`postctl lint [PATHS]...`: check posts (what pre-commit passes, or the whole site), fix
what is safely fixable."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

import typer

from postctl.cli.options import NoCacheOpt

# The names of postctl.render.lint.LintFormat, imported only when the command runs.
FormatName = Literal["text", "json", "github", "sarif"]
FORMATS: tuple[str, ...] = get_args(FormatName)

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="PATHS", help="Files or folders to check (default: every post of "
                   "the site, found from the first path). Files that are not posts are "
                   "skipped; none at all is an error.", show_default=False),
]
FixOpt = Annotated[bool, typer.Option("--fix", help="Apply safe fixes.")]
UnsafeFixesOpt = Annotated[bool, typer.Option(
    "--unsafe-fixes", help="Also apply fixes that change a value (tag spelling, renaming a "
    "post to its date); implies --fix unless --diff/--check.")]
DiffOpt = Annotated[bool, typer.Option(
    "--diff", help="Show the fixes as a diff; write nothing (exit 1 if any).")]
CheckOpt = Annotated[bool, typer.Option(
    "--check", help="List the files fixes would change; write nothing (exit 1 if any).")]
ExitOnFixOpt = Annotated[bool, typer.Option(
    "--exit-non-zero-on-fix", help="Exit 1 when --fix changed a file (CI, hooks).")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Warnings count as errors.")]
SelectOpt = Annotated[list[str] | None, typer.Option(
    "--select", help="Only these rule ids or prefixes (repeatable, or comma-separated).",
    show_default=False)]
IgnoreOpt = Annotated[list[str] | None, typer.Option(
    "--ignore", help="Skip these rule ids or prefixes (repeatable, or comma-separated).",
    show_default=False)]
LintFormatOpt = Annotated[FormatName, typer.Option(
    "--format", "-f", help="text, json, github (Actions annotations) or sarif.",
    case_sensitive=False)]
SkipNonPostsOpt = Annotated[bool, typer.Option(
    "--skip-non-posts", help="Paths that hold no post are not an error (what pre-commit "
    "passes: every staged Markdown file).")]
ListRulesOpt = Annotated[bool, typer.Option(
    "--list-rules", help="List every rule: id, name, severity, fix, description.")]


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(part.strip() for value in values or () for part in value.split(",")
                 if part.strip())


def lint(
    paths: PathsArg = None,
    fix: FixOpt = False,
    unsafe_fixes: UnsafeFixesOpt = False,
    diff: DiffOpt = False,
    check: CheckOpt = False,
    exit_non_zero_on_fix: ExitOnFixOpt = False,
    strict: StrictOpt = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    fmt: LintFormatOpt = "text",
    list_rules: ListRulesOpt = False,
    no_cache: NoCacheOpt = False,
    skip_non_posts: SkipNonPostsOpt = False,
) -> None:
    """Check posts' front matter, dates, file names and links; --fix what is safe to fix."""
    from pathlib import Path

    from postctl.cli.context import current_site, output, wants_json
    from postctl.render.lint import LintFormat

    form = LintFormat(fmt.lower())
    if form in (LintFormat.json, LintFormat.sarif):
        wants_json("json")
    out = output()
    if list_rules:
        from postctl.lint import rules
        from postctl.render.lint import render_rules

        render_rules(rules.ALL_RULES, form, out)
        return
    from postctl.lint import LintOptions, run_lint
    from postctl.render.lint import diff_text, render_report, summary, written_lines

    cwd = Path.cwd()
    options = LintOptions(paths=tuple(paths or ()), select=_split(select),
                          ignore=_split(ignore), fix=(fix or unsafe_fixes) and not (diff or check),
                          unsafe_fixes=unsafe_fixes, dry_run=diff or check, cwd=cwd,
                          use_cache=not no_cache, skip_non_posts=skip_non_posts)
    from postctl.render.progress import TerminalReporter

    report = run_lint(current_site(near=paths[0] if paths else None), options,
                      TerminalReporter(out))
    if diff:
        out.data(diff_text(report.changes, report.root, cwd), end="")
        out.flush()
    else:
        render_report(report, form, out, cwd)
    for line in written_lines(report, cwd):
        out.info(line)
    if form is LintFormat.text or report.changes or report.refused:
        out.info(summary(report))
    code = report.exit_code(strict, exit_non_zero_on_fix)
    if code:
        raise typer.Exit(code)
