"""jobs.py: which pages a site has, in the site map's order, and the records a source or country page rests on."""

from __future__ import annotations

from builder.jobs import page_inputs, page_jobs, page_records
from builder.model import Site
from builder.pages import Planner


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
    assert inputs is not None and inputs[0] is planner.scale and inputs[1:] == records
