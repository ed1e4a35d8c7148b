"""A country's standing under the agreement on any date, computed from its dated events and the topic's rules
(content/rules.yaml: what part each event kind plays, the notice period, and what stops it from running)."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date

from .model import Citation, Country, Event, PartialDate, Status
from .rules import Rules


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _events(country: Country, kinds: tuple[str, ...], day: date | None = None) -> list[Event]:
    """The country's events of these kinds, in their order, up to `day`."""
    return [e for e in country.events if e.kind in kinds and (day is None or e.date.last <= day)]


def _latest(country: Country, kinds: tuple[str, ...], day: date | None = None) -> Event | None:
    found = _events(country, kinds, day)
    return found[-1] if found else None


def _blocked(country: Country, rules: Rules) -> bool:
    fact = country.fact(rules.blocked_by)
    return bool(fact and fact.value)


def effective_date(country: Country, rules: Rules) -> date | None:
    """The notice period after notice is given, unless the fact that stops it (an armed conflict) holds; none where
    the notice's day is not known (a month, or on or before a day: it "takes effect six months later")."""
    notice = _latest(country, rules.kinds("notice"))
    if notice is None or notice.date.day is None or notice.date.by or _blocked(country, rules):
        return None
    return add_months(notice.date.first, rules.notice_months)


def never_joined_hedge(cited: int) -> str:
    """The one caution wherever a state is said never to have joined: its references say so as of their own dates."""
    return ("according to the cited references, which do not cover later changes" if cited > 1 else
            "according to the cited reference, which does not cover later changes")


def status_on(country: Country, day: date, rules: Rules, recorded_by: date | None = None) -> Status:
    """Where the country stood on `day`, with the events the answer rests on.

    `recorded_by`: the events are only those the references dated by that day record (a build as of an earlier
    day), so a step not yet taken is told as their silence ("the references dated by ... record no ..."), not as a
    fact: a later page may record a step of that day."""
    label, short = rules.label, rules.agreement_short
    by = f"the references dated by {_human(recorded_by)}" if recorded_by else ""

    def made(key: str, explanation: str, cite: tuple[Citation, ...] = (), since: PartialDate | None = None) -> Status:
        return Status(key, day, explanation, cite, since, rules.status_label(key), rules.status_key(key))

    joined = _latest(country, rules.kinds("in-force"), day)
    if joined is None:
        joining = rules.kinds("signed", "joined")
        if country.never_joined and not any(e.kind in joining for e in country.events):
            return made("never-joined", f"Never joined {short}, {never_joined_hedge(len(country.never_joined))}.",
                        country.never_joined)
        signed = _latest(country, joining, day)
        if signed:
            key = "signed" if signed.kind in rules.kinds("signed") else "joining"
            pending = f"{by} record no entry into force" if by else "not yet in force"
            return made(key, f"{label(signed.kind)} {signed.date.on}; {pending}.", signed.cite, signed.date)
        return made("unknown", "Our references do not establish a status on this date.")
    effective = effective_date(country, rules)
    deposit = _latest(country, rules.kinds("notice"), day)
    later = f"{rules.notice_words} later" if rules.notice_months else "at once"
    if deposit and effective and effective <= day:
        cite = deposit.cite + sum((e.cite for e in country.events if e.kind in rules.kinds("effective")), ())
        return made("withdrawn", f"{label(deposit.kind)} {deposit.date.on}; under "
                      f"{rules.notice_rule} the withdrawal took effect {later}, on "
                      f"{_human(effective)}.", cite, PartialDate.of(effective))
    if deposit:
        blocker = country.fact(rules.blocked_by)
        if blocker and blocker.value:
            return made("disputed", f"{label(deposit.kind)} {deposit.date.on}, but under "
                          f"{rules.notice_rule} a withdrawal cannot take effect while {rules.blocked_while}.",
                          deposit.cite + blocker.cite, deposit.date)
        then = f"takes effect on {_human(effective)}" if effective else f"takes effect {later}"
        return made("pending", f"{label(deposit.kind)} {deposit.date.on}; under "
                      f"{rules.notice_rule} the withdrawal {then}.", deposit.cite, deposit.date)
    suspension = _latest(country, rules.kinds("suspension"), day)
    if suspension:
        blocker = country.fact(rules.blocked_by)
        cite = suspension.cite + (blocker.cite if blocker else ())
        explains = (rules.events[suspension.kind].explains
                    or f"{label(suspension.kind)} {{on}}; its effect is contested.")
        return made("disputed", explains.replace("{on}", suspension.date.on), cite, suspension.date)
    intent = _latest(country, rules.kinds("intent"), day)
    if intent:
        notices = rules.kinds("notice")
        missing = (f"{by} record no {_lower(label(notices[0]))}" if by else f"no {_lower(label(notices[0]))} yet"
                   ) if notices else f"{by} record no step that puts it in effect" if by else "not yet in effect"
        # Announced since the first step, not the latest (a vote, a law signed): that day the status began.
        first = _events(country, rules.kinds("intent"), day)[0]
        return made("announced", f"{label(intent.kind)} {intent.date.on}; {missing}.",
                    tuple(dict.fromkeys(first.cite + intent.cite)), first.date)
    return made("party", f"{short[:1].upper()}{short[1:]} has been in force for it since {joined.date.human}.",
                  joined.cite, joined.date)


def _as_step(status: Status, country: Country, rules: Rules) -> Status:
    """A line of the history dated by the step it records (a vote, a law signed), with that step's sources; the
    status itself is dated by the day it began (status_on)."""
    step = _latest(country, rules.kinds("intent"), status.on) if status.key == "announced" else None
    return replace(status, since=step.date, cite=step.cite) if step else status


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _human(day: date) -> str:
    return PartialDate.of(day).human


def with_statuses(country: Country, as_of: date, rules: Rules, recorded_by: date | None = None) -> Country:
    """The country with its effective date, its status today and its status after each dated event
    (`recorded_by`: as in status_on, for the status in force on `as_of`, the last of the history)."""
    days = sorted({e.date.last for e in country.events if e.date.last <= as_of})
    history = []
    for day in days:
        current = _as_step(status_on(country, day, rules), country, rules)
        if not history or history[-1].key != current.key or history[-1].explanation != current.explanation:
            history.append(current)
    effective = effective_date(country, rules)
    if effective and effective <= as_of and effective not in days:
        history.append(status_on(country, effective, rules))
        history.sort(key=lambda s: s.on)
    if recorded_by and history:  # only the last row lasts to `as_of`: an earlier one's next step is recorded
        history[-1] = _as_step(status_on(country, history[-1].on, rules, recorded_by), country, rules)
    return replace(country, effective_date=effective, status_today=status_on(country, as_of, rules, recorded_by),
                   status_history=tuple(history))
