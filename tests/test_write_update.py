"""A rebuild into an existing folder writes only what changed, and a journal finishes an interrupted update."""

import json
import os
import shutil
from pathlib import Path

import pytest

from builder.write import JOURNAL, MARKER, Output, recover_interrupted
from tests.support.writing import update_site, write_site


def test_writes_only_changed_files_and_deletes_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "public"
    update_site({"a/index.html": b"one", "b/index.html": b"two", "c/d/e.html": b"x"}, out)
    kept = (out / "b/index.html").stat()
    update_site({"a/index.html": b"uno", "b/index.html": b"two", "n.html": b"new"}, out)
    assert (out / "a/index.html").read_bytes() == b"uno" and (out / "n.html").read_bytes() == b"new"
    now = (out / "b/index.html").stat()
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)
    assert not (out / "c").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_folder_that_becomes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "public"
    update_site({"a/index.html": b"one"}, out)
    update_site({"a": b"file now"}, out)
    assert (out / "a").read_bytes() == b"file now" and sorted(os.listdir(out)) == [MARKER, "a"]


def test_known_digests_spare_reading_back(tmp_path: Path) -> None:
    out, known = tmp_path / "public", {}
    update_site({"a.html": b"one", "b.html": b"two"}, out, known)
    update_site({"a.html": b"uno", "b.html": b"two"}, out, known)
    assert (out / "a.html").read_bytes() == b"uno" and set(known) == {"a.html", "b.html"}


def test_an_interrupted_update_is_finished(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site({"a.html": b"old", "gone.html": b"g"}, out)
    staging = tmp_path / ".build-public-99"
    staging.mkdir()
    (staging / "a.html").write_bytes(b"new")
    (staging / JOURNAL).write_text(json.dumps({"changed": ["a.html"], "stale": ["gone.html"]}))
    recover_interrupted(out)
    assert (out / "a.html").read_bytes() == b"new" and not (out / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_folder_is_made_once_for_its_files_and_again_when_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    """The downloads of 10,000 sources share one folder: it is made once, not tried for each file; and if it is
    removed while the build writes into it, it is made again rather than the build failing."""
    output = Output(tmp_path / "public")
    made: list[str] = []
    mkdir = os.mkdir
    monkeypatch.setattr(os, "mkdir", lambda path, *args: (made.append(path), mkdir(path, *args))[1])
    try:
        for out_path in ("data/a.json", "data/b.json", "data/c.json"):
            output.put(out_path, out_path.encode())
        assert made == [os.path.join(output.staging, "data")]
        shutil.rmtree(output.staging / "data")  # by hand, while the build runs
        output.put("data/d.json", b"d")
        output.put("data/e.json", iter([b"e", b"e"]))
        assert (output.staging / "data" / "d.json").read_bytes() == b"d"
        assert (output.staging / "data" / "e.json").read_bytes() == b"ee"
        assert sorted(os.listdir(output.staging / "data")) == ["d.json", "e.json"]
    finally:
        output.abandon()
