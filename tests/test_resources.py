"""Resource bombs finish fast with a SourceError (docs/guarantees.md: Limits).

Each bomb runs in a child process limited to 512 MiB of address space and 5 s of CPU, so a
regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")

MIB = 1024 * 1024

CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (512 * 1024 * 1024, 512 * 1024 * 1024))
resource.setrlimit(resource.RLIMIT_CPU, (5, 5))
from pathlib import Path
from postctl.errors import SourceError

mode, target = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
try:
    if mode == "parse":
        from postctl.text.dates import zone
        from postctl.post.model import PostContext, parse_post
        from postctl.site.scan import read_post_bytes
        raw = read_post_bytes(target, 10 * 1024 * 1024)
        start = time.perf_counter()
        parse_post(raw, target, PostContext(root=target.parent, tz=zone("UTC")))
        outcome = {"result": "post"}
    else:
        from postctl.site.scan import scan_posts
        from postctl.site.model import open_site
        items = list(scan_posts(open_site(target)))
        outcome = {"result": "scan", "items": [
            [Path(i.path).name, getattr(i, "code", None),
             str(i) if isinstance(i, SourceError) else None] for i in items]}
except SourceError as exc:
    outcome = {"result": "error", "code": exc.code, "message": str(exc)}
outcome["elapsed"] = time.perf_counter() - start
print(json.dumps(outcome))
"""


def run_child(mode: str, target: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(target)],
                          capture_output=True, text=True, timeout=30,
                          env={**os.environ, "PYTHONWARNINGS": "error"})
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def billion_laughs() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return ("---\n" + "\n".join(lines) + "\n---\n").encode()


def merge_key_bomb() -> bytes:
    lines = ["a: &a {x: 1, y: 2}"]
    for level in range(1, 20):
        lines.append(f"k{level}: &k{level}\n  <<: *{'a' if level == 1 else f'k{level - 1}'}")
    return ("---\n" + "\n".join(lines) + "\n---\n").encode()


def indented_mappings(levels: int) -> bytes:
    body = "".join(" " * i + f"k{i}:\n" for i in range(levels))
    return ("---\n" + body + "---\n").encode()


BOMBS: dict[str, tuple[Callable[[], bytes], str]] = {
    "yaml-billion-laughs": (billion_laughs, "E007"),
    "yaml-merge-key-aliases": (merge_key_bomb, "E007"),
    "yaml-100k-brackets": (lambda: b"---\na: " + b"[" * 100_000 + b"\n---\n", "E007"),
    "yaml-100k-braces": (lambda: b"---\na: " + b"{" * 100_000 + b"\n---\n", "E007"),
    "yaml-100k-compact-sequences": (lambda: b"---\na:\n" + b"- " * 100_000 + b"x\n---\n",
                                    "E007"),
    "yaml-100k-complex-keys": (lambda: b"---\n" + b"? " * 100_000 + b"x\n---\n", "E007"),
    "yaml-600-indented-mappings": (lambda: indented_mappings(600), "E007"),
    "yaml-100k-digit-integer": (lambda: b"---\na: " + b"9" * 100_000 + b"\n---\n", "E004"),
    "json-100k-brackets": (lambda: b'{"a": ' + b"[" * 100_000 + b"\n", "E007"),
    "json-deep-but-complete": (lambda: b'{"a": ' + b"[" * 900 + b"]" * 900 + b"}\n", "E007"),
    "toml-100k-brackets": (lambda: b"+++\na = " + b"[" * 100_000 + b"\n+++\n", "E007"),
    "front-matter-over-256-kib": (
        lambda: b"---\n" + b"".join(b"k%d: %s\n" % (i, b"v" * 60) for i in range(5000))
        + b"---\n", "E008"),
    "file-over-10-mib": (lambda: b"---\ntitle: x\n---\n" + b"x" * (10 * MIB + 1), "E008"),
    "unclosed-front-matter-7-mib": (lambda: b"---\n" + b"a: b\n" * (MIB + MIB // 2), "E002"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_bomb_is_a_fast_source_error(tmp_path: Path, name: str) -> None:
    make, code = BOMBS[name]
    target = tmp_path / f"{name}.md"
    target.write_bytes(make())
    outcome = run_child("parse", target)
    assert outcome["result"] == "error", outcome
    assert outcome["code"] == code, outcome
    assert "\n" not in str(outcome["message"])
    elapsed = outcome["elapsed"]
    assert isinstance(elapsed, float) and elapsed < 1.0


def test_fifo_and_dev_zero_link_in_posts_never_block(tmp_path: Path) -> None:
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (tmp_path / "site" / "_config.yml").write_text("timezone: UTC\n")
    (posts / "2024-01-01-ok.md").write_text("---\ntitle: ok\n---\n")
    os.mkfifo(posts / "2024-01-02-fifo.md")
    (posts / "2024-01-03-zero.md").symlink_to("/dev/zero")
    (posts / "nested").symlink_to("/dev", target_is_directory=True)
    outcome = run_child("scan", tmp_path / "site")
    assert outcome["items"] == [
        ["2024-01-01-ok.md", None, None],
        ["2024-01-02-fifo.md", "E008",
         f"{posts.resolve() / '2024-01-02-fifo.md'}: is not a regular file; skipped"],
        ["2024-01-03-zero.md", "E008",
         f"{posts.resolve() / '2024-01-03-zero.md'}: is a symbolic link; skipped"],
    ]
    elapsed = outcome["elapsed"]
    assert isinstance(elapsed, float) and elapsed < 1.0


def test_reading_a_device_directly_is_refused(tmp_path: Path) -> None:
    from postctl.errors import SourceError
    from postctl.site.scan import read_post_bytes

    with pytest.raises(SourceError, match="not a regular file"):
        read_post_bytes(Path("/dev/zero"), 1000)
