"""postctl: manage a site's front-matter Markdown posts from the terminal."""

from postctl.version import __version__

__all__ = ["__version__"]
