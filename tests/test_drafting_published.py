"""drafting/published.py: when an article appeared, from the options, the page, or the dates it names."""

from __future__ import annotations

from datetime import date

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
