"""Option declarations shared by several commands, declared once: each an ``Annotated``
alias that a command names in its signature, one line per option. The options that choose
posts are in postctl.cli.filters."""

from __future__ import annotations

from typing import Annotated

import typer

from postctl.render import OutputFormat

FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False,
                 show_default=False),
]
RECORD_FORMATS = (OutputFormat.table, OutputFormat.json, OutputFormat.jsonl)


def _record_format(value: OutputFormat | None) -> OutputFormat | None:
    """A command that reports what it did has no rows for CSV or paths: say so."""
    if value is not None and value not in RECORD_FORMATS:
        from postctl.text.names import unknown_name

        raise typer.BadParameter(unknown_name(
            "format", value.value, [choice.value for choice in RECORD_FORMATS]))
    return value


# --format of a command that reports what it did (new, set, publish, ...): text or JSON.
RecordFormatOpt = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False,
                 show_default=False, metavar="[table|json|jsonl]", callback=_record_format),
]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Read the files directly, bypassing the site index.")
]
LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", "-n", min=1, help="At most this many results.", show_default=False),
]
SortOpt = Annotated[
    str, typer.Option("--sort", "-s", help="Sort key: a front-matter key, path or slug; "
                      "-key for descending.")
]
FieldsOpt = Annotated[
    str | None,
    typer.Option("--fields", help="Comma-separated columns (default: date,title,tags,path; "
                 "JSON: the whole item).", show_default=False),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Exit 1 when a post cannot be parsed (default: warn).")
]
MinCountOpt = Annotated[
    int, typer.Option("--min-count", min=1, help="Only entries used by at least this many posts.")
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would change (a summary and a diff); "
                       "write nothing.")
]
YesOpt = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask before changing files (on a terminal, "
                       "postctl asks first).")
]
AllPostsOpt = Annotated[
    bool, typer.Option("--all-posts", help="Every post of the site, drafts too (a change to "
                       "every post is asked for by name).")
]
