"""The site's pages as jobs: which pages a site has, in the site map's order, and the records a source or country
page is made from (what a warm build and the preview compare to know a page is unchanged)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .model import Claim, Site
from .urls import PageJob
from .views import is_leaving, rules_of

if TYPE_CHECKING:
    from .pages import Planner


def page_jobs(site: Site, planner: Planner) -> list[PageJob]:
    """Every page but the references page, in the site map's order; each can be planned on its own. A listing
    too long for one page is followed by its further pages ('pl/2'), as the `planner` cuts it."""
    jobs: list[PageJob] = [("home", None), ("treaty", None), ("countries", None)]
    for country_id in sorted(site.countries):
        jobs.append(("country", country_id))
        count = len(planner.country_pages(site.countries[country_id]))
        jobs += [("country_more", f"{country_id}/{number}") for number in range(2, count + 1)]
    jobs += [("map_series", None), ("compare", None)]
    if planner.scale.split_compare:
        for question_id in site.comparisons:
            count = len(planner.answer_pages(question_id))
            jobs += [("question", question_id if number == 1 else f"{question_id}/{number}")
                     for number in range(1, count + 1)]
    jobs.append(("sources", None))
    jobs += [("sources_more", str(number)) for number in range(2, len(planner.source_pages()) + 1)]
    jobs += [("source", source_id) for source_id in sorted(site.sources)]
    jobs += [("methodology", None), ("changes", None), ("search", None), ("not_found", None)]
    return jobs


def page_inputs(planner: Planner, job: PageJob) -> tuple[Any, ...] | None:
    """The records a source or country page is made from, besides what every page shares (the site's settings,
    questions, countries, references, treaty and templates); None for a page made from more, or from all.

    A warm builder keeps each page with these: while they are the very same objects, the page is the same. (A
    claim's review cites references only, so no other claim shows in a claim's entry.)
    """
    records = page_records(planner.site, job, planner.claims_of, planner.claims_about)
    return None if records is None else (planner.scale, *records)  # the scale changes links on every such page


def page_records(site: Site, job: PageJob, claims_of: Mapping[str, Iterable[Claim]],
                 claims_about: Mapping[str, Iterable[Claim]]) -> tuple[Any, ...] | None:
    """page_inputs from indexes of the claims by source and by the countries they name: the one rule of what a
    source or country page is made from (the warm builder's and the preview's, hot.py)."""
    method, record_id = job
    if method == "source":
        return (site.sources[str(record_id)], *claims_of.get(str(record_id), []))
    # A leaving country's page also shows the claims about the withdrawals at large.
    if method == "country" and not is_leaving(site.countries[str(record_id)], rules_of(site)):
        claims = list(claims_about.get(str(record_id), []))
        return (*claims, *(site.sources[c.source_id] for c in claims))
    return None
