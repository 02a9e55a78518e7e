"""Hugo's ``cascade``: the values a section's ``_index.md`` gives the pages under it (and
itself), the nearest section's first, under each page's own front matter.

Read from the ``_index.md`` (or ``_index.markdown``) of each folder from the content
folder down to the page's, each once per loader. A section file that cannot be read gives
nothing (lint and ``list`` report it on its own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from postctl.errors import SourceError

SECTION_FILES = ("_index.md", "_index.markdown")


def cascade_for(path: Path, content: Path, cache: dict[Path, dict[str, Any]],
                ) -> dict[str, Any]:
    """The cascaded values that apply to the page at ``path`` in the content folder
    ``content``; ``cache`` keeps them by folder."""
    folder = path.parent
    if not folder.is_relative_to(content):
        return {}
    return dict(_folder_values(folder, content, cache))


def _folder_values(folder: Path, content: Path, cache: dict[Path, dict[str, Any]],
                   ) -> dict[str, Any]:
    known = cache.get(folder)
    if known is not None:
        return known
    above = {} if folder == content else _folder_values(folder.parent, content, cache)
    own = _own_cascade(folder)
    values = {**above, **own} if own else above
    cache[folder] = values
    return values


def _own_cascade(folder: Path) -> dict[str, Any]:
    from postctl.post.hugo_page import cascade_values
    from postctl.text.front_matter import load_front_matter
    from postctl.text.reading import read_post_bytes
    from postctl.text.source import split_source

    for name in SECTION_FILES:
        path = folder / name
        if not path.is_file():
            continue
        try:
            source = split_source(read_post_bytes(path, 10 * 1024 * 1024), path)
            metadata = load_front_matter(source.kind, source.fm_text, path, source.fm_line,
                                         hugo=True)
        except SourceError:
            return {}
        return cascade_values(metadata.values)
    return {}
