"""The HTML page of a post, parsed back: title, front-matter table, escaped HTML, no remote
assets, Liquid and images resolved."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from postctl.render.html import front_matter_rows, render_html
from postctl.site.model import open_site
from postctl.site.scan import PostLoader
from tests.conftest import DATA


class Page(HTMLParser):
    """Elements with their attributes, the text of each element, and the front-matter rows."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {}
        self.rows: list[list[str]] = []
        self.in_front_matter = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag in ("img", "meta", "br", "hr"):
            return
        self.stack.append(tag)
        if tag == "table" and attributes.get("class") == "front-matter":
            self.in_front_matter = True
        if tag == "tr" and self.in_front_matter:
            self.rows.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_front_matter = False
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        for tag in self.stack:
            self.texts.setdefault(tag, []).append(data)
        if self.in_front_matter and self.stack and self.stack[-1] in ("th", "td"):
            self.rows[-1].append(data)

    def text(self, tag: str) -> str:
        return "".join(self.texts.get(tag, []))

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def page_of(root: Path, name: str, tmp_path: Path, allow_html: bool = False) -> tuple[str, Page]:
    site = open_site(root)
    post = PostLoader(site).load(root / name)
    html, _warnings = render_html(post, site, html_dir=tmp_path, allow_html=allow_html)
    return html, Page(html)


def test_title_and_front_matter_table(example_site: Path, tmp_path: Path) -> None:
    _html, page = page_of(example_site, "_posts/2024-09-10-yaml-norway-problem.md", tmp_path)
    assert page.text("title") == "YAML's Norway Problem, and Other Things I've Learned"
    assert page.text("h1") == page.text("title")
    rows = {row[0]: "".join(row[1:]) for row in page.rows}
    assert rows["title"] == page.text("title")
    assert rows["author"] == "Ada Okafor"
    assert rows["tags"] == "python, yaml"
    assert "The Norway problem" in page.text("h2")


def test_post_url_becomes_a_link_with_the_target_title(example_site: Path, tmp_path: Path) -> None:
    _html, page = page_of(example_site,
                          "_posts/2025-09-14-rye-bread-that-actually-rises.markdown", tmp_path)
    link = next(a for a in page.tags("a")
                if a.get("href") == "/cooking/2023/03/26/sourdough-starter-from-scratch/")
    assert link["title"] == "A Sourdough Starter From Scratch, Day by Day"


def test_site_image_by_relative_path(example_site: Path, tmp_path: Path) -> None:
    _html, page = page_of(example_site,
                          "_posts/2025-09-14-rye-bread-that-actually-rises.markdown", tmp_path)
    (image,) = page.tags("img")
    src = image["src"] or ""
    assert not src.startswith(("/", "file:", "http"))
    assert (tmp_path / src).resolve() == (example_site / "assets/images/rye-loaf.png").resolve()
    assert image["alt"] == "A dark rye loaf cut in half on a wooden board"


def test_raw_html_is_escaped_unless_allowed(make_site, tmp_path: Path) -> None:
    body = "<script>alert('x')</script>\n\nText <b>bold</b> and <img src=x onerror=alert(1)>.\n"
    root = make_site(posts={"_posts/2024-01-01-h.md": f"---\ntitle: H\n---\n{body}"})
    html, page = page_of(root, "_posts/2024-01-01-h.md", tmp_path)
    assert page.tags("script") == [] and page.tags("b") == []
    assert "<script>alert('x')</script>" in page.text("p")
    assert "&lt;script&gt;" in html
    html, page = page_of(root, "_posts/2024-01-01-h.md", tmp_path, allow_html=True)
    assert len(page.tags("script")) == 1 and len(page.tags("b")) == 1


