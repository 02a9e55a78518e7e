"""What the preview tests share: a resolver that knows one post and one image, and loading
one post of a site."""

from __future__ import annotations

from pathlib import Path

from postctl.post.model import Post
from postctl.site.model import Site, open_site
from postctl.site.references import ImageFile, Target
from postctl.site.scan import PostLoader


class FakeResolver:
    hugo = False

    def __init__(self) -> None:
        self.posts = {"2023-01-02-known": Target("Known “Post”", "/2023/01/02/known/")}
        self.files = {"/img/here.png"}

    def post_url(self, name: str) -> Target | None:
        return self.posts.get(name.strip())

    def link(self, path: str) -> Target | None:
        if path == "_posts/2023-01-02-known.md":
            return self.posts["2023-01-02-known"]
        return None

    def ref(self, target: str) -> Target | None:
        return None

    def param(self, name: str) -> object:
        return None

    def image(self, src: str) -> ImageFile:
        if self.leaves_site(src):
            return ImageFile(None, False, outside=True)
        if src.startswith("http"):
            return ImageFile(None, True, remote=True)
        return ImageFile(Path("/site") / src.lstrip("/"), src in self.files)

    def leaves_site(self, target: str) -> bool:
        return target.lstrip("/").startswith("..")


def example_post(site_root: Path, name: str) -> tuple[Site, Post]:
    site = open_site(site_root)
    return site, PostLoader(site).load(site_root / name)
