"""The disk cache's page keys: what a page is made from (jobs.site_inputs) as one digest, found after an edit
from the sources it changed rather than from every page of the site.

A page's key is its job, the keys of the sources its records come from (each holds the global files' digests:
cache.unit_key), and the reprs of its other values. The templates' digests (DiskCache.page_key_base) are compared
once for every page (may_keep_pages), not hashed into each key: the key says what the page shows, not how it is
drawn. The cache keeps, with each page, the sources its key includes, and, for the build, each source's key, the
values computed across the site (jobs.site_values) and the digests of the template files that are not Jinja's
(inputs_base: the maps' geometry, read by the planner). When those are what they were, a page none of whose sources
changed, and that shows none of the changed sources now (jobs.jobs_showing), has the key it had, whatever Jinja
template changed: only the others' inputs are worked out again."""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .model import Claim, Site, Source

if TYPE_CHECKING:
    from .cache import DiskCache
    from .cards import Card
    from .pages import Planner
    from .urls import PageJob

PLAN = "page plan"  # the memo that keeps, for the next build, the sources' keys and the site's values
# Past this share of the sources changed, every page's inputs are worked out: most would be anyway.
FOLLOWED_SHARE = 0.25


def keys_and_units(disk: DiskCache, site: Site, inputs: Mapping[PageJob, tuple[Any, ...]]
                   ) -> tuple[dict[PageJob, bytes | None], dict[PageJob, tuple[str, ...]]]:
    """Each page's key (None if a source of it has no key) and the sources its key includes.

    A page's records are told from its values by identity, through one map of the site's records (_site_records).
    A record that is not the site's own is taken as a value, whose repr says all it holds. Pages given the very
    same records one after another (a country's further pages, jobs.site_inputs) have them worked out once: a
    country's pages list a few hundred each. (Only the last is kept: these keys are made while the page workers
    run, when a build's memory peaks.)"""
    of_unit = {unit_id: b"\0%s\0%s" % (unit_id.encode(), key) for unit_id, key in disk.unit_keys.items()}
    unit_of = _site_records(site, inputs)
    keys: dict[PageJob, bytes | None] = {}
    units_of: dict[PageJob, tuple[str, ...]] = {}
    known: tuple[tuple[Any, ...], tuple[str, ...], bytes | None] | None = None  # the last page's records
    for job, records in inputs.items():
        if known is None or known[0] is not records:
            known = (records, *_shown(records, unit_of, of_unit, disk.reprs))
        units_of[job] = known[1]
        keys[job] = None if known[2] is None else hashlib.sha256(repr(job).encode() + known[2]).digest()[:16]
    return keys, units_of


def _site_records(site: Site, inputs: Mapping[PageJob, tuple[Any, ...]]) -> dict[int, str]:
    """The source of each of the site's own records among these pages' inputs, by the record's identity: from the
    records the pages list, when they are fewer than the site's (an edit's few pages), else from every record of
    the site, in C's loops (pages list 230,000 records at 10,000 pages)."""
    distinct = {id(records): records for records in inputs.values()}.values()  # a country's pages share theirs
    sources, claims = site.sources, site.claims
    if sum(map(len, distinct)) >= len(sources) + len(claims):
        unit_of = dict(zip(map(id, sources.values()), sources, strict=True))
        unit_of.update(zip(map(id, claims.values()), map(operator.attrgetter("source_id"), claims.values()),
                           strict=True))
        return unit_of
    unit_of = {}
    for records in distinct:
        for record in records:
            kind = type(record)
            if kind is Source and sources.get(record.id) is record:
                unit_of[id(record)] = record.id
            elif kind is Claim and claims.get(record.id) is record:
                unit_of[id(record)] = record.source_id
    return unit_of


