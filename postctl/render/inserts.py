"""What replaces a construct of a post body in the preview (``render.prepare``): the
:class:`Insert` records, made lazily (:class:`Inserts`), and the one for an image."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from postctl.post.links import clean_target
from postctl.render.urls import Refusal, url_kind
from postctl.text.sanitize import one_line

if TYPE_CHECKING:
    from pathlib import Path

    from postctl.site.references import Resolver

__all__ = ["Insert", "InsertKind", "Inserts", "image_insert"]

InsertKind = Literal["liquid", "ref", "target", "image", "shortcode", "text"]


@dataclass(frozen=True)
class Insert:
    """What replaces one Liquid construct, shortcode, link target or image of the body.

    ``liquid``: ``text`` is the construct as written (shown dimmed).
    ``ref``: a ``{% post_url %}``/``{% link %}`` or a Hugo ``ref``/``relref`` (or a
    ``youtube`` shortcode) in running text; ``target``: the target of a Markdown link.
    Both: ``text`` is the tag or target as written, ``url`` and ``title`` what it resolves
    to, ``broken`` when it resolves to nothing.
    ``image``: ``text`` is the alt text, ``url`` the source, ``file`` the local file,
    ``broken`` when that file is missing.
    ``shortcode``: a Hugo shortcode the preview cannot show: ``text`` names it (shown as a
    marked placeholder). ``text``: words a shortcode stands for (a caption, a ``param``
    value), shown as plain text.
    ``refused``: why ``url`` (or the ``{% link %}`` path) may not become a link or a source.
    """

    kind: InsertKind
    text: str
    url: str | None = None
    title: str | None = None
    broken: bool = False
    draft: bool = False
    file: Path | None = None
    remote: bool = False
    refused: Refusal | None = None


class Inserts(Sequence[Insert]):
    """The inserts of a body, each made (its reference resolved) the first time it is read:
    a renderer that draws part of a long body resolves only what it draws."""

    def __init__(self, makers: Sequence[Callable[[], Insert]]) -> None:
        self._makers = makers
        self._made: dict[int, Insert] = {}

    def __len__(self) -> int:
        return len(self._makers)

    def __getitem__(self, index: int) -> Insert:  # type: ignore[override]
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = self._makers[index]()
        return made


def image_insert(alt: str, written: str, resolver: Resolver) -> Insert:
    """The insert for an image: its file found (or missing), or its source refused."""
    src = clean_target(written)
    if url_kind(src) == "unsafe":
        return Insert("image", one_line(alt), src, broken=True, refused="unsafe")
    image = resolver.image(src)
    return Insert("image", one_line(alt), src, broken=not image.exists, file=image.file,
                  remote=image.remote, refused="outside" if image.outside else None)


