"""``postctl tags rename|merge|delete`` and the same under ``postctl categories``: change a
name on every post that carries it, in any of the spellings ``postctl tags`` groups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from postctl.cli.completion import complete_term
from postctl.cli.options import DryRunOpt, NoCacheOpt, RecordFormatOpt, YesOpt

if TYPE_CHECKING:
    from pathlib import Path

    from postctl.edit.edits import Edit
    from postctl.edit.terms import Field
    from postctl.render import OutputFormat
    from postctl.site.model import Site

ExactOpt = Annotated[bool, typer.Option(
    "--exact", help="Only the name as written, not its other spellings (case, spaces, hyphens, "
    "underscores).")]
OldArg = Annotated[str, typer.Argument(metavar="OLD", help="The name to rename.",
                                       show_default=False, autocompletion=complete_term)]
NewArg = Annotated[str, typer.Argument(metavar="NEW", help="Its new name.", show_default=False)]
NamesArg = Annotated[list[str], typer.Argument(metavar="NAMES...", help="The names to merge.",
                                               show_default=False, autocompletion=complete_term)]
NameArg = Annotated[str, typer.Argument(metavar="NAME", help="The name to delete.",
                                        show_default=False, autocompletion=complete_term)]
IntoOpt = Annotated[str, typer.Option("--into", help="The name they become.",
                                      show_default=False, autocompletion=complete_term)]


def _verbs(field: Field, one: str) -> dict[str, Callable[..., None]]:
    """The rename, merge and delete commands for ``field`` (``one``: tag or category)."""

    def rename(old: OldArg, new: NewArg, exact: ExactOpt = False, dry_run: DryRunOpt = False,
               yes: YesOpt = False, fmt: RecordFormatOpt = None,
               no_cache: NoCacheOpt = False) -> None:
        change_terms(field, one, [old], new, exact, dry_run, yes, fmt, no_cache)

    def merge(names: NamesArg, into: IntoOpt, exact: ExactOpt = False,
              dry_run: DryRunOpt = False, yes: YesOpt = False, fmt: RecordFormatOpt = None,
              no_cache: NoCacheOpt = False) -> None:
        change_terms(field, one, names, into, exact, dry_run, yes, fmt, no_cache)

    def delete(name: NameArg, exact: ExactOpt = False, dry_run: DryRunOpt = False,
               yes: YesOpt = False, fmt: RecordFormatOpt = None,
               no_cache: NoCacheOpt = False) -> None:
        change_terms(field, one, [name], None, exact, dry_run, yes, fmt, no_cache)

    rename.__doc__ = f"""Rename a {one} on every post that carries it, in every spelling
        `postctl {field}` shows together (--exact: only as written); a post that has both
        names keeps one.

        Example: postctl {field} rename {'python3 python' if field == 'tags' else 'News Press'}
        """
    merge.__doc__ = f"""Merge several {field} into one: every post carrying any of them
        carries the --into {one} instead, once.

        Example: postctl {field} merge {'py python3 --into python' if field == 'tags'
                                          else 'Tech Dev --into Engineering'}
        """
    delete.__doc__ = f"""Remove a {one} from every post that carries it (in every spelling,
        unless --exact).

        Example: postctl {field} delete {'draft-review' if field == 'tags' else 'Misc'} --dry-run
        """
    return {"rename": rename, "merge": merge, "delete": delete}


def change_terms(field: Field, one: str, names: list[str], new: str | None, exact: bool,
                 dry_run: bool, yes: bool, fmt: OutputFormat | None, no_cache: bool) -> None:
    """Rename (``new``) or delete (None) ``names`` of ``field`` on every post carrying one."""
    from postctl.catalog.selection import posts_with_terms
    from postctl.cli.changing import make_change, nothing_to_do
    from postctl.cli.context import current_site, reading_posts, wants_json
    from postctl.edit.bulk import plan_files
    from postctl.edit.terms import TermChange, term_edits
    from postctl.errors import UsageError
    from postctl.post.taxonomy import term_matcher

    wants_json(fmt)
    if new is not None and not new.strip():
        raise UsageError(f"the new {one} is empty")
    site = current_site()
    matches = term_matcher(names, exact)
    with reading_posts(site, no_cache, strict=False) as catalog:
        rels, _ = posts_with_terms(catalog, field, matches)
    listed = ", ".join(repr(name) for name in names)
    if not rels:
        nothing_to_do(f"no post has the {one} {listed}" if len(names) == 1
                      else f"no post has any of the {field} {listed}")
    change = TermChange(field, matches, new)
    why_not = _reasons(site, field, one, matches)

    def edits_for(path: Path, values: Mapping[str, Any], kind: str) -> list[Edit] | str:
        return term_edits(values, change) or why_not(path)

    action = (f"{field} {listed} → {new!r}" if new is not None else f"{one} {listed} removed")
    make_change(site, plan_files(site, rels, edits_for), what=action, fmt=fmt,
                dry_run=dry_run, yes=yes)


def _reasons(site: Site, field: Field, one: str,
             matches: Callable[[str], bool]) -> Callable[[Path], list[Edit] | str]:
    """Why a post that carries the name has no edit: it comes from its folder (Jekyll's
    ``news/_posts/``) or from ``_config.yml`` defaults, which are not in the file."""
    from postctl.post import normalize
    from postctl.site.scan import PostLoader

    loader = PostLoader(site)

    def why(path: Path) -> list[Edit] | str:
        context = loader.context(path)
        if field == "categories":
            for name in context.path_categories:
                if matches(name):
                    folder = site.relative(loader.folder_of(path).path)
                    return f"category {name!r} comes from its folder ({folder}/), part of its path"
        if any(matches(name) for name in getattr(normalize, field)(context.defaults)):
            return f"the {one} comes from the defaults of _config.yml"
        return []

    return why


_tags = _verbs("tags", "tag")
_categories = _verbs("categories", "category")
rename_tags, merge_tags, delete_tags = _tags["rename"], _tags["merge"], _tags["delete"]
rename_categories = _categories["rename"]
merge_categories = _categories["merge"]
delete_categories = _categories["delete"]
