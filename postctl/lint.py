"""Run the lint rules over a site's posts and produce a LintReport; apply fixes.

``run_lint(site, options)`` is the one entry point. It reads posts read-only; with
``options.fix`` it applies safe (and with ``unsafe_fixes`` unsafe) fixes through
``postctl.fixes``, which writes only through ``edit``/``fsio`` (verified, atomic).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl import rules as registry
from postctl.diagnostics import Diagnostic, Finding
from postctl.errors import SourceError, UsageError
from postctl.post import POST_EXTENSIONS, Post
from postctl.rules.base import Context, LintSettings, PostFact, matches, parse_settings

if TYPE_CHECKING:
    from postctl.scan import PostLoader
    from postctl.schema import Schema
    from postctl.site import PostFolder, Site

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_WRITE_REFUSED = 3


@dataclass(frozen=True)
class LintOptions:
    paths: tuple[str, ...] = ()  # as given (relative to cwd); empty: every post of the site
    select: tuple[str, ...] = ()  # empty: the config's (default ALL)
    ignore: tuple[str, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    dry_run: bool = False  # --diff / --check: compute fixes, write nothing
    now: dt.datetime | None = None
    cwd: Path | None = None


@dataclass(frozen=True)
class FileChange:
    """One file changed (or that would change) by fixes."""

    path: str  # relative to the site root
    old: bytes
    new: bytes
    fixes: int
    rename_to: str | None = None  # relative to the site root
    written: bool = False


@dataclass(frozen=True)
class LintReport:
    root: Path
    diagnostics: tuple[Diagnostic, ...]
    files: int
    changes: tuple[FileChange, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()  # (path, reason) of refused writes
    fixable: int = 0  # safe fixes not applied (no --fix)
    hidden: int = 0  # unsafe fixes not applied (no --unsafe-fixes)
    options: LintOptions = field(default_factory=LintOptions)

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    def exit_code(self, strict: bool = False, exit_non_zero_on_fix: bool = False) -> int:
        if self.refused:
            return EXIT_WRITE_REFUSED
        if self.errors or (strict and self.warnings):
            return EXIT_FINDINGS
        if self.changes and (self.options.dry_run or exit_non_zero_on_fix):
            return EXIT_FINDINGS
        return EXIT_OK


# --- targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    path: Path
    folder: PostFolder


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def resolve_targets(site: Site, loader: PostLoader, paths: Sequence[str],
                    cwd: Path) -> list[Target]:
    """The post files among ``paths`` (folders walked); other files are skipped silently.

    A path that does not exist is a UsageError (exit 2).
    """
    found: dict[str, Target] = {}
    for given in paths:
        path = Path(given)
        if not path.is_absolute():
            path = cwd / path
        if not os.path.lexists(path):
            raise UsageError(f"{given}: no such file or folder")
        if path.is_dir() and not path.is_symlink():
            candidates: Iterable[Path] = _walk(path)
        else:
            candidates = (path,)
        for candidate in candidates:
            target = _as_target(site, loader, candidate)
            if target is not None:
                found.setdefault(str(target.path), target)
    return list(found.values())


def _walk(folder: Path) -> Iterator[Path]:
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in sorted(files):
            if not _is_hidden(name):
                yield Path(current) / name


def _as_target(site: Site, loader: PostLoader, path: Path) -> Target | None:
    if not path.name.endswith(POST_EXTENSIONS) or path.name.startswith("_index."):
        return None
    real = Path(os.path.realpath(path.parent)) / path.name
    for folder in site.folders:
        if real.is_relative_to(folder.path):
            rel_parts = real.relative_to(folder.path).parts
            if any(_is_hidden(part) for part in rel_parts):
                return None
            if not folder.hugo and any(part.startswith("_") for part in rel_parts[:-1]):
                return None
            return Target(real, loader.folder_of(real))
    return None


def site_targets(site: Site) -> list[Target]:
    from postctl.scan import iter_post_files

    return [Target(Path(item.path), item.folder) for item in iter_post_files(site)]


# --- running -----------------------------------------------------------------------------------


class Linter:
    """One lint run: settings, selection, context, and the loaded posts."""

    def __init__(self, site: Site, options: LintOptions) -> None:
        from postctl.scan import PostLoader
        from postctl.schema import load_schema

        self.site = site
        self.options = options
        self.settings: LintSettings = parse_settings(site.config.lint, site.config.path,
                                                     registry.ALL_IDS)
        self.schema: Schema = load_schema(site.config.schema, site.config.path)
        for selector in (*options.select, *options.ignore):
            from postctl.rules.base import check_selector

            check_selector(selector, registry.ALL_IDS, None, "--select/--ignore")
        select = options.select or self.settings.select
        ignore = (*self.settings.ignore, *options.ignore)
        self.enabled_ids = frozenset(
            rule.id for rule in registry.selected(select, ignore)
            if self._severity_setting(rule.id) != "off"
        )
        self.loader = PostLoader(site)
        self.now = options.now or dt.datetime.now(dt.timezone.utc)
        self.posts: dict[str, Post] = {}
        self._defaults: dict[str, Mapping[str, Any]] = {}
        self._whole_site = not options.paths
        self.context = Context(
            site=site, schema=self.schema, settings=self.settings, now=self.now,
            enabled=self.enabled, load_facts=self._load_facts, defaults_for=self._defaults_for)

    def enabled(self, rule_id: str) -> bool:
        return rule_id in self.enabled_ids

    def _severity_setting(self, rule_id: str) -> Any:
        best: tuple[int, Any] | None = None
        for selector, level in self.settings.severity.items():
            if matches(rule_id, (selector,)):
                size = 0 if selector == "ALL" else len(selector)
                if best is None or size > best[0]:
                    best = (size, level)
        return None if best is None else best[1]

    def _defaults_for(self, post: Post) -> Mapping[str, Any]:
        found = self._defaults.get(post.rel_path)
        if found is None:
            found = self.loader.context(post.path).defaults
            self._defaults[post.rel_path] = found
        return found

    # facts --------------------------------------------------------------------------------

    def fact(self, post: Post) -> PostFact:
        return fact_of(post, self.site, self.now)

    def _load_facts(self) -> Sequence[PostFact]:
        own = {rel: self.fact(post) for rel, post in self.posts.items()}
        if self._whole_site:
            return list(own.values())
        return [*own.values(), *rest_of_site(self.site, set(own), self.now)]

    # checking -----------------------------------------------------------------------------

    def load(self, target: Target) -> Post | SourceError:
        from postctl.scan import read_post_bytes

        limits = self.site.config.limits
        try:
            raw = read_post_bytes(target.path, limits.max_file_bytes)
            from postctl.post import parse_post

            return parse_post(raw, target.path, self.loader.context(target.path, target.folder),
                              limits.max_front_matter_bytes)
        except SourceError as error:
            return error

    def check_post(self, post: Post) -> list[Finding]:
        findings: list[Finding] = []
        for family in registry.POST_FAMILIES:
            if any(self.enabled(rule.id) for rule in family.RULES):
                findings.extend(f for f in family.check(post, self.context)
                                if self.enabled(f.rule))
        return findings

    def check_site(self, posts: Sequence[Post]) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        for family in registry.SITE_FAMILIES:
            if any(self.enabled(rule.id) for rule in family.RULES):
                for post, finding in family.check_site(posts, self.context):
                    if self.enabled(finding.rule):
                        found.setdefault(post.rel_path, []).append(finding)
        return found

    def diagnose(self, rel_path: str, post: Post | None,
                 findings: Iterable[Finding]) -> list[Diagnostic]:
        """Apply suppression comments, per-file ignores and severities."""
        ignored_file = self.context.ignored_for_file(rel_path)
        file_ids, line_ids = suppressions(post) if post is not None else ((), {})
        result = []
        for finding in findings:
            rule_id = finding.rule
            if ignored_file and matches(rule_id, ignored_file):
                continue
            if file_ids and matches(rule_id, file_ids):
                continue
            on_line = line_ids.get(finding.line)
            if on_line and matches(rule_id, on_line):
                continue
            severity = self._severity_setting(rule_id)
            if severity is None:
                severity = finding.severity or registry.RULES_BY_ID[rule_id].severity
            fix = finding.fix if finding.fix is not None and _fix_usable(post, finding) else None
            result.append(Diagnostic(rel_path, finding.line, finding.column, rule_id, severity,
                                     finding.message, fix is not None, fix))
        return result

    def lint_targets(self, targets: Sequence[Target]) -> list[Diagnostic]:
        diagnostics: list[Diagnostic] = []
        loaded: list[Post] = []
        for target in targets:
            item = self.load(target)
            if isinstance(item, SourceError):
                from postctl.rules.syntax import source_error

                finding = source_error(item)
                if self.enabled(finding.rule):
                    rel = self.site.relative(target.path)
                    diagnostics.extend(self.diagnose(rel, None, [finding]))
                continue
            self.posts[item.rel_path] = item
            loaded.append(item)
        # Every post is loaded before any check runs: facts about the site are complete.
        per_post = {post.rel_path: self.check_post(post) for post in loaded}
        for rel, site_findings in self.check_site(loaded).items():
            per_post[rel].extend(site_findings)
        for post in loaded:
            diagnostics.extend(self.diagnose(post.rel_path, post, per_post[post.rel_path]))
        diagnostics.sort(key=Diagnostic.sort_key)
        return diagnostics


def _fix_usable(post: Post | None, finding: Finding) -> bool:
    """Whether a finding's fix can be applied (edits that postctl can splice)."""
    fix = finding.fix
    if fix is None or post is None:
        return False
    if not fix.edits:
        return True
    from postctl.edit import apply_edits
    from postctl.errors import PostctlError

    try:
        return apply_edits(post.source, fix.edits) != post.source.raw
    except (PostctlError, KeyError, ValueError, TypeError):
        return False


