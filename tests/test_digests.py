"""An output file's digest (builder/digests.py): SHA-256 of a small file; of a large one, its groups' digests,
the groups ending at the first line end past GROUP bytes. Made from the file's bytes alone, however they come, and
after an edit from the last file's groups but those around the changes."""

from __future__ import annotations

import hashlib
import random

import pytest

from builder.digests import DIGEST, GROUP, SMALL, Groups, digest, usable, whole


def groups_by_definition(data: bytes) -> bytes:
    """The digest as the module's docstring defines it, written plainly."""
    if len(data) <= SMALL:
        return hashlib.sha256(data).digest()[:DIGEST]
    found, start = [], 0
    while start < len(data):
        line_end = data.find(b"\n", start + GROUP - 1)
        end = len(data) if line_end < 0 else line_end + 1
        found.append(hashlib.sha256(data[start:end]).digest()[:DIGEST])
        start = end
    return whole(b"".join(found))


def lines(rng: random.Random, size: int) -> list[bytes]:
    """Lines of 1 to 4,001 random bytes (no line end within them), up to `size` bytes."""
    pool = rng.randbytes(8000).replace(b"\n", b" ")
    made: list[bytes] = []
    while size > 0:
        at, length = rng.randrange(4000), rng.randint(0, 4000)
        made.append(pool[at:at + length] + b"\n")
        size -= len(made[-1])
    return made


def test_a_small_file_is_known_by_its_sha256_and_a_large_one_by_its_groups() -> None:
    small, large = b"x\n" * (SMALL // 2), b"x\n" * (SMALL // 2) + b"y"
    assert digest(small) == hashlib.sha256(small).digest()[:DIGEST]
    assert digest(large) == groups_by_definition(large) != hashlib.sha256(large).digest()[:DIGEST]
    for data in (small, large, b"z" * (3 * SMALL)):  # however the bytes come: whole, in pieces
        groups = Groups()
        for at in range(0, len(data), 70_001):
            groups.update(data[at:at + 70_001])
        assert groups.digest() == digest(data) == groups_by_definition(data)


def edited(rng: random.Random, old_lines: list[bytes]) -> list[bytes]:
    """The lines after one to four changes: a line changed, removed or added."""
    new_lines = list(old_lines)
    for _ in range(rng.randint(1, 4)):
        at, change = rng.randrange(len(new_lines)), rng.random()
        if change < 0.4:
            new_lines[at] = b"changed " * rng.randint(0, 600) + b"\n"
        elif change < 0.7:
            del new_lines[at]
        else:
            new_lines.insert(at, b"a new line\n")
    return new_lines


def runs_of(old_lines: list[bytes], new_lines: list[bytes]) -> list[tuple[int | None, bytes]]:
    """The new file as splice.py gives it: runs of the last file (where they are in it) and new bytes (None)."""
    starts, place = [0], {}
    for number, line in enumerate(old_lines):
        starts.append(starts[-1] + len(line))
        place[id(line)] = number
    runs: list[tuple[int | None, bytes]] = []
    for line in new_lines:
        number = place.get(id(line))
        at = None if number is None else starts[number]
        last = runs[-1] if runs else None
        if last and (at is None) == (last[0] is None) and (at is None or last[0] + len(last[1]) == at):
            runs[-1] = (last[0], last[1] + line)
        else:
            runs.append((at, line))
    return runs


def test_an_edited_file_made_from_the_last_ones_groups_has_the_digest_of_its_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A file made of runs of the last file (Groups.copied, in reads of any size) and new bytes: the digest of its
    bytes, with only the groups around the changes hashed (about one a change; more where an edit moved a group's
    end, until the groups meet again)."""
    hashed = []
    real_hash = Groups._hash
    monkeypatch.setattr(Groups, "_hash", lambda self, data, done=0, upto=None: hashed.append(
        (len(data) if upto is None else upto) - done) or real_hash(self, data, done, upto))
    spent, sizes = 0, 0
    for seed in range(16):
        rng = random.Random(seed)
        old_lines = lines(rng, rng.choice([SMALL // 2, 2 * SMALL, 3 * SMALL]))
        old = b"".join(old_lines)
        groups = Groups()
        groups.update(old)
        table = usable(groups.table(), len(old), groups.digest())
        assert (table is None) == (len(old) <= SMALL)
        new_lines = edited(rng, old_lines)
        hashed.clear()
        made = Groups(table)
        for at, data in runs_of(old_lines, new_lines):
            step = rng.choice([1000, 65_536, SMALL])
            for start in range(0, len(data), step):
                if at is None:
                    made.update(data[start:start + step])
                else:
                    made.copied(data[start:start + step], at + start)
        found, new = made.digest(), b"".join(new_lines)
        if table is not None:
            spent, sizes = spent + sum(hashed), sizes + len(new)
        assert found == digest(new) == groups_by_definition(new), seed
        assert len(new) <= SMALL or usable(made.table(), len(new), found) is not None
    assert spent < sizes // 4


def test_a_kept_table_is_used_only_whole_and_for_its_own_file() -> None:
    data = b"line\n" * SMALL
    groups = Groups()
    groups.update(data)
    found = groups.digest()
    ends, kept = groups.table()
    assert usable((ends, kept), len(data), found) == (ends, kept)
    assert usable((ends, kept), len(data) + 1, found) is None  # another size
    assert usable((ends, kept), len(data), digest(b"other")) is None  # another file's digest
    assert usable((ends[:-1], kept[:-DIGEST]), len(data), found) is None  # cut
    assert usable((ends, bytes(len(kept))), len(data), found) is None  # the digests damaged
    assert usable(None, len(data), found) is None


def test_a_copy_that_reaches_the_last_file_s_end_then_goes_on_has_the_digest_of_its_bytes() -> None:
    """claims.csv after a source whose id sorts last is added: the last file copied to its end, then new rows. The
    last file's last group was closed by the file's end, not by a line end: the new rows carry it on (rev-s19)."""
    old = b"".join(b"row %d,%s\n" % (i, b"x" * (i % 75 + 5)) for i in range(40000))
    last = Groups()
    last.update(old)
    table = last.table()
    assert len(old) > SMALL and table[0][-1] - table[0][-2] < GROUP  # the last group: short, ended by the end
    spliced = Groups(last=table)
    spliced.copied(old, 0)
    spliced.update(b"added row,yyy\n")
    assert spliced.digest() == digest(old + b"added row,yyy\n")
