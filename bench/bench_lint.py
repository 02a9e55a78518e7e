"""Speed of `postctl lint` against references measured in the same run.

    python bench/bench_lint.py [--runs N] [--sizes 1000 10000]

Whole-site lint of generated sites (bench/.corpora, made with shared/tools/gen_corpus.py)
against a plain python-frontmatter load loop over the same files (fm_loop.py fm-c); and
lint of 5 files (what a pre-commit hook passes) on the example site and on the largest
generated site against the minimal Typer app (the start-up floor of any Typer CLI).
Whole-site lint is measured warm (the site index, and lint's findings in it, filled by an
earlier run, as on every commit after the first), cold (an empty cache folder each run),
and switching rules (each run with other --select rules than the one before it: D, R, J, ...).
Lint of 5 files is measured with the files unchanged, and just touched (new stamps: the
index and lint look at them again, as after an edit). Each command is run once first and
must exit 0 or 1 (a crash would otherwise time as a fast run).
Medians of N runs; ratios to the reference.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from common import PERF, POSTCTL, PYTHON, ROOT, corpus, median_time, run_once


def checked(command: list[str], env: dict[str, str]) -> list[str]:
    """``command``, after one run that must end with exit 0 or 1 (findings)."""
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          env={**os.environ, **env}, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n"
                         f"{done.stderr.decode(errors='replace')[-2000:]}")
    return command


def touched_time(command: list[str], files: list[Path], runs: int, env: dict[str, str]) -> float:
    """Median time of ``command`` run right after giving ``files`` a new modification time."""
    times = []
    for _ in range(runs):
        for path in files:
            os.utime(path)
        times.append(run_once(command, env))
    return statistics.median(times)


def cold_time(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            times.append(run_once(command, {"POSTCTL_CACHE_DIR": cache}))
    return statistics.median(times)


def switching_time(whole: list[str], runs: int, env: dict[str, str]) -> float:
    """Median time of whole-site runs each selecting other rules than the run before it."""
    selections = ["D", "R", "J", "F", "X"]
    times = [run_once([*whole, "--select", selections[number % len(selections)]], env)
             for number in range(runs)]
    return statistics.median(times)


def five_files(root: Path) -> list[str]:
    posts = sorted((root / "_posts").iterdir())
    step = max(len(posts) // 5, 1)
    return [str(path.relative_to(root)) for path in posts[::step][:5]]


def in_folder(folder: Path, command: list[str]) -> list[str]:
    """A command run from ``folder`` (pre-commit runs hooks from the repository root)."""
    return ["/bin/sh", "-c", f'cd "{folder}" && exec "$@"', "sh", *command]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    runs = args.runs
    # Installed packages have bytecode; give postctl its own too (PYTHONDONTWRITEBYTECODE may
    # be set), or every run would compile every module from source.
    compileall.compile_dir(str(ROOT / "postctl"), quiet=1)
    cache = tempfile.mkdtemp(prefix="postctl-bench-cache-")
    warm_env = {"POSTCTL_CACHE_DIR": cache}
    print(f"python {PYTHON}; medians of {runs} runs (cold: {max(runs // 2, 3)} runs)\n")

    floor = [PYTHON, str(PERF / "typer_hello.py"), "ls"]
    typer_floor = median_time(floor, runs)
    print(f"{'typer_hello.py ls (start-up floor)':<44} {typer_floor * 1000:8.1f} ms")

    example = ROOT / "examples" / "blog"
    command = checked(in_folder(example, [POSTCTL, "lint", *five_files(example)]), warm_env)
    small = median_time(command, runs, env=warm_env)
    print(f"{'lint 5 files, example site':<44} {small * 1000:8.1f} ms  "
          f"{small / typer_floor:5.2f}x typer floor")

    for size in args.sizes:
        site = corpus(size)
        posts = str(site / "_posts")
        loop = median_time([PYTHON, str(PERF / "fm_loop.py"), "fm-c", posts], runs)
        whole = checked([POSTCTL, "--root", str(site), "lint"], warm_env)
        warm = median_time(whole, runs, env=warm_env)
        cold = cold_time(whole, max(runs // 2, 3))
        run_once(whole, warm_env)  # the cold runs had a cache of their own
        switching = switching_time(whole, runs, warm_env)
        print(f"\n{size} posts")
        print(f"  {'fm_loop.py fm-c (python-frontmatter loop)':<42} {loop * 1000:8.1f} ms")
        print(f"  {'postctl lint, whole site, warm':<42} {warm * 1000:8.1f} ms  "
              f"{warm / loop:5.2f}x the loop")
        print(f"  {'postctl lint, whole site, cold':<42} {cold * 1000:8.1f} ms  "
              f"{cold / loop:5.2f}x the loop")
        print(f"  {'postctl lint, whole site, other --select':<42} {switching * 1000:8.1f} ms  "
              f"{switching / loop:5.2f}x the loop")
        names = five_files(site)
        command = checked(in_folder(site, [POSTCTL, "--root", ".", "lint", *names]), warm_env)
        typer_floor = median_time(floor, runs)  # again: the load of a shared machine varies
        five = median_time(command, runs, env=warm_env)
        print(f"  {'typer_hello.py ls (measured again)':<42} {typer_floor * 1000:8.1f} ms")
        print(f"  {'postctl lint, 5 files (warm index)':<42} {five * 1000:8.1f} ms  "
              f"{five / typer_floor:5.2f}x typer floor")
        touched = touched_time(command, [site / name for name in names], runs, warm_env)
        print(f"  {'postctl lint, 5 files just touched':<42} {touched * 1000:8.1f} ms  "
              f"{touched / typer_floor:5.2f}x typer floor")
    os.environ.pop("POSTCTL_CACHE_DIR", None)


if __name__ == "__main__":
    main()