def _shown(records: tuple[Any, ...], unit_of: Mapping[int, str], of_unit: Mapping[str, bytes],
           reprs: dict[int, tuple[Any, bytes]]) -> tuple[tuple[str, ...], bytes | None]:
    """The sources a page's records come from, and what its key hashes of them after its job: each source's id
    and key, sorted, then each value's repr (None if a source has no key: its page has none either)."""
    ids = list(map(id, records))
    units = set(map(unit_of.get, ids))
    units.discard(None)  # the values'
    parts = list(map(of_unit.get, units))  # type: ignore[arg-type]
    if None in parts:
        return tuple(sorted(units)), None  # type: ignore[arg-type]
    found = sorted(parts)  # type: ignore[type-var]
    for value in itertools.compress(records, map(operator.not_, map(unit_of.__contains__, ids))):
        known = reprs.get(id(value))  # the same few values on thousands of pages: each written once
        if known is None or known[0] is not value:
            known = reprs[id(value)] = (value, b"\1" + repr(value).encode())
        found.append(known[1])
    return tuple(sorted(units)), b"".join(found)  # type: ignore[arg-type]


def may_keep_pages(disk: DiskCache) -> bool:
    """Whether any page the cache holds can be kept: not when it holds none of the last build's (its plan, kept
    by every build's page_keys_of), nor once the templates or the site's own files changed since (page_key_base,
    which no page's key holds). Then the keys are needed only to keep the pages made, as on a cold cache, and are
    made while the page workers render."""
    plan = disk.memos.get(PLAN)
    return plan is not None and plan[0] == disk.page_key_base


def inputs_base(disk: DiskCache) -> bytes:
    """The digests of what a page's inputs rest on besides its sources and the values across the site: the global
    files (in every source's key too) and the template files Jinja does not render (the maps' geometry, which the
    planner reads). An edit to a Jinja template (.html) leaves it, and every page's key, as it was."""
    from .cache import key_of

    return key_of(disk.global_key, sorted((path, found) for path, found in disk.digests.items()
                                          if path.startswith("templates/") and not path.endswith(".html")))


def page_keys_of(disk: DiskCache, planner: Planner, jobs: Sequence[PageJob], cards: dict[tuple[str, str], Card]
                 ) -> dict[PageJob, bytes | None]:
    """Every page's key, as keys_and_units gives it from jobs.site_inputs; the pages an edit cannot have changed
    keep the key the cache holds for them (see the module's docstring). Kept for the next build: each page's
    sources (keep_page) and, as a memo, the sources' keys and the site's values."""
    from .jobs import cited_claims, jobs_showing, site_inputs, site_values

    site = planner.site
    cited = cited_claims(site)
    values = hashlib.sha256(repr(site_values(planner, jobs, cards, cited)).encode()).digest()
    plan, base = disk.memos.get(PLAN), inputs_base(disk)
    disk.memos_now[PLAN] = (disk.page_key_base, (dict(disk.unit_keys), values, base))
    todo: Sequence[PageJob] = jobs
    kept: dict[PageJob, bytes | None] = {}
    if plan is not None and plan[1][1:] == (values, base):
        before, now = plan[1][0], disk.unit_keys
        changed = set(site.sources).difference(now)  # a published source without a key
        changed.update(unit for unit, _ in before.items() ^ now.items())  # a key added, gone or another
        if len(changed) <= FOLLOWED_SHARE * len(site.sources):
            kept = _kept_keys(disk, planner, jobs, changed, jobs_showing(planner, jobs, changed, cited))
            todo = [job for job in jobs if job not in kept]
    keys, units = keys_and_units(disk, site, site_inputs(planner, todo, cards, cited))
    disk.page_units.update(units)
    return {job: kept[job] if job in kept else keys[job] for job in jobs}


def _kept_keys(disk: DiskCache, planner: Planner, jobs: Sequence[PageJob], changed: set[str],
               showing: set[PageJob]) -> dict[PageJob, bytes]:
    """The pages whose key is the one the cache holds: none of the sources it held changed, and it shows none of
    the changed ones now (`showing`); a page of the sources list lists the same sources as it did."""
    from .jobs import LISTING, WHOLE_SITE

    pages, listed = disk.pages, planner.source_pages()
    kept = {}
    for job in jobs:
        entry = pages.get(job)
        if entry is None or job[0] in WHOLE_SITE or job in showing \
                or not changed.isdisjoint(entry[3]):
            continue
        if job[0] in LISTING and set(entry[3]) != {source.id for source in listed[int(job[1] or 1) - 1]}:
            continue  # a source moved in the list: the pages between its places list others
        kept[job] = entry[0]
        disk.page_units[job] = entry[3]
    return kept
