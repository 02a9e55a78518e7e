"""``postctl new``: choose the front matter, render it, verify it, create the file.

The front matter follows the config, else a template, else the site's prevailing
habits (postctl.post.conventions). It is written by postctl's escaping emitter and parsed
back before the file is created, so the title, date, tags and categories read back
exactly as given. A new file never replaces an existing one unless forced.

On a Hugo site without a template, the archetype ``hugo new content <section>/<slug>.md``
would use (postctl.edit.archetypes) is the start: filled in as Hugo fills it, then the
title, and what the command line gives, set in it by the edit engine (postctl.edit.splice).
``bundle`` makes ``<section>/<slug>/index.md``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from postctl.errors import SourceError, UnsafeWriteError, UsageError
from postctl.post.conventions import Conventions, default_conventions, infer_conventions
from postctl.site.model import Site
from postctl.site.slugs import post_slug
from postctl.text import emit
from postctl.text.slug import fit_filename, make_slug


@dataclass(frozen=True)
class NewPostRequest:
    title: str
    date: dt.datetime | None = None
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    author: str | None = None
    layout: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    slug: str | None = None
    draft: bool = False
    section: str | None = None
    template: Path | None = None
    bundle: bool = False  # Hugo: a page bundle, <slug>/index.md
    # The person writing (``git config user.name``): the author when nothing else names one
    # and the site's posts write an author.
    user: str | None = None
    folder: Path | None = None  # the posts folder to write into (default: the site's first)


@dataclass(frozen=True)
class NewPost:
    path: Path
    front_matter: tuple[tuple[str, Any], ...]
    text: str

    def front_matter_dict(self) -> dict[str, Any]:
        return dict(self.front_matter)


FIELD_NAME = re.compile(r"[A-Za-z_][\w-]*")


def fields_from_assignments(assignments: Sequence[str],
                            given_as: str = "--set") -> dict[str, object]:
    """Front matter from ``KEY=VALUE`` texts (``new --set``, ``postctl set``): VALUE is read
    as YAML, by the same safe loader as posts (a mapping, or what YAML cannot read, stays
    text). ``given_as`` names them in an error."""
    import yaml

    from postctl.text.scalars import PostLoader

    values: dict[str, object] = {}
    for assignment in assignments:
        key, sep, raw = assignment.partition("=")
        key = key.strip()
        if not sep or not FIELD_NAME.fullmatch(key):
            raise UsageError(f"{given_as} {assignment!r}: expected KEY=VALUE with a simple KEY")
        try:
            value = yaml.load(raw, Loader=PostLoader) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        values[key] = raw if isinstance(value, dict) else value
    return values


def date_from_option(text: str, tz: dt.tzinfo) -> dt.datetime:
    """The ``--date`` given, as a date or date-time (a naive one in the site's zone ``tz``)."""
    from postctl.text.dates import DateError, parse_date

    try:
        return parse_date(text, tz).value
    except DateError as exc:
        raise UsageError(f"--date: {exc}") from None


def plan_new_post(site: Site, request: NewPostRequest, now: dt.datetime) -> NewPost:
    """Everything about the new post, verified, without touching the disk."""
    if not request.title.strip():
        raise UsageError("the title is empty")
    if request.bundle and site.flavour != "hugo":
        raise UsageError("--bundle makes a Hugo page bundle (slug/index.md); this is a Jekyll "
                         "site")
    if site.flavour == "hugo" and request.template is None and not site.config.new.template:
        from postctl.edit.archetypes import find_archetype

        sections = _sections(site, request)
        archetype = find_archetype(site.root, sections[0] if sections else "",
                                   site.config.new.extension)
        if archetype is not None:
            return _from_archetype(site, request, now, archetype)
    conventions = site_conventions(site)
    date_format = site.config.new.date_format or conventions.date_format
    date = written_date(request.date or now, site, date_format)
    template_items, body = _template(site, request)
    items = _front_matter(site, request, date, conventions, template_items)
    list_style = site.config.new.list_style or conventions.list_style
    text = render(items, date_format, list_style, body)
    path = _target_path(site, request, date)
    _verify(path, text, items)
    return NewPost(path, tuple(items), text)


def written_date(value: dt.datetime, site: Site, date_format: str) -> dt.datetime:
    """``value`` in the site's zone, cut to the precision the date format writes."""
    from postctl.text.dates import parse_date

    aware = value.astimezone(site.tz) if value.tzinfo else value.replace(tzinfo=site.tz)
    return parse_date(emit.format_datetime(aware, date_format), site.tz).value


def create_post(plan: NewPost, force: bool = False) -> Path:
    """Create the file atomically; an existing file is refused unless ``force``."""
    from postctl.edit import files as fsio
    fsio.make_folders(plan.path.parent)
    data = plan.text.encode("utf-8")
    if force and plan.path.exists():
        fsio.replace_forced(plan.path, data)
    else:
        fsio.create_exclusive(plan.path, data)
    return plan.path


def render(items: Sequence[tuple[str, Any]], date_format: str, list_style: str, body: str) -> str:
    lines = []
    for name, value in items:
        if isinstance(value, dt.datetime):
            lines.append(f"{emit.key(name)}: {emit.datetime_scalar(value, date_format)}\n")
        else:
            lines.append(emit.mapping([(name, value)],
                                      list_style="block" if list_style == "block" else "flow"))
    return "---\n" + "".join(lines) + "---\n" + (body if body else "\n")


def site_conventions(site: Site) -> Conventions:
    """The habits of the site's most recent posts (by file name), or the flavour's."""
    from postctl.site.scan import iter_post_files, scan_posts

    files = [f for f in iter_post_files(site) if not f.folder.drafts]
    recent = heapq.nlargest(SAMPLE, files, key=lambda f: os.path.basename(f.path))
    posts = [p for p in scan_posts(site, recent) if not isinstance(p, SourceError)]
    if not posts:
        return default_conventions(site.flavour)
    return infer_conventions(posts, site.flavour)


SAMPLE = 60


def _front_matter(
    site: Site,
    request: NewPostRequest,
    date: dt.datetime,
    conventions: Conventions,
    template_items: dict[str, Any],
) -> list[tuple[str, Any]]:
    config = site.config.new
    values: dict[str, Any] = dict(template_items)
    layout = request.layout or config.layout or values.get("layout") or conventions.layout
    if site.flavour == "jekyll" and layout and not _layout_from_defaults(site, layout):
        values["layout"] = layout
    values["title"] = request.title
    if not (request.draft and site.flavour == "jekyll" and request.date is None):
        values["date"] = date
    author = request.author or config.author or values.get("author") or (
        request.user if "author" in conventions.present else None)
    if author:
        values["author"] = author
    for name, given in (("categories", request.categories), ("tags", request.tags)):
        items = list(given) or _as_list(values.get(name))
        if items or name in template_items or name in conventions.present:
            values[name] = items  # an empty list only where the site's posts write one
    if site.flavour == "hugo":
        values["draft"] = request.draft
    values.update(request.extra)
    order = list(config.keys or ()) + list(template_items) + list(conventions.keys)
    ranked = {key: index for index, key in reversed(list(enumerate(order)))}
    return sorted(values.items(), key=lambda item: ranked.get(item[0], len(ranked)))


def _layout_from_defaults(site: Site, layout: str) -> bool:
    """True when _config.yml `defaults:` already give posts this layout."""
    return any(values.get("layout") == layout and scope_type in (None, "posts")
               and not scope_path for scope_path, scope_type, values in site.config.jekyll_defaults)


def _as_list(value: object) -> list[str]:
    from postctl.post.normalize import to_str_list

    return to_str_list(value)


def _template(site: Site, request: NewPostRequest) -> tuple[dict[str, Any], str]:
    name = request.template or (Path(site.config.new.template) if site.config.new.template
                                else None)
    if name is None:
        return {}, ""
    path = name if name.is_absolute() else (Path.cwd() / name if request.template
                                             else site.root / name)
    from postctl.text.front_matter import load_front_matter
    from postctl.text.source import split_source

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"template {path}: cannot read: {exc.strerror}") from None
    source = split_source(raw, path)
    metadata = load_front_matter(source.kind, source.fm_text, path, source.fm_line)
    return dict(metadata.values), source.body


