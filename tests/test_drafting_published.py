"""drafting/published.py: when an article appeared, from the options, the page, or the dates it names."""

from __future__ import annotations

from datetime import date

import pytest

from builder.drafting import (
    dates,
    extract,
    published,
)


def test_explicit_dates_and_the_lower_bound_of_an_undated_article() -> None:
    body = "Posted — Richard (@ricwe123) March 19, 2025. The treaty of 1997; more on 18 March 2025."
    assert [d.value.iso for d in dates.explicit_dates(body)] == ["2025-03-19", "1997", "2025-03-18"]
    lower_bound = published.date_publication(extract.Extracted(body=body), None, body)
    assert (lower_bound.exact, lower_bound.not_before) == (None, date(2025, 3, 19))


def test_published_may_be_a_day_a_month_a_year_or_a_window() -> None:
    day = published.read_published_option("2026-01-15")
    assert (day.exact, day.not_before, day.not_after) == (date(2026, 1, 15), None, None)
    month = published.read_published_option("2026-01")
    assert (month.exact, month.not_before, month.not_after) == (None, date(2026, 1, 1), date(2026, 1, 31))
    assert month.how.endswith(": only the month is known.")
    window = published.read_published_option("2025-06..2025-07-02")
    assert (window.not_before, window.not_after) == (date(2025, 6, 1), date(2025, 7, 2))
    assert published.read_published_option("..2025").not_after == date(2025, 12, 31)


@pytest.mark.parametrize(("given", "problem"), [
    ("2026-02-30", "'2026-02-30' is not a real date"),
    ("June 2025", "'June 2025' is not a date"),
    ("..", "a window needs at least one end"),
    ("2025-07..2025-06", "the window starts (2025-07-01) after it ends (2025-06-30)"),
])
def test_a_published_option_that_is_no_date_says_why(given: str, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        published.read_published_option(given)
    assert str(caught.value) == problem
