"""Front matter of any kind (YAML, TOML or JSON) read into :class:`Metadata`."""

from __future__ import annotations

from pathlib import Path

from postctl.text.metadata import Metadata
from postctl.text.toml_json import load_json, load_toml
from postctl.text.yaml_metadata import load_yaml


def load_front_matter(kind: str, fm_text: str, path: Path, line_offset: int) -> Metadata:
    """Parse front matter of the given kind; ``line_offset`` is the file line of fm_text's start."""
    if kind == "yaml":
        return load_yaml(fm_text, path, line_offset)
    if kind == "toml":
        return load_toml(fm_text, path, line_offset)
    if kind == "json":
        return load_json(fm_text, path, line_offset)
    return Metadata.empty()
