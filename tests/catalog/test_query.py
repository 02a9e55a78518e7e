from __future__ import annotations

import datetime as dt
import json
import math
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from postctl.catalog import matching, ordering, query, querysql
from postctl.catalog.matching import RegexBudget
from postctl.catalog.query import Bound, Filters, Sort, Where
from postctl.catalog.summary import Summary
from postctl.errors import UsageError

UTC = dt.timezone.utc
NOW = dt.datetime(2025, 1, 1, tzinfo=UTC).timestamp()


def make(path: str = "_posts/a.md", *, date: dt.datetime | None = None, tags=(), categories=(),
         authors=(), draft: bool = False, title: str | None = "T",
         fm: dict[str, Any] | None = None, defaults: dict[str, Any] | None = None,
         tz: dt.tzinfo = UTC) -> Summary:
    return Summary(
        path=path, slug=path.rsplit("/", 1)[-1][:-3], url=None, title=title,
        date_iso=date.isoformat() if date else None,
        epoch=date.timestamp() if date else None,
        day=date.astimezone(tz).date().isoformat() if date else None,
        draft=draft, tags=tuple(tags), categories=tuple(categories), authors=tuple(authors),
        fm_json=json.dumps(fm or {}),
        defaults_json=json.dumps(defaults) if defaults else None,
    )


def day(y: int, m: int, d: int, h: int = 12, tz: dt.tzinfo = UTC) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=tz)


# --- --where ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("layout=post", Where("layout", "=", "post")),
        ("author != bob", Where("author", "!=", " bob")),
        ("image?", Where("image", "?")),
        ("!image", Where("image", "!")),
        ("a.b=c=d", Where("a.b", "=", "c=d")),
        ("title=", Where("title", "=", "")),
    ],
)
def test_parse_where(text: str, expected: Where) -> None:
    assert query.parse_where(text) == expected


def test_parse_where_regex_compiles() -> None:
    where = query.parse_where("title~^How (to|not)")
    assert where.op == "~" and where.pattern is not None
    assert where.pattern.search("How to cook")


@pytest.mark.parametrize("text", ["", "layout", "=post", "?", "!", "title~(", "a~" + "x" * 600])
def test_bad_where_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError):
        query.parse_where(text)


def where(text: str, summary: Summary) -> bool:
    return matching.where_matches(query.parse_where(text), summary)


def test_where_equality_compares_text_forms() -> None:
    post = make(fm={"layout": "post", "rating": 5, "published": False, "date": "2024-01-02",
                    "list": ["a", "b"], "nothing": None})
    assert where("layout=post", post)
    assert not where("layout=Post", post)
    assert where("rating=5", post)
    assert where("published=false", post)
    assert where("date=2024-01-02", post)
    assert where("list=b", post) and not where("list=c", post)
    assert where("nothing=null", post)
    assert where("missing!=x", post) and not where("missing=x", post)
    assert where("layout!=page", post) and not where("layout!=post", post)


def test_where_presence() -> None:
    post = make(fm={"image": "a.png", "empty": "", "none": None, "nolist": []})
    assert where("image?", post) and not where("!image", post)
    for key in ("empty", "none", "nolist", "missing"):
        assert where(f"!{key}", post) and not where(f"{key}?", post)


def test_where_sees_jekyll_defaults_and_normalised_lists() -> None:
    post = make(fm={"title": "x", "tags": "one two"}, tags=("one", "two"),
                defaults={"layout": "post"})
    assert where("layout=post", post)
    assert where("tags=two", post)  # Jekyll splits a tags string on spaces


def test_where_regex_and_dotted_keys() -> None:
    post = make(fm={"title": "How to bake", "author": {"name": "Ada"}})
    assert where("title~^How", post) and not where("title~^how", post)
    assert where("title~(?i)^how", post)
    assert where("author.name=Ada", post)