def test_no_remote_assets_and_a_policy_that_forbids_them(make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-r.md": (
        "---\ntitle: R\n---\n![remote](https://cdn.example.com/a.png)\n\n"
        "![missing](/assets/none.png)\n\n[a link](https://example.com/)\n")})
    html, page = page_of(root, "_posts/2024-01-01-r.md", tmp_path)
    assert page.tags("img") == []  # the remote image is a link, the missing one a note
    assert {"href": "https://cdn.example.com/a.png"} in page.tags("a")
    assert "missing image" in html and "/assets/none.png" in html
    for tag in ("img", "script", "link", "iframe"):
        for attrs in page.tags(tag):
            assert not re.match(r"(https?:)?//", attrs.get("src") or attrs.get("href") or "")
    (policy,) = [m for m in page.tags("meta") if m.get("http-equiv")]
    assert (policy["content"] or "").startswith("default-src 'none'")


def test_liquid_is_shown_as_code_and_broken_references_marked(make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-l.md": (
        "---\ntitle: L\n---\n{% include note.html %} {{ site.title }}\n\n"
        "[gone]({% post_url 2000-01-01-gone %}) and {% post_url 2000-02-02-x %}\n")})
    _html, page = page_of(root, "_posts/2024-01-01-l.md", tmp_path)
    liquid = [a for tag, a in page.elements if tag == "code" and a.get("class") == "liquid"]
    assert len(liquid) == 2
    assert "{% include note.html %}" in page.text("code")
    broken = [a for a in page.tags("a") if a.get("class") == "broken"]
    assert broken and broken[0]["title"] == "broken: {% post_url 2000-01-01-gone %}"
    assert "[broken: {% post_url 2000-02-02-x %}]" in page.text("span")


def test_hostile_title_and_values_are_escaped(make_site, tmp_path: Path) -> None:
    hostile = DATA / "hostile"
    posts = {f"_posts/2024-05-01-{p.name}": p.read_bytes() for p in hostile.glob("*.md")
             if p.name != "body_nul_byte.md"}
    root = make_site(posts=posts)
    for rel in posts:
        html, page = page_of(root, rel, tmp_path)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", html), rel
        assert page.tags("script") == [], rel
    html, page = page_of(root, "_posts/2024-05-01-title_rich_markup.md", tmp_path)
    assert page.text("title") == "[bold red]Markup[/] and [link=https://evil.example]link[/link]"
    html, page = page_of(root, "_posts/2024-05-01-title_csi_colour.md", tmp_path)
    assert page.text("title") == "Red \\x1b[31mALERT\\x1b[0m title"


def test_front_matter_rows_values() -> None:
    import datetime as dt

    rows = front_matter_rows({"tags": ["a", "b"], "date": dt.date(2024, 1, 2), "draft": False,
                              "nested": {"k": [1, 2]}, "none": None})
    assert rows == [("tags", "a, b"), ("date", "2024-01-02"), ("draft", "false"),
                    ("nested", '{"k": [1, 2]}'), ("none", "")]


def test_references_inside_allowed_raw_html(make_site, tmp_path: Path) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntitle: A\n---\n",
        "_posts/2024-01-02-b.md": "---\ntitle: B\n---\n"
                                  'See <a href="{% post_url 2024-01-01-a %}">A</a>.\n\n'
                                  '<div>{% include x.html %}</div>\n',
    })
    html, page = page_of(root, "_posts/2024-01-02-b.md", tmp_path, allow_html=True)
    assert {"href": "/2024/01/01/a.html"} in page.tags("a")
    assert "<div>{% include x.html %}</div>" in html


# --- only safe links ----------------------------------------------------------------------

HOSTILE_BODY = """[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](<  javascript:alert(3)>)
[d](vbscript:msgbox(4)) [e](data:text/html,x) [f](file:///etc/passwd) [g](//evil.example/x)
<javascript:alert(5)> [h][ref] ![i][img] ![k](data:image/png;base64,AAAA)
[j]({{ 'javascript:alert(6)' | relative_url }}) [l](&#106;avascript:alert(7))
[up](../../etc/passwd) ![pic](../../../secret.png) {% link ../../etc/passwd %}

<a href="javascript:alert(9)">raw</a> <img src="file:///etc/passwd" onerror="alert(10)">

[ref]: vbscript:x
[img]: javascript:alert(8)
"""
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "xlink:href", "poster",
                  "data", "background")


