from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from postctl.edit.scaffold import (
    NewPostRequest,
    create_post,
    date_from_option,
    fields_from_assignments,
    plan_new_post,
)
from postctl.errors import PostExistsError, UsageError
from postctl.site.model import open_site

NOW = dt.datetime(2025, 3, 4, 21, 30, 15, 123456, tzinfo=dt.timezone.utc)


def front_matter(text: str) -> dict[str, object]:
    fm = text.split("---\n")[1]
    return yaml.load(fm, Loader=yaml.CSafeLoader)  # type: ignore[no-any-return]


def test_empty_jekyll_site_uses_jekyll_conventions(make_site) -> None:
    site = open_site(make_site())
    plan = plan_new_post(site, NewPostRequest("My First Post", tags=("a",)), NOW)
    assert plan.path == site.root / "_posts" / "2025-03-04-my-first-post.md"
    assert plan.text == (
        "---\nlayout: post\ntitle: My First Post\ndate: 2025-03-04 21:30:15 +00:00\n"
        "tags: [a]\n---\n\n"  # no empty categories: no post of the site writes them
    )


def test_date_in_site_time_zone_decides_the_filename(make_site) -> None:
    root = make_site(jekyll="timezone: Asia/Tokyo\n")
    plan = plan_new_post(open_site(root), NewPostRequest("Late"), NOW)
    # 21:30 UTC is already the next day in Tokyo
    assert plan.path.name == "2025-03-05-late.md"
    assert "date: 2025-03-05 06:30:15 +09:00\n" in plan.text


def test_follows_the_sites_prevailing_habits(make_site) -> None:
    post = (
        "---\ntitle: \"{n}\"\nauthor: Jo\ndate: 2024-01-0{n}T10:00:00+01:00\n"
        "tags:\n  - x\ncategories:\n  - c\nlayout: article\n---\nbody\n"
    )
    root = make_site(posts={f"_posts/2024-01-0{n}-p{n}.md": post.format(n=n) for n in range(1, 4)})
    plan = plan_new_post(open_site(root), NewPostRequest("New one", tags=("t1", "t2")), NOW)
    # Jo wrote the other posts: Jo is not the author of this one
    assert plan.text == (
        "---\ntitle: New one\ndate: 2025-03-04T21:30:15+00:00\n"
        "tags:\n  - t1\n  - t2\ncategories: []\nlayout: article\n---\n\n"
    )
    mine = plan_new_post(open_site(root), NewPostRequest("New one", user="Me"), NOW)
    assert mine.text.startswith("---\ntitle: New one\nauthor: Me\ndate: ")


def test_config_overrides_habits(make_site) -> None:
    config = '[new]\nauthor = "Cfg"\nkeys = ["title", "date", "tags"]\ndate_format = "%Y-%m-%d"\n'
    root = make_site(config=config)
    plan = plan_new_post(open_site(root), NewPostRequest("X", date=NOW, tags=("t",)), NOW)
    values = front_matter(plan.text)
    assert list(values)[:3] == ["title", "date", "tags"]
    assert values["author"] == "Cfg"
    # a format without an offset gets one, so no reader can shift the day
    assert '\ndate: "2025-03-04 +00:00"\n' in plan.text


@pytest.mark.parametrize(
    "title",
    ["no", "yes", "1.10", "2024-01-01", "null", "~", "@handle", "a: b", "# not a comment",
     " leading", "trailing ", 'say "hi"', "it's", "a #b", "- item", "[x]", "{y}", "%tag",
     "tab\there", "bell\x07", "Zürich Привет 🎉", "\u2028sep", "line\nbreak"],
)
def test_hostile_titles_round_trip(make_site, title: str) -> None:
    site = open_site(make_site())
    plan = plan_new_post(site, NewPostRequest(title, tags=(title,), slug="s"), NOW)
    values = front_matter(plan.text)
    assert values["title"] == title
    assert values["tags"] == [title]


@settings(max_examples=60, deadline=None)
@given(title=st.text(min_size=1).filter(lambda s: bool(s.strip())),
       tags=st.lists(st.text(min_size=1), max_size=3))
def test_any_title_and_tags_round_trip(tmp_path_factory, title: str, tags: list[str]) -> None:
    root = tmp_path_factory.mktemp("site")
    (root / "_posts").mkdir()
    if any(0xD800 <= ord(c) <= 0xDFFF for c in title + "".join(tags)):
        return
    site = open_site(root)
    plan = plan_new_post(site, NewPostRequest(title, tags=tuple(tags), slug="s"), NOW)
    values = front_matter(plan.text)
    assert values["title"] == title
    assert values.get("tags", []) == tags


def test_draft_goes_to_drafts_without_date_prefix(make_site) -> None:
    site = open_site(make_site())
    plan = plan_new_post(site, NewPostRequest("Draft one", draft=True), NOW)
    assert plan.path == site.root / "_drafts" / "draft-one.md"
    assert "date" not in front_matter(plan.text)


def test_hugo_post_and_draft(make_site) -> None:
    root = make_site(jekyll=None)
    (root / "_posts").rmdir()
    (root / "hugo.toml").write_text('title = "x"\n')
    (root / "content").mkdir()
    site = open_site(root)
    plan = plan_new_post(site, NewPostRequest("Hugo post", draft=True, section="notes"), NOW)
    assert plan.path == root / "content" / "notes" / "hugo-post.md"
    values = front_matter(plan.text)
    assert values["draft"] is True
    assert values["date"] == NOW.replace(microsecond=0)


