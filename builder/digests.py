"""An output file's digest: the identity by which the disk cache, the spare's list and the output folder's check
know it. SHA-256 of its bytes (the first DIGEST) for a file of up to SMALL bytes; for a larger one, a digest of its
groups' digests, where a group runs from the end of the last to the first line end at least GROUP bytes on.

The groups are a function of the bytes alone, so whatever reads the file makes the same digest from them
(`digest`); and an edit changes only the groups that hold it, and those up to where the groups meet the last
file's again (soon after it: each group ends at the first line end past GROUP bytes, which an edit shifts only
where a line end lies within the shift). A whole download made from the last build's (splice.py) so hashes only
the groups around its changes and keeps the others' digests from the last build's (`Groups.copied`).
"""

from __future__ import annotations

import array
import bisect
import hashlib

DIGEST = 16  # bytes of a digest: SHA-256's first 16, enough to tell any two files apart
SMALL = 1 << 20  # a file up to this size is hashed whole
GROUP = 1 << 16  # a group of a larger file ends at the first line end past this many bytes
Table = tuple["array.array[int]", bytes]  # a file's groups: each one's end, and their digests joined


def digest(data: bytes) -> bytes:
    """A file's digest (see the module's docstring)."""
    if len(data) <= SMALL:
        return hashlib.sha256(data).digest()[:DIGEST]
    groups = Groups()
    groups.update(data)
    return groups.digest()


def whole(digests: bytes) -> bytes:
    """A large file's digest from its groups' digests: BLAKE2b with its own personalisation, so that it is never
    the SHA-256 of some file's bytes."""
    return hashlib.blake2b(digests, digest_size=DIGEST, person=b"sitebuilder-grp").digest()


class Copied:
    """Bytes of the last build's file, read from `at` there: what Groups.copied needs besides them."""

    __slots__ = ("data", "at")

    def __init__(self, data: bytes, at: int) -> None:
        self.data, self.at = data, at

    def __len__(self) -> int:
        return len(self.data)


class Groups:
    """A file's digest as its bytes come (`update`), or come from the last build's file (`copied`, whose groups
    `last` gives, checked by `usable`); then its groups (`table`), for the next build."""

    def __init__(self, last: Table | None = None) -> None:
        self.last = last
        self.ends: array.array[int] = array.array("q")
        self.digests = bytearray()
        self.pos = self.start = 0  # bytes hashed; where the open group starts
        self.open = hashlib.sha256()
        self.small: hashlib._Hash | None = hashlib.sha256()  # the bytes so far, while they are at most SMALL
        self.skipped: tuple[int, list[memoryview]] | None = None  # the last file's group the open one is, its bytes
        self.next_at = -1  # where in the last file the copied bytes went on from

    def update(self, data: bytes) -> None:
        """Hash new bytes."""
        self._resume()
        self._small(data)
        self._hash(data)

    def add(self, piece: bytes | Copied) -> None:
        """Hash a piece of the file: new bytes, or bytes copied from the last build's file."""
        if isinstance(piece, bytes):
            self.update(piece)
        else:
            self.copied(piece.data, piece.at)

    def copied(self, data: bytes, at: int) -> None:
        """Hash bytes of the last build's file, read from `at` there: a group that is one of that file's, begun
        and ended within the bytes copied, takes its kept digest. Not the file's last group: the file's end closed
        it, not a line end, and bytes that follow it here would have carried it on."""
        if self.last is None:
            return self.update(data)
        if self.next_at != at:
            self._resume()
        self.next_at = at + len(data)
        ends, view, done = self.last[0], memoryview(data), 0
        self._small(data)
        while done < len(view):
            if self.skipped is None:  # hash up to the last file's next group end, then see whether they meet
                here = at + done
                number = bisect.bisect_right(ends, here)
                if number < len(ends) - 1 and self.pos == self.start and (
                        here == 0 if number == 0 else ends[number - 1] == here):  # not the last group: see below
                    self.skipped = (number, [])
                    continue
                upto = min(len(view), (ends[number] if number < len(ends) else at + len(view)) - at)
                self._hash(data, done, upto)
                done = upto
                continue
            number, held = self.skipped
            end = ends[number] - at
            if end > len(view):  # the group goes on past these bytes: held, hashed if the copy stops in it
                held.append(view[done:])
                self.pos += len(view) - done
                return
            self.pos += end - done
            self.ends.append(self.pos)
            self.digests += self.last[1][number * DIGEST:(number + 1) * DIGEST]
            self.start, done = self.pos, end
            self.skipped = (number + 1, []) if number + 1 < len(ends) - 1 else None
        return None

    def _resume(self) -> None:
        """The copy stopped inside a group of the last file: its bytes so far are hashed as new (none of them ends
        the group: the group's end is the first line end past GROUP)."""
        if self.skipped is not None:
            for view in self.skipped[1]:
                self.open.update(view)
            self.skipped, self.next_at = None, -1

    def _small(self, data: bytes) -> None:
        """The plain digest, while the file is small enough to be known by it."""
        if self.small is not None:
            if self.pos + len(data) <= SMALL:
                self.small.update(data)
            else:
                self.small = None

    def _hash(self, data: bytes, done: int = 0, upto: int | None = None) -> None:
        """Hash data[done:upto] into the open group, closing it at each line end that ends a group."""
        upto = len(data) if upto is None else upto
        view = memoryview(data)
        while done < upto:
            earliest = done + self.start + GROUP - 1 - self.pos  # where in data a line end may close the group
            found = data.find(b"\n", max(done, earliest), upto) if earliest < upto else -1
            end = upto if found < 0 else found + 1
            self.open.update(view[done:end])
            self.pos += end - done
            done = end
            if found >= 0:
                self._close()

    def _close(self) -> None:
        self.ends.append(self.pos)
        self.digests += self.open.digest()[:DIGEST]
        self.open, self.start = hashlib.sha256(), self.pos

    def digest(self) -> bytes:
        """The digest of the bytes given, as `digest` makes it of them whole."""
        digests = self.table()[1]
        return self.small.digest()[:DIGEST] if self.small is not None else whole(digests)

    def table(self) -> Table:
        """The groups of the bytes given, ended: for the next build's Groups(last=...)."""
        self._resume()
        if self.pos > self.start:
            self._close()
        return self.ends, bytes(self.digests)


def usable(table: Table | None, size: int, found: bytes) -> Table | None:
    """A kept table of groups, if it is whole and the one of a file of this size and digest; else None."""
    if table is None or len(table) != 2:
        return None
    ends, digests = table
    if not ends or ends[-1] != size or len(digests) != DIGEST * len(ends) or size <= SMALL \
            or any(map(int.__ge__, ends, ends[1:])) or whole(digests) != found:
        return None
    return table

