"""The site map: model -> one page per URL (plan_site), each carrying the computed context its template displays.

The planner decides what each page shows from the views (views.py, text.py, mapviews.py), so templates only
display; where each page goes is urls.py's.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any

from .cards import Card
from .changelog import view_changes
from .compare import judge_claim
from .comparisons import COMPARE_TITLE, ComparisonPlanner
from .countryviews import CountryPlanner
from .jobs import page_jobs
from .maps import REGIONS, load_geometry, outline_of
from .mapviews import StatusMaps
from .model import (
    CITATION_MARK,
    PASSAGE_KINDS,
    Citation,
    Claim,
    Country,
    Event,
    Judgement,
    PartialDate,
    Site,
    Source,
    foreign,
)
from .paging import (
    CLAIMS_PER_PAGE,
    SOURCES_PER_PAGE,
    Scale,
    chunks,
    home_dates,
    make_pager,
    page_count,
    site_scale,
)
from .status import never_joined_hedge
from .text import cut_body, view_passage
from .themes import theme_file
from .urls import (
    CHANGES,
    CLAIMS_CSV,
    FEED,
    ICON,
    NOT_FOUND,
    SEARCH_INDEX,
    SITE_JSON,
    STYLESHEET,
    PageJob,
    absolute_url,
    claim_anchor,
    country_rel,
    out_path_for,
    paged_rel,
    question_href,
    reference_anchor,
    source_download,
    source_rel,
    url_for,
)
from .views import (
    CARD_KICKERS,
    CITED_ON_SHOWN,
    FINDINGS_ON_HOME,
    RATING_SCALE,
    STEP_ROLES,
    ArticleView,
    CheckView,
    Chrome,
    CiteLink,
    Citer,
    ClaimView,
    FactLine,
    Finding,
    KeyDate,
    Link,
    NavLink,
    Page,
    ReferenceView,
    Scorecard,
    SourceClaims,
    Standing,
    WhyGroup,
    _day_of,
    article_lines,
    claim_numbers,
    clip,
    country_groups,
    country_row,
    is_leaving,
    language_name,
    more_pages,
    newest_event,
    one_card,
    or_list,
    published_text,
    rules_of,
    sections,
    view_claim,
    view_event,
    view_page,
    view_scorecard,
    view_status,
    visible_claims,
    why_questions,
)

SOURCES_DESCRIPTION = ("The articles this explainer is built on, word for word, with every quote highlighted and "
                       "the parts that are not reporting marked.")

# ---------------------------------------------------------------- the pages

class Planner(ComparisonPlanner, CountryPlanner):
    """Builds every page's context from the site; one instance per build."""

    def __init__(self, site: Site, templates_dir: Path | None = None, scale: Scale | None = None) -> None:
        """`scale` is the whole site's, for a planner of a part of it (hot.py); by default this site's."""
        self.site = site
        self.templates_dir = templates_dir
        self.scale = scale or site_scale(site)
        self.citer = Citer(site)
        self.claims = visible_claims(site)
        self.numbers = claim_numbers(site, self.claims)
        # Made once, so a page looks up its sources (by outlet), outlets' counts and claims instead of scanning.
        self.sources_by_outlet = sorted(site.sources.values(), key=lambda s: (s.outlet, s.id))
        self.outlet_rank = {s.id: rank for rank, s in enumerate(self.sources_by_outlet)}
        self.outlets = Counter(s.outlet for s in site.sources.values())
        self.claims_of: dict[str, list[Claim]] = {}
        self.claims_about: dict[str, list[Claim]] = {}
        for claim in self.claims:
            self.claims_of.setdefault(claim.source_id, []).append(claim)
            for country_id in claim.countries:
                self.claims_about.setdefault(country_id, []).append(claim)
        self.claim_views: dict[str, ClaimView] = {}
        self.claim_cites: dict[str, tuple[str, ...]] = {}  # the references each claim's view cites
        self.checks: dict[str, Judgement] = {}
        self.headings: dict[str, SourceClaims] = {}
        self.rules = rules_of(site)
        self.status_classes = tuple(sorted(self.rules.status_keys.items()))  # what a share card's map draws
        self.chrome = self.make_chrome()
        self.navs: dict[tuple[str, str], tuple[NavLink, ...]] = {}
        self.publisher = {"@type": "Organization", "name": site.config.publisher or site.config.title,
                          "url": site.config.base_url}
        self._maps: StatusMaps | None = None
        self.made_cards: dict[str, Card] = {}  # the card of each page of a kind that has one page
        self._findings: tuple[Finding, ...] | None = None
        self.about_pages: dict[str, list[list[Claim]]] = {}  # each country's claims as its pages list them
        self.general_reasons: dict[str, list[Claim]] | None = None  # CountryPlanner.reason_claims'

    @functools.cached_property
    def groups(self) -> dict[str, list[Country]]:
        """The countries as the pages group them (views.country_groups), for the pages that show a group."""
        return country_groups(self.site)

    @functools.cached_property
    def jobs(self) -> list[PageJob]:
        """Every page's job (jobs.page_jobs): worked out when first asked for, as a planner of the pages open in the
        preview (hot.py) never needs them."""
        return page_jobs(self.site, self)

    @property
    def maps(self) -> StatusMaps:
        """The build's maps, made when the first page needs one (so the geometry is read once)."""
        if self._maps is None:
            region = REGIONS[self.site.config.map_region]
            self._maps = StatusMaps(self.site, load_geometry(theme_file(self.templates_dir, region.geometry)))
        return self._maps

    def plan(self, job: PageJob) -> Page:
        """One page of page_jobs(); the references page is planned last, by references()."""
        method, record_id = job
        if method == "country":
            return self.country(self.site.countries[str(record_id)])
        if method == "source":
            return self.source(self.site.sources[str(record_id)])
        if method == "country_more":  # 'pl/2': a country's claims, page 2
            country_id, number = str(record_id).split("/")
            return self.country_more(self.site.countries[country_id], int(number))
        if method == "question":  # 'q1' or 'q1/2': a question of a split comparison, and its further pages
            question_id, _, number = str(record_id).partition("/")
            return self.question_page(question_id, int(number or 1))
        if method == "sources_more":
            return self.sources(int(str(record_id)))
        planned: Page = getattr(self, method)()
        return planned

    def group_by_source(self, claims: Iterable[Claim]) -> tuple[SourceClaims, ...]:
        """Claims grouped by their source, sources by outlet name, claims in the order of the text."""
        by_source: dict[str, list[ClaimView]] = {}
        for claim in claims:
            by_source.setdefault(claim.source_id, []).append(self.view(claim))
        groups = []
        for source_id in sorted(by_source, key=self.outlet_rank.__getitem__):  # by outlet, then id
            # Made directly: dataclasses.replace was a quarter of grouping 46,000 claims on 200 country pages.
            heading = self.source_heading(source_id)
            groups.append(SourceClaims(heading.outlet, heading.title, heading.href, heading.published,
                                       tuple(by_source[source_id])))
        return tuple(groups)

    def source_heading(self, source_id: str) -> SourceClaims:
        """A source's heading without its claims: the same on every page that groups by source, so made once."""
        if source_id not in self.headings:
            source = self.site.sources[source_id]
            self.headings[source_id] = SourceClaims(source.outlet, source.title,
                                                    url_for(self.site, source_rel(source_id)),
                                                    published_text(source), ())
        return self.headings[source_id]

    def take_citations(self) -> dict[str, list[Link]]:
        """Where each reference was cited since the last call: a worker's share, sent back to be merged."""
        found, self.citer.cited_on, self.citer.recorded = self.citer.cited_on, {}, set()
        return found

    def add_citations(self, found: Mapping[str, list[Link]]) -> None:
        """Merge a worker's share, in the order of the pages, as if this planner had planned them."""
        recorded = self.citer.recorded
        for ref_id, links in found.items():
            pages = self.citer.cited_on.setdefault(ref_id, [])
            for link in links:
                if (ref_id, link) not in recorded:
                    recorded.add((ref_id, link))
                    pages.append(link)

    def check(self, claim: Claim) -> Judgement:
        """A claim against the references (compare.judge_claim): made once, as several pages show it."""
        found = self.checks.get(claim.id)
        if found is None:
            found = self.checks[claim.id] = judge_claim(claim, self.site.sources[claim.source_id],
                                                        self.site.config.as_of)
        return found

    def view(self, claim: Claim) -> ClaimView:
        """A claim as every page shows it; made once, as a claim appears on several pages."""
        found = self.claim_views.get(claim.id)
        if found is None:
            check = self.check(claim)
            found = self.claim_views[claim.id] = view_claim(self.site, self.citer, claim, self.numbers, check,
                                                            self.scale.split_compare)
            cites = check.cite + (check.later.cite if check.later else ())
            self.claim_cites[claim.id] = self.citer.references_in(cites)
        else:  # so the references page knows this page cites them too, as when the view was made
            self.citer.record(self.claim_cites[claim.id])
        return found

    def make_chrome(self) -> Chrome:
        site = self.site
        config = site.config
        return Chrome(
            title=config.title, tagline=config.tagline, language=config.language, home_href=url_for(site, ""),
            stylesheet=url_for(site, STYLESHEET), icon=url_for(site, ICON),
            nav=tuple((key, Link(url_for(site, rel), text)) for key, rel, text in sections(site)),
            as_of=config.as_of, newest_event=newest_event(site), publisher=config.publisher,
            downloads=(Link(url_for(site, SITE_JSON), "The whole site as JSON", SITE_JSON),
                       Link(url_for(site, CLAIMS_CSV), "Every claim as CSV", CLAIMS_CSV)),
            methodology_href=url_for(site, "methodology/"), references_href=url_for(site, "references/"),
            site_name=config.title, base_url=config.base_url,
            changes_href=url_for(site, CHANGES), feed_href=url_for(site, FEED), search_href=url_for(site, "search/"),
        )

    def nav(self, section: str, url: str) -> tuple[NavLink, ...]:
        """The navigation as a page shows it: the link to the page itself is current, its section's marked."""
        hrefs = {link.href for _, link in self.chrome.nav}
        key = (section, url if url in hrefs else "")
        if key not in self.navs:
            self.navs[key] = tuple(NavLink(link, "page" if link.href == url else "section" if name == section else "")
                                   for name, link in self.chrome.nav)
        return self.navs[key]

    def page(self, kind: str, template: str, rel: str, title: str, description: str, section: str,
             context: dict[str, Any], *, json_ld: Iterable[Mapping[str, Any]] | None = None,
             og_type: str = "article", card: Card | None = None) -> Page:
        """A page at `rel`; one of several pages of a listing passes the `card` of its first."""
        site = self.site
        head_title = title if kind == "home" else f"{title} \u2014 {site.config.title}"
        if json_ld is None:
            json_ld = [self.article_ld(rel, title, description)]
        url = url_for(site, rel)
        if card is None:
            card = self.card_of(kind, rel, title, description)
        if kind not in ("country", "source"):
            self.made_cards[kind] = card
        return Page(kind, template, out_path_for(rel), url, absolute_url(site, rel), title, head_title, description,
                    section, {"chrome": self.chrome, **context}, self.nav(section, url), tuple(json_ld), og_type,
                    card=card, og_image=absolute_url(site, card.out_path))

    def job_card(self, job: PageJob) -> Card:
        """A page's card without planning the page again: from the model, or as this planner made it."""
        method, record_id = job
        if method in ("country", "country_more"):
            return self.card_of("country", country_rel(str(record_id).split("/")[0]), "", "")
        if method == "source":
            return self.card_of("source", source_rel(str(record_id)), "", "")
        if method in ("sources", "sources_more"):
            return self.card_of("sources", "sources/", "Sources", SOURCES_DESCRIPTION)
        if method in ("compare", "question"):
            return self.card_of("compare", "compare/", COMPARE_TITLE, self.compare_description())
        made = self.made_cards.get({"map_series": "map", "not_found": "404"}.get(method, method))
        return made or self.plan(job).card  # type: ignore[return-value]  # planned elsewhere (a worker's page)

    def card_of(self, kind: str, rel: str, title: str, description: str) -> Card:
        """A page's share card: its title and one line (a country's status, a source's outlet and date), with the
        page's own status map on the home page and a leaving country's. Pages of a kind with more than
        CARDS_PER_KIND pages share one card, which names the kind."""
        site = self.site
        name = site.config.title
        if kind == "country":
            if one_card(site, "country"):
                return Card("cards/country.png", name, "Countries", f"Each country and {self.rules.agreement_name}",
                            f"{len(site.countries)} countries, each with its status on every date")
            country = site.countries[rel.strip("/").rsplit("/", 1)[-1]]
            status = country.status_today
            line = status.label if status else ""
            if status and status.since:
                line += f" since {status.since.human}"
            elif status and status.key == "never-joined":  # as the page says it: no event dates it
                line += f", {never_joined_hedge(len(status.cite))}"
            shown = is_leaving(country, self.rules)  # the map of the day, the country outlined on it
            return Card(f"cards/country-{country.id}.png", name, "Country", country.name, line,
                        *((str(self.maps.today().svg), self.status_classes,
                           outline_of(str(self.maps.of_country(country).svg))) if shown else ()))
        if kind == "source":
            if one_card(site, "source"):
                return Card("cards/source.png", name, "Sources", "The articles, word for word",
                            f"{len(site.sources)} articles, every quote highlighted where it appears")
            source = site.sources[rel.strip("/").rsplit("/", 1)[-1]]
            return Card(f"cards/source-{source.id}.png", name, f"Headline, as {source.outlet} published it",
                        source.title, self.headline_line(source), quoted=True)
        slug = rel.strip("/").replace("/", "-") or "home"
        svg = str(self.maps.today().svg) if kind == "home" else ""
        if kind == "home":
            title, description = site.config.tagline, f"Status as of {PartialDate.of(site.config.as_of).human}"
        kicker = self.rules.agreement_nav if kind == "treaty" else CARD_KICKERS.get(kind, kind)
        return Card(f"cards/{slug if kind != '404' else 'not-found'}.png", name, kicker,
                    title, clip(description, 150), svg, self.status_classes)

    def citing(self, rel: str, title: str, quote: str = "", language: str | None = None) -> None:
        """Record the page being planned, so the references page can list where each reference is used."""
        self.citer.current = Link(url_for(self.site, rel), title, "", quote, language)

    def article_ld(self, rel: str, title: str, description: str, kind: str = "Article", **extra: Any
                   ) -> dict[str, Any]:
        """A page's schema.org record: an Article by the site, or (`kind` "WebPage") a page with no author."""
        config = self.site.config
        author = {"author": self.publisher} if kind == "Article" else {}
        return {"@context": "https://schema.org", "@type": kind, "headline": title,
                "description": description, "url": absolute_url(self.site, rel), "inLanguage": config.language,
                "dateModified": config.as_of.isoformat(), **author, "publisher": self.publisher,
                "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url}, **extra}

    # ------------------------------------------------------------ home
    def home(self) -> Page:
        site = self.site
        self.citing("", "Home")
        summary = tuple((s.text, self.citer.links(s.cite)) for s in site.summary)
        leaving = tuple(country_row(site, self.citer, c) for c in self.groups["leaving"])
        contested = tuple(country_row(site, self.citer, c) for c in self.groups["contested"])
        all_left = bool(self.groups["leaving"]) and all(
            c.status_today and c.status_today.key == "withdrawn" for c in self.groups["leaving"])
        left = "left" if all_left else "is leaving"
        ways_in = tuple(
            Link(url_for(site, rel), text, blurb) for (_key, rel, text), blurb in zip(sections(site), (
                self.rules.agreement_about,
                f"Each country's status on every date, its timeline, and why it {left}.",
                "One small map for each date a country's status changed, with what changed in words.",
                "Each question side by side: where the two articles agree, where they differ, and why.",
                "The articles word for word, every quote highlighted where it appears.",
                "Every background fact, with its excerpt and address.",
                "How claims are drawn, checked and compared; downloads of all the data.",
            ), strict=True)
        )
        config = site.config
        website = {"@context": "https://schema.org", "@type": "WebSite", "name": config.title,
                   "alternateName": config.tagline, "description": config.description, "url": config.base_url,
                   "inLanguage": config.language, "publisher": self.publisher}
        findings = self.findings(FINDINGS_ON_HOME)[:FINDINGS_ON_HOME]
        key_dates = self.key_dates()
        shown_dates = home_dates(key_dates)
        return self.page("home", "index.html", "", config.title, config.description, "home", {
            "summary": summary, "leaving": leaving, "contested": contested, "key_dates": shown_dates,
            "more_dates": len(key_dates) - len(shown_dates),
            "ways_in": ways_in, "status_map": self.maps.today(), "standings": self.standings(),
            "all_left": all_left, "any_source": bool(site.sources),
            "findings": findings, "more_findings": max(0, sum(self.finding_counts().values()) - FINDINGS_ON_HOME),
            "compare": Link(url_for(site, "compare/"), "What the sources say"),
            "verdict_counts": self.verdict_counts(), "countries_index": Link(url_for(site, "countries/"), "Countries"),
        }, json_ld=[website], og_type="website")

    def standings(self) -> tuple[Standing, ...]:
        """The leaving countries grouped by where they stand on the site's date, in the order they got there."""
        site = self.site
        grouped: dict[tuple[str, PartialDate | date], list[Country]] = {}
        for country in self.groups["leaving"]:
            status = country.status_today
            assert status is not None, "validate_site computes every country's status"
            grouped.setdefault((status.site_key, status.since or status.on), []).append(country)
        found = []
        for (key, since), countries in sorted(grouped.items(), key=lambda item: (_day_of(item[0][1]), item[0][0])):
            status = countries[0].status_today
            assert status is not None
            found.append(Standing(
                tuple(Link(url_for(site, country_rel(c.id)), c.name) for c in countries), status.label, key, since,
                self.citer.links(cite for c in countries if c.status_today for cite in c.status_today.cite)))
        return tuple(found)

    def key_dates(self) -> tuple[KeyDate, ...]:
        """Every dated treaty fact and every country's dated events, one line per date and kind of event."""
        site = self.site
        found: list[KeyDate] = [
            KeyDate(fact.date, fact.label, (), fact.value, self.citer.links(fact.cite),
                    fact.date.first > site.config.as_of, ": ")
            for fact in site.treaty.facts if fact.date
        ]
        grouped: dict[tuple[PartialDate, str], list[tuple[Country, Event]]] = {}
        for country in sorted(site.countries.values(), key=lambda c: (c.name, c.id)):
            for event in country.events:
                grouped.setdefault((event.date, event.kind), []).append((country, event))
        for (when, kind), pairs in grouped.items():
            event = pairs[0][1]
            countries = tuple(Link(url_for(site, country_rel(c.id)), c.name) for c, _ in pairs)
            detail = event.note if len(pairs) == 1 else None
            cites = self.citer.links(cite for _, e in pairs for cite in e.cite)
            found.append(KeyDate(when, self.rules.label(kind), countries, detail, cites,
                                 when.first > site.config.as_of, kind=kind, step=kind in self.rules.kinds(*STEP_ROLES)))
        # A date known only to the month or year goes after the days it may contain; on one day, the treaty's
        # facts come first, then the events in the order a country takes them.
        order = {kind: index for index, kind in enumerate(self.rules.events)}
        return tuple(sorted(found, key=lambda k: (k.date.last, k.date.first, order.get(k.kind, -1), k.label)))

    # ------------------------------------------------------------ treaty
    def treaty(self) -> Page:
        site = self.site
        treaty = site.treaty
        title = self.rules.agreement_title
        self.citing("treaty/", title)
        facts = tuple(FactLine(f.label, f.value, None, self.citer.links(f.cite)) for f in treaty.facts)
        articles = tuple(
            ArticleView(a.number, f"article-{a.number}", a.title, a.summary, article_lines(a.text),
                        self.citer.links(a.cite))
            for a in treaty.articles
        )
        parties = next((f for f in facts if "states parties" in f.label.lower()), None)
        description = self.rules.agreement_description
        return self.page("treaty", "treaty.html", "treaty/", title, description, "treaty", {
            "name": treaty.name, "name_cites": self.citer.links(treaty.name_cite),
            "also_called": or_list([f"the {n}" for n in treaty.short_names]), "facts": facts,
            "also_called_cites": self.citer.links(treaty.short_names_cite),
            "articles": articles, "states_parties": parties,
            "never_joined": tuple(country_row(site, self.citer, c) for c in self.groups["others"]
                                  if c.status_today and c.status_today.key == "never-joined"),
            "leaving": tuple(country_row(site, self.citer, c) for c in self.groups["leaving"]),
            "contested": tuple(country_row(site, self.citer, c) for c in self.groups["contested"]),
            "unconfirmed": self.unconfirmed(treaty.unconfirmed), "text_source": treaty.text_source,
        })

    def unconfirmed(self, ref_ids: Iterable[str]) -> tuple[CiteLink, ...]:
        """What could not be established: statements shown as gaps, linked to their entries, never as fact."""
        found = []
        for ref_id in ref_ids:
            reference = self.site.references.get(ref_id)
            if reference is None:  # a page dated after the site's date (dated.py)
                continue
            found.append(CiteLink("ref", url_for(self.site, "references/") + "#" + reference_anchor(ref_id),
                                  reference.statement, reference.id.upper()))
        return tuple(found)

    # ------------------------------------------------------------ countries
    def countries(self) -> Page:
        site = self.site
        self.citing("countries/", "Countries")
        groups = tuple(
            (heading, tuple(country_row(site, self.citer, c) for c in self.groups[key]))
            for key, heading in (("leaving", f"Leaving {self.rules.agreement_short}"),
                                 ("contested", "Another path: a contested \u201csuspension\u201d"),
                                 ("others", "Other countries the sources name"))
            if self.groups[key]
        )
        names = ", ".join(c.name for c in self.groups["leaving"])
        description = (f"Where {names} stand under {self.rules.agreement_name} as of "
                       f"{PartialDate.of(site.config.as_of).human}, and the other countries the sources name.")
        return self.page("countries", "countries.html", "countries/", "Countries", description, "countries",
                         {"groups": groups, "status_map": self.maps.today()})

    def country(self, country: Country) -> Page:
        site = self.site
        rel = country_rel(country.id)
        self.citing(rel, country.name)
        status = country.status_today
        assert status is not None
        concerning = self.claims_about.get(country.id, [])
        why: tuple[WhyGroup, ...] = ()
        if is_leaving(country, self.rules):
            why = self.why_leaving(country, concerning)
        # Each claim once: those shown as a reason above are not shown again under what each source says.
        shown = {r.claim.id for group in why for r in (*group.specific, *group.general)}
        pages = self.country_pages(country)
        about = self.group_by_source(pages[0])
        standing = f"{status.label.lower()} as of {PartialDate.of(site.config.as_of).human}"
        if status.key == "never-joined":  # resting on references of their own dates, not on a dated event
            standing = f"{status.label.lower()}, {never_joined_hedge(len(status.cite))}"
        left = "left" if status.key == "withdrawn" else "is leaving"
        description = (f"{country.name} and {self.rules.agreement_name}: {standing}"
                       + (f"; its timeline, why it {left} as each source reports it, and what each source says "
                          "about it." if is_leaving(country, self.rules) else ", and what each source says about it."))
        return self.page("country", "country.html", rel, country.name, description, "countries", {
            "country": country, "status": view_status(self.citer, status),
            "facts": self.country_facts(country),
            "history": tuple(view_status(self.citer, s) for s in country.status_history),
            "events": tuple(view_event(site, self.citer, e) for e in country.events),
            "leaving": is_leaving(country, self.rules), "why": why, "about": about, "shown_above": len(shown),
            "why_heading": f"Why {country.name} {left}, as each source reports it",
            "unconfirmed": self.unconfirmed(country.unconfirmed),
            "why_question": next((Link(question_href(site, q.id, self.scale.split_compare), q.text)
                                  for q in why_questions(site)), None),
            "status_map": self.maps.of_country(country), "index": Link(url_for(site, "countries/"), "Countries"),
            "pager": make_pager(site, rel, 1, len(pages), f"What each source says about {country.name}"),
        })

    def country_more(self, country: Country, number: int) -> Page:
        """A further page of what each source says about a country, when its first page cannot hold it all."""
        site = self.site
        rel = country_rel(country.id)
        pages = self.country_pages(country)
        here = paged_rel(rel, number)
        self.citing(here, country.name)
        title = f"What each source says about {country.name}, page {number} of {len(pages)}"
        description = (f"{country.name} and {self.rules.agreement_name}: what each source says about it, page "
                       f"{number} of {len(pages)}.")
        return self.page("country", "country_more.html", here, title, description, "countries", {
            "country": country, "about": self.group_by_source(pages[number - 1]),
            "pager": make_pager(site, rel, number, len(pages), f"What each source says about {country.name}"),
            "index": Link(url_for(site, "countries/"), "Countries"), "first": Link(url_for(site, rel), country.name),
        }, card=self.job_card(("country", country.id)))

    def country_pages(self, country: Country) -> list[Sequence[Claim]]:
        """The claims a country's pages list under what each source says (all but those its first page shows as
        reasons), in the order shown (by outlet, then source, then text), CLAIMS_PER_PAGE a page."""
        found = self.about_pages.get(country.id)
        if found is None:
            concerning = self._listed_about(country)
            # By the sources' ranks, stable (the text's order kept); the ranks looked up in C, not by a lambda.
            ranks = list(map(self.outlet_rank.__getitem__, map(attrgetter("source_id"), concerning)))
            claims = list(map(concerning.__getitem__, sorted(range(len(concerning)), key=ranks.__getitem__)))
            found = self.about_pages[country.id] = chunks(claims, CLAIMS_PER_PAGE)
        return found

    def country_page_count(self, country: Country) -> int:
        """How many pages country_pages cuts a country's claims into, without putting them in order: page_jobs
        asks it of every country, and only the pages made need their claims."""
        found = self.about_pages.get(country.id)
        return len(found) if found is not None else page_count(len(self._listed_about(country)), CLAIMS_PER_PAGE)

    def _listed_about(self, country: Country) -> list[Claim]:
        """The claims naming a country that its pages list under what each source says: for a leaving country, all
        but those its first page shows as reasons (a claim naming it is never a general one: reason_claims)."""
        concerning = self.claims_about.get(country.id, [])
        if not is_leaving(country, self.rules):
            return concerning
        shown = {c.id for c in self.giving_reasons(concerning)}
        return [c for c in concerning if c.id not in shown]

    # ------------------------------------------------------------ the map over time
    def map_series(self) -> Page:
        site = self.site
        self.citing("map/", "The map over time")
        series, legend, per_month = self.maps.series(self.citer)
        start, today = PartialDate.of(series[0].on).human, PartialDate.of(site.config.as_of).human
        description = (f"How each country's status under {self.rules.agreement_name} changed from {start} to {today}: "
                       "a small map for each date on which a status changed, with the changes in words.")
        return self.page("map", "map.html", "map/", "The map over time", description, "map", {
            "series": series, "legend": legend, "dated": self.maps.dated(),
            "script": url_for(site, "assets/map-date.js"),
            "cadence": ("each month in which a status changed (as it stood after the month's last change)"
                        if per_month else "each date on which a status changed"),
            "quiet_since": {"on": series[-1].on, "cites": tuple(dict.fromkeys(
                cite for change in series[-1].changes for cite in change.cites))}
            if series[-1].on < site.config.as_of and series[-1].changes else None,
            "today": Link(url_for(site, "") + "#status-today", "the map of today"),
        })

    # ------------------------------------------------------------ sources
    def sources(self, number: int = 1) -> Page:
        """The list of sources, or its `number`th page when it takes more than one (SOURCES_PER_PAGE)."""
        site = self.site
        pages = self.source_pages()
        rows = tuple(
            {"href": url_for(site, source_rel(s.id)), "outlet": s.outlet, "title": s.title,
             "title_language": foreign(s.language, site.config.language), "published": published_text(s),
             "claims": len(self.claims_of.get(s.id, ())), "passages": len(s.passages), "url": s.url,
             "scorecard": self.scorecard(s)} for s in pages[number - 1])
        title = "Sources" if number == 1 else f"Sources, page {number} of {len(pages)}"
        return self.page("sources", "sources.html", paged_rel("sources/", number), title, SOURCES_DESCRIPTION,
                         "sources", {"sources": rows, "pager": make_pager(site, "sources/", number, len(pages),
                                                                          "Sources")},
                         card=None if number == 1 else self.job_card(("sources", None)))

    def source_pages(self) -> list[Sequence[Source]]:
        """The sources in the list's order (by outlet), SOURCES_PER_PAGE a page."""
        return chunks(self.sources_by_outlet, SOURCES_PER_PAGE)

    def scorecard(self, source: Source) -> Scorecard:
        return view_scorecard(tuple(sorted(self.check(c).key for c in self.claims_of.get(source.id, ()))))

    def source(self, source: Source) -> Page:
        site = self.site
        rel = source_rel(source.id)
        title = attributed(source)  # the outlet's headline, which the site checks, never as the site's own words
        title_language = foreign(source.language, site.config.language)
        self.citing(rel, f"{source.outlet}: ", f"\u201c{source.title}\u201d", title_language)  # as `title` words it
        claims = tuple(self.view(c) for c in self.claims_of.get(source.id, ()))
        passages = tuple(view_passage(p) for p in source.passages)
        scorecard = self.scorecard(source)
        description = (f"{source.outlet}, \u201c{source.title}\u201d: the full text as captured"
                       f"{claims_checked(len(claims), scorecard.checked)}.")
        reviews = [self.claim_review_ld(site.claims[c.id], source, c.check) for c in claims
                   if c.check.key != "unchecked"]
        # The site's page about the article, not an article of the site's: the text and its headline are the outlet's.
        article = self.article_ld(rel, title, description, "WebPage", isBasedOn=source.url, about={
            "@type": "NewsArticle", "headline": source.title, "url": source.url, "inLanguage": source.language,
            "publisher": {"@type": "Organization", "name": source.outlet},
        })
        downloads = (Link(url_for(site, source_download(source.id, "json")), "The article and its claims (JSON)",
                          source_download(source.id, "json")),
                     Link(url_for(site, source_download(source.id, "csv")), "Its claims (CSV)",
                          source_download(source.id, "csv"))) if self.scale.source_downloads else ()
        return self.page("source", "source.html", rel, title, description, "sources", {
            "source": source, "outlet_label": source.outlet, "published": published_text(source),
            "retrieved": source.retrieved.window.human,
            "blocks": cut_body(site, source, self.numbers, self.claims_of.get(source.id, []), self.check),
            "passages": passages, "claims": claims, "language": language_name(source.language),
            "title_language": title_language, "index": Link(url_for(site, "sources/"), "Sources"),
            "scorecard": scorecard, "dating_cites": self.citer.links(source.published.cite), "downloads": downloads,
        }, json_ld=[article, *reviews])

    def claim_review_ld(self, claim: Claim, source: Source, check: CheckView) -> dict[str, Any]:
        author: dict[str, Any] = {"@type": "Organization", "name": source.outlet}
        if claim.speaker and claim.kind in ("quote", "paraphrase", "social-post"):
            author = {"@type": "Person" if claim.kind == "social-post" else "Thing", "name": claim.speaker}
        item: dict[str, Any] = {"@type": "Claim", "author": author, "appearance": {
            "@type": "CreativeWork", "url": source.url, "headline": source.title,
            "publisher": {"@type": "Organization", "name": source.outlet}}}
        if source.published.window.exact:  # when the claim was made (schema.org), not the day it speaks of (`when`)
            item["datePublished"] = source.published.window.exact.isoformat()
        return {
            "@context": "https://schema.org", "@type": "ClaimReview",
            "url": absolute_url(self.site, source_rel(source.id)) + "#" + claim_anchor(claim.id),
            "claimReviewed": claim.says, "itemReviewed": item, "author": self.publisher,
            "datePublished": self.site.config.as_of.isoformat(),
            "reviewBody": " ".join(part for part in (check.says, check.later) if part),
            "reviewRating": {"@type": "Rating", "ratingValue": RATING_SCALE[check.key],
                             "bestRating": max(RATING_SCALE.values()), "worstRating": min(RATING_SCALE.values()),
                             "alternateName": check.label},
        }

    # ------------------------------------------------------------ references, methodology, 404
    def references(self) -> Page:
        site = self.site
        log = url_for(site, CHANGES)
        views = tuple(
            ReferenceView(r.id, reference_anchor(r.id), r.id.upper(), r.statement, r.value, r.confidence, pages,
                          tuple(cited[:CITED_ON_SHOWN]), max(0, len(cited) - CITED_ON_SHOWN), more_pages(pages),
                          bool(cited) and all(link.href == log for link in cited))
            for r in site.references.values()
            for pages in [tuple(view_page(p) for p in (r, *r.also) if p.url or p.excerpt)]
            for cited in [self.citer.cited_on.get(r.id, [])]
        )
        # Grouped by what they are about, countries first: the contents list is the page's filter, and works
        # without a script.
        by_subject: dict[str, list[ReferenceView]] = {}
        for view, reference in zip(views, site.references.values(), strict=True):
            by_subject.setdefault(reference.subject, []).append(view)
        names = {c.name.lower(): c.name for c in site.countries.values()}
        order = sorted(by_subject, key=lambda subject: (subject not in names, names.get(subject, "")))
        groups = tuple((f"subject-{subject}", names.get(subject) or self.rules.subject_heading(subject, names.values()),
                        tuple(by_subject[subject])) for subject in order)
        unconfirmed = sum(v.confidence == "unconfirmed" for v in views)
        logged = sum(v.logged_only for v in views if v.confidence != "unconfirmed")
        facts = (f"The {len(views) - unconfirmed - logged} background facts the site relies on"
                 + (f", {logged} that only its change log cites" if logged else "")
                 + (f" and {unconfirmed} it could not confirm" if unconfirmed else ""))
        description = (f"{facts}, each with its statement, a verbatim excerpt, and the outlet, date and address of the "
                       "page it comes from.")
        return self.page("references", "references.html", "references/", "References", description,
                         "references", {"groups": groups, "unconfirmed": unconfirmed, "logged": logged})

    def methodology(self) -> Page:
        site = self.site
        from .model import CLAIM_KINDS

        self.citing("methodology/", "Methodology")
        heading = site.methodology.lstrip().splitlines()[0] if site.methodology.strip() else ""
        title = heading[2:].strip() if heading.startswith("# ") else "Methodology"
        description = "How the claims on this site are drawn from the articles, checked and compared."
        return self.page("methodology", "methodology.html", "methodology/", title, description, "methodology", {
            "markdown": CITATION_MARK.sub(self.markdown_citation, site.methodology),
            "kinds": tuple(CLAIM_KINDS.items()), "passage_kinds": tuple(PASSAGE_KINDS.items()),
            "verdicts": self.verdict_examples(), "judgements": self.judgement_examples(),
            "contact": self.contact(), "changes": Link(url_for(site, CHANGES), "What changed"),
            "feed": Link(url_for(site, FEED), "its Atom feed"),
        })

    def markdown_citation(self, match: re.Match[str]) -> str:
        """A [ref:ID] or [claim:ID] written in a Markdown text, as a Markdown link to what it cites."""
        links = self.citer.links((Citation("claim" if match.group(1) == "claim" else "ref", match.group(2)),))
        if not links:  # left out of a build as of an earlier date (dated.py)
            return ""
        link = links[0]
        title = link.title.replace("\\", "\\\\").replace('"', '\\"')
        return f'[{link.text}]({link.href} "{title}")'

    def changes(self) -> Page:
        site = self.site
        self.citing(CHANGES, "What changed")
        description = ("What changed in this site's facts and when: new sources and references, corrected reviews "
                       "and status changes, newest first, with an Atom feed.")
        return self.page("changes", "changes.html", CHANGES, "What changed", description, "methodology", {
            "changes": view_changes(site, self.citer), "feed": Link(url_for(site, FEED), "Atom feed of these changes"),
            "methodology": Link(url_for(site, "methodology/") + "#corrections", "Corrections policy"),
        })

    def search(self) -> Page:
        site = self.site
        description = f"Search every page, claim and reference of {site.config.title}."
        return self.page("search", "search.html", "search/", "Search", description, "search", {
            "index": url_for(site, SEARCH_INDEX), "root": url_for(site, ""),
            "script": url_for(site, "assets/search.js")})

    def contact(self) -> Link | None:
        """Where readers send corrections: site.yaml's contact, or the issues of a GitHub Pages site's repository."""
        config = self.site.config
        if config.contact:
            return Link(config.contact, config.contact.removeprefix("mailto:"))
        host, _, rest = config.base_url.split("://", 1)[-1].partition("/")
        repo = rest.split("/", 1)[0]
        if host.endswith(".github.io") and repo:
            owner = host.removesuffix(".github.io")
            return Link(f"https://github.com/{owner}/{repo}/issues", f"the issues of github.com/{owner}/{repo}")
        return None

    def lastmod(self) -> date:
        """The date of the content's newest change (the change log's, else the site's date): every page's lastmod."""
        return max((c.date for c in self.site.changes), default=self.site.config.as_of)

    def not_found(self) -> Page:
        site = self.site
        url = url_for(site, NOT_FOUND)
        card = self.made_cards["404"] = self.card_of("404", NOT_FOUND, "Page not found",
                                                      "There is no page at this address.")
        return Page("404", "404.html", NOT_FOUND, url, None, "Page not found",
                    f"Page not found \u2014 {site.config.title}", "There is no page at this address.", "",
                    {"chrome": self.chrome}, self.nav("", url), (), "website", in_sitemap=False,
                    card=card, og_image=absolute_url(site, card.out_path))



def attributed(source: Source) -> str:
    """A source's headline as the site names its page: the outlet's words, quoted and attributed."""
    return f"{source.outlet}: \u201c{source.title}\u201d"


def claims_checked(claims: int, checked: int) -> str:
    """What a source page's description says of its claims: how many are highlighted, and how many of those are
    checked against the references (never all of them when some are not)."""
    if claims == 1:
        return ", 1 claim highlighted where it appears" + (" and checked" if checked else ", not checked") + \
            " against the references"
    if not claims:
        return ""
    if checked == claims:
        return f", {claims} claims highlighted where they appear and checked against the references"
    return (f", {claims} claims highlighted where they appear, {checked or 'none'} of them checked against the "
            "references")


def plan_site(site: Site, templates_dir: Path | None = None) -> Planner:
    """The site map: every page but the references page, one per URL, in order (Planner.jobs), and the planner
    that makes each one's context when it is rendered (the references page last, once all are made)."""
    return Planner(site, templates_dir)


def plan_pages(site: Site, templates_dir: Path | None = None) -> list[Page]:
    """Every page of the site, one per URL; the references page comes last so it knows where each is cited.

    The maps' geometry (of the region site.yaml names) is read from `templates_dir`/geo, else the theme's.
    """
    planner = Planner(site, templates_dir)
    return [planner.plan(job) for job in planner.jobs] + [planner.references()]