def test_template_gives_keys_defaults_and_body(make_site, tmp_path: Path) -> None:
    template = tmp_path / "tpl.md"
    template.write_text(
        "---\nlayout: longform\ntitle: placeholder\nseries: none\n---\nBody here.\n"
    )
    site = open_site(make_site())
    plan = plan_new_post(site, NewPostRequest("T", template=template), NOW)
    values = front_matter(plan.text)
    assert list(values)[:3] == ["layout", "title", "series"]
    assert values["layout"] == "longform" and values["title"] == "T" and values["series"] == "none"
    assert plan.text.endswith("---\nBody here.\n")


def test_never_overwrites_and_force_replaces(make_site) -> None:
    site = open_site(make_site())
    plan = plan_new_post(site, NewPostRequest("Same"), NOW)
    create_post(plan)
    plan.path.write_text("user text")
    with pytest.raises(PostExistsError):
        create_post(plan)
    assert plan.path.read_text() == "user text"
    create_post(plan, force=True)
    assert plan.path.read_text() == plan.text


def test_case_folded_collision_is_refused(make_site) -> None:
    root = make_site(posts={"_posts/2025-03-04-Same.md": "---\ntitle: x\n---\n"})
    plan = plan_new_post(open_site(root), NewPostRequest("same"), NOW)
    with pytest.raises(PostExistsError):
        create_post(plan)


# --- the values of --set and --date ---------------------------------------------------------


def test_assignments_are_read_as_yaml_values() -> None:
    assert fields_from_assignments(
        ["featured=true", "rank=3", "tags2=[a, b]", "note=plain words", "empty=", "k-ey= x: y"]
    ) == {"featured": True, "rank": 3, "tags2": ["a", "b"], "note": "plain words", "empty": "",
          "k-ey": " x: y"}  # a mapping stays text
    assert fields_from_assignments(["bad=[unclosed"]) == {"bad": "[unclosed"}


@pytest.mark.parametrize("assignment", ["no equals", "=value", "a b=c", "1st=x", "x.y=1"])
def test_an_assignment_without_a_simple_key_is_a_usage_error(assignment: str) -> None:
    with pytest.raises(UsageError, match="KEY=VALUE"):
        fields_from_assignments([assignment])


def test_a_date_option_takes_the_site_zone_and_names_itself_when_wrong() -> None:
    zone = dt.timezone(dt.timedelta(hours=2))
    assert date_from_option("2024-05-06 07:08", zone) == dt.datetime(2024, 5, 6, 7, 8,
                                                                      tzinfo=zone)
    with pytest.raises(UsageError, match=r"^--date: "):
        date_from_option("2024-13-01", zone)


@pytest.mark.parametrize(("dates", "expected"), [
    # Jekyll's own style, +0100, written plain as the posts write it
    (["2024-01-0{n} 10:00:00 +0100"] * 2 + ["2024-01-0{n}T10:00:00+01:00"],
     "date: 2025-03-04 22:30:15 +0100\n"),
    # the ISO style wins whole; dates without a time do not vote
    (["2024-01-0{n}T10:00:00+01:00"] * 2 + ["2024-01-0{n} 10:00:00 +0100"]
     + ["2024-01-0{n}"] * 3, "date: 2025-03-04T22:30:15+01:00\n"),
    (["2024-01-0{n} 10:00:00 +01:00"] * 2 + ["2024-01-0{n}"] * 3,
     "date: 2025-03-04 22:30:15 +01:00\n"),
])
def test_the_date_is_written_in_the_one_style_most_posts_use(
        make_site, dates: list[str], expected: str) -> None:
    posts = {f"_posts/2024-01-0{n}-p{n}.md": f"---\ntitle: P\ndate: {date.format(n=n)}\n---\n"
             for n, date in enumerate(dates, 1)}
    root = make_site(posts=posts, jekyll="timezone: Europe/Berlin\n")
    plan = plan_new_post(open_site(root), NewPostRequest("New"), NOW)
    assert expected in plan.text
    assert plan.front_matter_dict()["date"] == NOW.replace(microsecond=0)


def test_empty_lists_are_written_only_where_the_posts_write_them(make_site) -> None:
    bare = make_site(posts={"_posts/2024-01-01-a.md": "---\ntitle: A\n---\n"}, name="bare")
    plan = plan_new_post(open_site(bare), NewPostRequest("New"), NOW)
    assert "tags" not in plan.text and "categories" not in plan.text
    tagged = make_site(posts={"_posts/2024-01-01-a.md": "---\ntitle: A\ntags: [x]\n---\n"},
                       name="tagged")
    plan = plan_new_post(open_site(tagged), NewPostRequest("New"), NOW)
    assert "\ntags: []\n" in plan.text and "categories" not in plan.text


def test_the_chosen_posts_folder_is_written_into(make_site) -> None:
    root = make_site(jekyll=None)
    (root / "_posts").rmdir()
    (root / "hugo.toml").write_text('title = "x"\n')
    (root / "content").mkdir()
    (root / "blog").mkdir()
    plan = plan_new_post(open_site(root), NewPostRequest("Hugo post", folder=root / "blog"), NOW)
    assert plan.path == root / "blog" / "posts" / "hugo-post.md"
    jekyll = make_site(posts={"news/_posts/2024-01-01-a.md": "---\ntitle: A\n---\n",
                              "news/_drafts/b.md": "---\ntitle: B\n---\n"}, name="jekyll")
    site = open_site(jekyll)
    draft = plan_new_post(site, NewPostRequest("Idea", draft=True,
                                               folder=jekyll / "news" / "_posts"), NOW)
    assert draft.path == jekyll / "news" / "_drafts" / "idea.md"
