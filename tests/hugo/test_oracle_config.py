"""Hugo's site configuration as Hugo reads it, checked against hugo list: the file formats,
the config folder, content folders per language, permalinks, lower-casing, ugly URLs,
front-matter date settings and the time zone."""

from __future__ import annotations

from pathlib import Path

from tests.hugo.oracle import BASE_URL, assert_same_as_hugo, write_site

PAGES = {
    "posts/_index.md": "---\ntitle: Posts\n---\n",
    "posts/Hello World.md": "---\ntitle: Hello World\ndate: 2024-01-02T10:30:00\n---\nx\n",
    "posts/slugged.md": "---\ntitle: Slugged\nslug: Mixed Case Slug\ndate: 2023-12-31\n---\n",
    "posts/Trip/index.md": "---\ntitle: The Trip!\ndate: 2022-07-08\n---\n",
    "posts/2021-03-04-named.md": "---\ntitle: Named file\n---\n",
    "About Us/Team.md": "---\ntitle: Team\n---\n",
}


def _content(folder: str = "content") -> dict[str, str]:
    return {f"{folder}/{rel}": text for rel, text in PAGES.items()}


def test_permalink_patterns(cli, tmp_path: Path) -> None:
    config = (f'baseURL = "{BASE_URL}"\ntimeZone = "America/New_York"\n[permalinks]\n'
              'posts = "/:year/:month/:day/:slug/"\n"about us" = "/:sections/:title/"\n')
    assert_same_as_hugo(cli, write_site(tmp_path / "a", _content(), config), ("all",))
    config = (f'baseURL = "{BASE_URL}"\n[permalinks.page]\n'
              'posts = "/p/:slugorfilename/:yearday-:monthname"\n'
              '[permalinks.section]\nposts = "/all-posts/"\n')
    assert_same_as_hugo(cli, write_site(tmp_path / "b", _content(), config), ("all",))
    config = f'baseURL = "{BASE_URL}"\n[permalinks]\nposts = "/:section/:filename/"\n'
    assert_same_as_hugo(cli, write_site(tmp_path / "c", _content(), config), ("all",))


def test_path_case_and_ugly_urls(cli, tmp_path: Path) -> None:
    config = f'baseURL = "{BASE_URL}"\ndisablePathToLower = true\nuglyURLs = true\n'
    assert_same_as_hugo(cli, write_site(tmp_path / "a", _content(), config), ("all",))
    config += '[permalinks]\nposts = "/:year/:slug"\n'
    assert_same_as_hugo(cli, write_site(tmp_path / "b", _content(), config), ("all",))


def test_front_matter_dates_from_other_keys_and_the_file_name(cli, tmp_path: Path) -> None:
    config = (f'baseURL = "{BASE_URL}"\ntimeZone = "Asia/Tokyo"\n[frontmatter]\n'
              'date = [":filename", ":default"]\npublishDate = ["released", ":default"]\n'
              'expiryDate = ["retired"]\n')
    files = {**_content(),
             "content/posts/2020-02-02-old-news.md": "---\ntitle: Old\n---\n",
             "content/posts/released.md":
                 "---\ntitle: R\ndate: 2020-01-01\nreleased: 2099-01-01\n---\n",
             "content/posts/retired.md": "---\ntitle: Ret\nretired: 2021-01-01\n---\n",
             "content/posts/aliases.md":
                 "---\ntitle: Al\npubdate: 2019-05-05\nunpublishdate: 2098-01-01\n---\n"}
    assert_same_as_hugo(cli, write_site(tmp_path / "a", files, config))


