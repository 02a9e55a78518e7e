"""References: image/path fields, ``{% post_url %}`` and ``{% link %}`` tags (Jekyll), Hugo's
``ref`` and ``relref`` shortcodes, and Markdown links and images to site-local paths.

Liquid tags are found in the whole body except ``{% raw %}`` and ``{% comment %}`` blocks:
Jekyll renders Liquid before Markdown, so a tag inside a code fence is rendered too (and a
broken one stops the build). Markdown links and images come from ``postctl.post.references``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote

from postctl.lint.diagnostics import Finding
from postctl.lint.rules.base import Context, PostFact, Rule
from postctl.lint.rules.keys import normalize_url
from postctl.post.model import Post
from postctl.post.normalize import to_bool

if TYPE_CHECKING:
    from postctl.post.post_url_tag import PostUrlName
    from postctl.site.references import ContentPages

RULES = (
    Rule("R001", "path-missing", "warning",
         "image (or a field the schema types path) names a file that does not exist in the "
         "site."),
    Rule("R002", "post-url-broken", "error",
         "{% post_url NAME %} names no published post: Jekyll stops the build."),
    Rule("R003", "link-tag-broken", "error",
         "{% link PATH %} names a file that does not exist: Jekyll stops the build."),
    Rule("R004", "local-link-broken", "warning",
         "A Markdown link or image to a site-local path that matches no file, post or page."),
    Rule("R005", "ref-broken", "error",
         "Hugo: a ref or relref shortcode names no page Hugo builds (no such page, or a draft "
         "or one dated in the future): Hugo stops the build (REF_NOT_FOUND)."),
)

_TAG = re.compile(r"\{%-?\s*(post_url|link|raw|comment)\b(.*?)-?%\}", re.DOTALL)
# The ends of blocks that are not scanned, and the permalink of a page: compiled (and cached
# by re) for the first body or page that needs them.
_END = {"raw": r"\{%-?\s*endraw\s*-?%\}", "comment": r"\{%-?\s*endcomment\s*-?%\}"}
_SITE_PREFIX = re.compile(r"^(?:\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\})+")


def liquid_tags(body: str) -> Iterator[tuple[str, str, int]]:
    """(tag, argument, offset) of post_url and link tags outside raw/comment blocks."""
    if "{%" not in body:
        return
    pos = 0
    while True:
        found = _TAG.search(body, pos)
        if found is None:
            return
        name = found[1]
        if name in _END:
            closing = re.compile(_END[name]).search(body, found.end())
            if closing is None:
                return
            pos = closing.end()
            continue
        yield name, found[2].strip(), found.start()
        pos = found.end()


def _position(post: Post, offset: int) -> tuple[int, int]:
    body = post.body
    line = body.count("\n", 0, offset)
    start = body.rfind("\n", 0, offset) + 1
    return post.source.body_line + line, offset - start + 1


class Ref(NamedTuple):
    """A reference found in a post, resolved against the site on every run."""

    kind: str  # "path:<field>", "post_url", "link", "markdown_link", "markdown_image"
    target: str
    line: int
    column: int


def check(post: Post, ctx: Context) -> Iterator[Finding]:
    return resolve(extract(post, ctx), ctx)


def extract(post: Post, ctx: Context) -> list[Ref]:
    """Every reference of the post that a rule checks (what a cache may keep)."""
    refs = list(_path_fields(post, ctx))
    if ctx.site.flavour == "hugo":
        refs.extend(_shortcodes(post, ctx))
    liquid = not (post.source.kind == "none" or ctx.site.flavour == "hugo"
                  or to_bool(post.values.get("render_with_liquid")) is False)
    if liquid:
        for name, argument, offset in liquid_tags(post.body):
            if "{{" in argument or not argument:
                continue
            line, col = _position(post, offset)
            refs.append(Ref(name, argument, line, col))
    if ctx.enabled("R004"):
        refs.extend(_markdown(post, ctx.site.flavour == "hugo"))
    return refs


def resolve(refs: Iterable[Sequence[Any]], ctx: Context) -> Iterator[Finding]:
    """The findings for references (Ref, or the same four values) that point to nothing."""
    for kind, raw, line, column in refs:
        if kind.startswith("path:"):
            target = raw.strip()
            if "{{" in target:
                target = _SITE_PREFIX.sub("", target)
            if not ctx.exists(_site_path(target)):
                yield Finding("R001", line, column,
                              f"{kind[5:]}: {raw!r} does not exist in the site")
        elif kind in ("post_url", "link"):
            found = _post_url(raw, ctx) if kind == "post_url" else _link(raw, ctx)
            if found is not None:
                rule, message, severity = found
                yield Finding(rule, line, column, message, severity=severity)
        elif kind.startswith(("ref:", "relref:")):
            name, _, referrer = kind.partition(":")
            problem = _hugo_ref(raw, referrer, ctx)
            if problem is not None:
                yield Finding("R005", line, column, f"{name} {raw!r} {problem}")
        elif kind in ("markdown_link", "markdown_image"):
            path = _site_path(raw)
            ok = ctx.exists(path) or (kind == "markdown_link" and _known_url(path, ctx))
            if not ok:
                what = "image" if kind == "markdown_image" else "link"
                yield Finding("R004", line, column, f"{what} target {raw!r} "
                              "matches no file, post or page of the site")


# --- fields ------------------------------------------------------------------------------


def _path_fields(post: Post, ctx: Context) -> Iterator[Ref]:
    names = {name for name, spec in ctx.schema.fields.items() if spec.type == "path"}
    names.add("image")
    for name in sorted(names):
        value = post.values.get(name)
        if isinstance(value, dict):
            value = value.get("path")
        if not isinstance(value, str) or not value.strip():
            continue
        if not is_local(_SITE_PREFIX.sub("", value.strip())):
            continue
        info = post.metadata.keys.get(name)
        line, col = (info.value_line, info.value_col) if info else (1, 1)
        yield Ref(f"path:{name}", value, line, col)


def is_local(target: str) -> bool:
    target = target.strip()
    if not target or target.startswith(("#", "?", "//")) or "{{" in target or "{%" in target:
        return False
    return re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) is None


def _site_path(target: str) -> str:
    path = target.strip()
    if "?" in path or "#" in path:
        path = re.split(r"[?#]", path, maxsplit=1)[0]
    return (unquote(path) if "%" in path else path).lstrip("/")


# --- post_url and link -------------------------------------------------------------------


def _post_url(name: str, ctx: Context) -> tuple[str, str, Any] | None:
    """(rule, message, severity override) for a post_url NAME that Jekyll would not resolve."""
    from postctl.post.post_url_tag import parse_post_url  # only posts with the tag need it

    parsed = parse_post_url(name)
    if parsed is None:
        return "R002", f"post_url {name!r} is not a YYYY-MM-DD-slug post name", None
    target = resolve_post_url(parsed, ctx)
    if target is None:
        return "R002", f"post_url {name!r} names no post of the site", None
    fact, exact = target
    if not fact.published:
        return "R002", f"post_url {name!r} names {fact.rel_path}, which Jekyll does not " \
            "publish (a draft, published: false, or a file of _posts without a date)", None
    if fact.future and not ctx.site.config.future:
        return "R002", f"post_url {name!r} names {fact.rel_path}, which is dated in the " \
            "future and not published yet", None
    if not exact:
        return "R002", f"post_url {name!r} matches {fact.rel_path} only by date and slug " \
            "(Jekyll's deprecated fallback)", "warning"
    return None


def resolve_post_url(name: str | PostUrlName, ctx: Context) -> tuple[PostFact, bool] | None:
    """The post Jekyll finds for NAME among the site's posts, and whether it matched by path
    (``postctl.post.post_url_tag``)."""
    from postctl.post import post_url_tag

    return post_url_tag.resolve_post_url(name, ctx.facts)


def _link(path: str, ctx: Context) -> tuple[str, str, Any] | None:
    target = path.strip().strip("'\"")
    if ctx.exists(target.lstrip("/")):
        return None
    return "R003", f"{{% link {path} %}} names no file of the site", None


# --- Hugo's ref and relref ----------------------------------------------------------------


def _shortcodes(post: Post, ctx: Context) -> Iterator[Ref]:
    """Each ``ref``/``relref`` of a Hugo page; the kind carries the page's path from the
    content folder (relative targets are read from its folder)."""
    if "ref" not in post.body:
        return
    from postctl.post.shortcodes import ref_shortcodes

    referrer = _pages(ctx).content_path(post.rel_path)
    for shortcode in ref_shortcodes(post.body):
        line, col = _position(post, shortcode.start)
        yield Ref(f"{shortcode.kind}:{referrer}", shortcode.target, line, col)


def _pages(ctx: Context) -> ContentPages:
    """The site's content pages, listed once per run."""
    from postctl.site.references import ContentPages

    pages = ctx.memo.get("content_pages")
    if pages is None:
        pages = ctx.memo["content_pages"] = ContentPages(ctx.site)
    assert isinstance(pages, ContentPages)
    return pages


