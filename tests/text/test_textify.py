"""Markdown/Liquid/HTML → searchable and readable text; words, folding, offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postctl.text.textify import (
    fold,
    fold_chars,
    has_word,
    index_text,
    markdown_to_text,
    plain_line,
    tokens,
)

BODY = """\
# A *heading* ##

Some **bold**, _emphasis_, ~~struck~~ and `inline code` with snake_case kept.
A [link text](https://example.com/hidden-url "title") and ![alt words](/img/x.png).
A [reference][ref] and an autolink <https://visible.example/path>.

[ref]: https://example.com/reference-target

> quoted line
> - quoted item

1. first item
- second item

| Column A | Column B |
|----------|:--------:|
| cell one | cell two |

```python
def kept_code():
    return 1
```

{% highlight ruby %}
puts "ruby code"
{% endhighlight %}
{% comment %}secret liquid comment{% endcomment %}
{{ site.baseurl }}/{% link _posts/x.md %} tail
<div class="note"><p>html text</p></div>
<script>var hiddenScript = 1;</script><style>.hiddenStyle {}</style>
<!-- hidden html comment -->
Fish &amp; chips &eacute;t&eacute;.

***
Setext heading
==============
"""


def test_markdown_to_text_keeps_what_a_reader_sees() -> None:
    text = markdown_to_text(BODY)
    for kept in ("A heading", "Some bold, emphasis, struck and inline code with snake_case",
                 "A link text and alt words.", "A reference and an autolink "
                 "https://visible.example/path", "quoted line", "quoted item", "first item",
                 "second item", "Column A Column B", "cell one cell two", "def kept_code():",
                 'puts "ruby code"', "tail", "html text", "Fish & chips été.",
                 "Setext heading"):
        assert kept in text, kept
    for dropped in ("hidden-url", "/img/x.png", "reference-target", "secret", "baseurl",
                    "_posts/x.md", "hiddenScript", "hiddenStyle", "hidden html comment",
                    "**", "~~", "`", "```", "{%", "{{", "<div", "|", "##", "===", "[ref]"):
        assert dropped not in text, dropped
    assert "\n\n\n" not in text


def test_markdown_to_text_has_no_control_characters() -> None:
    text = markdown_to_text("a\x01b\x02c\x1b[31m d\x7f e\r\nf\rg")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text)
    assert text.splitlines() == ["a b c [31m d e", "f", "g"]


def test_index_text_keeps_the_words_and_drops_targets() -> None:
    text = index_text(BODY)
    words = {word for word, _, _ in tokens(text)}
    assert {"link", "alt", "words", "reference", "visible", "example", "kept", "code", "ruby",
            "snake", "case", "html", "ete"} <= words
    assert not {"hidden", "img", "target", "secret", "baseurl", "hiddenscript",
                "hiddenstyle"} & words
    # the readable text has the same words, in the same order
    readable = {word for word, _, _ in tokens(markdown_to_text(BODY))}
    assert readable <= words
    assert words - readable == {"python"}  # the language of a code fence


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Café", "cafe"), ("ZÜRICH", "zurich"), ("naïve", "naive"), ("Ёлка", "елка"),
     ("МОСКВА", "москва"), ("Ελληνικά", "ελληνικα"), ("Zelenskyy", "zelenskyy"),
     ("йод", "йод")],
)
def test_fold(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_tokens_give_offsets_into_the_original() -> None:
    text = "Café, Zürich — Ёлка! foo_bar x²"
    found = list(tokens(text))
    assert [word for word, _, _ in found] == ["cafe", "zurich", "елка", "foo", "bar", "x²"]
    assert [text[start:end] for _, start, end in found] == [
        "Café", "Zürich", "Ёлка", "foo", "bar", "x²"]


@given(st.text())
def test_fold_chars_keeps_length(text: str) -> None:
    assert len(fold_chars(text)) == len(text)


def test_has_word() -> None:
    assert has_word("a") and has_word("ё") and has_word("42")
    assert not has_word("&& -- ** ...") and not has_word("")


def test_plain_line() -> None:
    assert plain_line("  two\nlines\tand\x1bmore  ") == "two lines and more"


def test_links_images_and_linked_images_keep_only_their_text() -> None:
    text = index_text(
        "[![build badge](https://img.example/badge.svg)](https://ci.example/job) and "
        "[Foo](https://en.wikipedia.org/wiki/Foo_(bar)) and ![a chart](c.png \"title\") and "
        "[ref text][ref]")
    assert text == "build badge and Foo and a chart and ref text"


def test_unclosed_markup_stays_and_later_markup_still_goes() -> None:
    text = index_text("a {{ open {% tag %} b <!-- open <script>x</script> c [d](e")
    assert text.split() == ["a", "{{", "open", "b", "<!--", "open", "c", "d(e"]


# The lazy patterns index_text must behave like (on any text), without their quadratic time
_LAZY = [
    (r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", "{% comment %}", "{%endcomment-%}"),
    (r"\{%.*?%\}|\{\{.*?\}\}", "{%", "%}", "{{", "}}", "{", "}", "%"),
    (r"<!--.*?-->|<(script|style)\b[^<>]*>.*?</\1\s*>", "<!--", "-->", "<script>", "<STYLE a>",
     "</script >", "</style>", "<", ">", "-"),
]


@pytest.mark.parametrize(("pattern", "fragments"), [(case[0], case[1:]) for case in _LAZY])
@given(data=st.data())
def test_dropping_enclosed_spans_is_the_lazy_regex(
    pattern: str, fragments: tuple[str, ...], data: st.DataObject
) -> None:
    from postctl.text import textify
    pieces = data.draw(st.lists(st.sampled_from([*fragments, "a", " ", "\n"]), max_size=30))
    text = "".join(pieces)
    kinds = [textify._LIQUID_COMMENT, textify._LIQUID_MARKUP, textify._HTML_HIDDEN]
    enclosed = kinds[[case[0] for case in _LAZY].index(pattern)]
    expected = re.sub(pattern, " ", text, flags=re.DOTALL | re.IGNORECASE)
    assert textify._drop_enclosed(text, enclosed) == expected


# Posts are untrusted input: no text may make these functions slow (each was quadratic once,
# taking seconds to minutes on inputs like these).
HOSTILE = {
    "spaces": " " * 100_000,
    "spaces after a newline": "a\n" + " " * 100_000 + "b",
    "a table separator then spaces": "\n|---" + " " * 100_000 + "x",
    "stars": "*" * 100_000,
    "brackets": "[" * 50_000,
    "image openers": "![" * 50_000,
    "unclosed link targets": "[a](" * 25_000,
    "a long line": "word " * 20_000,
    "a long word": "x" * 100_000,
    "nested quotes": ">" * 10_000 + " quoted",
    "nested quotes and list": "> " * 10_000 + "- item",
    "heading tail": "# a" + " " * 100_000 + "#b\n",
    "unclosed liquid tags": "{%" * 50_000,
    "unclosed liquid output": "{{" * 50_000,
    "unclosed comments": "<!--" * 25_000,
    "unclosed scripts": "<script" * 15_000,
    "autolink openers": "<http:" * 15_000,
    "rule then text": "\n" + "* " * 50_000 + "x",
    "markup soup": "**_`~~|#>-[](){%}}<>&" * 5_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_takes_linear_time(name: str) -> None:
    import time

    text = HOSTILE[name]
    for function in (index_text, markdown_to_text, plain_line, lambda t: list(tokens(t))):
        started = time.perf_counter()
        function(text)
        assert time.perf_counter() - started < 1.0, (name, function)


def test_each_cjk_letter_is_a_word_of_its_own() -> None:
    from postctl.text.textify import CJK_BREAK, split_cjk, tokens

    assert [word for word, _, _ in tokens("東京でPythonを")] == ["東", "京", "で", "python", "を"]
    assert [word for word, _, _ in tokens("서울에서")] == ["서", "울", "에", "서"]
    assert [(start, end) for _, start, end in tokens("a東b")] == [(0, 1), (1, 2), (2, 3)]
    assert split_cjk("東京で Python入門", " ") == "東 京 で Python 入 門"
    assert split_cjk("東京") == f"東{CJK_BREAK}京"
    assert split_cjk(f"東{CJK_BREAK}x") == "東 x"  # a break in the text is a space
    assert split_cjk("plain wörds") == "plain wörds"
