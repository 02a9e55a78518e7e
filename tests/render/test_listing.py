"""render.listing and render.status: pipes get aligned text, data is data, failures are named."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from postctl.errors import SourceError, UsageError
from postctl.render import OutputFormat
from postctl.render.listing import parse_fields, report_unreadable, write_items, write_plain
from postctl.render.output import Output
from postctl.render.status import human_size, write_status


def _out() -> tuple[Output, io.StringIO, io.StringIO]:
    stdout, stderr = io.StringIO(), io.StringIO()
    return Output(color="never", stdout=stdout, stderr=stderr), stdout, stderr


def test_fields_keep_their_order_once_each() -> None:
    assert parse_fields(None) is None
    assert parse_fields(" title, date,title ,,") == ("title", "date")
    with pytest.raises(UsageError, match="--fields"):
        parse_fields(" , ")


def test_plain_columns_are_aligned_and_sanitised() -> None:
    out, stdout, _ = _out()
    rows = [{"name": "a\x1b[31m", "count": 12}, {"name": "longer name", "count": 3}]
    assert write_plain(rows, ("name", "count"), out) == 2
    lines = stdout.getvalue().splitlines()
    assert lines[0].startswith("NAME") and "\x1b" not in stdout.getvalue()
    assert len({line.index(line.split()[-1]) for line in lines}) == 1  # one count column


@pytest.mark.parametrize("fmt", [OutputFormat.json, OutputFormat.jsonl])
@pytest.mark.parametrize("count", [0, 1, 1200])
def test_items_are_one_array_or_lines(fmt: OutputFormat, count: int) -> None:
    out, stdout, _ = _out()
    items = [json.dumps({"n": n}).encode() for n in range(count)]
    assert write_items(iter(items), fmt, out) == count
    text = stdout.getvalue()
    parsed = (json.loads(text) if fmt is OutputFormat.json
              else [json.loads(line) for line in text.splitlines()])
    assert parsed == [{"n": n} for n in range(count)]


def test_unreadable_posts_are_a_warning_or_under_strict_a_failure(tmp_path: Path,
                                                                   monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    errors = [SourceError(tmp_path / "_posts" / "a.md", "bad", 3, 1, "E004")]
    out, stdout, stderr = _out()
    assert report_unreadable([], out, strict=True) is False
    assert stderr.getvalue() == ""
    assert report_unreadable(errors, out, strict=False) is False
    assert stderr.getvalue().splitlines() == [
        str(SourceError(Path("_posts/a.md"), "bad", 3, 1, "E004")),
        "warning: 1 post could not be read and was skipped (--strict makes this an error)"]
    out, stdout, stderr = _out()
    assert report_unreadable(errors * 2, out, strict=True) is True
    assert stderr.getvalue().splitlines()[-1] == "Error: 2 posts could not be read"
    assert stdout.getvalue() == ""


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (90_624, "88.5 KiB"),
    (5 * 1024**2, "5.0 MiB"), (3 * 1024**4, "3072.0 GiB")])
def test_sizes_read_as_a_human_reads_them(size: int, shown: str) -> None:
    assert human_size(size) == shown


def test_status_lines_and_json() -> None:
    facts = {"posts": 20, "size": 2048, "updated": None}
    out, stdout, _ = _out()
    write_status(facts, None, out)
    assert stdout.getvalue().splitlines() == ["posts:     20", "size:      2.0 KiB", "updated:   "]
    out, stdout, _ = _out()
    write_status(facts, OutputFormat.json, out)
    assert json.loads(stdout.getvalue()) == facts
