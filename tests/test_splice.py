"""splice: a whole download made from the last build's file, the changed sources' records put in place of theirs,
equals the file made whole; and a last file that is not as its layout says is refused, never spliced."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from builder.cache import file_stat_key
from builder.export import Copy
from builder.splice import Layout, NewRecord, Refused, Section, opened, spliced


def head(key: str) -> bytes:
    return f'"{key}":'.encode()


def records(owners: dict[str, list[str]], version: dict[str, int]) -> list[NewRecord]:
    """Each owner's records, `"key":{...}`, their bytes depending on the owner's version."""
    return [(key, owner, (b'{"v":%d,"pad":"%s"}' % (version[owner], b"x" * (len(key) % 7)),))
            for owner, keys in owners.items() for key in keys]


def write(section: Section, out: Path, old: Path | None = None) -> tuple[bytes, Layout]:
    """The section's records in a file of their own (after a few bytes of head), as a build writes one."""
    fd = os.open(old, os.O_RDONLY) if old is not None else None
    try:
        pieces = list(spliced([b"[\n", *section.parts(2), b"\n]"], fd, file_stat_key(os.fstat(fd)) if fd else None))
    finally:
        if fd is not None:
            os.close(fd)
    out.write_bytes(b"".join(piece if isinstance(piece, bytes) else piece.data for piece in pieces))
    return out.read_bytes(), section.layout


@pytest.mark.parametrize("seed", range(8))
def test_a_section_spliced_after_changes_equals_it_made_whole(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    owners = {f"s{n:03d}": [f"s{n:03d}-c{k}" for k in range(rng.randint(0, 3))] for n in range(40)}
    version = dict.fromkeys(owners, 0)
    sep = rng.choice([b",\n", b""])
    tail = b"}" if sep else b""
    old_file = tmp_path / "old"
    _, layout = write(Section(None, set(), records(owners, version), sep, head if sep else lambda _: b"",
                              tail or b"}"), old_file)
    for step in range(6):
        changed = set(rng.sample(sorted(owners), rng.randint(0, 5)))
        for owner in changed:
            kind = rng.choice(["edit", "add claim", "remove claim", "remove", "add source"])
            if kind == "remove" and owner in owners:
                del owners[owner]
            elif kind == "add source":
                owners[f"{owner}-copy{step}"] = [f"{owner}-copy{step}-c0"]
                changed = changed | {f"{owner}-copy{step}"}
                version[f"{owner}-copy{step}"] = 0
            elif kind == "add claim" and owner in owners:
                owners[owner].append(f"{owner}-c{rng.randint(4, 99)}x{step}")
            elif kind == "remove claim" and owners.get(owner):
                owners[owner].pop(rng.randrange(len(owners[owner])))
            version[owner] = version.get(owner, 0) + 1
        new = records({owner: keys for owner, keys in owners.items() if owner in changed}, version)
        gone = changed & set(layout[2])
        spliced_bytes, spliced_layout = write(
            Section(layout, gone, new, sep, head if sep else lambda _: b"", tail or b"}"), tmp_path / "new",
            old_file)
        whole_bytes, whole_layout = write(
            Section(None, set(), records(owners, version), sep, head if sep else lambda _: b"", tail or b"}"),
            tmp_path / "whole")
        assert spliced_bytes == whole_bytes
        assert spliced_layout == whole_layout
        (tmp_path / "new").replace(old_file)
        layout = spliced_layout


def test_runs_of_unchanged_records_are_copied_as_one(tmp_path: Path) -> None:
    owners = {f"s{n}": [f"s{n}-c0", f"s{n}-c1"] for n in range(10)}
    version = dict.fromkeys(owners, 0)
    _, layout = write(Section(None, set(), records(owners, version), b",\n", head, b"}"), tmp_path / "old")
    version["s4"] = 1
    section = Section(layout, {"s4"}, records({"s4": owners["s4"]}, version), b",\n", head, b"}")
    parts = list(section.parts(layout[0]))
    assert [type(part).__name__ for part in parts] == ["Copy", "bytes", "bytes", "bytes", "Copy"]
    assert parts[0].head == b'"s0-c0":' and parts[-1].head == b'"s5-c0":'


def old_file(tmp_path: Path, data: bytes) -> int:
    path = tmp_path / "old"
    path.write_bytes(data)
    return os.open(path, os.O_RDONLY)


@pytest.mark.parametrize(("part", "why"), [
    (Copy(0, 9, b'"b":', b"}"), "begins elsewhere than a record"),
    (Copy(0, 8, b'"a":', b"}"), "ends elsewhere than a record"),
    (Copy(0, 99, b'"a":', b"}"), "runs past the end of the file"),
])
def test_a_run_that_is_not_where_the_layout_says_is_refused(tmp_path: Path, part: Copy, why: str) -> None:
    fd = old_file(tmp_path, b'"a":{"v":1},\n"b":{"v":2}')
    try:
        with pytest.raises(Refused):
            list(spliced([part], fd, file_stat_key(os.fstat(fd))))
    finally:
        os.close(fd)


def test_a_file_changed_while_it_is_read_is_refused_before_the_last_piece_is_taken(tmp_path: Path) -> None:
    fd = old_file(tmp_path, b'"a":{"v":1}')
    try:
        stamp = file_stat_key(os.fstat(fd))
        pieces = spliced([Copy(0, 11, b'"a":', b"}")], fd, stamp)
        assert next(pieces).data == b'"a":{"v":1}'  # type: ignore[union-attr]
        os.utime(tmp_path / "old", ns=(1, 1))
        with pytest.raises(Refused):
            next(pieces)
    finally:
        os.close(fd)


def test_only_the_file_the_cache_verified_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "site.json"
    path.write_bytes(b"0123456789")
    stamp = file_stat_key(path.stat())
    with opened(str(path), stamp, 10) as fd:
        assert os.pread(fd, 3, 0) == b"012"
    for wrong_stamp, size in [(None, 10), (stamp, 11), ((stamp[0], stamp[1] + 1, *stamp[2:]), 10)]:
        with pytest.raises(Refused), opened(str(path), wrong_stamp, size):
            pass
    (tmp_path / "link.json").symlink_to(path)
    with pytest.raises(Refused), opened(str(tmp_path / "link.json"), stamp, 10):
        pass
