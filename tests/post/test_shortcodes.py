from __future__ import annotations

from postctl.post.shortcodes import names_page, ref_shortcodes


def test_ref_and_relref_forms_and_their_spans() -> None:
    body = ('See {{< ref "posts/a.md" >}}, {{% relref `b` %}}, {{< ref path="c.md" lang="x" >}}'
            ', {{< relref d >}} and {{</* ref "e" */>}}.')
    found = ref_shortcodes(body)
    assert [(ref.kind, ref.target) for ref in found] == [
        ("ref", "posts/a.md"), ("relref", "b"), ("ref", "c.md"), ("relref", "d")]
    assert all(body[ref.start : ref.end] == ref.target for ref in found)


def test_which_page_a_path_names() -> None:
    page = "posts/my-post.md"
    assert names_page("posts/my-post.md", page, "about.md")
    assert names_page("/posts/my-post", page, "other/x.md")
    assert names_page("my-post.md#part", page, "posts/other.md")
    assert names_page("My-Post", page, "elsewhere/x.md")  # a unique base name, any case
    assert names_page("../posts/my-post", page, "notes/x.md")
    assert not names_page("posts/my-post-2", page, "about.md")
    assert not names_page("/my-post", page, "about.md")
    assert names_page("posts/bundle", "posts/bundle/index.md", "about.md")


def test_every_shortcode_form() -> None:
    from postctl.post.shortcodes import shortcodes

    body = ('{{< figure src="a.png" alt="An \\"A\\"" >}} {{% notice info %}}text{{% /notice %}}\n'
            '{{<youtube w7Ft2ymGmfc>}} {{< br />}} {{</* gist x */>}} {{< highlight go "a=b" >}}\n'
            'code >}}\n{{< /highlight >}} {{< a/b `raw` k=v >}} {{< unclosed')
    found = shortcodes(body)
    assert [(t.name, t.delimiter, t.closing, t.self_closing, t.escaped) for t in found] == [
        ("figure", "<", False, False, False), ("notice", "%", False, False, False),
        ("notice", "%", True, False, False), ("youtube", "<", False, False, False),
        ("br", "<", False, True, False), ("gist", "<", False, False, True),
        ("highlight", "<", False, False, False), ("highlight", "<", True, False, False),
        ("a/b", "<", False, False, False)]
    figure, highlight, nested = found[0], found[6], found[8]
    assert body[figure.start:figure.end] == '{{< figure src="a.png" alt="An \\"A\\"" >}}'
    assert figure.argument("src") == ("a.png", 16, 21)
    assert figure.argument("alt").value == 'An \\"A\\"'  # type: ignore[union-attr]
    assert [a.value for a in highlight.positional] == ["go", "a=b"]
    assert nested.argument("k").value == "v" and nested.positional[0].value == "raw"  # type: ignore[union-attr]
    assert found[3].argument("id").value == "w7Ft2ymGmfc"  # type: ignore[union-attr]


def test_the_scan_is_linear_on_hostile_bodies() -> None:
    import time

    from postctl.post.shortcodes import shortcodes

    started = time.perf_counter()
    assert shortcodes("{{< " * 200_000) == []
    assert len(shortcodes("{{< x >}}" * 50_000)) == 50_000
    assert time.perf_counter() - started < 5
