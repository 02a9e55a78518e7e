"""A post as one standalone HTML page (``postctl preview --html``).

The body is rendered by markdown-it-py (the parser rich uses) after the same preparation as
the terminal preview (``render.prepare``): Liquid references resolved to links or
marked broken, other Liquid shown as dimmed code, highlight blocks as code blocks. The page
loads nothing remote: the style sheet is inline, a Content-Security-Policy allows only local
images and inline styles (no scripts at all), images of the site are referenced by a path
relative to the page, and remote images become links. Raw HTML in the Markdown is escaped
unless ``allow_html`` (and even then, scripts do not run under the policy).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.request import pathname2url

from postctl.render.facts import facts
from postctl.render.prepare import OPEN, as_written, prepare, split_placeholders
from postctl.site.references import SiteResolver

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from postctl.post.model import Post
    from postctl.render.prepare import Insert, Prepared
    from postctl.site.model import Site

__all__ = ["front_matter_rows", "render_body", "render_html", "write_page"]

POLICY = "default-src 'none'; img-src file: data: 'self'; style-src 'unsafe-inline'"

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
.broken { color: #b00; font-weight: bold; }
.meta { font: 14px system-ui, sans-serif; color: #666; }
img { max-width: 100%; }
"""


def render_html(post: Post, site: Site, *, html_dir: Path, allow_html: bool = False) -> str:
    """The whole page: title, facts, front matter table, body."""
    info = facts(post, site)
    body = render_body(post.body, SiteResolver(site, post), html_dir=html_dir,
                       allow_html=allow_html)
    rows = "".join(
        f"<tr><th>{_text(key)}</th><td>{_text(value)}</td></tr>\n"
        for key, value in front_matter_rows(post.values)
    )
    meta = " · ".join(_text(value) for label, value in info.rows if label in ("Date", "Length"))
    draft = ' <span class="broken">(draft)</span>' if info.draft else ""
    return (
        "<!DOCTYPE html>\n"
        '<html>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(info.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header>\n<h1>{_text(info.title)}{draft}</h1>\n<p class=\"meta\">{meta}</p>\n"
        f'<table class="front-matter">\n{rows}</table>\n</header>\n'
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )


def write_page(post: Post, site: Site, target: str | None, *, force: bool = False,
               allow_html: bool = False) -> Path:
    """Write the page to ``target`` (created exclusively unless ``force``), or to a new
    temporary folder when None; return its absolute path."""
    from postctl.edit import files as fsio
    path = Path(target).expanduser().absolute() if target else _temp_page(post)
    data = render_html(post, site, html_dir=path.parent, allow_html=allow_html).encode("utf-8")
    if force:
        fsio.replace_forced(path, data)
    else:
        fsio.create_exclusive(path, data)
    return path


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


def _parser(allow_html: bool) -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])


def render_body(body: str, resolver: Any, *, html_dir: Path, allow_html: bool = False) -> str:
    """The body as HTML (see the module docstring)."""
    prepared = prepare(body, resolver)
    parser = _parser(allow_html)
    tokens = parser.parse(prepared.markdown)
    _rewrite(tokens, prepared, html_dir)
    parser.add_render_rule("postctl", _render_insert)
    return str(parser.renderer.render(tokens, parser.options, {}))


def _rewrite(tokens: Sequence[Token], prepared: Prepared, html_dir: Path) -> None:
    from markdown_it.token import Token

    for token in tokens:
        if token.type in ("html_block", "fence", "code_block"):
            token.content = _restore(token.content, prepared)
        if token.children is None:
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type == "link_open":
                insert = prepared.target_of(str(child.attrs.get("href", "")))
                if insert is not None:
                    _link_attributes(child, insert)
                children.append(child)
            elif child.type == "html_inline":
                child.content = _restore(child.content, prepared)
                children.append(child)
            elif child.type == "text" and OPEN in child.content:
                for part in split_placeholders(child.content, prepared):
                    if isinstance(part, str):
                        children.append(Token(child.type, "", 0, content=part))
                    else:
                        children.append(Token("postctl", "", 0, meta={
                            "html": _insert_html(part, html_dir)}))
            else:
                children.append(child)
        token.children = children


def _restore(text: str, prepared: Prepared) -> str:
    """Raw HTML or code with its placeholders filled in (``prepare.as_written``)."""
    return "".join(part if isinstance(part, str) else html.escape(as_written(part), quote=False)
                   for part in split_placeholders(text, prepared))


def _link_attributes(token: Token, insert: Insert) -> None:
    if insert.broken:
        token.attrs["href"] = "#"
        token.attrs["class"] = "broken"
        token.attrs["title"] = f"broken: {insert.text}"
        return
    token.attrs["href"] = insert.url or "#"
    if insert.title:
        token.attrs["title"] = insert.title


def _render_insert(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return str(tokens[idx].meta["html"])


def _insert_html(insert: Insert, html_dir: Path) -> str:
    if insert.kind == "liquid":
        return f'<code class="liquid">{_text(insert.text)}</code>'
    if insert.kind == "image":
        return _image_html(insert, html_dir)
    if insert.broken:
        return f'<span class="broken">[broken: {_text(insert.text)}]</span>'
    label = insert.title or insert.url or insert.text
    return f'<a href="{_text(insert.url or "#")}">{_text(label)}</a>'


def _image_html(insert: Insert, html_dir: Path) -> str:
    alt = _text(insert.text)
    src = insert.url or ""
    if insert.remote:
        return f'<a href="{_text(src)}">[image: {alt or _text(src)}]</a>'
    if insert.file is None or insert.broken:
        return f'<span class="broken">[missing image: {alt} {_text(src)}]</span>'
    relative = os.path.relpath(insert.file, html_dir)
    return f'<img src="{_text(pathname2url(relative))}" alt="{alt}">'