def test_yaml_json_and_older_config_files(cli, tmp_path: Path) -> None:
    yaml = f"baseURL: {BASE_URL}\ntimeZone: Europe/Paris\npermalinks:\n  posts: /y/:year/:slug/\n"
    assert_same_as_hugo(cli, write_site(tmp_path / "a", _content(), yaml, "hugo.yaml"), ("all",))
    json = f'{{"baseURL": "{BASE_URL}", "contentDir": "pages", "uglyURLs": true}}'
    assert_same_as_hugo(cli, write_site(tmp_path / "b", _content("pages"), json, "hugo.json"),
                        ("all",))
    toml = f'baseURL = "{BASE_URL}"\n[permalinks]\nposts = "/old/:slug/"\n'
    assert_same_as_hugo(cli, write_site(tmp_path / "c", _content(), toml, "config.toml"),
                        ("all",))


def test_a_config_folder(cli, tmp_path: Path) -> None:
    root = write_site(tmp_path / "a", _content("src"),
                      f'baseURL = "{BASE_URL}"\ncontentDir = "src"\n',
                      "config/_default/hugo.toml")
    (root / "config/_default/permalinks.yaml").write_text("posts: /from-folder/:slug/\n")
    (root / "config/_default/params.toml").write_text("x = 1\n")
    assert_same_as_hugo(cli, root, ("all",))


def test_content_folders_per_language(cli, tmp_path: Path) -> None:
    config = (f'baseURL = "{BASE_URL}"\ndefaultContentLanguage = "en"\n'
              '[languages.en]\ncontentDir = "content/en"\nweight = 1\n'
              '[languages.fr]\ncontentDir = "content/fr"\nweight = 2\n')
    files = {**_content("content/en"), **_content("content/fr"),
             "content/LICENSE.md": "not a page of any language\n"}
    assert_same_as_hugo(cli, write_site(tmp_path / "a", files, config), ("all",))
    in_subdir = "defaultContentLanguageInSubdir = true\n[languages.en]"
    config = config.replace("[languages.en]", in_subdir)
    assert_same_as_hugo(cli, write_site(tmp_path / "b", files, config), ("all",))


def test_without_a_time_zone_hugo_reads_dates_in_utc(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # the machine's zone is not Hugo's default
    config = f'baseURL = "{BASE_URL}"\n'
    assert_same_as_hugo(cli, write_site(tmp_path / "a", _content(), config), ("all",))


def test_dates_from_the_file_modification_time(cli, tmp_path: Path) -> None:
    import os

    config = (f'baseURL = "{BASE_URL}"\ntimeZone = "Europe/Berlin"\n[frontmatter]\n'
              'date = ["date", ":fileModTime"]\n')
    files = {"content/posts/a.md": "---\ntitle: A\n---\n",
             "content/posts/b.md": "---\ntitle: B\ndate: 2020-01-01\n---\n"}
    root = write_site(tmp_path / "a", files, config)
    for name in ("a.md", "b.md"):
        os.utime(root / "content/posts" / name, (1_700_000_000, 1_700_000_000))
    assert_same_as_hugo(cli, root, ("all",))
    os.utime(root / "content/posts/a.md", (1_710_000_000, 1_710_000_000))  # touched only
    assert_same_as_hugo(cli, root, ("all",))


def test_languages_named_in_file_names(cli, tmp_path: Path) -> None:
    config = (f'baseURL = "{BASE_URL}"\ndefaultContentLanguage = "en"\n'
              '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n'
              '[permalinks]\nnews = "/n/:slug/"\n')
    files = {"content/posts/about.md": "---\ntitle: About\n---\n",
             "content/posts/about.fr.md": "---\ntitle: A propos\n---\n",
             "content/posts/trip/index.md": "---\ntitle: Trip\n---\n",
             "content/posts/trip/index.fr.md": "---\ntitle: Voyage\n---\n",
             "content/posts/solo/index.fr.md": "---\ntitle: Solo FR\n---\n",
             "content/posts/solo/notes.md": "---\ntitle: a resource of the French bundle\n---\n",
             "content/posts/_index.fr.md": "---\ntitle: Posts FR\n---\n",
             "content/posts/page.old.md": "---\ntitle: not a language\n---\n",
             "content/news/today.fr.md": "---\ntitle: Aujourd'hui\n---\n"}
    assert_same_as_hugo(cli, write_site(tmp_path / "a", files, config), ("all",))