def test_regex_budget_stops_catastrophic_backtracking() -> None:
    evil = query.parse_where("title~^(a+)+$")
    post = make(title="x", fm={"title": "a" * 40 + "b"})
    budget = RegexBudget(0.2)
    start = time.perf_counter()
    with pytest.raises(UsageError, match="budget"):
        matching.where_matches(evil, post, budget)
    assert time.perf_counter() - start < 2


def test_regex_budget_defaults_to_the_setting_when_made(monkeypatch) -> None:
    assert RegexBudget().seconds == matching.REGEX_BUDGET_SECONDS
    monkeypatch.setattr(matching, "REGEX_BUDGET_SECONDS", 0.25)
    assert RegexBudget().seconds == 0.25


def test_regex_budget_is_total_across_posts() -> None:
    budget = RegexBudget(0.0)
    with pytest.raises(UsageError):
        budget(lambda text: None, "x")


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2024-03-05", False, Bound(day="2024-03-05")),
        ("2024-3-5", True, Bound(day="2024-03-05")),
        ("2024", False, Bound(day="2024-01-01")),
        ("2024", True, Bound(day="2024-12-31")),
        ("2024-02", True, Bound(day="2024-02-29")),
        ("2024-12", True, Bound(day="2024-12-31")),
        ("2024-12", False, Bound(day="2024-12-01")),
    ],
)
def test_parse_bound(text: str, end: bool, expected: Bound) -> None:
    assert query.parse_bound(text, UTC, end=end, option="--since") == expected


def test_parse_bound_with_time_is_an_instant() -> None:
    bound = query.parse_bound("2024-03-05T10:00:00+02:00", UTC, end=False, option="--since")
    assert bound.epoch == dt.datetime(2024, 3, 5, 8, tzinfo=UTC).timestamp()


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "2024-02-30", "05/03"])
def test_bad_bound(text: str) -> None:
    with pytest.raises(UsageError, match="--until"):
        query.parse_bound(text, UTC, end=True, option="--until")


def test_since_until_are_inclusive_days_in_the_site_zone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    late = make(date=dt.datetime(2024, 3, 4, 23, 30, tzinfo=UTC), tz=berlin)  # 00:30 on the 5th
    filters = query.make_filters(berlin, since="2024-03-05", until="2024-03-05", now=NOW)
    assert matching.matches(late, filters)
    filters = query.make_filters(berlin, until="2024-03-04", now=NOW)
    assert not matching.matches(late, filters)
    assert not matching.matches(make(), query.make_filters(UTC, since="2000", now=NOW))


# --- filters ------------------------------------------------------------------------------------


def test_tags_all_or_any_ignoring_case() -> None:
    post = make(tags=("Python", "CLI"))
    assert matching.matches(post, Filters(tags=("python",), now=NOW))
    assert matching.matches(post, Filters(tags=("PYTHON", "cli"), now=NOW))
    assert not matching.matches(post, Filters(tags=("python", "go"), now=NOW))
    assert matching.matches(post, Filters(tags=("python", "go"), any_tag=True, now=NOW))
    assert not matching.matches(post, Filters(tags=("rust", "go"), any_tag=True, now=NOW))


def test_categories_authors_drafts_future() -> None:
    post = make(categories=("Tech", "News"), authors=("Ada Okafor",), date=day(2030, 1, 1))
    assert matching.matches(post, Filters(categories=("tech", "news"), now=NOW))
    assert not matching.matches(post, Filters(categories=("tech", "food"), now=NOW))
    assert matching.matches(post, Filters(authors=("ada okafor",), now=NOW))
    assert not matching.matches(post, Filters(authors=("bob",), now=NOW))
    assert post.future(NOW)
    assert not matching.matches(post, Filters(no_future=True, now=NOW))
    draft = make(draft=True)
    assert not matching.matches(draft, Filters(now=NOW))
    assert matching.matches(draft, Filters(drafts=query.DRAFTS, now=NOW))
    assert not matching.matches(post, Filters(drafts=query.DRAFTS, now=NOW))
    assert matching.matches(draft, Filters(drafts=query.ALL, now=NOW))


