"""`postctl edit POST`: open a post in your editor, then lint it."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.cli.postref import PostArg

StrictOpt = Annotated[bool, typer.Option("--strict", help="Warnings count as errors.")]


def edit(post_ref: PostArg, strict: StrictOpt = False) -> None:
    """Open a post in $VISUAL/$EDITOR, then lint it and show its findings (exit as lint)."""
    from pathlib import Path

    from postctl.cli.context import current_site, output
    from postctl.cli.editor import edit_file
    from postctl.cli.postref import pick_post
    from postctl.lint import LintOptions, run_lint
    from postctl.render.lint import LintFormat, render_report, summary

    site = current_site()
    post = pick_post(site, " ".join(post_ref), "Edit")
    edit_file(str(post.path))
    cwd = Path.cwd()
    report = run_lint(site, LintOptions(paths=(str(post.path),), cwd=cwd))
    out = output()
    render_report(report, LintFormat.text, out, cwd)
    out.info(summary(report))
    code = report.exit_code(strict)
    if code:
        raise typer.Exit(code)
