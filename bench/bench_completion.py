"""Shell completion values and `postctl stats` on a generated site, warm (index current).

    python bench/bench_completion.py [--posts 10000] [--runs 11]

Reports medians of N runs, in turns, of:

* bash completion through the installed entry point, by the protocol Typer's bash script
  uses (``_POSTCTL_COMPLETE=complete_bash``, ``COMP_WORDS``, ``COMP_CWORD``): the values of
  ``list --tag``, ``list --author``, ``tags rename`` and a POST argument (``preview``), and
  the command names (``postctl l``, which builds every command);
* `postctl stats` and `postctl stats --format json`;
* `postctl list -n 1` (start-up, the index brought up to date, one row) and
  `postctl --version` (the start-up floor of postctl), for reference.

Wall and CPU time (user + system of the process) are both reported: on a busy machine
the wall time stretches, the CPU time hardly.

The goals: completion values under 150 ms, stats under 300 ms, on 10,000 posts. The index
lives in a cache folder of its own (bench/.corpora/cache), so the user's cache is not
touched; it is brought up to date (and the word counts made) before the timed runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time

from common import CORPORA, POSTCTL, corpus, report, run_once

CACHE = CORPORA / "cache"
GOALS = {"completion": 0.150, "stats": 0.300}


def completion(root: str, line: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment of bash completing ``line`` (its last word, or a new
    word when it ends with a space)."""
    words = line.split()
    current = len(words) if line.endswith(" ") else len(words) - 1
    words = ["postctl", "--root", root, *words]
    return [POSTCTL], {"_POSTCTL_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(words),
                       "COMP_CWORD": str(current + 3)}


def timed_run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    root = str(corpus(options.posts))
    base = {**os.environ, "POSTCTL_CACHE_DIR": str(CACHE)}
    subprocess.run([POSTCTL, "--root", root, "stats"], env=base, check=True,
                   stdout=subprocess.DEVNULL)
    cases = {
        "complete list --tag": completion(root, "list --tag "),
        "complete list --author": completion(root, "list --author "),
        "complete tags rename": completion(root, "tags rename "),
        "complete preview POST": completion(root, "preview "),
        "complete command names": completion(root, "l"),
    }
    for name, (command, env) in cases.items():
        values = subprocess.run(command, env={**base, **env}, capture_output=True, text=True,
                                check=True).stdout.splitlines()
        print(f"{name}: {len(values)} values, first {values[0]!r}")
    timed = {name: (command, env) for name, (command, env) in cases.items()}
    timed["stats"] = ([POSTCTL, "--root", root, "stats"], {})
    timed["stats --format json"] = ([POSTCTL, "--root", root, "stats", "--format", "json"], {})
    timed["list -n 1 (reference)"] = ([POSTCTL, "--root", root, "list", "-n", "1"], {})
    timed["postctl --version"] = ([POSTCTL, "--version"], {})
    times: dict[str, list[float]] = {name: [] for name in timed}
    cpu: dict[str, list[float]] = {name: [] for name in timed}
    for command, env in timed.values():  # warm the file cache
        run_once(command, {**base, **env})
    for _ in range(options.runs):  # one run of each per round, in turns
        for name, (command, env) in timed.items():
            wall, used = timed_run(command, {**base, **env})
            times[name].append(wall)
            cpu[name].append(used)
    medians = {name: statistics.median(measured) for name, measured in times.items()}
    floor = medians["postctl --version"]
    print(f"\nmedians of {options.runs} runs on {options.posts:,} posts, warm; "
          f"ratio to `postctl --version` (load average {os.getloadavg()[0]:.1f})")
    report([(name, seconds, floor) for name, seconds in medians.items()])
    cpu_medians = {name: statistics.median(used) for name, used in cpu.items()}
    print("\nCPU time (user + system), medians: less moved by a busy machine")
    report([(name, used, cpu_medians["postctl --version"])
            for name, used in cpu_medians.items()])
    print()
    for name, seconds in medians.items():
        goal = (GOALS["completion"] if name.startswith("complete") else
                GOALS["stats"] if name.startswith("stats") else None)
        if goal is not None:
            print(f"{name}: wall {seconds * 1000:.0f} ms, CPU {cpu_medians[name] * 1000:.0f} "
                  f"ms; goal {goal * 1000:.0f} ms: wall {'met' if seconds <= goal else 'not met'}"
                  f", CPU {'met' if cpu_medians[name] <= goal else 'not met'}")


if __name__ == "__main__":
    main()
