"""Drawing a preview on the terminal: the console (colour, width), the text it draws, and the
pager when that text is longer than the terminal."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.theme import Theme

    from postctl.render.output import Output

__all__ = ["DEFAULT_MAX_WIDTH", "View", "console_for", "draw", "render_text", "show"]

DEFAULT_MAX_WIDTH = 100  # a readable line length when the terminal is wider


@dataclass(frozen=True)
class View:
    """How to show a preview: without colour (``plain``), through a pager when it overflows
    a terminal (``page``), at a width (None: the terminal's, at most DEFAULT_MAX_WIDTH)."""

    plain: bool = False
    page: bool = True
    width: int | None = None


def console_for(out: Output, width: int | None, plain: bool,
                theme: Theme | None = None) -> Console:
    """A console on stdout: colour as the output sink decides (never with ``plain``), width
    ``width`` or the terminal's capped at DEFAULT_MAX_WIDTH, styles from ``theme``."""
    from rich.console import Console

    if plain:
        console = Console(file=out.stdout, width=width, force_terminal=False, no_color=True,
                          color_system=None, highlight=False, markup=False, emoji=False)
    else:
        console = out.console(width=width)
    if width is None:
        width = min(console.width, DEFAULT_MAX_WIDTH)
    # Set width and height together: rich ignores a width alone on a dumb TERM.
    console.size = (width, console.height)
    if theme is not None:
        console.push_theme(theme)
    return console


def render_text(console: Console, renderables: Sequence[RenderableType], *,
                fitted: bool = False) -> str:
    """Everything drawn, as text; without colour, lines lose the padding rich adds.
    ``fitted`` renderables draw rows that fit the width, unpadded: rich neither cuts them
    nor are they stripped (a pass over every line of a long text)."""
    with console.capture() as capture:
        for renderable in renderables:
            console.print(renderable, crop=not fitted)
    text = capture.get()
    if console.color_system is None and not fitted:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def show(text: str, out: Output, *, page: bool, height: int | None) -> None:
    """Write rendered ``text`` to stdout, through a pager when ``page`` and it is longer
    than ``height`` lines: ``$PAGER``, else rich's pager (less with colours kept)."""
    if page and height and text.count("\n") > height:
        pager = os.environ.get("PAGER", "").strip()
        os.environ.setdefault("LESS", "FRX")  # as git does: colours, no screen clearing
        if pager:
            import pydoc

            pydoc.pipepager(text, pager)
        else:
            from rich.pager import SystemPager

            SystemPager().show(text)
        return
    out.data(text, end="")
    out.flush()


def draw(renderables: Sequence[RenderableType], out: Output, view: View,
         theme: Theme | None = None, *, fitted: bool = False) -> None:
    """Draw on stdout (see :func:`console_for`, :func:`render_text`), paged when
    ``view.page`` and stdout is a terminal that the text overflows."""
    console = console_for(out, view.width, view.plain, theme)
    text = render_text(console, renderables, fitted=fitted)
    terminal = out.is_terminal(out.stdout)
    show(text, out, page=view.page and terminal, height=console.height if terminal else None)
