"""A status is computed from dated events and the topic's rules (content/rules.yaml), never typed in."""

from datetime import date
from pathlib import Path

import pytest

from builder.errors import ErrorLog
from builder.load import parse_yaml
from builder.model import Citation, CitedValue, Country, Event, PartialDate
from builder.rules import Rules, read_rules
from builder.status import add_months, effective_date, status_on, with_statuses

REF = (Citation("ref", "r1"),)
SHIPPED_RULES = (Path(__file__).resolve().parent.parent / "content" / "rules.yaml").read_text(encoding="utf-8")


def rules_from(text: str) -> Rules:
    log = ErrorLog()
    rules = read_rules(parse_yaml(text, "content/rules.yaml", log), log)
    assert rules is not None and not log, log.errors
    return rules


RULES = rules_from(SHIPPED_RULES)


def country(*events: tuple[str, str], **background: CitedValue) -> Country:
    parsed = tuple(Event(kind, PartialDate(*map(int, day.split("-"))), REF) for kind, day in events)
    never_joined = background.pop("never_joined", None)
    return Country("pl", "Poland", "PL", parsed, dict(background),  # type: ignore[arg-type]
                   never_joined=REF if never_joined else ())


POLAND = country(("signed", "1997-12-04"), ("in-force", "2013-06-01"), ("withdrawal-recommended", "2025-03-18"),
                 ("law-signed", "2025-07"), ("instrument-deposited", "2025-08-20"))


def test_six_months_after_deposit() -> None:
    assert effective_date(POLAND, RULES) == date(2026, 2, 20)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_status_follows_the_events() -> None:
    keys = [status_on(POLAND, date.fromisoformat(d), RULES).key for d in (
        "2000-01-01", "2014-01-01", "2025-03-18", "2025-08-20", "2026-02-19", "2026-02-20")]
    assert keys == ["signed", "party", "announced", "pending", "pending", "withdrawn"]


def test_armed_conflict_blocks_the_withdrawal() -> None:
    at_war = country(("in-force", "2006-06-01"), ("instrument-deposited", "2025-07-18"),
                     armed_conflict=CitedValue(True, REF))
    assert effective_date(at_war, RULES) is None
    blocked = status_on(at_war, date(2026, 6, 1), RULES)
    assert blocked.key == "disputed"
    assert blocked.explanation == ("Instrument of withdrawal deposited on 18 July 2025, but under Article 20(3) a "
                                   "withdrawal cannot take effect while the state is engaged in an armed conflict.")


def test_suspension_is_disputed_and_never_joined_is_cited() -> None:
    suspended = country(("in-force", "2006-06-01"), ("suspension-notified", "2025-07-18"))
    assert status_on(suspended, date(2025, 8, 1), RULES).key == "disputed"
    outside = country(never_joined=CitedValue(True, REF))
    assert status_on(outside, date(2025, 1, 1), RULES).key == "never-joined"
    assert status_on(country(), date(2025, 1, 1), RULES).key == "unknown"


def test_history_lists_each_change_once() -> None:
    history = with_statuses(POLAND, date(2026, 11, 23), RULES).status_history
    assert [s.key for s in history] == ["signed", "party", "announced", "announced", "pending", "withdrawn"]
    assert "Law signed" in history[3].explanation
    assert history[-1].on == date(2026, 2, 20)


def test_month_only_dates_read_in_not_on() -> None:
    history = with_statuses(POLAND, date(2026, 11, 23), RULES).status_history
    assert "Law signed in July 2025;" in history[3].explanation
    assert history[3].since == PartialDate(2025, 7)


# ---------------------------------------------------------------- other rules: the same code, another topic

OTHER = """\
agreement: {nav: "The pact", title: "The Example Pact", name: "the Example Pact", short: "the pact",
            about: "The pact's text.", description: "The Example Pact, quoted."}
notice: {months: NOTICE, rule: "Article 9"}
events:
  joined: {label: "Joined the pact", role: in-force}
  notice-given: {label: "Notice of exit given", role: notice}
"""


@pytest.mark.parametrize(("months", "effective", "said"), [
    (12, date(2026, 3, 10), "under Article 9 the withdrawal took effect one year later, on 10 March 2026."),
    (0, date(2025, 3, 10), "under Article 9 the withdrawal took effect at once, on 10 March 2025."),
])
def test_a_one_year_notice_or_none_is_content(months: int, effective: date, said: str) -> None:
    rules = rules_from(OTHER.replace("NOTICE", str(months)))
    member = country(("joined", "2001-05-01"), ("notice-given", "2025-03-10"))
    assert effective_date(member, rules) == effective
    left = status_on(member, effective, rules)
    assert left.key == "withdrawn"
    assert left.explanation == f"Notice of exit given on 10 March 2025; {said}"
    if months:
        assert status_on(member, date(2025, 4, 1), rules).explanation == (
            f"Notice of exit given on 10 March 2025; under Article 9 the withdrawal takes effect on "
            f"{effective.day} March 2026.")
    joined = status_on(member, date(2002, 1, 1), rules)
    assert joined.explanation == "The pact has been in force for it since 1 May 2001."


def test_a_status_keeps_the_builders_key_and_takes_the_sites_own() -> None:
    rules = rules_from(OTHER.replace("NOTICE", "0") + "status_keys: {party: member}\n")
    member = country(("joined", "2001-05-01"))
    assert [(s.key, s.site_key) for s in (status_on(member, date(2002, 1, 1), rules),
                                          status_on(member, date(2000, 1, 1), rules))] == [
        ("party", "member"), ("unknown", "unknown")]


@pytest.mark.parametrize(("keys", "said"), [
    ("{signed: joining}", "7:23: status key 'joining' of status 'signed' is already the key of status 'joining'"),
    ("{party: none}", "7:22: status key 'none' of status 'party' is already the key the maps give countries not "
                      "covered"),
    ("{party: Member}", "7:22: field 'party' of the rules' status keys must be an id (found 'Member')"),
])
def test_two_statuses_never_share_a_key(keys: str, said: str) -> None:
    log = ErrorLog()
    assert read_rules(parse_yaml(OTHER.replace("NOTICE", "0") + f"status_keys: {keys}\n", "content/rules.yaml",
                                 log), log) is None
    assert [f"{e.line}:{e.column}: {e.message}" for e in log.errors] == [said]


def test_announced_since_the_first_step_each_history_line_dated_by_its_own() -> None:
    """"Withdrawal announced since" a day is the day the status began, not its latest step (a vote, a law signed);
    the history keeps each step's own date and sources."""
    steps = Country("lv", "Latvia", "LV", (
        Event("in-force", PartialDate(2006, 1, 1), REF),
        Event("withdrawal-recommended", PartialDate(2025, 3, 18), (Citation("ref", "js01"),)),
        Event("parliament-vote", PartialDate(2025, 4, 16), (Citation("ref", "lv04"),))))
    now = status_on(steps, date(2025, 6, 1), RULES)
    assert (now.key, now.since) == ("announced", PartialDate(2025, 3, 18))
    assert now.explanation.startswith("Parliament vote on 16 April 2025;")
    assert now.cite == (Citation("ref", "js01"), Citation("ref", "lv04"))
    history = with_statuses(steps, date(2025, 6, 1), RULES).status_history
    assert [(s.since, s.cite) for s in history if s.key == "announced"] == [
        (PartialDate(2025, 3, 18), (Citation("ref", "js01"),)), (PartialDate(2025, 4, 16), (Citation("ref", "lv04"),))]
