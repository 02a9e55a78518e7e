"""`postctl preview` end to end: finding the post, what is printed, HTML pages, docs/guarantees.md:
Reading, Terminal, Exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, snapshot

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
NORWAY = "_posts/2024-09-10-yaml-norway-problem.md"
NORWAY_TITLE = "YAML's Norway Problem, and Other Things I've Learned"


@pytest.mark.parametrize(
    "reference",
    [NORWAY, "yaml-norway-problem", "2024-09-10-yaml-norway-problem", "norway", "Norway problem"],
)
def test_preview_by_path_slug_or_words(cli, example_site: Path, reference: str) -> None:
    result = cli("--root", str(example_site), "preview", reference)
    assert result.exit_code == 0, result
    assert NORWAY_TITLE in result.stdout
    assert "The Norway problem" in result.stdout
    assert "countries: [se, dk, no]" in result.stdout
    assert result.stderr == ""


def test_words_need_no_quotes(cli, example_site: Path) -> None:
    result = cli("--root", str(example_site), "preview", "rye", "bread")
    assert result.exit_code == 0, result
    assert "Rye Bread That Actually Rises" in result.stdout


def test_path_relative_to_the_working_folder(cli, example_site: Path, monkeypatch) -> None:
    monkeypatch.chdir(example_site / "_posts")
    result = cli("preview", "2024-09-10-yaml-norway-problem.md")
    assert result.exit_code == 0, result
    assert NORWAY_TITLE in result.stdout


def test_piped_output_is_plain_text_with_the_header(cli, example_site: Path) -> None:
    result = cli("--root", str(example_site), "preview", "rye bread")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    for line in ("Date        2025-09-14 08:30 CEST", "Author      Mara Lindqvist",
                 "Categories  cooking", "Tags        bread, fermentation, berlin",
                 "Path        _posts/2025-09-14-rye-bread-that-actually-rises.markdown"):
        assert line in result.stdout
    assert re.search(r"Length      \d+ words, \d+ min read", result.stdout)
    assert "(/cooking/2023/03/26/sourdough-starter-from-scratch/ →" in result.stdout
    assert "[image: A dark rye loaf cut in half on a wooden board]" in result.stdout
    assert not any(line.endswith(" ") for line in result.stdout.splitlines())


def test_width(cli, example_site: Path) -> None:
    result = cli("--root", str(example_site), "preview", "norway", "--width", "50")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) == 50


def test_colour_always_and_plain(cli, example_site: Path) -> None:
    coloured = cli("--root", str(example_site), "--color", "always", "preview", "norway")
    assert "\x1b[" in coloured.stdout
    plain = cli("--root", str(example_site), "--color", "always", "preview", "norway", "--plain")
    assert "\x1b" not in plain.stdout
    assert NORWAY_TITLE in plain.stdout


def test_raw_shows_the_source_with_line_numbers(cli, example_site: Path) -> None:
    result = cli("--root", str(example_site), "preview", "rye bread", "--raw")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.match(r"\s+1 ---$", lines[0])
    assert re.match(r"\s+2 title: Rye Bread That Actually Rises$", lines[1])
    assert "{% post_url 2023-03-26-sourdough-starter-from-scratch %}" in result.stdout


def test_raw_works_on_a_post_that_cannot_be_parsed(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-01-bad.md": "---\ntitle: [unclosed\n---\nBody\n"})
    assert cli("--root", str(root), "preview", "_posts/2024-01-01-bad.md").exit_code == 1
    result = cli("--root", str(root), "preview", "_posts/2024-01-01-bad.md", "--raw")
    assert result.exit_code == 0, result
    assert "title: [unclosed" in result.stdout


ANY_FILE = {
    "2024-01-01-bad.md": b"---\ntitle: [unclosed\n---\nBody \x1b[31mred\n",
    "2024-01-02-plain.md": b"no front matter here\n\x1b]0;pwned\x07 and more\n",
    "2024-01-03-bom.md": b"\xef\xbb\xbf---\r\ntitle: Bom\r\n---\r\nBody\r\n",
    "2024-01-04-open.md": b"---\ntitle: never closed\nBody\n",
    "2024-01-05-binary.md": b"---\ntitle: x\n---\nnul \x00 and \xff bytes\n",
}


@pytest.mark.parametrize("name", sorted(ANY_FILE))
@pytest.mark.parametrize("how", ["path", "file name", "slug"])
def test_raw_shows_any_file_without_parsing_it(cli, make_site, name: str, how: str) -> None:
    root = make_site(posts={f"_posts/{name}": ANY_FILE[name]})
    reference = {"path": f"_posts/{name}", "file name": name[:-3], "slug": name[11:-3]}[how]
    result = cli("--root", str(root), "preview", reference, "--raw")
    assert result.exit_code == 0, result
    assert not CONTROL.search(result.stdout)
    lines = result.stdout.splitlines()
    source = ANY_FILE[name].decode("utf-8", errors="replace").removeprefix("\ufeff")
    assert len(lines) == len(source.splitlines())
    first = source.splitlines()[0]
    assert re.fullmatch(rf"\s+1 {re.escape(first)}", lines[0])
    assert "\\x1b" in result.stdout or b"\x1b" not in ANY_FILE[name]


def test_unparseable_post_is_a_one_line_error(cli, make_site) -> None:
    root = make_site(posts={"_posts/body_nul_byte.md":
                            (DATA / "hostile" / "body_nul_byte.md").read_bytes()})
    result = cli("--root", str(root), "preview", str(root / "_posts" / "body_nul_byte.md"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


# --- several posts, none ------------------------------------------------------------------------


def test_ambiguous_lists_numbered_candidates_and_exits_2(cli, example_site: Path) -> None:
    result = cli("--root", str(example_site), "preview", "python")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 'python' matches 2 posts"
    assert re.match(r"\s+1\. 2023-11-05  A Tiny Python Script for Renaming Photos  "
                    r"_posts/2023-11-05-a-tiny-python-script-for-renaming-photos\.md$", lines[1])
    assert re.match(r"\s+2\. 2025-04-05  Writing a Small CLI in Python", lines[2])
    assert lines[3].startswith("hint: ")
    assert len(lines) == 4


def test_ambiguous_on_a_terminal_prompts(cli, example_site: Path, monkeypatch) -> None:
    monkeypatch.setattr("postctl.render.output._isatty", lambda stream: True)
    result = cli("--root", str(example_site), "preview", "python", "--no-pager", input="2\n")
    assert result.exit_code == 0, result
    assert "python matches 2 posts:" in result.stderr
    assert "Preview which one? [1-2, q to quit]" in result.stderr
    assert "Writing a Small CLI in Python" in result.stdout
    assert "A Tiny Python Script" not in result.stdout


def test_prompt_refuses_out_of_range_and_eof_is_an_interrupt(cli, example_site: Path,
                                                            monkeypatch) -> None:
    monkeypatch.setattr("postctl.render.output._isatty", lambda stream: True)
    result = cli("--root", str(example_site), "preview", "python", "--no-pager", input="7\n1\n")
    assert result.exit_code == 0
    assert "A Tiny Python Script for Renaming Photos" in result.stdout
    assert cli("--root", str(example_site), "preview", "python", input="").exit_code == 130
    quit_ = cli("--root", str(example_site), "preview", "python", input="q\n")
    assert quit_.exit_code == 130 and quit_.stdout == ""


def test_candidates_are_ranked_as_search_ranks_them(cli, example_site: Path) -> None:
    import json

    found = cli("--root", str(example_site), "search", "allotment compost", "--format", "json")
    ranked = [item["path"] for item in json.loads(found.stdout)]
    assert len(ranked) >= 2
    result = cli("--root", str(example_site), "preview", "allotment", "compost")
    assert result.exit_code == 2
    listed = re.findall(r"  (_posts/\S+)$", result.stderr, flags=re.MULTILINE)
    assert listed == ranked


@pytest.mark.parametrize("reference", ["no-such-post", "words nobody wrote", "_posts/nope.md"])
def test_unknown_post_is_a_usage_error(cli, example_site: Path, reference: str) -> None:
    result = cli("--root", str(example_site), "preview", reference)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: no ")


def test_preview_writes_nothing(cli, example_site: Path) -> None:
    before = snapshot(example_site)
    for args in (["norway"], ["norway", "--raw"], ["python"], ["rye", "bread", "--plain"]):
        cli("--root", str(example_site), "preview", *args)
    assert snapshot(example_site) == before


def test_lint_findings_are_shown_under_the_header(cli, make_site) -> None:
    root = make_site(posts={
        "_posts/2024-01-01-a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n"
                                  "[x]({% post_url 2000-01-01-missing %})\n",
    })
    result = cli("--root", str(root), "preview", "a", "--width", "200")
    assert result.exit_code == 0
    header_end = result.stdout.index("╯")
    finding = re.search(r"error: 5:\d+ \S+ .*2000-01-01-missing", result.stdout)
    assert finding and finding.start() > header_end
    assert "x (broken: {% post_url 2000-01-01-missing %})" in result.stdout


# --- HTML ----------------------------------------------------------------------------------------


def test_html_to_a_file_never_overwrites_without_force(cli, example_site: Path,
                                                       tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    result = cli("--root", str(example_site), "preview", "norway", "--html", str(target))
    assert result.exit_code == 0, result
    assert result.stdout == f"{target}\n"
    page = target.read_text(encoding="utf-8")
    assert f"<title>{NORWAY_TITLE.replace(chr(39), '&#x27;')}</title>" in page
    target.write_text("mine", encoding="utf-8")
    refused = cli("--root", str(example_site), "preview", "norway", f"--html={target}")
    assert refused.exit_code == 3
    assert "already exists" in refused.stderr
    assert target.read_text(encoding="utf-8") == "mine"
    forced = cli("--root", str(example_site), "preview", "norway", "--html", str(target),
                 "--force")
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_html_without_a_file_goes_to_a_temporary_file(cli, example_site: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    result = cli("--root", str(example_site), "preview", "norway", "--html")
    assert result.exit_code == 0, result
    path = Path(result.stdout.strip())
    assert path.is_file() and path.suffix == ".html"
    assert "Norway Problem, and Other Things" in path.read_text(encoding="utf-8")
    assert path.is_relative_to(tmp_path) and not path.is_relative_to(example_site)


def test_a_page_without_a_file_stays_in_the_tests_temporary_folder(
        cli, example_site: Path, tmp_path_factory) -> None:
    # no tempdir of its own here: the suite's setting keeps the page out of the system's
    result = cli("--root", str(example_site), "preview", "norway", "--html")
    assert result.exit_code == 0, result
    page = Path(result.stdout.strip())
    assert page.is_file() and page.parent.name.startswith("postctl-preview-")
    assert page.is_relative_to(tmp_path_factory.getbasetemp())


def test_open_shows_the_page_in_a_browser(cli, example_site: Path, monkeypatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    result = cli("--root", str(example_site), "preview", "norway", "--open")
    assert result.exit_code == 0
    (url,) = opened
    assert url.startswith("file://") and url.endswith(".html")
    assert Path(result.stdout.strip()).as_uri() == url


def test_allow_html(cli, make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-h.md": "---\ntitle: H\n---\n<b>x</b>\n"})
    escaped = tmp_path / "e.html"
    kept = tmp_path / "k.html"
    cli("--root", str(root), "preview", "h", "--html", str(escaped))
    cli("--root", str(root), "preview", "h", "--html", str(kept), "--allow-html")
    assert "&lt;b&gt;x&lt;/b&gt;" in escaped.read_text()
    assert "<b>x</b>" in kept.read_text()


def test_html_reports_targets_shown_as_text(cli, make_site, tmp_path: Path) -> None:
    root = make_site(posts={"_posts/2024-01-01-a.md": "---\ntitle: A\n---\n"
                            "[x](javascript:alert(1)) {% link ../../etc/passwd %}\n"})
    target = tmp_path / "a.html"
    result = cli("--root", str(root), "preview", "a", "--html", str(target))
    assert result.exit_code == 0, result
    assert result.stdout == f"{target}\n"
    assert result.stderr.splitlines() == [
        "warning: _posts/2024-01-01-a.md: javascript:alert(1) is not an http, https, mailto "
        "or site-relative URL: shown as text",
        "warning: _posts/2024-01-01-a.md: {% link ../../etc/passwd %} leaves the site: shown "
        "as text, not followed"]
    page = target.read_text(encoding="utf-8")
    assert 'href="javascript' not in page and "etc/passwd%" not in page


# --- large posts ----------------------------------------------------------------------------

MB = 1_000_000


def prose(size: int) -> str:
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do".split()
    paragraph = " ".join(words[(index * 7) % len(words)] for index in range(80))
    return (paragraph + "\n\n") * (size // (len(paragraph) + 2))


def table(size: int) -> str:
    rows = "".join(f"| cell {index} | {index * 7} | text {index % 13} |\n"
                   for index in range(size // 32))
    return "| name | value | note |\n|---|---:|---|\n" + rows


# Runs a command and writes its wall time (s), peak memory (KB) and exit code to a file. A
# child reports at least the memory of the process it was started from, so the command is
# started from this small process, not from pytest (hundreds of MB by then).
MEASURE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_pid, status, usage = os.wait4(process.pid, 0)
process.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as report:
    json.dump([time.perf_counter() - start, usage.ru_maxrss, process.returncode], report)
"""