_SUPPRESS = re.compile(r"postctl:\s*ignore\[([^\]]*)\]")


def suppressions(post: Post) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """Rule ids silenced for the whole file (comments above the first key) and per line."""
    comments = post.metadata.comments
    if not comments:
        return (), {}
    first_key = min((info.line for info in post.metadata.keys.values()), default=10**9)
    file_ids: list[str] = []
    per_line: dict[int, tuple[str, ...]] = {}
    for line, text in comments:
        found = _SUPPRESS.search(text)
        if found is None:
            continue
        ids = tuple(part.strip() for part in found[1].split(",") if part.strip())
        if line < first_key:
            file_ids.extend(ids)
        else:
            per_line[line] = ids
    return tuple(file_ids), per_line


# --- facts -------------------------------------------------------------------------------------


def fact_of(post: Post, site: Site, now: dt.datetime) -> PostFact:
    return PostFact(
        rel_path=post.rel_path,
        title=post.title,
        date=post.date,
        slug=post.slug,
        tags=post.tags,
        categories=post.categories,
        url=post_url(post, site),
        published=not post.draft,
        future=post.date is not None and post.date > now,
    )


def post_url(post: Post, site: Site) -> str | None:
    """The URL Jekyll publishes the post at (postctl.urls), or None when unknown."""
    try:
        from postctl import urls
    except ImportError:  # pragma: no cover - postctl.urls ships with postctl
        return fallback_url(post, site)
    try:
        found = urls.post_url(post, site)
    except Exception:  # a URL that cannot be derived is simply unknown
        return None
    return found if isinstance(found, str) else None


