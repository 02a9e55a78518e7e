"""Where postctl keeps its per-site state: the cache folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from postctl.site.cache import cache_dir, journal_dir, site_key


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("POSTCTL_CACHE_DIR")
    assert cache_dir().name == "postctl"


def test_each_site_has_its_own_name_and_journal(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setenv("POSTCTL_CACHE_DIR", str(tmp_path / "c"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert site_key(tmp_path / "a") != site_key(tmp_path / "b")
    assert site_key(tmp_path / "a" / ".." / "a") == site_key(tmp_path / "a")
    assert journal_dir(tmp_path / "a") == tmp_path / "c" / "journal" / site_key(tmp_path / "a")


def test_the_cache_folder_is_the_one_platformdirs_names(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    import platformdirs

    monkeypatch.delenv("POSTCTL_CACHE_DIR", raising=False)
    for xdg in (None, str(tmp_path / "xdg")):
        if xdg is None:
            monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", xdg)
        assert cache_dir() == Path(platformdirs.user_cache_dir("postctl", appauthor=False))
