"""A country's standing under the treaty on any date, computed from its dated events and Article 20."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date

from .model import Country, Event, PartialDate, Status

WITHDRAWAL_NOTICE_MONTHS = 6
_JOINING = ("signed", "ratified", "acceded")
_INTENT = ("withdrawal-recommended", "withdrawal-announced", "government-decision", "parliament-vote", "law-signed")


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _latest(country: Country, kinds: tuple[str, ...], day: date | None = None) -> Event | None:
    found = [e for e in country.events if e.kind in kinds and (day is None or e.date.last <= day)]
    return found[-1] if found else None


def effective_date(country: Country) -> date | None:
    """Article 20(3): six months after the instrument is received, unless the state is in an armed conflict."""
    deposit = _latest(country, ("instrument-deposited",))
    if deposit is None or deposit.date.day is None:
        return None
    if country.armed_conflict and country.armed_conflict.value:
        return None
    return add_months(deposit.date.first, WITHDRAWAL_NOTICE_MONTHS)


def status_on(country: Country, day: date) -> Status:
    """Where the country stood on `day`, with the events the answer rests on."""
    joined = _latest(country, ("in-force",), day)
    if joined is None:
        if country.never_joined and not any(e.kind in _JOINING for e in country.events):
            return Status("never-joined", day, "Not a party to the Convention, according to the cited reference; "
                          "later changes are not covered by our references.", country.never_joined)
        signed = _latest(country, _JOINING, day)
        if signed:
            key = "signatory" if signed.kind == "signed" else "joining"
            return Status(key, day, f"{signed.label} {signed.date.on}; not yet in force.", signed.cite, signed.date)
        return Status("unknown", day, "Our references do not establish a status on this date.")
    effective = effective_date(country)
    deposit = _latest(country, ("instrument-deposited",), day)
    if deposit and effective and effective <= day:
        cite = deposit.cite + sum((e.cite for e in country.events if e.kind == "withdrawal-effective"), ())
        return Status("withdrawn", day, f"Instrument of withdrawal deposited {deposit.date.on}; under "
                      f"Article 20(3) the withdrawal took effect six months later, on "
                      f"{_human(effective)}.", cite, PartialDate.of(effective))
    if deposit:
        if country.armed_conflict and country.armed_conflict.value:
            return Status("disputed", day, f"Instrument of withdrawal deposited {deposit.date.on}, but "
                          "under Article 20(3) a withdrawal cannot take effect while the state is engaged in "
                          "an armed conflict.", deposit.cite + country.armed_conflict.cite, deposit.date)
        then = f"takes effect on {_human(effective)}" if effective else "takes effect six months later"
        return Status("pending", day, f"Instrument of withdrawal deposited {deposit.date.on}; under "
                      f"Article 20(3) the withdrawal {then}.", deposit.cite, deposit.date)
    suspension = _latest(country, ("suspension-notified",), day)
    if suspension:
        cite = suspension.cite + (country.armed_conflict.cite if country.armed_conflict else ())
        return Status("disputed", day, f"Notified a \u201csuspension\u201d of the Convention "
                      f"{suspension.date.on}: a suspension rather than a withdrawal under Article 20, under which "
                      "a withdrawal cannot take effect during an armed conflict. Its effect is contested.", cite,
                      suspension.date)
    intent = _latest(country, _INTENT, day)
    if intent:
        return Status("announced", day, f"{intent.label} {intent.date.on}; no instrument of withdrawal "
                      "deposited yet.", intent.cite, intent.date)
    return Status("party", day, f"The Convention has been in force for it since {joined.date.human}.",
                  joined.cite, joined.date)


def _human(day: date) -> str:
    return PartialDate.of(day).human


def with_statuses(country: Country, as_of: date) -> Country:
    """The country with its effective date, its status today and its status after each dated event."""
    days = sorted({e.date.last for e in country.events if e.date.last <= as_of})
    history = []
    for day in days:
        current = status_on(country, day)
        if not history or history[-1].key != current.key or history[-1].explanation != current.explanation:
            history.append(current)
    effective = effective_date(country)
    if effective and effective <= as_of and effective not in days:
        history.append(status_on(country, effective))
        history.sort(key=lambda s: s.on)
    return replace(country, effective_date=effective, status_today=status_on(country, as_of),
                   status_history=tuple(history))
