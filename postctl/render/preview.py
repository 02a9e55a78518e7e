"""Preview: a post for reading, not its source.

A header panel (title, date in the site's time zone, author, categories, tags, path, URL,
word count and reading time) with lint warnings under it, then the body as rich Markdown.

The body goes through three steps, shared with the HTML page (``render.html``):

1. :func:`prepare` sanitises the body (G10: controls and escape sequences become visible
   escapes) and replaces Jekyll/Liquid constructs and images by placeholders: a
   ``{% post_url %}``/``{% link %}`` becomes the target post's title and URL (or is marked
   broken), ``{% include %}``, ``{{ site.x }}`` and other tags are kept as dimmed text,
   ``{% raw %}`` blocks show their content, ``{% comment %}`` blocks disappear and
   ``{% highlight %}`` blocks become fenced code blocks. Placeholders use Unicode
   noncharacters (U+FDD0, U+FDD1), which the body cannot contain after preparation.
2. markdown-it parses the result (the same parser rich uses).
3. The token stream is rewritten: placeholders become styled text, links show their target,
   raw HTML is shown dimmed instead of dropped.

rich is imported only inside the functions that draw.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, Protocol

from postctl.liquid import (
    LiquidSpan,
    clean_target,
    fenced_blocks,
    is_site_local,
    liquid_spans,
    local_path,
    markdown_links,
    masked,
    resolve_post_url,
)
from postctl.render.sanitize import sanitize, sanitize_line

if TYPE_CHECKING:
    from markdown_it.token import Token
    from rich.console import Console, RenderableType

    from postctl.post import Post
    from postctl.preview import RawSource
    from postctl.render.output import Output
    from postctl.scan import PostFile
    from postctl.site import Site

__all__ = [
    "Insert",
    "Prepared",
    "PreviewFacts",
    "SiteResolver",
    "View",
    "draw",
    "facts",
    "prepare",
    "preview_renderables",
    "raw_renderables",
    "show",
    "show_post",
    "show_source",
    "split_placeholders",
    "word_count",
]

WORDS_PER_MINUTE = 200
DEFAULT_MAX_WIDTH = 100  # a readable line length when the terminal is wider
OPEN, CLOSE = "\ufdd0", "\ufdd1"
_PLACEHOLDER = re.compile(OPEN + r"(\d+)" + CLOSE)


# --- resolving references ------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a ``{% post_url %}``/``{% link %}`` points at: a post's title and URL, a file."""

    title: str | None
    url: str | None
    draft: bool = False


@dataclass(frozen=True)
class ImageFile:
    """Where an image is: a local file (``file``, ``exists``) or a remote URL (``remote``)."""

    file: Path | None
    exists: bool
    remote: bool = False


class Resolver(Protocol):
    def post_url(self, name: str) -> Target | None: ...
    def link(self, path: str) -> Target | None: ...
    def image(self, src: str) -> ImageFile: ...


