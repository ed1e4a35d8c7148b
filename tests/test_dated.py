"""dated.py: a site as of a day leaves out what is dated after it, and what rests only on it, before anything is
computed from it. (tests/test_as_of.py builds the shipped site as of earlier days and reads the pages.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from builder.dated import country_as_of, is_after, later_references, site_as_of
from builder.model import Change, Citation, CitedValue, Country, Event, PartialDate, Review, Site

JS01 = Citation("ref", "js01")  # the fixture's one reference with a page date: 18 March 2025
NP01 = Citation("ref", "np01")


def as_of(site: Site, day: date) -> Site:
    return replace(site, config=replace(site.config, as_of=day))


def test_a_month_or_a_year_counts_to_its_end() -> None:
    day = date(2025, 3, 15)
    assert is_after(PartialDate(2025, 3), day) and is_after(PartialDate(2025), day)
    assert not is_after(PartialDate(2025, 3, 15), day) and not is_after(PartialDate(2025, 2), day)
    assert is_after(PartialDate(2025, 3, 16), day)
    assert not is_after(None, day), "undated is never later"


def test_references_whose_page_is_dated_later_had_not_been_written(mini_site: Site) -> None:
    assert later_references(mini_site.references, date(2025, 3, 17)) == {"js01"}
    assert later_references(mini_site.references, date(2025, 3, 18)) == set()


def test_a_country_keeps_the_events_of_its_day_each_with_the_pages_of_its_day() -> None:
    later = {"late"}
    country = Country("pl", "Poland", "PL", events=(
        Event("signed", PartialDate(1997, 12, 3), ()),
        Event("withdrawal-recommended", PartialDate(2025, 3, 18), (JS01, Citation("ref", "late"))),
        Event("parliament-vote", PartialDate(2025, 3, 20), (Citation("ref", "late"),)),
        Event("law-signed", PartialDate(2025, 4), (JS01,)),
    ), background={"nato": CitedValue(True, (Citation("ref", "late"),)),
                   "borders": {"russia": CitedValue(True, (JS01,))}},
        never_joined=(JS01, Citation("ref", "late")))
    then = country_as_of(country, date(2025, 3, 31), later)
    assert [(e.kind, e.cite) for e in then.events] == [("signed", ()), ("withdrawal-recommended", (JS01,))], (
        "an uncited event stays; one that only a later page supports goes; a month after the day goes")
    assert then.background["nato"] is None, "a fact only a later page supports is not stated"
    assert then.background["borders"] == {"russia": CitedValue(True, (JS01,))} and then.never_joined == (JS01,)


def test_a_country_with_nothing_later_is_the_same_object(mini_site: Site) -> None:
    poland = mini_site.countries["pl"]
    assert country_as_of(poland, date(2030, 1, 1), set()) is poland


def test_a_source_written_later_goes_with_its_claims_and_what_cites_them(mini_site: Site) -> None:
    day = date(2025, 3, 25)  # the wire wrote on 18 March, the Daily Ledger between 2 and 10 April
    site = as_of(replace(mini_site, changes=(Change(date(2025, 4, 3), "source", "The Ledger.",
                                                     (Citation("claim", "daily-finland"),)),
                                              Change(date(2025, 3, 20), "source", "The wire.",
                                                     (Citation("claim", "wire-four"),)))), day)
    then = site_as_of(site)
    assert set(then.sources) == {"wire"}
    assert {c.source_id for c in then.claims.values()} == {"wire"}
    assert [s.date for s in then.summary] == [PartialDate(2025, 3, 18)], "later sentences are not yet said"
    assert [c.text for c in then.changes] == ["The wire."]
    assert [f.id for f in then.treaty.facts] == [f.id for f in mini_site.treaty.facts], "all dated long before"


def test_a_review_resting_on_a_later_page_is_unchecked_and_the_page_is_not_listed(mini_site: Site) -> None:
    references = dict(mini_site.references)
    references["np01"] = replace(references["np01"], published=PartialDate(2025, 12))
    then = site_as_of(as_of(replace(mini_site, references=references), date(2025, 6, 1)))
    assert "np01" not in then.references
    review = then.claims["wire-never-joined"].review
    assert review == Review("unchecked", "Not checked as of 1 June 2025: the references that settle it are dated "
                            "later.", ())
    assert then.claims["wire-four"].review == mini_site.claims["wire-four"].review, "js01 was written by then"
    assert mini_site.questions["who-never-joined"].references[0].cite == (NP01,)
    assert then.questions["who-never-joined"].references[0].cite == (), "the question's answer no longer cites it"


def test_a_site_with_nothing_later_is_the_same_object(mini_site: Site) -> None:
    assert site_as_of(mini_site) is mini_site
