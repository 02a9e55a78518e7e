"""Options declared once: the post filters of list and search, and what --since/--until take."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from postctl.cli import command as cli_command
from postctl.cli.options import PostFilters

FILTERS = ("tag", "any_tag", "category", "author", "since", "until", "drafts", "all_posts",
           "no_future", "where")


def _params(command: str) -> dict[str, click.Parameter]:
    built = cli_command(command)
    assert built is not None
    return {param.name or "": param for param in built.params}


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


@pytest.mark.parametrize("name", ["since", "until"])
def test_date_bounds_help_names_every_form_they_take(name: str) -> None:
    text = _params("list")[name].help or ""
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
