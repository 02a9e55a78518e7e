"""Terminal preview: Liquid and images drawn, rich rendering, header panel, pager,
docs/guarantees.md: Terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console

from postctl.errors import SourceError
from postctl.render import preview as pv
from postctl.render import rawview, screen
from postctl.render.facts import PreviewFacts, facts
from postctl.render.output import Output
from postctl.render.prepare import plain_text, prepare
from postctl.site.model import open_site
from postctl.site.scan import scan_posts
from tests.conftest import CORPORA, DATA
from tests.render.helpers import FakeResolver, example_post

HOSTILE = DATA / "hostile"
# docs/guarantees.md, Terminal: no character of these classes may come from content (colour off:
# rich emits none).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def render(body: str, width: int = 200, color: bool = False) -> str:
    prepared = prepare(body, FakeResolver())
    markdown, _deep = pv.body_markdown(prepared, "monokai")
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, height=50,
                      color_system="truecolor" if color else None)
    console.push_theme(pv.theme())
    console.print(markdown)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


# --- Liquid, link targets and images ---------------------------------------------------------


def test_post_url_in_a_link_target_shows_url_and_title() -> None:
    text = render("See [the post]({% post_url 2023-01-02-known %}).")
    assert "the post (/2023/01/02/known/ → “Known “Post””)" in text


def test_broken_post_url_is_marked() -> None:
    text = render("See [gone]({% post_url 2020-01-01-gone %}) and {% post_url 2020-02-02-x %}.")
    assert "gone (broken: {% post_url 2020-01-01-gone %})" in text
    assert "[broken: {% post_url 2020-02-02-x %}]" in text


def test_bare_post_url_and_link_show_title_and_url() -> None:
    text = render("Read {% post_url 2023-01-02-known %} or {% link _posts/2023-01-02-known.md %}.")
    assert text.count("“Known “Post”” </2023/01/02/known/>") == 2


def test_site_prefix_in_a_link_target_is_cleaned() -> None:
    assert "about (/about/)" in render("[about]({{ site.baseurl }}/about/)")


def test_include_and_site_variables_are_dimmed_not_raw() -> None:
    colored = render("Text {{ site.title }} end", color=True)
    assert "\x1b[2m{{ site.title }}" in colored  # SGR 2: dim


def test_raw_blocks_show_content_and_comments_vanish() -> None:
    text = render("A {% raw %}{{ kept }}{% endraw %} B {% comment %}hidden{% endcomment %} C")
    assert "A {{ kept }} B  C" in text
    assert "raw" not in text and "hidden" not in text


def test_raw_inside_a_fence_is_unwrapped_too() -> None:
    text = render("```liquid\n{% raw %}{{ page.title }}{% endraw %}\n```\n")
    assert "{{ page.title }}" in text and "raw" not in text


def test_highlight_block_becomes_highlighted_code() -> None:
    body = "Intro\n{% highlight ruby %}\ndef x; `ls`; end\n{% endhighlight %}\nAfter\n"
    colored = render(body, color=True)
    assert "highlight" not in colored
    assert "\x1b[38;2;" in colored  # pygments colours


def test_images_show_alt_and_path_and_missing_files() -> None:
    text = render("![A loaf](/img/here.png)\n\n![Gone](/img/gone.png)\n\n![](https://x.test/a.png)")
    assert "[image: A loaf] /img/here.png\n" in text
    assert "[image: Gone] /img/gone.png (missing file)" in text
    assert "[image: no alt text] https://x.test/a.png\n" in text


def test_image_inside_a_link() -> None:
    text = render("[![Logo](/img/here.png)](https://example.com)")
    assert "[image: Logo] /img/here.png (https://example.com)" in text


def test_liquid_in_code_is_shown_as_written() -> None:
    assert "{% include x.html %}" in render("```\n{% include x.html %}\n```\n")


def test_crlf_body_renders_without_visible_cr() -> None:
    assert "\\r" not in render("one\r\ntwo\r\n\r\nthree\r\n")


# --- rendering Markdown -------------------------------------------------------------------


MARKDOWN = """# Heading One

