from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from postctl.catalog.database import index_file
from tests.cli.test_list import GEN_CORPUS


def test_index_refreshes_and_reports(cli, example_site) -> None:
    result = cli("--root", str(example_site), "index", "--format", "json")
    assert result.exit_code == 0, result
    facts = json.loads(result.stdout)
    assert (facts["posts"], facts["scanned"], facts["changed"], facts["removed"]) == (20, 20, 20, 0)
    assert facts["location"] == str(index_file(example_site))
    assert Path(facts["location"]).is_file() and facts["size"] > 0
    again = json.loads(cli("--root", str(example_site), "index", "--format", "json").stdout)
    assert again["changed"] == 0 and again["posts"] == 20


def test_status_does_not_refresh(cli, example_site) -> None:
    status = cli("--root", str(example_site), "index", "--status")
    assert status.exit_code == 0
    lines = dict(line.split(":", 1) for line in status.stdout.splitlines())
    assert lines["posts"].strip() == "0"
    assert lines["location"].strip() == str(index_file(example_site))
    cli("--root", str(example_site), "list")
    status = cli("--root", str(example_site), "index", "--status").stdout
    assert "posts:     20" in status and "errors:    0" in status
    assert "KiB" in status or "MiB" in status


def test_rebuild_reads_everything_again(cli, example_site) -> None:
    cli("--root", str(example_site), "index")
    facts = json.loads(cli("--root", str(example_site), "index", "--rebuild",
                           "--format", "json").stdout)
    assert facts["changed"] == 20


def test_unusable_cache_is_a_usage_error(cli, example_site, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = cli("--root", str(example_site), "index",
                 env={"POSTCTL_CACHE_DIR": str(blocker / "x")})
    assert result.exit_code == 2
    assert "POSTCTL_CACHE_DIR" in result.stderr


def test_damaged_index_is_rebuilt_by_list(cli, example_site) -> None:
    cli("--root", str(example_site), "index")
    path = index_file(example_site)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    path.write_bytes(bytes(data))
    result = cli("--root", str(example_site), "list", "--format", "json")
    assert result.exit_code == 0, result
    assert len(json.loads(result.stdout)) == 19
    assert len(result.stderr.splitlines()) == 1 and "rebuild" in result.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_when_slow(monkeypatch) -> None:
    from postctl.render.output import Output
    from postctl.render.progress import ProgressBar

    monkeypatch.setenv("TERM", "xterm")
    terminal = _Terminal()
    bar = ProgressBar(Output(stderr=terminal, color="never"), delay=0.0)
    for done in range(0, 100, 10):
        bar(done, 100)
    assert bar.shown
    bar._progress.refresh()
    assert "Updating the site index" in terminal.getvalue()
    bar.close()
    assert "\x1b[3" not in terminal.getvalue()  # no colour

    for stream, delay in ((_Terminal(), 60.0), (io.StringIO(), 0.0)):
        bar = ProgressBar(Output(stderr=stream), delay=delay)
        bar(10, 100)
        bar.close()
        assert not bar.shown and stream.getvalue() == ""


def test_two_processes_at_once_never_corrupt_the_index(tmp_path: Path) -> None:
    if not GEN_CORPUS.exists():
        pytest.skip("gen_corpus.py is not available")
    root = tmp_path / "site"
    subprocess.run([sys.executable, str(GEN_CORPUS), "--posts", "1200", "--seed", "3",
                    str(root)], check=True, stdout=subprocess.DEVNULL)
    env = {**os.environ, "POSTCTL_INDEX_WORKERS": "2"}
    postctl = [sys.executable, "-m", "postctl", "--root", str(root)]

    def together(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
        running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, env=env) for command in commands]
        results = []
        for process, command in zip(running, commands, strict=True):
            out, err = process.communicate(timeout=300)
            results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
        return results

    listing = [*postctl, "list", "--all", "--format", "json"]
    first = together(listing, listing, [*postctl, "index"])
    assert [r.returncode for r in first] == [0, 0, 0], [r.stderr for r in first]
    assert first[0].stdout == first[1].stdout

    # change files, then two processes update the index at the same time
    posts = sorted((root / "_posts").iterdir())
    for path in posts[:300]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("tags:", "tags: [touched]\nwas_tags:", 1), encoding="utf-8")
        info = path.stat()
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))
    for path in posts[300:350]:
        path.unlink()
    second = together(listing, listing, [*postctl, "index", "--rebuild"], listing)
    assert [r.returncode for r in second] == [0, 0, 0, 0], [r.stderr for r in second]
    direct = subprocess.run([*listing, "--no-cache"], capture_output=True, text=True, env=env,
                            check=True)
    assert second[0].stdout == second[1].stdout == second[3].stdout == direct.stdout
    assert len(json.loads(direct.stdout)) == 1150
    warm = subprocess.run(listing, capture_output=True, text=True, env=env, check=True)
    assert warm.stdout == direct.stdout

    with sqlite3.connect(index_file(root)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 1150
