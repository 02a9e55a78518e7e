"""postctl: manage a site's front-matter Markdown posts from the terminal.

The Python API (:mod:`postctl.api`): ``postctl.load(path)`` and ``postctl.posts(root,
**filters)`` give posts as ``frontmatter.Post`` objects. They are imported on first use,
so ``import postctl`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from postctl.version import __version__

if TYPE_CHECKING:
    from postctl.api import load, posts

__all__ = ["__version__", "load", "posts"]

_API = frozenset({"load", "posts"})


def __getattr__(name: str) -> object:
    """``load`` and ``posts``, imported from postctl.api when first asked for (PEP 562)."""
    if name in _API:
        from postctl import api

        return getattr(api, name)
    raise AttributeError(f"module 'postctl' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