Some *emphasis*, **strong** and `code`, a [link](https://example.com/page).

- first
- second

1. one
2. two

> quoted words

| Name | Value |
|------|-------|
| a    | 1     |

```python
print("hi")
```
"""


def test_markdown_is_rendered_not_shown_raw() -> None:
    text = render(MARKDOWN)
    for marker in ("# Heading", "*emphasis*", "**strong**", "`code`", "](", "```", "|---"):
        assert marker not in text
    assert "Heading One" in text
    assert "link (https://example.com/page)" in text
    assert "• first" in text and "1 one" in text
    assert "▌ quoted words" in text
    assert re.search(r"Name\s+Value", text) and 'print("hi")' in text


def test_raw_html_is_shown_dimmed_not_dropped() -> None:
    text = render("<div>block <b>html</b></div>\n\nInline <kbd>x</kbd> <span>y</span>.\n")
    assert "<div>block <b>html</b></div>" in text
    assert "<span>y</span>" in text
    assert "\x1b[2m<div>" in render("<div>x</div>\n", color=True)


def test_references_inside_raw_html_read_as_on_the_site() -> None:
    text = render('See <a href="{% post_url 2023-01-02-known %}">it</a>.\n\n'
                  "<div>{% include box.html %}</div>\n")
    assert '<a href="/2023/01/02/known/">' in text
    assert "<div>{% include box.html %}</div>" in text


def test_autolinks_are_not_doubled() -> None:
    text = render("<https://example.com>")
    assert text.count("https://example.com") == 1


def test_link_targets_are_shown_decoded() -> None:
    assert "(/café/)" in render("[x](/caf%C3%A9/)")


def test_rich_markup_in_content_is_text() -> None:
    text = render("[bold red]x[/] :smile: [link=https://e.test]y[/link]")
    assert "[bold red]x[/] :smile: [link=https://e.test]y[/link]" in text


def test_deep_nesting_is_reported(example_site: Path) -> None:
    prepared = prepare(">" * 40 + " deep\n", FakeResolver())
    _markdown, deep = pv.body_markdown(prepared, "monokai")
    assert [message for _severity, message in deep if "deeper than 20 levels" in message]
    _markdown, shallow = pv.body_markdown(prepare("> a\n", FakeResolver()), "monokai")
    assert shallow == []


# --- only safe links ------------------------------------------------------------------------

HOSTILE_LINKS = """[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](<  javascript:alert(3)>)
[d](vbscript:msgbox(4)) [e](data:text/html,x) [f](file:///etc/passwd) [g](//evil.example/x)
<javascript:alert(5)> <FILE:///etc/shadow> [h][ref] ![i][img]
[j]({{ 'javascript:alert(6)' | relative_url }}) ![k](data:image/png;base64,AAAA)
[l](&#106;avascript:alert(7))

[ref]: vbscript:x
[img]: javascript:alert(8)
"""


def rendered_with_notes(body: str, **limits: int) -> tuple[str, list[str]]:
    from postctl.render.window import Limits

    prepared = prepare(body, FakeResolver())
    markdown, notes = pv.body_markdown(prepared, "monokai",
                                       Limits(**{"lines": 3000, "chars": 1 << 20,
                                                 "rows": 100, **limits}))
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=1000, height=50,
                      color_system="truecolor")
    console.push_theme(pv.theme())
    console.print(markdown)
    return buffer.getvalue(), [message for _severity, message in notes]


def test_unsafe_targets_are_text_never_links() -> None:
    coloured, notes = rendered_with_notes(HOSTILE_LINKS)
    text = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "\x1b]8;" not in coloured  # no terminal hyperlink
    for shown in ("a (not a safe link: javascript:alert(1))",
                  "d (not a safe link: vbscript:msgbox(4))",
                  "e (not a safe link: data:text/html,x)",
                  "f (not a safe link: file:///etc/passwd)",
                  "g (not a safe link: //evil.example/x)",
                  "javascript:alert(5) (not a safe link)",
                  "h (not a safe link: vbscript:x)",
                  "[image: i] (not a safe link: javascript:alert(8))",
                  "[image: k] (not a safe link: data:image/png;base64,AAAA)",
                  "l (not a safe link: javascript:alert(7))"):
        assert shown in text, shown
    assert "j (not a safe link: javascript:alert(6))" in text
    assert "javascript:alert(1) is not an http, https, mailto or site-relative URL: shown as " \
        "text" in notes


def test_safe_targets_stay_links() -> None:
    text, notes = rendered_with_notes("[a](https://e.example/) [b](/about/) [c](mailto:x@y.z) "
                                      "<https://auto.example/> [d](#top)")
    assert "not a safe link" not in text and notes == []
    assert "a (https://e.example/)" in re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_targets_that_leave_the_site_are_text_and_noted() -> None:
    coloured, notes = rendered_with_notes(
        "[up](../../etc/passwd) ![pic](../../../x.png) {% link ../../etc/passwd %} "
        "[tag]({% link ../secret.md %})")
    text = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "up (outside the site: ../../etc/passwd)" in text
    assert "[image: pic] (outside the site: ../../../x.png)" in text
    assert "[outside the site: {% link ../../etc/passwd %}]" in text
    assert "tag (outside the site: {% link ../secret.md %})" in text
    assert notes == [f"{target} leaves the site: shown as text, not followed" for target in (
        "../../etc/passwd", "../../../x.png", "{% link ../../etc/passwd %}",
        "{% link ../secret.md %}")]


def test_a_link_tag_that_leaves_the_site_reads_no_file(make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md":
                            "---\ntitle: A\n---\n{% link ../secret.md %} [x](../../secret.md)\n"})
    (root.parent / "secret.md").write_text("---\ntitle: The Secret Title\n---\n", "utf-8")
    site, post = example_post(root, "_posts/2024-01-01-a.md")
    text = plain(pv.preview_renderables(post, site), width=200)
    assert "The Secret Title" not in text
    assert "[outside the site: {% link ../secret.md %}]" in text
    assert "x (outside the site: ../../secret.md)" in text
    assert "warning: ../../secret.md leaves the site: shown as text, not followed" in text


# --- long bodies -------------------------------------------------------------------------------


def test_a_long_table_shows_its_first_rows_and_says_how_many_more() -> None:
    rows = "".join(f"| r{index} | x |\n" for index in range(250))
    text, notes = rendered_with_notes(f"| a | b |\n|---|---|\n{rows}\nafter\n", rows=100)
    assert "r99" in text and "r100" not in text
    assert "… 150 more rows not shown (postctl preview --raw shows them)" in text
    assert "after" in text and notes == []


def test_only_the_references_drawn_are_resolved() -> None:
    from postctl.render.window import Limits

    class Counting(FakeResolver):
        def __init__(self) -> None:
            super().__init__()
            self.asked: list[str] = []

        def image(self, src: str):
            self.asked.append(src)
            return super().image(src)

    resolver = Counting()
    body = "".join(f"![{index}](/img/{index}.png)\n\n" for index in range(1000))
    pv.body_markdown(prepare(body, resolver), "monokai", Limits(lines=20, chars=1 << 20,
                                                               rows=100))
    assert resolver.asked == [f"/img/{index}.png" for index in range(10)]


def test_a_long_body_is_cut_with_a_note_where_it_stops_and_under_the_header() -> None:
    body = "".join(f"paragraph {index}\n\n" for index in range(100))
    text, notes = rendered_with_notes(body, lines=40)
    assert "paragraph 19" in text and "paragraph 20" not in text
    note = "160 more lines of the body (1,120 characters) not shown (postctl preview --raw " \
           "shows them)"
    assert notes == [note]
    assert f"… {note}" in text


# --- header ----------------------------------------------------------------------------------


def test_the_header_lists_the_first_findings_and_counts_the_others(example_site: Path) -> None:
    site, post = example_post(example_site, "_posts/2024-09-10-yaml-norway-problem.md")
    findings = [("warning", f"{line}:1 X001 finding {line}") for line in range(1, 31)]
    text = " ".join(plain(pv.preview_renderables(post, site, notes=findings), width=200).split())
    assert "finding 20" in text and "finding 21" not in text
    assert "note: and 10 more findings (postctl lint _posts/2024-09-10-yaml-norway-problem.md " \
        "lists them all)" in text


def test_header_panel_shows_notes_and_draft(example_site: Path) -> None:
    site, post = example_post(example_site, "_drafts/a-draft-about-seed-swaps.md")
    text = plain(pv.preview_renderables(post, site, notes=[("error", "3:1 X001 bad thing")]))
    assert "Notes From the Spring Seed Swap  (draft)" in text
    assert "error: 3:1 X001 bad thing" in text.replace("\n", " ")


def plain(renderables, width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system=None, width=width,
                      height=50)
    console.push_theme(pv.theme())
    for renderable in renderables:
        console.print(renderable)
    return buffer.getvalue()


def test_example_site_posts_render(example_site: Path) -> None:
    site = open_site(example_site)
    for post in scan_posts(site):
        assert not isinstance(post, SourceError)
        text = plain(pv.preview_renderables(post, site))
        assert post.title and post.title in " ".join(text.split())
        assert "**" not in text and "](" not in text and "{%" not in text
        assert not CONTROL.search(text)


def test_example_post_url_is_resolved(example_site: Path) -> None:
    site, post = example_post(example_site, "_posts/2025-09-14-rye-bread-that-actually-rises."
                              "markdown")
    text = " ".join(plain(pv.preview_renderables(post, site), width=200).split())
    assert ("day-by-day log (/cooking/2023/03/26/sourdough-starter-from-scratch/ → "
            "“A Sourdough Starter From Scratch, Day by Day”)") in text
    assert "[image: A dark rye loaf cut in half on a wooden board] /assets/images/rye-loaf.png" \
        in text
    assert "(missing file)" not in text


def test_missing_example_image_is_marked(example_site: Path) -> None:
    (example_site / "assets/images/rye-loaf.png").unlink()
    site, post = example_post(example_site, "_posts/2025-09-14-rye-bread-that-actually-rises."
                              "markdown")
    assert "/assets/images/rye-loaf.png (missing file)" in " ".join(
        plain(pv.preview_renderables(post, site), width=200).split())


def test_post_url_to_a_draft_or_subfolder(make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntitle: A\n---\n[d]({% post_url 2024-02-02-d %}) "
                                  "[n]({% post_url news/2024-03-03-n %})\n",
        "_drafts/2024-02-02-d.md": "---\ntitle: Draft D\n---\n",
        "news/_posts/2024-03-03-n.md": "---\ntitle: News N\n---\n",
    })
    site, post = example_post(root, "_posts/2024-01-01-a.md")
    text = " ".join(plain(pv.preview_renderables(post, site), width=200).split())
    assert "→ “Draft D” (draft))" in text
    assert "n (/news/2024/03/03/n.html → “News N”)" in text


# --- docs/guarantees.md, Terminal: hostile content ----------------------------------------

FIXTURES = sorted(p.name for p in HOSTILE.glob("*.md") if p.name != "body_nul_byte.md")


@pytest.mark.parametrize("name", FIXTURES)
def test_no_control_character_from_content_reaches_the_terminal(make_site, name: str) -> None:
    root = make_site(posts={f"_posts/2024-05-01-{name}": (HOSTILE / name).read_bytes()})
    site, post = example_post(root, f"_posts/2024-05-01-{name}")
    text = plain(pv.preview_renderables(post, site, notes=[("warning", post.title or "")]))
    assert not CONTROL.search(text), CONTROL.findall(text)
    source = post.source
    raw = plain(rawview.raw_renderables(source.text, source.kind, source.body_line - 1))
    assert not CONTROL.search(raw), CONTROL.findall(raw)
    # What was escaped is shown visibly, in the preview and in the source view.
    if "\x1b" in post.source.text:
        assert "\\x1b" in raw
    if "\x1b" in post.body or (post.title and "\x1b" in post.title):
        assert "\\x1b" in text


def test_hostile_fixtures_hold_what_they_claim() -> None:
    assert len(FIXTURES) >= 15
    assert "\x1b]0;" in (HOSTILE / "body_osc_sequences.md").read_text()
    assert b"\\e]0;pwned" in (HOSTILE / "title_osc_window_title.md").read_bytes()
    assert "\u202e" in (HOSTILE / "body_bidi_and_zero_width.md").read_text()
    assert "\x07" in (HOSTILE / "body_bell_and_controls.md").read_text()
    assert b"\r\n" in (HOSTILE / "body_crlf.md").read_bytes()


# --- console, raw view, pager ---------------------------------------------------------------------


def test_raw_view_numbers_lines_and_highlights_both_parts(example_site: Path) -> None:
    _site, post = example_post(example_site, "_posts/2024-09-10-yaml-norway-problem.md")
    source = post.source
    colored = io.StringIO()
    console = Console(file=colored, force_terminal=True, color_system="truecolor", width=100,
                      height=50)
    for renderable in rawview.raw_renderables(source.text, source.kind, source.body_line - 1):
        console.print(renderable)
    text = re.sub(r"\x1b\[[0-9;]*m", "", colored.getvalue())
    lines = text.splitlines()
    assert re.match(r"\s+1 ---", lines[0])
    assert any(re.match(rf"\s+{source.body_line - 1} ---\s*$", line) for line in lines)
    assert any(re.match(rf"\s+{source.body_line + 1} \S", line) for line in lines)
    assert "{% post_url" in text  # the source, not the rendering
    assert colored.getvalue().count("\x1b[38;2;") > 20


def test_console_width(monkeypatch) -> None:
    out = Output(color="never", stdout=io.StringIO())
    monkeypatch.setenv("COLUMNS", "160")
    assert screen.console_for(out, None, plain=False).width == screen.DEFAULT_MAX_WIDTH
    assert screen.console_for(out, 140, plain=False).width == 140
    monkeypatch.setenv("COLUMNS", "60")
    assert screen.console_for(out, None, plain=False).width == 60


def test_plain_console_has_no_colour_even_when_forced() -> None:
    out = Output(color="always", stdout=io.StringIO())
    console = screen.console_for(out, 80, plain=True)
    assert "\x1b" not in screen.render_text(console, [pv.header_panel(
        PreviewFacts("T", (("Path", "p"),), True, 1, 1), [("warning", "w")])])


def test_uncoloured_text_has_no_trailing_padding() -> None:
    out = Output(color="never", stdout=io.StringIO())
    console = screen.console_for(out, 80, plain=True)
    text = screen.render_text(console, [render_markdown("short line")])
    assert text == "short line\n"


def render_markdown(body: str):
    return pv.body_markdown(prepare(body, FakeResolver()), "monokai")[0]


def test_pager_only_for_long_output(monkeypatch) -> None:
    paged: list[tuple[str, str]] = []
    monkeypatch.setattr("pydoc.pipepager", lambda text, cmd: paged.append((text, cmd)))
    monkeypatch.setenv("PAGER", "less -R")
    stdout = io.StringIO()
    out = Output(stdout=stdout)
    screen.show("a\nb\n", out, page=True, height=10)
    assert paged == [] and stdout.getvalue() == "a\nb\n"
    long_text = "line\n" * 30
    screen.show(long_text, out, page=True, height=10)
    assert paged == [(long_text, "less -R")]
    screen.show(long_text, out, page=False, height=10)
    assert len(paged) == 1 and stdout.getvalue().endswith(long_text)


def test_rich_pager_without_pager_variable(monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.setattr("rich.pager.SystemPager.show", lambda self, text: shown.append(text))
    screen.show("x\n" * 50, Output(stdout=io.StringIO()), page=True, height=20)
    assert shown == ["x\n" * 50]


# --- corpora ---------------------------------------------------------------------------------


def corpus_sites() -> list[Path]:
    return [folder.parent for folder in sorted(CORPORA.rglob("_posts")) if folder.is_dir()]


@pytest.mark.slow
@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora not available")
def test_real_posts_render(tmp_path: Path) -> None:
    checked = 0
    for root in corpus_sites():
        site = open_site(root)
        for post in scan_posts(site):
            if isinstance(post, SourceError):
                continue
            text = plain(pv.preview_renderables(post, site), width=100)
            flat = " ".join(text.replace("│", " ").split())
            assert not CONTROL.search(text), post.rel_path
            if post.title:
                assert " ".join(facts(post, site).title.split()) in flat, post.rel_path
            words = re.findall(r"[A-Za-z]{6,}", _outside_code(post.body))
            if words:
                assert any(word in flat for word in words[:20]), post.rel_path
            for marker in ("**", "]("):
                if marker not in _literal_text(post.body):
                    assert marker not in text, (post.rel_path, marker)
            checked += 1
    assert checked > 500


def _outside_code(body: str) -> str:
    return re.sub(r"```.*?```|`[^`]*`|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>|\([^)]*\)", " ", body,
                  flags=re.DOTALL)


def _literal_text(body: str) -> str:
    """What markdown-it itself leaves as text or code (markers it does not consume)."""
    from markdown_it import MarkdownIt

    prepared = prepare(body, FakeResolver())
    found: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline", "fence", "code_block"):
                found.append(token.content)
            elif token.type in ("html_block", "html_inline"):  # shown as written
                found.append(plain_text(token.content, prepared))
            if token.children:
                walk(token.children)

    walk(MarkdownIt().enable("strikethrough").enable("table").parse(prepared.markdown))
    return "\n".join(found)
