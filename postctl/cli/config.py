"""``postctl config``: the effective settings and where each comes from."""

from __future__ import annotations

import enum
from typing import Annotated

import typer


class ConfigFormat(str, enum.Enum):
    text = "text"
    json = "json"


ConfigFormatOpt = Annotated[ConfigFormat, typer.Option(
    "--format", "-f", help="Output format.", case_sensitive=False)]


def config(fmt: ConfigFormatOpt = ConfigFormat.text) -> None:
    """Show the effective configuration: each setting, its value, and where it came from
    (postctl.toml, \\[tool.postctl] in pyproject.toml, _config.yml, Hugo's config, the
    --root flag or POSTCTL_ROOT, or postctl's default).

    Example: postctl config; postctl --root ../blog config --format json
    """
    import os
    import sys
    from pathlib import Path

    from postctl.cli.context import current_site, output, state, wants_json
    from postctl.render.settings import write_settings
    from postctl.site.provenance import settings

    wants_json(fmt)
    site = current_site()
    given = state().root
    if given is None:
        root_source = f"found from {Path.cwd()}"
    elif any(arg == "--root" or arg.startswith("--root=") for arg in sys.argv[1:]):
        root_source = "--root"
    else:
        root_source = "POSTCTL_ROOT" if os.environ.get("POSTCTL_ROOT") else "--root"
    write_settings(settings(site, root_source), fmt is ConfigFormat.json, output())
