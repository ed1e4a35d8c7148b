"""The validated records as the disk cache keeps them: the sources' pickled by groups (the sources a worker checked
together, of one shard), each shard's file packed from those pickles as they are; the site's own files' as one
pickle (kept_shared)."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cache import DiskCache
    from .units import UnitRecords
    from .validate import Shared

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


def kept_shared(disk: DiskCache, root: Path, make: Callable[[], Shared]) -> Shared:
    """The site's own files validated (validate_shared's Shared): as a build kept them under the same key (every
    global file's digest and the settings: DiskCache.global_key, which each source's key holds too), else made.

    An edit of a source or a claim changes none of them, and they were read and validated again at every build
    (203 countries' YAML at 10,000 pages). Only what validated without an error is kept (errors are reported
    again, so they are found again); it is pickled as soon as it is made, for assemble_site adds every source's
    citations and ids to its validator afterwards."""
    from . import validate  # the check's stages: a build with nothing changed reads this module, not them
    from .load import RawContent

    made: list[Shared] = []

    def pickled() -> bytes | None:
        shared = make()
        made.append(shared)
        if shared.validator.log or shared.site is None:
            return None
        kept = copy.copy(shared.validator)
        # What validate_shared alone reads: the files' parses (half the bytes) and its events' nodes, by id().
        kept.raw, kept.event_nodes = RawContent(root=root, failed=set(kept.raw.failed)), {}
        return pickle.dumps(replace(shared, validator=kept), pickle.HIGHEST_PROTOCOL)

    from .cache import key_of

    # and a site's own map geometry, which no source's key holds: validate_shared reads it (regions.off_map)
    geometry = sorted((path, found) for path, found in disk.digests.items() if path.startswith("templates/geo/"))
    known = disk.memo("shared", key_of(disk.global_key, geometry) if geometry else disk.global_key, pickled)
    if made:
        return made[0]
    try:
        shared = pickle.loads(known) if known is not None else None
    except Exception:  # damaged though its file's checksum matched: made again
        shared = None
    if not isinstance(shared, validate.Shared):
        return make()
    shared.validator.raw.root = root  # the only path it holds: the project may have moved with its cache
    return shared
