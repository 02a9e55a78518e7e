"""``postctl stats``: the figures of a site's posts, from the site index (or the files).

Posts per month or year (every period from the first to the last, empty ones as 0), words
per post, drafts, the most used tags and authors, the oldest and the newest post. The posts
counted are those the filters choose (published ones by default, as ``list``); drafts are
counted apart, under the same filters otherwise.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from postctl.catalog.query import DRAFTS, PUBLISHED, Filters, Sort
from postctl.reporting import SILENT, Reporter

if TYPE_CHECKING:
    from postctl.catalog.indexview import IndexView
    from postctl.catalog.reader import Catalog
    from postctl.catalog.summary import Summary

Period = Literal["month", "year"]
AUTO_MONTHS = 24  # "auto": by month when the posts span at most this many months, else by year


@dataclass(frozen=True)
class Landmark:
    """The oldest or the newest post."""

    path: str
    title: str | None
    date: str  # ISO 8601 with its offset


@dataclass(frozen=True)
class WordFigures:
    total: int
    mean: int
    median: int
    shortest: int
    longest: int


@dataclass(frozen=True)
class SiteStats:
    posts: int  # the posts the filters chose
    drafts: int  # drafts under the same filters (not counted in ``posts`` unless chosen)
    undated: int  # chosen posts without a date (not in ``periods``)
    period: Period
    periods: list[tuple[str, int]]  # "2024-03" (month) or "2024" (year) -> posts
    words: WordFigures | None  # None: no post could be counted
    tags: list[tuple[str, int]]  # most used first, ties by name
    authors: list[tuple[str, int]]
    oldest: Landmark | None
    newest: Landmark | None

    def as_json(self) -> dict[str, Any]:
        """The figures as ``stats --format json`` writes them."""
        return {
            "posts": self.posts,
            "drafts": self.drafts,
            "undated": self.undated,
            "period": self.period,
            "per_period": [{"period": name, "posts": count} for name, count in self.periods],
            "words": dataclasses.asdict(self.words) if self.words else None,
            "top_tags": [{"name": name, "posts": count} for name, count in self.tags],
            "top_authors": [{"name": name, "posts": count} for name, count in self.authors],
            "oldest": dataclasses.asdict(self.oldest) if self.oldest else None,
            "newest": dataclasses.asdict(self.newest) if self.newest else None,
        }


def _from_json(data: dict[str, Any]) -> SiteStats:
    return SiteStats(
        posts=data["posts"], drafts=data["drafts"], undated=data["undated"],
        period=data["period"],
        periods=[(item["period"], item["posts"]) for item in data["per_period"]],
        words=WordFigures(**data["words"]) if data["words"] else None,
        tags=[(item["name"], item["posts"]) for item in data["top_tags"]],
        authors=[(item["name"], item["posts"]) for item in data["top_authors"]],
        oldest=Landmark(**data["oldest"]) if data["oldest"] else None,
        newest=Landmark(**data["newest"]) if data["newest"] else None,
    )


def site_stats(catalog: Catalog, filters: Filters, period: Period | Literal["auto"] = "auto",
               top: int = 10, reporter: Reporter = SILENT) -> SiteStats:
    """The figures of the posts of ``catalog`` that ``filters`` choose, with the ``top``
    tags and authors; posts per ``period`` (see :data:`AUTO_MONTHS`). The site index
    answers in SQL, without reading a row it does not count."""
    from postctl.catalog.indexview import IndexView

    if isinstance(catalog, IndexView) and not filters.where:
        return _cached_stats(catalog, filters, period, top, reporter)
    chosen = list(catalog.summaries(filters, Sort("date", descending=False)))
    drafts = (sum(1 for s in chosen if s.draft) if filters.drafts != PUBLISHED else
              sum(1 for _ in catalog.summaries(dataclasses.replace(filters, drafts=DRAFTS),
                                               Sort("path", descending=False))))
    dated = [s for s in chosen if s.day is not None and s.date_iso is not None]
    tags: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    for summary in chosen:
        tags.update(summary.tags)
        authors.update(summary.authors)
    days = Counter(s.day for s in dated if s.day)
    chosen_period = _period(days, period)
    return SiteStats(
        posts=len(chosen), drafts=drafts, undated=len(chosen) - len(dated),
        period=chosen_period, periods=per_period(days, chosen_period),
        words=word_figures(list(_words(catalog, chosen, reporter))),
        tags=most_used(tags, top), authors=most_used(authors, top),
        oldest=_landmark(dated[0]) if dated else None,
        newest=_landmark(dated[-1]) if dated else None,
    )


# The figures of the last ``stats`` are kept beside the index with the count of content
# changes to ``posts`` they were computed at (a trigger counts them), and given again while
# nothing changed: a warm ``stats`` reads one row. A rebuilt index drops all of it.
_CACHE = (
    "CREATE TABLE IF NOT EXISTS stats_cache (key TEXT PRIMARY KEY, figures TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS stats_epoch (id INTEGER PRIMARY KEY CHECK (id = 0), "
    "changes INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO stats_epoch (id, changes) VALUES (0, 0)",
    *(f"CREATE TRIGGER IF NOT EXISTS stats_posts_{event} AFTER {event} ON posts BEGIN "
      "UPDATE stats_epoch SET changes = changes + 1 WHERE id = 0; END"
      for event in ("insert", "delete")),
    "CREATE TRIGGER IF NOT EXISTS stats_posts_update AFTER UPDATE OF path, hash, error, "
    "title, date, day, draft, tags, authors ON posts BEGIN "
    "UPDATE stats_epoch SET changes = changes + 1 WHERE id = 0; END",
)


def _cached_stats(index: IndexView, filters: Filters, period: Period | Literal["auto"],
                  top: int, reporter: Reporter) -> SiteStats:
    import json
    import sqlite3

    key = json.dumps([repr(dataclasses.replace(filters, now=0.0)), period, top])
    execute = index.connection.execute
    try:
        row = execute("SELECT stats_cache.figures, stats_epoch.changes FROM stats_epoch "
                      "LEFT JOIN stats_cache ON stats_cache.key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # no such table: the first stats of this index
        row = None
    if row is not None and row[0] is not None:
        stored = json.loads(row[0])
        if stored["changes"] == row[1]:
            return _from_json(stored["figures"])
    with index._write():
        for statement in _CACHE:
            execute(statement)
        changes = execute("SELECT changes FROM stats_epoch").fetchone()[0]
    figures = _indexed_stats(index, filters, period, top, reporter)
    with index._write():  # a change meanwhile counts past ``changes``: computed again then
        execute("DELETE FROM stats_cache")
        execute("INSERT INTO stats_cache (key, figures) VALUES (?, ?)",
                (key, json.dumps({"changes": changes, "figures": figures.as_json()})))
    return figures


def _indexed_stats(index: IndexView, filters: Filters, period: Period | Literal["auto"],
                   top: int, reporter: Reporter) -> SiteStats:
    from postctl.catalog.querysql import sql_conditions
    from postctl.catalog.words import word_figures as indexed_figures

    condition, params = sql_conditions(filters)
    execute = index.connection.execute
    days: Counter[str] = Counter()
    undated = 0
    for day, count in execute(f"SELECT posts.day, COUNT(*) FROM posts WHERE {condition} "
                              "GROUP BY posts.day", params):
        if day is None:
            undated = count
        else:
            days[day] = count
    if filters.drafts == PUBLISHED:
        draft_condition, draft_params = sql_conditions(
            dataclasses.replace(filters, drafts=DRAFTS))
        drafts = int(execute(f"SELECT COUNT(*) FROM posts WHERE {draft_condition}",
                             draft_params).fetchone()[0])
    else:
        drafts = int(execute(f"SELECT COUNT(*) FROM posts WHERE {condition} AND posts.draft",
                             params).fetchone()[0])
    ends = [execute(f"SELECT posts.path, posts.title, posts.date FROM posts WHERE {condition} "
                    f"AND posts.day IS NOT NULL ORDER BY posts.date_epoch {way}, "
                    f"posts.path {way} LIMIT 1", params).fetchone() for way in ("ASC", "DESC")]
    chosen_period = _period(days, period)
    return SiteStats(
        posts=sum(days.values()) + undated, drafts=drafts, undated=undated,
        period=chosen_period, periods=per_period(days, chosen_period),
        words=_figures(indexed_figures(index, filters, reporter)),
        tags=most_used(Counter(index.term_counts("tags", filters)), top),
        authors=most_used(Counter(index.term_counts("authors", filters)), top),
        oldest=Landmark(*ends[0]) if ends[0] else None,
        newest=Landmark(*ends[1]) if ends[1] else None,
    )


def _figures(found: tuple[int, int, int, int, int] | None) -> WordFigures | None:
    if found is None:
        return None
    posts, total, median, shortest, longest = found
    return WordFigures(total=total, mean=round(total / posts), median=median,
                       shortest=shortest, longest=longest)


def _period(days: Counter[str], period: Period | Literal["auto"]) -> Period:
    if period != "auto":
        return period
    return "month" if len(per_period(days, "month")) <= AUTO_MONTHS else "year"


def per_period(days: Counter[str], period: Period) -> list[tuple[str, int]]:
    """Posts per month (``YYYY-MM``) or year of ``days`` (``YYYY-MM-DD`` -> posts that
    day), from the first period to the last, the empty ones included."""
    if not days:
        return []
    width = 7 if period == "month" else 4
    counts: Counter[str] = Counter()
    for day, count in days.items():
        counts[day[:width]] += count
    first, last = min(counts), max(counts)
    names: list[str] = []
    if period == "year":
        names = [str(year) for year in range(int(first), int(last) + 1)]
    else:
        year, month = int(first[:4]), int(first[5:7])
        while f"{year:04d}-{month:02d}" <= last:
            names.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [(name, counts.get(name, 0)) for name in names]


def word_figures(counts: list[int]) -> WordFigures | None:
    if not counts:
        return None
    return WordFigures(total=sum(counts), mean=round(statistics.fmean(counts)),
                       median=round(statistics.median(counts)), shortest=min(counts),
                       longest=max(counts))


def most_used(counts: Counter[str], top: int) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))[:top]


def _landmark(summary: Summary) -> Landmark:
    return Landmark(path=summary.path, title=summary.title, date=summary.date_iso or "")


def _words(catalog: Catalog, chosen: list[Summary], reporter: Reporter) -> list[int]:
    from postctl.catalog.indexview import IndexView
    from postctl.catalog.query import make_filters
    from postctl.catalog.words import count_files, indexed_words

    paths = [summary.path for summary in chosen]
    if isinstance(catalog, IndexView):
        known = indexed_words(catalog, make_filters(catalog.site.tz, all_posts=True), paths,
                              reporter)
        return [known[path] for path in paths if path in known]
    return [words for words in count_files(catalog.site, paths) if words is not None]