def _hugo_ref(target: str, referrer: str, ctx: Context) -> str | None:
    """Why Hugo finds no page for ``target`` written in ``referrer`` (None: it does)."""
    found = _pages(ctx).named(target, referrer)
    if found is None:
        return None  # a fragment of the page itself
    if not found:
        return "names no page of the site: Hugo stops the build (REF_NOT_FOUND)"
    facts = [ctx.facts.fact(rel) for rel in found]
    if any(fact is None or (fact.published and not fact.future) for fact in facts):
        return None  # a section, or a page Hugo builds
    return (f"names {found[0]}, which Hugo does not build (a draft, or dated in the future): "
            "Hugo stops the build (REF_NOT_FOUND)")


# --- Markdown links ------------------------------------------------------------------------


# A Markdown link or image (inline, or a reference definition) whose target is site-local.
_LOCAL_LINK_HINT = re.compile(
    r"\]\(\s*<?(?:/(?!/)|\{\{)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?:/(?!/)|\{\{)", re.MULTILINE)


def _markdown(post: Post, hugo: bool) -> Iterator[Ref]:
    body = post.body
    if _LOCAL_LINK_HINT.search(body) is None:
        return
    from postctl.post.references import find_references

    if hugo:  # a highlight shortcode's content is code
        from postctl.post.shortcodes import code_blocks

        for start, end in code_blocks(body):
            body = body[:start] + re.sub(r"[^\n]", " ", body[start:end]) + body[end:]

    for ref in find_references(body, post.source.body_line):
        if ref.kind not in ("markdown_link", "markdown_image"):
            continue
        target = ref.target
        if not is_local(target) or not target.startswith("/") or not _site_path(target):
            continue  # relative targets depend on the page URL: not checked
        yield Ref(ref.kind, target, ref.line, ref.col)


