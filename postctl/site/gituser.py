"""Who is writing: ``git config user.name`` as git reads it for the site's folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def git_user_name(root: Path) -> str | None:
    """The ``user.name`` git uses in ``root`` (None: no git, or none set)."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "-C", str(root), "config", "user.name"],
                              capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    name = done.stdout.strip()
    return name if done.returncode == 0 and name else None
