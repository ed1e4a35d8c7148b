import json, os
from pathlib import Path
from builder.write import update_site, write_site, recover_interrupted, JOURNAL

def test_update(tmp_path):
    out = tmp_path / "public"
    update_site({"a/index.html": b"one", "b/index.html": b"two", "c/d/e.html": b"x"}, out)
    ino = (out / "b/index.html").stat().st_ino; mt = (out / "b/index.html").stat().st_mtime_ns
    update_site({"a/index.html": b"uno", "b/index.html": b"two", "n.html": b"new"}, out)
    assert (out / "a/index.html").read_bytes() == b"uno"
    assert (out / "b/index.html").stat().st_ino == ino and (out / "b/index.html").stat().st_mtime_ns == mt
    assert not (out / "c").exists() and (out / "n.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
    update_site({"a": b"file now"}, out)  # a folder becomes a file
    assert (out / "a").read_bytes() == b"file now" and sorted(os.listdir(out)) == ["a"]

def test_roll_forward(tmp_path):
    out = tmp_path / "public"
    write_site({"a.html": b"old", "gone.html": b"g"}, out)
    staging = tmp_path / ".build-public-99"; staging.mkdir()
    (staging / "a.html").write_bytes(b"new")
    (staging / JOURNAL).write_text(json.dumps({"changed": ["a.html"], "stale": ["gone.html"]}))
    recover_interrupted(out)
    assert (out / "a.html").read_bytes() == b"new" and not (out / "gone.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]
