"""The sources' records as the disk cache keeps them: pickled by groups (the sources a worker checked together, of
one shard), and each shard's file packed from those pickles as they are."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .units import UnitRecords

Buffer = bytes | memoryview  # a pickle, or a view of one in a cache file's bytes (unpack_units)


def pickle_units(group: dict[str, UnitRecords]) -> bytes:
    """Sources' records, by id, as the disk cache keeps them (and as a worker sends them, so they are pickled once):
    all of one shard (shard_of)."""
    return pickle.dumps(group, pickle.HIGHEST_PROTOCOL)


def pack_units(shard: Mapping[str, tuple[bytes, Buffer]]) -> list[Buffer]:
    """A shard as its file holds it, in pieces: the length of a pickle of each source's key and group's number and
    of the groups' lengths, that pickle, then each group's pickle as it is. Pickling the shard whole copied each
    group's bytes into one (80 MB in a cold build, and the pages of memory that takes)."""
    numbers: dict[int, int] = {}
    groups: list[Buffer] = []
    index = {}
    for unit_id, (key, pickled) in shard.items():
        if id(pickled) not in numbers:
            numbers[id(pickled)] = len(groups)
            groups.append(pickled)
        index[unit_id] = (key, numbers[id(pickled)])
    head = pickle.dumps((index, [len(group) for group in groups]), protocol=pickle.HIGHEST_PROTOCOL)
    return [len(head).to_bytes(8, "little"), head, *groups]


def unpack_units(payload: memoryview) -> dict[str, tuple[bytes, memoryview]]:
    """A shard as pack_units wrote it: each source's key and its group's pickle (a view of the file's bytes)."""
    start = 8 + int.from_bytes(payload[:8], "little")
    index, lengths = pickle.loads(payload[8:start])
    groups = []
    for length in lengths:
        groups.append(payload[start:start + length])
        start += length
    if start != len(payload):
        raise ValueError("a shard's groups do not end where its file does")
    return {unit_id: (key, groups[number]) for unit_id, (key, number) in index.items()}
