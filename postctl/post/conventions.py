"""What a site's existing posts mostly do: key order, date format, layout, list style, and
which keys most of them write. ``postctl new`` follows these where the config does not say.
Nothing here names a person: a new post's author is never taken from other posts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from postctl.post.model import Post

SAMPLE_SIZE = 60
JEKYLL_KEYS = ("layout", "title", "date", "author", "categories", "tags")
HUGO_KEYS = ("title", "date", "draft", "author", "categories", "tags")
JEKYLL_DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
HUGO_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%:z"

# The written shape of a date → the strftime format (postctl.text.emit's) that writes that
# shape whole, offset included: ``+0100`` (%-z) and ``+01:00`` (%:z) are two styles. A date
# alone has no time style, and does not vote.
DATE_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)?$"),
     "%Y-%m-%dT%H:%M:%S%:z"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$"), "%Y-%m-%d %H:%M:%S %-z"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: [+-]\d{2}:\d{2})?$"),
     "%Y-%m-%d %H:%M:%S %:z"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{4}$"), "%Y-%m-%d %H:%M %-z"),
    (re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: [+-]\d{2}:\d{2})?$"), "%Y-%m-%d %H:%M %:z"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?:[+-]\d{2}:\d{2}|Z)?$"), "%Y-%m-%dT%H:%M%:z"),
)


@dataclass(frozen=True)
class Conventions:
    keys: tuple[str, ...]
    date_format: str
    layout: str | None
    list_style: str  # "flow" | "block"
    # The keys at least half of the posts write (an empty list is written only for these).
    present: frozenset[str] = frozenset()


def default_conventions(flavour: str) -> Conventions:
    if flavour == "hugo":
        return Conventions(HUGO_KEYS, HUGO_DATE_FORMAT, None, "flow")
    return Conventions(JEKYLL_KEYS, JEKYLL_DATE_FORMAT, "post", "flow")


def infer_conventions(posts: Iterable[Post], flavour: str) -> Conventions:
    """The majority habits of ``posts``; the flavour's defaults where there are none."""
    default = default_conventions(flavour)
    orders: Counter[tuple[str, ...]] = Counter()
    formats: Counter[str] = Counter()
    layouts: Counter[str] = Counter()
    styles: Counter[str] = Counter()
    written: Counter[str] = Counter()
    count = 0
    for post in posts:
        count += 1
        keys = post.metadata.keys
        written.update(list(keys))
        orders[tuple(key for key in keys if key in default.keys)] += 1
        if "date" in keys:
            shape = date_format_of(keys["date"].value_text.strip("'\""))
            if shape:
                formats[shape] += 1
        if isinstance(post.metadata.values.get("layout"), str):
            layouts[post.metadata.values["layout"]] += 1
        for name in ("tags", "categories"):
            if name in keys and isinstance(post.metadata.values.get(name), list):
                styles["flow" if keys[name].value_text.startswith("[") else "block"] += 1
    return Conventions(
        keys=_merge_order(orders.most_common(1)[0][0] if orders else (), default.keys),
        date_format=_top(formats) or default.date_format,
        layout=_top(layouts) if layouts else default.layout,
        list_style=_top(styles) or default.list_style,
        present=frozenset(key for key, seen in written.items() if 2 * seen >= count),
    )


def date_format_of(text: str) -> str | None:
    for pattern, fmt in DATE_SHAPES:
        if pattern.match(text):
            return fmt
    return None


def _top(counter: Counter[str]) -> str | None:
    return counter.most_common(1)[0][0] if counter else None


def _merge_order(seen: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
    """The most common order of known keys, with the keys it lacks in default order."""
    order = list(seen)
    for key in default:
        if key not in order:
            before = [k for k in default[: default.index(key)] if k in order]
            position = order.index(before[-1]) + 1 if before else 0
            order.insert(position, key)
    return tuple(order)
