"""Treaty status is computed from dated events and Article 20, never typed in."""

from datetime import date

from builder.model import Citation, CitedValue, Country, Event, PartialDate
from builder.status import add_months, effective_date, status_on, with_statuses

REF = (Citation("ref", "r1"),)


def country(*events: tuple[str, str], **extra: object) -> Country:
    parsed = tuple(Event(kind, PartialDate(*map(int, day.split("-"))), REF) for kind, day in events)
    return Country("pl", "Poland", "PL", parsed, **extra)  # type: ignore[arg-type]


POLAND = country(("signed", "1997-12-04"), ("in-force", "2013-06-01"), ("withdrawal-recommended", "2025-03-18"),
                 ("law-signed", "2025-07"), ("instrument-deposited", "2025-08-20"))


def test_six_months_after_deposit() -> None:
    assert effective_date(POLAND) == date(2026, 2, 20)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_status_follows_the_events() -> None:
    keys = [status_on(POLAND, date.fromisoformat(d)).key for d in (
        "2000-01-01", "2014-01-01", "2025-03-18", "2025-08-20", "2026-02-19", "2026-02-20")]
    assert keys == ["signatory", "party", "announced", "pending", "pending", "withdrawn"]


def test_armed_conflict_blocks_the_withdrawal() -> None:
    at_war = country(("in-force", "2006-06-01"), ("instrument-deposited", "2025-07-18"),
                     armed_conflict=CitedValue(True, REF))
    assert effective_date(at_war) is None
    assert status_on(at_war, date(2026, 6, 1)).key == "disputed"


def test_suspension_is_disputed_and_never_joined_is_cited() -> None:
    suspended = country(("in-force", "2006-06-01"), ("suspension-notified", "2025-07-18"))
    assert status_on(suspended, date(2025, 8, 1)).key == "disputed"
    outside = country(never_joined=REF)
    assert status_on(outside, date(2025, 1, 1)).key == "never-joined"
    assert status_on(country(), date(2025, 1, 1)).key == "unknown"


def test_history_lists_each_change_once() -> None:
    history = with_statuses(POLAND, date(2026, 11, 23)).status_history
    assert [s.key for s in history] == ["signatory", "party", "announced", "announced", "pending", "withdrawn"]
    assert "Law signed" in history[3].explanation
    assert history[-1].on == date(2026, 2, 20)


def test_month_only_dates_read_in_not_on() -> None:
    history = with_statuses(POLAND, date(2026, 11, 23)).status_history
    assert "Law signed in July 2025;" in history[3].explanation
    assert history[3].since == PartialDate(2025, 7)
