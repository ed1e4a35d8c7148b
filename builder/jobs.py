"""The site's pages as jobs: which pages a site has, in the site map's order, and what each page is made from
(what a warm build, the disk cache and the preview compare to know a page is unchanged)."""

from __future__ import annotations

import dataclasses
import operator
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .model import CITATION_MARK, Citation, Claim, Site, Source
from .urls import PageJob
from .views import FINDINGS_ON_HOME, GRID_SOURCES, is_leaving, one_card, rules_of

if TYPE_CHECKING:
    from .cards import Card
    from .pages import Planner


def page_jobs(site: Site, planner: Planner) -> list[PageJob]:
    """Every page but the references page, in the site map's order; each can be planned on its own. A listing
    too long for one page is followed by its further pages ('pl/2'), as the `planner` cuts it."""
    jobs: list[PageJob] = [("home", None), ("treaty", None), ("countries", None)]
    for country_id in sorted(site.countries):
        jobs.append(("country", country_id))
        count = planner.country_page_count(site.countries[country_id])
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


# The pages made from the whole site: what they show is computed across every source. The home page and the
# comparison's index list the findings (every claim judged wrong or imprecise, every question's verdict); the
# methodology names the first claim of each judgement and the first question of each verdict; an unsplit
# comparison shows every answer. Their inputs are what they show of the sources (shown_across).
WHOLE_SITE = frozenset({"home", "compare", "methodology"})
# The pages made from the site's own files alone (and the claims they cite: cited_claims).
GLOBAL = frozenset({"treaty", "countries", "map_series", "changes", "search", "not_found"})
# The pages whose share card is worked out from the model (Planner.job_card), by the kind of card they have.
CARDED = {"country": "country", "country_more": "country", "source": "source", "sources": "sources",
          "sources_more": "sources", "question": "compare"}


def page_inputs(planner: Planner, job: PageJob) -> tuple[Any, ...]:
    """What one page is made from (site_inputs, for one page)."""
    return site_inputs(planner, [job])[job]


def job_card(planner: Planner, job: PageJob, cards: dict[tuple[str, str], Card]) -> Card:
    """A page's share card (Planner.job_card), worked out once for all the pages of a kind that share it (the
    comparison's card counts the sources and their outlets)."""
    method, record_id = job
    if method not in CARDED:
        return planner.job_card(job)
    kind = (CARDED[method], "" if shares_card(planner.site, method) else str(record_id).split("/")[0])
    if kind not in cards:
        cards[kind] = planner.job_card(job)
    return cards[kind]


def shares_card(site: Site, method: str) -> bool:
    """Whether every page of this kind (CARDED) has one and the same share card."""
    return CARDED[method] not in ("country", "source") or one_card(site, CARDED[method])


def first_cards(planner: Planner, jobs: Iterable[PageJob], cards: dict[tuple[str, str], Card]) -> list[Card]:
    """The share cards known before any page is made, one per file: those worked out from the model (CARDED) and
    the home page's (the site's tagline and date, beside the map of the day). render.py has them drawn meanwhile."""
    return list(page_cards(planner, ((job, None) for job in jobs if job[0] in CARDED or job[0] == "home"), cards,
                           {"home": planner.card_of("home", "", "", "")}))  # the site's words, whatever its title


def page_cards(planner: Planner, pages: Iterable[tuple[PageJob, Card | None]], cards: dict[tuple[str, str], Card],
               given: Mapping[str, Card] | None = None) -> Iterator[Card]:
    """Each distinct share card of these pages, in the order first named: a page's own (given with it, or by its
    kind in `given`) or else job_card's. The pages of a kind that share one card are passed over once it is named:
    10,000 sources' pages share one."""
    shared: set[str] = set()
    named: set[str] = set()
    for job, card in pages:
        method = job[0]
        if method in shared:
            continue
        if card is None:
            card = given[method] if given and method in given else job_card(planner, job, cards)
        if method in CARDED and shares_card(planner.site, method):
            shared.add(method)
        if card.out_path not in named:
            named.add(card.out_path)
            yield card


