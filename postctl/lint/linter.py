"""``Linter``: one lint run's settings and rule selection, the checks of one post, and the
diagnostics made of their findings (suppression comments, per-file ignores, severities)."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from postctl.errors import SourceError
from postctl.lint import rules as registry
from postctl.lint.checked import (
    NO_SUPPRESSION,
    Checked,
    Pairs,
    Suppression,
    editable,
    fix_usable,
    suppressions,
)
from postctl.lint.diagnostics import Diagnostic, Finding, Fix
from postctl.lint.facts import fact_of
from postctl.lint.rules.base import (
    Context,
    LintSettings,
    PostFact,
    SiteFacts,
    check_selector,
    matches,
    parse_settings,
)
from postctl.post.model import Post
from postctl.reporting import Progress

if TYPE_CHECKING:
    from postctl.catalog.index import SiteIndex
    from postctl.lint.report import LintOptions
    from postctl.lint.schema import Schema
    from postctl.lint.targets import Target
    from postctl.site.model import Site

ORDER = operator.itemgetter(0, 1, 2, 3, 5)  # path, line, column, rule, message


def _every(item: object) -> bool:
    """Every rule (or family) is on: what :meth:`Linter.checked` runs for the cache."""
    return True


class Linter:
    """One lint run: settings, selection, context, and the posts being linted.

    Facts about the rest of the site come, when a rule first asks, from ``site_facts`` if
    set (every post already known), else from the posts linted (the whole site), else from
    ``index`` (the site index, refreshed), else from reading the other files.
    """

    def __init__(self, site: Site, options: LintOptions,
                 index: SiteIndex | None = None) -> None:
        from postctl.lint.schema import load_schema
        from postctl.site.scan import PostLoader

        self.site = site
        self.options = options
        self.index = index
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
        self.posts: dict[str, Post] = {}  # the linted posts read from their files
        self.own: dict[str, PostFact] = {}  # facts of the linted posts
        self.site_facts: SiteFacts | None = None
        self.undated: set[str] = set()  # linted files Jekyll skips: no posts of the site
        self._defaults: dict[str, Mapping[str, Any]] = {}
        self._whole_site = not options.paths
        self.context = self._context(self.enabled)
        self._every_rule: Context | None = None  # the context of checked(complete=True)

    def _context(self, enabled: Callable[[str], bool]) -> Context:
        return Context(
            site=self.site, schema=self.schema, settings=self.settings, now=self.now,
            enabled=enabled, load_facts=self._load_facts, defaults_for=self._defaults_for)

    def enabled(self, rule_id: str) -> bool:
        return rule_id in self.enabled_ids

    def severity_of(self, rule_id: str) -> Any:
        """The severity the settings give ``rule_id`` (None: the rule's own)."""
        return self._severity_setting(rule_id)

    def _family_on(self, family: Any) -> bool:
        return any(self.enabled(rule.id) for rule in family.RULES)

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
        fact = fact_of(post, self.site, self.now, self._defaults_for(post))
        return fact._replace(published=False) if post.rel_path in self.undated else fact

    def mark_undated(self, targets: Iterable[Target]) -> None:
        """Remember the targets that Jekyll skips for want of a date in their name: they are
        linted, but Jekyll publishes none of them."""
        from postctl.lint.targets import relative

        self.undated.update(relative(self.site, str(t.path)) for t in targets if t.undated)

    def own_fact(self, rel: str) -> PostFact | None:
        """The facts of a linted post."""
        found = self.own.get(rel)
        if found is None and rel in self.posts:
            found = self.own[rel] = self.fact(self.posts[rel])
        return found

    def _load_facts(self) -> SiteFacts:
        from postctl.lint.facts import MemoryFacts, rest_of_site

        if self.site_facts is not None:
            return self.site_facts
        for rel in self.posts:
            self.own_fact(rel)
        own = dict(self.own)
        if self._whole_site:
            return MemoryFacts(own.values())

        def from_files() -> SiteFacts:
            return MemoryFacts([*own.values(), *rest_of_site(self.site, own, self.now)])

        if self.index is not None:
            from postctl.lint.indexfacts import index_facts

            return index_facts(self.index.connection, own, self.now, from_files)
        return from_files()

    # checking -----------------------------------------------------------------------------

    def load(self, target: Target) -> Post | SourceError:
        from postctl.post.model import parse_post
        from postctl.site.scan import read_post_bytes

        limits = self.site.config.limits
        try:
            raw = read_post_bytes(target.path, limits.max_file_bytes)
            return parse_post(raw, target.path, self.loader.context(target.path, target.folder),
                              limits.max_front_matter_bytes)
        except SourceError as error:
            return error

    def checked(self, post: Post, complete: bool = False) -> Checked:
        """Run the file-only rules and collect what the site-dependent ones need.

        ``complete``: run every rule, selected or not, as the findings cache keeps them, so
        that a run with other rules finds them too; :meth:`selected` takes a run's part."""
        from postctl.lint.rules import dates, references, site
        context = self.context
        enabled: Callable[[str], bool] = self.enabled
        family_on: Callable[[Any], bool] = self._family_on
        if complete:
            if self._every_rule is None:
                self._every_rule = self._context(_every)
            context, enabled, family_on = self._every_rule, _every, _every
        pure: Pairs = []
        for family in registry.PURE_FAMILIES:
            if family_on(family):
                pure.extend((f, fix_usable(post, f)) for f in family.check(post, context)
                            if enabled(f.rule))
        refs = references.extract(post, context) if family_on(references) else []
        return Checked(post.rel_path, pure, refs, suppressions(post), site.subject(post),
                       dates.date_place(post), editable(post))

    def selected(self, checked: Checked) -> Checked:
        """This run's part of a :meth:`checked` with ``complete``: the findings of its rules
        (references are resolved, and their findings selected, by :meth:`dynamic`)."""
        pure = [pair for pair in checked.pure if self.enabled(pair[0].rule)]
        return checked if len(pure) == len(checked.pure) else checked._replace(pure=pure)

    def dynamic(self, checked: Checked) -> Pairs:
        """Findings that depend on the rest of the site or on the clock."""
        from postctl.lint.rules import dates, references
        found: Pairs = [(f, False) for f in references.resolve(checked.refs, self.context)
                        if self.enabled(f.rule)]
        if self.enabled("D005"):
            fact = self.own_fact(checked.rel_path)
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
                    usable = fix_usable(post, finding)
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

    def diagnose(self, rel_path: str, suppress: Suppression,
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
                                     finding.message, self._applied(fix), fix))
        return result

    def _applied(self, fix: Fix | None) -> bool:
        """Whether ``--fix`` (with this run's ``--unsafe-fixes``) applies ``fix``: what a
        diagnostic calls fixable."""
        return fix is not None and (fix.applicability == "safe" or self.options.unsafe_fixes)

    def finish(self, checked: Mapping[str, Checked], live: Mapping[str, Post],
               diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Add the findings that need the rest of the site; every diagnostic, sorted."""
        site = self.site_findings(checked, live)
        for rel, item in checked.items():
            pairs = item.pure + self.dynamic(item) + site.get(rel, [])
            diagnostics.extend(self.diagnose(rel, item.suppress, pairs))
        diagnostics.sort(key=ORDER)
        return diagnostics

    def source_error(self, rel: str, error: SourceError) -> list[Diagnostic]:
        from postctl.lint.rules.syntax import source_error

        finding = source_error(error)
        if not self.enabled(finding.rule):
            return []
        return self.diagnose(rel, NO_SUPPRESSION, [(finding, False)])

    def lint_targets(self, targets: Sequence[Target],
                     progress: Progress | None = None) -> list[Diagnostic]:
        """Read and check every target (``progress`` is told how many were read)."""
        self.mark_undated(targets)
        diagnostics: list[Diagnostic] = []
        total = len(targets)
        for done, target in enumerate(targets, start=1):
            if progress is not None and (done % 64 == 0 or done == total):
                progress(done, total)
            item = self.load(target)
            if isinstance(item, SourceError):
                diagnostics.extend(self.source_error(self.site.relative(target.path), item))
                continue
            self.posts[item.rel_path] = item
        # Every post is loaded before any check runs: facts about the site are complete.
        checked = {rel: self.checked(post) for rel, post in self.posts.items()}
        return self.finish(checked, self.posts, diagnostics)
