"""Edge cases of Hugo's reading, against hugo list: untitled sections and home, text that
is not ASCII in paths and slugs, punctuation, JSON front matter, dates with offsets."""

from __future__ import annotations

from pathlib import Path

from tests.hugo.oracle import assert_same_as_hugo, write_site


def test_untitled_sections_and_odd_names(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {
        "content/_index.md": "---\ndate: 2020-01-01\n---\n",
        "content/news/_index.md": "---\ndraft: false\n---\n",
        "content/news/Ünïcode Pâge.md":
            "---\ntitle: Ça va?\ndate: 2024-03-04T05:06:07+05:30\n---\n",
        "content/news/punct.md": "---\ntitle: P\nslug: \"What's up, doc? (1/2)\"\n---\n",
        "content/news/json.md": '{\n  "title": "J",\n  "date": "2024-05-06T07:08:09Z",\n'
                                '  "draft": true\n}\nbody\n',
        "content/news/numbers.md": "---\ntitle: 2024\nslug: 42\n---\n",
    })
    assert_same_as_hugo(cli, root, ("all",))


def test_nested_sections_bundles_and_languages_with_patterns(cli, tmp_path: Path) -> None:
    config = ('baseURL = "https://example.org/"\ndefaultContentLanguage = "en"\n'
              '[permalinks]\nposts = "/:sections/:slug/"\n'
              '[languages.en]\ncontentDir = "content/en"\n'
              '[languages.de]\ncontentDir = "content/de"\n')
    pages = {
        "posts/_index.md": "---\ntitle: Posts\n---\n",
        "posts/2024/_index.md": "---\ntitle: Year\n---\n",
        "posts/2024/spring/index.md": "---\ntitle: Spring Walk\nslug: Frühling\n---\n",
        "posts/2024/own-url.md": "---\ntitle: Own\nurl: /elsewhere/\n---\n",
        "posts/2024/aliased.md": "---\ntitle: Aliased\naliases: [/old/]\n---\n",
    }
    files = {f"content/{lang}/{rel}": text for lang in ("en", "de") for rel, text in pages.items()}
    assert_same_as_hugo(cli, write_site(tmp_path / "site", files, config), ("all",))


def test_a_top_level_bundle_is_in_no_section(cli, tmp_path: Path) -> None:
    config = 'baseURL = "https://example.org/"\n[permalinks]\nabout = "/team/:slug/"\n'
    files = {"content/about/index.md": "---\ntitle: About Us\n---\n",
             "content/about/_index.md.bak": "x",
             "content/about2/_index.md": "---\ntitle: About Two\n---\n",
             "content/about2/page.md": "---\ntitle: Page Two\n---\n"}
    assert_same_as_hugo(cli, write_site(tmp_path / "site", files, config), ("all",))


def test_markdown_names_in_any_case_and_sections_with_a_status_of_their_own(cli, tmp_path: Path,
                                                                          ) -> None:
    files = {"content/posts/_underscore.md": "---\ntitle: U\n---\n",
             "content/posts/upper.MD": "---\ntitle: Upper\n---\n",
             "content/posts/long.markdown": "---\ntitle: Long\n---\n",
             "content/ds/_index.md": "---\ntitle: DS\ndraft: true\n---\n",
             "content/ds/child.md": "---\ntitle: Child\n---\n",
             "content/fs/_index.md": "---\ntitle: FS\ndate: 2099-01-01\n---\n",
             "content/fs/child.md": "---\ntitle: FChild\ndate: 2020-01-01\n---\n",
             "content/es/_index.md": "---\ntitle: ES\nexpiryDate: 2001-01-01\n---\n",
             "content/es/child.md": "---\ntitle: EChild\n---\n",
             "content/hs/_index.md":
                 "---\ntitle: HS\nbuild:\n  render: never\n  list: never\n---\n",
             "content/hs/child.md": "---\ntitle: HChild\n---\n",
             }
    assert_same_as_hugo(cli, write_site(tmp_path / "site", files))


def test_yaml_and_keys_as_hugo_reads_them(cli, tmp_path: Path) -> None:
    files = {"content/p/yes.md": "---\ntitle: Y\ndraft: yes\n---\n",
             "content/p/str.md": "---\ntitle: S\ndraft: \"true\"\n---\n",
             "content/p/on.md": "---\ntitle: O\ndraft: on\n---\n",
             "content/p/no.md": "---\ntitle: no\ndraft: no\n---\n",
             "content/p/space date.md": "---\ntitle: D\ndate: 2024-01-02 10:00:00\n---\n",
             "content/p/offset.md": "---\ntitle: Off\ndate: 2024-01-02T10:00:00-05:00\n---\n",
             "content/p/Title Case.md":
                 "---\nTitle: Upper Key\nDate: 2023-03-03\nDraft: true\nSlug: Up\n---\n",
             "content/p/num.md": "---\ntitle: 1.50\n---\n",
             "content/p/sexa.md": "---\ntitle: 1:30\n---\n",
             "content/p/one.md": "---\ntitle: One\ndraft: 1\n---\n"}
    assert_same_as_hugo(cli, write_site(tmp_path / "site", files), ("all",))
