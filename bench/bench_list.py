"""`postctl list --tag T --format json` against the references, measured in the same run.

    python bench/bench_list.py [--sizes 10000,100000] [--runs 5] [--cold-runs 3]

For each generated corpus (bench/.corpora, made by gen_corpus.py) with T its most common
tag, reports medians and ratios of:

* `postctl list --tag T --format json`, warm (index current), cold (no index), and with
  --no-cache (files read directly);
* a plain python-frontmatter loop over the same files (fm_loop.py fm-c), the reference of
  the goals: warm >= 3x faster, cold <= 1.5x;
* the minimal Typer app (typer_hello.py ls): the start-up floor of any Typer command;
* `hugo list all` on a Hugo copy of the posts (hard links), when hugo is installed;

plus the peak RSS of each postctl run (os.wait4 of the child). The index lives in a cache
folder of its own (bench/.corpora/cache), so the user's cache is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from common import CORPORA, PERF, POSTCTL, PYTHON, corpus

CACHE = CORPORA / "cache"
ENV = {**os.environ, "POSTCTL_CACHE_DIR": str(CACHE)}


def run(command: Sequence[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one run.

    CPU time is reported too because the machine may be shared: other processes stretch
    the wall time, hardly the CPU time (which does count the children of the command)."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(list(command), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu = max(cpu, usage.ru_utime + usage.ru_stime)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return elapsed, cpu, usage.ru_maxrss


def measure(command: Sequence[str], runs: int, before: object = None) -> tuple[float, float, int]:
    """Median wall and CPU time and the largest peak RSS of ``runs`` runs (``before`` first)."""
    times, cpus, peaks = [], [], []
    for _ in range(runs):
        if callable(before):
            before()
        seconds, cpu, peak = run(command)
        times.append(seconds)
        cpus.append(cpu)
        peaks.append(peak)
    return statistics.median(times), statistics.median(cpus), max(peaks)


def most_common_tag(root: Path) -> str:
    result = subprocess.run([POSTCTL, "--root", str(root), "tags", "--format", "json", "-n",
                             "1"], capture_output=True, text=True, env=ENV, check=True)
    return str(json.loads(result.stdout)[0]["name"])


def hugo_site(root: Path) -> Path | None:
    """A Hugo site whose content/posts are hard links to the corpus's posts."""
    if shutil.which("hugo") is None:
        return None
    site = CORPORA / f"hugo-{root.name}"
    posts = site / "content" / "posts"
    if not (site / ".complete").exists():
        shutil.rmtree(site, ignore_errors=True)
        posts.mkdir(parents=True)
        (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n')
        for entry in os.scandir(root / "_posts"):
            os.link(entry.path, posts / entry.name)
        (site / ".complete").touch()
    return site


def drop_index() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)


def bench(size: int, runs: int, cold_runs: int) -> None:
    root = corpus(size)
    posts = root / "_posts"
    drop_index()
    tag = most_common_tag(root)  # also builds the index
    listing = [POSTCTL, "--root", str(root), "list", "--tag", tag, "--format", "json"]
    rows: list[tuple[str, float, float, int | None]] = []
    loop, loop_cpu, _ = measure([PYTHON, str(PERF / "fm_loop.py"), "fm-c", str(posts)], runs)
    rows.append(("python-frontmatter loop (fm_loop.py fm-c)", loop, loop_cpu, None))
    typer_floor, typer_cpu, _ = measure([PYTHON, str(PERF / "typer_hello.py"), "ls"], runs)
    rows.append(("minimal Typer app (typer_hello.py ls)", typer_floor, typer_cpu, None))
    hugo = hugo_site(root)
    hugo_time = None
    if hugo is not None:
        hugo_time, hugo_cpu, _ = measure(["hugo", "list", "all", "--source", str(hugo)], runs)
        rows.append(("hugo list all", hugo_time, hugo_cpu, None))
    run(listing)  # warm-up: the index is current afterwards
    warm, warm_cpu, warm_rss = measure(listing, runs)
    rows.append((f"postctl list --tag {tag} --format json (warm)", warm, warm_cpu, warm_rss))
    cold, cold_cpu, cold_rss = measure(listing, cold_runs, before=drop_index)
    rows.append(("  same, cold (no index)", cold, cold_cpu, cold_rss))
    direct, direct_cpu, direct_rss = measure([*listing, "--no-cache"], cold_runs)
    rows.append(("  same, --no-cache", direct, direct_cpu, direct_rss))

    print(f"\n{size} posts, T = {tag!r}; medians of {runs} runs ({cold_runs} cold); "
          f"ratios to the python-frontmatter loop")
    width = max(len(row[0]) for row in rows)
    print(f"{'':<{width}}  {'wall':>8}  {'ratio':>6}  {'CPU':>8}  {'ratio':>6}")
    for name, seconds, cpu, rss in rows:
        memory = f"  {rss / 1024:5.0f} MiB peak" if rss is not None else ""
        print(f"{name:<{width}}  {seconds * 1000:5.0f} ms  {seconds / loop:5.2f}x  "
              f"{cpu * 1000:5.0f} ms  {cpu / loop_cpu:5.2f}x{memory}")
    print(f"goals: warm {loop / warm:.1f}x faster than the loop (>= 3x)"
          + (f", {hugo_time / warm:.1f}x faster than hugo list all" if hugo_time else "")
          + f"; cold {cold / loop:.2f}x the loop (<= 1.5x; CPU {cold_cpu / loop_cpu:.2f}x "
          f"over {_workers()} processes); warm minus the Typer floor "
          f"{(warm - typer_floor) * 1000:.0f} ms")
    if size >= 100_000:
        print(f"goals at {size}: warm {warm:.2f} s (< 1 s), peak RSS warm "
              f"{warm_rss / 1024:.0f} MiB, cold {cold_rss / 1024:.0f} MiB (< 300 MiB)")


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for size in (int(part) for part in args.sizes.split(",")):
        bench(size, args.runs, args.cold_runs)
    drop_index()


if __name__ == "__main__":
    main()
