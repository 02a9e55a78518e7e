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
