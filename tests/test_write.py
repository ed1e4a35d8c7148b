"""Output is atomic: the old folder survives any failure, and two pages never share a path."""

from pathlib import Path

import pytest

from builder.errors import ContentErrors
from builder.write import recover_interrupted
from tests.support.writing import write_site


def test_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_site({"a/index.html": b"one", "old.html": b"x"}, out)
    write_site({"a/index.html": b"two"}, out)
    assert (out / "a/index.html").read_bytes() == b"two" and not (out / "old.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("paths", [["a.html", "A.html"], ["../x.html"], ["/etc/x"]])
def test_refuses_bad_or_shared_paths(tmp_path: Path, paths: list[str]) -> None:
    out = tmp_path / "public"
    write_site({"keep.html": b"k"}, out)
    with pytest.raises(ContentErrors):
        write_site({p: b"" for p in paths}, out)
    assert (out / "keep.html").read_bytes() == b"k"


def test_recovers_from_a_build_killed_mid_swap(tmp_path: Path) -> None:
    # Where the folders cannot be exchanged in one step: killed between renaming the old one away and the new in.
    out = tmp_path / "public"
    (tmp_path / ".build-public-123-old").mkdir()
    (tmp_path / ".build-public-123-old" / "index.html").write_text("last good")
    (tmp_path / ".build-public-123").mkdir()
    recover_interrupted(out)
    assert (out / "index.html").read_text() == "last good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


