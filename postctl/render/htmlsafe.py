"""Raw HTML of a post, kept in the HTML page (``--allow-html``) without its unsafe targets.

The HTML is read with the standard library's parser and written out again, tag by tag:
attributes are quoted and escaped, and a ``<`` that does not open a tag is escaped, so the
browser reads the tags this module read. On the way, every attribute that names a link or a
source (``href``, ``src``, ``srcset``, ``action``, ``xlink:href``...) is dropped unless each
of its URLs may become a link (``render.urls``); so are event handlers (``on...``, which the
page's policy would not run anyway), ``srcdoc`` (a page of its own), a ``style`` attribute
or ``<style>`` text that loads something (``url(``, ``@import``), and ``<meta http-equiv>``
tags (a refresh navigates).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from postctl.render.urls import Refusal

__all__ = ["URL_ATTRIBUTES", "clean_html"]

Judge = Callable[[str], "Refusal | None"]

URL_ATTRIBUTES = frozenset({
    "action", "archive", "background", "cite", "classid", "codebase", "data", "dynsrc",
    "formaction", "href", "icon", "longdesc", "lowsrc", "manifest", "ping", "poster",
    "profile", "src", "usemap", "xlink:href",
})
_URL_LISTS = {"srcset": re.compile(r",\s+|,(?=\S)"), "ping": re.compile(r"\s+"),
              "archive": re.compile(r"[\s,]+")}
_CSS_LOAD = re.compile(r"url\s*\(|image-set|@import|expression\s*\(", re.IGNORECASE)


def clean_html(fragment: str, judge: Judge) -> tuple[str, list[tuple[Refusal, str]]]:
    """``fragment`` written out again without the attributes the module docstring names, and
    the targets it dropped with the reason ``judge`` gave."""
    cleaner = _Cleaner(judge)
    cleaner.feed(fragment)
    cleaner.close()
    return "".join(cleaner.out), cleaner.refused


class _Cleaner(HTMLParser):
    def __init__(self, judge: Judge) -> None:
        super().__init__(convert_charrefs=False)
        self.judge = judge
        self.out: list[str] = []
        self.refused: list[tuple[Refusal, str]] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        self.out.append(self._tag(tag, attrs, ">"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, " />"))

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.in_style and _CSS_LOAD.search(data.replace("\\", "")):
            data = "/* a style that loads something, removed by postctl */"
        self.out.append(data.replace("<", "&lt;"))

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!-- {data.replace('--', '- -')} -->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{html.escape(decl, quote=False)}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(html.escape(f"<?{data}>", quote=False))

    def unknown_decl(self, data: str) -> None:
        self.out.append(html.escape(f"<![{data}]>", quote=False))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], end: str) -> str:
        if tag == "meta" and any(name == "http-equiv" for name, _value in attrs):
            return ""
        kept = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"'
            for name, value in attrs if self._keeps(name, value))
        return f"<{tag}{kept}{end}"

    def _keeps(self, name: str, value: str | None) -> bool:
        if name.startswith("on") or name == "srcdoc" or not re.fullmatch(r"[^\s\"'<>/=]+", name):
            return False
        if name == "style":
            return value is None or _CSS_LOAD.search(value.replace("\\", "")) is None
        if value is None or (name not in URL_ATTRIBUTES and name not in _URL_LISTS):
            return True
        split = _URL_LISTS.get(name)
        urls = [value] if split is None else [part.split()[0] for part in split.split(value)
                                              if part.strip()]
        for url in urls:
            refusal = self.judge(url)
            if refusal is not None:
                self.refused.append((refusal, value))
                return False
        return True
