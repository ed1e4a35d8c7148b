"""drafting/marks.py: a marked passage, and whether a span touches one."""

from __future__ import annotations

from builder.drafting.marks import Mark, overlaps

CAPTION = Mark("caption", 10, 20, "photo credit", "'Source:'")


def test_a_span_overlaps_a_mark_only_where_they_share_a_character() -> None:
    assert overlaps(15, 30, [CAPTION])
    assert overlaps(0, 11, [CAPTION])
    assert not overlaps(0, 10, [CAPTION])  # ends where the mark starts
    assert not overlaps(20, 25, [CAPTION])  # starts where the mark ends
    assert not overlaps(0, 100, [])
