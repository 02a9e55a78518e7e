"""Preview: a post for reading, not its source, drawn on the terminal.

A header panel (the facts of ``render.facts``) with lint warnings and other notes under it,
then the body as rich Markdown. The body goes through four steps:

1. ``render.prepare`` sanitises it and replaces Liquid constructs and images by placeholders
   (the same preparation as the HTML page, ``render.html``), references resolved against
   the site by ``postctl.site.references``.
2. ``render.window`` parses what is drawn of it with markdown-it (the parser rich uses): a
   long body is cut, a long table shortened, and each says what it leaves out.
3. The token stream is rewritten: placeholders become styled text, links show their target,
   a target that may not be a link (``render.urls``) is shown as text and noted, raw HTML
   is shown dimmed instead of dropped.
4. rich draws it (``render.screen``).

``--raw`` shows the source instead (``render.rawview``). rich is imported only inside the
functions that draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from postctl.render.facts import facts
from postctl.render.markdown import MORE_ROWS
from postctl.render.prepare import OPEN, plain_text, prepare, split_placeholders
from postctl.render.urls import label, refusal_notes, shown_target
from postctl.render.window import TERMINAL, Limits, hidden_note, more_rows, parse_window
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
    from postctl.render.urls import Refusal
    from postctl.site.model import Site

__all__ = ["preview_renderables", "show_post"]


# --- what an insert looks like in the terminal -------------------------------------------------

Style = Literal["plain", "dim", "title", "url", "broken", "image", "link", "shortcode"]
STYLES: dict[Style, str] = {
    "plain": "none",
    "dim": "dim",
    "title": "bold bright_blue",
    "url": "blue underline",
    "broken": "bold red",
    "image": "magenta",
    "link": "bright_blue",
    "shortcode": "bold cyan",
}


def pieces(insert: Insert) -> list[tuple[str, Style]]:
    """An insert as styled pieces of text (for running text; link targets: target_pieces)."""
    if insert.kind == "liquid":
        return [(insert.text, "dim")]
    if insert.kind == "shortcode":
        return [(f"[{insert.text}]", "shortcode")]
    if insert.kind == "text":
        return [(insert.text, "plain")]
    if insert.kind == "image":
        image: list[tuple[str, Style]] = [
            ("[image: ", "image"), (insert.text or "no alt text", "image"), ("]", "image"),
        ]
        if insert.refused is not None:
            return image + _refused(insert.refused, insert.url or "")
        image += [(" ", "image"), (insert.url or "", "url")]
        if insert.broken:
            image.append((" (missing file)", "broken"))
        return image
    if insert.refused is not None:
        return [(f"[{label(insert.refused)}: {insert.text}]", "broken")]
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
    if insert.refused is not None:
        return _refused(insert.refused, insert.url or insert.text)
    if insert.broken:
        return [(" (", "plain"), (f"broken: {insert.text}", "broken"), (")", "plain")]
    shown: list[tuple[str, Style]] = [(" (", "plain"), (insert.url or insert.text, "url")]
    if insert.title:
        shown += [(" → ", "plain"), (f"“{insert.title}”", "title")]
    if insert.draft:
        shown.append((" (draft)", "dim"))
    shown.append((")", "plain"))
    return shown


def _refused(refusal: Refusal, target: str) -> list[tuple[str, Style]]:
    """A target shown as text: `` (not a safe link: javascript:…)``."""
    return [(" (", "plain"), (f"{label(refusal)}: {shown_target(target)}", "broken"),
            (")", "plain")]


# --- markdown-it tokens -----------------------------------------------------------------------

# markdown-it's CommonMark preset drops blocks nested deeper than this without a word
# (the preview says so: docs/guarantees.md, Limits).
MAX_NESTING = 20


def nesting_too_deep(tokens: Sequence[Token]) -> bool:
    return any(token.level >= MAX_NESTING - 1 for token in tokens)


def _style_token(text: str, style: Style, nesting: Literal[-1, 0, 1] = 0) -> Token:
    from markdown_it.token import Token

    return Token("postctl", f"postctl_{style}", nesting, content=text)


def _styled(parts: Sequence[tuple[str, Style]]) -> list[Token]:
    return [_style_token(text, style) for text, style in parts if text]


class TerminalTokens:
    """Rewrites a parsed body for rich (see the module docstring) and keeps the targets it
    showed as text, for the notes."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.refused: list[tuple[Refusal, str]] = []

    def rewrite(self, tokens: list[Token]) -> list[Token]:
        """The token stream rich will draw."""
        out: list[Token] = []
        for token in tokens:
            if token.type == "inline" and token.children is not None:
                token.children = self._inline(token.children)
                out.append(token)
            elif token.type == "html_block":
                content = plain_text(token.content.rstrip("\n"), self.prepared)
                out += _paragraph(_style_token(content, "dim"))
            elif token.type == MORE_ROWS:
                out += _paragraph(_style_token(more_rows(token.meta["rows"]), "dim"))
            else:
                out.append(token)
        return out

    def _inline(self, children: Sequence[Token]) -> list[Token]:
        """One inline run: placeholders, rewritten or refused link targets, raw HTML."""
        out: list[Token] = []
        closing: list[list[Token] | None] = []  # per open link: what its close becomes
        for token in children:
            if token.type == "text" and OPEN in token.content:
                for part in split_placeholders(token.content, self.prepared):
                    out += [_style_token(part, "plain")] if isinstance(part, str) \
                        else _styled(self._pieces(part, pieces))
            elif token.type == "link_open":
                opened, close = self._link(token)
                out += opened
                closing.append(close)
            elif token.type == "link_close":
                close = closing.pop() if closing else None
                out += [token] if close is None else close
            elif token.type == "html_inline":
                out.append(_style_token(plain_text(token.content, self.prepared), "dim"))
            elif token.type == "image":
                out += _styled(self._image(token))
            else:
                out.append(token)
        return out

    def _link(self, token: Token) -> tuple[list[Token], list[Token] | None]:
        """What a link opens with, and what its close becomes (None: the close itself)."""
        from markdown_it.common.normalize_url import normalizeLinkText

        href = str(token.attrs.get("href", ""))
        insert = self.prepared.target_of(href)
        if insert is not None:
            after = self._pieces(insert, target_pieces)
            return [_style_token("", "link", 1)], [_style_token("", "link", -1), *_styled(after)]
        refusal = self.prepared.refusal(href)
        if refusal is not None:
            self.refused.append((refusal, href))
            shown = label(refusal) if token.markup == "autolink" \
                else f"{label(refusal)}: {shown_target(normalizeLinkText(href))}"
            return [], _styled([(" (", "plain"), (shown, "broken"), (")", "plain")])
        if token.markup == "autolink":
            return [_style_token("", "link", 1)], [_style_token("", "link", -1)]
        token.attrs["href"] = normalizeLinkText(href)
        return [token], None

    def _image(self, token: Token) -> list[tuple[str, Style]]:
        from markdown_it.common.normalize_url import normalizeLinkText

        src = str(token.attrs.get("src", ""))
        image: list[tuple[str, Style]] = [
            ("[image: ", "image"), (token.content or "no alt text", "image"), ("]", "image")]
        refusal = self.prepared.refusal(src)
        if refusal is not None:
            self.refused.append((refusal, src))
            return image + _refused(refusal, normalizeLinkText(src))
        return [*image, (" ", "image"), (normalizeLinkText(src), "url")]

    def _pieces(self, insert: Insert, shape: Any) -> list[tuple[str, Style]]:
        if insert.refused is not None:
            self.refused.append((insert.refused, insert.url or insert.text))
        parts: list[tuple[str, Style]] = shape(insert)
        return parts


