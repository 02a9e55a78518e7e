"""Start-up of postctl against the floor of any Python CLI and of any Typer CLI.

    python bench/bench_startup.py [--runs N]

Reports medians of N runs of `postctl --version` and `postctl new --dry-run` (on the
bundled example site) next to `python -c pass` and the minimal two-command Typer app,
with ratios to each, measured in the same run.
"""

from __future__ import annotations

import argparse

from common import PERF, POSTCTL, PYTHON, ROOT, median_time, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    example = str(ROOT / "examples" / "blog")
    python_floor = median_time([PYTHON, "-c", "pass"], runs)
    typer_floor = median_time([PYTHON, str(PERF / "typer_hello.py"), "ls"], runs)
    version = median_time([POSTCTL, "--version"], runs)
    new = median_time([POSTCTL, "--root", example, "new", "Benchmark post", "--dry-run"], runs)
    print(f"medians of {runs} runs; ratio to `python -c pass`")
    report([("python -c pass", python_floor, python_floor),
            ("typer_hello.py ls", typer_floor, python_floor),
            ("postctl --version", version, python_floor),
            ("postctl new --dry-run", new, python_floor)])
    print(f"\nratio to the minimal Typer app: --version {version / typer_floor:.2f}x, "
          f"new --dry-run {new / typer_floor:.2f}x")


if __name__ == "__main__":
    main()