def hostile_page(make_site, tmp_path: Path, allow_html: bool) -> tuple[str, Page, list[str]]:
    from postctl.render.urls import url_kind

    root = make_site(posts={"_posts/2024-01-01-h.md": f"---\ntitle: H\n---\n{HOSTILE_BODY}"})
    (root.parent / "secret.png").write_bytes(b"png")
    site = open_site(root)
    post = PostLoader(site).load(root / "_posts/2024-01-01-h.md")
    html, warnings = render_html(post, site, html_dir=tmp_path, allow_html=allow_html)
    page = Page(html)
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES and value:
                assert url_kind(value) != "unsafe" and "../../" not in value, (tag, name, value)
    return html, page, warnings


@pytest.mark.parametrize("allow_html", [False, True])
def test_unsafe_and_outside_targets_are_text_in_the_page(make_site, tmp_path: Path,
                                                         allow_html: bool) -> None:
    _html, page, warnings = hostile_page(make_site, tmp_path, allow_html)
    text = " ".join(page.text("p").split())
    for shown in ("a (not a safe link: javascript:alert(1))", "g (not a safe link: //evil",
                  "javascript:alert(5) (not a safe link)",
                  "h (not a safe link: vbscript:x)", "j (not a safe link: javascript:alert(6))",
                  "[image: i] (not a safe link: javascript:alert(8))",
                  "[image: k] (not a safe link: data:image/png;base64,AAAA)",
                  "l (not a safe link: javascript:alert(7))",
                  "up (outside the site: ../../etc/passwd)",
                  "[image: pic] (outside the site: ../../../secret.png)",
                  "[outside the site: {% link ../../etc/passwd %}]"):
        assert shown in text, shown
    assert [attrs for attrs in page.tags("img") if attrs.get("src")] == []
    assert len(warnings) == 11 and warnings[-1].startswith("and ")


def test_warnings_name_what_was_shown_as_text(make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-h.md": "---\ntitle: H\n---\n"
                            "[up](../../etc/passwd) <a href='data:text/html,x'>raw</a>\n"})
    site = open_site(root)
    post = PostLoader(site).load(root / "_posts/2024-01-01-h.md")
    _html, warnings = render_html(post, site, html_dir=tmp_path, allow_html=True)
    assert warnings == [
        "../../etc/passwd leaves the site: shown as text, not followed",
        "data:text/html,x is not an http, https, mailto or site-relative URL: shown as text"]


def test_allowed_raw_html_keeps_its_safe_parts_only(make_site, tmp_path: Path) -> None:
    _html, page, warnings = hostile_page(make_site, tmp_path, allow_html=True)
    assert {} in page.tags("a")  # the raw link, without its target
    assert not any(name.startswith("on") for attrs in page.tags("img") for name in attrs)
    assert len(warnings) == 11


def test_the_policy_allows_no_data_images(make_site, tmp_path: Path) -> None:
    _html, page, _warnings = hostile_page(make_site, tmp_path, allow_html=False)
    (policy,) = [m for m in page.tags("meta") if m.get("http-equiv")]
    assert "img-src file: 'self';" in (policy["content"] or "")


# --- long bodies -------------------------------------------------------------------------------


def test_a_long_table_in_the_page_says_how_many_rows_are_left_out(make_site, tmp_path) -> None:
    from postctl.render.window import PAGE

    rows = "".join(f"| r{index} | x |\n" for index in range(PAGE.rows + 5))
    root = make_site(posts={"_posts/2024-01-01-t.md":
                            f"---\ntitle: T\n---\n| a | b |\n|---|---|\n{rows}\nafter\n"})
    html, page = page_of(root, "_posts/2024-01-01-t.md", tmp_path)
    assert len([row for row in page.texts["td"] if row.startswith("r")]) == PAGE.rows
    assert '<p class="more">… 5 more rows not shown (postctl preview --raw shows them)</p>' in html
    assert "after" in page.text("p")