def test_drafts_and_all_conflict() -> None:
    with pytest.raises(UsageError):
        query.drafts_mode(True, True)


def test_sql_conditions_use_placeholders_only() -> None:
    filters = query.make_filters(UTC, tags=["a'; DROP TABLE posts; --"], since="2024",
                                 no_future=True, now=NOW)
    sql, params = querysql.sql_conditions(filters)
    assert "DROP" not in sql
    assert "a'; drop table posts; --" in params


def test_the_index_orders_by_date_and_path_only() -> None:
    assert querysql.order_by(Sort("date", True)) == (
        "posts.date_epoch IS NULL, posts.date_epoch DESC, posts.path")
    assert querysql.order_by(Sort("path", False)) == "posts.path ASC"
    assert querysql.order_by(Sort("title", False)) is None  # sorted in Python


# --- sorting ------------------------------------------------------------------------------------


def test_parse_sort() -> None:
    assert query.parse_sort("-date") == Sort("date", True)
    assert query.parse_sort("title") == Sort("title", False)
    assert query.parse_sort("+slug") == Sort("slug", False)
    with pytest.raises(UsageError):
        query.parse_sort("-")


def test_sort_by_date_newest_first_missing_last_ties_by_path() -> None:
    posts = [make("_posts/c.md", date=day(2024, 1, 1)), make("_posts/b.md"),
             make("_posts/a.md", date=day(2024, 1, 1)), make("_posts/d.md", date=day(2025, 1, 1))]
    ordered = ordering.sort_summaries(posts, Sort("date", True), UTC, NOW)
    assert [p.path for p in ordered] == ["_posts/d.md", "_posts/a.md", "_posts/c.md",
                                         "_posts/b.md"]
    ordered = ordering.sort_summaries(posts, Sort("date", False), UTC, NOW)
    assert [p.path for p in ordered] == ["_posts/a.md", "_posts/c.md", "_posts/d.md",
                                         "_posts/b.md"]


def test_sort_on_mixed_types_never_raises() -> None:
    values: list[Any] = [3, "b", "2024-01-05", None, True, ["x"], {"k": 1}, 1.5, "A",
                         "2024-01-05T10:00:00+02:00", float("nan"), "", "2023-12-31"]
    posts = [make(f"_posts/{i:02d}.md", fm={"key": value}) for i, value in enumerate(values)]
    ordered = ordering.sort_summaries(posts, Sort("key", False), UTC, NOW)
    keys = [p.front_matter["key"] for p in ordered]
    assert keys[:3] == [True, 1.5, 3]
    assert math.isnan(keys[3])
    assert keys[4:7] == ["2023-12-31", "2024-01-05", "2024-01-05T10:00:00+02:00"]
    assert keys[7:9] == ["A", "b"]
    assert keys[9:] == [["x"], {"k": 1}, None, ""]  # missing values last, by path
    reverse = ordering.sort_summaries(posts, Sort("key", True), UTC, NOW)
    assert [p.front_matter["key"] for p in reverse][:2] == [{"k": 1}, ["x"]]


def test_sort_value_ranks() -> None:
    assert ordering.sort_value(None, UTC) is None
    assert ordering.sort_value(False, UTC) < ordering.sort_value(0, UTC)  # type: ignore[operator]
    assert ordering.sort_value(dt.date(2024, 1, 1), UTC) == ordering.sort_value("2024-01-01", UTC)
    assert ordering.sort_value("b", UTC) > ordering.sort_value("A", UTC)  # type: ignore[operator]


def test_ordered_limit() -> None:
    posts = [make(f"_posts/{i}.md", date=day(2024, 1, i + 1)) for i in range(5)]
    assert [p.path for p in ordering.ordered(posts, Sort(), UTC, NOW, 2)] == ["_posts/4.md",
                                                                          "_posts/3.md"]
