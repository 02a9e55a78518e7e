from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from postctl.render import OutputFormat
from postctl.render.output import Output
from postctl.render.rows import write_rows
from tests.render.terminal import FakeStream, plain_env  # noqa: F401 - plain_env: autouse fixture

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CET = dt.timezone(dt.timedelta(hours=1))
FIELDS = ["path", "title", "date", "tags", "draft"]


def make(color: str = "never", tty: bool = False, width: int | None = None) -> Output:
    return Output(color=color, stdout=FakeStream(tty), stderr=FakeStream(tty), width=width)  # type: ignore[arg-type]


def stdout(out: Output) -> str:
    stream = out.stdout
    assert isinstance(stream, FakeStream)
    return stream.getvalue()


def rows() -> list[dict[str, object]]:
    return [
        {
            "path": Path("_posts/2024-03-02-hello.md"),
            "title": "Hello, мир — 漢字 🎉",
            "date": dt.datetime(2024, 3, 2, 9, 15, tzinfo=CET),
            "tags": ["python", "cli"],
            "draft": False,
            "extra": "not a field",
        },
        {
            "path": "_posts/2024-01-05-second.md",
            "title": None,
            "date": dt.date(2024, 1, 5),
            "tags": [],
            "draft": True,
        },
    ]


# --- JSON ---------------------------------------------------------------------------------


def test_json_is_an_array_of_the_chosen_fields_in_order() -> None:
    out = make()
    assert write_rows(rows(), OutputFormat.json, out, fields=FIELDS) == 2
    raw = stdout(out)
    parsed = json.loads(raw)
    assert parsed == [
        {
            "path": "_posts/2024-03-02-hello.md",
            "title": "Hello, мир — 漢字 🎉",
            "date": "2024-03-02T09:15:00+01:00",
            "tags": ["python", "cli"],
            "draft": False,
        },
        {
            "path": "_posts/2024-01-05-second.md",
            "title": None,
            "date": "2024-01-05",
            "tags": [],
            "draft": True,
        },
    ]
    assert [list(item) for item in parsed] == [FIELDS, FIELDS]
    assert "мир — 漢字 🎉" in raw  # readable, not \u-escaped
    assert raw.startswith("[\n  {") and raw.endswith("}\n]\n")


def test_json_missing_field_is_null() -> None:
    out = make()
    write_rows([{"path": "a.md"}], OutputFormat.json, out, fields=["path", "slug"])
    assert json.loads(stdout(out)) == [{"path": "a.md", "slug": None}]


@pytest.mark.parametrize("fmt", [OutputFormat.json, "json"])
def test_json_empty_is_an_empty_array(fmt: OutputFormat) -> None:
    out = make()
    assert write_rows(iter([]), fmt, out, fields=FIELDS) == 0
    assert stdout(out) == "[]\n"


def test_jsonl_is_one_object_per_line() -> None:
    out = make()
    assert write_rows(rows(), OutputFormat.jsonl, out, fields=["path", "date"]) == 2
    lines = stdout(out).splitlines()
    assert [json.loads(line) for line in lines] == [
        {"path": "_posts/2024-03-02-hello.md", "date": "2024-03-02T09:15:00+01:00"},
        {"path": "_posts/2024-01-05-second.md", "date": "2024-01-05"},
    ]


def test_jsonl_empty_writes_nothing() -> None:
    out = make()
    assert write_rows([], OutputFormat.jsonl, out, fields=FIELDS) == 0
    assert stdout(out) == ""


def test_json_control_characters_are_escaped_not_written() -> None:
    title = "evil\x1b[2J\x9b\x7f\u202e title\ud800"
    for fmt in (OutputFormat.json, OutputFormat.jsonl):
        out = make()
        write_rows([{"title": title}], fmt, out, fields=["title"])
        raw = stdout(out)
        assert FORBIDDEN.search(raw.replace("\n", "")) is None
        assert "\u202e" not in raw
        raw.encode("utf-8")
        loaded = json.loads(raw)
        assert (loaded[0] if fmt is OutputFormat.json else loaded) == {"title": title}