def _paragraph(text: Token) -> list[Token]:
    """A paragraph of one styled piece of text."""
    from markdown_it.token import Token

    inline = Token("inline", "", 0, children=[text])
    return [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]


# --- rich ----------------------------------------------------------------------------------------

Note = tuple[str, str]  # (severity "error"|"warning"|"note", one-line message)
_NOTE_STYLES = {"error": "bold red", "warning": "bold yellow"}
MAX_FINDINGS = 20  # lint findings listed under the header; the others are counted


def body_markdown(prepared: Prepared, code_theme: str,
                  limits: Limits = TERMINAL) -> tuple[RenderableType, list[Note]]:
    """The rich Markdown of a prepared body, and the notes on what it does not show."""
    from rich.markdown import Markdown

    class PreviewMarkdown(Markdown):
        inlines = Markdown.inlines | {f"postctl_{name}" for name in STYLES}

    parsed = parse_window(prepared.markdown, limits)
    rewriter = TerminalTokens(prepared)
    tokens = rewriter.rewrite(parsed.tokens)
    notes: list[Note] = []
    if nesting_too_deep(parsed.tokens):
        notes.append(("warning", f"the body nests blocks deeper than {MAX_NESTING} levels: "
                      "what is nested deeper, and possibly what follows it, is not shown "
                      "(see it with --raw)"))
    notes += [("warning", message) for message in refusal_notes(rewriter.refused)]
    hidden = hidden_note(parsed)
    if hidden is not None:
        notes.append(("note", hidden))
        tokens += _paragraph(_style_token(f"… {hidden}", "dim"))
    markdown = PreviewMarkdown("", code_theme=code_theme, hyperlinks=False)
    markdown.parsed = tokens
    return markdown, notes


def theme() -> Any:
    from rich.theme import Theme

    return Theme({f"markdown.postctl_{name}": style for name, style in STYLES.items()})


def header_panel(info: PreviewFacts, notes: Sequence[Note]) -> RenderableType:
    """The title and facts in a panel; lint findings and other notes under it."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label_, value in info.rows:
        grid.add_row(Text(label_), Text(value))
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
    """The header panel, notes (lint findings, at most MAX_FINDINGS of them, then the
    preview's own) and the rendered body of ``post``."""
    from rich.text import Text

    prepared = prepare(post.body, SiteResolver(site, post))
    markdown, own = body_markdown(prepared, code_theme)
    findings = list(notes[:MAX_FINDINGS])
    if len(notes) > MAX_FINDINGS:
        findings.append(("note", f"and {len(notes) - MAX_FINDINGS:,} more findings "
                         f"(postctl lint {post.rel_path} lists them all)"))
    return [header_panel(facts(post, site, url), [*findings, *own]), Text(), markdown]


def show_post(post: Post, site: Site, out: Output, view: View, *, notes: Sequence[Note] = (),
              url: str | None = None) -> None:
    """The post for reading: header panel, ``notes`` (lint findings), rendered body."""
    from postctl.render.screen import draw

    draw(preview_renderables(post, site, notes=notes, url=url), out, view, theme())
