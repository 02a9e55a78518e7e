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
