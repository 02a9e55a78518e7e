"""Options declared once: the post filters of list and search, and what --since/--until take."""

from __future__ import annotations

import dataclasses
import inspect
import json
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

from postctl.cli.app import command_function
from postctl.cli.filters import PostFilters

FILTERS = ("tag", "any_tag", "category", "author", "since", "until", "drafts", "all_posts",
           "no_future", "where", "future", "expired", "kind")


def _declared(command: Callable[..., None]) -> dict[str, object]:
    """The command's parameters as Typer reads them: each an Annotated type and a default."""
    hints = typing.get_type_hints(command, include_extras=True)
    return {name: (hints[name], parameter.default)
            for name, parameter in inspect.signature(command).parameters.items()}


def test_post_filters_are_the_filter_options() -> None:
    assert tuple(field.name for field in dataclasses.fields(PostFilters)) == FILTERS


@pytest.mark.parametrize("name", ["list", "search"])
def test_list_and_search_declare_the_filters_as_post_filters_does(name: str) -> None:
    declared = _declared(command_function(name))
    hints = typing.get_type_hints(PostFilters, include_extras=True)
    assert [parameter for parameter in declared if parameter in FILTERS] == list(FILTERS)
    for field in dataclasses.fields(PostFilters):
        assert declared[field.name] == (hints[field.name], field.default)


@pytest.mark.parametrize("name", ["since", "until"])
def test_date_bounds_help_names_every_form_they_take(name: str) -> None:
    _, option = typing.get_args(typing.get_type_hints(PostFilters, include_extras=True)[name])
    text = option.help or ""
    for form in ("YYYY-MM-DD", "YYYY-MM", "YYYY", "date and time"):
        assert form in text


def _paths(cli, root: Path, *args: str) -> list[str]:
    result = cli("--root", str(root), "list", "--all", "--format", "json", *args)
    assert result.exit_code == 0, result
    return [item["path"] for item in json.loads(result.stdout)]


def test_every_date_form_in_the_help_works(cli, example_site: Path) -> None:
    assert _paths(cli, example_site, "--since", "2024-03") == _paths(
        cli, example_site, "--since", "2024-03-01")
    assert _paths(cli, example_site, "--until", "2024-03") == _paths(
        cli, example_site, "--until", "2024-03-31")
    assert _paths(cli, example_site, "--since", "2024") == _paths(
        cli, example_site, "--since", "2024-01-01")
    whole_day = _paths(cli, example_site, "--since", "2023-02-14")
    before_evening = _paths(cli, example_site, "--since", "2023-02-14T20:00")
    after_evening = _paths(cli, example_site, "--since", "2023-02-14T20:10")
    assert whole_day == before_evening
    dropped = set(whole_day) - set(after_evening)
    assert dropped and all("2023-02-14" in path for path in dropped)


def test_filters_resolve_to_the_library_filters() -> None:
    import datetime as dt

    from postctl.catalog.query import ALL, make_filters

    given = PostFilters(tag=["a"], category=["c"], author="ada", since="2024",
                        all_posts=True, where=["title?"])
    resolved = given.resolve(dt.timezone.utc)
    expected = make_filters(dt.timezone.utc, tags=["a"], categories=["c"], author="ada",
                            since="2024", all_posts=True, where=["title?"], now=resolved.now)
    assert resolved == expected
    assert resolved.drafts == ALL and resolved.tags == ("a",)
