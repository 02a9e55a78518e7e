"""What a renderer draws of a long body: tables stopped after N rows (the others counted
exactly, as markdown-it would have parsed them), the body cut after N lines or characters,
and what each says about what it leaves out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit

from postctl.render import window
from postctl.render.markdown import MORE_ROWS, cells, parser
from postctl.render.prepare import CLOSE, OPEN
from postctl.render.window import Limits, cut, hidden_note, more_rows, parse_window

SMALL = Limits(lines=20, chars=10_000, rows=3)


def table(rows: int, header: str = "| a | b |\n|---|---|\n") -> str:
    return header + "".join(f"| {index} | x |\n" for index in range(rows))


def more(tokens) -> list[int]:
    return [token.meta["rows"] for token in tokens if token.type == MORE_ROWS]


def body_rows(tokens) -> int:
    return sum(1 for token in tokens if token.type == "tr_open") - 1  # minus the header row


# --- the table rule ----------------------------------------------------------------------


@given(st.text(alphabet="|\\a ", max_size=12).map(str.strip))
def test_cells_count_as_markdown_it_splits(row: str) -> None:
    columns = escapedSplit(row)
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    assert cells(row) == len(columns)


def test_a_long_table_keeps_its_first_rows_and_counts_the_others() -> None:
    tokens = parser(rows=3).parse(table(10) + "\nafter\n")
    assert body_rows(tokens) == 3
    assert more(tokens) == [7]
    assert tokens[0].map == [0, 12]
    assert [t.content for t in tokens if t.type == "inline"][-1] == "after"


def test_a_short_table_is_untouched() -> None:
    source = table(3) + "\nafter\n"
    assert [t.type for t in parser(rows=3).parse(source)] == \
        [t.type for t in MarkdownIt().enable("table").parse(source)]


ROW_LINES = st.sampled_from([
    "| 1 | 2 |", "| 1 |", "| 1 | 2 | 3 |", "1 | 2", "| a \\| b |", "", "   ", "> quote",
    "- item", "1. item", "# heading", "```", "***", "    | code |", "<div>", "text", "|",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(ROW_LINES, max_size=12), st.integers(min_value=0, max_value=4))
def test_counted_rows_end_where_markdown_it_ends_the_table(lines: list[str], rows: int) -> None:
    source = "| a | b |\n|---|---|\n" + "\n".join(lines) + "\nafter\n"
    reference = MarkdownIt().enable("table").parse(source)
    limited = parser(rows=rows).parse(source)
    assert limited[0].map == reference[0].map
    total = body_rows(reference)
    assert body_rows(limited) == min(total, rows)
    assert more(limited) == ([total - rows] if total > rows else [])
    after_table = [t.type for t in reference[reference.index(_close(reference)) + 1:]]
    assert after_table == [t.type for t in limited[limited.index(_close(limited)) + 1:]
                           if t.type != MORE_ROWS]


def _close(tokens):
    return next(token for token in tokens if token.type == "table_close")


def test_the_parser_accepts_every_target_for_the_renderers_to_judge() -> None:
    tokens = parser(rows=3).parse("[x](javascript:alert(1)) <vbscript:x>")
    hrefs = [child.attrs["href"] for child in tokens[1].children or ()
             if child.type == "link_open"]
    assert hrefs == ["javascript:alert(1)", "vbscript:x"]


# --- the window -------------------------------------------------------------------------------


def test_a_short_body_is_parsed_whole() -> None:
    parsed = parse_window("# Title\n\nText.\n", SMALL)
    assert parsed.hidden_lines == 0 and hidden_note(parsed) is None
    assert [t.type for t in parsed.tokens][:3] == ["heading_open", "inline", "heading_close"]


def test_a_long_body_is_cut_at_a_blank_line_and_the_rest_counted() -> None:
    body = "".join(f"paragraph {index}\n\n" for index in range(40))
    parsed = parse_window(body, SMALL)
    shown = [t.content for t in parsed.tokens if t.type == "inline"]
    assert shown == [f"paragraph {index}" for index in range(10)]
    assert (parsed.hidden_lines, parsed.hidden_chars) == (60, len("".join(
        f"paragraph {index}\n\n" for index in range(10, 40))))
    assert hidden_note(parsed) == (f"60 more lines of the body ({parsed.hidden_chars:,} "
                                   "characters) not shown (postctl preview --raw shows them)")


def test_the_cut_falls_at_the_character_limit_too() -> None:
    body = "word " * 5000
    end = cut(body, Limits(lines=100, chars=1000, rows=3))
    assert end <= 1000 and body[:end].endswith(" ")


def test_the_cut_never_splits_a_placeholder() -> None:
    body = "x" * 997 + f"{OPEN}12{CLOSE}" + "y" * 100
    assert cut(body, Limits(lines=100, chars=1000, rows=3)) == 997


def test_a_table_the_cut_falls_in_is_shown_from_its_start_and_counted_to_its_end() -> None:
    body = "intro\n\n" + table(500) + "\nafter\n\nmore\n"
    parsed = parse_window(body, Limits(lines=12, chars=10_000, rows=3))
    assert body_rows(parsed.tokens) == 3
    assert more(parsed.tokens) == [497]
    assert (parsed.hidden_lines, parsed.hidden_chars) == (4, len("\nafter\n\nmore\n"))


def test_a_table_that_starts_just_before_the_cut_keeps_its_rows() -> None:
    body = "".join(f"p{index}\n" for index in range(9)) + "\n" + table(50)
    parsed = parse_window(body, Limits(lines=12, chars=10_000, rows=20))
    assert body_rows(parsed.tokens) == 20
    assert more(parsed.tokens) == [30]
    assert parsed.hidden_lines == 0


def test_a_table_longer_than_a_slice_is_counted_in_slices(monkeypatch) -> None:
    monkeypatch.setattr(window, "SLICE", 7)
    body = table(100) + "\nafter\n"
    parsed = parse_window(body, Limits(lines=5, chars=10_000, rows=2))
    assert body_rows(parsed.tokens) == 2
    assert more(parsed.tokens) == [98]
    assert parsed.hidden_lines == 2


def test_a_table_that_ends_the_body() -> None:
    parsed = parse_window(table(100), Limits(lines=5, chars=10_000, rows=2))
    assert more(parsed.tokens) == [98] and parsed.hidden_lines == 0


@pytest.mark.parametrize(("rows", "text"), [
    (1, "… 1 more row not shown (postctl preview --raw shows them)"),
    (76934, "… 76,934 more rows not shown (postctl preview --raw shows them)"),
])
def test_more_rows_text(rows: int, text: str) -> None:
    assert more_rows(rows) == text


def test_the_limits_are_the_documented_ones() -> None:
    from pathlib import Path

    guarantees = " ".join((Path(__file__).resolve().parents[2] / "docs" / "guarantees.md")
                          .read_text(encoding="utf-8").split())
    terminal, page = window.TERMINAL, window.PAGE
    assert (f"`preview` draws at most {terminal.lines:,} lines ({terminal.chars // 1024} KiB) "
            f"of a body and {terminal.rows} rows of a table (the HTML page {page.lines:,} lines "
            f"and {page.rows:,} rows)") in guarantees
