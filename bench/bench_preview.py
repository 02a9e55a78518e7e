"""Time and peak memory of `postctl preview` on large posts, and how they grow.

    python bench/bench_preview.py [--runs N] [--scales 0.25 0.5 1]

Two posts are generated: 8 MB of prose (paragraphs of words) and a 3 MB Markdown table
(3 columns), and, to show how cost grows, the same shapes at smaller scales. Each is
previewed in the terminal (``--plain --no-pager``, stdout to /dev/null), as its source
(``--raw``) and as an HTML page (``--html FILE --force``). Each command is run once first
and must exit 0. Figures are medians of N runs: wall time, and the peak resident memory of
the command, from wait4 in a small launcher process (a child reports at least the memory of
the process it was started from, and this script holds the generated posts).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import tempfile
from pathlib import Path

from common import POSTCTL, PYTHON

WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua").split()
MB = 1_000_000
MEASURE = """
import json, os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_pid, status, usage = os.wait4(process.pid, 0)
elapsed = time.perf_counter() - start
error = process.stderr.read().decode(errors="replace")
with open(sys.argv[1], "w") as report:
    json.dump([elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status), error], report)
"""


def prose(size: int) -> str:
    """About ``size`` characters of paragraphs of 80 words."""
    rng = random.Random(1)
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(80))
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def table(size: int) -> str:
    """About ``size`` characters of one table with three columns."""
    rows = ["| name | value | note |", "|---|---:|---|"]
    total = 0
    index = 0
    while total < size:
        rows.append(f"| cell {index} | {index * 7} | text {index % 13} |")
        total += len(rows[-1]) + 1
        index += 1
    return "\n".join(rows) + "\n"


def measure(command: list[str], runs: int, report: Path) -> tuple[float, float]:
    """Median wall time (s) and median peak memory (MB) of ``command``."""
    times: list[float] = []
    peaks: list[float] = []
    for index in range(runs + 1):
        subprocess.run([PYTHON, "-c", MEASURE, str(report), *command], check=True)
        elapsed, peak, code, error = json.loads(report.read_text(encoding="utf-8"))
        if code != 0:
            raise SystemExit(f"{' '.join(command)}: exit {code}\n{error[-2000:]}")
        if index:  # the first run warms the caches
            times.append(elapsed)
            peaks.append(peak / 1024)
    return statistics.median(times), statistics.median(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.25, 0.5, 1.0])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "_config.yml").write_text("title: Bench\ntimezone: UTC\n", encoding="utf-8")
        (root / "_posts").mkdir()
        page = root / "page.html"
        print(f"{'post':<16} {'size':>8}  {'mode':<8} {'median':>8}  {'peak':>8}")
        for name, make, full in (("prose", prose, 8 * MB), ("table", table, 3 * MB)):
            for scale in sorted(args.scales):
                text = f"---\ntitle: {name}\n---\n" + make(int(full * scale))
                post = root / "_posts" / f"2024-01-01-{name}-{scale}.md"
                post.write_text(text, encoding="utf-8")
                base = [POSTCTL, "--root", str(root), "preview", str(post)]
                for mode, extra in (("terminal", ["--plain", "--no-pager"]), ("raw", ["--raw"]),
                                    ("html", ["--html", str(page), "--force"])):
                    seconds, peak = measure(base + extra, args.runs, root / "measured.json")
                    print(f"{name + ' x' + str(scale):<16} {len(text) / MB:6.2f}MB  "
                          f"{mode:<8} {seconds:7.2f}s  {peak:6.0f}MB", flush=True)
                post.unlink()


if __name__ == "__main__":
    main()
