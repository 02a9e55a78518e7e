"""Site configuration (postctl.site.config): postctl.toml, [tool.postctl], Jekyll and Hugo files."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.errors import ConfigError
from postctl.site.config import DEFAULT_EXCLUDES, Config, Limits, load_config


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def config_error(root: Path, files: dict[str, str | bytes]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(root, files))
    return caught.value


def test_no_config_files(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert config.limits == Limits(10 * 1024 * 1024, 256 * 1024)


def test_postctl_toml(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"postctl.toml": """
flavour = "jekyll"
timezone = "Europe/Berlin"
posts = ["blog/_posts"]
drafts = "blog/_drafts"
exclude = ["archive"]

[new]
author = "Ann"
extension = "markdown"
list_style = "block"

[slug]
max_length = 40
allow_unicode = true

[limits]
max_file_bytes = 1000
max_front_matter_bytes = 100

[lint]
select = ["E"]
"""}))
    assert config.path == tmp_path / "postctl.toml"
    assert (config.flavour, config.timezone) == ("jekyll", "Europe/Berlin")
    assert config.posts_dirs == ("blog/_posts",)
    assert config.drafts_dirs == ("blog/_drafts",)
    assert config.exclude == (*DEFAULT_EXCLUDES, "archive")
    assert (config.new.author, config.new.extension, config.new.list_style) == (
        "Ann", ".markdown", "block")
    assert (config.slug.max_length, config.slug.allow_unicode) == (40, True)
    assert config.limits == Limits(1000, 100)
    assert config.lint == {"select": ["E"]}


def test_pyproject_tool_table(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"pyproject.toml": """
[project]
name = "blog"

[tool.postctl]
timezone = "UTC"
"""}))
    assert config.path == tmp_path / "pyproject.toml"
    assert config.timezone == "UTC"


def test_postctl_toml_wins_over_pyproject(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {
        "postctl.toml": 'timezone = "UTC"\n',
        "pyproject.toml": '[tool.postctl]\ntimezone = "Asia/Tokyo"\n',
    }))
    assert config.path == tmp_path / "postctl.toml" and config.timezone == "UTC"


def test_pyproject_without_tool_table(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, {"pyproject.toml": "tool = 1\n"})).path is None
    assert load_config(write(tmp_path, {"pyproject.toml": "[tool.black]\n"})).path is None


def test_jekyll_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"_config.yml": """
timezone: America/New_York
future: true
permalink: /:year/:title/
exclude: [drafts-old, docs/]
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post}
  - scope: {path: news}
    values: {category: news}
  - values: {author: Ann}
  - scope: {path: x}
    values: not a mapping
