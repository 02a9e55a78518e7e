"""Open a file in the user's editor and wait for it (``postctl new --edit``)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

from postctl.errors import UsageError

FALLBACK_EDITORS = ("sensible-editor", "vim", "nano")


def editor_command() -> str:
    """``$VISUAL``, else ``$EDITOR``, else the first common editor installed (``vi`` at
    worst; Notepad on Windows). A shell command line: ``code --wait`` works."""
    for name in ("VISUAL", "EDITOR"):
        chosen = os.environ.get(name)
        if chosen:
            return chosen
    if sys.platform == "win32":
        return "notepad"
    return next((editor for editor in FALLBACK_EDITORS if shutil.which(editor)), "vi")


def edit_file(path: str) -> None:
    """Run the editor on ``path`` through the shell and wait; UsageError when it fails."""
    editor = editor_command()
    quoted = f'"{path}"' if sys.platform == "win32" else shlex.quote(path)
    try:
        code = subprocess.call(f"{editor} {quoted}", shell=True)
    except OSError as error:
        raise UsageError(f"{editor}: Editing failed: {error}") from None
    if code != 0:
        raise UsageError(f"{editor}: Editing failed")
