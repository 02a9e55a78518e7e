"""``rename``: plan a post's new title, and with it its new file name, references and
redirect.

The ``title`` value is replaced in place (quoted only when YAML needs it, a quoted title
keeping its quotes); a ``slug`` key, when the post has one, takes the new slug. The file is
renamed in its folder to the new slug (``--slug``, else made from the title as ``new`` makes
it), and in Jekyll's ``_posts`` to the new date's day when a date is given. Every reference
to the post in every post (its own included) is rewritten (:mod:`postctl.edit.relinking`).
When the post's URL changes and it is not a draft, its old URL is added to
``redirect_from`` (Jekyll, jekyll-redirect-from) or ``aliases`` (Hugo), in the list style
the file uses, unless ``redirect`` is off. A page bundle (``index.md``) keeps its folder.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath

from postctl.edit.edits import Edit
from postctl.edit.house_style import HouseStyle, house_style
from postctl.edit.lifecycle import (
    FieldChange,
    FileChange,
    LifecyclePlan,
    check_target,
    planned_post,
    post_folder,
    post_url_of,
    require_post,
)
from postctl.edit.postedit import current_text, edited
from postctl.edit.publishing import date_edit
from postctl.errors import UsageError
from postctl.post.model import Post
from postctl.site.model import Site
from postctl.site.slugs import post_slug
from postctl.text import emit
from postctl.text.dates import filename_date, local_day
from postctl.text.slug import fit_filename

__all__ = ["plan_rename"]

_BUNDLE_INDEXES = ("index", "_index")
_BLOCK_ITEM = re.compile(r"^([ \t]*)-[ \t]", re.MULTILINE)


def plan_rename(site: Site, post: Post, title: str, *, slug: str | None = None,
                date: str | None = None, now: bool = False, redirect: bool = True,
                clock: dt.datetime | None = None) -> LifecyclePlan:
    """The plan that renames ``post`` to ``title`` (see the module notes)."""
    require_post(site, post, "rename")
    if not title.strip():
        raise UsageError("the new title is empty")
    style = house_style(site)
    new_slug = post_slug(site, slug or title, post.path.parent, post.values)
    edits, fields = _title_edits(style, post, title, new_slug)
    moment = None
    if date is not None or now:
        moment = style.moment(date, clock or dt.datetime.now(site.tz))
        edit = date_edit(style, post, moment)
        edits.append(edit)
        fields.append(FieldChange("date", edit.op, moment, edit.text or ""))
    target = _renamed_path(site, post, new_slug, moment)
    check_target(post.path, target)
    new = edited(post.source, edits)
    old_url = post_url_of(site, post)
    new_url = post_url_of(site, planned_post(site, target, new))
    if redirect and not post.draft and old_url and new_url != old_url:
        extra = _redirect_edit(site, style, post, old_url)
        if extra is not None:
            edits.append(extra[0])
            fields.append(extra[1])
            new = edited(post.source, edits)
    files = _with_references(site, post, target, new)
    if files[0].old == files[0].new and target == post.path and len(files) == 1:
        return LifecyclePlan("rename", post, post.path, old_url, old_url,
                             notes=("the post already has that title and name: nothing to do",))
    notes = ("a page bundle keeps its folder name",) if _is_bundle(post) else ()
    return LifecyclePlan("rename", post, target, old_url, new_url, tuple(fields), tuple(files),
                         notes)


def _title_edits(style: HouseStyle, post: Post, title: str,
                 new_slug: str) -> tuple[list[Edit], list[FieldChange]]:
    edits: list[Edit] = []
    fields: list[FieldChange] = []
    if post.values.get("title") != title:
        present = current_text(post.source, "title") is not None
        edits.append(Edit("title", "set" if present else "insert", title,
                          before=style.before("title", post.values)))
        fields.append(FieldChange("title", edits[-1].op, title, title))
    slug_value = post.values.get("slug")
    if isinstance(slug_value, str) and slug_value and slug_value != new_slug:
        edits.append(Edit("slug", "set", new_slug))
        fields.append(FieldChange("slug", "set", new_slug, new_slug))
    return edits, fields


def _is_bundle(post: Post) -> bool:
    return PurePosixPath(post.path.name).stem in _BUNDLE_INDEXES


def _renamed_path(site: Site, post: Post, new_slug: str, moment: dt.datetime | None) -> Path:
    if _is_bundle(post):
        return post.path
    name = PurePosixPath(post.path.name)
    dated = filename_date(name.stem)
    folder = post_folder(site, post.path)
    if site.flavour == "hugo" or folder.drafts or not dated:
        return post.path.with_name(fit_filename("", new_slug, name.suffix))
    day = local_day(moment, site.tz) if moment is not None else dated[0]
    return post.path.with_name(fit_filename(f"{day.isoformat()}-", new_slug, name.suffix))


def _redirect_edit(site: Site, style: HouseStyle, post: Post,
                   old_url: str) -> tuple[Edit, FieldChange] | None:
    """The edit adding ``old_url`` to the post's redirects (None: it is there already)."""
    key = "aliases" if site.flavour == "hugo" else "redirect_from"
    existing = post.values.get(key)
    if isinstance(existing, str):
        existing = [existing]
    if isinstance(existing, list):
        if old_url in existing:
            return None
        values = [*existing, old_url]
        return Edit(key, "set", values), FieldChange(key, "set", values)
    if existing is not None:
        return None  # some other value: left for a person to judge
    return _new_list(post, key, old_url, style), FieldChange(key, "insert", [old_url])


def _new_list(post: Post, key: str, url: str, style: HouseStyle) -> Edit:
    """A new one-item list key, written as the file writes its lists."""
    source = post.source
    if source.kind != "yaml":
        return Edit(key, "insert", [url])
    block = _file_list_style(post) or style.list_style
    if block == "block":
        found = _BLOCK_ITEM.search(source.fm_text)
        indent = found[1] if found else "  "
        return Edit(key, "insert", [url], text=f"\n{indent}- {emit.scalar(url)}")
    return Edit(key, "insert", [url], text=emit.flow_list([url]))


def _file_list_style(post: Post) -> str | None:
    for name, info in post.metadata.keys.items():
        if isinstance(post.values.get(name), list) and post.values.get(name):
            return "flow" if info.value_text.lstrip().startswith("[") else "block"
    return None


def _with_references(site: Site, post: Post, target: Path, new: bytes) -> list[FileChange]:
    """The post's own change, then one per post whose references to it are rewritten."""
    if target == post.path:
        return [FileChange(post.path, target, post.source.raw, new)]
    from postctl.edit.relinking import rewrite_body
    from postctl.site.backlinks import referrers

    new_rel = site.relative(target)
    own = FileChange(post.path, target, post.source.raw, new)
    others: list[FileChange] = []
    for referrer in referrers(site, post, include_self=True):
        source = referrer.source
        if source.path == post.path:
            own = FileChange(post.path, target, post.source.raw,
                             rewrite_body(source, new, referrer, new_rel), len(referrer.links))
            continue
        others.append(FileChange(source.path, source.path, source.raw,
                                 rewrite_body(source, source.raw, referrer, new_rel),
                                 len(referrer.links)))
    return [own, *others]
