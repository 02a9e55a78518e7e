"""Markdown/Liquid/HTML → searchable and readable text; words, folding, offsets."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postctl.textify import (
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