def site_inputs(planner: Planner, jobs: Iterable[PageJob], cards: dict[tuple[str, str], Card] | None = None,
                cited: tuple[Claim, ...] | None = None) -> dict[PageJob, tuple[Any, ...]]:
    """What each page is made from, besides what every page shares (the site's settings, questions, countries,
    references, treaty, change log and templates): the source and claim records it shows (a source stands for its
    claims file too: cache.py), and the values computed across the whole site that it shows (the site's scale, its
    share card, its place in a listing cut into pages).

    A warm builder keeps each page with these: while the records are the very same objects and the values are
    equal, the page is the same; the disk cache compares their digests. A page that shows the site's own files (a
    country's status, the summary, the change log: all but a source's page and the sources list) also rests on the
    claims those files cite (a citation's link shows the claim's words and its source): `cited`, where
    cited_claims is made already."""
    site = planner.site
    cited = cited_claims(site) if cited is None else cited
    common = (planner.scale, *cited, *(site.sources[c.source_id] for c in cited))
    whole = tuple(site.sources.values())
    cards = {} if cards is None else cards
    outlets: tuple[tuple[str, int], ...] | None = None
    source_pages: list[Sequence[Source]] | None = None
    found: dict[PageJob, tuple[Any, ...]] = {}
    further: dict[str, tuple[Any, ...]] = {}  # a country's further pages' (one tuple: pagekeys.py works it out once)
    for job in jobs:
        method, record_id = job
        country = str(record_id).split("/")[0] if method == "country_more" else ""  # a further page's country
        if country in further:
            found[job] = further[country]
            continue
        inputs: tuple[Any, ...]
        if method in WHOLE_SITE:
            inputs = shown_across(planner, method, whole)
        elif method in GLOBAL:
            inputs = ()
        elif method == "source":  # and the claims its date's note cites
            records = page_records(site, job, planner.claims_of, planner.claims_about) or ()
            dating = [site.claims[c.id] for c in site.sources[str(record_id)].published.cite
                      if c.kind == "claim" and c.id in site.claims]
            inputs = (*records, *dating, *(site.sources[c.source_id] for c in dating))
        elif method == "country":
            inputs = page_records(site, job, planner.claims_of, planner.claims_about) or _about(planner, str(record_id))
        elif method == "country_more":  # a country's further pages: cut from the same claims as its first page
            inputs = _about(planner, country)
        elif method == "question":  # the sources that answer it; which outlets give no answer, and how often
            if outlets is None:
                outlets = tuple(sorted(Counter(s.outlet for s in site.sources.values()).items()))
            comparison = site.comparisons[str(record_id).partition("/")[0]]
            inputs = (outlets, *(site.sources[a.source_id] for a in comparison.answers))
        elif method in ("sources", "sources_more"):  # the sources the page lists (their claims' judgements too)
            if source_pages is None:
                source_pages = planner.source_pages()
            inputs = (len(source_pages), *source_pages[int(record_id or 1) - 1])
        else:
            raise ValueError(f"no inputs known for the page {job}")  # a new kind of page must say what it shows
        if method in CARDED:  # a kind with many pages shares one card, which counts them
            inputs = (job_card(planner, job, cards), *inputs)
        # The pages that show nothing of the site's own files but its settings: none of the claims they cite.
        found[job] = (planner.scale, *inputs) if method in ("source", "sources", "sources_more") else (*common, *inputs)
        if method == "country_more":
            further[country] = found[job]
    return found


# The sources list's pages shift when a source moves: pagekeys.py compares what each lists. (The pages made from the
# whole site, WHOLE_SITE, have their inputs worked out again after every edit: jobs_showing does not follow them.)
LISTING = frozenset({"sources", "sources_more"})


def site_values(planner: Planner, jobs: Iterable[PageJob], cards: dict[tuple[str, str], Card],
                cited: tuple[Claim, ...]) -> tuple[Any, ...]:
    """The values computed across the whole site that site_inputs gives pages (the scale, the share cards a kind's
    pages share, the outlets' counts, the claims the site's own files cite): while they and every global file stay
    the same, a page's key can change only through the sources it shows (jobs_showing). A page's own share card
    is made from its own record and the global files. `cited`: cited_claims."""
    site = planner.site
    shared: dict[str, Card] = {}
    for job in jobs:
        kind = CARDED.get(job[0])
        if kind is not None and kind not in shared and (kind not in ("country", "source") or one_card(site, kind)):
            shared[kind] = job_card(planner, job, cards)
    return (planner.scale, tuple(c.id for c in cited), tuple(c.source_id for c in cited),
            tuple(sorted(planner.outlets.items())), tuple(sorted(shared.items())), len(planner.source_pages()))


