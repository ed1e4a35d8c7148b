"""model.py: the nouns' own rules (partial dates, date windows, the references' answer on a date) and what the
model holds: every field means the same in every build, whichever process made it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from builder.model import AnswerValue, Claim, DateWindow, PartialDate, Question, ReferenceValue, SiteConfig, Source


@pytest.mark.parametrize(("when", "first", "last", "iso", "human"), [
    (PartialDate(2025, 3, 18), date(2025, 3, 18), date(2025, 3, 18), "2025-03-18", "18 March 2025"),
    (PartialDate(2024, 2), date(2024, 2, 1), date(2024, 2, 29), "2024-02", "February 2024"),
    (PartialDate(1997), date(1997, 1, 1), date(1997, 12, 31), "1997", "1997"),
])
def test_a_partial_date_spans_what_is_known(when: PartialDate, first: date, last: date, iso: str, human: str
                                            ) -> None:
    assert (when.first, when.last, when.iso, when.human) == (first, last, iso, human)
    assert when.on == (f"on {human}" if when.day else f"in {human}")


def test_date_windows_overlap_when_both_can_be_true() -> None:
    march = DateWindow(date(2025, 3, 1), date(2025, 3, 31))
    assert march.overlaps(DateWindow(date(2025, 3, 31), None))
    assert not march.overlaps(DateWindow(date(2025, 4, 1), date(2025, 4, 2)))
    assert march.overlaps(DateWindow())
    assert DateWindow(date(2025, 3, 18), date(2025, 3, 18)).exact == date(2025, 3, 18)
    assert march.human == "between 1 March 2025 and 31 March 2025"
    assert DateWindow(None, date(2025, 4, 4)).human == "not after 4 April 2025"
    assert DateWindow().human == "unknown"


def test_the_references_answer_on_a_day_is_the_last_in_force() -> None:
    old, new = (ReferenceValue(None, AnswerValue(number=1), ()),
                ReferenceValue(date(2025, 6, 1), AnswerValue(number=2), ()))
    question = Question("q", "How many?", "number", references=(old, new))
    assert question.reference_on(date(2025, 5, 31)) is old
    assert question.reference_on(date(2025, 6, 1)) is new


def test_the_base_path_is_the_base_urls_path() -> None:
    config = SiteConfig("t", "t", "d", "en", "https://example.org/repo/", date(2025, 1, 1))
    assert config.base_path == "/repo/"
    assert dataclasses.replace(config, base_url="https://example.org/").base_path == "/"


def test_no_field_depends_on_where_or_how_the_model_was_made() -> None:
    assert {f.name: f.type for f in dataclasses.fields(Source)}["body"] == "str", "every source has its text"
    assert "original_url" not in {f.name for f in dataclasses.fields(Claim)}, "a URL rule: urls.original_url"
    assert all(f.metadata == {} for cls in (Source, Claim) for f in dataclasses.fields(cls))
