"""Options declared once: the post filters of list and search."""

from __future__ import annotations

import click
import typer

from postctl.cli import app
from postctl.cli.options import PostFilters

FILTERS = ("tag", "any_tag", "category", "author", "since", "until", "drafts", "all_posts",
           "no_future", "where")


def _params(command: str) -> dict[str, click.Parameter]:
    group = typer.main.get_command(app)
    return {param.name or "": param
            for param in group.commands[command].params}  # type: ignore[attr-defined]


def _described(param: click.Parameter) -> tuple[object, ...]:
    assert isinstance(param, click.Option)
    return (tuple(param.opts), tuple(param.secondary_opts), param.help, param.default,
            param.multiple, param.is_flag)


def test_list_and_search_declare_the_same_filters() -> None:
    listing, search = _params("list"), _params("search")
    assert [name for name in listing if name in FILTERS] == list(FILTERS)
    assert [name for name in search if name in FILTERS] == list(FILTERS)
    for name in FILTERS:
        assert _described(listing[name]) == _described(search[name])


def test_filters_resolve_to_the_library_filters() -> None:
    import datetime as dt

    from postctl.query import ALL, make_filters

    given = PostFilters(tag=["a"], category=["c"], author="ada", since="2024",
                        all_posts=True, where=["title?"])
    resolved = given.resolve(dt.timezone.utc)
    expected = make_filters(dt.timezone.utc, tags=["a"], categories=["c"], author="ada",
                            since="2024", all_posts=True, where=["title?"], now=resolved.now)
    assert resolved == expected
    assert resolved.drafts == ALL and resolved.tags == ("a",)
