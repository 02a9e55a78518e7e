"""The post model: a file's source, its parsed front matter, and the facts every
command reads (title, date, tags, categories, authors, draft, slug)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from postctl.errors import SourceError
from postctl.post import normalize
from postctl.text.dates import DateError, ParsedDate, filename_date, parse_date
from postctl.text.front_matter import load_front_matter
from postctl.text.metadata import Metadata
from postctl.text.source import Source, split_source


@dataclass(frozen=True)
class PostContext:
    """What a post's facts depend on besides its own file."""

    root: Path
    tz: dt.tzinfo
    flavour: str = "jekyll"
    is_draft_file: bool = False  # Jekyll: the file is in a _drafts folder
    path_categories: tuple[str, ...] = ()  # Jekyll: folders above _posts
    defaults: dict[str, Any] = field(default_factory=dict)  # Jekyll `defaults:`, Hugo `cascade`
    content_folder: Path | None = None  # Hugo: the content folder the file is in
    hugo_dates: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # Hugo: [frontmatter]


@dataclass(frozen=True)
class Post:
    path: Path
    rel_path: str  # relative to the site root, '/'-separated
    source: Source
    metadata: Metadata
    title: str | None
    date: dt.datetime | None
    date_origin: str | None  # "front matter" | "filename" | None
    date_error: str | None
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    authors: tuple[str, ...]
    draft: bool
    slug: str
    kind: str = "post"  # Hugo: "home" | "section" | "page"
    publish_date: dt.datetime | None = None  # Hugo's publishDate
    expiry_date: dt.datetime | None = None  # Hugo's expiryDate
    listed: bool = True  # Hugo: not headless, not build.list never
    rendered: bool = True  # Hugo: not build.render never

    @property
    def values(self) -> dict[str, Any]:
        return self.metadata.values

    @property
    def body(self) -> str:
        return self.source.body

    @property
    def author(self) -> str | None:
        return self.authors[0] if self.authors else None

    def get(self, key: str, default: Any = None) -> Any:
        return self.metadata.values.get(key, default)


def parse_post(
    raw: bytes, path: Path, context: PostContext, max_front_matter_bytes: int = 256 * 1024
) -> Post:
    """Build a Post from bytes; raise SourceError for anything unreadable."""
    source = split_source(raw, path)
    if len(source.fm_text.encode("utf-8")) > max_front_matter_bytes:
        raise SourceError(path, f"front matter is larger than the {max_front_matter_bytes} "
                          "byte limit", 1, 1, code="E008")
    metadata = load_front_matter(source.kind, source.fm_text, path, source.fm_line,
                                 hugo=context.flavour == "hugo")
    return build_post(source, metadata, context)


def build_post(source: Source, metadata: Metadata, context: PostContext) -> Post:
    values = {**context.defaults, **metadata.values} if context.defaults else metadata.values
    stem = name_stem(source.path.name)
    from_name = filename_date(stem)
    date, origin, error = _post_date(values.get("date"), from_name, context.tz)
    if context.flavour == "hugo":
        return _hugo_post(source, metadata, context, values, error)
    categories = normalize.categories(values)
    if context.path_categories:
        categories = list(dict.fromkeys([*context.path_categories, *categories]))
    return Post(
        path=source.path,
        rel_path=_relative(source.path, context.root),
        source=source,
        metadata=metadata,
        title=normalize.title(values),
        date=date,
        date_origin=origin,
        date_error=error,
        tags=tuple(normalize.tags(values)),
        categories=tuple(categories),
        authors=tuple(normalize.authors(values)),
        draft=is_draft(values, context),
        slug=_slug(values, source.path, stem, from_name),
    )


def _hugo_post(source: Source, metadata: Metadata, context: PostContext,
               values: dict[str, Any], date_error: str | None) -> Post:
    from postctl.post.hugo_page import hugo_facts, hugo_values

    facts = hugo_facts(values, source.path, context.content_folder, context.tz,
                       context.hugo_dates)
    values = hugo_values(values)  # Hugo's keys are case-insensitive
    slug = values.get("slug")
    if isinstance(slug, (int, float)) and not isinstance(slug, bool):
        slug = str(slug)  # Hugo reads any scalar as text
    if not (isinstance(slug, str) and slug):
        stem = PurePosixPath(source.path.name).stem
        slug = (source.path.parent.name if stem in ("index", "_index")
                else facts.filename_slug or stem)
    return Post(
        path=source.path,
        rel_path=_relative(source.path, context.root),
        source=source,
        metadata=metadata,
        title=normalize.title(values),
        date=facts.date,
        date_origin="front matter" if facts.date is not None else None,
        date_error=date_error,
        tags=tuple(normalize.tags(values)),
        categories=tuple(normalize.categories(values)),
        authors=tuple(normalize.authors(values)),
        draft=is_draft(values, context),
        slug=slug,
        kind=facts.kind,
        publish_date=facts.publish_date,
        expiry_date=facts.expiry_date,
        listed=facts.listed,
        rendered=facts.rendered,
    )


def is_draft(values: dict[str, Any], context: PostContext) -> bool:
    """Jekyll: a _drafts file or ``published: false``; Hugo: ``draft: true`` (as Go reads a
    flag: ``post.hugo_page.go_bool``).

    Jekyll unpublishes only the boolean false (``data["published"] == false``): a quoted
    "false" is a string and the post is published.
    """
    if context.flavour == "hugo":
        from postctl.post.hugo_page import go_bool

        return go_bool(values.get("draft"))
    return context.is_draft_file or values.get("published") is False


def _post_date(
    value: object, from_name: tuple[dt.date, str] | None, tz: dt.tzinfo
) -> tuple[dt.datetime | None, str | None, str | None]:
    if value is not None:
        try:
            parsed: ParsedDate = parse_date(value, tz)
            return parsed.value, "front matter", None
        except DateError as exc:
            error = str(exc)
            if from_name:
                day = from_name[0]
                return dt.datetime(day.year, day.month, day.day, tzinfo=tz), "filename", error
            return None, None, error
    if from_name:
        day = from_name[0]
        return dt.datetime(day.year, day.month, day.day, tzinfo=tz), "filename", None
    return None, None, None


def name_stem(name: str) -> str:
    """``PurePosixPath(name).stem`` of a file name, without building a path (a listing of
    the whole site asks it of every post)."""
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _slug(values: dict[str, Any], path: Path, stem: str,
          from_name: tuple[dt.date, str] | None) -> str:
    if isinstance(values.get("slug"), str) and values["slug"]:
        return str(values["slug"])
    if stem in ("index", "_index"):
        return path.parent.name
    return from_name[1] if from_name else stem


def _relative(path: Path, root: Path) -> str:
    text, prefix = str(path), str(root).rstrip("/\\") + os.sep
    if text.startswith(prefix):  # the common case, without PurePath's parsing
        return text[len(prefix):].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