def run_measured(folder: Path, *args: str) -> tuple[float, float, str]:
    """Wall time (s), peak memory (MB) and stdout of the installed ``postctl ARGS``, which
    must exit 0."""
    import json

    script = Path(sys.executable).parent / "postctl"
    out, err, report = folder / "stdout", folder / "stderr", folder / "measured.json"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        subprocess.run([sys.executable, "-c", MEASURE, str(report), str(script), *args],
                       stdout=stdout, stderr=stderr, check=True, timeout=300)
    seconds, peak, code = json.loads(report.read_text())
    assert code == 0, err.read_text(errors="replace")
    return seconds, peak / 1024, out.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "size"), [("prose", 8 * MB), ("table", 3 * MB)])
@pytest.mark.parametrize("mode", [["--plain", "--no-pager"], ["--raw"]])
def test_large_posts_preview_in_bounded_time_and_memory(make_site, tmp_path: Path, shape: str,
                                                        size: int, mode: list[str]) -> None:
    make = prose if shape == "prose" else table
    small = make(size // 4)
    root = make_site(posts={"_posts/2024-01-01-small.md": f"---\ntitle: S\n---\n{small}",
                            "_posts/2024-01-02-large.md": f"---\ntitle: L\n---\n{make(size)}"})
    quarter = run_measured(tmp_path, "--root", str(root), "preview",
                           "_posts/2024-01-01-small.md", *mode)
    seconds, peak, stdout = run_measured(tmp_path, "--root", str(root), "preview",
                                         "_posts/2024-01-02-large.md", *mode)
    assert seconds < 20 and peak < 400, (seconds, peak)
    assert seconds < 4 * quarter[0] + 2 and peak < 4 * quarter[1], (seconds, quarter)
    if mode == ["--raw"]:
        assert stdout.count("\n") >= (size // 32 if shape == "table" else size // 500)
    elif shape == "table":
        assert re.search(r"… [\d,]+ more rows not shown", stdout)
    else:
        assert re.search(r"… [\d,]+ more lines of the body", stdout)


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["short lines", "one line"])
def test_raw_of_any_shape_is_linear(make_site, tmp_path: Path, shape: str) -> None:
    def make(size: int) -> str:
        return "a\n" * (size // 2) if shape == "short lines" else "word " * (size // 5)

    root = make_site(posts={"_posts/2024-01-01-small.md": make(2 * MB),
                            "_posts/2024-01-02-large.md": make(8 * MB)})
    quarter = run_measured(tmp_path, "--root", str(root), "preview",
                           "_posts/2024-01-01-small.md", "--raw")
    seconds, peak, stdout = run_measured(tmp_path, "--root", str(root), "preview",
                                         "_posts/2024-01-02-large.md", "--raw")
    assert seconds < 20 and peak < 400, (seconds, peak)
    assert seconds < 4 * quarter[0] + 2 and peak < 4 * quarter[1], (seconds, quarter)
    rows = stdout.splitlines()
    assert all(len(row) <= 100 for row in rows)
    if shape == "short lines":
        assert len(rows) == 4 * MB and rows[-1].split() == ["4000000", "a"]
    else:
        assert stdout.count("word") == 8 * MB // 5 and rows[0].startswith("  1 word")


# --- docs/guarantees.md: Terminal -------------------------------------------------------

HOSTILE = sorted(p.name for p in (DATA / "hostile").glob("*.md") if p.name != "body_nul_byte.md")


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("mode", [[], ["--raw"], ["--plain"]])
def test_hostile_content_never_reaches_the_terminal(cli, hostile_site: Path, name: str,
                                                    mode: list[str]) -> None:
    result = cli("--root", str(hostile_site), "preview", f"_posts/2024-05-01-{name}", *mode)
    assert result.exit_code == 0, result
    assert not CONTROL.search(result.stdout), CONTROL.findall(result.stdout)
    assert not CONTROL.search(result.stderr), CONTROL.findall(result.stderr)


def test_content_hidden_by_deep_nesting_is_reported(cli, hostile_site: Path) -> None:
    result = cli("--root", str(hostile_site), "preview", "_posts/2024-05-01-body_deep_nesting.md",
                 "--width", "200")
    assert result.exit_code == 0
    assert ("warning: the body nests blocks deeper than 20 levels: what is nested deeper, and "
            "possibly what follows it, is not shown (see it with --raw)") in result.stdout
    assert "• level" in result.stdout
    raw = cli("--root", str(hostile_site), "preview", "_posts/2024-05-01-body_deep_nesting.md",
              "--raw")
    assert "after" in raw.stdout


def test_hostile_candidates_list_is_sanitised(cli, hostile_site: Path) -> None:
    result = cli("--root", str(hostile_site), "preview", "title")
    assert result.exit_code == 2
    assert "\\x1b[31mALERT" in result.stderr
    assert not CONTROL.search(result.stderr)


def test_hostile_file_name(cli, make_site) -> None:
    root = make_site(posts={"_posts/2024-01-01-a\x1b[31mb.md": "---\ntitle: T\n---\nx\n"})
    result = cli("--root", str(root), "preview", "T")
    assert result.exit_code == 0, result
    assert "a\\x1b[31mb.md" in result.stdout
    assert not CONTROL.search(result.stdout)


def test_entry_point(example_site: Path) -> None:
    """Through the installed script, as a user runs it (piped: no pager, no colour)."""
    script = Path(sys.executable).parent / "postctl"
    result = subprocess.run([str(script), "--root", str(example_site), "preview", "norway"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert NORWAY_TITLE in result.stdout and "\x1b" not in result.stdout
