"""Posts parsed for listing: the fast path of ``postctl list``, and every post read directly.

:func:`parse_for_listing` gives what :func:`postctl.post.model.parse_post` gives, minus
what listing does not read, several times faster (a test holds the two equal on every
fixture); :func:`scan_summaries` reads each post of a site into a Summary (``--no-cache``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from postctl.catalog.summary import Summary, summarize
from postctl.errors import SourceError

if TYPE_CHECKING:
    from postctl.post.model import Post, PostContext
    from postctl.site.model import Site
    from postctl.text.metadata import Metadata
    from postctl.text.source import Source

_ALIAS_HINT = re.compile(r"[&*]")  # as yaml_metadata's: a text without either holds no alias
# A line ``key: "text"`` or ``key: 'text'`` whole: an ``&`` or ``*`` inside the quotes cannot
# be an anchor or alias. (Were the first quote to close a scalar opened on an earlier line,
# what follows it on the line would make the YAML invalid, and then parse_post decides.)
_QUOTED_LINE = re.compile(
    r"""^[ \t]*[A-Za-z0-9_-]+:[ \t]+(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')[ \t]*$""",
    re.MULTILINE,
)


def _may_hold_alias(text: str) -> bool:
    """Whether the text could hold a YAML anchor or alias (a cheap, safe over-estimate:
    ``Forest & travel`` in a quoted title does not count)."""
    return (_ALIAS_HINT.search(text) is not None
            and _ALIAS_HINT.search(_QUOTED_LINE.sub("", text)) is not None)


def parse_for_listing(
    raw: bytes, path: Path, context: PostContext, max_front_matter_bytes: int
) -> Post:
    """``post.parse_post``, minus what listing does not read (key positions, comments).

    The same split and the same YAML loader give the same values and facts. Anything out of
    the ordinary goes through ``parse_post`` itself, so every diagnostic is its own: a
    parse error, a mapping that is not one, non-string keys, a possible anchor, alias or
    deep nesting (checked there), or front matter near the size limit.
    """
    split_source, may_nest_too_deep, parse_post, build_post, Metadata = _parser()
    source = split_source(raw, path)
    text = source.fm_text
    if (source.kind != "yaml" or len(text) * 4 > max_front_matter_bytes
            or _may_hold_alias(text) or may_nest_too_deep(text)):
        return parse_post(raw, path, context, max_front_matter_bytes)
    try:
        values = _load_yaml(text, context.flavour == "hugo")
    except Exception:  # the full parser reports it, with its position and code
        return parse_post(raw, path, context, max_front_matter_bytes)
    if values is None:
        values = {}
    if not isinstance(values, dict) or not all(isinstance(key, str) for key in values):
        return parse_post(raw, path, context, max_front_matter_bytes)
    return build_post(source, Metadata(values, {}), context)


@lru_cache(maxsize=1)
def _parser() -> tuple[
    Callable[[bytes, Path], Source], Callable[[str], bool],
    Callable[[bytes, Path, PostContext, int], Post],
    Callable[[Source, Metadata, PostContext], Post], type[Metadata],
]:
    """The parser's parts, imported once (not at module import: listing from the index
    does not parse)."""
    from postctl.post.model import build_post, parse_post
    from postctl.text.metadata import Metadata
    from postctl.text.source import split_source
    from postctl.text.yaml_metadata import may_nest_too_deep

    return split_source, may_nest_too_deep, parse_post, build_post, Metadata


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
_MAPPING_SPECIALS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


def _load_yaml(text: str, hugo: bool = False) -> Any:
    """``yaml.load(text, Loader=scalars.PostLoader)`` for text without anchors or aliases.

    The same C parser composes the nodes; strings, lists and plain mappings (nearly every
    node of front matter) are then built directly, and every other node by the loader's
    own constructors: several times faster than PyYAML's generic construction.
    """
    loader_class, construct = _yaml(hugo)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return None if node is None else construct(loader, node)
    finally:
        loader.dispose()


@lru_cache(maxsize=2)
def _yaml(hugo: bool = False) -> tuple[type, Callable[[Any, Any], Any]]:
    """The loader class and the node constructor of :func:`_load_yaml`.

    The class is ``scalars.PostLoader`` with a quicker tag resolution that gives the same
    tags: PyYAML's ``resolve`` runs for every scalar, concatenating two lists of implicit
    resolvers each time and calling path-resolver hooks, which front matter never uses.
    """
    import yaml

    from postctl.text.scalars import HugoLoader, PostLoader, key_is_text

    base = HugoLoader if hugo else PostLoader
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    table = base.yaml_implicit_resolvers
    anywhere = tuple(table.get(None, ()))
    by_first = {first: (*resolvers, *anywhere) for first, resolvers in table.items()}
    tags: tuple[str, str, str] = (PostLoader.DEFAULT_SCALAR_TAG,
                                  PostLoader.DEFAULT_SEQUENCE_TAG, PostLoader.DEFAULT_MAPPING_TAG)

    class ListingLoader(base):  # type: ignore[valid-type,misc]
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is scalar:
                if implicit[0]:  # value[:1] is "" for "", as BaseResolver looks it up
                    for tag, pattern in by_first.get(value[:1], anywhere):
                        if pattern.match(value):
                            return str(tag)
                return tags[0]
            return tags[1] if kind is sequence else tags[2]

    def construct(loader: Any, node: Any) -> Any:
        """The node's value; a string scalar (most of them) is read without a call."""
        kind = type(node)
        tag = node.tag
        if tag == _STR and kind is scalar:
            return node.value
        if tag == _SEQ and kind is sequence:
            return [item.value if item.tag == _STR and type(item) is scalar
                    else construct(loader, item) for item in node.value]
        if tag == _MAP and kind is mapping:
            built = {}
            for key, value in node.value:
                if key.tag in _MAPPING_SPECIALS:  # merge keys, "=": PyYAML's own rules
                    return loader.construct_object(node, deep=True)
                # A key is read as PostLoader reads it (a plain one as its text); an
                # unhashable key raises TypeError here: parse_post then reports it.
                built[key.value if type(key) is scalar and (key.tag == _STR or key_is_text(key))
                      else construct(loader, key)] = (
                    value.value if value.tag == _STR and type(value) is scalar
                    else construct(loader, value))
            return built
        return loader.construct_object(node, deep=True)

    if base.yaml_path_resolvers:  # pragma: no cover - none are ever added
        return base, construct
    return ListingLoader, construct


def scan_summaries(site: Site) -> Iterator[Summary | SourceError]:
    """Every post of the site as a Summary, read from the files (``--no-cache``)."""
    from postctl.site.scan import PostLoader, iter_post_files, read_post_bytes

    loader = PostLoader(site)
    limits = site.config.limits
    for item in iter_post_files(site):
        path = Path(item.path)
        if item.skip_reason:
            yield SourceError(path, item.skip_reason, code="E008")
            continue
        try:
            raw = read_post_bytes(path, limits.max_file_bytes)
            context = loader.context(path, item.folder)
            post = parse_for_listing(raw, path, context, limits.max_front_matter_bytes)
        except SourceError as exc:
            yield exc
            continue
        yield summarize(post, site, context.defaults)
