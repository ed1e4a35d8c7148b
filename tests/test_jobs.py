"""jobs.py: which pages a site has, in the site map's order, and what each page rests on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from builder import jobs, parallel
from builder.build import check_site
from builder.cards import Card
from builder.jobs import cited_claims, first_cards, page_inputs, page_jobs, page_records, site_inputs
from builder.model import Citation, Site, Source
from builder.pages import Planner
from tests.test_disk_cache import use_small_limits, write_synthetic_site


def test_every_record_has_its_page_in_the_site_maps_order(mini_site: Site) -> None:
    jobs = page_jobs(mini_site, Planner(mini_site))
    assert jobs[:3] == [("home", None), ("treaty", None), ("countries", None)]
    assert jobs[-4:] == [("methodology", None), ("changes", None), ("search", None), ("not_found", None)]
    assert [i for m, i in jobs if m == "country"] == sorted(mini_site.countries)
    assert [i for m, i in jobs if m == "source"] == sorted(mini_site.sources)
    assert len(jobs) == len(set(jobs))


def test_a_source_page_rests_on_its_source_and_its_claims_only(mini_site: Site) -> None:
    planner = Planner(mini_site)
    source_id = sorted(mini_site.sources)[0]
    records = page_records(mini_site, ("source", source_id), planner.claims_of, planner.claims_about)
    assert records is not None and records[0] is mini_site.sources[source_id]
    assert {c.source_id for c in records[1:]} == {source_id}
    assert page_records(mini_site, ("home", None), planner.claims_of, planner.claims_about) is None
    inputs = page_inputs(planner, ("source", source_id))
    assert inputs == (planner.scale, planner.job_card(("source", source_id)), *records)


def test_the_claims_the_sites_own_files_cite_are_found(mini_site: Site) -> None:
    cited = {c.id for c in cited_claims(mini_site)}
    written = " ".join(repr(s.cite) for s in mini_site.summary) + mini_site.methodology
    assert cited and all(claim_id in written for claim_id in cited)


def test_every_page_says_what_it_rests_on(mini_site: Site) -> None:
    """A page made from the whole site rests on every source; one made from the site's own files on none but
    those of the claims they cite; any other on the sources it shows."""
    planner = Planner(mini_site)
    inputs = site_inputs(planner, planner.jobs)
    assert inputs.keys() == set(planner.jobs)
    cited = {c.source_id for c in cited_claims(mini_site)}

    def sources(job: tuple[str, str | None]) -> set[str]:
        return {r.id for r in inputs[job] if isinstance(r, Source)}

    everything = set(mini_site.sources)
    assert sources(("compare", None)) == everything
    for job in [("home", None), ("methodology", None)]:  # and what they show of the sources (shown_across)
        assert sources(job) == cited
    findings = planner.findings()
    assert inputs[("home", None)][-2:] == (len(findings), planner.verdict_counts())
    assert inputs[("methodology", None)][-1] == planner.judgement_examples()
    for job in [("treaty", None), ("countries", None), ("changes", None), ("not_found", None)]:
        assert sources(job) == cited
    for country_id in mini_site.countries:
        naming = {c.source_id for c in planner.claims_about.get(country_id, [])}
        assert sources(("country", country_id)) == naming | cited
    assert sources(("sources", None)) == everything  # the mini site's list has one page



def test_a_source_page_rests_on_the_claims_its_date_cites(mini_site: Site) -> None:
    first, second = sorted(mini_site.sources)[:2]
    other = next(c for c in mini_site.claims.values() if c.source_id == second)
    dated = mini_site.sources[first]
    dated = replace(dated, published=replace(dated.published, cite=(Citation("claim", other.id),)))
    site = replace(mini_site, sources={**mini_site.sources, first: dated})
    inputs = page_inputs(Planner(site), ("source", first))
    assert other in inputs and site.sources[second] in inputs


def test_the_first_cards_are_the_very_cards_the_pages_name(shipped_site: Site) -> None:
    """render.py has them drawn before the pages are made: a card that differed would be drawn twice."""
    planner = Planner(shipped_site)
    first = first_cards(planner, planner.jobs, {})
    named: dict[str, Card] = {}
    for job in planner.jobs:
        card = planner.plan(job).card
        if card is not None:
            named.setdefault(card.out_path, card)
    assert [card for card in first if named.get(card.out_path) != card] == []
    assert "cards/home.png" in [card.out_path for card in first]
    assert len([card for card in first if card.map_svg]) == 6, "the home page's and the five leaving countries'"


def test_the_site_map_counts_each_countrys_pages_without_putting_its_claims_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped_site: Site) -> None:
    """page_jobs needs how many pages each country has, not their claims in order (the pages made need those):
    an edit's build plans a few countries' pages, not every country's. The counts are country_pages' own, for the
    synthetic site's countries and the shipped site's leaving ones (whose first page shows the reasons apart)."""
    use_small_limits(monkeypatch)
    with parallel.one_process():
        synthetic = check_site(write_synthetic_site(tmp_path / "site"))
    for site in (synthetic, shipped_site):
        planner = Planner(site)
        jobs = planner.jobs
        assert planner.about_pages == {} and planner.general_reasons is None
        assert any(job[0] == "country_more" for job in jobs)
        for country_id, country in site.countries.items():
            pages = planner.country_pages(country)
            assert [job for job in jobs if job[0] == "country_more" and str(job[1]).startswith(f"{country_id}/")] \
                == [("country_more", f"{country_id}/{number}") for number in range(2, len(pages) + 1)]
    leaving = planner.groups["leaving"]
    assert [c.id for c in leaving if len(planner.country_pages(c)) > 1 and planner.giving_reasons(
        planner.claims_about[c.id])], "the shipped site's leaving countries, with reasons and further pages"


def test_the_pages_of_a_kind_that_share_a_card_are_passed_over_once_it_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site's sources' pages share one card, as do its countries', its questions' and its sources list's:
    the cards of a build's pages are found once a kind (10,000 sources' pages, after an edit), in the order named."""
    use_small_limits(monkeypatch)
    with parallel.one_process():
        site = check_site(write_synthetic_site(tmp_path / "site"))
    planner = Planner(site)
    asked: list[tuple[str, str | None]] = []
    real = jobs.job_card

    def spy(planner: Planner, job: tuple[str, str | None], cards: dict[tuple[str, str], Card]) -> Card:
        asked.append(job)
        return real(planner, job, cards)

    monkeypatch.setattr(jobs, "job_card", spy)
    carded = [job for job in planner.jobs if job[0] in jobs.CARDED]
    first = first_cards(planner, planner.jobs, {})
    expected: dict[str, Card] = {"cards/home.png": planner.card_of("home", "", "", "")}
    paths: dict[str, set[str]] = {}  # each kind's cards
    for job in carded:
        card = real(planner, job, {})
        expected.setdefault(card.out_path, card)
        paths.setdefault(job[0], set()).add(card.out_path)
    assert first == list(expected.values())
    shared = {method for method, found in paths.items() if len(found) == 1}
    own = [job for job in carded if job[0] not in shared]  # a country's own card, when there are few countries
    assert shared >= {"source", "question", "sources_more"} and len(asked) == len(shared) + len(own) < len(carded)
