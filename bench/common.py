"""Shared helpers for the benchmark scripts: generated corpora and repeated timings.

Every figure is a median of several runs, reported next to a reference measured in the
same run, because the machine is shared and noisy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GEN_CORPUS = SHARED / "tools" / "gen_corpus.py"
PERF = SHARED / "tools" / "perf"
CORPORA = ROOT / "bench" / ".corpora"
PYTHON = sys.executable
POSTCTL = str(Path(PYTHON).parent / "postctl")


def compile_package() -> None:
    """Byte-compile postctl as ``pip install`` does, so that the timed commands never
    compile a changed module again (this machine sets PYTHONDONTWRITEBYTECODE)."""
    import compileall

    compileall.compile_dir(ROOT / "postctl", quiet=1)


compile_package()


def corpus(posts: int, seed: int = 1) -> Path:
    """A generated Jekyll site with ``posts`` posts (cached under bench/.corpora)."""
    root = CORPORA / f"site-{posts}"
    marker = root / ".complete"
    if not marker.exists():
        subprocess.run([PYTHON, str(GEN_CORPUS), "--posts", str(posts), "--seed", str(seed),
                        "--force", str(root)], check=True, stdout=subprocess.DEVNULL)
        marker.touch()
    return root


def run_once(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})}, check=False)
    return time.perf_counter() - start


def interleaved(commands: Sequence[Sequence[str]], runs: int,
                env: dict[str, str] | None = None) -> list[float]:
    """The median time of each command, run in turns (one run of each, ``runs`` times), so
    that a busy moment of the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, measured in zip(commands, times, strict=True):
            measured.append(run_once(command, env))
    return [statistics.median(measured) for measured in times]


def median_time(command: Sequence[str], runs: int = 7, warmup: int = 1,
                env: dict[str, str] | None = None) -> float:
    for _ in range(warmup):
        run_once(command, env)
    return statistics.median(run_once(command, env) for _ in range(runs))


def report(rows: Sequence[tuple[str, float, float]]) -> None:
    """Print ``name  median  ratio-to-reference`` lines."""
    width = max(len(name) for name, _, _ in rows)
    for name, seconds, reference in rows:
        print(f"{name:<{width}}  {seconds * 1000:8.1f} ms  {seconds / reference:6.2f}x")
