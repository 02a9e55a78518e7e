"""Start-up of postctl against the floor of any Python CLI and of any Typer CLI.

    python bench/bench_startup.py [--runs N]

Reports medians of N runs of `postctl --version`, `postctl new --dry-run` and `postctl lint`
of 5 posts (what pre-commit runs on a commit of 5 posts; all on the bundled example site)
next to `python -c pass` and the minimal two-command Typer app, with ratios to each. The
commands run in turns, so that a busy moment of the machine falls on all of them alike; the
ratios to the Typer app are also taken round by round (each command over the Typer app's run
of the same round), and their median is the figure least moved by a noisy machine.
The pre-commit budget: `postctl lint` of 5 posts within 1.2x of the Typer app.
"""

from __future__ import annotations

import argparse
import statistics

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
    # One round runs every command once, in turns.
    rounds = [dict(zip(commands, interleaved(list(commands.values()), 1), strict=True))
              for _ in range(runs)]
    medians = {name: statistics.median(row[name] for row in rounds) for name in commands}
    python_floor, typer_floor = medians["python -c pass"], medians["typer_hello.py ls"]
    print(f"medians of {runs} runs; ratio to `python -c pass`")
    report([(name, seconds, python_floor) for name, seconds in medians.items()])

    def paired(name: str) -> float:
        return statistics.median(row[name] / row["typer_hello.py ls"] for row in rounds)

    lint = paired("postctl lint (5 posts)")
    print(f"\nratio to the minimal Typer app, median of the rounds' ratios (ratio of the "
          f"medians): --version {paired('postctl --version'):.2f}x "
          f"({medians['postctl --version'] / typer_floor:.2f}x), new --dry-run "
          f"{paired('postctl new --dry-run'):.2f}x "
          f"({medians['postctl new --dry-run'] / typer_floor:.2f}x), lint of 5 posts "
          f"{lint:.2f}x ({medians['postctl lint (5 posts)'] / typer_floor:.2f}x): "
          f"{'within' if lint <= LINT_BUDGET else 'over'} the {LINT_BUDGET}x budget")


if __name__ == "__main__":
    main()
