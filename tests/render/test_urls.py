"""Which targets may become links (http, https, mailto, site-relative), read as a browser
reads them, and raw HTML kept without its unsafe targets."""

from __future__ import annotations

import pytest

from postctl.render.htmlsafe import clean_html
from postctl.render.urls import MAX_NOTES, refusal_notes, shown_target, url_kind
from tests.render.test_html import Page

HOSTILE = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "  javascript:alert(1)",
    "\x00\x01 javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
    "jav\rascript:alert(1)", "vbscript:msgbox(1)", "VBSCRIPT:x", "data:text/html,<b>x</b>",
    "data:image/png;base64,AAAA", "file:///etc/passwd", "FILE:///etc/passwd", "ftp://h/x",
    "chrome://settings", "//evil.example/x", " //evil.example", "\\\\evil\\x", "/\\evil",
    "\\x1bjavascript:x", "javascript&colon;x\\",
]
SAFE = {
    "web": ["http://example.com", "HTTPS://example.com/a?b#c", "mailto:a@example.com",
            " https://example.com "],
    "site": ["/about/", "about.html", "../img/a.png", "#top", "?q=1", "", "javascript%3Ax",
             "2024/01/x.md"],
}


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_targets_are_unsafe(url: str) -> None:
    assert url_kind(url) == "unsafe"


@pytest.mark.parametrize(("kind", "url"), [(k, u) for k, urls in SAFE.items() for u in urls])
def test_web_and_site_targets(kind: str, url: str) -> None:
    assert url_kind(url) == kind


def test_shown_target_is_one_short_line() -> None:
    assert shown_target("data:" + "A" * 500) == "data:" + "A" * 74 + "…"
    assert shown_target("java\nscript:\x1b") == "java\\nscript:\\x1b"


def test_refusal_notes_name_each_target_once_and_count_the_rest() -> None:
    refused = [("unsafe", "javascript:x"), ("unsafe", "javascript:x"),
               ("outside", "../../etc/passwd")]
    assert refusal_notes(refused) == [
        "javascript:x is not an http, https, mailto or site-relative URL: shown as text",
        "../../etc/passwd leaves the site: shown as text, not followed"]
    many = [("unsafe", f"x{index}:y") for index in range(MAX_NOTES + 3)]
    notes = refusal_notes(many)
    assert len(notes) == MAX_NOTES + 1 and notes[-1] == "and 3 more targets shown as text"


# --- raw HTML --------------------------------------------------------------------------------


def judge(url: str):
    if url_kind(url) == "unsafe":
        return "unsafe"
    return "outside" if url.startswith("../../") else None


URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "xlink:href", "poster",
                  "data", "background", "ping", "srcdoc")


def links_and_sources(markup: str) -> list[str]:
    page = Page(markup)
    return [value or "" for _tag, attrs in page.elements for name, value in attrs.items()
            if name in URL_ATTRIBUTES]


@pytest.mark.parametrize("fragment", [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    "<a href=' JaVaScRiPt:alert(1)'>x</a>",
    '<a href="java&#9;script:alert(1)">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img src="file:///etc/passwd">',
    '<img srcset="ok.png 1x, javascript:alert(1) 2x">',
    '<form action="javascript:alert(1)"><button formaction="vbscript:x">b</button></form>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<object data="file:///etc/passwd"></object>',
    '<a href="../../etc/passwd">x</a>',
    '<video poster="//evil.example/p.png"></video>',
])
def test_unsafe_targets_leave_raw_html(fragment: str) -> None:
    cleaned, refused = clean_html(fragment, judge)
    assert refused
    for value in links_and_sources(cleaned):
        assert url_kind(value) != "unsafe" and not value.startswith("../../"), cleaned


def test_safe_targets_and_text_stay() -> None:
    fragment = '<p class="x">A <a href="https://e.example/?a=1&amp;b=2">link</a> &amp; ' \
               '<img src="/img/a.png" alt="a"> &#169;</p>'
    cleaned, refused = clean_html(fragment, judge)
    assert refused == []
    assert cleaned == '<p class="x">A <a href="https://e.example/?a=1&amp;b=2">link</a> ' \
                      '&amp; <img src="/img/a.png" alt="a"> &#169;</p>'


@pytest.mark.parametrize("fragment", [
    "<img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<div style="background:url(file:///etc/passwd)">x</div>',
    '<div style="background:u\\rl(file:///etc/passwd)">x</div>',
    "<style>body { background: url(file:///etc/passwd) }</style>",
    '<iframe srcdoc="<img src=x onerror=alert(1)>"></iframe>',
])
def test_handlers_refreshes_pages_and_loading_styles_go(fragment: str) -> None:
    cleaned, _refused = clean_html(fragment, judge)
    page = Page(cleaned)
    assert not any(name.startswith("on") or name in ("http-equiv", "srcdoc")
                   for _tag, attrs in page.elements for name in attrs)
    assert "url(" not in cleaned.replace("\\", "")


@pytest.mark.parametrize("fragment", [
    "<!--><img src=javascript:alert(1)>-->",
    "<!-- a --!><img src=javascript:alert(1)> -->",
    "a < b <img src=x <a href=javascript:alert(1)>",
    "<a href='javascript:alert(1)'",
])
def test_markup_that_parsers_read_differently_stays_inert(fragment: str) -> None:
    cleaned, _refused = clean_html(fragment, judge)
    for value in links_and_sources(cleaned):
        assert url_kind(value) != "unsafe", cleaned
