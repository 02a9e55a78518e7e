"""`postctl list --tag T --format json` against the references, measured in the same run.

    python bench/bench_list.py [--sizes 10000,100000] [--runs 5] [--cold-runs 3] [--single]

For each generated corpus (bench/.corpora, made by gen_corpus.py) with T its most common
tag, reports medians and ratios of:

* `postctl list --tag T --format json`, warm (index current), cold (no index), and with
  --no-cache (files read directly); with --single, also warm and cold with
  POSTCTL_INDEX_WORKERS=1 (one process: no forked walk, no parsing workers);
* a plain python-frontmatter loop over the same files (fm_loop.py fm-c), the reference of
  the goals: warm >= 5x faster, cold <= 1.5x;
* the minimal Typer app (typer_hello.py ls): the start-up floor of any Typer command;
* `hugo list all` on a Hugo copy of the posts (hard links), when hugo is installed;

plus the peak RSS of each postctl run (os.wait4 of the child). The runs are interleaved
(one of each per round) so that a change in the machine's load hits all of them alike;
the load average is sampled before each round. The index lives in a cache folder of its
own (bench/.corpora/cache), so the user's cache is not touched.
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common import CORPORA, PERF, POSTCTL, PYTHON, corpus

CACHE = CORPORA / "cache"
ENV = {**os.environ, "POSTCTL_CACHE_DIR": str(CACHE)}
SINGLE = {**ENV, "POSTCTL_INDEX_WORKERS": "1"}


def run(command: Sequence[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of one run.

    CPU time is reported too because the machine may be shared: other processes stretch
    the wall time, hardly the CPU time (which does count the children of the command)."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen(list(command), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu = max(cpu, usage.ru_utime + usage.ru_stime)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return elapsed, cpu, usage.ru_maxrss


@dataclass
class Measure:
    """One command measured once per round."""

    name: str
    command: Sequence[str]
    env: dict[str, str] = field(default_factory=lambda: ENV)
    before: Callable[[], None] | None = None
    rss: bool = True
    every: int = 1  # measured in every round, or only in the first ``runs // every``
    results: list[tuple[float, float, int]] = field(default_factory=list)

    def median(self) -> tuple[float, float, int]:
        return (statistics.median(r[0] for r in self.results),
                statistics.median(r[1] for r in self.results),
                max(r[2] for r in self.results))


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


def bench(size: int, runs: int, cold_runs: int, single: bool) -> None:
    root = corpus(size)
    posts = root / "_posts"
    drop_index()
    tag = most_common_tag(root)  # also builds the index
    listing = [POSTCTL, "--root", str(root), "list", "--tag", tag, "--format", "json"]
    cold_every = max(1, round(runs / max(cold_runs, 1)))
    measures = [
        Measure("python-frontmatter loop (fm_loop.py fm-c)",
                [PYTHON, str(PERF / "fm_loop.py"), "fm-c", str(posts)], rss=False),
        Measure("minimal Typer app (typer_hello.py ls)",
                [PYTHON, str(PERF / "typer_hello.py"), "ls"], rss=False),
    ]
    hugo = hugo_site(root)
    if hugo is not None:
        measures.append(Measure("hugo list all", ["hugo", "list", "all", "--source", str(hugo)],
                                rss=False))
    # cold first: it leaves a current index for the warm runs of the same round
    measures.append(Measure("  same, cold (no index)", listing, before=drop_index,
                            every=cold_every))
    if single:
        measures.append(Measure("  same, cold, one process", listing, SINGLE, drop_index,
                                every=cold_every))
    warm = Measure(f"postctl list --tag {tag} --format json (warm)", listing)
    measures.append(warm)
    if single:
        measures.append(Measure("  same, warm, one process", listing, SINGLE))
    measures.append(Measure("  same, --no-cache", [*listing, "--no-cache"], every=cold_every))
    run(listing, ENV)  # warm-up: the index is current afterwards
    loads = []
    for round_number in range(runs):
        loads.append(os.getloadavg()[0])
        for measure in measures:
            if round_number % measure.every == 0:
                if measure.before is not None:
                    measure.before()
                measure.results.append(run(measure.command, measure.env))
    report(size, tag, measures, loads, runs, cold_runs)


def report(size: int, tag: str, measures: list[Measure], loads: list[float], runs: int,
           cold_runs: int) -> None:
    loop, loop_cpu, _ = measures[0].median()
    figures = {m.name: m.median() for m in measures}
    print(f"\n{size} posts, T = {tag!r}; medians of {runs} interleaved rounds "
          f"(cold and --no-cache: {len(measures[-1].results)}); ratios to the "
          f"python-frontmatter loop; load average {min(loads):.2f}-{max(loads):.2f} "
          f"(median {statistics.median(loads):.2f}) on {os.cpu_count()} CPUs")
    width = max(len(m.name) for m in measures)
    print(f"{'':<{width}}  {'wall':>8}  {'ratio':>6}  {'CPU':>8}  {'ratio':>6}")
    order = [m for m in measures if not m.name.startswith("  ")]
    order += [m for m in measures if m.name.startswith("  ")]
    for measure in order:
        seconds, cpu, rss = figures[measure.name]
        memory = f"  {rss / 1024:5.0f} MiB peak" if measure.rss else ""
        print(f"{measure.name:<{width}}  {seconds * 1000:5.0f} ms  {seconds / loop:5.2f}x  "
              f"{cpu * 1000:5.0f} ms  {cpu / loop_cpu:5.2f}x{memory}")
    warm = next(m for m in measures if m.name.endswith("(warm)"))
    cold = next(m for m in measures if m.name.endswith("cold (no index)"))
    typer = figures["minimal Typer app (typer_hello.py ls)"][0]
    hugo = figures.get("hugo list all")
    warm_s, _, warm_rss = figures[warm.name]
    cold_s, cold_cpu, cold_rss = figures[cold.name]
    print(f"goals: warm {loop / warm_s:.1f}x faster than the loop (>= 5x)"
          + (f", {hugo[0] / warm_s:.1f}x faster than hugo list all" if hugo else "")
          + f"; cold {cold_s / loop:.2f}x the loop (<= 1.5x; CPU {cold_cpu / loop_cpu:.2f}x "
          f"over {_workers()} processes); warm minus the Typer floor "
          f"{(warm_s - typer) * 1000:.0f} ms")
    if size >= 100_000:
        print(f"goals at {size}: warm {warm_s:.2f} s (< 1 s), peak RSS warm "
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
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds")
    parser.add_argument("--cold-runs", type=int, default=3,
                        help="rounds that include the cold and --no-cache runs (about)")
    parser.add_argument("--single", action="store_true",
                        help="also measure one process (POSTCTL_INDEX_WORKERS=1)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for size in (int(part) for part in args.sizes.split(",")):
        bench(size, args.runs, args.cold_runs, args.single)
    drop_index()


if __name__ == "__main__":
    main()
