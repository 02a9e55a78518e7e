"""Option declarations shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from postctl.render import OutputFormat

# Typer 0.15 needs typing.Optional on Python 3.10, hence the UP045 exemptions below.
FormatOpt = Annotated[
    Optional[OutputFormat],  # noqa: UP045
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False,
                 show_default=False),
]
TagOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--tag", "-t", help="Only posts with this tag (repeatable: all must match).",
                 show_default=False),
]
CategoryOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--category", "-c", help="Only posts in this category (repeatable).",
                 show_default=False),
]
AuthorOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--author", "-a", help="Only posts by this author.", show_default=False),
]
SinceOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--since", help="Only posts dated on or after this date (YYYY-MM-DD).",
                 show_default=False),
]
UntilOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--until", help="Only posts dated on or before this date (YYYY-MM-DD).",
                 show_default=False),
]
DraftsOpt = Annotated[bool, typer.Option("--drafts", help="Only drafts.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Published posts and drafts.")]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Read the files directly, bypassing the site index.")
]
LimitOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--limit", "-n", min=1, help="At most this many results.", show_default=False),
]
AnyTagOpt = Annotated[
    bool, typer.Option("--any-tag", help="With several --tag: posts with any of them, not all.")
]
NoFutureOpt = Annotated[
    bool, typer.Option("--no-future", help="Hide posts dated after now (listed by default).")
]
WhereOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--where", "-w", help="Front-matter condition (repeatable, all must hold): "
                 "key=value, key!=value, key~regex, key? (present), !key (absent).",
                 show_default=False),
]
SortOpt = Annotated[
    str, typer.Option("--sort", "-s", help="Sort key: a front-matter key, path or slug; "
                      "-key for descending.")
]
FieldsOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--fields", help="Comma-separated columns (default: date,title,tags,path; "
                 "JSON: the whole item).", show_default=False),
]
StrictOpt = Annotated[
    bool, typer.Option("--strict", help="Exit 1 when a post cannot be parsed (default: warn).")
]
MinCountOpt = Annotated[
    int, typer.Option("--min-count", min=1, help="Only entries used by at least this many posts.")
]
