"""mapviews.py: the status maps as pages show them, with their key, their table in words and the series of small
maps of how the statuses changed (the drawing itself is tests/test_maps.py's)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from builder.mapviews import StatusMaps, map_status, status_label
from builder.model import Site
from builder.pages import plan_pages
from builder.status import with_statuses
from builder.views import Citer, Page, rules_of


@pytest.fixture(scope="module")
def pages(mini_site: Site) -> list[Page]:
    return plan_pages(mini_site)


def test_joining_is_drawn_as_signed_and_uncovered_countries_are_named(mini_site: Site) -> None:
    rules = rules_of(mini_site)
    assert map_status("joining") == "signed" and map_status("withdrawn") == "withdrawn"
    assert status_label("none", rules) == "Not covered: no page on this site"
    assert status_label("pending", rules) == "State Party, withdrawal pending"


def test_the_key_counts_each_status_in_a_fixed_order_then_the_uncovered(mini_site: Site) -> None:
    maps = StatusMaps(mini_site)
    assert [(e.key, e.count_text) for e in maps.legend] == [
        ("pending", "2 countries"), ("withdrawn", "3 countries"), ("disputed", "1 country"),
        ("never-joined", "3 countries"), ("none", "")]
    key = maps.key_to(["withdrawn", "party"], "k", count=False, uncovered=False)
    assert [(e.key, e.count) for e in key] == [("party", None), ("withdrawn", None)]
    assert 'id="k-key-withdrawn' in key[1].swatch, "a patterned swatch's ids are its own"


def test_the_table_lists_countries_by_status_then_name(mini_site: Site) -> None:
    rows = StatusMaps(mini_site).rows
    assert [(r.iso2, r.key) for r in rows] == [
        ("FI", "pending"), ("PL", "pending"), ("EE", "withdrawn"), ("LV", "withdrawn"), ("LT", "withdrawn"),
        ("UA", "disputed"), ("CN", "never-joined"), ("RU", "never-joined"), ("US", "never-joined")]
    assert [r.name for r in rows if r.inset] == ["China", "United States"]
    assert rows[1].href == "/mini/countries/pl/"


def test_the_maps_share_one_drawing_of_today_and_outline_each_country(pages: list[Page]) -> None:
    home = next(p for p in pages if p.kind == "home")
    countries = next(p for p in pages if p.kind == "countries")
    assert home.context["status_map"] is countries.context["status_map"], "drawn once"
    poland = next(p for p in pages if p.kind == "country" and p.context["country"].id == "pl")
    view = poland.context["status_map"]
    assert view.highlighted == "Poland" and view.legend == home.context["status_map"].legend
    assert [r.name for r in view.rows if r.current] == ["Poland"]
    assert view.insets == "China, United States"
    assert view.title.endswith("on 5 January 2026; Poland outlined")


def test_map_series_starts_the_month_of_the_first_step_and_maps_each_change(mini_site: Site) -> None:
    maps = StatusMaps(mini_site)
    series, legend, per_month = maps.series(Citer(mini_site))
    assert series[0].on == date(2025, 3, 1) and not per_month
    assert [key for key, _, _ in series[0].standing] == ["party", "never-joined"]
    assert [(m.on.isoformat(), sorted(c.iso2 for c in m.changes)) for m in series[1:4]] == [
        ("2025-03-18", ["EE", "LT", "LV", "PL"]), ("2025-04-01", ["FI"]), ("2025-06-27", ["EE", "LT", "LV"])]
    assert [e.key for e in legend] == ["party", "announced", "pending", "withdrawn", "disputed", "never-joined",
                                       "none"]
    assert all(m.on <= mini_site.config.as_of for m in series)


def test_a_long_series_shows_one_map_per_month(mini_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builder.mapviews.SERIES_MAX", 3)
    series, _, per_month = StatusMaps(mini_site).series(Citer(mini_site))
    assert per_month
    months = [(m.on.year, m.on.month) for m in series[1:]]
    assert len(months) == len(set(months))
    every = sorted(c.iso2 for m in series[1:] for c in m.changes)
    unlimited = sorted(c.iso2 for day in StatusMaps(mini_site).changes(date(2025, 3, 1), Citer(mini_site)).values()
                       for c in day)
    assert every == unlimited, "no change is lost when maps are merged by month"


def test_the_date_control_gets_each_countrys_steps_from_the_series_start(mini_site: Site) -> None:
    dated = StatusMaps(mini_site).dated()
    assert (dated.start, dated.end) == (date(2025, 3, 1), date(2026, 1, 5))
    steps = {row.iso2: json.loads(changes) for row, changes in dated.rows}
    # Each as the site knows it, as the country's page and the small maps tell it: the announcement from its day
    # (18 March, though its reference was published on 31 March); the status's start, not the series', as "since".
    assert steps["EE"] == [["2025-03-01", "party", "State Party", "2004-11-01", "1 November 2004"],
                           ["2025-03-18", "announced", "State Party, withdrawal announced", "2025-03-18",
                            "18 March 2025"],
                           ["2025-06-27", "pending", "State Party, withdrawal pending", "2025-06-27", "27 June 2025"],
                           ["2025-12-27", "withdrawn", "Withdrawn", "2025-12-27", "27 December 2025"]]
    assert steps["US"] == [["2025-03-01", "never-joined", "Never joined", "", ""]]
    assert json.loads(dated.patterns)["withdrawn"] == "diagonal"
    assert dated.svg == StatusMaps(mini_site).today().svg


def test_the_date_control_steps_on_the_day_a_withdrawal_takes_effect_with_no_event_for_it(mini_site: Site) -> None:
    """The day a notice takes effect (six months on) is a step of its own, though no event is dated that day."""
    rules = rules_of(mini_site)
    estonia = next(c for c in mini_site.countries.values() if c.iso2 == "EE")
    events = tuple(e for e in estonia.events if rules.events[e.kind].role != "effective")
    assert len(events) < len(estonia.events), "the fixture dates the effect by an event too"
    estonia = with_statuses(replace(estonia, events=events), mini_site.config.as_of, rules)
    site = replace(mini_site, countries={**mini_site.countries, estonia.id: estonia})
    steps = {row.iso2: json.loads(changes) for row, changes in StatusMaps(site).dated().rows}
    assert steps["EE"][-1][:3] == ["2025-12-27", "withdrawn", "Withdrawn"]