class SiteResolver:
    """Resolves references of one post against its site, loading only the posts it needs."""

    def __init__(self, site: Site, post: Post | None = None) -> None:
        self.site = site
        self.post = post
        self._files: dict[str, PostFile] | None = None
        self._loaded: dict[str, Post | None] = {}

    def _post_files(self) -> dict[str, PostFile]:
        if self._files is None:
            from postctl.scan import iter_post_files

            files: dict[str, PostFile] = {}
            # Published posts first: a draft only answers a name no post has.
            found = sorted(iter_post_files(self.site), key=lambda item: item.folder.drafts)
            for item in found:
                if item.skip_reason is not None:
                    continue
                for key in _post_keys(item.path, self.site.root):
                    files.setdefault(key, item)
            self._files = files
        return self._files

    def _load(self, key: str) -> Post | None:
        if key not in self._loaded:
            from postctl.errors import SourceError
            from postctl.scan import PostLoader

            item = self._post_files().get(key)
            post = None
            if item is not None:
                try:
                    post = PostLoader(self.site).load(Path(item.path), item.folder)
                except SourceError:
                    post = None
            self._loaded[key] = post
        return self._loaded[key]

    def _target(self, post: Post) -> Target:
        from postctl.urls import post_url

        return Target(post.title, post_url(post, self.site), post.draft)

    def post_url(self, name: str) -> Target | None:
        post = resolve_post_url(name, _LazyPosts(self))
        return self._target(post) if post is not None else None

    def link(self, path: str) -> Target | None:
        from postctl.errors import SourceError
        from postctl.scan import PostLoader

        relative = path.strip().lstrip("/")
        if not relative or "{" in relative:
            return None
        file = self.site.root / relative
        if not file.is_file():
            return None
        if file.suffix in (".md", ".markdown"):
            try:
                post = PostLoader(self.site).load(file)
            except SourceError:
                return Target(None, "/" + relative)
            if any(file.is_relative_to(folder.path) for folder in self.site.folders):
                return self._target(post)
            return Target(post.title, "/" + relative)
        return Target(None, "/" + relative)

    def image(self, src: str) -> ImageFile:
        if not is_site_local(src):
            return ImageFile(None, True, remote="{" not in src)
        path = local_path(src)
        if path.startswith("/"):
            bases = [self.site.root]
        else:
            bases = ([self.post.path.parent] if self.post is not None else []) + [self.site.root]
        for base in bases:
            file = base / path.lstrip("/")
            if file.is_file():
                return ImageFile(file, True)
        return ImageFile(bases[-1] / path.lstrip("/"), False)


def _post_keys(path: str, root: Path) -> list[str]:
    """``stem`` and ``folders/stem`` keys of a post file, as ``{% post_url %}`` names it."""
    relative = PurePosixPath(Path(path).relative_to(root).as_posix())
    stem = relative.stem
    parts = list(relative.parent.parts)
    if "_posts" in parts:
        index = parts.index("_posts")
        folders = parts[:index] + parts[index + 1 :]
    elif "_drafts" in parts:
        index = parts.index("_drafts")
        folders = parts[:index] + parts[index + 1 :]
    else:
        folders = parts
    keys = [stem]
    if folders:
        keys.append("/".join([*folders, stem]))
    return keys


class _LazyPosts(Mapping[str, "Post"]):
    """A post-by-file-name mapping that parses a post only when it is asked for."""

    def __init__(self, resolver: SiteResolver) -> None:
        self.resolver = resolver

    def __getitem__(self, key: str) -> Post:
        post = self.resolver._load(key)
        if post is None:
            raise KeyError(key)
        return post

    def __iter__(self) -> Iterator[str]:
        return iter(self.resolver._post_files())

    def __len__(self) -> int:
        return len(self.resolver._post_files())


# --- preparing the body ------------------------------------------------------------------------

InsertKind = Literal["liquid", "ref", "target", "image"]


@dataclass(frozen=True)
class Insert:
    """What replaces one Liquid construct, link target or image of the body.

    ``liquid``: ``text`` is the construct as written (shown dimmed).
    ``ref``: a ``{% post_url %}``/``{% link %}`` in running text; ``target``: the target
    of a Markdown link. Both: ``text`` is the tag or target as written, ``url`` and
    ``title`` what it resolves to, ``broken`` when it resolves to nothing.
    ``image``: ``text`` is the alt text, ``url`` the source, ``file`` the local file,
    ``broken`` when that file is missing.
    """

    kind: InsertKind
    text: str
    url: str | None = None
    title: str | None = None
    broken: bool = False
    draft: bool = False
    file: Path | None = None
    remote: bool = False


@dataclass(frozen=True)
class Prepared:
    """A body ready for markdown-it: text with placeholders, what they stand for, and the
    nonce of link-target placeholders (``postctl-<nonce>:<n>``)."""

    markdown: str
    inserts: tuple[Insert, ...]
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))

    @property
    def target_prefix(self) -> str:
        return f"postctl-{self.nonce}:"

    def target_of(self, href: str) -> Insert | None:
        """The insert a rewritten link target stands for, or None for an ordinary link."""
        if not href.startswith(self.target_prefix):
            return None
        index = href[len(self.target_prefix) :]
        if not index.isdigit() or int(index) >= len(self.inserts):
            return None
        return self.inserts[int(index)]


