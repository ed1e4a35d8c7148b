"""stamps: an input's digest is taken again only when its stat says it may have changed, and only a stat that no
later write can repeat is trusted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder import cache, stamps
from builder.stamps import ReadStamps, input_files, stamp_inputs
from builder.write import digest


def _project(root: Path) -> None:
    (root / "site.yaml").write_text("title: t\n")
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "sources" / "a.md").write_text("text a")
    (root / "content" / ".a.md.swp").write_text("an editor's")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text("<html>")
    (root / "public").mkdir()
    (root / "public" / "index.html").write_text("not an input")


def test_input_files_are_the_project_s_inputs_sorted_without_hidden_ones(tmp_path: Path) -> None:
    _project(tmp_path)
    assert input_files(tmp_path) == ["content/sources/a.md", "site.yaml", "templates/base.html"]


def test_a_file_is_hashed_again_only_when_its_stat_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path)
    monkeypatch.setattr(cache, "RACY_NS", -1)  # no file written too recently for its stat to be trusted
    kept: dict[str, cache.Stamp] = {}
    found, read_now = stamp_inputs(tmp_path, kept, later=())
    assert found["content/sources/a.md"] == digest(b"text a")
    assert set(found) == set(read_now) == set(kept)
    assert all(stamp[:4] != (-1, -1, -1, -1) for stamp in kept.values())

    hashed: list[bytes] = []
    monkeypatch.setattr("builder.write.digest", lambda data: hashed.append(data) or digest(data))
    again, _ = stamp_inputs(tmp_path, kept, later=())
    assert again == found and hashed == []  # every stat the same: nothing read

    (tmp_path / "content" / "sources" / "a.md").write_text("text b")
    again, _ = stamp_inputs(tmp_path, kept, later=())
    assert hashed == [b"text b"] and again["content/sources/a.md"] == digest(b"text b")


def test_files_left_to_the_workers_are_not_read_here(tmp_path: Path) -> None:
    _project(tmp_path)
    found, read_now = stamp_inputs(tmp_path, {}, later={"content/sources/a.md"})
    assert "content/sources/a.md" not in found and "content/sources/a.md" not in read_now
    assert "site.yaml" in found


def test_a_file_written_within_the_racy_window_is_not_trusted_by_its_stat(tmp_path: Path) -> None:
    _project(tmp_path)
    kept: dict[str, cache.Stamp] = {}
    stamp_inputs(tmp_path, kept, later=())  # just written: its stat could be repeated by a write in the same tick
    assert kept["site.yaml"][:4] == (-1, -1, -1, -1)
    assert kept["site.yaml"][4] == digest(b"title: t\n")


def test_a_worker_s_stamp_is_of_the_bytes_it_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.md"
    path.write_text("read")
    monkeypatch.setattr(cache, "RACY_NS", -1)  # trusted although written a moment ago
    seen = ReadStamps({"a.md"})
    st = os.stat(path)
    seen("a.md", st, b"read")
    seen("other.md", st, b"not wanted")
    assert set(seen.found) == {"a.md"}
    stat_key, stamp = seen.found["a.md"]
    assert stat_key == cache.file_stat_key(st) and stamp == (*stat_key, digest(b"read"))
    assert stamps.INPUTS == ("site.yaml", "content", "templates")


def test_take_kept_gives_each_unchanged_file_its_kept_digest_and_stat_and_returns_the_changed_ones() -> None:
    """What a child found unchanged takes the stamp kept for it, without a stat or a loop in Python per file."""
    from builder.stamps import take_kept

    kept = {"a": (1, 2, 3, 4, b"A"), "b": (5, 6, 7, 8, b"B"), "c": (9, 10, 11, 12, b"C")}
    digests: dict[str, bytes] = {}
    stat_keys: dict[str, tuple[int, int, int, int]] = {}
    assert take_kept(kept, {"b", "gone"}, digests, stat_keys) == {"b": (5, 6, 7, 8, b"B")}
    assert digests == {"a": b"A", "c": b"C"} and stat_keys == {"a": (1, 2, 3, 4), "c": (9, 10, 11, 12)}
