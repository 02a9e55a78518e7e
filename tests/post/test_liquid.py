"""Liquid and Markdown references in post bodies: kinds, targets, file positions, exclusions."""

from __future__ import annotations

import time

import pytest

from postctl.post.codeblocks import masked
from postctl.post.links import is_site_local, local_path
from postctl.post.liquid import liquid_spans
from postctl.post.references import find_references
from tests.conftest import CORPORA, EXAMPLE_SITE


def refs(body: str, body_line: int = 1) -> list[tuple[str, str]]:
    return [(ref.kind, ref.target) for ref in find_references(body, body_line)]


def test_post_url_position_is_a_file_position() -> None:
    body = "First line.\nSee [the script]({% post_url 2023-11-05-renaming %}) now.\n"
    (ref,) = find_references(body, body_line=7)
    assert (ref.kind, ref.target, ref.line, ref.col) == ("post_url", "2023-11-05-renaming", 8, 18)
    assert ref.text == "{% post_url 2023-11-05-renaming %}"
    assert body[ref.start : ref.end] == ref.text


def test_whitespace_control_and_subfolder_names() -> None:
    assert refs("{%- post_url news/2024-01-02-a -%}") == [("post_url", "news/2024-01-02-a")]


def test_link_include_and_output() -> None:
    body = (
        "{% link _posts/2018-01-02-x.md %}\n"
        "{% include note.html level=2 %}\n"
        "{% include_relative snippet.md %}\n"
        "{{ site.title | escape }}\n"
    )
    found = find_references(body)
    assert [(r.kind, r.target, r.label) for r in found] == [
        ("link", "_posts/2018-01-02-x.md", "link"),
        ("include", "note.html", "include"),
        ("include", "snippet.md", "include_relative"),
        ("output", "site.title | escape", ""),
    ]
    assert [r.line for r in found] == [1, 2, 3, 4]


def test_markdown_links_and_images_with_labels() -> None:
    body = 'A [page](/about/ "About") and ![a cat](assets/cat.png).\n'
    found = find_references(body)
    assert [(r.kind, r.target, r.label, r.col) for r in found] == [
        ("markdown_link", "/about/", "page", 3),
        ("markdown_image", "assets/cat.png", "a cat", 31),
    ]


def test_image_inside_link_both_found() -> None:
    assert refs("[![inner](img.png)](https://example.com)") == [
        ("markdown_link", "https://example.com"),
        ("markdown_image", "img.png"),
    ]


def test_site_prefixes_are_stripped() -> None:
    body = (
        "[a]({{ site.baseurl }}/about/)\n"
        "[b]({{site.url}}{{site.baseurl}}/x.png)\n"
        "[c]({{ '/y/z.png' | relative_url }})\n"
        "[d](<{{ site.baseurl }}/with space.pdf>)\n"
    )
    links = [target for kind, target in refs(body) if kind == "markdown_link"]
    assert links == ["/about/", "/x.png", "/y/z.png", "/with space.pdf"]


def test_link_with_liquid_target_reported_through_the_tag() -> None:
    body = "[old post]({{ site.baseurl }}{% post_url 2020-01-01-old %})"
    assert refs(body) == [("output", "site.baseurl"), ("post_url", "2020-01-01-old")]


def test_reference_definitions_are_links() -> None:
    assert refs("Text [x][id].\n\n[id]: /files/a.pdf\n") == [("markdown_link", "/files/a.pdf")]


@pytest.mark.parametrize(
    "body",
    [
        "```\n{% post_url 2000-01-01-a %} [x](y.md) ![i](i.png)\n```\n",
        "~~~~ liquid\n{% include a.html %}\n~~~~\n",
        "- item\n\n  ```\n  [x](y.md)\n  ```\n",
        "> ```\n> {{ site.x }}\n> ```\n",
        "{% raw %}{% post_url 2000-01-01-a %} [x](y.md){% endraw %}",
        "{%- raw -%}\n{{ x }}\n{%- endraw -%}",
        "{% comment %}{% include gone.html %}{% endcomment %}",
        "{% highlight ruby %}\n[x](y.md) {{ z }}\n{% endhighlight %}",
        "Inline `{% post_url 2000-01-01-a %}` and ``[x](y.md)``.",
        "```\nunclosed fence [x](y.md)\n",
        "{% raw %} unclosed raw [x](y.md)",
        r"Escaped \[x](y.md) bracket.",
    ],
)
def test_code_raw_comment_and_escapes_are_ignored(body: str) -> None:
    assert refs(body) == []