_REF_TAGS = ("post_url", "link")


Edit = tuple[int, int, "Callable[[], str]"]  # start, end, what replaces the span (lazily)


def prepare(body: str, resolver: Resolver) -> Prepared:
    """Sanitise ``body`` and replace Liquid constructs and images by placeholders.

    Nested constructs (a Liquid output inside an image source) are replaced by the outer
    one; references are resolved only for the replacements that are kept.
    """
    text = sanitize(body.replace("\r\n", "\n"))
    text = text.replace(OPEN, "\\ufdd0").replace(CLOSE, "\\ufdd1")
    spans = liquid_spans(text)
    blank, kept = masked(text, spans)
    inserts: list[Insert] = []
    nonce = secrets.token_hex(6)
    edits: list[Edit] = []

    def placeholder(make: Callable[[], Insert]) -> Callable[[], str]:
        def replace() -> str:
            inserts.append(make())
            return f"{OPEN}{len(inserts) - 1}{CLOSE}"
        return replace

    def target(written: str) -> Callable[[], str]:
        def replace() -> str:
            inserts.append(_link_target(written, resolver))
            return f"postctl-{nonce}:{len(inserts) - 1}"
        return replace

    for kind, start, end, (t_start, t_end), (l_start, l_end) in markdown_links(blank):
        written = text[t_start:t_end]
        if kind == "markdown_image":
            alt = text[l_start:l_end]
            edits.append((start, end, placeholder(partial(_image, alt, written, resolver))))
        elif "{" in written:
            edits.append((t_start, t_end, target(written)))
    for start, end, replacement in _block_edits(text, spans, list(fenced_blocks(blank))):
        edits.append((start, end, partial(str, replacement)))
    for span in kept:
        source = text[span.start : span.end]
        if span.kind in _REF_TAGS:
            make = partial(_ref, "ref", source, partial(_resolve_tag, span, resolver))
            edits.append((span.start, span.end, placeholder(make)))
        elif span.kind not in ("highlight", "endhighlight"):
            make = partial(Insert, "liquid", _one_line(source))
            edits.append((span.start, span.end, placeholder(make)))
    return Prepared(_apply(text, edits), tuple(inserts), nonce)


def _image(alt: str, written: str, resolver: Resolver) -> Insert:
    src = clean_target(written)
    image = resolver.image(src)
    return Insert("image", _one_line(alt), src, broken=not image.exists, file=image.file,
                  remote=image.remote)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _resolve_tag(span: LiquidSpan, resolver: Resolver) -> Target | None:
    if span.kind == "post_url":
        return resolver.post_url(span.argument)
    return resolver.link(span.argument)


def _ref(kind: InsertKind, source: str, resolve: Callable[[], Target | None]) -> Insert:
    resolved = resolve()
    if resolved is None:
        return Insert(kind, _one_line(source), broken=True)
    return Insert(kind, _one_line(source),
                  sanitize_line(resolved.url) if resolved.url else None,
                  sanitize_line(resolved.title) if resolved.title else None,
                  draft=resolved.draft)


def _link_target(written: str, resolver: Resolver) -> Insert:
    """A Markdown link target holding Liquid: the tag it uses, resolved, or the cleaned text."""
    inner = liquid_spans(written)
    for span in inner:
        if span.kind in _REF_TAGS:
            return _ref("target", written, partial(_resolve_tag, span, resolver))
    return Insert("target", _one_line(written), _one_line(clean_target(written)))


def _block_edits(
    text: str, spans: list[LiquidSpan], fences: list[tuple[int, int]]
) -> Iterator[tuple[int, int, str]]:
    """raw blocks show their content, comment blocks vanish, highlight blocks become fences."""
    def in_fence(offset: int) -> bool:
        return any(start <= offset < end for start, end in fences)

    opened: LiquidSpan | None = None
    for span in spans:
        # Liquid runs before Markdown: raw and comment blocks act inside code blocks too.
        if span.kind == "raw" and span.inner is not None:
            yield span.start, span.end, text[span.inner[0] : span.inner[1]]
        elif span.kind == "comment":
            yield span.start, span.end, ""
        elif in_fence(span.start):
            continue
        elif span.kind == "highlight" and opened is None:
            opened = span
        elif span.kind == "endhighlight" and opened is not None:
            yield from _highlight_fence(text, opened, span)
            opened = None


