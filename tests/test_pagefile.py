"""pagefile.py: pages.bin written from parts pickled as the pages came reads back as the pages and memos kept at
the save, whether or not one was kept again after its part was pickled."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from builder.pagefile import PageParts, unpack_pages


def _kept(parts: PageParts, made: dict[Any, Any], memos: dict[str, Any], number: int, at_least: int) -> None:
    made[("source", f"s{number}")] = (b"key%d" % number, f"page {number}")
    parts.add(("source", f"s{number}"))
    parts.pack(made, memos, at_least)


def test_pages_and_memos_pickled_in_parts_read_back_whole() -> None:
    parts, made, memos = PageParts(), {}, {"compare q1": (b"k", [1])}
    for number in range(7):
        _kept(parts, made, memos, number, 3)
    memos["downloads"] = (b"d", None)  # made after the first part: in the second
    assert len(parts.parts) == 2  # six pages in two parts; the seventh is left to the save
    payload = parts.payload(made, memos)
    assert len(payload) == 3 and payload[:2] == parts.parts
    read = unpack_pages(memoryview(b"".join(payload)))
    assert read == {"pages": made, "memos": memos}
    assert list(read["pages"]) == list(made)


def test_what_is_kept_again_after_its_part_is_read_from_the_last() -> None:
    parts, made, memos = PageParts(), {}, {"downloads": (b"d", None)}
    for number in range(4):
        _kept(parts, made, memos, number, 2)
    made[("source", "s1")] = (b"new", "new")  # kept again (a second keep_page) once its part was pickled
    memos["downloads"] = (b"d", "made")  # as keep_export does
    payload = parts.payload(made, memos)
    assert len(payload) == 3
    assert pickle.loads(payload[-1]) == ({"downloads": (b"d", "made")}, {("source", "s1"): (b"new", "new")})
    assert unpack_pages(memoryview(b"".join(payload))) == {"pages": made, "memos": memos}


def test_parts_that_hold_a_page_no_longer_kept_are_not_written() -> None:
    parts, made, memos = PageParts(), {}, {}
    for number in range(4):
        _kept(parts, made, memos, number, 2)
    del made[("source", "s0")]
    payload = parts.payload(made, memos)
    assert len(payload) == 1 and unpack_pages(memoryview(payload[0]))["pages"] == made


def test_a_pages_file_cut_within_a_part_does_not_unpickle() -> None:
    parts, made, memos = PageParts(), {}, {}
    for number in range(4):
        _kept(parts, made, memos, number, 2)
    payload = parts.payload(made, memos)
    data = b"".join(payload)
    with pytest.raises((pickle.UnpicklingError, EOFError)):  # DiskCache._read: "damaged" (its header's length first)
        unpack_pages(memoryview(data[:len(data) - len(payload[-1]) - 3]))
