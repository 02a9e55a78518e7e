"""What every rule family shares: the Rule record, the ``[lint]`` settings and the context
a check runs in (site, schema, settings, facts about the rest of the site)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from postctl.errors import ConfigError
from postctl.lint.diagnostics import SEVERITIES, Applicability, Severity

if TYPE_CHECKING:
    from postctl.lint.schema import Schema
    from postctl.post.model import Post
    from postctl.site.model import Site

Scope = Literal["post", "site"]


class Rule(NamedTuple):
    id: str
    name: str
    severity: Severity
    description: str
    fix: Applicability | None = None
    scope: Scope = "post"

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")


# --- [lint] settings ---------------------------------------------------------------------

DEFAULT_TITLE_MAX = 70
DEFAULT_EXCERPT_MAX = 160
_SETTINGS = ("select", "ignore", "severity", "per-file-ignores", "title-max-length",
             "excerpt-max-length")


class LintSettings(NamedTuple):
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity | Literal["off"]] = MappingProxyType({})
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    title_max_length: int = DEFAULT_TITLE_MAX
    excerpt_max_length: int = DEFAULT_EXCERPT_MAX


def matches(rule_id: str, selectors: Iterable[str]) -> bool:
    """Whether ``rule_id`` is named by a selector: ``ALL``, the id, or a prefix of it."""
    return any(sel == "ALL" or rule_id.startswith(sel) for sel in selectors)


def _most_specific(rule_id: str, table: Mapping[str, Any]) -> Any:
    best: tuple[int, Any] | None = None
    for selector, value in table.items():
        if (selector == "ALL" or rule_id.startswith(selector)) and (
            best is None or len(selector) > best[0]
        ):
            best = (0 if selector == "ALL" else len(selector), value)
    return None if best is None else best[1]


def parse_settings(raw: Mapping[str, Any], path: Path | None, known: Sequence[str]) -> LintSettings:
    """Validate the raw ``[lint]`` table (keys may use - or _)."""
    table = {key.replace("_", "-"): value for key, value in raw.items()}
    for key in table:
        if key not in _SETTINGS:
            raise ConfigError(path, "unknown setting (expected one of " + ", ".join(_SETTINGS)
                              + ")", f"lint.{key}")

    def selectors(key: str, value: object) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(path, f"expected a list of rule ids, got {value!r}", key)
        for item in value:
            check_selector(item, known, path, key)
        return tuple(value)

    severity: dict[str, Severity | Literal["off"]] = {}
    raw_severity = table.get("severity", {})
    if not isinstance(raw_severity, dict):
        raise ConfigError(path, f"expected a table, got {raw_severity!r}", "lint.severity")
    for rule_id, level in raw_severity.items():
        check_selector(rule_id, known, path, f"lint.severity.{rule_id}")
        if level not in (*SEVERITIES, "off"):
            raise ConfigError(path, f"expected 'error', 'warning' or 'off', got {level!r}",
                              f"lint.severity.{rule_id}")
        severity[rule_id] = level
    ignores = table.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        raise ConfigError(path, f"expected a table, got {ignores!r}", "lint.per-file-ignores")
    per_file = tuple(
        (pattern, selectors(f"lint.per-file-ignores.{pattern}", ids))
        for pattern, ids in ignores.items()
    )
    return LintSettings(
        select=selectors("lint.select", table.get("select", ["ALL"])),
        ignore=selectors("lint.ignore", table.get("ignore", [])),
        severity=severity,
        per_file_ignores=per_file,
        title_max_length=_limit(table, "title-max-length", DEFAULT_TITLE_MAX, path),
        excerpt_max_length=_limit(table, "excerpt-max-length", DEFAULT_EXCERPT_MAX, path),
    )


def check_selector(selector: str, known: Sequence[str], path: Path | None, key: str) -> None:
    if selector == "ALL" or any(rule_id.startswith(selector) for rule_id in known):
        return
    raise ConfigError(path, f"{selector!r} names no rule (see postctl lint --list-rules)", key)


def _limit(table: Mapping[str, Any], key: str, default: int, path: Path | None) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(path, f"expected a positive integer, got {value!r}", f"lint.{key}")
    return value


# --- facts about the site ----------------------------------------------------------------


class PostFact(NamedTuple):
    """What site-wide rules need to know about any post of the site."""

    rel_path: str
    title: str | None
    date: dt.datetime | None
    slug: str
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    url: str | None
    published: bool  # Jekyll would publish it (not a draft, not published: false)
    future: bool = False

    @property
    def stem(self) -> str:
        return os.path.splitext(self.rel_path.rsplit("/", 1)[-1])[0]


KeyKind = Literal["url", "title"]
TermField = Literal["tags", "categories"]


class SiteFacts(Protocol):
    """What site-wide rules ask about every post of the site, the posts being linted
    included: answered from posts read from the files, or by lookups in the site index."""

    def fact(self, rel_path: str) -> PostFact | None:
        """The facts of one post (None: no such post, or it cannot be parsed)."""
        ...

    def sharing(self, kind: KeyKind, keys: Collection[str]) -> dict[str, list[str]]:
        """Paths of the published posts by URL or title key (``postctl.lint.rules.keys``), for
        those of ``keys`` that several posts share."""
        ...

    def spellings(self, field: TermField, variants: Collection[str]) -> dict[str, Counter[str]]:
        """For each of ``variants`` (variant keys) written in several ways across the site:
        how many posts write each spelling."""
        ...

    def named(self, stem: str) -> list[PostFact]:
        """The posts whose file name without its extension is ``stem``, by path."""
        ...

    def with_slug(self, slug: str) -> list[PostFact]:
        """The posts whose slug is ``slug``, by path."""
        ...

    def has_url(self, url_key: str) -> bool:
        """Whether some post (published or not) has this URL key."""
        ...


class Context:
    """Everything a check may consult. ``facts`` are loaded only when a rule asks.

    One per lint run: a plain class, cheaper to define at start-up than a dataclass."""

    def __init__(self, *, site: Site, schema: Schema, settings: LintSettings, now: dt.datetime,
                 enabled: Callable[[str], bool], load_facts: Callable[[], SiteFacts],
                 defaults_for: Callable[[Post], Mapping[str, Any]]) -> None:
        self.site = site
        self.schema = schema
        self.settings = settings
        self.now = now
        self.enabled = enabled
        self.load_facts = load_facts
        self.defaults_for = defaults_for
        self.memo: dict[str, Any] = {}  # per-run caches of the rule families
        self._exists: dict[str, bool] = {}
        self._listings: dict[str, frozenset[str] | None] = {}

    @cached_property
    def facts(self) -> SiteFacts:
        return self.load_facts()

    def exists(self, rel: str) -> bool:
        """Whether ``rel`` (relative to the site root) is a file or folder of the site.

        Folders are listed once, so checking many images in one folder costs one listing.
        """
        found = self._exists.get(rel)
        if found is None:
            root = str(self.site.root)
            if rel and ".." not in rel and "//" not in rel and not rel.startswith("/") and \
                    "/." not in rel and not rel.startswith(".") and os.sep == "/":
                target = f"{root}/{rel}".rstrip("/")  # already normal: skip normpath
            else:
                target = os.path.normpath(os.path.join(root, rel))
            if target == root:
                found = True
            elif not target.startswith(root + os.sep):
                found = False
            else:
                folder, name = os.path.split(target)
                names = self._listing(folder)
                found = name in names if names is not None else os.path.exists(target)
            self._exists[rel] = found
        return found

    def _listing(self, folder: str) -> frozenset[str] | None:
        if folder not in self._listings:
            try:
                self._listings[folder] = frozenset(os.listdir(folder))
            except FileNotFoundError:
                self._listings[folder] = frozenset()
            except OSError:
                self._listings[folder] = None
        return self._listings[folder]

    def ignored_for_file(self, rel_path: str) -> tuple[str, ...]:
        found: list[str] = []
        for pattern, ids in self.settings.per_file_ignores:
            if fnmatch.fnmatch(rel_path, pattern) or fnmatch.fnmatch(
                    rel_path.rsplit("/", 1)[-1], pattern):
                found.extend(ids)
        return tuple(found)

