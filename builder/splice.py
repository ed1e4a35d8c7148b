"""A whole download made from the last build's: site.json and claims.csv are 96 MB at 10,000 sources, and an edit
changes a few of their records. The new file is written from its parts (export.Part): new bytes, and runs of the
last build's file read and written again. The new file's digest hashes only the groups around the changes and
takes the others' from the last file's (digests.Groups, whose groups the layout keeps). A copy in the kernel,
os.copy_file_range, costs the same as the read and the write here on a file system without shared extents.

What is relied on is checked first, and a splice is refused (Refused) rather than risked: the folder's file must
be the one the disk cache verified (its stat as found then, before and after the copy, and the size the cache
recorded), every run copied must begin and end as the records it holds do, and each read must be whole. The
caller then assembles the file from every source's share.
"""

from __future__ import annotations

import array
import bisect
import contextlib
import itertools
import operator
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from .cache import KEY_BYTES, file_stat_key
from .digests import Copied, Table, usable
from .export import Copy, Part

CHUNK = 1 << 20  # copied runs are read and written this much at a time
RUN = 1 << 16  # new bytes are written together once this many have come
Layout = tuple[int, list[str], list[str], "array.array[int]"]
"""A run of records in a whole file, as a build made it: where the first starts, and each one's key, source and
length, in the file's order (lengths packed: no object a record)."""
NewRecord = tuple[str, str, tuple[bytes, ...]]  # key, source, the pieces of its value


class Refused(Exception):
    """The last build's file is not what the layout kept of it says: no splice."""


class Section:
    """A run of records in a whole file (site.json's sources or claims, claims.csv's rows), in the order of their
    keys, joined by `sep`, each `head(key)` and its value: the last build's (laid out as `old` says) but those of
    the sources that changed (`gone`), and the `new` ones in their places. The last build's records between two
    changes are copied as one run, which must begin with its first key's head and end with `tail`; the Python
    work is the changes'. Made whole (no `old`), a record's objects live only while it is written."""

    def __init__(self, old: Layout | None, gone: AbstractSet[str], new: Iterable[NewRecord], sep: bytes,
                 head: Callable[[str], bytes], tail: bytes) -> None:
        self.old = old or (0, [], [], array.array("q"))
        self.sep, self.head, self.tail = sep, head, tail
        _, keys, owners, _ = self.old
        self.removed = [i for i, owner in enumerate(owners) if owner in gone] if gone else []
        self.added = sorted(new)
        self.count = len(keys) - len(self.removed) + len(self.added)
        self.layout: Layout = (0, [], [], array.array("q"))

    def __len__(self) -> int:
        return self.count

    def _changes(self) -> Iterator[tuple[int, int, NewRecord | None]]:
        """Each change at the old record it comes before, in order: a new record before the first old one with a
        greater key, a removed record at its own place (after the new ones there: it is not written)."""
        keys = self.old[1]
        at = (bisect.bisect_left(keys, record[0]) for record in self.added) if keys else itertools.repeat(0)
        added = zip(at, itertools.repeat(0), self.added)
        if not self.removed:
            return added
        return iter(sorted([*added, *((i, 1, None) for i in self.removed)], key=operator.itemgetter(0, 1)))

    def parts(self, pos: int) -> Generator[Part, None, int]:
        """The records' parts, from `pos`; returns where they end. Their layout in this file is then `layout`."""
        first, keys, owners, lengths = self.old
        sep = self.sep
        starts = array.array("q", itertools.accumulate((length + len(sep) for length in lengths), initial=first))
        new_keys: list[str] = []
        new_owners: list[str] = []
        new_lengths = array.array("q")
        at = 0  # the next old record not yet written or dropped
        for index, removal, record in itertools.chain(self._changes(), [(len(keys), 2, None)]):
            if index > at:  # the old records since the last change, copied as one run
                if new_keys and sep:
                    yield sep
                start, end = starts[at], starts[index] - len(sep)
                if end > start:  # a source without claims has no rows
                    yield Copy(start, end, self.head(keys[at]), self.tail)
                new_keys += keys[at:index]
                new_owners += owners[at:index]
                new_lengths += lengths[at:index]
                at = index
            if removal == 1:
                at = index + 1
            elif record is not None:
                key, owner, pieces = record
                text = b"".join((sep if new_keys else b"", self.head(key), *pieces))
                yield text
                new_keys.append(key)
                new_owners.append(owner)
                new_lengths.append(len(text) - (len(sep) if len(new_keys) > 1 else 0))
        self.layout, self.added = (pos, new_keys, new_owners, new_lengths), []  # the new records' bytes go
        return pos + sum(new_lengths) + len(sep) * max(len(new_keys) - 1, 0)