def fallback_url(post: Post, site: Site) -> str | None:
    """Jekyll's default ``date`` permalink, for sites where postctl.urls is missing."""
    if site.flavour != "jekyll" or post.date is None:
        return None
    permalink = post.values.get("permalink")
    if isinstance(permalink, str) and permalink:
        return permalink
    from postctl.dates import local_day

    day = local_day(post.date, site.tz)
    categories = "/".join(c.lower() for c in post.categories)
    prefix = f"/{categories}" if categories else ""
    return f"{prefix}/{day:%Y/%m/%d}/{post.slug}.html"


def rest_of_site(site: Site, skip: set[str], now: dt.datetime) -> list[PostFact]:
    """Facts about every post not being linted: from the site index, else by scanning."""
    from_index = _facts_from_index(site, skip, now)
    if from_index is not None:
        return from_index
    from postctl.scan import iter_post_files, scan_posts

    files = [item for item in iter_post_files(site) if site.relative(Path(item.path)) not in skip]
    return [fact_of(post, site, now) for post in scan_posts(site, files)
            if not isinstance(post, SourceError)]


def _facts_from_index(site: Site, skip: set[str], now: dt.datetime) -> list[PostFact] | None:
    """Facts from the site index (refreshed first: only changed files are re-read)."""
    import json

    from postctl import index

    try:
        with index.open_index(site) as opened:
            opened.refresh()
            rows = opened.connection.execute(
                "SELECT path, title, slug, url, date, draft, tags, categories FROM posts "
                "WHERE error IS NULL").fetchall()
    except index.IndexUnavailable:
        return None
    facts = []
    for rel, title, slug, url, date_iso, draft, tags, categories in rows:
        if rel in skip:
            continue
        date = dt.datetime.fromisoformat(date_iso) if date_iso else None
        facts.append(PostFact(rel, title, date, slug or "", tuple(json.loads(tags)),
                              tuple(json.loads(categories)), url, not draft,
                              date is not None and date > now))
    return facts


# --- entry point -------------------------------------------------------------------------------


def run_lint(site: Site, options: LintOptions) -> LintReport:
    """Lint the posts named by ``options.paths`` (or every post) and apply fixes if asked."""
    linter = Linter(site, options)
    cwd = options.cwd or Path.cwd()
    targets = (resolve_targets(site, linter.loader, options.paths, cwd) if options.paths
               else site_targets(site))
    diagnostics = linter.lint_targets(targets)
    if not (options.fix or options.dry_run):
        return LintReport(site.root, tuple(diagnostics), len(targets),
                          fixable=_count(diagnostics, "safe"),
                          hidden=_count(diagnostics, "unsafe"), options=options)
    from postctl.fixes import apply_fixes

    outcome = apply_fixes(linter, diagnostics, options)
    if outcome.changes and not options.dry_run:
        targets = [_renamed(site, linter, target, outcome.renames) for target in targets]
        linter = Linter(site, options)
        diagnostics = linter.lint_targets(targets)
    unsafe_left = 0 if options.unsafe_fixes else _count(diagnostics, "unsafe")
    return LintReport(site.root, tuple(diagnostics), len(targets), tuple(outcome.changes),
                      tuple(outcome.refused), fixable=0, hidden=unsafe_left, options=options)


def _renamed(site: Site, linter: Linter, target: Target, renames: Mapping[str, str]) -> Target:
    rel = site.relative(target.path)
    if rel in renames:
        return Target(site.root / renames[rel], target.folder)
    return target


def _count(diagnostics: Iterable[Diagnostic], applicability: str) -> int:
    return sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == applicability)