def _known_url(path: str, ctx: Context) -> bool:
    for index in ("index.html", "index.md", "index.markdown"):
        if ctx.exists(os.path.join(path, index)):
            return True
    key = normalize_url(path)
    return ctx.facts.has_url(key) or key in page_urls(ctx)


def page_urls(ctx: Context) -> frozenset[str]:
    """Normalised URLs of the site's pages and collection documents (found once per run)."""
    cached = ctx.memo.get("page_urls")
    if cached is None:
        cached = ctx.memo["page_urls"] = frozenset(_page_urls(ctx))
    assert isinstance(cached, frozenset)
    return cached


_SKIP_DIRS = {"_posts", "_drafts", "_site", "_layouts", "_includes", "_sass", "_data",
              "_plugins", "node_modules", "vendor", ".git"}
_PAGE_EXTENSIONS = (".md", ".markdown", ".html", ".htm")
_PERMALINK = r"^permalink:\s*['\"]?([^'\"\s#]+)"


def _page_urls(ctx: Context) -> set[str]:
    """URLs of pages and collection documents: from their path, and their permalink."""
    root = str(ctx.site.root)
    excluded = set(ctx.site.config.exclude)
    found: set[str] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            rel = os.path.relpath(entry.path, root).replace(os.sep, "/")
            if name.startswith(".") or name in _SKIP_DIRS or name in excluded or rel in excluded:
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif name.endswith(_PAGE_EXTENSIONS):
                found.update(_urls_of_page(entry.path, rel))
    return found


def _urls_of_page(path: str, rel: str) -> set[str]:
    stem = rel.rsplit(".", 1)[0]
    if stem.startswith("_"):  # a collection document: _docs/x.md -> /docs/x
        stem = stem[1:]
    urls = {normalize_url(stem)}
    if stem == "index" or stem.endswith("/index"):
        urls.add(normalize_url(stem[: -len("index")]))
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except OSError:
        return urls
    if head.startswith("---"):
        found = re.search(_PERMALINK, head, re.MULTILINE)
        if found:
            urls.add(normalize_url(found[1]))
    return urls
