"""staged: the output files' stats packed while the page workers run (Stamps), and a page's taken back out."""

from __future__ import annotations

from builder.staged import Stamps, unpack


def test_stamps_give_back_each_file_s_stat_as_added() -> None:
    stamps = Stamps()
    stamps.add("a/index.html", (10, 1_700_000_000_123_456_789, 1_700_000_000_987_654_321, 42))
    stamps.add("b/index.html", (0, -1, -1, 2**40))
    assert stamps.unpacked() == {"a/index.html": (10, 1_700_000_000_123_456_789, 1_700_000_000_987_654_321, 42),
                                 "b/index.html": (0, -1, -1, 2**40)}


def test_only_the_last_added_file_is_taken_out_and_its_stat_unpacks_the_same() -> None:
    stamps = Stamps()
    stamps.add("a.html", (1, 2, 3, 4))
    stamps.add("b.html", (5, 6, 7, 8))
    assert stamps.take_last("a.html") is None  # not the last: left where it is
    packed = stamps.take_last("b.html")
    assert packed is not None and unpack(packed) == (5, 6, 7, 8)
    assert stamps.unpacked() == {"a.html": (1, 2, 3, 4)}
    assert stamps.take_last("b.html") is None
    assert Stamps().take_last("a.html") is None
