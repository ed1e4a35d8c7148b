"""The site as of its date: nothing dated after it is shown, so a build as of an earlier day tells that day's truth.

Events, treaty facts and summary sentences carry dates; sources carry a publication window. What lies after the site's date is left out here, once, before anything is
computed from it (statuses, comparisons, the pages).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .model import Citation, Country, PartialDate, Site


def is_after(when: PartialDate | None, day: date) -> bool:
    """Whether something dated `when` may have happened after `day` (a month or year counts to its end)."""
    return when is not None and when.last > day


def country_as_of(country: Country, day: date) -> Country:
    """The country with only the events dated by `day`."""
    events = tuple(e for e in country.events if not is_after(e.date, day))
    return country if len(events) == len(country.events) else replace(country, events=events)


def site_as_of(site: Site) -> Site:
    """The site without what is dated after its date: sources written later (with their claims), the summary
    sentences and treaty facts dated later, and the sentences that cite a claim left out.
    (Countries' events are left out before their statuses are computed, by country_as_of.)"""
    day = site.config.as_of
    sources = {k: s for k, s in site.sources.items()
               if not (s.published.window.not_before and s.published.window.not_before > day)}
    claims = {k: c for k, c in site.claims.items() if c.source_id in sources}

    def known(citation: Citation) -> bool:
        return citation.kind != "claim" or citation.id in claims

    summary = tuple(s for s in site.summary if not is_after(s.date, day) and all(known(c) for c in s.cite))
    facts = tuple(f for f in site.treaty.facts if not is_after(f.date, day))
    if (len(sources), len(claims), len(summary), len(facts)) == (
            len(site.sources), len(site.claims), len(site.summary), len(site.treaty.facts)):
        return site
    return replace(site, sources=sources, claims=claims, summary=summary, treaty=replace(site.treaty, facts=facts))