@pytest.mark.parametrize("fmt", [OutputFormat.json, OutputFormat.jsonl])
def test_json_rows_write_nan_and_infinity_as_yaml_spells_them(fmt: OutputFormat) -> None:
    out = make()
    row = {"path": "_posts/a.md", "scores": [1.0, math.nan, math.inf, -math.inf]}
    write_rows([row], fmt, out, fields=["path", "scores"])
    loaded = json.loads(stdout(out))
    assert (loaded[0] if fmt is OutputFormat.json else loaded)["scores"] == [
        1.0, ".nan", ".inf", "-.inf"]


# --- CSV ----------------------------------------------------------------------------------


def parse_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_header_and_cells() -> None:
    out = make()
    assert write_rows(rows(), OutputFormat.csv, out, fields=FIELDS) == 2
    raw = stdout(out)
    assert parse_csv(raw) == [
        FIELDS,
        [
            "_posts/2024-03-02-hello.md",
            "Hello, мир — 漢字 🎉",
            "2024-03-02T09:15:00+01:00",
            "python, cli",
            "false",
        ],
        ["_posts/2024-01-05-second.md", "", "2024-01-05", "", "true"],
    ]
    assert raw.endswith("\r\n") and raw.count("\r\n") == 3  # RFC 4180 line ends
    assert '"Hello, мир — 漢字 🎉"' in raw  # quoted because of the comma


def test_csv_empty_is_the_header_only() -> None:
    out = make()
    assert write_rows([], OutputFormat.csv, out, fields=["path", "title"]) == 0
    assert stdout(out) == "path,title\r\n"


def test_csv_keeps_multi_line_values_quoted() -> None:
    out = make()
    write_rows([{"title": 'say "hi"\nthere'}], OutputFormat.csv, out, fields=["title"])
    assert parse_csv(stdout(out)) == [["title"], ['say "hi"\nthere']]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindent", "'\tindent"),
        ("\rcarriage", "'\rcarriage"),
        (["=1", "ok"], "'=1, ok"),
        ("-3", "-3"),
        ("-3.25", "-3.25"),
        ("+4", "+4"),
        ("-1e5", "-1e5"),
        (-3, "-3"),
        (-2.5, "-2.5"),
        ("a=b", "a=b"),
        ("plain", "plain"),
    ],
)
def test_csv_neutralises_formulas_but_not_negative_numbers(value: object, cell: str) -> None:
    out = make()
    write_rows([{"v": value}], OutputFormat.csv, out, fields=["v"])
    assert parse_csv(stdout(out))[1] == [cell]


def test_csv_values_are_data_in_a_pipe_but_sanitised_on_a_terminal() -> None:
    title = "a\x1b[31mb\u202e"
    piped = make(tty=False)
    write_rows([{"title": title}], OutputFormat.csv, piped, fields=["title"])
    assert parse_csv(stdout(piped))[1] == [title]
    terminal = make(tty=True)
    write_rows([{"title": title}], OutputFormat.csv, terminal, fields=["title"])
    assert parse_csv(stdout(terminal))[1] == ["a\\x1b[31mb\\u202e"]


# --- paths --------------------------------------------------------------------------------


def test_paths_one_per_line_sanitised() -> None:
    out = make()
    data: list[dict[str, object]] = [
        {"path": Path("_posts/a.md")},
        {"path": "_posts/evil\x1b]0;x\x07\nname.md"},
        {"path": None},
        {"file": "x", "path": "_drafts/c.md"},
    ]
    assert write_rows(data, OutputFormat.paths, out, fields=["path"]) == 4
    assert stdout(out) == "_posts/a.md\n_posts/evil\\x1b]0;x\\x07\\nname.md\n_drafts/c.md\n"


def test_paths_with_another_key() -> None:
    out = make()
    write_rows(
        [{"file": "a.md", "path": "b.md"}], OutputFormat.paths, out, fields=[], path_key="file"
    )
    assert stdout(out) == "a.md\n"


# --- table --------------------------------------------------------------------------------


def test_table_at_a_pinned_width_without_colour() -> None:
    out = make("never", tty=True, width=60)
    assert write_rows(rows(), OutputFormat.table, out, fields=FIELDS, title="Posts") == 2
    raw = stdout(out)
    assert "\x1b" not in raw
    lines = raw.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert lines[0].strip() == "Posts"
    header = next(line for line in lines if "path" in line)
    assert header.split() == FIELDS
    assert "2024-03-02" in raw and "T09:15" not in raw  # dates shown as YYYY-MM-DD
    assert "2024-01-05" in raw
    assert "python," in raw and "cli" in raw
    assert "мир" in raw and "漢字" in raw


