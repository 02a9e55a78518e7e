"""A post as one standalone HTML page (``postctl preview --html``).

The body is rendered by markdown-it-py (the parser rich uses) after the same preparation as
the terminal preview (``render.prepare``): Liquid references resolved to links or
marked broken, other Liquid shown as dimmed code, highlight blocks as code blocks. The page
loads nothing remote: the style sheet is inline, a Content-Security-Policy allows only local
images and inline styles (no scripts at all), images of the site are referenced by a path
relative to the page, and remote images become links. Only http, https, mailto and
site-relative targets become links or sources; any other, and a path that leaves the site,
is shown as text and reported (``render.urls``). Raw HTML in the Markdown is escaped unless
``allow_html``; even then its URL attributes pass the same check (``render.htmlsafe``), and
scripts do not run under the policy. A long body or table is shortened as in the terminal,
with larger limits (``render.window.PAGE``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.request import pathname2url

from postctl.render.facts import facts
from postctl.render.htmlsafe import clean_html
from postctl.render.markdown import MORE_ROWS, parser
from postctl.render.prepare import OPEN, as_written, prepare, split_placeholders
from postctl.render.urls import label, refusal_notes, shown_target
from postctl.render.window import PAGE, hidden_note, more_rows, parse_window
from postctl.site.references import SiteResolver

if TYPE_CHECKING:
    from markdown_it.token import Token

    from postctl.post.model import Post
    from postctl.render.prepare import Insert, Prepared
    from postctl.render.urls import Refusal
    from postctl.site.model import Site
    from postctl.site.references import Resolver

__all__ = ["Body", "front_matter_rows", "render_body", "render_html", "write_page"]

POLICY = "default-src 'none'; img-src file: 'self'; style-src 'unsafe-inline'"

STYLE = """
body { font: 17px/1.6 Georgia, "Times New Roman", serif; max-width: 42em; margin: 2em auto;
       padding: 0 1em; color: #222; background: #fff; }
h1, h2, h3, h4 { font-family: system-ui, sans-serif; line-height: 1.25; }
pre, code { font: 0.9em ui-monospace, Menlo, Consolas, monospace; background: #f4f4f4; }
pre { padding: 0.8em; overflow-x: auto; }
blockquote { border-left: 4px solid #ccc; margin-left: 0; padding-left: 1em; color: #555; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
table.front-matter { font: 14px/1.4 system-ui, sans-serif; margin-bottom: 2em; }
table.front-matter th { background: #f4f4f4; }
.liquid { color: #888; }
.shortcode { color: #077; font-weight: bold; }
.broken { color: #b00; font-weight: bold; }
.meta { font: 14px system-ui, sans-serif; color: #666; }
.more { font: 14px system-ui, sans-serif; color: #666; font-style: italic; }
img { max-width: 100%; }
"""


class Body(NamedTuple):
    """A post's body as HTML, and the warnings about it (targets shown as text, a cut)."""

    html: str
    warnings: list[str]


def render_html(post: Post, site: Site, *, html_dir: Path, allow_html: bool = False) -> Body:
    """The whole page (title, facts, front matter table, body) and the body's warnings."""
    info = facts(post, site)
    body, warnings = render_body(post.body, SiteResolver(site, post), html_dir=html_dir,
                                 allow_html=allow_html)
    rows = "".join(
        f"<tr><th>{_text(key)}</th><td>{_text(value)}</td></tr>\n"
        for key, value in front_matter_rows(post.values)
    )
    meta = " · ".join(_text(value) for label, value in info.rows if label in ("Date", "Length"))
    draft = ' <span class="broken">(draft)</span>' if info.draft else ""
    return Body(
        "<!DOCTYPE html>\n"
        '<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(info.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{_text(info.title)}{draft}</h1>\n<p class=\"meta\">{meta}</p>\n"
        f'<table class="front-matter">\n{rows}</table>\n</header>\n'
        f"<main>\n{body}</main>\n</body>\n</html>\n", warnings)


def write_page(post: Post, site: Site, target: str | None, *, force: bool = False,
               allow_html: bool = False) -> tuple[Path, list[str]]:
    """Write the page to ``target`` (created exclusively unless ``force``), or to a new
    temporary folder when None; return its absolute path and the body's warnings."""
    from postctl.edit import files as fsio
    path = Path(target).expanduser().absolute() if target else _temp_page(post)
    page, warnings = render_html(post, site, html_dir=path.parent, allow_html=allow_html)
    if force:
        fsio.replace_forced(path, page.encode("utf-8"))
    else:
        fsio.create_exclusive(path, page.encode("utf-8"))
    return path, warnings


def _temp_page(post: Post) -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="postctl-preview-"))
    return folder / f"{post.path.stem}.html"


def _text(value: str) -> str:
    """Text for HTML: escaped, and no control characters (they are shown as escapes)."""
    from postctl.text.sanitize import sanitize

    return html.escape(sanitize(value), quote=True)


def front_matter_rows(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every front-matter key with its value as text: lists joined, dates in ISO 8601,
    mappings as JSON."""
    return [(str(key), _value_text(value)) for key, value in values.items()]


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(item) for item in value)
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


# --- the body ------------------------------------------------------------------------------------


def render_body(body: str, resolver: Resolver, *, html_dir: Path,
                allow_html: bool = False) -> Body:
    """The body as HTML (see the module docstring), and the warnings about it."""
    prepared = prepare(body, resolver)
    parsed = parse_window(prepared.markdown, PAGE, html=allow_html)
    page = PageTokens(prepared, html_dir, allow_html)
    tokens = page.rewrite(parsed.tokens)
    md = parser(rows=PAGE.rows, html=allow_html)
    md.add_render_rule("postctl", _render_insert)
    md.add_render_rule(MORE_ROWS, _render_more_rows)
    text = str(md.renderer.render(tokens, md.options, {}))
    hidden = hidden_note(parsed)
    warnings = refusal_notes(page.refused)
    if hidden is not None:
        text += f'<p class="more">… {_text(hidden)}</p>\n'
        warnings.append(hidden)
    return Body(text, warnings)


class PageTokens:
    """Rewrites a parsed body for the page, and keeps the targets it showed as text."""

    def __init__(self, prepared: Prepared, html_dir: Path, allow_html: bool) -> None:
        self.prepared = prepared
        self.html_dir = html_dir
        self.allow_html = allow_html
        self.refused: list[tuple[Refusal, str]] = []

    def rewrite(self, tokens: list[Token]) -> list[Token]:
        for token in tokens:
            if token.type in ("fence", "code_block"):
                token.content = _restore(token.content, self.prepared)
            elif token.type == "html_block":
                token.content = self._raw_html(token.content)
            if token.children is not None:
                token.children = self._inline(token.children)
        return tokens

    def _inline(self, children: list[Token]) -> list[Token]:
        from markdown_it.token import Token

        out: list[Token] = []
        closing: list[Token | None] = []  # per open link: what its close becomes
        for child in children:
            if child.type == "link_open":
                close = self._link(child)
                closing.append(close)
                if close is None:
                    out.append(child)
            elif child.type == "link_close":
                close = closing.pop() if closing else None
                out.append(child if close is None else close)
            elif child.type == "html_inline":
                child.content = self._raw_html(child.content)
                out.append(child)
            elif child.type == "text" and OPEN in child.content:
                out += [Token("text", "", 0, content=part) if isinstance(part, str)
                        else _html_token(self._insert(part))
                        for part in split_placeholders(child.content, self.prepared)]
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                alt = "".join(token.content for token in child.children or ())
                out.append(_html_token(self._insert(self.prepared.image(alt, src))))
            else:
                out.append(child)
        return out

    def _link(self, token: Token) -> Token | None:
        """Set a link's target; for one shown as text, what its close becomes."""
        href = str(token.attrs.get("href", ""))
        insert = self.prepared.target_of(href)
        if insert is None:
            refusal = self.prepared.refusal(href)
            if refusal is None:
                return None
            # an autolink's text is its target already
            named = token.markup != "autolink"
            return _html_token(self._refused(refusal, href, named=named))
        if insert.refused is not None:
            return _html_token(self._refused(insert.refused, insert.url or insert.text))
        if insert.broken:
            token.attrs = {"href": "#", "class": "broken", "title": f"broken: {insert.text}"}
        else:
            token.attrs["href"] = insert.url or "#"
            if insert.title:
                token.attrs["title"] = insert.title
        return None

    def _refused(self, refusal: Refusal, target: str, *, named: bool = True) -> str:
        """`` (not a safe link: target)`` after what is shown instead of a link or image
        (without the target when not ``named``)."""
        self.refused.append((refusal, target))
        what = f"{label(refusal)}: {shown_target(target)}" if named else label(refusal)
        return f' <span class="broken">({_text(what)})</span>'

    def _insert(self, insert: Insert) -> str:
        if insert.kind == "liquid":
            return f'<code class="liquid">{_text(insert.text)}</code>'
        if insert.kind == "shortcode":
            return f'<span class="shortcode">[{_text(insert.text)}]</span>'
        if insert.kind == "text":
            return _text(insert.text)
        if insert.kind == "image":
            return self._image(insert)
        if insert.refused is not None:
            self.refused.append((insert.refused, insert.text))
            return f'<span class="broken">[{label(insert.refused)}: {_text(insert.text)}]</span>'
        if insert.broken:
            return f'<span class="broken">[broken: {_text(insert.text)}]</span>'
        shown = insert.title or insert.url or insert.text
        return f'<a href="{_text(insert.url or "#")}">{_text(shown)}</a>'

    def _image(self, insert: Insert) -> str:
        alt = _text(insert.text)
        src = insert.url or ""
        if insert.refused is not None:
            return f'<span class="broken">[image: {alt}]{self._refused(insert.refused, src)}</span>'
        if insert.remote:
            return f'<a href="{_text(src)}">[image: {alt or _text(src)}]</a>'
        if insert.file is None or insert.broken:
            return f'<span class="broken">[missing image: {alt} {_text(src)}]</span>'
        relative = os.path.relpath(insert.file, self.html_dir)
        return f'<img src="{_text(pathname2url(relative))}" alt="{alt}">'

    def _raw_html(self, content: str) -> str:
        """Raw HTML (only parsed as HTML when allowed): placeholders filled in, and each URL
        attribute that may not be a link or a source removed (``render.htmlsafe``)."""
        restored = _restore(content, self.prepared)
        if not self.allow_html:
            return restored
        cleaned, refused = clean_html(restored, self.prepared.refusal)
        self.refused += refused
        return cleaned


def _html_token(markup: str) -> Token:
    from markdown_it.token import Token

    return Token("postctl", "", 0, meta={"html": markup})


def _restore(text: str, prepared: Prepared) -> str:
    """Raw HTML or code with its placeholders filled in (``prepare.as_written``)."""
    return "".join(part if isinstance(part, str) else html.escape(as_written(part), quote=False)
                   for part in split_placeholders(text, prepared))


def _render_insert(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return str(tokens[idx].meta["html"])


def _render_more_rows(self: Any, tokens: Sequence[Token], idx: int, options: Any,
                      env: Any) -> str:
    return f'<p class="more">{_text(more_rows(tokens[idx].meta["rows"]))}</p>\n'
