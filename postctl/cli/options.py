"""Option declarations shared by several commands, declared once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Optional

import click
import typer
import typer.core

from postctl.render import OutputFormat

if TYPE_CHECKING:
    import datetime as dt

    from postctl.catalog.query import Filters

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
    typer.Option("--since", help="Only posts dated on or after this date: YYYY-MM-DD, or "
                 "YYYY-MM or YYYY (from the start of that month or year), or a date and time "
                 "(YYYY-MM-DDTHH:MM).", show_default=False),
]
UntilOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--until", help="Only posts dated on or before this date: YYYY-MM-DD, or "
                 "YYYY-MM or YYYY (to the end of that month or year), or a date and time "
                 "(YYYY-MM-DDTHH:MM).", show_default=False),
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


# --- the post filters of list and search --------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PostFilters:
    """The options that choose posts, as given on the command line (one declaration for
    every command that takes them: see :func:`post_filter_options`)."""

    tag: TagOpt = None
    any_tag: AnyTagOpt = False
    category: CategoryOpt = None
    author: AuthorOpt = None
    since: SinceOpt = None
    until: UntilOpt = None
    drafts: DraftsOpt = False
    all_posts: AllOpt = False
    no_future: NoFutureOpt = False
    where: WhereOpt = None

    def resolve(self, tz: dt.tzinfo) -> Filters:
        """The library's filters; UsageError for a bad date, regex or combination."""
        from postctl.catalog.query import make_filters

        return make_filters(
            tz, tags=self.tag, any_tag=self.any_tag, categories=self.category,
            author=self.author, since=self.since, until=self.until, drafts=self.drafts,
            all_posts=self.all_posts, no_future=self.no_future, where=self.where)


def post_filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """Declare :class:`PostFilters`' options on ``command`` in place of its ``filters``
    parameter, which receives them as one PostFilters (what sqlite-utils does with
    stacked click decorators, for Typer, which reads a command's options from its
    signature)."""
    import functools
    import inspect
    import typing

    fields = dataclasses.fields(PostFilters)
    option_types = typing.get_type_hints(PostFilters, include_extras=True)
    expanded = [inspect.Parameter(field.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                  default=field.default, annotation=option_types[field.name])
                for field in fields]
    types = typing.get_type_hints(command, include_extras=True)
    signature = inspect.signature(command)
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        if parameter.name == "filters":
            parameters.extend(expanded)
        else:
            parameters.append(parameter.replace(annotation=types[parameter.name]))

    @functools.wraps(command)
    def with_filters(**values: Any) -> None:
        chosen = {field.name: values.pop(field.name) for field in fields}
        command(filters=PostFilters(**chosen), **values)

    with_filters.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=None)
    with_filters.__annotations__ = {parameter.name: parameter.annotation
                                    for parameter in parameters}
    return with_filters


# --- an option whose value may be left out ----------------------------------------------------

OMITTED = "\0omitted"  # the value of such an option given alone


class OptionalValueCommand(typer.core.TyperCommand):
    """A command whose options named in ``optional_values`` take a value or none (``--html``
    or ``--html FILE``); given alone, such an option's value is OMITTED.

    Typer cannot declare an option whose value may be omitted; Click can, so the options
    are adjusted once the command is built.
    """

    optional_values: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.name in self.optional_values and isinstance(param, click.Option):
                param._flag_needs_value = True
                param.flag_value = OMITTED
