"""Ctrl-C at any moment: real SIGINTs sent to postctl's whole process group, as a terminal
sends them, while it indexes a generated site, searches it and lints it.

Each interrupted run ends with exit 130 and one line, ``Interrupted.``, on stderr, from
postctl and from every worker it forked (no traceback); it leaves no temporary file and no
process behind; and the next run gives the answer of a fresh read of the files.

The moments are drawn after the Python interpreter has started: before it runs postctl's
code, Ctrl-C is Python's own to handle.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

GEN_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "tools" / "gen_corpus.py"
POSTS = 5000  # about 2 s to index on two CPUs
INTERRUPTS = 10  # at least, per command
COMMANDS = {
    "list": ["list", "--all", "--format", "json"],
    "search": ["search", "static site", "--all", "--limit", "50", "--format", "json"],
    "lint": ["lint", "--format", "json"],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not GEN_CORPUS.is_file():
        pytest.skip(f"{GEN_CORPUS} is not here")
    root = tmp_path_factory.mktemp("interrupts") / "site"
    subprocess.run([sys.executable, str(GEN_CORPUS), "--posts", str(POSTS), "--seed", "11",
                    str(root)], check=True, stdout=subprocess.DEVNULL)
    return root


def _environment(cache: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("POSTCTL_")}
    return {**env, "POSTCTL_CACHE_DIR": str(cache)}


def _start(root: Path, command: list[str], cache: Path) -> subprocess.Popen[bytes]:
    """postctl in a process group of its own, as a terminal's foreground job is."""
    return subprocess.Popen([sys.executable, "-m", "postctl", "--root", str(root), *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_environment(cache), start_new_session=True)


def _run(root: Path, command: list[str], cache: Path) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    process = _start(root, command, cache)
    out, err = process.communicate(timeout=600)
    assert b"Traceback" not in err, err.decode()
    return process.returncode, out, time.perf_counter() - start


def _python_start() -> float:
    """How long the interpreter takes to start, before it runs any of postctl's code."""
    def once() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        return time.perf_counter() - start

    return statistics.median(once() for _ in range(5))


def _leftovers(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from folder.rglob(".postctl-*")


def _group_gone(group: int) -> bool:
    """Whether no process of the group is left (its last ones may take a moment to go)."""
    for _ in range(100):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


# A process sharing slow work out to forked children, as the site index, search and lint do.
SHARING = """
import sys, time
from array import array
from postctl.site.forks import forked_map
from postctl.site.stamps import forked

def slow(start, stop=None):  # about 1.3 s of work in all, for each of three processes
    count = (stop or start + 1) - start
    time.sleep(0.02 * count)
    return array("q", [0] * 4 * count)

print("started", flush=True)
try:
    if sys.argv[1] == "forked_map":
        list(forked_map(slow, 200, 3))
    else:
        forked(slow, 200)
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


@pytest.mark.parametrize("sharing", ["forked_map", "stamps"])
def test_ctrl_c_reaches_only_the_process_that_forked(tmp_path: Path, sharing: str) -> None:
    """The children ignore it (no traceback from them), and are stopped and waited for."""
    process = subprocess.Popen(
        [sys.executable, "-c", SHARING, sharing], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**_environment(tmp_path), "POSTCTL_INDEX_WORKERS": "3"}, start_new_session=True)
    assert process.stdout is not None and process.stdout.readline() == b"started\n"
    time.sleep(0.4)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (0, b"interrupted\n", b"")
    assert _group_gone(process.pid)


def test_ctrl_c_while_the_cli_loads_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Caught while the CLI's modules load: here, while a stand-in for Typer (found first on
    the path) takes its time."""
    (tmp_path / "typer.py").write_text(
        "import sys, time\nprint('loading', flush=True)\ntime.sleep(30)\n")
    env = {**_environment(tmp_path), "PYTHONPATH": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "postctl", "--version"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                               start_new_session=True)
    assert process.stdout is not None and process.stdout.readline() == b"loading\n"
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, b"Interrupted.\n")


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_ctrl_c_at_any_moment_is_one_line_exit_130_and_the_index_stays_usable(
        corpus: Path, tmp_path: Path, name: str) -> None:
    command = COMMANDS[name]
    expected_code, expected, _ = _run(corpus, [*command, "--no-cache"], tmp_path / "unused")
    cache = tmp_path / "cache"
    code, out, duration = _run(corpus, command, cache)  # indexing from nothing, timed
    assert (code, out) == (expected_code, expected)
    floor = 2 * _python_start()
    rng = random.Random(f"{name}-interrupts")
    interrupted = 0
    for attempt in range(3 * INTERRUPTS):
        if interrupted >= INTERRUPTS:
            break
        shutil.rmtree(cache)  # the site index is made anew: every run indexes
        process = _start(corpus, command, cache)
        time.sleep(rng.uniform(floor, 0.9 * duration))
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=600)
        assert _group_gone(process.pid), "a process of the run is left"
        if process.returncode == expected_code and b"Interrupted." not in err:
            continue  # it had finished before the interrupt came
        interrupted += 1
        assert (process.returncode, err.decode()) == (130, "Interrupted.\n"), attempt
        assert list(_leftovers(corpus, cache)) == []
        code, out, _ = _run(corpus, command, cache)  # the index left behind, used
        assert (code, out) == (expected_code, expected), attempt
    assert interrupted >= INTERRUPTS