def _target_path(site: Site, request: NewPostRequest, date: dt.datetime) -> Path:
    config = site.config
    extension = config.new.extension
    if site.flavour == "hugo":
        folder = (request.folder or site.posts_folder).joinpath(*_sections(site, request))
    elif request.draft:
        folder = _drafts_beside(site, request.folder)
    else:
        folder = request.folder or site.posts_folder
    slug = post_slug(site, request.slug or request.title, folder, request.extra)
    prefix = "" if site.flavour == "hugo" or request.draft else date.strftime("%Y-%m-%d-")
    name = fit_filename(prefix, slug, extension)
    if site.flavour == "hugo" and request.bundle:
        folder, name = folder / name[: -len(extension)], "index" + extension
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise UsageError(f"{name!r} would be written outside {folder}")
    return path


def _sections(site: Site, request: NewPostRequest) -> list[str]:
    """The folders of the content folder a Hugo page goes in (``--section a/b``), each a
    slug; the first is the section whose archetype Hugo uses."""
    written = request.section if request.section is not None else site.config.new.section
    return [make_slug(part) for part in written.replace("\\", "/").split("/") if part.strip()]


def _from_archetype(site: Site, request: NewPostRequest, now: dt.datetime,
                    archetype: Path) -> NewPost:
    """The new page from its archetype: filled in, then the title and the options set."""
    from postctl.edit.archetypes import ArchetypeData, fill, rfc3339
    from postctl.edit.splice import Edit, apply_edits
    from postctl.site.hugo_settings import hugo_setting
    from postctl.text.front_matter import load_front_matter
    from postctl.text.source import split_source

    moment = request.date or now
    moment = (moment.astimezone(site.tz) if moment.tzinfo else
              moment.replace(tzinfo=site.tz)).replace(microsecond=0)
    path = _target_path(site, request, moment)
    title = hugo_setting(site.root, "title")
    sections = _sections(site, request)
    data = ArchetypeData(moment, path.parent.name if request.bundle else path.stem, path.stem,
                         sections[0] if sections else "", title if isinstance(title, str) else "")
    where = site.relative(archetype)
    try:
        text = fill(archetype.read_text(encoding="utf-8"), data, where)
        source = split_source(text.encode("utf-8"), path)
        values = load_front_matter(source.kind, source.fm_text, path, source.fm_line).values
    except (OSError, UnicodeError) as exc:
        raise UsageError(f"{where}: cannot read the archetype: {exc}") from None
    except SourceError as exc:
        raise UsageError(f"{where}: filled in, the archetype is not a post: {exc.message}"
                         ) from None
    wanted: list[tuple[str, Any]] = [("title", request.title)]
    for key, given in (("author", request.author), ("layout", request.layout),
                       ("tags", list(request.tags)), ("categories", list(request.categories)),
                       ("draft", request.draft or None), *request.extra.items()):
        if given or given is False or key in request.extra:
            wanted.append((key, given))
    edits = [Edit(key, "set" if key in values else "insert", value) for key, value in wanted
             if not (key in values and values[key] == value
                     and type(values[key]) is type(value))]
    if request.date is not None and "date" not in values:
        written = rfc3339(moment)
        edits.append(Edit("date", "insert", moment if source.kind != "json" else written,
                          text=written if source.kind != "json" else f'"{written}"'))
        wanted.append(("date", moment))
    if edits:
        text = apply_edits(source, edits).decode("utf-8")
    _verify(path, text, wanted)
    final = split_source(text.encode("utf-8"), path)
    values = load_front_matter(final.kind, final.fm_text, path, final.fm_line).values
    return NewPost(path, tuple(values.items()), text)