def _highlight_fence(
    text: str, opening: LiquidSpan, closing: LiquidSpan
) -> Iterator[tuple[int, int, str]]:
    code = text[opening.end : closing.start]
    longest = max((len(run) for run in re.findall("`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    language = opening.argument.split()[0] if opening.argument.split() else ""
    before = "" if opening.start == 0 or text[opening.start - 1] == "\n" else "\n"
    after = "" if text.startswith("\n", opening.end) else "\n"
    yield opening.start, opening.end, f"{before}{fence}{language}{after}"
    before = "" if text[closing.start - 1 : closing.start] == "\n" else "\n"
    yield closing.start, closing.end, f"{before}{fence}"


def _apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; of two overlapping ones, the one that starts first
    (the outer one, for nested constructs) wins."""
    edits.sort(key=lambda edit: (edit[0], -edit[1]))
    parts: list[str] = []
    pos = 0
    for start, end, replacement in edits:
        if start < pos:
            continue
        parts.append(text[pos:start])
        parts.append(replacement())
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def split_placeholders(text: str, prepared: Prepared) -> Iterator[str | Insert]:
    """``text`` as plain strings and the inserts its placeholders stand for, in order."""
    pos = 0
    for match in _PLACEHOLDER.finditer(text):
        index = int(match.group(1))
        if index >= len(prepared.inserts):
            continue
        if match.start() > pos:
            yield text[pos : match.start()]
        yield prepared.inserts[index]
        pos = match.end()
    if pos < len(text):
        yield text[pos:]


def as_written(insert: Insert) -> str:
    """An insert inside raw HTML: a resolved reference is its URL (``<a href="{% post_url x
    %}">`` reads as on the site), an image its Markdown, anything else the Liquid as written."""
    if insert.kind == "ref" and insert.url and not insert.broken:
        return insert.url
    if insert.kind == "image":
        return f"![{insert.text}]({insert.url or ''})"
    return insert.text


def plain_text(text: str, prepared: Prepared) -> str:
    """Raw HTML with its placeholders filled in (see :func:`as_written`)."""
    return "".join(part if isinstance(part, str) else as_written(part)
                   for part in split_placeholders(text, prepared))


# --- what an insert looks like in the terminal -------------------------------------------------

Style = Literal["plain", "dim", "title", "url", "broken", "image", "link"]
STYLES: dict[Style, str] = {
    "plain": "none",
    "dim": "dim",
    "title": "bold bright_blue",
    "url": "blue underline",
    "broken": "bold red",
    "image": "magenta",
    "link": "bright_blue",
}


def pieces(insert: Insert) -> list[tuple[str, Style]]:
    """An insert as styled pieces of text (for running text; link targets: target_pieces)."""
    if insert.kind == "liquid":
        return [(insert.text, "dim")]
    if insert.kind == "image":
        image: list[tuple[str, Style]] = [
            ("[image: ", "image"), (insert.text or "no alt text", "image"), ("] ", "image"),
            (insert.url or "", "url"),
        ]
        if insert.broken:
            image.append((" (missing file)", "broken"))
        return image
    if insert.broken:
        return [(f"[broken: {insert.text}]", "broken")]
    title = insert.title or insert.url or ""
    shown: list[tuple[str, Style]] = [(f"“{title}”", "title")]
    if insert.url and insert.title:
        shown += [(" <", "plain"), (insert.url, "url"), (">", "plain")]
    if insert.draft:
        shown.append((" (draft)", "dim"))
    return shown


def target_pieces(insert: Insert) -> list[tuple[str, Style]]:
    """What follows a link's text when its target was rewritten: `` (url → “Title”)``."""
    if insert.broken:
        return [(" (", "plain"), (f"broken: {insert.text}", "broken"), (")", "plain")]
    shown: list[tuple[str, Style]] = [(" (", "plain"), (insert.url or insert.text, "url")]
    if insert.title:
        shown += [(" → ", "plain"), (f"“{insert.title}”", "title")]
    if insert.draft:
        shown.append((" (draft)", "dim"))
    shown.append((")", "plain"))
    return shown


# --- facts for the header ----------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewFacts:
    title: str
    rows: tuple[tuple[str, str], ...]  # label, value (sanitised)
    draft: bool
    words: int
    minutes: int


_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")


def word_count(body: str) -> int:
    """Words a reader sees: Liquid, link targets and HTML tags left out; words as search
    counts them. Linear in the size of the body."""
    from postctl.textify import tokens

    chars = list(body)
    cut = [(span.start, span.end) for span in liquid_spans(body)
           if span.inner is None or span.kind == "comment"]
    cut += [target for _kind, _start, _end, target, _label in markdown_links(body)]
    cut += [match.span() for match in _HTML_TAG.finditer(body)]
    for start, end in cut:
        chars[start:end] = " " * (end - start)
    return sum(1 for _ in tokens("".join(chars)))


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def format_date(moment: dt.datetime, tz: dt.tzinfo) -> str:
    local = moment.astimezone(tz)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


def facts(post: Post, site: Site, url: str | None = None) -> PreviewFacts:
    """The header of a post's preview, every value sanitised to one line."""
    rows: list[tuple[str, str]] = []
    if post.date is not None:
        when = format_date(post.date, site.tz)
        if post.date_origin == "filename":
            when += " (from the file name)"
        rows.append(("Date", when))
    elif post.date_error:
        rows.append(("Date", f"invalid: {post.date_error}"))
    if post.authors:
        rows.append(("Author", ", ".join(post.authors)))
    if post.categories:
        rows.append(("Categories", ", ".join(post.categories)))
    if post.tags:
        rows.append(("Tags", ", ".join(post.tags)))
    rows.append(("Path", post.rel_path))
    if url:
        rows.append(("URL", url))
    words = word_count(post.body)
    minutes = reading_minutes(words)
    rows.append(("Length", f"{words} word{'' if words == 1 else 's'}, {minutes} min read"))
    return PreviewFacts(
        title=sanitize_line(post.title) if post.title else "(untitled)",
        rows=tuple((label, sanitize_line(value)) for label, value in rows),
        draft=post.draft,
        words=words,
        minutes=minutes,
    )


# --- markdown-it tokens -----------------------------------------------------------------------

# rich's Markdown parser is MarkdownIt() in its CommonMark preset: blocks nested deeper
# than this are dropped without a word (GUARANTEES G9: preview says so).
MAX_NESTING = 20


def nesting_too_deep(tokens: Sequence[Token]) -> bool:
    return any(token.level >= MAX_NESTING - 1 for token in tokens)


def _style_token(text: str, style: Style, nesting: Literal[-1, 0, 1] = 0) -> Token:
    from markdown_it.token import Token

    return Token("postctl", f"postctl_{style}", nesting, content=text)


def _styled(parts: Sequence[tuple[str, Style]]) -> list[Token]:
    return [_style_token(text, style) for text, style in parts if text]


def _inline_children(children: Sequence[Token], prepared: Prepared) -> list[Token]:
    """Rewrite one inline run for rich: placeholders, rewritten link targets, raw HTML."""
    from markdown_it.common.normalize_url import normalizeLinkText

    out: list[Token] = []
    pending: list[Insert | None] = []  # per open link: the insert its target stands for
    for token in children:
        if token.type == "text" and OPEN in token.content:
            for part in split_placeholders(token.content, prepared):
                if isinstance(part, str):
                    out.append(_style_token(part, "plain"))
                else:
                    out.extend(_styled(pieces(part)))
        elif token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            insert = prepared.target_of(href)
            pending.append(insert)
            if insert is not None or token.markup == "autolink":
                out.append(_style_token("", "link", 1))
            else:
                token.attrs["href"] = normalizeLinkText(href)
                out.append(token)
        elif token.type == "link_close":
            insert = pending.pop() if pending else None
            if insert is not None:
                out.append(_style_token("", "link", -1))
                out.extend(_styled(target_pieces(insert)))
            elif token.markup == "autolink":
                out.append(_style_token("", "link", -1))
            else:
                out.append(token)
        elif token.type == "html_inline":
            out.append(_style_token(plain_text(token.content, prepared), "dim"))
        elif token.type == "image":
            out.extend(_styled([("[image: ", "image"), (token.content or "no alt text", "image"),
                                ("] ", "image"),
                                (normalizeLinkText(str(token.attrs.get("src", ""))), "url")]))
        else:
            out.append(token)
    return out


def rewrite_for_terminal(tokens: list[Token], prepared: Prepared) -> list[Token]:
    """The token stream rich will draw: see the module docstring."""
    from markdown_it.token import Token

    out: list[Token] = []
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            token.children = _inline_children(token.children, prepared)
            out.append(token)
        elif token.type == "html_block":
            content = plain_text(token.content.rstrip("\n"), prepared)
            inline = Token("inline", "", 0, children=[_style_token(content, "dim")])
            out += [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]
        else:
            out.append(token)
    return out


# --- rich ----------------------------------------------------------------------------------------


def _markdown(prepared: Prepared, code_theme: str) -> tuple[RenderableType, bool]:
    """The rich Markdown of a prepared body and whether nesting hid some of it."""
    from rich.markdown import Markdown

    class PreviewMarkdown(Markdown):
        inlines = Markdown.inlines | {f"postctl_{name}" for name in STYLES}

    markdown = PreviewMarkdown(prepared.markdown, code_theme=code_theme, hyperlinks=False)
    too_deep = nesting_too_deep(markdown.parsed)
    markdown.parsed = rewrite_for_terminal(markdown.parsed, prepared)
    return markdown, too_deep


def theme() -> Any:
    from rich.theme import Theme

    return Theme({f"markdown.postctl_{name}": style for name, style in STYLES.items()})


Note = tuple[str, str]  # (severity "error"|"warning"|"note", one-line message)
_NOTE_STYLES = {"error": "bold red", "warning": "bold yellow"}


def header_panel(info: PreviewFacts, notes: Sequence[Note]) -> RenderableType:
    """The title and facts in a panel; lint findings and other notes under it."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in info.rows:
        grid.add_row(Text(label), Text(value))
    title = Text(info.title, style="bold")
    if info.draft:
        title.append("  (draft)", style="bold yellow")
    parts: list[RenderableType] = [Panel(Group(title, grid), expand=True)]
    for severity, message in notes:
        line = Text(f"{severity}: ", style=_NOTE_STYLES.get(severity, "bold"))
        line.append(sanitize_line(message))
        parts.append(line)
    return Group(*parts)


def preview_renderables(
    post: Post,
    site: Site,
    *,
    notes: Sequence[Note] = (),
    url: str | None = None,
    code_theme: str = "monokai",
) -> list[RenderableType]:
    """The header panel, notes (lint findings) and the rendered body of ``post``."""
    from rich.text import Text

    prepared = prepare(post.body, SiteResolver(site, post))
    markdown, too_deep = _markdown(prepared, code_theme)
    notes = list(notes)
    if too_deep:
        notes.append(("warning", f"the body nests blocks deeper than {MAX_NESTING} levels: "
                      "what is nested deeper, and possibly what follows it, is not shown "
                      "(see it with --raw)"))
    return [header_panel(facts(post, site, url), notes), Text(), markdown]


def raw_renderables(source_text: str, kind: str, fm_lines: int) -> list[RenderableType]:
    """The source, sanitised and syntax-highlighted with file line numbers: the first
    ``fm_lines`` lines (the front matter, delimiters included) as YAML, TOML or JSON, the
    rest as Markdown."""
    from rich.syntax import Syntax
    from rich.text import Text

    text = sanitize(source_text.replace("\r\n", "\n"))
    lexer = {"yaml": "yaml", "toml": "toml", "json": "json"}.get(kind)
    if lexer is None or fm_lines <= 0:
        return [Syntax(text, "markdown", line_numbers=True, word_wrap=True)]
    front_lexer = lexer

    class SourceSyntax(Syntax):
        def highlight(
            self, code: str, line_range: tuple[int | None, int | None] | None = None
        ) -> Text:
            split = _line_offset(code, fm_lines)
            head = Syntax(code[:split], front_lexer, theme=self._theme, word_wrap=True)
            body = Syntax(code[split:], "markdown", theme=self._theme, word_wrap=True)
            highlighted = head.highlight(code[:split])
            if not highlighted.plain.endswith("\n"):
                highlighted.append("\n")
            highlighted.append_text(body.highlight(code[split:]))
            return highlighted

    return [SourceSyntax(text, "markdown", line_numbers=True, word_wrap=True)]


def _line_offset(text: str, lines: int) -> int:
    """Offset just after the ``lines``-th ``\\n`` of ``text`` (or its length)."""
    offset = 0
    for _ in range(lines):
        found = text.find("\n", offset)
        if found < 0:
            return len(text)
        offset = found + 1
    return offset


def console_for(out: Output, width: int | None, plain: bool) -> Console:
    """A console on stdout: colour as the output sink decides (never with ``plain``), width
    ``width`` or the terminal's capped at DEFAULT_MAX_WIDTH."""
    from rich.console import Console

    if plain:
        console = Console(file=out.stdout, width=width, force_terminal=False, no_color=True,
                          color_system=None, highlight=False, markup=False, emoji=False)
    else:
        console = out.console(width=width)
    if width is None:
        width = min(console.width, DEFAULT_MAX_WIDTH)
    # Set width and height together: rich ignores a width alone on a dumb TERM.
    console.size = (width, console.height)
    console.push_theme(theme())
    return console


def render_text(console: Console, renderables: Sequence[RenderableType]) -> str:
    """Everything drawn, as text; without colour, lines lose the padding rich adds."""
    with console.capture() as capture:
        for renderable in renderables:
            console.print(renderable)
    text = capture.get()
    if console.color_system is None:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def show(text: str, out: Output, *, page: bool, height: int | None) -> None:
    """Write rendered ``text`` to stdout, through a pager when ``page`` and it is longer
    than ``height`` lines: ``$PAGER``, else rich's pager (less with colours kept)."""
    if page and height and text.count("\n") > height:
        pager = os.environ.get("PAGER", "").strip()
        os.environ.setdefault("LESS", "FRX")  # as git does: colours, no screen clearing
        if pager:
            import pydoc

            pydoc.pipepager(text, pager)
        else:
            from rich.pager import SystemPager

            SystemPager().show(text)
        return
    out.data(text, end="")
    out.flush()




@dataclass(frozen=True)
class View:
    """How to show a preview: without colour (``plain``), through a pager when it overflows
    a terminal (``page``), at a width (None: the terminal's, at most DEFAULT_MAX_WIDTH)."""

    plain: bool = False
    page: bool = True
    width: int | None = None


def draw(renderables: Sequence[RenderableType], out: Output, view: View) -> None:
    """Draw on stdout (see :func:`console_for`), paged when ``view.page`` and stdout is a
    terminal that the text overflows."""
    console = console_for(out, view.width, view.plain)
    text = render_text(console, renderables)
    terminal = out.is_terminal(out.stdout)
    show(text, out, page=view.page and terminal, height=console.height if terminal else None)


def show_post(post: Post, site: Site, out: Output, view: View, *, notes: Sequence[Note] = (),
              url: str | None = None) -> None:
    """The post for reading: header panel, ``notes`` (lint findings), rendered body."""
    draw(preview_renderables(post, site, notes=notes, url=url), out, view)


def show_source(source: RawSource, out: Output, view: View) -> None:
    """The post as written, syntax-highlighted (``--raw``)."""
    draw(raw_renderables(*source), out, view)
