"""postctl links: backlinks of every kind (post_url, link, URL; Hugo ref/relref), the links a
post makes with lint's verdict, and --related from the search index."""

from __future__ import annotations

import json

import pytest

TARGET = "_posts/2024-01-02-target.md"
POSTS = {
    TARGET: "---\ntitle: Target\ntags: [bread, rye]\n---\nRye sourdough loaf crumb hydration.\n"
            "[gone]({% post_url 2020-01-01-gone %}) [ok]({% post_url 2024-02-03-by-tag %}) "
            "[nowhere](/no/such/page/)\n",
    "_posts/2024-02-03-by-tag.md": "---\ntitle: By tag\ntags: [bread, rye]\n---\n"
                                   "Nothing alike here.\n",
    "_posts/2024-03-04-by-words.md": "---\ntitle: Words\n---\nA rye sourdough loaf, its crumb "
                                     "and hydration. See {% post_url 2024-01-02-target %}.\n",
    "_posts/2024-04-05-by-url.md": "---\ntitle: URL\n---\n[t]({{ site.baseurl }}/2024/01/02/"
                                   "target.html#top) and {% link _posts/2024-01-02-target.md %}\n",
    "_posts/2024-05-06-unrelated.md": "---\ntitle: Other\ntags: [cars]\n---\nEngines.\n",
    "_posts/2024-06-07-code.md": "---\ntitle: Code\n---\n`{% post_url 2024-01-02-target %}`\n",
}
JEKYLL = "title: T\ntimezone: UTC\npermalink: /:year/:month/:day/:title.html\n"


@pytest.fixture
def site(make_site):
    return make_site(posts=POSTS, jekyll=JEKYLL)


def links_json(cli, root, *args):
    result = cli("--root", str(root), "links", *args, "--format", "json")
    assert result.exit_code == 0, result
    return json.loads(result.stdout)


def test_backlinks_of_every_kind(cli, site) -> None:
    data = links_json(cli, site, "target")
    found = {(item["path"], item["kind"]) for item in data["backlinks"]}
    assert found == {("_posts/2024-03-04-by-words.md", "post_url"),
                     ("_posts/2024-04-05-by-url.md", "url"),
                     ("_posts/2024-04-05-by-url.md", "link")}  # code spans are not links
    assert data["url"] == "/2024/01/02/target.html"


def test_the_links_it_makes_and_which_are_broken(cli, site) -> None:
    data = links_json(cli, site, TARGET)
    verdicts = {item["target"]: item["broken"] for item in data["links"]}
    assert verdicts == {"2020-01-01-gone": True, "2024-02-03-by-tag": False,
                        "/no/such/page/": True}
    ok = next(item for item in data["links"] if not item["broken"])
    assert ok["title"] == "By tag" and ok["url"] == "/2024/02/03/by-tag.html"
    text = cli("--root", str(site), "links", "target").stdout
    assert "Links: 3, 2 broken" in text and "BROKEN (error): post_url" in text


def test_related_shares_tags_and_words(cli, site) -> None:
    data = links_json(cli, site, "target", "--related")
    related = [item["path"] for item in data["related"]]
    assert set(related[:2]) == {"_posts/2024-02-03-by-tag.md", "_posts/2024-03-04-by-words.md"}
    assert "_posts/2024-05-06-unrelated.md" not in related
    assert TARGET not in related
    assert {"sourdough", "hydration"} <= set(data["key_words"])
    by_tag = next(item for item in data["related"] if item["path"].endswith("by-tag.md"))
    assert by_tag["shared_tags"] == ["bread", "rye"]


def test_hugo_ref_and_relref(cli, make_site) -> None:
    root = make_site(posts={
        "content/posts/target.md": "---\ntitle: Target\n---\nbody\n",
        "content/posts/a.md": '---\ntitle: A\n---\n{{< ref "target" >}}\n',
        "content/posts/b.md": '---\ntitle: B\n---\n{{< relref "posts/target.md" >}}\n',
    }, jekyll=None)
    (root / "hugo.toml").write_text('title = "x"\n')
    data = links_json(cli, root, "content/posts/target.md")
    assert {(item["path"], item["kind"]) for item in data["backlinks"]} == {
        ("content/posts/a.md", "ref"), ("content/posts/b.md", "relref")}


def test_an_unknown_post_is_a_usage_error(cli, site) -> None:
    result = cli("--root", str(site), "links", "no-such-post-anywhere")
    assert result.exit_code == 2 and "no post matches" in result.stderr
