"""The one slug function of new and rename: the post's language (its lang key, its folder,
the site's config, kana in the title) and the site's own Unicode convention."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from postctl.site.model import open_site
from postctl.site.slugs import keeps_unicode, post_language, post_slug
from postctl.text import slug as slug_module
from postctl.text.slug import SlugError, make_slug


def test_japanese_titles_get_romaji_and_chinese_pinyin(make_site: Any) -> None:
    site = open_site(make_site())
    posts = site.root / "_posts"
    assert post_slug(site, "東京でPythonを学ぶ", posts) == "tokyo-de-python-wo-manabu"  # kana
    assert post_slug(site, "北京烤鸭", posts) == "bei-jing-kao-ya"  # Chinese, as before
    assert post_slug(site, "東京の天気", posts) == "tokyo-no-tenki"
    assert post_slug(site, "ラーメンとパン", posts) == "raamen-to-pan"  # loanwords in Hepburn
    assert post_slug(site, "Hello World", posts) == "hello-world"


def test_kanji_alone_follow_the_lang_key_the_folder_and_the_site(make_site: Any) -> None:
    root = make_site(jekyll="title: T\ntimezone: UTC\n")
    site = open_site(root)
    posts = root / "_posts"
    assert post_slug(site, "日本語", posts) == "ri-ben-yu"  # no language known: as Chinese
    assert post_slug(site, "日本語", posts, {"lang": "ja"}) == "nippon-go"
    assert post_slug(site, "日本語", root / "ja" / "_posts") == "nippon-go"
    assert post_slug(site, "日本語", root / "zh" / "_posts") == "ri-ben-yu"
    assert post_language(site, root / "ja-JP" / "_posts", {}) == "ja-JP"
    japanese = open_site(make_site(jekyll="title: T\ntimezone: UTC\nlang: ja\n", name="ja"))
    assert post_slug(japanese, "日本語", japanese.root / "_posts") == "nippon-go"
    assert post_slug(japanese, "日本語", japanese.root / "_posts", {"lang": "zh"}) == "ri-ben-yu"


def test_a_site_whose_posts_keep_unicode_slugs_keeps_them(make_site: Any) -> None:
    root = make_site(posts={"_posts/2024-01-01-東京の旅.md": "---\ntitle: 東京の旅\n---\n",
                            "_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n"})
    site = open_site(root)
    assert keeps_unicode(root / "_posts")
    assert post_slug(site, "大阪の夜", root / "_posts") == "大阪の夜"
    assert post_slug(site, "Hello Again", root / "_posts") == "hello-again"
    assert post_slug(site, "大阪の夜", root / "_drafts") == "大阪の夜"  # a draft, as the posts
    ascii_only = make_site(posts={"_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\n"},
                           name="ascii")
    assert not keeps_unicode(ascii_only / "_posts")
    assert post_slug(open_site(ascii_only), "大阪の夜", ascii_only / "_posts") == "osaka-no-yoru"


def test_the_slug_setting_wins_over_the_file_names(make_site: Any) -> None:
    posts = {"_posts/2024-01-01-東京の旅.md": "---\ntitle: 東京の旅\n---\n"}
    root = make_site(posts=posts, config="[slug]\nallow_unicode = false\n")
    assert post_slug(open_site(root), "大阪の夜", root / "_posts") == "osaka-no-yoru"
    root = make_site(config="[slug]\nallow_unicode = true\n", name="unicode")
    assert post_slug(open_site(root), "大阪の夜", root / "_posts") == "大阪の夜"


def test_without_the_converter_a_japanese_title_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slug_module._romaji_converter.cache_clear()
    monkeypatch.setitem(__import__("sys").modules, "cutlet", None)  # import fails
    try:
        with pytest.raises(SlugError, match=r"pip install 'postctl\[ja\]'"):
            make_slug("東京の天気")
        assert make_slug("北京烤鸭") == "bei-jing-kao-ya"  # not needed: no error
    finally:
        slug_module._romaji_converter.cache_clear()


def test_rename_follows_the_folder_language_and_new_writes_romaji(cli: Any, make_site: Any) -> None:
    root = make_site(posts={"ja/_posts/2024-01-01-test.md": "---\ntitle: test\n---\nbody\n"})
    result = cli("--root", str(root), "rename", "ja/_posts/2024-01-01-test.md", "日本語")
    assert result.exit_code == 0, result
    assert (Path(root) / "ja/_posts/2024-01-01-nippon-go.md").exists()
    result = cli("--root", str(root), "new", "東京の天気", "--date", "2024-02-03")
    assert result.exit_code == 0, result
    assert result.stdout.strip().endswith("2024-02-03-tokyo-no-tenki.md")


def test_the_site_language_comes_from_jekyll_or_hugo_config(tmp_path: Path) -> None:
    from postctl.site.config import load_config

    (tmp_path / "hugo.toml").write_text('languageCode = "ja-jp"\ntitle = "T"\n')
    assert load_config(tmp_path).lang == "ja-jp"
    (tmp_path / "hugo.toml").write_text('defaultContentLanguage = "ko"\n')
    assert load_config(tmp_path).lang == "ko"
    (tmp_path / "hugo.toml").unlink()
    (tmp_path / "_config.yml").write_text("lang: zh-CN\n")
    assert load_config(tmp_path).lang == "zh-CN"
    (tmp_path / "_config.yml").write_text("title: no language\n")
    assert load_config(tmp_path).lang is None
