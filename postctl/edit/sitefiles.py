"""Writing a site's own settings file (``postctl init`` writes ``postctl.toml``).

The file is written through the journal like every change postctl makes
(:func:`postctl.edit.changes.apply_change`): created exclusively when it does not exist;
an existing one is replaced only when asked (``force``), after its old bytes are recorded,
so that ``postctl undo`` puts it back (and removes a file ``init`` created).
"""

from __future__ import annotations

from pathlib import Path

from postctl.edit.changes import Outcome, Planned, apply_change
from postctl.edit.journal import Journal
from postctl.errors import PostExistsError, UnsafeWriteError
from postctl.site.cache import journal_dir

MAX_SETTINGS_BYTES = 1024 * 1024


def write_site_file(root: Path, name: str, data: bytes, command: str, *,
                    force: bool = False) -> Outcome:
    """Write ``data`` to ``root/name``. An existing file is replaced only with ``force``
    (PostExistsError otherwise); a refused write raises, so a caller never reports a file
    that was not written."""
    from postctl.edit.files import read_for_rewrite

    path = root / name
    old: bytes | None = None
    if path.exists() or path.is_symlink():
        if not force:
            raise PostExistsError(path)
        old, _stamp = read_for_rewrite(path, MAX_SETTINGS_BYTES)
    planned = Planned(old_path=path if old is not None else None, old=old, new_path=path,
                      new=data)
    outcome = apply_change(Journal(journal_dir(root), root), command, [planned],
                           all_or_nothing=True)
    if outcome.refused:
        raise outcome.refused[0]
    if not outcome.changed and old != data:
        raise UnsafeWriteError(path, "was not written")
    return outcome
