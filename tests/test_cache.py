"""cache.py: what a warm builder remembers is recognised by identity, and forgotten when it may be wrong."""

from __future__ import annotations

from builder.cache import Cache
from builder.errors import ContentError
from builder.units import UnitRecords


def records(unit_id: str, errors: list[ContentError] | None = None) -> UnitRecords:
    return UnitRecords(unit_id, {}, {}, [], [], set(), set(), True, None, errors or [])


def test_a_sources_records_are_kept_for_the_very_same_parses() -> None:
    cache, source, claims = Cache(), object(), object()
    kept = records("wire")
    cache.keep_unit("wire", (source, claims), kept)
    assert cache.unit("wire", (source, claims)) is kept
    assert cache.unit("wire", (source, object())) is None, "an equal parse is not the same parse"


def test_records_with_errors_are_not_kept() -> None:
    cache, inputs = Cache(), (object(), None)
    cache.keep_unit("wire", inputs, records("wire"))
    cache.keep_unit("wire", inputs, records("wire", [ContentError("x", 1, 1, "wrong")]))
    assert cache.unit("wire", inputs) is None


def test_every_record_is_forgotten_when_what_they_were_checked_against_changes() -> None:
    cache, questions, inputs = Cache(), object(), (object(), None)
    cache.check_against((questions, ("pl", object())))
    cache.keep_unit("wire", inputs, records("wire"))
    cache.check_against((questions, ("pl", cache.against[1][1])))
    assert cache.unit("wire", inputs) is not None, "the same parses: kept"
    cache.check_against((object(), cache.against[1]))
    assert cache.unit("wire", inputs) is None


def test_a_failed_write_forgets_the_pages_and_a_confirmed_one_knows_its_files() -> None:
    cache = Cache()
    cache.confirm({"index.html": b"d"})
    assert cache.written == {"index.html": b"d"}
    cache.forget_pages()
    assert cache.pages == {} and cache.shared == ()
