"""One post's front matter edited byte-exactly in YAML, TOML and JSON (postctl.edit.postedit):
values given as written text, keys inserted where ``new`` puts them, every result verified."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from postctl.edit.edits import Edit, UneditableError
from postctl.edit.postedit import current_text, edited
from postctl.edit.splice import insert_key, set_text
from postctl.edit.verify import VerificationError, verify_rewrite
from postctl.text.source import Source, split_source

TOML = ('+++\ntitle = "Hi"  # the title\ndate = 2024-01-02T03:04:05+02:00\n'
        "draft = true # not yet\naliases = [\"/a/\", '/b']\ntags = [\n  \"x\",\n  \"y\"\n]\n"
        "[params]\nfoo = 1\n+++\nBody = 1\n")
JSON = '{\n  "title": "Hi",\n  "draft": true,\n  "aliases": [\n    "/a/"\n  ]\n}\nbody\n'


def _source(text: str, name: str = "p.md") -> Source:
    return split_source(text.encode("utf-8"), Path(name))


def test_toml_values_are_replaced_in_place_comments_kept() -> None:
    new = edited(_source(TOML), [Edit("draft", "set", False),
                                 Edit("title", "set", 'New "T"')])
    assert new.decode() == TOML.replace("draft = true", "draft = false").replace(
        '"Hi"', '"New \\"T\\""')


def test_toml_date_text_is_written_as_given() -> None:
    moment = dt.datetime(2025, 5, 6, 7, 8, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    new = edited(_source(TOML), [Edit("date", "set", moment, text="2025-05-06T07:08:00+02:00")])
    assert new.decode() == TOML.replace("2024-01-02T03:04:05", "2025-05-06T07:08:00")


def test_toml_insert_goes_before_the_next_key_or_before_the_tables() -> None:
    new = edited(_source(TOML), [Edit("slug", "insert", "s", before="date")])
    assert new.decode() == TOML.replace("# the title\n", '# the title\nslug = "s"\n')
    last = edited(_source(TOML), [Edit("slug", "insert", "s")])
    assert last.decode() == TOML.replace("[params]", 'slug = "s"\n[params]')


def test_toml_multiline_string_is_one_value_and_its_lines_are_not_keys() -> None:
    text = '+++\na = """\nfoo = 1\n"""\nb = 2\n[t]\nc = 3\n+++\n'
    new = edited(_source(text), [Edit("a", "set", "x")])
    assert new.decode() == '+++\na = "x"\nb = 2\n[t]\nc = 3\n+++\n'
    assert current_text(_source(text), "foo") is None


def test_json_edits_and_insert_leave_other_lines_alone() -> None:
    new = edited(_source(JSON), [Edit("draft", "set", False),
                                 Edit("date", "insert", "2024", text='"2024"', before="draft")])
    assert new.decode() == ('{\n  "title": "Hi",\n  "date": "2024",\n  "draft": false,\n'
                            '  "aliases": [\n    "/a/"\n  ]\n}\nbody\n')


def test_crlf_and_bom_are_kept_in_toml() -> None:
    raw = b"\xef\xbb\xbf" + TOML.replace("\n", "\r\n").encode()
    source = split_source(raw, Path("p.md"))
    new = edited(source, [Edit("draft", "set", False), Edit("slug", "insert", "s",
                                                             before="date")])
    assert new.startswith(b"\xef\xbb\xbf")
    assert new.replace(b'slug = "s"\r\n', b"") == raw.replace(b"draft = true", b"draft = false")


def test_verification_catches_a_wrong_toml_rewrite() -> None:
    source = _source(TOML)
    wrong = TOML.replace("foo = 1", "foo = 2").replace("draft = true", "draft = false")
    with pytest.raises(VerificationError):
        verify_rewrite(source, wrong.encode(), [Edit("draft", "set", False)])


def test_verification_catches_a_text_that_does_not_read_as_its_value() -> None:
    with pytest.raises(VerificationError):
        edited(_source("---\ntitle: x\n---\n"), [Edit("title", "set", "y", text="z")])


def test_current_text_in_each_language() -> None:
    assert current_text(_source(TOML), "date") == "2024-01-02T03:04:05+02:00"
    assert current_text(_source(JSON), "draft") == "true"
    assert current_text(_source("---\ntitle: 'x'\n---\n"), "title") == "'x'"
    assert current_text(_source("---\ntitle: x\n---\n"), "date") is None
    assert current_text(_source(TOML), "nope") is None
    assert current_text(_source(JSON), "nope") is None


def test_yaml_insert_before_a_key_and_as_a_block_list() -> None:
    text = "title: x\ntags:\n  - a\nlast: 1\n"
    assert insert_key(text, "date", None, "\n", "last", "2024-01-01") == (
        "title: x\ntags:\n  - a\ndate: 2024-01-01\nlast: 1\n")
    assert insert_key(text, "r", None, "\r\n", None, "\n  - /old/") == text + "r:\r\n  - /old/\r\n"


def test_yaml_set_text_keeps_the_comment_and_refuses_block_values() -> None:
    assert set_text("date: 1 # c\n", "date", "2") == "date: 2 # c\n"
    with pytest.raises(UneditableError):
        set_text("date: |\n  x\n", "date", "2")


def test_yaml_insert_in_the_middle_passes_verification() -> None:
    source = _source("---\ntitle: x\nlast: 1\n---\nbody\n")
    new = edited(source, [Edit("date", "insert", dt.date(2024, 1, 1), text="2024-01-01",
                               before="last")])
    assert new == b"---\ntitle: x\ndate: 2024-01-01\nlast: 1\n---\nbody\n"
