"""The preview's first answer to an edit: the pages open in the browser, made again from the edited files alone.

Why: at 10,000 pages a warm rebuild still takes seconds, as the compare page, the indexes and the downloads are
made from every claim. But a source page is made from its source and claims, and a country page from the claims
naming the country and their sources (jobs.page_records), plus what every page shares. So after an edit to
sources, claims or templates, the open source and country pages are made first, from the last good site with the
edited sources patched in, and written before the whole site is rebuilt. That rebuild checks everything and has
the last word: its output replaces anything made here, and the preview reloads a page again if it differs.
Whatever this module cannot be sure of (any other file, a new or deleted source, an error) it leaves alone.
"""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from pathlib import Path

from . import urls
from .errors import ErrorLog
from .jobs import page_records
from .load import RawContent, UnitPaths, load_units, outside_project
from .model import Claim, Site, Source
from .pages import Planner
from .paging import Scale, site_scale
from .render import STATIC_FILES, load_template, make_environment, read_asset, render_or_report, with_part_rules
from .urls import STYLESHEET, PageJob
from .validate import Known, Validator

UNIT_FOLDERS = {"sources": ".md", "claims": ".yaml"}


class Remaker:
    """The last good site, with its claims indexed by source and by country, to make open pages again."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.claims_of: dict[str, list[Claim]] = {}
        self.naming: dict[str, set[str]] = {}  # country id: the sources with a claim naming it
        for claim in site.claims.values():
            self.claims_of.setdefault(claim.source_id, []).append(claim)
            for country_id in claim.countries:
                self.naming.setdefault(country_id, set()).add(claim.source_id)

    @functools.cached_property
    def scale(self) -> Scale:
        """The whole site's scale, which a page made from a part of it shows: worked out once per site."""
        return site_scale(self.site)

    def remake(self, root: Path, changed: list[str], open_pages: list[str], cache: dict | None = None
               ) -> dict[str, bytes]:
        """The open pages (output paths) that can be made from the last site and the `changed` files (paths
        relative to `root`), with their bytes; {} when any change is of a kind only a whole build can take."""
        units, templates = edited(changed)
        if units is None or not open_pages or any(outside_project(root / path, root) for path in changed):
            return {}  # a link out of the project: the whole build reports it
        templates_dir = root / "templates"
        sources, claims_of = self.site.sources, self.claims_of
        if units:
            found = self.read(root, units, cache)
            if found is None:
                return {}
            sources, claims_of = {**sources, **found[0]}, {**claims_of, **found[1]}
        files = {out: read_asset(templates_dir, src) for out, src in STATIC_FILES.items() if src in templates}
        if STYLESHEET in files:
            files[STYLESHEET] = with_part_rules(files[STYLESHEET], sources, claims_of)
        jobs = {out: job for out in open_pages if (job := page_job(self.site, out)) is not None}
        if not jobs:
            return files
        env = make_environment(templates_dir, self.site)  # one per build, as its `once` filter keeps what it made
        for out, job in jobs.items():
            planner = Planner(self.made_from(job, sources, claims_of, units), templates_dir, self.scale)
            page = planner.plan(job)
            data = render_or_report(load_template(env, page.template, templates_dir), page, templates_dir)
            if isinstance(data, bytes) and page.out_path == out:
                files[out] = data
        return files

    def read(self, root: Path, units: set[str], cache: dict | None
             ) -> tuple[dict[str, Source], dict[str, list[Claim]]] | None:
        """These sources and their claims, read and validated again; None if one is new, gone or wrong."""
        site = self.site
        if not units <= site.sources.keys():
            return None
        content = root / "content"
        paths = UnitPaths({u: content / "sources" / f"{u}.md" for u in units},
                          {u: path for u in units if (path := content / "claims" / f"{u}.yaml").is_file()})
        if not all(path.is_file() for path in paths.sources.values()):
            return None
        log = ErrorLog()
        raw = RawContent(root=root)
        load_units(raw, log, paths, cache)
        v = Validator(raw, log)  # the very checks a build makes of a source and its claims
        sources = v.sources()
        claims = v.claims(sources, Known(site.questions), Known(site.countries), {})
        v.check_citations(site.references, claims, sources)
        taken = {c.id for u in units for c in self.claims_of.get(u, ())}
        if log or raw.failed or sources.keys() != units or any(
                k in site.claims and k not in taken for k in claims):
            return None  # a claim id another source already uses is reported by the whole build
        found: dict[str, list[Claim]] = {u: [] for u in units}
        for claim in claims.values():
            found[claim.source_id].append(claim)
        return sources, found

    def made_from(self, job: PageJob, sources: dict[str, Source], claims_of: dict[str, list[Claim]],
                  units: set[str]) -> Site:
        """The part of the site the page is made from (jobs.page_records): a Planner over it is made at once."""
        site = replace(self.site, sources=sources)
        method, record_id = job
        claims_about = {}
        if method == "country":  # the claims naming it, among the edited sources' and the others'
            naming = (self.naming.get(str(record_id), set()) - units) | units
            claims_about[str(record_id)] = [c for k in sorted(naming) for c in claims_of.get(k, ())
                                            if record_id in c.countries]
        records = page_records(site, job, claims_of, claims_about)
        source_ids = set(sources) if records is None else {r.id for r in records if isinstance(r, Source)}
        return replace(site, sources={k: sources[k] for k in sorted(source_ids)},
                       claims={c.id: c for k in sorted(source_ids) for c in claims_of.get(k, ())}, comparisons={})


def edited(changed: list[str]) -> tuple[set[str] | None, set[str]]:
    """The ids of the edited sources and the edited template files (relative to templates/); None for the ids
    when some change is neither."""
    units: set[str] = set()
    templates: set[str] = set()
    for path in changed:
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "content" and UNIT_FOLDERS.get(parts[1]) == os.path.splitext(parts[2])[1]:
            units.add(os.path.splitext(parts[2])[0])
        elif len(parts) > 1 and parts[0] == "templates":
            templates.add("/".join(parts[1:]))
        else:
            return None, templates
    return units, templates


def page_job(site: Site, out_path: str) -> PageJob | None:
    """The source or country page written to `out_path`; None for the pages made from everything."""
    job = urls.page_job(out_path)
    if job is None or job[1] not in (site.sources if job[0] == "source" else site.countries):
        return None
    return job
