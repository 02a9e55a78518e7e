"""The preview's resolver (SiteResolver) and lint read {% post_url %} by the same rule."""

from __future__ import annotations

from postctl.site.model import open_site
from postctl.site.references import SiteResolver
from tests.lint.rules.conftest import run_lint

NAMES = {
    "news/2024-01-02-b": "/news/2024/01/02/b.html",  # news/_posts/: by path
    "2024-01-02-b": "/2024/01/02/b.html",
    "sub/2024-01-03-c": "/2024/01/03/c.html",  # _posts/sub/: by path
    "2024-01-03-c": "/2024/01/03/c.html",  # by slug and day (deprecated)
    "news/sub/2024-01-04-d": "/news/2024/01/04/d.html",  # by slug and day (deprecated)
    "2024-1-3-c": "/2024/01/03/c.html",  # by slug and day (deprecated)
    "2024-01-09-gone": None,
}


def test_preview_and_lint_resolve_the_same_names(make_site) -> None:
    body = " ".join(f"{{% post_url {name} %}}" for name in NAMES)
    root = make_site(posts={
        "_posts/2024-01-01-a.md": f"---\ntitle: A\n---\n{body}\n",
        "_posts/2024-01-02-b.md": "---\ntitle: B\n---\n",
        "news/_posts/2024-01-02-b.md": "---\ntitle: News B\n---\n",
        "_posts/sub/2024-01-03-c.md": "---\ntitle: C\n---\n",
        "news/_posts/sub/2024-01-04-d.md": "---\ntitle: D\n---\n",
    })
    resolver = SiteResolver(open_site(root))
    urls = {}
    for name in NAMES:
        found = resolver.post_url(name)
        urls[name] = found.url if found is not None else None
    assert urls == NAMES
    findings = [(d.severity, d.message.split("'")[1]) for d in run_lint(root, ["R002"])]
    assert findings == [("warning", "2024-01-03-c"), ("warning", "news/sub/2024-01-04-d"),
                        ("warning", "2024-1-3-c"), ("error", "2024-01-09-gone")]


def outside_site(make_site, tmp_path):
    """A site with a post in _posts/2024/, and beside the site a secret post, an image and a
    folder that symbolic links inside the site point to."""
    import os

    root = make_site(posts={
        "_posts/2024/2024-01-01-a.md": "---\ntitle: A\n---\n",
        "notes/page.md": "---\ntitle: Page\n---\n",
        "img/in.png": b"png",
    })
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"png")
    os.symlink(tmp_path / "secret.md", root / "notes" / "linked.md")
    os.symlink(tmp_path, root / "away")
    site = open_site(root)
    from postctl.site.scan import PostLoader

    return root, SiteResolver(site, PostLoader(site).load(root / "_posts/2024/2024-01-01-a.md"))


def test_targets_that_leave_the_site(make_site, tmp_path) -> None:
    _root, resolver = outside_site(make_site, tmp_path)
    leaving = ["../../../secret.md", "/../secret.md", "../../../secret.png",
               "%2e%2e/%2e%2e/%2e%2e/x", "/notes/linked.md", "/away/secret.png",
               "../../away/secret.md"]
    staying = ["../../img/in.png", "/img/in.png", "../../notes/page.md", "../x.md", "/missing",
               "img/in.png?x=1#y"]
    assert [target for target in leaving + staying if resolver.leaves_site(target)] == leaving


def test_link_tags_and_images_never_read_outside_the_site(make_site, tmp_path) -> None:
    _root, resolver = outside_site(make_site, tmp_path)
    assert resolver.link("notes/page.md") is not None
    for path in ("../secret.md", "notes/linked.md", "away/secret.md", "/../secret.md"):
        assert resolver.link(path) is None, path
    assert resolver.image("/img/in.png").exists
    for src in ("../../../secret.png", "/away/secret.png"):
        image = resolver.image(src)
        assert (image.outside, image.file, image.exists) == (True, None, False), src
