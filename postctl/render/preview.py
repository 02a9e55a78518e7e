"""Preview: a post for reading, not its source, drawn on the terminal.

A header panel (the facts of ``render.facts``) with lint warnings under it, then the body as
rich Markdown. The body goes through three steps:

1. ``render.prepare`` sanitises it and replaces Liquid constructs and images by placeholders
   (the same preparation as the HTML page, ``render.html``), references resolved against
   the site by ``postctl.site.references``.
2. markdown-it parses the result (the same parser rich uses).
3. The token stream is rewritten: placeholders become styled text, links show their target,
   raw HTML is shown dimmed instead of dropped.

``--raw`` shows the source instead (``render.rawview``); ``render.screen`` draws both. rich is
imported only inside the functions that draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from postctl.render.facts import facts
from postctl.render.prepare import OPEN, plain_text, prepare, split_placeholders
from postctl.site.references import SiteResolver
from postctl.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from markdown_it.token import Token
    from rich.console import RenderableType

    from postctl.post.model import Post
    from postctl.render.facts import PreviewFacts
    from postctl.render.output import Output
    from postctl.render.prepare import Insert, Prepared
    from postctl.render.screen import View
    from postctl.site.model import Site

__all__ = ["preview_renderables", "show_post"]


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


def show_post(post: Post, site: Site, out: Output, view: View, *, notes: Sequence[Note] = (),
              url: str | None = None) -> None:
    """The post for reading: header panel, ``notes`` (lint findings), rendered body."""
    from postctl.render.screen import draw

    draw(preview_renderables(post, site, notes=notes, url=url), out, view, theme())
