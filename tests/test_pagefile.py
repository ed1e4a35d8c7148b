"""pagefile.py: pages.bin written from parts pickled as the pages came reads back as the pages kept at the save,
whether or not a page was kept again after its part was pickled."""

from __future__ import annotations

import pickle

import pytest

from builder.pagefile import PageParts, unpack_pages


def _kept(parts: PageParts, made: dict[tuple[str, str], tuple[bytes, str]], job: tuple[str, str],
          entry: tuple[bytes, str], at_least: int) -> None:
    made[job] = entry
    parts.add(job)
    parts.pack(made, at_least)


def test_pages_pickled_in_parts_read_back_whole() -> None:
    parts, made = PageParts(), {}
    for number in range(7):
        _kept(parts, made, ("source", f"s{number}"), (b"key%d" % number, f"page {number}"), 3)
    assert len(parts.parts) == 2  # six pages in two parts; the seventh is left to the save
    payload = parts.payload(made, {"memo": (b"k", 1)})
    assert len(payload) == 4 and payload[1:3] == parts.parts
    read = unpack_pages(memoryview(b"".join(payload)))
    assert read == {"pages": made, "memos": {"memo": (b"k", 1)}}
    assert list(read["pages"]) == list(made)


def test_a_page_kept_again_after_its_part_is_not_read_from_the_part() -> None:
    parts, made = PageParts(), {}
    for number in range(4):
        _kept(parts, made, ("source", f"s{number}"), (b"old", "old"), 2)
    made[("source", "s1")] = (b"new", "new")  # kept again (a second keep_page) once its part was pickled
    payload = parts.payload(made, {})
    assert len(payload) == 2  # the parts no longer hold what is kept: every page pickled again
    assert unpack_pages(memoryview(b"".join(payload)))["pages"] == made


def test_a_pages_file_cut_within_a_part_does_not_unpickle() -> None:
    parts, made = PageParts(), {}
    for number in range(4):
        _kept(parts, made, ("source", f"s{number}"), (b"key", "page"), 2)
    payload = parts.payload(made, {})
    data = b"".join(payload)
    with pytest.raises((pickle.UnpicklingError, EOFError)):  # DiskCache._read: "damaged" (its header's length first)
        unpack_pages(memoryview(data[:len(data) - len(payload[-1]) - 3]))