def test_table_cells_are_sanitised_text_not_markup() -> None:
    out = make("never", tty=True, width=120)
    title = "[bold red]markup[/] :smile: \x1b[2J\u202eevil\nline\x9b"
    write_rows(
        [{"path": "a.md", "title": title}], OutputFormat.table, out, fields=["path", "title"]
    )
    raw = stdout(out)
    assert FORBIDDEN.search(raw.replace("\n", "")) is None
    assert "\u202e" not in raw
    assert "[bold red]markup[/] :smile: \\x1b[2J\\u202eevil\\nline\\x9b" in raw


def test_table_folds_long_values_to_fit_the_width() -> None:
    out = make("never", width=30)
    path = "_posts/" + "a-very-long-slug-without-spaces" * 3 + ".md"
    write_rows([{"path": path}], OutputFormat.table, out, fields=["path"])
    lines = stdout(out).splitlines()
    assert max(len(line) for line in lines) <= 30
    body = [line.strip() for line in lines[3:]]  # after the blank line, header and rule
    assert len([line for line in body if line]) > 1
    assert "".join(body) == path  # folded over several lines, nothing cut


def test_table_exact_output() -> None:
    out = make("never", width=40)
    data: list[dict[str, object]] = [
        {"path": "a.md", "date": dt.date(2024, 1, 2)},
        {"path": "bb.md", "date": None},
    ]
    write_rows(data, OutputFormat.table, out, fields=["path", "date"])
    assert stdout(out).splitlines() == [
        "                      ",
        "  path    date        ",
        " ──────────────────── ",
        "  a.md    2024-01-02  ",
        "  bb.md               ",
        "                      ",
    ]


def test_table_has_colour_only_when_colour_is_on() -> None:
    coloured = make("always", width=60)
    write_rows(rows(), OutputFormat.table, coloured, fields=FIELDS)
    assert "\x1b[" in stdout(coloured)
    auto_pipe = make("auto", tty=False, width=60)
    write_rows(rows(), OutputFormat.table, auto_pipe, fields=FIELDS)
    assert "\x1b" not in stdout(auto_pipe)


def test_table_empty_shows_the_header() -> None:
    out = make(width=40)
    assert write_rows([], OutputFormat.table, out, fields=["path", "title"]) == 0
    assert stdout(out).split() == ["path", "title", "─" * len(stdout(out).split()[2])]


# --- streaming ----------------------------------------------------------------------------


def recording_rows(out: Output, seen: list[str], count: int = 3) -> Iterator[Mapping[str, object]]:
    for i in range(count):
        seen.append(stdout(out))  # what had been written before row i was produced
        yield {"path": f"_posts/post-{i}.md", "title": f"Post {i}"}


@pytest.mark.parametrize(
    "fmt", [OutputFormat.json, OutputFormat.jsonl, OutputFormat.csv, OutputFormat.paths]
)
def test_rows_are_written_before_the_next_one_is_read(fmt: OutputFormat) -> None:
    out = make()
    seen: list[str] = []
    assert write_rows(recording_rows(out, seen), fmt, out, fields=["path", "title"]) == 3
    assert "post-0" not in seen[0]
    assert "post-0" in seen[1] and "post-1" not in seen[1]
    assert "post-1" in seen[2] and "post-2" not in seen[2]
    assert "post-2" in stdout(out)


def test_write_rows_does_not_build_a_list() -> None:
    consumed = 0

    def endless() -> Iterator[Mapping[str, object]]:
        nonlocal consumed
        while True:
            consumed += 1
            yield {"path": f"p{consumed}.md"}

    class Stop(Exception):
        pass

    class Limited(FakeStream):
        def write(self, s: str) -> int:
            if "p5.md" in s:
                raise Stop
            return super().write(s)

    limited = Output(stdout=Limited())
    with pytest.raises(Stop):
        write_rows(endless(), OutputFormat.jsonl, limited, fields=["path"])
    assert consumed == 5


# --- start-up cost ------------------------------------------------------------------------


def test_importing_the_render_modules_does_not_import_rich() -> None:
    code = (
        "import sys, postctl.render, postctl.render.rows, postctl.render.output, "
        "postctl.text.sanitize; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
