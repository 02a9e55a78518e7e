"""Front matter of any kind (YAML, TOML or JSON) read into :class:`Metadata`.

Each kind's reader is imported when a post of that kind is read: a Jekyll site's YAML
posts never load the TOML and JSON readers."""

from __future__ import annotations

from pathlib import Path

from postctl.text.metadata import Metadata


def load_front_matter(kind: str, fm_text: str, path: Path, line_offset: int,
                      hugo: bool = False, *, positions: bool = True) -> Metadata:
    """Parse front matter of the given kind; ``line_offset`` is the file line of fm_text's
    start. ``hugo``: YAML scalars typed as Hugo types them (``yes`` is text). Without
    ``positions``, YAML front matter comes without its keys' positions (``keys`` is empty;
    values and duplicates are all an edit needs)."""
    if kind == "yaml":
        from postctl.text.yaml_metadata import load_yaml

        if hugo:
            from postctl.text.scalars import HugoLoader

            return load_yaml(fm_text, path, line_offset, HugoLoader, positions=positions)
        return load_yaml(fm_text, path, line_offset, positions=positions)
    if kind == "toml":
        from postctl.text.toml_json import load_toml

        return load_toml(fm_text, path, line_offset)
    if kind == "json":
        from postctl.text.toml_json import load_json

        return load_json(fm_text, path, line_offset)
    return Metadata.empty()