def jobs_showing(planner: Planner, jobs: Iterable[PageJob], changed: Collection[str], cited: tuple[Claim, ...]
                 ) -> set[PageJob]:
    """The pages among `jobs` whose site_inputs may hold a record of these sources (the `changed` ones), WHOLE_SITE
    and LISTING pages apart: site_inputs read the other way round, from the sources rather than from the pages
    (the sources list's pages hold a changed source, or list other sources than they did: pagekeys.py). A test holds
    the two to each other; the disk cache finds with it the pages an edit may show on (pagekeys.py)."""
    site = planner.site
    changed = set(changed)
    showing: set[PageJob] = set()
    countries: set[str] = set()
    for source_id in changed:
        if source_id in site.sources:
            showing.add(("source", source_id))
            for claim in planner.claims_of.get(source_id, ()):
                countries.update(claim.countries)
    questions = {question_id for question_id, comparison in site.comparisons.items()
                 if any(answer.source_id in changed for answer in comparison.answers)}
    cites_changed = not changed.isdisjoint(c.source_id for c in cited)
    for source in filter(_dating_cites, site.sources.values()):  # a source's page shows the claims its date cites
        for cite in source.published.cite:
            if cite.kind == "claim" and cite.id in site.claims and site.claims[cite.id].source_id in changed:
                showing.add(("source", source.id))
    for job in jobs:
        method, record_id = job
        if method in ("country", "country_more"):
            if cites_changed or str(record_id).split("/")[0] in countries:
                showing.add(job)
        elif method == "question":
            if cites_changed or str(record_id).partition("/")[0] in questions:
                showing.add(job)
        elif method in GLOBAL and cites_changed:
            showing.add(job)
    return showing


_dating_cites = operator.attrgetter("published.cite")  # what a source's date's note cites: rarely anything


def shown_across(planner: Planner, method: str, whole: tuple[Source, ...]) -> tuple[Any, ...]:
    """What a page made from the whole site shows of its sources: the home page, the findings it lists (and how
    many there are) and the verdicts' counts; the methodology, the first claim or answer of each judgement and the
    first question of each verdict; the comparison's index split into a page a question, past GRID_SOURCES
    sources, the findings it lists, the verdicts' counts, the grid's rows and how many sources and outlets there
    are. A comparison on one page (every answer), or with a source a column of its grid, rests on every source."""
    if method == "home":
        return (*planner.findings(FINDINGS_ON_HOME)[:FINDINGS_ON_HOME], sum(planner.finding_counts().values()),
                planner.verdict_counts())
    if method == "methodology":
        return (planner.verdict_examples(), planner.judgement_examples())
    if planner.scale.split_compare and len(whole) > GRID_SOURCES:  # the index without the answers nor the grid
        return (planner.compare_findings(), planner.verdict_counts(), planner.matrix(), len(whole),
                len(planner.outlets))
    return whole


def _about(planner: Planner, country_id: str) -> tuple[Any, ...]:
    """A country's pages' records: the sources of the claims naming it, each with all its claims (a leaving
    country's page also shows their claims about the withdrawals at large)."""
    claims = planner.claims_about.get(country_id, [])
    return tuple({c.source_id: planner.site.sources[c.source_id] for c in claims}.values())


def cited_claims(site: Site) -> tuple[Claim, ...]:
    """The claims that the site's own files (not its sources' and claims' files) cite, in a stable order."""
    found: dict[str, None] = {}
    pending: list[Any] = [site.config, site.questions, site.countries, site.treaty, site.references, site.summary,
                          site.changes]
    kinds: dict[type, Any] = {}  # what each type of value is, found once: 200,000 values at 10,000 pages
    while pending:
        value = pending.pop()
        kind = kinds.get(type(value))
        if kind is None:
            kind = kinds[type(value)] = _walked_as(value)
        if kind is Citation:
            if value.kind == "claim":
                found[value.id] = None
        elif kind is dict:
            pending += value.values()
        elif kind is list:
            pending += value
        elif kind:  # a dataclass: its fields' names
            pending += [getattr(value, name) for name in kind]
    found.update((m.group(2), None) for m in CITATION_MARK.finditer(site.methodology) if m.group(1) == "claim")
    return tuple(site.claims[claim_id] for claim_id in sorted(found) if claim_id in site.claims)


def _walked_as(value: Any) -> Any:
    """How cited_claims walks a value of this type: Citation, dict, list (any collection), a dataclass's fields'
    names, or () for a value it does not look into."""
    if isinstance(value, Citation):
        return Citation
    if isinstance(value, dict):
        return dict
    if isinstance(value, (tuple, list, frozenset, set)):
        return list
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(f.name for f in dataclasses.fields(value))
    return ()


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
