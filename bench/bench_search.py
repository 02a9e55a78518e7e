"""`postctl search` against `rg -l -i` on the same generated corpora, measured in the same run.

    python bench/bench_search.py [--sizes 10000,100000] [--runs 5] [--no-build]

For each corpus (bench/.corpora/site-N, made by gen_corpus.py; its site index and full-text
tables live in bench/.corpora/cache-search, apart from the user's cache and from
the other benchmarks) it reports:

* with --cold, the first search on a site without any index (site index and full-text);
* the initial build: the first search after the full-text tables were dropped, the site
  index being current (whole command), and the same timed inside the process (sync only);
* warm queries, whole command, `postctl search Q --format paths` against `rg -l -i Q` over
  the posts folder, run in turns: medians of --runs runs each and the ratio rg / postctl
  (> 1: postctl faster);
* the query alone, inside the process after refresh() (median over runs), and the
  start-up floor (`postctl --version`) and the freshness scan (refresh() with no change);
* an update after 10 edited posts: the first search after appending a line to 10 files
  (whole command, and refresh + sync inside the process); the files are restored after;
* the size of the full-text tables (dbstat) against the size of the posts on disk.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from common import CORPORA, POSTCTL, ROOT, corpus, interleaved

CACHE = CORPORA / "cache-search"  # its own: other benchmarks rebuild theirs
ENV = {**os.environ, "POSTCTL_CACHE_DIR": str(CACHE)}
os.environ["POSTCTL_CACHE_DIR"] = str(CACHE)
sys.path.insert(0, str(ROOT))

QUERIES = ("zeitgeist", "static site generator", "quokka saffron", "tamar*", "title:python",
           "the")


def rg_command(text: str, posts: Path) -> list[str] | None:
    """The closest rg equivalent (None when rg has none: AND of words, field terms)."""
    if " " in text and not text.startswith("static"):
        return None
    if ":" in text:
        return None
    pattern = text.rstrip("*")
    return ["rg", "-l", "-i", "-F", pattern, str(posts)]


def search_command(site: Path, text: str) -> list[str]:
    query = f'"{text}"' if text == "static site generator" else text
    return [POSTCTL, "--root", str(site), "search", query, "--format", "paths", "-n", "20"]


def timed(command: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=ENV, check=False)
    return time.perf_counter() - start


def timed_median(command: Sequence[str], runs: int) -> float:
    return statistics.median(timed(command) for _ in range(runs))


def median(function: Callable[[], float], runs: int) -> float:
    return statistics.median(function() for _ in range(runs))


def drop_fulltext(site: Path) -> None:
    from postctl.catalog.index import open_index
    from postctl.search.ftstables import drop_all
    from postctl.site.model import open_site

    with open_index(open_site(site)) as index:
        drop_all(index.connection)
        index.connection.execute("VACUUM")


def in_process(site: Path, runs: int) -> dict[str, float]:
    """Freshness scan, sync and query times measured inside one process."""
    from postctl.catalog import query
    from postctl.catalog.index import open_index
    from postctl.search.fulltext import FullTextIndex
    from postctl.search.language import parse_query
    from postctl.site.model import open_site

    opened = open_site(site)
    figures: dict[str, float] = {}
    with open_index(opened) as index:
        index.refresh()
        engine = FullTextIndex(index)
        start = time.perf_counter()
        engine.sync()
        figures["sync"] = time.perf_counter() - start

        def refresh() -> float:
            begin = time.perf_counter()
            index.refresh()
            return time.perf_counter() - begin

        figures["refresh"] = median(refresh, runs)
        filters = query.make_filters(opened.tz)
        for text in QUERIES:
            node = parse_query(f'"{text}"' if text == "static site generator" else text)

            def search(node: object = node) -> float:
                begin = time.perf_counter()
                engine.search(node, filters)  # type: ignore[arg-type]
                return time.perf_counter() - begin

            figures[f"query {text}"] = median(search, runs)
    return figures


def fulltext_size(site: Path) -> int:
    from postctl.catalog.database import index_file

    connection = sqlite3.connect(index_file(site.resolve()))
    try:
        row = connection.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%'").fetchone()
        return int(row[0] or 0)
    finally:
        connection.close()


def posts_size(posts: Path) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(posts) if entry.is_file())


def edit_ten(posts: Path, word: str) -> Callable[[], None]:
    """Append a line with ``word`` to 10 posts; return a function that restores them."""
    names = sorted(entry.name for entry in os.scandir(posts))[:: max(1, len(os.listdir(posts))
                                                                     // 10)][:10]
    saved = {name: (posts / name).read_bytes() for name in names}
    for name in names:
        with open(posts / name, "ab") as handle:
            handle.write(f"\nAn edited line about {word}.\n".encode())

    def restore() -> None:
        for name, data in saved.items():
            (posts / name).write_bytes(data)

    return restore


def bench(size: int, runs: int, build: bool, cold: bool) -> None:
    site = corpus(size)
    posts = site / "_posts"
    print(f"\n== {size} posts ({posts_size(posts) / 1e6:.0f} MB) ==")
    if cold:
        from postctl.catalog.database import index_file, remove_files

        remove_files(index_file(site.resolve()))
        first = timed(search_command(site, "zeitgeist"))
        print(f"cold first search (site index and full-text index built): {first:7.2f} s")
    subprocess.run(search_command(site, "zeitgeist"), env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # site index and FTS current
    if build:
        drop_fulltext(site)
        first = timed(search_command(site, "zeitgeist"))
        print(f"initial full-text build, first search (whole command): {first:7.2f} s")
        drop_fulltext(site)
        figures = in_process(site, runs)
        print(f"initial full-text build, sync alone (in process):      {figures['sync']:7.2f} s")
    else:
        figures = in_process(site, runs)
    size_fts = fulltext_size(site)
    print(f"full-text tables on disk: {size_fts / 1e6:.0f} MB = "
          f"{size_fts / posts_size(posts):.2f}x the posts")
    start_up = median(lambda: timed([POSTCTL, "--version"]), runs)
    print(f"start-up floor (postctl --version): {start_up * 1000:7.1f} ms")
    print(f"freshness scan (refresh, nothing changed, in process): "
          f"{figures['refresh'] * 1000:7.1f} ms")
    print(f"\n{'query':<24}{'postctl':>10}{'rg -l -i':>10}{'rg/postctl':>12}{'query alone':>13}")
    for text in QUERIES:
        command = rg_command(text, posts)
        if command is None:
            ours, theirs = timed_median(search_command(site, text), runs), None
        else:
            ours, theirs = interleaved([search_command(site, text), command], runs, ENV)
        alone = figures[f"query {text}"]
        rg_text = f"{theirs * 1000:8.0f}ms" if theirs else f"{'-':>10}"
        ratio = f"{theirs / ours:10.2f}x" if theirs else f"{'-':>11}"
        print(f"{text:<24}{ours * 1000:8.0f}ms{rg_text}{ratio:>12}{alone * 1000:11.1f}ms")
    word = f"edited{int(time.time())}"
    restore = edit_ten(posts, word)
    try:
        start = time.perf_counter()
        found = subprocess.run(search_command(site, word), env=ENV, capture_output=True,
                               text=True, check=False).stdout.splitlines()
        after = time.perf_counter() - start
    finally:
        restore()
    print(f"\nfirst search after editing 10 posts (whole command): {after * 1000:7.0f} ms "
          f"({len(found)} posts found with the new word)")
    restore = edit_ten(posts, word + "x")
    try:
        from postctl.catalog.index import open_index
        from postctl.search.fulltext import FullTextIndex
        from postctl.site.model import open_site

        with open_index(open_site(site)) as index:
            start = time.perf_counter()
            index.refresh()
            middle = time.perf_counter()
            stats = FullTextIndex(index).sync()
            end = time.perf_counter()
    finally:
        restore()
    print(f"  in process: refresh {(middle - start) * 1000:.0f} ms + full-text sync "
          f"{(end - middle) * 1000:.0f} ms ({stats.indexed} read, {stats.removed} dropped)")
    subprocess.run(search_command(site, "zeitgeist"), env=ENV, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)  # back in step with the files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true",
                        help="skip the initial-build measurement (it drops the FTS tables)")
    parser.add_argument("--cold", action="store_true",
                        help="first time a search with no index at all (deletes it)")
    args = parser.parse_args(argv)
    if shutil.which("rg") is None:
        print("rg (ripgrep) is not installed: apt-get install -y ripgrep", file=sys.stderr)
        return 2
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; "
          f"SQLite {sqlite3.sqlite_version}")
    for size in (int(text) for text in args.sizes.split(",")):
        bench(size, args.runs, not args.no_build, args.cold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