def _drafts_beside(site: Site, posts: Path | None) -> Path:
    """The drafts folder beside the chosen posts folder (``news/_drafts`` for
    ``news/_posts``) where the site has one, else the site's."""
    for folder in site.folders:
        if posts is not None and folder.drafts and folder.path.parent == posts.parent:
            return folder.path
    return site.drafts_folder


def _verify(path: Path, text: str, items: Sequence[tuple[str, Any]]) -> None:
    """Parse the rendered text back; every value must read back as given.

    See docs/guarantees.md: New posts."""
    from postctl.text.dates import DateError, parse_date
    from postctl.text.front_matter import load_front_matter
    from postctl.text.source import split_source

    try:
        source = split_source(text.encode("utf-8"), path)
        values = load_front_matter(source.kind, source.fm_text, path, source.fm_line).values
    except SourceError as exc:
        raise UnsafeWriteError(path, f"internal error: the new post does not parse ({exc}); "
                               "nothing written — please report") from None
    for name, expected in items:
        got = values.get(name)
        if isinstance(expected, dt.datetime):
            try:
                same = parse_date(got, dt.timezone.utc).value == expected
            except DateError:
                same = False
        else:
            same = got == expected and type(got) is type(expected)
        if not same:
            raise UnsafeWriteError(path, f"internal error: {name!r} would read back as {got!r}, "
                                   f"not {expected!r}; nothing written — please report")
