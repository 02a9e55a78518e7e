"""postctl: manage a site's front-matter Markdown posts from the terminal."""

__version__ = "0.1.0"
