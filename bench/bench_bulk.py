"""`postctl tags rename T NEW` on a generated site, against a plain Python loop, same run.

    python bench/bench_bulk.py [--size 10000] [--runs 5]

T is the site's most used tag (about half of the posts carry it). Each round renames it on
a fresh copy of the corpus whose site index is current (as after any `postctl tags`), and,
on another fresh copy, runs the reference: a plain loop that reads each of those files,
replaces the tag in its `tags` lines, writes a temporary file and renames it over the
original (no journal, no verification, no fsync). Reported: the medians of both, their
ratio, and the load average. The goal: at most 3x the loop, and at most 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import CORPORA, POSTCTL, PYTHON, corpus

LOOP = r"""
import os, re, sys
paths, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
pattern = re.compile(rb"(?m)^((?:tags:.*[\[ ,])|(?:\s+- ))" + re.escape(old.encode())
                     + rb"(?=[\], ]|$)")
for path in open(paths).read().split():
    with open(path, "rb") as handle:
        data = handle.read()
    end = data.find(b"\n---", 3)
    head = pattern.sub(lambda m: m.group(1) + new.encode(), data[:end])
    temp = path + ".tmp"
    with open(temp, "wb") as handle:
        handle.write(head + data[end:])
    os.replace(temp, path)
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr!r}")
    return elapsed


def fresh_copy(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)


def bench(size: int, runs: int) -> None:
    source = corpus(size)
    work = Path(tempfile.mkdtemp(prefix="bench-bulk-", dir=CORPORA))
    env = {**os.environ, "POSTCTL_CACHE_DIR": str(work / "cache")}
    site, plain = work / "site", work / "plain"
    fresh_copy(source, site)
    listed = subprocess.run([POSTCTL, "--root", str(site), "tags", "--format", "json", "-n",
                             "1"], capture_output=True, text=True, env=env, check=True)
    tag = str(json.loads(listed.stdout)[0]["name"])
    paths = subprocess.run([POSTCTL, "--root", str(site), "list", "--all", "--tag", tag,
                            "--format", "paths"], capture_output=True, text=True, env=env,
                           check=True, cwd=site).stdout.split()
    (work / "paths.txt").write_text("\n".join(str(plain / p) for p in paths))
    loop_times, postctl_times, loads = [], [], []
    for _ in range(runs):
        fresh_copy(source, site)
        fresh_copy(source, plain)
        subprocess.run([POSTCTL, "--root", str(site), "index"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.sync()
        loads.append(os.getloadavg()[0])
        loop_times.append(timed([PYTHON, "-c", LOOP, str(work / "paths.txt"), tag,
                                 tag + "-renamed"], env))
        postctl_times.append(timed([POSTCTL, "--root", str(site), "tags", "rename", tag,
                                    tag + "-renamed", "--exact", "--yes"], env))
    shutil.rmtree(work, ignore_errors=True)
    loop, ours = statistics.median(loop_times), statistics.median(postctl_times)
    print(f"{size} posts, T = {tag!r} on {len(paths)} posts; medians of {runs} rounds; "
          f"load average {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} CPUs")
    print(f"plain loop (read, replace, temp file, rename)  {loop * 1000:8.0f} ms  "
          f"(runs: {', '.join(f'{t:.2f}' for t in loop_times)} s)")
    print(f"postctl tags rename T NEW --yes (index current) {ours * 1000:7.0f} ms  "
          f"{ours / loop:5.2f}x  (runs: {', '.join(f'{t:.2f}' for t in postctl_times)} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    bench(arguments.size, arguments.runs)


if __name__ == "__main__":
    main()