def test_text_after_code_is_scanned_again() -> None:
    body = "```\n[x](code.md)\n```\n\n[y](after.md) `[z](span.md)` [w](w.md)\n"
    assert refs(body) == [("markdown_link", "after.md"), ("markdown_link", "w.md")]


def test_unclosed_backticks_are_literal() -> None:
    assert refs("a ` b [x](y.md)") == [("markdown_link", "y.md")]


def test_masked_keeps_length_and_lines() -> None:
    body = "a\n```\ncode\n```\n{% raw %}x\ny{% endraw %}\n"
    text, _spans = masked(body)
    assert len(text) == len(body)
    assert text.count("\n") == body.count("\n")
    assert "code" not in text and "raw" not in text


def test_liquid_spans_blocks() -> None:
    spans = liquid_spans("{% raw %}{{ x }}{% endraw %} {{ y }} {% assign a = 1 %}")
    assert [(s.kind, s.argument) for s in spans] == [
        ("raw", ""), ("output", "y"), ("assign", "a = 1")
    ]
    assert spans[0].inner == (9, 16)


def test_crlf_body_positions() -> None:
    (ref,) = find_references("one\r\ntwo [x](y.md)\r\n", body_line=3)
    assert (ref.line, ref.col) == (4, 5)


def test_hostile_bodies_stay_linear() -> None:
    bodies = [
        "[" * 200_000,
        "{%" * 200_000,
        "{{" * 200_000,
        "`" + " `` " * 50_000,
        "` `` " * 100_000,
        "[a](" * 100_000,
        "[a](<" * 100_000,
        "[a]({{" * 100_000,
        "{{ x }}" * 100_000,
        "[]" * 200_000,
        " " * 200_000 + "x\n",  # blank runs before a fence marker
        "> " + "\t" * 200_000 + "```",
        ("[a](b" + " " * 3_000) * 100,  # blanks after a target that never closes
        "`" * 100_000 + "\n" + " " * 100_000 + "\n",
    ]
    start = time.perf_counter()
    for body in bodies:
        find_references(body)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("target", "local"),
    [
        ("/about/", True),
        ("assets/img.png", True),
        ("../x.md", True),
        ("https://example.com", False),
        ("HTTP://EXAMPLE.COM", False),
        ("mailto:a@b.c", False),
        ("tel:+123", False),
        ("data:image/png;base64,xx", False),
        ("//cdn.example.com/x.js", False),
        ("#section", False),
        ("", False),
        ("{{ page.image }}", False),
    ],
)
def test_is_site_local(target: str, local: bool) -> None:
    assert is_site_local(target) is local


def test_local_path() -> None:
    assert local_path("/files/a%20b.pdf?x=1#p2") == "/files/a b.pdf"


def test_example_site_post_url_found() -> None:
    path = EXAMPLE_SITE / "_posts" / "2024-09-10-yaml-norway-problem.md"
    text = path.read_text(encoding="utf-8")
    body_start = text.index("\n---\n", 4) + 5
    body_line = text.count("\n", 0, body_start) + 1
    found = [r for r in find_references(text[body_start:], body_line) if r.kind == "post_url"]
    assert [r.target for r in found] == ["2023-11-05-a-tiny-python-script-for-renaming-photos"]
    line = text.splitlines()[found[0].line - 1]
    assert line[found[0].col - 1 :].startswith("{% post_url")


@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora not available")
def test_corpora_positions_point_at_the_text() -> None:
    files = [p for p in sorted(CORPORA.rglob("*")) if p.suffix in (".md", ".markdown")]
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = text.splitlines()
        for ref in find_references(text, 1):
            first = ref.text.splitlines()[0]
            assert lines[ref.line - 1][ref.col - 1 :].startswith(first), (path, ref)
            checked += 1
    assert checked > 100


def test_references_are_hashable_and_frozen() -> None:
    (ref,) = find_references("[x](y.md)")
    with pytest.raises(AttributeError):
        ref.target = "z"  # type: ignore[misc]
    assert ref in {ref}



