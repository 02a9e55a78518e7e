"""Run the lint rules over a site's posts and produce a LintReport; apply fixes.

``run_lint(site, options)`` is the one entry point. It reads posts read-only; with
``options.fix`` it applies safe (and with ``unsafe_fixes`` unsafe) fixes through
``postctl.fixes``, which writes only through ``edit``/``fsio`` (verified, atomic).
"""

from __future__ import annotations

import datetime as dt
import operator
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from postctl import rules as registry
from postctl.diagnostics import Diagnostic, Finding, Fix
from postctl.errors import SourceError, UsageError
from postctl.post import POST_EXTENSIONS, Post
from postctl.rules.base import (
    Context,
    LintSettings,
    PostFact,
    check_selector,
    matches,
    parse_settings,
)

if TYPE_CHECKING:
    from postctl.rules.site import Subject
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
    use_cache: bool = True  # read-only runs on large sites use the site index and lint cache


class FileChange(NamedTuple):
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


class Target(NamedTuple):
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


_ORDER = operator.itemgetter(0, 1, 2, 3, 5)  # path, line, column, rule, message


class Checked(NamedTuple):
    """What one post gives, before the rest of the site is consulted (what the cache keeps)."""

    rel_path: str
    pure: list[tuple[Finding, bool]]  # findings of the file-only rules; whether the fix applies
    refs: Sequence[Sequence[Any]]  # Ref, or [kind, target, line, column] from the cache
    suppress: tuple[tuple[str, ...], dict[int, tuple[str, ...]]]
    subject: Subject
    date_place: tuple[int, int]
    editable: frozenset[str]  # tag/category keys a fix can rewrite


