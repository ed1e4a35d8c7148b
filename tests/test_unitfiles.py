"""unitfiles.py: a shard of the sources' records is written from the groups' pickles as they are, and read back
as views of the file's bytes."""

from __future__ import annotations

import pickle

import pytest

from builder.unitfiles import pack_units, unpack_units


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
