"""unitfiles.py: a shard of the sources' records is written from the groups' pickles as they are, and read back
as views of the file's bytes."""

from __future__ import annotations

import mmap
import os
import pickle
from pathlib import Path

import pytest

from builder.unitfiles import map_file, pack_units, unpack_units


def test_a_shard_is_read_back_as_it_was_packed_each_group_once() -> None:
    group = pickle.dumps({"a": 1, "b": 2})
    alone = pickle.dumps({"c": 3})
    shard = {"a": (b"key-a", group), "b": (b"key-b", group), "c": (b"key-c", alone)}
    pieces = pack_units(shard)
    assert pieces[2:] == [group, alone]  # each group's pickle as it is, once
    read = unpack_units(memoryview(b"".join(pieces)))
    assert {unit_id: (key, bytes(pickled)) for unit_id, (key, pickled) in read.items()} == shard
    assert read["a"][1] is read["b"][1]  # one view a group: unpickled once (DiskCache._group)
    assert pickle.loads(read["c"][1]) == {"c": 3}


def test_a_shard_whose_groups_do_not_fill_its_file_is_refused() -> None:
    packed = b"".join(pack_units({"a": (b"key", pickle.dumps({"a": 1}))}))
    with pytest.raises(ValueError):
        unpack_units(memoryview(packed + b"more"))
    with pytest.raises(ValueError):
        unpack_units(memoryview(packed[:-1]))


def test_a_shard_s_file_is_mapped_not_copied_and_an_empty_one_gives_no_bytes(tmp_path: Path) -> None:
    """map_file: the records are unpickled from the page cache's own pages (no 80 MB read into fresh memory at
    10,000 sources); a file written over by a later build (renamed into place) leaves the mapping as it was."""
    path = tmp_path / "units-00.bin"
    packed = b"".join(pack_units({"a": (b"key", pickle.dumps({"a": 1}))}))
    path.write_bytes(packed)
    mapped = map_file(path)
    assert isinstance(mapped, mmap.mmap) and mapped[:] == packed
    view = unpack_units(memoryview(mapped))["a"][1]
    replacement = tmp_path / "units-00.bin.new"
    replacement.write_bytes(b"another build's shard")
    os.replace(replacement, path)
    assert pickle.loads(view) == {"a": 1}
    (tmp_path / "empty.bin").write_bytes(b"")
    assert map_file(tmp_path / "empty.bin") == b""