Pairs = list[tuple[Finding, bool]]


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
        self.facts: list[PostFact] | None = None  # set when known (the index), else computed
        self.files_checked = 0
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
        return fact_of(post, self.site, self.now, self._defaults_for(post))

    def _load_facts(self) -> Sequence[PostFact]:
        if self.facts is not None:
            return self.facts
        own = {rel: self.fact(post) for rel, post in self.posts.items()}
        if self._whole_site:
            return list(own.values())
        if self.options.use_cache and count_posts(self.site) >= SMALL_SITE:
            cached = self.cached_facts()
            if cached is not None:
                return [*own.values(), *(f for f in cached if f.rel_path not in own)]
        return [*own.values(), *rest_of_site(self.site, set(own), self.now)]

    def cached_facts(self) -> list[PostFact] | None:
        """Facts about every post from the lint cache (posts changed since are read)."""
        import sqlite3

        from postctl.scan import iter_post_files

        try:
            connection = open_cache(self.site)
        except (OSError, sqlite3.Error):
            return None
        try:
            rows = {row[0]: row for row in connection.execute(_CACHE_SELECT)}
            run = self._from_cache(list(iter_post_files(self.site)), rows, cache_key(self), ())
            _store(connection, run.fresh, ())
        except sqlite3.Error:
            return None
        finally:
            connection.close()
        return run.facts

    # checking -----------------------------------------------------------------------------

    def load(self, target: Target) -> tuple[Post | SourceError, bytes | None]:
        from postctl.post import parse_post
        from postctl.scan import read_post_bytes

        limits = self.site.config.limits
        try:
            raw = read_post_bytes(target.path, limits.max_file_bytes)
        except SourceError as error:
            return error, None
        try:
            post = parse_post(raw, target.path, self.loader.context(target.path, target.folder),
                              limits.max_front_matter_bytes)
        except SourceError as error:
            return error, raw
        return post, raw

    def checked(self, post: Post) -> Checked:
        """Run the file-only rules and collect what the site-dependent ones need."""
        from postctl.rules import dates, references, site

        pure: Pairs = []
        for family in registry.PURE_FAMILIES:
            if any(self.enabled(rule.id) for rule in family.RULES):
                pure.extend((f, _fix_usable(post, f)) for f in family.check(post, self.context)
                            if self.enabled(f.rule))
        refs = references.extract(post, self.context) if self._family_on(references) else []
        return Checked(post.rel_path, pure, refs, suppressions(post), site.subject(post),
                       dates.date_place(post), _editable(post))

    def _family_on(self, family: Any) -> bool:
        return any(self.enabled(rule.id) for rule in family.RULES)

    def dynamic(self, checked: Checked) -> Pairs:
        """Findings that depend on the rest of the site or on the clock."""
        from postctl.rules import dates, references

        found: Pairs = [(f, False) for f in references.resolve(checked.refs, self.context)
                        if self.enabled(f.rule)]
        if self.enabled("D005"):
            fact = self.context.facts_by_path.get(checked.rel_path)
            if fact is not None:
                found.extend((f, False) for f in dates.future(
                    checked.rel_path, fact.date, fact.published, checked.date_place,
                    self.context))
        return found

    def site_findings(self, checked: Mapping[str, Checked],
                      live: Mapping[str, Post]) -> dict[str, Pairs]:
        found: dict[str, Pairs] = {}
        subjects = [item.subject for item in checked.values()]
        for family in registry.SITE_FAMILIES:
            if not self._family_on(family):
                continue
            for subject, finding in family.check_site(subjects, self.context):
                if not self.enabled(finding.rule):
                    continue
                post = live.get(subject.rel_path)
                if post is not None:
                    usable = _fix_usable(post, finding)
                else:
                    keys = {e.key for e in finding.fix.edits} if finding.fix else set()
                    usable = bool(keys) and keys <= checked[subject.rel_path].editable
                found.setdefault(subject.rel_path, []).append((finding, usable))
        return found

    def diagnose_post(self, post: Post) -> list[Diagnostic]:
        """Every diagnostic of one live post (used again and again while fixing it)."""
        checked = self.checked(post)
        pairs = checked.pure + self.dynamic(checked)
        pairs += self.site_findings({post.rel_path: checked},
                                    {post.rel_path: post}).get(post.rel_path, [])
        return self.diagnose(post.rel_path, checked.suppress, pairs)

    def diagnose(self, rel_path: str, suppress: tuple[tuple[str, ...], dict[int, tuple[str, ...]]],
                 pairs: Iterable[tuple[Finding, bool]]) -> list[Diagnostic]:
        """Apply suppression comments, per-file ignores and severities."""
        ignored_file = self.context.ignored_for_file(rel_path)
        file_ids, line_ids = suppress
        result = []
        for finding, usable in pairs:
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
            fix = finding.fix if usable else None
            if fix is not None and fix.rename is not None:
                folder = rel_path.rsplit("/", 1)[0] if "/" in rel_path else ""
                if self.context.exists(f"{folder}/{fix.rename}".lstrip("/")):
                    fix = None  # the rename would overwrite a file: not offered
            result.append(Diagnostic(rel_path, finding.line, finding.column, rule_id, severity,
                                     finding.message, fix is not None, fix))
        return result

    def finish(self, checked: Mapping[str, Checked], live: Mapping[str, Post],
               diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        site = self.site_findings(checked, live)
        for rel, item in checked.items():
            pairs = item.pure + self.dynamic(item) + site.get(rel, [])
            diagnostics.extend(self.diagnose(rel, item.suppress, pairs))
        diagnostics.sort(key=_ORDER)
        return diagnostics

    def source_error(self, rel: str, error: SourceError) -> list[Diagnostic]:
        from postctl.rules.syntax import source_error

        finding = source_error(error)
        if not self.enabled(finding.rule):
            return []
        return self.diagnose(rel, ((), {}), [(finding, False)])

    def lint_targets(self, targets: Sequence[Target]) -> list[Diagnostic]:
        """Read and check every target (no cache)."""
        diagnostics: list[Diagnostic] = []
        for target in targets:
            item, _ = self.load(target)
            if isinstance(item, SourceError):
                diagnostics.extend(self.source_error(self.site.relative(target.path), item))
                continue
            self.posts[item.rel_path] = item
        # Every post is loaded before any check runs: facts about the site are complete.
        checked = {rel: self.checked(post) for rel, post in self.posts.items()}
        return self.finish(checked, self.posts, diagnostics)

    # the lint cache ---------------------------------------------------------------------

    def lint_cached(self, given: Sequence[Target] | None) -> list[Diagnostic] | None:
        """Lint with the lint cache: a post whose file stamp (mtime, size, inode) and whose
        settings are unchanged is not read again; its facts and file-only findings come
        from the cache. None when the cache cannot be used (then files are read)."""
        import sqlite3

        from postctl.scan import iter_post_files

        try:
            connection = open_cache(self.site)
        except (OSError, sqlite3.Error):
            return None
        try:
            key = cache_key(self)
            rows = {row[0]: row for row in connection.execute(_CACHE_SELECT)}
            files = list(iter_post_files(self.site))
            result = self._from_cache(files, rows, key, given)
            _store(connection, result.fresh, [] if given is not None else
                   [rel for rel in rows if rel not in result.seen])
            self.facts = result.facts
            self.files_checked = len(given) if given is not None else len(files)
            return self.finish(result.checked, result.live, result.diagnostics)
        except sqlite3.Error:
            return None
        finally:
            connection.close()

    def _from_cache(self, files: Sequence[Any], rows: Mapping[str, tuple[Any, ...]], key: str,
                    given: Sequence[Target] | None) -> _CacheRun:

        wanted = None if given is None else {self.site.relative(t.path): t for t in given}
        run = _CacheRun()
        root = str(self.site.root) + os.sep
        for item in files:
            rel = item.path[len(root):] if item.path.startswith(root) else item.path
            rel = rel.replace(os.sep, "/")
            run.seen.add(rel)
            is_wanted = wanted is None or rel in wanted
            row = rows.get(rel)
            if item.skip_reason:
                if is_wanted:
                    run.diagnostics.extend(self.source_error(rel, SourceError(
                        Path(item.path), item.skip_reason, code="E008")))
                continue
            if row is not None and row[1:5] == (item.mtime_ns, item.size, item.inode, key):
                (_, _, _, _, _, title, slug, url, date_iso, published, tags, categories,
                 data) = row
                if data.startswith('{"error"'):
                    if is_wanted:
                        run.diagnostics.extend(self.source_error(rel, _error_of(
                            Path(item.path), data)))
                    continue
                date = dt.datetime.fromisoformat(date_iso) if date_iso else None
                if is_wanted:
                    checked = run.checked[rel] = decode_checked(rel, data)
                    tag_list, category_list = checked.subject.tags, checked.subject.categories
                else:
                    tag_list, category_list = _unjoin(tags), _unjoin(categories)
                run.facts.append(PostFact(rel, title, date, slug, tag_list, category_list, url,
                                          bool(published), date is not None and date > self.now))
                continue
            target = (wanted[rel] if wanted is not None and rel in wanted
                      else Target(Path(item.path), item.folder))
            self._check_live(target, rel, item, key, run, is_wanted)
        for rel, target in (wanted or {}).items():
            if rel not in run.seen:  # not in a posts folder the walk covers: read it
                self._check_live(target, rel, None, key, run, True)
        return run

    def _check_live(self, target: Target, rel: str, stamp: Any, key: str, run: _CacheRun,
                    wanted: bool) -> None:
        item, _ = self.load(target)
        if isinstance(item, SourceError):
            if wanted:
                run.diagnostics.extend(self.source_error(rel, item))
            if stamp is not None:
                run.fresh.append(_error_row(rel, stamp, key, item))
            return
        fact = self.fact(item)
        run.facts.append(fact)
        checked = self.checked(item)
        if wanted:
            self.posts[rel] = run.live[rel] = item
            run.checked[rel] = checked
        if stamp is not None:
            run.fresh.append(_row(rel, stamp, key, fact, checked))


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


def _editable(post: Post) -> frozenset[str]:
    """Tag and category keys whose value a fix can rewrite (one-line values, block lists)."""
    found = set()
    for key in ("tag", "tags", "category", "categories"):
        info = post.metadata.keys.get(key)
        if info is not None and info.style not in ("|", ">") and post.source.kind == "yaml":
            found.add(key)
    return frozenset(found)


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


# --- the lint cache (its own SQLite file next to the site index) -------------------------------

LINT_CACHE_VERSION = "4"
_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS lint_cache (
    path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    inode INTEGER NOT NULL, key TEXT NOT NULL, title TEXT, slug TEXT, url TEXT, date TEXT,
    published INTEGER, tags TEXT, categories TEXT, data TEXT NOT NULL)
"""
_CACHE_SELECT = ("SELECT path, mtime_ns, size, inode, key, title, slug, url, date, published, "
                 "tags, categories, data FROM lint_cache")


class _CacheRun:
    """What one pass over the cache rows collects."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.checked: dict[str, Checked] = {}
        self.live: dict[str, Post] = {}
        self.facts: list[PostFact] = []
        self.fresh: list[tuple[Any, ...]] = []
        self.seen: set[str] = set()


def cache_file(site: Site) -> Path:
    """``lint-<hash of the root>.sqlite`` in the cache folder of the site index."""
    import hashlib

    from postctl.index import cache_dir

    digest = hashlib.sha256(str(site.root).encode("utf-8", "surrogateescape")).hexdigest()
    return cache_dir() / f"lint-{digest[:24]}.sqlite"


def open_cache(site: Site) -> Any:
    import sqlite3

    path = cache_file(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(_CACHE_SCHEMA)
    except sqlite3.DatabaseError:
        connection.close()
        path.unlink(missing_ok=True)  # a damaged cache is only a cache: start again
        connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
        connection.execute(_CACHE_SCHEMA)
    return connection


def cache_key(linter: Linter) -> str:
    """What cached findings depend on besides the file: postctl and its rules, the site's
    settings and _config.yml, the selected rules."""
    import hashlib

    from postctl import __version__

    here = Path(__file__).parent
    code = sorted((p.name, p.stat().st_mtime_ns) for p in (here / "rules").glob("*.py"))
    code.append(("lint.py", Path(__file__).stat().st_mtime_ns))
    parts = (LINT_CACHE_VERSION, __version__, code, repr(linter.site.config),
             repr(linter.site.folders), str(linter.site.tz), linter.site.flavour,
             sorted(linter.enabled_ids))
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _row(rel: str, stamp: Any, key: str, fact: PostFact, checked: Checked) -> tuple[Any, ...]:

    return (rel, stamp.mtime_ns, stamp.size, stamp.inode, key, fact.title, fact.slug, fact.url,
            fact.date.isoformat() if fact.date else None, int(fact.published),
            _join(fact.tags), _join(fact.categories),
            encode_checked(checked))


def _error_row(rel: str, stamp: Any, key: str, error: SourceError) -> tuple[Any, ...]:
    import json

    data = json.dumps({"error": [error.message, error.line, error.col, error.code]})
    return (rel, stamp.mtime_ns, stamp.size, stamp.inode, key, None, None, None, None, 0,
            _join(()), _join(()), data)


_JOINED = "\x1e"  # marks names joined by \x1f (a name holding either is written as JSON)


def _join(names: Sequence[str]) -> str:
    import json

    if any("\x1f" in name or "\x1e" in name for name in names):
        return json.dumps(list(names), ensure_ascii=False)
    return _JOINED + "\x1f".join(names)


def _unjoin(text: str) -> tuple[str, ...]:
    if text.startswith(_JOINED):
        return tuple(text[1:].split("\x1f")) if len(text) > 1 else ()
    import json

    return tuple(json.loads(text))


def _error_of(path: Path, data: str) -> SourceError:
    import json

    message, line, col, code = json.loads(data)["error"]
    return SourceError(path, message, line, col, code=code)


def _store(connection: Any, fresh: Sequence[tuple[Any, ...]], gone: Sequence[str]) -> None:
    """Save new rows and drop those of deleted files (best-effort: a busy cache is skipped)."""
    import sqlite3

    if not fresh and not gone:
        return
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(f"INSERT OR REPLACE INTO lint_cache VALUES ({', '.join('?' * 13)})",
                               fresh)
        connection.executemany("DELETE FROM lint_cache WHERE path = ?", [(p,) for p in gone])
        connection.execute("COMMIT")
    except sqlite3.Error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")


def encode_checked(item: Checked) -> str:
    import json

    pure = [[f.rule, f.line, f.column, f.message, f.severity, _fix_data(f.fix), usable]
            for f, usable in item.pure]
    suppress = [list(item.suppress[0]), {str(k): list(v) for k, v in item.suppress[1].items()}]
    subject = [item.subject.places, item.subject.own, item.subject.tags,
               item.subject.categories]
    data = [pure, [list(ref) for ref in item.refs], suppress, subject, item.date_place,
            sorted(item.editable)]
    return json.dumps(data, ensure_ascii=False, default=str)


def _fix_data(found: Fix | None) -> object:
    if found is None:
        return None
    return [found.applicability, found.description,
            [[e.key, e.op, e.value] for e in found.edits], found.rename]


def _fix_of(found: Any) -> Fix | None:
    if found is None:
        return None
    applicability, description, _edits, rename = found
    # The edits are not needed to report (a fix run reads the file again).
    return Fix(applicability, description, (), rename)


_NO_SUPPRESSION: tuple[tuple[str, ...], dict[int, tuple[str, ...]]] = ((), {})


def decode_checked(rel: str, text: str) -> Checked:
    import json

    from postctl.rules.site import Subject

    pure_data, refs, suppress, subject, place, editable = json.loads(text)
    pure: Pairs = [(Finding(f[0], f[1], f[2], f[3], _fix_of(f[5]), f[4]), f[6])
                   for f in pure_data] if pure_data else []
    if suppress[0] or suppress[1]:
        suppression = (tuple(suppress[0]), {int(k): tuple(v) for k, v in suppress[1].items()})
    else:
        suppression = _NO_SUPPRESSION
    places, own, tags, categories = subject
    return Checked(rel, pure, refs,  # refs stay [kind, target, line, column] lists
                   suppression, Subject(rel, places, own, tuple(tags), tuple(categories)),
                   (place[0], place[1]), frozenset(editable))


# --- facts -------------------------------------------------------------------------------------


def fact_of(post: Post, site: Site, now: dt.datetime,
            defaults: Mapping[str, Any] | None = None) -> PostFact:
    return PostFact(
        rel_path=post.rel_path,
        title=post.title,
        date=post.date,
        slug=post.slug,
        tags=post.tags,
        categories=post.categories,
        url=post_url(post, site, defaults),
        published=not post.draft,
        future=post.date is not None and post.date > now,
    )


def post_url(post: Post, site: Site, defaults: Mapping[str, Any] | None = None) -> str | None:
    """The URL Jekyll (or Hugo) publishes the post at, or None when it cannot be derived."""
    from postctl import urls

    try:
        return urls.post_url(post, site, defaults=defaults)
    except Exception:  # a URL that cannot be derived is simply unknown
        return None


# Below this many posts, reading them is cheaper than using the lint cache.
SMALL_SITE = 300


def rest_of_site(site: Site, skip: set[str], now: dt.datetime) -> list[PostFact]:
    """Facts about every post not being linted, read from the files."""
    from postctl.scan import PostLoader, iter_post_files, scan_posts

    files = [item for item in iter_post_files(site)
             if _relative(site, item.path) not in skip]
    loader = PostLoader(site)
    return [fact_of(post, site, now, loader.context(post.path).defaults)
            for post in scan_posts(site, files) if not isinstance(post, SourceError)]


def _relative(site: Site, path: str) -> str:
    root = str(site.root) + os.sep
    if path.startswith(root):
        return path[len(root):].replace(os.sep, "/")
    return site.relative(Path(path))


# --- entry point -------------------------------------------------------------------------------


def run_lint(site: Site, options: LintOptions) -> LintReport:
    """Lint the posts named by ``options.paths`` (or every post) and apply fixes if asked."""
    import gc

    paused = gc.isenabled()
    gc.disable()  # many small records and no reference cycles: collection passes only cost
    try:
        return _run_lint(site, options)
    finally:
        if paused:
            gc.enable()


def _run_lint(site: Site, options: LintOptions) -> LintReport:
    linter = Linter(site, options)
    cwd = options.cwd or Path.cwd()
    given = resolve_targets(site, linter.loader, options.paths, cwd) if options.paths else None
    diagnostics = None
    read_only = not (options.fix or options.dry_run)
    if read_only and options.use_cache and count_posts(site) >= SMALL_SITE:
        diagnostics = linter.lint_cached(given)
    if diagnostics is None:
        targets = given if given is not None else site_targets(site)
        diagnostics = linter.lint_targets(targets)
        linter.files_checked = len(targets)
    else:
        targets = given or []
    if read_only:
        return LintReport(site.root, tuple(diagnostics), linter.files_checked,
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


def count_posts(site: Site, limit: int = SMALL_SITE) -> int:
    """The number of post files, counted up to ``limit`` (names only: no stat calls)."""
    count = 0
    pending = [str(folder.path) for folder in site.folders]
    while pending and count < limit:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.name.endswith(POST_EXTENSIONS):
                count += 1
            elif entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
    return count


def _renamed(site: Site, linter: Linter, target: Target, renames: Mapping[str, str]) -> Target:
    rel = site.relative(target.path)
    if rel in renames:
        return Target(site.root / renames[rel], target.folder)
    return target


def _count(diagnostics: Iterable[Diagnostic], applicability: str) -> int:
    return sum(1 for d in diagnostics if d.fix is not None and d.fix.applicability == applicability)
