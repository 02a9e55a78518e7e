"""Body preparation shared by the terminal preview and the HTML page: Liquid, link targets and
images become placeholders, and the body is sanitised first (docs/guarantees.md: Terminal)."""

from __future__ import annotations

from postctl.render.prepare import Insert, Prepared, prepare, split_placeholders
from tests.render.helpers import FakeResolver


def inserts(body: str) -> tuple[Prepared, list[Insert]]:
    prepared = prepare(body, FakeResolver())
    used = [part for part in split_placeholders(prepared.markdown, prepared)
            if isinstance(part, Insert)]
    return prepared, used


def test_post_url_in_a_link_target_becomes_url_and_title() -> None:
    prepared = prepare("See [the post]({% post_url 2023-01-02-known %}).", FakeResolver())
    assert "{%" not in prepared.markdown
    (target,) = prepared.inserts
    assert (target.kind, target.url, target.title) == (
        "target", "/2023/01/02/known/", "Known “Post”")


def test_include_and_site_variables_become_liquid_inserts() -> None:
    _prepared, used = inserts("{% include note.html %} and {{ site.title }}\n")
    assert [(i.kind, i.text) for i in used] == [
        ("liquid", "{% include note.html %}"), ("liquid", "{{ site.title }}")]


def test_highlight_block_becomes_a_fence() -> None:
    body = "Intro\n{% highlight ruby %}\ndef x; `ls`; end\n{% endhighlight %}\nAfter\n"
    prepared = prepare(body, FakeResolver())
    assert "```ruby\ndef x; `ls`; end\n```" in prepared.markdown


def test_liquid_in_code_is_left_alone() -> None:
    _prepared, used = inserts("```\n{% include x.html %}\n```\n\n`{{ y }}`\n")
    assert used == []


def test_placeholder_characters_in_content_cannot_forge_inserts() -> None:
    prepared, used = inserts("forged \ufdd00\ufdd1 and {{ real }}")
    assert [i.text for i in used] == ["{{ real }}"]
    assert "\\ufdd0" in prepared.markdown


def test_forged_target_prefix_is_an_ordinary_link() -> None:
    prepared = prepare("[x](postctl-0000:0)", FakeResolver())
    assert prepared.target_of("postctl-0000:0") is None


def test_body_is_sanitised_before_parsing() -> None:
    prepared = prepare("a\x1b[31mb\r\nc\u202e", FakeResolver())
    assert prepared.markdown == "a\\x1b[31mb\nc\\u202e"
