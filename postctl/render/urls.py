"""Which link and image targets the preview and the HTML page may turn into links.

Only ``http``, ``https`` and ``mailto`` URLs and site-relative ones: anything else
(``javascript:``, ``data:``, ``vbscript:``, ``file:``, any other scheme, a protocol-relative
``//host`` URL, a target holding a backslash, which browsers read as a slash) is shown as
text. The scheme is read as a browser reads it: in any letter case, after leading spaces and
control characters, with tabs and line breaks inside it removed. A site-relative target that
leaves the site (``../../etc/passwd``) is shown as text too, and reported; the resolver
decides that (``postctl.site.references``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

__all__ = ["MAX_NOTES", "MAX_SHOWN", "Refusal", "UrlKind", "label", "refusal_notes",
           "shown_target", "url_kind"]

UrlKind = Literal["web", "site", "unsafe"]
Refusal = Literal["unsafe", "outside"]  # why a target is shown as text

WEB_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_IGNORED_AROUND = "".join(chr(code) for code in range(0x21))  # C0 controls and space

MAX_SHOWN = 80  # characters of a target shown as text (a data: URL can be huge)
MAX_NOTES = 10  # targets named in the notes; the others are counted


def url_kind(url: str) -> UrlKind:
    """``web`` (http, https, mailto), ``site`` (site-relative) or ``unsafe``."""
    cleaned = _IGNORED_INSIDE.sub("", url).strip(_IGNORED_AROUND)
    if "\\" in cleaned:
        return "unsafe"
    scheme = _SCHEME.match(cleaned)
    if scheme is not None:
        return "web" if scheme.group(1).lower() in WEB_SCHEMES else "unsafe"
    return "unsafe" if cleaned.startswith("//") else "site"


def shown_target(url: str) -> str:
    """A target to show as text: on one line, at most MAX_SHOWN characters."""
    from postctl.text.sanitize import sanitize_line

    line = sanitize_line(url)
    return line if len(line) <= MAX_SHOWN else line[: MAX_SHOWN - 1] + "…"


def label(refusal: Refusal) -> str:
    """What a renderer writes before a target it shows as text."""
    return "outside the site" if refusal == "outside" else "not a safe link"


def refusal_notes(refused: Iterable[tuple[Refusal, str]]) -> list[str]:
    """One line for each target shown as text (each once, at most MAX_NOTES of them)."""
    unique = list(dict.fromkeys(refused))
    notes = [f"{shown_target(target)} leaves the site: shown as text, not followed"
             if refusal == "outside" else
             f"{shown_target(target)} is not an http, https, mailto or site-relative URL: "
             "shown as text" for refusal, target in unique[:MAX_NOTES]]
    if len(unique) > MAX_NOTES:
        notes.append(f"and {len(unique) - MAX_NOTES} more targets shown as text")
    return notes
