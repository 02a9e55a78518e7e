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