@contextlib.contextmanager
def opened(path: str, stamp: tuple[int, int, int, int] | None, size: int) -> Iterator[int]:
    """The last build's file, open for reading, if it is the very file the disk cache verified (`stamp`: its
    stat then) and of the size recorded with its layout."""
    if stamp is None or stamp[0] != size:
        raise Refused(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        raise Refused(path) from None
    try:
        if file_stat_key(os.fstat(fd)) != stamp:
            raise Refused(path)
        yield fd
    finally:
        os.close(fd)


def spliced(parts: Iterable[Part], old: int | None = None, stamp: tuple[int, int, int, int] | None = None
            ) -> Iterator[bytes | Copied]:
    """The new file's bytes, piece by piece: the parts' new bytes, and the copied runs read from `old` (opened),
    refused at the end if its stat is no longer `stamp` (changed while it was read), before anything is kept.
    Put as pieces (write.Output.put), they are written and hashed once: new bytes in runs of RUN or more (a
    record each, 50,000 at 10,000 sources, cost a write and a hash's call each)."""
    run: list[bytes] = []
    size = 0
    for part in parts:
        if not isinstance(part, Copy):
            run.append(part)
            size += len(part)
            if size >= RUN:
                yield b"".join(run)
                run, size = [], 0
            continue
        if run:
            yield b"".join(run)
            run, size = [], 0
        start, end, head, tail = part
        if old is None or end - start < max(len(head), len(tail), 1):
            raise Refused(part)
        at = start
        while at < end:
            chunk = os.pread(old, min(CHUNK, end - at), at)
            if not chunk:  # shorter than the layout says
                raise Refused(part)
            if at == start and not chunk.startswith(head):
                raise Refused(part)
            if at + len(chunk) == end and not chunk.endswith(tail):
                raise Refused(part)
            yield Copied(chunk, at)  # the writer's digest keeps the last file's groups' (digests.Groups)
            at += len(chunk)
    if run:
        yield b"".join(run)
    if old is not None and file_stat_key(os.fstat(old)) != stamp:
        raise Refused(old)


def pack_layout(files: Mapping[str, tuple[int, bytes, Table | None]], own: Mapping[str, tuple[bytes, bytes]],
                 sections: Mapping[str, Any], keys: Mapping[str, bytes]) -> dict[str, Any] | None:
    """The downloads' layout as kept: each run of keys one string, lengths and digests packed bytes, by source
    in the order of the sources' records (40 MB of pickled tuples would take longer to read than to make)."""
    sources = sections["sources"][1]
    packed_keys = b"".join(map(keys.get, sources, itertools.repeat(b"")))
    each = list(itertools.chain.from_iterable(map(own.get, sources, itertools.repeat((b"", b"")))))
    packed_own = b"".join(each)
    if len(packed_own) != KEY_BYTES * len(each) or max(map(len, each), default=0) > KEY_BYTES:
        packed_own = b"".join(found.ljust(KEY_BYTES, b"\0") for found in each)  # b"" for a file the source has not
    if len(packed_keys) != KEY_BYTES * len(sources) or len(packed_own) != 2 * KEY_BYTES * len(sources):
        return None  # a source without a key, or digests of another length: nothing kept, made whole next time
    packed = {}
    for name, (start, names, owners, lengths) in sections.items():
        joined = ["\n".join(names), None if owners == names else "\n".join(owners)]
        if any(text is not None and text.count("\n") != max(len(names) - 1, 0) for text in joined):
            return None
        packed[name] = (start, *joined, array.array("q", lengths).tobytes())
    packed_files = {out_path: (size, found, *([] if table is None else [table[0].tobytes(), table[1]]))
                    for out_path, (size, found, table) in files.items()}
    return {"files": packed_files, "keys": packed_keys, "own": packed_own, "sections": packed}


def unpack_layout(packed: dict[str, Any], keys: Mapping[str, bytes]) -> dict[str, Any]:
    """The layout as DiskCache.placed gives it, from what pack_layout kept."""
    sections = {}
    for name, (start, names, owners, lengths) in packed["sections"].items():
        names = names.split("\n") if names else []
        unpacked = array.array("q")
        unpacked.frombytes(lengths)
        sections[name] = (start, names, owners.split("\n") if owners else names, unpacked)
    sources, kept, own = sections["sources"][1], packed["keys"], packed["own"]
    files = {}
    for out_path, (size, found, *groups) in packed["files"].items():
        ends = array.array("q")
        ends.frombytes(groups[0] if groups else b"")
        files[out_path] = (size, found, usable((ends, groups[1]) if groups else None, size, found))
    kept_keys = [kept[at:at + KEY_BYTES] for at in range(0, len(kept), KEY_BYTES)]
    own_each = [own[at:at + KEY_BYTES] for at in range(0, len(own), KEY_BYTES)]
    return {"files": files, "sections": sections,
            "reused": set(itertools.compress(sources, map(operator.eq, map(keys.get, sources), kept_keys))),
            "own": dict(zip(sources, zip(own_each[0::2], own_each[1::2], strict=True), strict=True))}