"""}))
    assert config.flavour == "jekyll"
    assert config.timezone == "America/New_York"
    assert config.future is True
    assert config.permalink == "/:year/:title/"
    assert config.exclude == (*DEFAULT_EXCLUDES, "drafts-old", "docs/")
    assert config.jekyll_defaults == (
        ("", "posts", {"layout": "post"}),
        ("news", None, {"category": "news"}),
        ("", None, {"author": "Ann"}),
    )


def test_jekyll_config_with_bom_and_empty(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"_config.yml": "\ufefftimezone: UTC\n".encode()}))
    assert config.timezone == "UTC"
    (tmp_path / "_config.yml").write_text("# nothing\n")
    assert load_config(tmp_path).timezone is None


def test_postctl_timezone_wins_over_jekyll(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"postctl.toml": 'timezone = "UTC"\n',
                                          "_config.yml": "timezone: Asia/Tokyo\n"}))
    assert config.timezone == "UTC"


def test_hugo_config(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {"hugo.toml": 'timeZone = "Asia/Tokyo"\n'
                                                       'contentDir = "posts-src"\n'}))
    assert (config.flavour, config.timezone, config.content_dir) == (
        "hugo", "Asia/Tokyo", "posts-src")


def test_hugo_config_toml_needs_a_content_folder(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": 'timeZone = "Asia/Tokyo"\n'})
    assert load_config(tmp_path).flavour is None
    (tmp_path / "content").mkdir()
    assert load_config(tmp_path).flavour == "hugo"


# --- errors name the file and the key ---------------------------------------------------


@pytest.mark.parametrize("toml, key, message", [
    ("timezone = 5\n", "timezone", "expected a string, got 5"),
    ('flavour = "gatsby"\n', "flavour", "expected 'jekyll' or 'hugo', got 'gatsby'"),
    ("posts = 3\n", "posts", "expected a list of strings, got 3"),
    ("posts = [1]\n", "posts", "expected a list of strings, got [1]"),
    ("new = 1\n", "new", "expected a table, got 1"),
    ('[new]\nextension = ".txt"\n', "new.extension", "must be .md or .markdown"),
    ('[new]\nlist_style = "inline"\n', "new.list_style",
     "expected 'flow' or 'block', got 'inline'"),
    ("[slug]\nmax_length = 0\n", "slug.max_length", "expected a positive integer, got 0"),
    ("[slug]\nallow_unicode = 1\n", "slug.allow_unicode", "expected true or false, got 1"),
    ("[limits]\nmax_file_bytes = true\n", "limits.max_file_bytes",
     "expected a positive integer, got True"),
    ('lint = "x"\n', "lint", "expected a table, got 'x'"),
    ('timezone = "Mars/Base"\n', "timezone", "unknown time zone 'Mars/Base'"),
])
def test_postctl_toml_errors(tmp_path: Path, toml: str, key: str, message: str) -> None:
    error = config_error(tmp_path, {"postctl.toml": toml})
    assert (error.path, error.key, error.message) == (tmp_path / "postctl.toml", key, message)
    assert str(error) == f"{tmp_path / 'postctl.toml'}: {key}: {message}"


def test_invalid_toml(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"postctl.toml": "timezone = \n"})
    assert str(error) == (f"{tmp_path / 'postctl.toml'}: invalid TOML: Invalid value "
                          "(at line 1, column 12)")


def test_invalid_pyproject(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"pyproject.toml": "[tool.postctl\n"})
    assert error.path == tmp_path / "pyproject.toml"


def test_pyproject_wrong_type_names_pyproject(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"pyproject.toml": "[tool.postctl]\nposts = 1\n"})
    assert (error.path, error.key) == (tmp_path / "pyproject.toml", "posts")


def test_unknown_jekyll_timezone_names_config_yml(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"_config.yml": "timezone: Mars/Base\n",
                                    "postctl.toml": 'flavour = "jekyll"\n'})
    assert str(error) == f"{tmp_path / '_config.yml'}: timezone: unknown time zone 'Mars/Base'"


def test_unknown_hugo_timezone_names_hugo_toml(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"hugo.toml": 'timeZone = "Mars/Base"\n'})
    assert (error.path, error.key) == (tmp_path / "hugo.toml", "timeZone")


@pytest.mark.parametrize("text, message", [
    ("a: [\n", "invalid YAML: did not find expected node content (line 2)"),
    ("a: !!python/object:os.system x\n",
     "invalid YAML: could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object:os.system' (line 1)"),
    ("- a\n", "must be a mapping of settings"),
])
def test_invalid_jekyll_config(tmp_path: Path, text: str, message: str) -> None:
    error = config_error(tmp_path, {"_config.yml": text})
    assert str(error) == f"{tmp_path / '_config.yml'}: {message}"


def test_jekyll_config_not_utf8(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"_config.yml": b"title: caf\xe9\n"})
    assert error.path == tmp_path / "_config.yml"
    assert "\n" not in str(error)


def test_jekyll_exclude_must_be_a_list(tmp_path: Path) -> None:
    error = config_error(tmp_path, {"_config.yml": "exclude: 5\n"})
    assert (error.path, error.key) == (tmp_path / "_config.yml", "exclude")
    config = load_config(write(tmp_path, {"_config.yml": "exclude: docs\n"}))
    assert config.exclude[-1] == "docs"
