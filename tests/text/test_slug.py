from __future__ import annotations

import pytest

from postctl.text.slug import SlugError, fit_filename, make_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("Smørrebrød at Home", "smorrebrod-at-home"),
        ("Café crème", "cafe-creme"),
        ("Тишина: заметки", "tishina-zametki"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("CON", "con-post"),
        ("  Spaces   everywhere  ", "spaces-everywhere"),
    ],
)
def test_make_slug(title: str, slug: str) -> None:
    assert make_slug(title) == slug


def test_slug_is_cut_at_a_word_boundary() -> None:
    title = "word " * 40
    slug = make_slug(title, max_length=80)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert all(part == "word" for part in slug.split("-"))


@pytest.mark.parametrize("title", ["🎉🎉", "!!!", "   ", "—"])
def test_empty_slug_is_an_error_with_a_hint(title: str) -> None:
    with pytest.raises(SlugError) as caught:
        make_slug(title)
    assert "empty slug" in str(caught.value)
    assert caught.value.hint == "give one with --slug"


def test_unicode_slugs_only_when_opted_in() -> None:
    assert make_slug("Привет мир", allow_unicode=True) == "привет-мир"
    assert make_slug("Привет мир") == "privet-mir"


def test_filename_fits_255_bytes() -> None:
    slug = "-".join(["ж" * 20] * 20)
    name = fit_filename("2024-01-02-", slug, ".md")
    assert len(name.encode("utf-8")) <= 255
    assert name.startswith("2024-01-02-") and name.endswith(".md")
    assert not name[:-3].endswith("-")
