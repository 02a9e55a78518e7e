from __future__ import annotations

from tests.lint.rules.conftest import LintFn

A = "_posts/2024-01-02-first.md"
B = "_posts/2024-02-03-second.md"


def post(body: str, extra: str = "") -> str:
    return f"---\ntitle: T{len(body)}\n{extra}---\n{body}\n"


def test_image_field_must_exist(lint: LintFn) -> None:
    found = lint({A: post("b", "image: /assets/missing.png\n")}, select=["R"])
    assert [(d.rule, d.line, d.column, d.severity) for d in found] == [("R001", 3, 8, "warning")]
    ok = {A: post("b", "image: /assets/x.png\n"), "assets/x.png": b"png"}
    assert lint(ok, select=["R"]) == []
    remote = {A: post("b", "image: https://example.org/x.png\n")}
    assert lint(remote, select=["R"]) == []


def test_schema_path_fields_must_exist(lint: LintFn) -> None:
    config = '[schema.fields.cover]\ntype = "path"\n'
    found = lint({A: post("b", "cover: img/none.jpg\n")}, select=["R"], config=config)
    assert [d.rule for d in found] == ["R001"]


def test_post_url_must_name_a_published_post(lint: LintFn) -> None:
    body = "See {% post_url 2024-01-02-first %} and {% post_url 2023-01-01-gone %}."
    found = lint({A: post("a"), B: post(body)}, select=["R"])
    assert [(d.rule, d.path, d.line, d.column, d.severity) for d in found] == [
        ("R002", B, 4, 41, "error")]
    unpublished = {A: post("a", "published: false\n"), B: post("{% post_url 2024-01-02-first %}")}
    assert "does not publish" in lint(unpublished, select=["R"])[0].message


def test_post_url_inside_raw_is_not_rendered(lint: LintFn) -> None:
    body = "{% raw %}{% post_url 2023-01-01-gone %}{% endraw %}"
    assert lint({A: post(body)}, select=["R"]) == []


def test_post_url_inside_a_code_fence_is_still_rendered(lint: LintFn) -> None:
    body = "```\n{% post_url 2023-01-01-gone %}\n```"
    assert [d.rule for d in lint({A: post(body)}, select=["R"])] == ["R002"]


def test_post_url_date_and_slug_fallback_is_a_warning(lint: LintFn) -> None:
    found = lint({"_posts/sub/2024-01-02-first.md": post("a"),
                  B: post("{% post_url other/2024-01-02-first %}")}, select=["R"])
    assert [(d.rule, d.severity) for d in found] == [("R002", "warning")]


def test_link_tag_must_name_a_file(lint: LintFn) -> None:
    body = "{% link about.md %} {% link _posts/2024-01-02-first.md %} {% link nope.md %}"
    found = lint({A: post(body), "about.md": "x"}, select=["R"])
    assert [(d.rule, d.severity, d.column) for d in found] == [("R003", "error", 59)]


def test_markdown_links_and_images(lint: LintFn) -> None:
    body = ("![ok](/img/a.png) ![bad](/img/b.png) [page](/about/) [post](/2024/01/02/first.html)"
            " [gone]({{ site.baseurl }}/nowhere/) [ext](https://x.org/y) [rel](other.html)")
    found = lint({A: post(body), "img/a.png": b"x", "about.md": "---\n---\n"}, select=["R"])
    assert [(d.rule, d.message.split("'")[1]) for d in found] == [
        ("R004", "/img/b.png"), ("R004", "/nowhere/")]


def test_liquid_off_skips_tags(lint: LintFn) -> None:
    text = post("{% post_url 2023-01-01-gone %}", "render_with_liquid: false\n")
    assert lint({A: text}, select=["R"]) == []
