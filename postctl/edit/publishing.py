"""``publish`` and ``unpublish``: plan a post's move between draft and published.

Jekyll. Publishing a draft (``_drafts/slug.ext``) moves it to ``_posts/YYYY-MM-DD-slug.ext``
beside it (``news/_drafts`` → ``news/_posts``, subfolders kept, the extension kept); a post of
``_posts`` with ``published: false`` loses that key (its whole line) and keeps its folder,
its file renamed when its date's day changes. Unpublishing moves a post to ``_drafts``
without the date in its name, its content byte-identical; a post that other posts link to
(``{% post_url %}``, ``{% link %}``) is refused unless forced, as Jekyll stops the build on
a link to a draft.

Hugo. ``draft`` becomes ``false`` (publish) or ``true`` (unpublish) in place; the file does
not move. A page that other pages name with ``ref``/``relref`` is not unpublished unless
forced: Hugo fails the build on a reference to a draft page.

The date (publish): ``--date`` or now in the site's time zone, in the site's date style with
an explicit offset (:mod:`postctl.edit.house_style`), replacing the ``date`` value in place
or inserted where ``postctl new`` would put it; ``keep_date`` keeps the post's date (from its
front matter, else its file name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
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
    sibling_folder,
)
from postctl.edit.postedit import current_text, edited
from postctl.errors import UsageError, WriteRefusedError, display_path
from postctl.post.model import Post
from postctl.post.normalize import to_bool
from postctl.site.model import Site
from postctl.text.dates import filename_date, local_day

__all__ = ["LinkedPostError", "date_edit", "plan_publish", "plan_unpublish"]


class LinkedPostError(WriteRefusedError):
    """Unpublishing a post that other posts link to (the build would stop)."""

    def __init__(self, post: Post, linking: list[Path], hint: str) -> None:
        self.path = post.path
        self.linking = linking
        self.hint = hint
        names = ", ".join(display_path(path) for path in linking)
        count = "1 post links" if len(linking) == 1 else f"{len(linking)} posts link"
        super().__init__(f"{display_path(post.path)}: {count} to it ({names}); not "
                         "unpublished")


@dataclass(frozen=True)
class _Draft:
    """How a post is a draft: in a drafts folder, ``published: false``, ``draft: true``."""

    in_drafts_folder: bool
    unpublished: bool
    hugo_draft: bool

    @property
    def any(self) -> bool:
        return self.in_drafts_folder or self.unpublished or self.hugo_draft


def _draft_state(site: Site, post: Post) -> _Draft:
    if site.flavour == "hugo":
        return _Draft(False, False, to_bool(post.values.get("draft")) is True)
    return _Draft(post_folder(site, post.path).drafts, post.values.get("published") is False,
                  False)


def plan_publish(site: Site, post: Post, *, date: str | None = None, keep_date: bool = False,
                 now: dt.datetime | None = None) -> LifecyclePlan:
    """The plan that publishes ``post`` (nothing to do when it is published already)."""
    require_post(site, post, "publish")
    state = _draft_state(site, post)
    if not state.any:
        return LifecyclePlan("publish", post, post.path, post_url_of(site, post), None,
                             notes=("already published: nothing to do",))
    style = house_style(site)
    fields: list[FieldChange] = []
    edits: list[Edit] = []
    if state.unpublished:
        edits.append(Edit("published", "delete"))
        fields.append(FieldChange("published", "delete"))
    if state.hugo_draft:
        edits.append(Edit("draft", "set", False))
        fields.append(FieldChange("draft", "set", False, "false"))
    if keep_date:
        moment = _kept_date(post)
    else:
        moment = style.moment(date, now or dt.datetime.now(site.tz))
        edit = date_edit(style, post, moment)
        edits.append(edit)
        fields.append(FieldChange("date", edit.op, moment, edit.text or ""))
    new = edited(post.source, edits)
    target = _published_path(site, post, state, moment)
    check_target(post.path, target)
    return _plan("publish", site, post, target, new, fields)


def plan_unpublish(site: Site, post: Post, *, force: bool = False) -> LifecyclePlan:
    """The plan that makes ``post`` a draft; LinkedPostError when posts link to it."""
    require_post(site, post, "unpublish")
    state = _draft_state(site, post)
    if state.any:
        return LifecyclePlan("unpublish", post, post.path, post_url_of(site, post), None,
                             notes=("already a draft: nothing to do",))
    notes: tuple[str, ...] = ()
    if not force:
        _refuse_linked(site, post)
    if site.flavour == "hugo":
        style = house_style(site)
        present = current_text(post.source, "draft") is not None
        edit = Edit("draft", "set" if present else "insert", True,
                    before=style.before("draft", post.values))
        new = edited(post.source, [edit])
        field = FieldChange("draft", edit.op, True, "true")
        return _plan("unpublish", site, post, post.path, new, [field])
    folder = post_folder(site, post.path)
    name = PurePosixPath(post.path.name)
    dated = filename_date(name.stem)
    target = (sibling_folder(site, folder, drafts=True) / post.path.parent.relative_to(folder.path)
              / f"{dated[1] if dated else name.stem}{name.suffix}")
    check_target(post.path, target)
    if dated and "date" not in post.values:
        notes = (f"the date in its file name ({dated[0].isoformat()}) goes with it: the post "
                 "has no date key",)
    return replace(_plan("unpublish", site, post, target, post.source.raw, []), notes=notes)


def date_edit(style: HouseStyle, post: Post, moment: dt.datetime) -> Edit:
    """Set the post's ``date`` to ``moment`` in place, or insert it where new puts it."""
    kind = post.source.kind
    old = current_text(post.source, "date")
    written = style.date(kind, moment, old or "")
    if old is None:
        return Edit("date", "insert", written.value, text=written.text,
                    before=style.before("date", post.values))
    return Edit("date", "set", written.value, text=written.text)


def _kept_date(post: Post) -> dt.datetime:
    if post.date is None:
        raise UsageError(f"{display_path(post.path)}: has no date to keep; give --date, or "
                         "leave out --keep-date to publish it now")
    return post.date


def _published_path(site: Site, post: Post, state: _Draft, moment: dt.datetime) -> Path:
    if site.flavour == "hugo":
        return post.path
    folder = post_folder(site, post.path)
    name = PurePosixPath(post.path.name)
    dated = filename_date(name.stem)
    slug = dated[1] if dated else name.stem
    day = local_day(moment, site.tz)
    published = f"{day.isoformat()}-{slug}{name.suffix}"
    if not state.in_drafts_folder:
        return post.path if dated and dated[0] == day else post.path.with_name(published)
    return (sibling_folder(site, folder, drafts=False)
            / post.path.parent.relative_to(folder.path) / published)


def _refuse_linked(site: Site, post: Post) -> None:
    from postctl.site.backlinks import referrers

    linking = [referrer.source.path for referrer in referrers(site, post)]
    if not linking:
        return
    if site.flavour == "hugo":
        why = "Hugo fails the build on a ref or relref to a draft page"
    else:
        why = "Jekyll stops the build on a post_url or link to a draft"
    raise LinkedPostError(post, linking, f"{why}: remove those links first, or unpublish with "
                          "--force")


def _plan(command: str, site: Site, post: Post, target: Path, new: bytes,
          fields: list[FieldChange]) -> LifecyclePlan:
    after = planned_post(site, target, new)
    change = FileChange(post.path, target, post.source.raw, new)
    return LifecyclePlan(command, post, target, post_url_of(site, post),
                         post_url_of(site, after), tuple(fields), (change,))
