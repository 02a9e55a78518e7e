"""The safe post reader (postctl.text.reading): regular files only, no links, bounded, lean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from postctl.errors import SourceError
from postctl.site import scan
from postctl.text import reading
from postctl.text.reading import FileStamp, read_post_bytes, read_stamped


def test_reads_a_regular_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    data = bytes(range(256)) * 5000  # more than one read chunk
    path.write_bytes(data)
    assert read_post_bytes(path, len(data)) == data


def test_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "f.md"
    os.mkfifo(fifo)
    with pytest.raises(SourceError) as caught:
        read_post_bytes(fifo, 1000)  # a plain open() would block forever
    assert str(caught.value) == f"{fifo}: not a regular file"
    assert caught.value.code == "E008"


def test_refuses_a_link_even_to_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("x")
    link = tmp_path / "z.md"
    link.symlink_to(target)
    with pytest.raises(SourceError) as caught:
        read_post_bytes(link, 1000)
    assert str(caught.value) == f"{link}: cannot read: is a symbolic link"


def test_refuses_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "d.md"
    folder.mkdir()
    with pytest.raises(SourceError) as caught:
        read_post_bytes(folder, 1000)
    assert caught.value.code == "E008"


def test_size_limit_is_inclusive(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"x" * 101)
    with pytest.raises(SourceError) as caught:
        read_post_bytes(path, 100)
    assert str(caught.value) == f"{path}: file is larger than the 100 byte limit"
    assert read_post_bytes(path, 101) == b"x" * 101


def test_a_device_that_reports_no_size_is_refused() -> None:
    with pytest.raises(SourceError) as caught:
        read_post_bytes(Path("/dev/zero"), 1000)
    assert caught.value.code == "E008"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_post_bytes(tmp_path / "gone.md", 100)
    assert caught.value.code == "E008" and "cannot read" in str(caught.value)


def test_read_stamped_stamps_the_file_it_read(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "a.md"
    path.write_bytes(b"---\ntitle: a\n---\n")
    info = os.stat(path)
    data, stamp = read_stamped(path, 100)
    assert data == path.read_bytes()
    assert stamp == FileStamp(info.st_mtime_ns, info.st_size, info.st_ino,
                              hashlib.sha256(data).hexdigest())


def test_read_stamped_refuses_what_the_reader_refuses(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"x" * 101)
    link = tmp_path / "z.md"
    link.symlink_to(path)
    with pytest.raises(SourceError, match="larger than the 100 byte limit"):
        read_stamped(path, 100)
    with pytest.raises(SourceError, match="is a symbolic link"):
        read_stamped(link, 1000)


def test_scan_re_exports_the_same_reader() -> None:
    assert scan.read_post_bytes is reading.read_post_bytes


def test_importing_the_reader_pulls_in_neither_yaml_nor_the_parser() -> None:
    code = (
        "import sys, postctl.text.reading; "
        "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith("
        "('postctl.post.model', 'postctl.text.source', 'postctl.text.metadata', "
        "'postctl.site.scan'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
