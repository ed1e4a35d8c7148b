"""The site as of its date: nothing dated after it is shown, so a build as of an earlier day tells that day's truth.

Events, treaty facts, summary sentences and change-log entries carry dates; sources carry a publication window,
and references the date of their page where it states one. What lies after the site's date is left out here,
once, before anything is computed from it (statuses, comparisons, the pages): a page published later is not
cited, a fact that only later pages support is not stated, and a review that rests on a later page is not shown
as a check.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .model import Citation, CitedValue, Claim, Country, PartialDate, Reference, Review, Site


def is_after(when: PartialDate | None, day: date) -> bool:
    """Whether something dated `when` may have happened after `day` (a month or year counts to its end)."""
    return when is not None and when.last > day


def later_references(references: dict[str, Reference], day: date) -> set[str]:
    """The references whose page is dated after `day`: on that day they had not been written."""
    return {ref_id for ref_id, reference in references.items() if is_after(reference.published, day)}


def earlier(cites: tuple[Citation, ...], later: set[str]) -> tuple[Citation, ...]:
    return tuple(c for c in cites if not (c.kind == "ref" and c.id in later))


def _still_cited(value: CitedValue | None, later: set[str]) -> CitedValue | None:
    """A cited value with only the citations of its day; none if only later pages support it."""
    if value is None or not value.cite:
        return value
    cites = earlier(value.cite, later)
    return replace(value, cite=cites) if cites else None


def country_as_of(country: Country, day: date, later: set[str]) -> Country:
    """The country with only the events dated by `day`, each resting on the pages of its day (an event that only
    later pages support is left out), before its statuses are computed."""
    events = []
    for event in country.events:
        cites = earlier(event.cite, later)
        if not is_after(event.date, day) and (cites or not event.cite):
            events.append(event if cites == event.cite else replace(event, cite=cites))
    if not later and len(events) == len(country.events):
        return country
    background = {key: {k: v for k, v in ((k, _still_cited(v, later)) for k, v in value.items()) if v}
                  if isinstance(value, dict) else _still_cited(value, later)
                  for key, value in country.background.items()}
    return replace(country, events=tuple(events), background=background,
                   never_joined=earlier(country.never_joined, later) if country.never_joined else ())


def _review_as_of(review: Review | None, day: date, later: set[str]) -> Review | None:
    """A review that rests on a page written after `day` was not possible on that day."""
    if review is None or not any(c.kind == "ref" and c.id in later for c in review.cite):
        return review
    return Review("unchecked", f"Not checked as of {PartialDate.of(day).human}: the references that settle it "
                  "are dated later.", ())


def site_as_of(site: Site) -> Site:
    """The site without what is dated after its date: sources written later (with their claims), references whose
    page is later (and the reviews and summary sentences that rest on them), the summary sentences and treaty
    facts dated later, and the sentences and change-log entries that cite a claim left out. (Countries' events are
    left out before their statuses are computed, by country_as_of.)"""
    day = site.config.as_of
    later = later_references(site.references, day)
    sources = {k: s for k, s in site.sources.items()
               if not (s.published.window.not_before and s.published.window.not_before > day)}
    claims: dict[str, Claim] = {}
    if not later:  # no review rests on a later page: only the claims of the sources left out go
        claims = site.claims if len(sources) == len(site.sources) else {
            claim_id: claim for claim_id, claim in site.claims.items() if claim.source_id in sources}
    else:
        for claim_id, claim in site.claims.items():
            if claim.source_id in sources:
                review = _review_as_of(claim.review, day, later)
                claims[claim_id] = claim if review is claim.review else replace(claim, review=review)

    def known(citation: Citation) -> bool:
        return citation.id in claims if citation.kind == "claim" else citation.id not in later

    summary = tuple(s for s in site.summary if not is_after(s.date, day) and all(known(c) for c in s.cite))
    facts = tuple(replace(f, cite=earlier(f.cite, later)) for f in site.treaty.facts
                  if not is_after(f.date, day) and (earlier(f.cite, later) or not f.cite))
    changes = tuple(c for c in site.changes if c.date <= day and all(known(x) for x in c.cite))
    if not later and (len(sources), len(claims), len(summary), len(facts), len(changes)) == (
            len(site.sources), len(site.claims), len(site.summary), len(site.treaty.facts), len(site.changes)):
        return site
    questions = {k: replace(q, references=tuple(replace(r, cite=earlier(r.cite, later)) for r in q.references))
                 for k, q in site.questions.items()}
    references = {k: r for k, r in site.references.items() if k not in later}
    return replace(site, sources=sources, claims=claims, summary=summary, changes=changes, questions=questions,
                   references=references, treaty=replace(site.treaty, facts=facts))
