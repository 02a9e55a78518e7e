"""A schema inferred from posts: required when nearly all have a key, the strictest type
the values pass, small enums, counts in comments, and TOML that lint reads back."""

from __future__ import annotations

import datetime as dt

from postctl.lint.infer import gather, infer, schema_toml, with_schema
from postctl.lint.schema import load_schema
from postctl.site.settings_files import parse_toml

UTC = dt.timezone.utc


def posts() -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for i in range(40):
        values: dict[str, object] = {
            "title": f"Post {i}", "date": f"2024-01-{i % 28 + 1:02d}",
            "layout": "post" if i % 4 else "note", "tags": ["a", f"t{i}"],
            "comments": i % 2 == 0, "weight": i,
        }
        if i != 7:
            values["author"] = "Ann" if i % 3 else "Bo"
        if i < 6:
            values["image"] = f"/img/{i}.png"
        found.append(values)
    found[3]["weight"] = "heavy"  # the one value lint will report
    return found


def test_required_types_and_enums() -> None:
    total, keys = gather(posts())
    fields = {spec.name: spec for spec in infer(total, keys, UTC)}
    assert total == 40
    assert fields["title"].required and fields["title"].type == "string"
    assert fields["title"].allowed is None  # free text is never an enum
    assert fields["date"].type == "datetime"
    assert fields["author"].required and fields["author"].posts == 39  # 39 of 40 >= 95%
    assert fields["author"].allowed == (("Ann", 25), ("Bo", 14))
    assert fields["layout"].allowed == (("post", 30), ("note", 10))
    assert fields["comments"].type == "boolean"
    assert fields["weight"].type == "integer" and fields["weight"].typed == 39
    assert fields["tags"].type == "list" and fields["tags"].allowed is None  # t0..t39
    assert not fields["image"].required and fields["image"].type == "url"


def test_a_key_most_posts_lack_is_optional_and_a_mixed_one_untyped() -> None:
    values: list[dict[str, object]] = [{"x": 1}, {"x": "one"}, {"x": [1]}] + [{}] * 10
    total, keys = gather(values)
    (spec,) = infer(total, keys, UTC)
    assert (spec.required, spec.type) == (False, None)


def test_the_text_says_why_and_reads_back() -> None:
    total, keys = gather(posts())
    text = schema_toml(infer(total, keys, UTC), total, "test posts")
    assert 'type = "integer"     # 39 of 40 values' in text
    assert "required = true      # in 39 of 40 posts" in text
    assert '    "Ann",           # 25 posts' in text
    schema = load_schema(parse_toml(text)["schema"], None)
    assert schema.fields["author"].allowed == ("Ann", "Bo")
    assert schema.fields["weight"].type == "integer"


def test_with_schema_keeps_every_other_setting() -> None:
    existing = ('timezone = "UTC"  # mine\n\n[schema]\nstrict = true\n\n'
                '[schema.fields.title]\ntype = "string"\n\n[new]\nauthor = "Me"\n')
    merged = with_schema(existing, "[schema]\nstrict = false\n")
    assert 'timezone = "UTC"  # mine' in merged and '[new]\nauthor = "Me"' in merged
    assert parse_toml(merged)["schema"] == {"strict": False}


def test_tags_never_become_an_enum_but_categories_do() -> None:
    values = [{"tags": ["a", "b"], "categories": ["news"]} for _ in range(10)]
    total, keys = gather(values)
    fields = {spec.name: spec for spec in infer(total, keys, UTC)}
    assert fields["tags"].allowed is None  # a new post may bring a new tag
    assert fields["categories"].allowed == (("news", 10),)
