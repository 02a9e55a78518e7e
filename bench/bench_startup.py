"""Start-up of postctl against the floor of any Python CLI and of any Typer CLI.

    python bench/bench_startup.py [--runs N]

Reports medians of N runs of `postctl --version`, `postctl new --dry-run` and `postctl lint`
of 5 posts (what pre-commit runs on a commit of 5 posts; all on the bundled example site)
next to `python -c pass` and the minimal two-command Typer app, with ratios to each. The
commands run in turns, so that a busy moment of the machine falls on all of them alike.
The pre-commit budget: `postctl lint` of 5 posts within 1.2x of the Typer app.
"""

from __future__ import annotations

import argparse

from common import PERF, POSTCTL, PYTHON, ROOT, interleaved, report

LINT_BUDGET = 1.2  # postctl lint of 5 posts / the minimal Typer app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    example = ROOT / "examples" / "blog"
    five_posts = [str(path) for path in sorted((example / "_posts").iterdir())[:5]]
    commands = {
        "python -c pass": [PYTHON, "-c", "pass"],
        "typer_hello.py ls": [PYTHON, str(PERF / "typer_hello.py"), "ls"],
        "postctl --version": [POSTCTL, "--version"],
        "postctl new --dry-run": [POSTCTL, "--root", str(example), "new", "Benchmark post",
                                  "--dry-run"],
        "postctl lint (5 posts)": [POSTCTL, "--root", str(example), "lint", *five_posts],
    }
    for command in commands.values():  # warm the file cache
        interleaved([command], 1)
    medians = dict(zip(commands, interleaved(list(commands.values()), runs), strict=True))
    python_floor, typer_floor = medians["python -c pass"], medians["typer_hello.py ls"]
    print(f"medians of {runs} runs; ratio to `python -c pass`")
    report([(name, seconds, python_floor) for name, seconds in medians.items()])
    lint = medians["postctl lint (5 posts)"] / typer_floor
    print(f"\nratio to the minimal Typer app: --version "
          f"{medians['postctl --version'] / typer_floor:.2f}x, new --dry-run "
          f"{medians['postctl new --dry-run'] / typer_floor:.2f}x, lint of 5 posts {lint:.2f}x "
          f"({'within' if lint <= LINT_BUDGET else 'over'} the {LINT_BUDGET}x budget)")


if __name__ == "__main__":
    main()
