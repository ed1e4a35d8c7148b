"""The site map: model -> one page per URL, each carrying the computed context its template displays.

Every URL rule lives here, and so does every decision about what a page shows (which countries are leaving,
which claims say why, how a source's text is cut into highlighted pieces), so templates only display.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from .cards import Card
from .compare import display_value, judge_claim
from .iso_codes import LANGUAGE_NAMES
from .maps import (
    DEFAULT_GEOMETRY,
    PATTERNS,
    Geometry,
    draw_small_multiple,
    draw_status_map,
    draw_swatch,
    load_geometry,
    needs_inset,
)
from .model import (
    CHANGE_KINDS,
    CITATION_MARK,
    EVENT_KINDS,
    JUDGEMENTS,
    PASSAGE_KINDS,
    STATUSES,
    VERDICTS,
    AnswerValue,
    Change,
    Citation,
    Claim,
    Comparison,
    Country,
    Event,
    Judgement,
    PartialDate,
    Passage,
    Question,
    Reference,
    Site,
    Source,
    SourceAnswer,
    Status,
    Support,
)
from .status import status_on

# Pages in the order the navigation lists them: (key, relative URL, link text).
SECTIONS = (
    ("treaty", "treaty/", "The treaty"),
    ("countries", "countries/", "Countries"),
    ("map", "map/", "Map"),
    ("compare", "compare/", "What the sources say"),
    ("sources", "sources/", "Sources"),
    ("references", "references/", "References"),
    ("methodology", "methodology/", "Methodology"),
)
CHANGES = "changes/"  # the change log's page
FEED = "changes/feed.xml"  # its Atom feed (builder/feed.py)
SITE_JSON = "data/site.json"
CLAIMS_CSV = "data/claims.csv"
STYLESHEET = "assets/style.css"
ICON = "assets/icon.svg"
GEOMETRY = "geo/europe.json"  # inside the templates folder: the maps' pre-projected outlines (builder/maps.py)
NOT_FOUND = "404.html"

# Steps on the way out of the Convention; a country with any of them is "leaving" unless it chose another path.
WITHDRAWAL_EVENTS = ("withdrawal-recommended", "withdrawal-announced", "government-decision", "parliament-vote",
                     "law-signed", "instrument-deposited", "withdrawal-effective")
# The steps a timeline marks more strongly than the others: each way out of the Convention.
STEP_EVENTS = WITHDRAWAL_EVENTS + ("suspension-notified",)
# The kind of a claim in one word, for the numbered label that follows its highlight in a source's text.
KIND_SHORT = {"reporting": "reporting", "quote": "quote", "paraphrase": "paraphrase", "opinion": "opinion",
              "social-post": "embedded post"}
# A reference cited all over a large site lists the first pages that cite it, then how many more.
CITED_ON_SHOWN = 12
# A checked claim's standing as schema.org's ClaimReview rates it, worst first.
RATING_SCALE = {"wrong": 1, "imprecise": 2, "incomplete": 3, "right-if": 4, "overtaken": 4, "right": 5}
# Each judgement's sign, so that a reader tells them apart without colour (always shown with the words).
JUDGEMENT_SYMBOLS = {"wrong": "\u2717", "imprecise": "\u2248", "incomplete": "\u25d0", "right-if": "\u2713",
                     "overtaken": "\u2713", "right": "\u2713", "unchecked": "?"}
# The maps draw every status builder.status computes but "joining" (joined, not yet in force), drawn as signed.
MAP_STATUS = {"joining": "signatory"}
# The order of a map's legend and table: inside the Convention, on the way out, outside it, then the rest.
STATUS_ORDER = ("party", "signatory", "joining", "announced", "pending", "withdrawn", "disputed", "never-joined",
                "unknown", "none")
NOT_COVERED = "Not covered: no page on this site"
# A kind with more pages than this (a newsroom's thousands of sources) shares one card per kind: a card costs
# about 10 ms to draw, a page about 1 ms.
CARDS_PER_KIND = 100
# What a share card calls each kind of page.
CARD_KICKERS = {"home": "Explainer", "treaty": "The treaty", "countries": "Countries", "country": "Country",
                "map": "Map", "compare": "The sources compared", "sources": "Sources", "source": "Source",
                "references": "References", "methodology": "Methodology", "changes": "Change log",
                "search": "Search", "404": "Page not found"}
# A series with more dates of change than this shows one map per month (the status at its last change).
SERIES_MAX = 16
# The comparison grid shows an answer in a few words; the whole answer is in the question's detail below it.
SHORT_ANSWER = 44
# A finding quotes the source's words up to this length.
QUOTE_IN_FINDING = 110
# The home page's first screen says where the sources err or disagree in at most this many lines.
FINDINGS_ON_HOME = 3
# The grid has a column per source up to this many sources; with more, only each question's verdict.
GRID_SOURCES = 8
# How the grid marks a source's answer (beside its words): the verdict it shares, and no answer at all.
MARKS = {"agree": ("=", "Agrees"), "contradict": ("\u2260", "Contradicts"), "complement": ("+", "Other details"),
         "timing": ("\u29d6", "Differs in timing"), "only-one": ("1", "Only source"), "none": ("\u2013", "No answer")}
VERDICT_SYMBOLS = {key: symbol for key, (symbol, _) in MARKS.items()}
# What each verdict means, for the grid's key and the methodology's list of verdicts with an example each.
VERDICT_MEANINGS = {
    "agree": "every source that answers gives the same answer (for dates: their ranges overlap, so both can be "
             "true)",
    "contradict": "the answers cannot all be true on the same date",
    "complement": "the answers differ in detail, but all can be true: a list that leaves an item out does not "
                  "contradict a longer one unless its source says it is complete",
    "timing": "each answer matched the references on the date its source wrote; what happened in between "
              "explains the difference",
    "only-one": "no other source answers",
    "none": "no source answers",
}
# The verdicts in a tally: "on 3 questions" + these words.
VERDICT_TALLY = {"agree": "the sources agree", "contradict": "they contradict each other",
                 "complement": "they give different, compatible details",
                 "timing": "they differ because of when they wrote", "only-one": "only one source answers",
                 "none": "no source answers"}
# What each judgement of a claim or an answer means, for the methodology.
JUDGEMENT_MEANINGS = {
    "wrong": "the references contradict it as they stood when the source wrote",
    "imprecise": "it points the right way but misdescribes what happened, or uses a looser word than the facts "
                 "allow",
    "incomplete": "what it lists is right, but it leaves out something the references had already established",
    "right-if": "the source's date is not known exactly, and the answer was right only before an event that "
                "falls inside its date range",
    "overtaken": "it was right when written; a later event, cited, has changed the answer since",
    "right": "the references confirm it as they stood when the source wrote, and nothing has changed since",
    "unchecked": "no reference settles it, or it is opinion; the reason is given where known",
}


# ---------------------------------------------------------------- URL rules

def url_for(site: Site, rel: str) -> str:
    """The link to a path inside the site, under the base path (so it works at a subpath and at a root)."""
    return site.config.base_path + rel


def absolute_url(site: Site, rel: str) -> str:
    """The full address of a path inside the site, for canonical links, Open Graph and the sitemap."""
    return site.config.base_url + rel


def out_path_for(rel: str) -> str:
    """Pretty URLs: 'treaty/' is written to 'treaty/index.html'."""
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def country_rel(country_id: str) -> str:
    return f"countries/{country_id}/"


def source_rel(source_id: str) -> str:
    return f"sources/{source_id}/"


def claim_anchor(claim_id: str) -> str:
    """The id of a claim's highlight in its source's text; other pages link to it."""
    return f"claim-{claim_id}"


def claim_entry_anchor(claim_id: str) -> str:
    """The id of a claim's entry in the list under its source's text."""
    return f"about-{claim_id}"


def reference_anchor(ref_id: str) -> str:
    return f"ref-{ref_id}"


def question_anchor(question_id: str) -> str:
    return f"q-{question_id}"


def passage_anchor(passage_id: str) -> str:
    return f"passage-{passage_id}"


# ---------------------------------------------------------------- what templates receive

@dataclass(frozen=True)
class NavLink:
    """A link of the main navigation, marked when it is the page itself ("page") or the page's section."""

    link: Link
    current: str  # "page", "section" or ""


@dataclass(frozen=True)
class Page:
    """One URL of the site: where it is written, what it is called, and everything its template shows."""

    kind: str
    template: str
    out_path: str
    url: str
    canonical: str | None
    title: str
    head_title: str
    description: str
    section: str
    context: Mapping[str, Any]
    nav: tuple[NavLink, ...]  # one object per way of marking it, so the header is rendered once for each
    json_ld: tuple[Mapping[str, Any], ...] = ()
    og_type: str = "website"
    in_sitemap: bool = True
    card: Card | None = None  # its share card (og:image), made by builder/cards.py
    og_image: str = ""  # the card's absolute address


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class CiteLink:
    """A citation as a link: a claim to its highlight in the source text, a reference to its entry.

    `outlet` and `date` say who published the cited page and when (shown on hover, focus and tap); `address` is
    the page's own URL, which print shows."""

    kind: str
    href: str
    text: str
    title: str
    outlet: str = ""
    date: str = ""
    address: str = ""


@dataclass(frozen=True)
class CheckView:
    """A claim's or an answer's standing against the references, and what has overtaken it since, if anything."""

    key: str
    label: str
    symbol: str
    says: str | None
    cites: tuple[CiteLink, ...]
    later: str | None = None
    later_on: PartialDate | None = None
    later_cites: tuple[CiteLink, ...] = ()


@dataclass(frozen=True)
class ClaimView:
    id: str
    number: int
    quote: str
    says: str
    kind: str
    kind_label: str
    speaker: str | None
    outlet: str
    source_title: str
    source_href: str
    href: str
    entry_id: str
    original_href: str
    check: CheckView
    answers: tuple[Link, ...]
    passage_note: str | None
    when: PartialDate | None
    restates: bool = False  # "in plain words" says little the quote does not: shown only on the claim's own entry


@dataclass(frozen=True)
class StatusView:
    key: str
    label: str
    on: date
    since: PartialDate | date
    explanation: str
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class EventView:
    date: PartialDate
    kind: str
    label: str
    note: str | None
    cites: tuple[CiteLink, ...]
    upcoming: bool
    step: bool = False  # a step out of the Convention, marked more strongly on the timeline


@dataclass(frozen=True)
class CountryRow:
    id: str
    name: str
    href: str
    status: StatusView


@dataclass(frozen=True)
class KeyDate:
    date: PartialDate
    label: str
    countries: tuple[Link, ...]
    detail: str | None
    cites: tuple[CiteLink, ...]
    upcoming: bool
    separator: str = ". "
    kind: str = "fact"  # a treaty fact, or the kind of event (for the timeline's marker)
    step: bool = False  # a step out of the Convention, marked more strongly


@dataclass(frozen=True)
class FactLine:
    label: str
    value: str
    note: str | None
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class SourceClaims:
    """The claims one source makes on a subject, for the pages that group claims by source."""

    outlet: str
    title: str
    href: str
    published: str
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True)
class Reason:
    """A reason a source gives, in the comparison's words, with the claim it is read from."""

    text: str
    href: str
    claim: ClaimView


@dataclass(frozen=True)
class WhyGroup:
    """One source's reasons for a country's withdrawal: those naming it, then those about all the withdrawals."""

    outlet: str
    href: str
    published: str
    specific: tuple[Reason, ...]
    general: tuple[Reason, ...]


@dataclass(frozen=True)
class AnswerView:
    outlet: str
    source_href: str
    published: str
    display: str
    check: CheckView | None  # None where no reference answers the question
    claims: tuple[ClaimView, ...]
    shown_before: tuple[Link, ...] = ()  # claims already shown under an earlier question: where, not again


@dataclass(frozen=True)
class ReferenceAnswer:
    """What the references establish as an answer, from a date on (None: throughout)."""

    display: str
    note: str | None
    cites: tuple[CiteLink, ...]
    since: date | None = None


@dataclass(frozen=True)
class CitedText:
    """A sentence the site says in its own voice, with what it rests on."""

    text: str
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class Finding:
    """One line at the top of the comparison (and on the home page): where a source is wrong or imprecise, where
    the sources contradict each other, or where they differ only because of when they wrote."""

    kind: str  # wrong, contradict, imprecise, timing
    label: str
    outlet: str | None
    text: str
    reason: str | None
    href: str


@dataclass(frozen=True)
class Standing:
    """Countries that stand alike on the site's date, as the home page's first lines say it."""

    countries: tuple[Link, ...]
    label: str
    key: str
    since: PartialDate | date
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class Scorecard:
    """How a source's claims stood against the references: a count per judgement, worst first."""

    counts: tuple[tuple[str, str, str, int], ...]  # (key, symbol, label, count), those with a count only
    checked: int
    total: int


@dataclass(frozen=True)
class QuestionView:
    id: str
    anchor: str
    href: str
    text: str
    verdict: str
    verdict_label: str
    verdict_symbol: str
    differences: tuple[str, ...]
    timing: tuple[CitedText, ...]
    answers: tuple[AnswerView, ...]
    references: tuple[ReferenceAnswer, ...]  # oldest first, up to the site's date
    unanswered_by: tuple[str, ...]


@dataclass(frozen=True)
class PassageView:
    id: str
    anchor: str
    kind: str
    label: str
    note: str
    author: str | None
    handle: str | None
    posted: date | None
    related: bool
    quotable: bool


# The pieces of the source texts are the most numerous objects of a build (several per paragraph): plain slotted
# dataclasses are made about twice as fast as frozen ones (cut_body, 1.2 s to 0.7 s at 10,000 sources).
@dataclass(slots=True)
class Mark:
    """One claim's highlight over one piece of text; a claim crossing a paragraph is cut into several."""

    claim_id: str
    number: int
    kind: str
    short_label: str
    anchor: str | None
    entry_href: str
    last: bool
    check: str  # the claim's judgement (compare.judge_claim), marked in words and signs, not colour alone
    check_symbol: str
    check_label: str


@dataclass(slots=True)
class Piece:
    text: str
    marks: tuple[Mark, ...]


@dataclass(slots=True)
class Run:
    """Consecutive pieces inside one paragraph that share the same inline passage (or none)."""

    passage: PassageView | None
    starts_passage: bool
    pieces: tuple[Piece, ...]


@dataclass(slots=True)
class Block:
    """Paragraphs of a source's text; those wholly inside a passage are grouped and labelled as one block.

    A paragraph no claim or inline passage meets (most are) is just its text: a run and a piece for each, made
    here and walked in the template, was a tenth of cutting and writing the texts (1.28 s to 1.15 s, 10,000 sources).
    """

    passage: PassageView | None
    paragraphs: tuple[str | tuple[Run, ...], ...]


@dataclass(frozen=True)
class ArticleLine:
    text: str
    level: int


@dataclass(frozen=True)
class ArticleView:
    number: str
    anchor: str
    title: str
    summary: str
    lines: tuple[ArticleLine, ...]
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class PageView:
    """A cited page as the references page shows it: where, who, when, and the excerpt with our translation."""

    url: str
    title: str
    outlet: str
    published: str
    language: str
    language_tag: str
    english: bool
    excerpt: str
    translation: str


@dataclass(frozen=True)
class ReferenceView:
    id: str
    anchor: str
    label: str
    statement: str
    value: str
    confidence: str
    pages: tuple[PageView, ...]
    cited_on: tuple[Link, ...]
    cited_on_more: int


@dataclass(frozen=True)
class Chrome:
    """What every page shows around its content: the site's name, navigation and footer."""

    title: str
    tagline: str
    language: str
    home_href: str
    stylesheet: str
    icon: str
    nav: tuple[tuple[str, Link], ...]
    as_of: date
    newest_event: PartialDate | None
    publisher: str | None
    downloads: tuple[Link, ...]
    methodology_href: str
    references_href: str
    site_name: str
    base_url: str
    changes_href: str = ""
    feed_href: str = ""
    search_href: str = ""


@dataclass(frozen=True)
class ChangeView:
    """A change-log entry as the page shows it: its date, kind in words, text and citations, and an anchor."""

    anchor: str
    date: date
    kind: str
    label: str
    text: str
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class LegendEntry:
    """One line of a map's key: the status in words, its colour and pattern, and how many countries have it."""

    key: str
    label: str
    swatch: Markup
    count: int | None  # None for the countries the site does not cover

    @property
    def count_text(self) -> str:
        return "" if self.count is None else f"{self.count} {'country' if self.count == 1 else 'countries'}"


@dataclass(frozen=True)
class MapRow:
    """One country of a map in words: the table that carries the map for screen readers and print."""

    iso2: str
    name: str
    href: str
    key: str
    label: str
    since: PartialDate | None
    swatch: Markup
    inset: bool
    current: bool = False


@dataclass(frozen=True)
class MapView:
    """A status map and what says the same in text: its key and its table."""

    id: str
    svg: Markup
    title: str
    on: date
    legend: tuple[LegendEntry, ...]
    rows: tuple[MapRow, ...]
    insets: str  # the countries shown in boxes below the map, as a phrase ("" when none)
    series: Link | None
    highlighted: str = ""  # the name of the country outlined, on its page


@dataclass(frozen=True)
class StatusChange:
    iso2: str
    country: Link
    before: str
    after: str
    key: str
    on: date
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class DatedMap:
    """The map page's date control: the days it spans, the map it recolours, and each country's changes (as JSON:
    [day, map status, label], from the series' start), with the map's pattern for each status."""

    start: date
    end: date
    svg: Markup
    rows: tuple[tuple[MapRow, str], ...]
    patterns: str


@dataclass(frozen=True)
class SeriesMap:
    """One small map of the series: the status on a date, and in words what changed since the map before."""

    id: str
    on: date
    svg: Markup
    changes: tuple[StatusChange, ...]
    standing: tuple[tuple[str, str, tuple[Link, ...]], ...]  # the first map only: (key, label, countries)


@dataclass(frozen=True)
class MatrixCell:
    """One source's answer to one question in the comparison grid."""

    outlet: str
    text: str  # the answer in a few words; "" when the source gives none
    full: str
    mark: str  # the verdict it shares (model.VERDICTS), or none
    symbol: str
    mark_label: str
    check: CheckView | None  # how it stood against the references; None when they do not answer
    href: str


@dataclass(frozen=True)
class MatrixRow:
    question: str
    href: str
    cells: tuple[MatrixCell, ...]
    verdict: str
    verdict_label: str
    verdict_symbol: str


# ---------------------------------------------------------------- citations

@dataclass
class Citer:
    """Turns citations into links, remembering which page cited each reference for the references page."""

    site: Site
    current: Link | None = None
    cited_on: dict[str, list[Link]] = field(default_factory=dict)
    recorded: set[tuple[str, Link]] = field(default_factory=set)  # cited_on's pairs, to look up rather than scan

    def links(self, cites: Iterable[Citation]) -> tuple[CiteLink, ...]:
        """The citations as links, in order, each once. A claim or a reference that a build as of an earlier date
        left out (dated.py) is not cited: on that date it had not been written."""
        site = self.site
        return tuple(dict.fromkeys(self.link(citation) for citation in cites
                                   if citation.id in (site.claims if citation.kind == "claim" else site.references)))

    def link(self, citation: Citation) -> CiteLink:
        if citation.kind == "claim":
            claim = self.site.claims[citation.id]
            source = self.site.sources[claim.source_id]
            # The kind shows even in a citation: a sentence resting on a quote is not resting on reporting.
            return CiteLink("claim", claim_href(self.site, claim), f"{source.outlet}, {KIND_SHORT[claim.kind]}",
                            f"{claim.kind_label} in {source.outlet}: \u201c{claim.quote}\u201d",
                            source.outlet, published_text(source), source.url)
        reference = self.site.references[citation.id]
        if self.current is not None and (citation.id, self.current) not in self.recorded:
            self.recorded.add((citation.id, self.current))
            self.cited_on.setdefault(citation.id, []).append(self.current)
        return CiteLink("ref", url_for(self.site, "references/") + "#" + reference_anchor(reference.id),
                        reference.id.upper(), reference.title or reference.statement, reference.outlet,
                        page_date(reference.published), reference.url)


def claim_href(site: Site, claim: Claim) -> str:
    return url_for(site, source_rel(claim.source_id)) + "#" + claim_anchor(claim.id)


# ---------------------------------------------------------------- shared views

def visible_claims(site: Site) -> list[Claim]:
    """The claims the site shows (never ingest's drafts), in the order of their sources and their text."""
    claims = [c for c in site.claims.values() if not c.draft]
    return sorted(claims, key=lambda c: (c.source_id, c.span, c.id))


def claim_numbers(site: Site) -> dict[str, int]:
    """Each claim's number within its source, in the order its quote appears in the text."""
    numbers: dict[str, int] = {}
    counts: dict[str, int] = {}
    for claim in visible_claims(site):
        counts[claim.source_id] = counts.get(claim.source_id, 0) + 1
        numbers[claim.id] = counts[claim.source_id]
    return numbers


def view_check(citer: Citer, judgement: Judgement) -> CheckView:
    later = judgement.later
    return CheckView(judgement.key, judgement.label, JUDGEMENT_SYMBOLS[judgement.key], judgement.says,
                     citer.links(judgement.cite), later.says if later else None, later.on if later else None,
                     citer.links(later.cite) if later else ())


def view_claim(site: Site, citer: Citer, claim: Claim, numbers: Mapping[str, int]) -> ClaimView:
    source = site.sources[claim.source_id]
    answers = tuple(
        Link(url_for(site, "compare/") + "#" + question_anchor(a.question_id),
             display_value(a.value, site.questions[a.question_id], site.countries),
             site.questions[a.question_id].text)
        for a in claim.answers
    ) if claim.answers else ()
    passage = next((p for p in source.passages if p.id == claim.passage_id), None) if claim.passage_id else None
    passage_note = None
    if passage is not None:
        passage_note = f"From a post by {passage.author}" + (f" ({passage.handle})" if passage.handle else "") \
            + (f", {PartialDate.of(passage.posted).human}" if passage.posted else "") \
            + f", embedded in {source.outlet}\u2019s page"
    source_href = url_for(site, source_rel(source.id))
    return ClaimView(
        id=claim.id, number=numbers[claim.id], quote=claim.quote, says=claim.says, kind=claim.kind,
        kind_label=claim.kind_label, speaker=claim.speaker, outlet=source.outlet, source_title=source.title,
        source_href=source_href, href=source_href + "#" + claim_anchor(claim.id),
        entry_id=claim_entry_anchor(claim.id), original_href=claim.original_url,
        check=view_check(citer, judge_claim(claim, source, site.config.as_of)), answers=answers,
        passage_note=passage_note, when=claim.when, restates=restates(claim.quote, claim.says),
    )


def restates(quote: str, says: str) -> bool:
    """Whether a claim's plain words are mostly the quote's own words (two thirds of them or more)."""
    words = set(re.findall(r"[a-z0-9]+", says.lower()))
    return bool(words) and len(words & set(re.findall(r"[a-z0-9]+", quote.lower()))) >= len(words) * 2 / 3


def view_status(citer: Citer, status: Status) -> StatusView:
    return StatusView(status.key, status.label, status.on, status.since or status.on, status.explanation,
                      citer.links(status.cite))


def view_event(site: Site, citer: Citer, event: Event) -> EventView:
    return EventView(event.date, event.kind, event.label, event.note, citer.links(event.cite),
                     event.date.first > site.config.as_of, event.kind in STEP_EVENTS)


def is_contested(country: Country) -> bool:
    """A state that took another path than Article 20 (a 'suspension', or steps during an armed conflict)."""
    return any(e.kind == "suspension-notified" for e in country.events) or bool(
        country.armed_conflict and country.armed_conflict.value
        and any(e.kind in WITHDRAWAL_EVENTS for e in country.events))


def is_leaving(country: Country) -> bool:
    """A state on its way out of (or already out of) the Convention under Article 20."""
    return any(e.kind in WITHDRAWAL_EVENTS for e in country.events) and not is_contested(country)


def country_groups(site: Site) -> dict[str, list[Country]]:
    """Countries as the pages group them: leaving, contested, and the others the sources name."""
    groups: dict[str, list[Country]] = {"leaving": [], "contested": [], "others": []}
    for country in sorted(site.countries.values(), key=lambda c: c.name):
        key = "leaving" if is_leaving(country) else "contested" if is_contested(country) else "others"
        groups[key].append(country)
    return groups


def country_row(site: Site, citer: Citer, country: Country) -> CountryRow:
    status = country.status_today
    assert status is not None, "validate_site computes every country's status"
    return CountryRow(country.id, country.name, url_for(site, country_rel(country.id)), view_status(citer, status))


def published_text(source: Source) -> str:
    """When a source was published, as far as it is known: a worked-out date is never given as a plain fact."""
    window = source.published.window
    if source.published.inferred:
        return f"undated: by inference, published {window.human}"
    return f"published {window.human}"


def page_date(published: PartialDate | None) -> str:
    return published.human if published else "date not stated"


def view_page(page: Reference | Support) -> PageView:
    english = page.language.split("-")[0] == "en"
    return PageView(page.url, page.title, page.outlet, page_date(page.published) if page.url else "",
                    language_name(page.language) if page.language else "", page.language, english, page.excerpt,
                    page.translation)


def why_questions(site: Site) -> list[Question]:
    """The questions that ask why the countries are leaving."""
    return [q for q in site.questions.values() if q.id.startswith("why") or q.text.lower().startswith("why")]


def _day_of(when: PartialDate | date) -> date:
    return when.first if isinstance(when, PartialDate) else when


def first_sentence(text: str | None) -> str | None:
    """A finding's reason in one line: the first sentence of a review."""
    if not text:
        return text
    match = re.match(r"(.+?[.!?])(?:\s+[A-Z\u201c\"]|\s*$)", text)
    return match.group(1) if match else text


def clip(text: str, limit: int) -> str:
    """The text cut at the last word that fits in `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def short_answer(answer: SourceAnswer, question: Question, countries: Mapping[str, Country],
                 limit: int = SHORT_ANSWER) -> str:
    """An answer in a few words for the comparison grid: whole if short, else its first item and how many more."""
    if len(answer.display) <= limit:
        return answer.display
    items = answer.value.items
    if len(items) > 1:
        # An option's parenthesis ("Withdrawn (a decision or an intention)") is the first thing to go.
        parts = [re.sub(r"\s*\([^)]*\)", "", display_value(AnswerValue(items=(item,)), question, countries))
                 for item in items]
        if question.type == "countries":
            parts.sort()
        more = f" + {len(items) - 1} more"
        return clip(parts[0], limit - len(more)) + more
    return clip(answer.display, limit)


def newest_event(site: Site) -> PartialDate | None:
    """The latest dated event the references establish by the site's date: nothing later has been checked."""
    dates = [e.date for c in site.countries.values() for e in c.events if e.date.last <= site.config.as_of]
    return max(dates, default=None)


# ---------------------------------------------------------------- the source text, cut into pieces

# A line's text without the space around it: \S is exactly what str.strip() keeps, and a match never crosses a
# line break, so each match is one paragraph (one regex pass is several times quicker than splitting lines).
PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Each non-empty line of the captured text is a paragraph: (start, end) without surrounding space."""
    return [match.span() for match in PARAGRAPH.finditer(body)]


T = TypeVar("T")


def spans_at(paragraphs: list[tuple[int, int]], items: Iterable[T], span: Callable[[T], tuple[int, int]]
             ) -> dict[int, list[T]]:
    """The items whose span meets each paragraph, by the paragraph's index, in the items' order."""
    ends = [end for _, end in paragraphs]
    found: dict[int, list[T]] = {}
    for item in items:
        start, end = span(item)
        index = bisect.bisect_right(ends, start)  # the first paragraph that ends after the item starts
        while index < len(paragraphs) and paragraphs[index][0] < end:
            found.setdefault(index, []).append(item)
            index += 1
    return found


def view_passage(passage: Passage) -> PassageView:
    from .model import UNQUOTABLE_PASSAGES

    return PassageView(passage.id, passage_anchor(passage.id), passage.kind, PASSAGE_KINDS[passage.kind],
                       passage.note, passage.author, passage.handle, passage.posted, passage.related,
                       passage.kind not in UNQUOTABLE_PASSAGES)


def cut_body(site: Site, source: Source, numbers: Mapping[str, int], claims: list[Claim] | None = None
             ) -> tuple[Block, ...]:
    """The source's text as blocks of paragraphs, each cut where a claim or a passage starts or ends."""
    if claims is None:  # the source's visible claims, which the Planner passes in rather than search for
        claims = [c for c in visible_claims(site) if c.source_id == source.id]
    body = source.body
    assert body is not None, "a source's page is made only where its text is (model.Source)"
    paragraphs = paragraph_spans(body)
    passages = {p.id: view_passage(p) for p in source.passages}
    starts = {p[0] for p in paragraphs}
    ends = {p[1] for p in paragraphs}
    # A passage that begins a paragraph and ends one is shown as a labelled block; any other is marked inline.
    block_of: dict[int, Passage] = {}
    inline: list[Passage] = []
    for passage in source.passages:
        start = passage.start + len(passage.text) - len(passage.text.lstrip())
        end = passage.end - (len(passage.text) - len(passage.text.rstrip()))
        if start in starts and end in ends:
            for index, (p_start, p_end) in enumerate(paragraphs):
                if start <= p_start and p_end <= end:
                    block_of[index] = passage
        else:
            inline.append(passage)
    first_piece_of: set[str] = set()
    label_shown: set[str] = set()
    checks = {claim.id: judge_claim(claim, source, site.config.as_of) for claim in claims}
    # A paragraph is its text unless a claim or an inline passage meets it (most meet none). Only those that meet
    # a paragraph can cut or mark it: scanning every claim for every piece was most of planning a large site, and
    # then scanning them for every paragraph was a fifth of cutting the texts (0.49 s to 0.38 s at 10,000).
    cut: list[str | tuple[Run, ...]] = [body[p_start:p_end] for p_start, p_end in paragraphs]
    claims_at = spans_at(paragraphs, claims, lambda c: c.span)
    inline_at = spans_at(paragraphs, inline, lambda p: (p.start, p.end))
    for index in sorted(claims_at.keys() | inline_at.keys()):  # in order: a claim's first piece has its anchor
        p_start, p_end = paragraphs[index]
        here = claims_at.get(index, [])
        inline_here = inline_at.get(index, [])
        cuts = {p_start, p_end}
        for claim in here:
            cuts.update(x for x in claim.span if p_start < x < p_end)
        for passage in inline_here:
            cuts.update(x for x in (passage.start, passage.end) if p_start < x < p_end)
        points = sorted(cuts)
        runs: list[Run] = []
        for a, b in zip(points, points[1:], strict=False):
            marks = []
            for claim in here:
                if claim.span[0] < b and a < claim.span[1]:
                    anchor = None
                    if claim.id not in first_piece_of:
                        first_piece_of.add(claim.id)
                        anchor = claim_anchor(claim.id)
                    check = checks[claim.id]
                    marks.append(Mark(claim.id, numbers[claim.id], claim.kind, KIND_SHORT[claim.kind], anchor,
                                      "#" + claim_entry_anchor(claim.id), b >= claim.span[1], check.key,
                                      JUDGEMENT_SYMBOLS[check.key], check.label))
            piece = Piece(body[a:b], tuple(marks))
            passage = next((p for p in inline_here if p.start < b and a < p.end), None)
            view = passages[passage.id] if passage else None
            if runs and runs[-1].passage is view:
                last = runs[-1]
                runs[-1] = Run(last.passage, last.starts_passage, last.pieces + (piece,))
            else:
                starts_passage = bool(passage and passage.id not in label_shown)
                if passage:
                    label_shown.add(passage.id)
                runs.append(Run(view, starts_passage, (piece,)))
        cut[index] = tuple(runs)
    if not block_of:  # no passage is a block of its own, as in most sources: the text is one block
        return (Block(None, tuple(cut)),) if cut else ()
    # Consecutive paragraphs of one passage, or of none, make one block: the paragraphs of a block without a
    # passage are written just as they would be one block each, and one block per plain paragraph was a third
    # of the time of cutting the sources of a 10,000-page site.
    grouped: list[tuple[PassageView | None, list[str | tuple[Run, ...]]]] = []
    for index, paragraph in enumerate(cut):
        block_passage = block_of.get(index)
        view = passages[block_passage.id] if block_passage else None
        if grouped and grouped[-1][0] is view:
            grouped[-1][1].append(paragraph)
        else:
            grouped.append((view, [paragraph]))
    return tuple(Block(view, tuple(runs_of)) for view, runs_of in grouped)


# ---------------------------------------------------------------- maps

def map_status(key: str) -> str:
    """The map's class for a status: the same key, but "joining" is drawn like "signatory"."""
    return MAP_STATUS.get(key, key)


def status_label(key: str) -> str:
    return NOT_COVERED if key == "none" else STATUSES[key]


class StatusMaps:
    """Every map of a build: one geometry load, and the statuses, links, key and table that the maps share.

    The map of today is drawn once (home and countries pages show the same one); each country page gets it
    with that country outlined, so only that drawing is done per page.
    """

    MAP_ID = "status-map"

    def __init__(self, site: Site, geometry: Geometry | None = None) -> None:
        self.site = site
        self.geometry = geometry or load_geometry()
        self.countries = sorted((c for c in site.countries.values() if c.status_today),
                                key=lambda c: (c.name, c.id))
        self.links = {c.iso2: url_for(site, country_rel(c.id)) for c in self.countries}
        self.names = {c.iso2: c.name for c in self.countries}
        self.insets = tuple(c.iso2 for c in self.countries if needs_inset(self.geometry, c.iso2))
        today = {c.iso2: c.status_today for c in self.countries if c.status_today}
        self.statuses = {iso2: map_status(s.key) for iso2, s in today.items()}
        self.labels = {iso2: s.label for iso2, s in today.items()}
        self.on = site.config.as_of
        self.series_link = Link(url_for(site, "map/"), "How the map changed")
        uncovered = any(iso2 not in self.statuses for iso2 in self.geometry.countries)
        self.legend = self.key_to([s.key for s in today.values()], self.MAP_ID, count=True, uncovered=uncovered)
        self.rows = tuple(
            MapRow(iso2, self.names[iso2], self.links[iso2], status.key, status.label, status.since,
                   Markup(draw_swatch(map_status(status.key), id_prefix=f"{self.MAP_ID}-row-{iso2.lower()}")),
                   iso2 in self.insets)
            for iso2, status in sorted(today.items(), key=lambda i: (STATUS_ORDER.index(i[1].key), self.names[i[0]]))
        )
        self._today: MapView | None = None

    def key_to(self, keys: Iterable[str], prefix: str, *, count: bool, uncovered: bool) -> tuple[LegendEntry, ...]:
        """A map's key: each status shown (in a fixed order), then "not covered" when any country is."""
        counts: dict[str, int] = {}
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        if uncovered:
            counts.setdefault("none", 0)
        return tuple(
            LegendEntry(key, status_label(key), Markup(draw_swatch(map_status(key), id_prefix=f"{prefix}-key-{key}")),
                        counts[key] if count and key != "none" else None)
            for key in STATUS_ORDER if key in counts
        )

    def title(self, highlight: Country | None = None) -> str:
        title = (f"Map of Europe and its neighbours: each country's status under the Convention on "
                 f"{PartialDate.of(self.on).human}")
        return title + (f"; {highlight.name} outlined" if highlight else "")

    def view(self, svg: str, title: str, current: str | None = None) -> MapView:
        rows = self.rows if current is None else tuple(replace(row, current=True) if row.iso2 == current else row
                                                       for row in self.rows)
        insets = ", ".join(self.names[iso2] for iso2 in self.insets)
        return MapView(self.MAP_ID, Markup(svg), title, self.on, self.legend, rows, insets, self.series_link,
                       self.names[current] if current else "")

    def draw(self, title: str, highlight: str | None = None) -> str:
        return draw_status_map(self.geometry, self.statuses, self.links, self.labels, highlight=highlight,
                               title=title, title_id=self.MAP_ID, insets=self.insets, names=self.names,
                               inset_caption="Outside the map:")

    def today(self) -> MapView:
        """The map of every country's status on the site's date (drawn once, shown on several pages)."""
        if self._today is None:
            title = self.title()
            self._today = self.view(self.draw(title), title)
        return self._today

    def of_country(self, country: Country) -> MapView:
        """The same map with one country outlined, for its page."""
        title = self.title(country)
        return self.view(self.draw(title, highlight=country.iso2), title, current=country.iso2)

    # ------------------------------------------------------------ the series
    def series_start(self) -> date:
        """The first day of the month of the first step out of the Convention (no later than the site's date)."""
        steps = [e.date.first for c in self.countries for e in c.events if e.kind in STEP_EVENTS]
        return min(min(steps, default=self.on).replace(day=1), self.on)

    def changes(self, start: date, citer: Citer) -> dict[date, list[StatusChange]]:
        """Every change of a covered country's status after `start` and by the site's date, by day."""
        found: dict[date, list[StatusChange]] = {}
        for country in self.countries:
            before = status_on(country, start)
            for status in country.status_history:
                if start < status.on <= self.on and status.key != before.key:
                    found.setdefault(status.on, []).append(StatusChange(
                        country.iso2, Link(self.links[country.iso2], country.name), before.label, status.label,
                        status.key, status.on, citer.links(status.cite)))
                    before = status
        return found

    def series(self, citer: Citer) -> tuple[tuple[SeriesMap, ...], tuple[LegendEntry, ...], bool]:
        """Small maps from the series' start to the site's date: one per date of change (or per month), their
        shared key, and whether there is one per month."""
        start = self.series_start()
        changes = self.changes(start, citer)
        days = sorted(changes)
        per_month = len(days) > SERIES_MAX
        if per_month:  # the last day of change in each month stands for the month
            months: dict[tuple[int, int], date] = {(d.year, d.month): d for d in days}
            days = sorted(months.values())
        state = {c.iso2: status_on(c, start) for c in self.countries}
        keys = {iso2: s.key for iso2, s in state.items()}
        changing = sorted({c.iso2 for day in changes for c in changes[day]})
        focus = [iso2 for iso2 in changing if iso2 not in self.insets] or ["PL", "FI", "EE", "LV", "LT"]
        standing = tuple(
            (key, STATUSES[key], tuple(Link(self.links[c.iso2], c.name) for c in self.countries
                                       if keys[c.iso2] == key))
            for key in STATUS_ORDER if key in keys.values()
        )
        maps = [self.small(start, keys, (), standing, focus)]
        shown = set(keys.values())
        previous = start
        for day in days:
            happened = tuple(change for d in sorted(changes) if previous < d <= day for change in changes[d])
            for change in happened:
                keys[change.iso2] = change.key
                shown.add(change.key)
            maps.append(self.small(day, keys, happened, (), focus))
            previous = day
        uncovered = any(iso2 not in keys for iso2 in self.geometry.countries)
        return tuple(maps), self.key_to(shown, "series", count=False, uncovered=uncovered), per_month

    def dated(self) -> DatedMap:
        """Today's map with, for each covered country, its status at the series' start and at each change since:
        what the map page's date control (assets/map-date.js) shows for any day."""
        start = self.series_start()
        rows = []
        for row in self.rows:
            country = next(c for c in self.countries if c.iso2 == row.iso2)
            steps = [status_on(country, start), *(s for s in country.status_history if start < s.on <= self.on)]
            changes = [[s.on.isoformat(), map_status(s.key), s.label] for s in steps]
            rows.append((row, json.dumps(changes, ensure_ascii=False, separators=(",", ":"))))
        return DatedMap(start, self.on, self.today().svg, tuple(rows),
                        json.dumps(dict(PATTERNS), sort_keys=True, separators=(",", ":")))

    def small(self, day: date, keys: Mapping[str, str], changes: tuple[StatusChange, ...],
              standing: tuple[tuple[str, str, tuple[Link, ...]], ...], focus: list[str]) -> SeriesMap:
        map_id = f"series-{day.isoformat()}"
        labels = {iso2: STATUSES[key] for iso2, key in keys.items()}
        svg = draw_small_multiple(self.geometry, {iso2: map_status(k) for iso2, k in keys.items()}, {}, labels,
                                  title=f"Map: the status of each country on {PartialDate.of(day).human}",
                                  title_id=map_id, focus=focus, aspect=1.0)
        return SeriesMap(map_id, day, Markup(svg), changes, standing)


# ---------------------------------------------------------------- the pages

class Planner:
    """Builds every page's context from the site; one instance per build."""

    def __init__(self, site: Site, templates_dir: Path | None = None) -> None:
        self.site = site
        self.templates_dir = templates_dir
        self.citer = Citer(site)
        self.numbers = claim_numbers(site)
        self.claims = visible_claims(site)
        # Indexes, so a page looks up its claims instead of scanning all of them (10,000 sources x 20,000
        # claims was most of a build).
        self.claims_of: dict[str, list[Claim]] = {}
        self.claims_about: dict[str, list[Claim]] = {}
        for claim in self.claims:
            self.claims_of.setdefault(claim.source_id, []).append(claim)
            for country_id in claim.countries:
                self.claims_about.setdefault(country_id, []).append(claim)
        self.claim_views: dict[str, ClaimView] = {}
        self.headings: dict[str, SourceClaims] = {}
        self.groups = country_groups(site)
        self.chrome = self.make_chrome()
        self.navs: dict[tuple[str, str], tuple[NavLink, ...]] = {}
        self.publisher = {"@type": "Organization", "name": site.config.publisher or site.config.title,
                          "url": site.config.base_url}
        self._maps: StatusMaps | None = None
        self.made_cards: dict[str, Card] = {}  # the card of each page of a kind that has one page
        self._findings: tuple[Finding, ...] | None = None

    @property
    def maps(self) -> StatusMaps:
        """The build's maps, made when the first page needs one (so the geometry is read once)."""
        if self._maps is None:
            path = self.templates_dir / GEOMETRY if self.templates_dir else DEFAULT_GEOMETRY
            self._maps = StatusMaps(self.site, load_geometry(path))
        return self._maps

    def plan(self, job: PageJob) -> Page:
        """One page of page_jobs(); the references page is planned last, by references()."""
        method, record_id = job
        if method == "country":
            return self.country(self.site.countries[str(record_id)])
        if method == "source":
            return self.source(self.site.sources[str(record_id)])
        planned: Page = getattr(self, method)()
        return planned

    def group_by_source(self, claims: Iterable[Claim]) -> tuple[SourceClaims, ...]:
        """Claims grouped by their source, sources by outlet name, claims in the order of the text."""
        site = self.site
        by_source: dict[str, list[ClaimView]] = {}
        for claim in claims:
            by_source.setdefault(claim.source_id, []).append(self.view(claim))
        groups = []
        for source_id in sorted(by_source, key=lambda s: (site.sources[s].outlet, s)):
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

    def view(self, claim: Claim) -> ClaimView:
        """A claim as every page shows it; made once, as a claim appears on several pages."""
        found = self.claim_views.get(claim.id)
        if found is None:
            found = self.claim_views[claim.id] = view_claim(self.site, self.citer, claim, self.numbers)
        elif claim.review:  # so the references page knows this page cites them too
            self.citer.links(claim.review.cite + (claim.review.overtaken.cite if claim.review.overtaken else ()))
        return found

    def make_chrome(self) -> Chrome:
        site = self.site
        config = site.config
        return Chrome(
            title=config.title, tagline=config.tagline, language=config.language, home_href=url_for(site, ""),
            stylesheet=url_for(site, STYLESHEET), icon=url_for(site, ICON),
            nav=tuple((key, Link(url_for(site, rel), text)) for key, rel, text in SECTIONS),
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
             og_type: str = "article") -> Page:
        site = self.site
        head_title = title if kind == "home" else f"{title} \u2014 {site.config.title}"
        if json_ld is None:
            json_ld = [self.article_ld(rel, title, description)]
        url = url_for(site, rel)
        card = self.card_of(kind, rel, title, description)
        if kind not in ("country", "source"):
            self.made_cards[kind] = card
        return Page(kind, template, out_path_for(rel), url, absolute_url(site, rel), title, head_title, description,
                    section, {"chrome": self.chrome, **context}, self.nav(section, url), tuple(json_ld), og_type,
                    card=card, og_image=absolute_url(site, card.out_path))

    def job_card(self, job: PageJob) -> Card:
        """A page's card without planning the page again: from the model, or as this planner made it."""
        method, record_id = job
        if method == "country":
            return self.card_of("country", country_rel(str(record_id)), "", "")
        if method == "source":
            return self.card_of("source", source_rel(str(record_id)), "", "")
        made = self.made_cards.get({"map_series": "map", "not_found": "404"}.get(method, method))
        return made or self.plan(job).card  # type: ignore[return-value]  # planned elsewhere (a worker's page)

    def card_of(self, kind: str, rel: str, title: str, description: str) -> Card:
        """A page's share card: its title and one line (a country's status, a source's outlet and date), with the
        page's own status map on the home page and a leaving country's. Pages of a kind with more than
        CARDS_PER_KIND pages share one card, which names the kind."""
        site = self.site
        name = site.config.title
        if kind == "country":
            if len(site.countries) > CARDS_PER_KIND:
                return Card("cards/country.png", name, "Countries", "Each country and the Ottawa Convention",
                            f"{len(site.countries)} countries, each with its status on every date")
            country = site.countries[rel.strip("/").rsplit("/", 1)[-1]]
            status = country.status_today
            line = status.label if status else ""
            if status and status.since:
                line += f" since {status.since.human}"
            svg = str(self.maps.of_country(country).svg) if is_leaving(country) else ""
            return Card(f"cards/country-{country.id}.png", name, "Country", country.name, line, svg)
        if kind == "source":
            if len(site.sources) > CARDS_PER_KIND:
                return Card("cards/source.png", name, "Sources", "The articles, word for word",
                            f"{len(site.sources)} articles, every quote highlighted where it appears")
            source = site.sources[rel.strip("/").rsplit("/", 1)[-1]]
            return Card(f"cards/source-{source.id}.png", name, f"Source: {source.outlet}", source.title,
                        published_text(source))
        slug = rel.strip("/").replace("/", "-") or "home"
        svg = str(self.maps.today().svg) if kind == "home" else ""
        if kind == "home":
            title, description = site.config.tagline, f"Status as of {PartialDate.of(site.config.as_of).human}"
        return Card(f"cards/{slug if kind != '404' else 'not-found'}.png", name, CARD_KICKERS.get(kind, kind),
                    title, clip(description, 150), svg)

    def citing(self, rel: str, title: str) -> None:
        """Record the page being planned, so the references page can list where each reference is used."""
        self.citer.current = Link(url_for(self.site, rel), title)

    def article_ld(self, rel: str, title: str, description: str, **extra: Any) -> dict[str, Any]:
        config = self.site.config
        return {"@context": "https://schema.org", "@type": "Article", "headline": title,
                "description": description, "url": absolute_url(self.site, rel), "inLanguage": config.language,
                "dateModified": config.as_of.isoformat(), "author": self.publisher, "publisher": self.publisher,
                "isPartOf": {"@type": "WebSite", "name": config.title, "url": config.base_url}, **extra}

    # ------------------------------------------------------------ home
    def home(self) -> Page:
        site = self.site
        self.citing("", "Home")
        summary = tuple((s.text, self.citer.links(s.cite)) for s in site.summary)
        leaving = tuple(country_row(site, self.citer, c) for c in self.groups["leaving"])
        contested = tuple(country_row(site, self.citer, c) for c in self.groups["contested"])
        ways_in = tuple(
            Link(url_for(site, rel), text, blurb) for (_key, rel, text), blurb in zip(SECTIONS, (
                "What the Convention bans, its dates, and Article 20 on withdrawal, quoted exactly.",
                "Each country's status on every date, its timeline, and why it is leaving.",
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
        findings = self.findings()
        return self.page("home", "index.html", "", config.title, config.description, "home", {
            "summary": summary, "leaving": leaving, "contested": contested, "key_dates": self.key_dates(),
            "ways_in": ways_in, "status_map": self.maps.today(), "standings": self.standings(),
            "all_left": all(c.status_today and c.status_today.key == "withdrawn" for c in self.groups["leaving"]),
            "findings": findings[:FINDINGS_ON_HOME], "more_findings": max(0, len(findings) - FINDINGS_ON_HOME),
            "compare": Link(url_for(site, "compare/"), "What the sources say"),
            "verdict_counts": self.verdict_counts(),
        }, json_ld=[website], og_type="website")

    def standings(self) -> tuple[Standing, ...]:
        """The leaving countries grouped by where they stand on the site's date, in the order they got there."""
        site = self.site
        grouped: dict[tuple[str, PartialDate | date], list[Country]] = {}
        for country in self.groups["leaving"]:
            status = country.status_today
            assert status is not None, "validate_site computes every country's status"
            grouped.setdefault((status.key, status.since or status.on), []).append(country)
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
            found.append(KeyDate(when, event.label, countries, detail, cites, when.first > site.config.as_of,
                                 kind=kind, step=kind in STEP_EVENTS))
        # A date known only to the month or year goes after the days it may contain; on one day, the treaty's
        # facts come first, then the events in the order a country takes them.
        order = {kind: index for index, kind in enumerate(EVENT_KINDS)}
        return tuple(sorted(found, key=lambda k: (k.date.last, k.date.first, order.get(k.kind, -1), k.label)))

    # ------------------------------------------------------------ treaty
    def treaty(self) -> Page:
        site = self.site
        treaty = site.treaty
        title = "The Ottawa Convention" if "Ottawa Convention" in treaty.short_names else "The treaty"
        self.citing("treaty/", title)
        facts = tuple(FactLine(f.label, f.value, None, self.citer.links(f.cite)) for f in treaty.facts)
        articles = tuple(
            ArticleView(a.number, f"article-{a.number}", a.title, a.summary, article_lines(a.text),
                        self.citer.links(a.cite))
            for a in treaty.articles
        )
        parties = next((f for f in facts if "states parties" in f.label.lower()), None)
        description = (f"What the {treaty.short_names[0] if treaty.short_names else 'Convention'} bans and "
                       "requires, its dates, and its articles quoted exactly, including Article 20 on withdrawal.")
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
            for key, heading in (("leaving", "Leaving the Convention"),
                                 ("contested", "Another path: a contested \u201csuspension\u201d"),
                                 ("others", "Other countries the sources name"))
            if self.groups[key]
        )
        names = ", ".join(c.name for c in self.groups["leaving"])
        description = (f"Where {names} stand under the Ottawa Convention as of "
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
        if is_leaving(country):
            why = self.why_leaving(country, concerning)
        # Each claim once: those shown as a reason above are not shown again under what each source says.
        shown = {r.claim.id for group in why for r in (*group.specific, *group.general)}
        about = self.group_by_source(c for c in concerning if c.id not in shown)
        description = (f"{country.name} and the Ottawa Convention: {status.label.lower()} as of "
                       f"{PartialDate.of(site.config.as_of).human}; its timeline, why it is leaving as each "
                       "source reports it, and what each source says about it.")
        if not is_leaving(country):
            description = (f"{country.name} and the Ottawa Convention: {status.label.lower()} as of "
                           f"{PartialDate.of(site.config.as_of).human}, and what each source says about it.")
        return self.page("country", "country.html", rel, country.name, description, "countries", {
            "country": country, "status": view_status(self.citer, status),
            "facts": self.country_facts(country),
            "history": tuple(view_status(self.citer, s) for s in country.status_history),
            "events": tuple(view_event(site, self.citer, e) for e in country.events),
            "leaving": is_leaving(country), "why": why, "about": about, "shown_above": len(shown),
            "why_heading": f"Why {country.name} "
                           + ("left" if status.key == "withdrawn" else "is leaving") + ", as each source reports it",
            "unconfirmed": self.unconfirmed(country.unconfirmed),
            "why_question": next((Link(url_for(site, "compare/") + "#" + question_anchor(q.id), q.text)
                                  for q in why_questions(site)), None),
            "status_map": self.maps.of_country(country), "index": Link(url_for(site, "countries/"), "Countries"),
        })

    def why_leaving(self, country: Country, concerning: list[Claim]) -> tuple[WhyGroup, ...]:
        """The reasons each source gives: claims about this country, and those about the withdrawals in general.

        A claim about 'the withdrawals' in general names no leaving country (often only Russia); it is shown for
        every leaving country that its source writes about, after the claims naming the country itself.
        """
        site = self.site
        why = {q.id: q for q in why_questions(site)}
        leaving_ids = {c.id for c in self.groups["leaving"]}
        sources = {c.source_id for c in concerning}

        def reasons(claims: Iterable[Claim]) -> list[tuple[str, Reason]]:
            found = []
            for claim in claims:
                for answer in claim.answers:
                    if answer.question_id in why:
                        text = display_value(answer.value, why[answer.question_id], site.countries)
                        href = url_for(site, "compare/") + "#" + question_anchor(answer.question_id)
                        found.append((claim.source_id, Reason(text, href, self.view(claim))))
            return found

        specific = reasons(concerning)
        general = reasons(c for source_id in sorted(sources) for c in self.claims_of.get(source_id, [])
                          if not leaving_ids & set(c.countries))
        groups = []
        for source_id in sorted({s for s, _ in specific + general}, key=lambda s: (site.sources[s].outlet, s)):
            source = site.sources[source_id]
            groups.append(WhyGroup(source.outlet, url_for(site, source_rel(source_id)), published_text(source),
                                   tuple(r for s, r in specific if s == source_id),
                                   tuple(r for s, r in general if s == source_id)))
        return tuple(groups)

    def country_facts(self, country: Country) -> tuple[FactLine, ...]:
        facts = []
        if country.nato:
            facts.append(FactLine("NATO member", "Yes" if country.nato.value else "No", country.nato.note,
                                  self.citer.links(country.nato.cite)))
        for neighbour, value in sorted(country.borders.items()):
            facts.append(FactLine(f"Borders {neighbour.title()}", "Yes" if value.value else "No", value.note,
                                  self.citer.links(value.cite)))
        if country.armed_conflict:
            facts.append(FactLine("Engaged in an armed conflict", "Yes" if country.armed_conflict.value else "No",
                                  country.armed_conflict.note, self.citer.links(country.armed_conflict.cite)))
        if country.never_joined:
            facts.append(FactLine("Party to the Convention", "Never joined", None,
                                  self.citer.links(country.never_joined)))
        return tuple(facts)

    # ------------------------------------------------------------ the map over time
    def map_series(self) -> Page:
        site = self.site
        self.citing("map/", "The map over time")
        series, legend, per_month = self.maps.series(self.citer)
        start, today = PartialDate.of(series[0].on).human, PartialDate.of(site.config.as_of).human
        description = (f"How each country's status under the Ottawa Convention changed from {start} to {today}: "
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

    # ------------------------------------------------------------ compare
    def compare(self) -> Page:
        site = self.site
        self.citing("compare/", "What the sources say")
        outlets = Counter(s.outlet for s in site.sources.values())
        seen: dict[str, Link] = {}
        questions = tuple(self.question(site.questions[qid], comparison, outlets, seen)
                          for qid, comparison in site.comparisons.items())
        outlets = " and ".join(sorted(s.outlet for s in site.sources.values()))
        description = (f"{len(questions)} questions put to {outlets}: each source's answer side by side with "
                       "its exact words, whether they agree, and what the references say.")
        sources = tuple(Link(url_for(site, source_rel(s.id)), s.outlet, s.title)
                        for s in sorted(site.sources.values(), key=lambda s: (s.outlet, s.id)))
        return self.page("compare", "compare.html", "compare/", "What the sources say", description, "compare",
                         {"questions": questions, "matrix": self.matrix(), "sources": sources,
                          "grid_sources": sources if len(sources) <= GRID_SOURCES else (),
                          "findings": self.findings(), "verdict_counts": self.verdict_counts(),
                          "verdicts": tuple((key, VERDICT_SYMBOLS[key], VERDICTS[key], VERDICT_MEANINGS[key])
                                            for key in VERDICTS if key != "none"),
                          "judgements": tuple(
                              (key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a later event"))
                              for key in JUDGEMENTS)})

    def matrix(self) -> tuple[MatrixRow, ...]:
        """The comparison as a grid: a row per question, a cell per source (in the sources' order), its verdict.

        Past GRID_SOURCES sources a column each would be unreadable (and, at newsroom scale, millions of cells):
        the rows then keep only the question and its verdict.
        """
        site = self.site
        sources = sorted(site.sources.values(), key=lambda s: (s.outlet, s.id))
        if len(sources) > GRID_SOURCES:
            sources = []
        rows = []
        for question_id, comparison in site.comparisons.items():
            question = site.questions[question_id]
            href = "#" + question_anchor(question_id)
            answers = {a.source_id: a for a in comparison.answers}
            cells = []
            for source in sources:
                answer = answers.get(source.id)
                mark = comparison.verdict if answer else "none"
                symbol, label = MARKS[mark]
                text = short_answer(answer, question, site.countries) if answer else ""
                check = view_check(self.citer, answer.judgement) if answer and answer.judgement else None
                cells.append(MatrixCell(source.outlet, text, answer.display if answer else "", mark, symbol, label,
                                        check, href))
            rows.append(MatrixRow(question.text, href, tuple(cells), comparison.verdict, comparison.verdict_label,
                                  VERDICT_SYMBOLS[comparison.verdict]))
        return tuple(rows)

    def question(self, question: Question, comparison: Comparison, outlets: Counter[str],
                 seen: dict[str, Link] | None = None) -> QuestionView:
        """A question with each source's answer; `outlets` counts the sources of each outlet. A claim already
        shown under an earlier question (in `seen`, which this fills) is linked there rather than shown again."""
        site = self.site
        seen = {} if seen is None else seen
        here = Link(url_for(site, "compare/") + "#" + question_anchor(question.id), question.text)
        answers = []
        for a in comparison.answers:
            first = [cid for cid in a.claim_ids if cid not in seen]
            again = tuple(Link(seen[cid].href, f"claim {self.numbers[cid]}", seen[cid].text)
                          for cid in a.claim_ids if cid in seen)
            seen.update((cid, here) for cid in first)
            answers.append(AnswerView(site.sources[a.source_id].outlet, url_for(site, source_rel(a.source_id)),
                                      published_text(site.sources[a.source_id]), a.display,
                                      view_check(self.citer, a.judgement) if a.judgement else None,
                                      tuple(self.view(site.claims[cid]) for cid in first), again))
        references = tuple(
            ReferenceAnswer(display_value(r.value, question, site.countries), r.note, self.citer.links(r.cite),
                            r.since)
            for r in question.references if r.since is None or r.since <= site.config.as_of
        )
        # The outlets of the sources that give no answer, each once with how many of its articles: a newsroom's
        # site may have thousands of articles from one outlet, and its name thousands of times says nothing.
        answered = Counter(site.sources[s].outlet for s in {a.source_id for a in comparison.answers})
        unanswered = [outlet if count == 1 else f"{outlet} ({count:,} articles)"
                      for outlet, count in sorted((outlets - answered).items())]
        anchor = question_anchor(question.id)
        timing = tuple(CitedText(note.text, self.citer.links(note.cite)) for note in comparison.timing)
        return QuestionView(question.id, anchor, url_for(site, "compare/") + "#" + anchor, question.text,
                            comparison.verdict, comparison.verdict_label, VERDICT_SYMBOLS[comparison.verdict],
                            comparison.differences, timing, tuple(answers), references, tuple(unanswered))

    def findings(self) -> tuple[Finding, ...]:
        """Where a source is wrong, where the sources contradict each other, where a source is imprecise, and
        where they differ only because of timing: in that order, each once."""
        if self._findings is not None:
            return self._findings
        site = self.site
        compare_href = url_for(site, "compare/")
        found: dict[str, list[Finding]] = {"wrong": [], "contradict": [], "timing": [], "imprecise": []}
        flagged: set[tuple[str, str]] = set()  # (kind, claim id): a claim already named needs no answer line
        for claim in self.claims:
            check = judge_claim(claim, site.sources[claim.source_id], site.config.as_of)
            if check.key in ("wrong", "imprecise"):
                flagged.add((check.key, claim.id))
                found[check.key].append(Finding(
                    check.key, check.label, site.sources[claim.source_id].outlet,
                    "\u201c" + clip(claim.quote, QUOTE_IN_FINDING) + "\u201d", first_sentence(check.says),
                    url_for(site, source_rel(claim.source_id)) + "#" + claim_entry_anchor(claim.id)))
        for question_id, comparison in site.comparisons.items():
            question = site.questions[question_id]
            href = compare_href + "#" + question_anchor(question_id)
            for answer in comparison.answers:
                check = answer.judgement
                if check and check.key in ("wrong", "imprecise") and not any(
                        (check.key, claim_id) in flagged for claim_id in answer.claim_ids):
                    found[check.key].append(Finding(
                        check.key, check.label, site.sources[answer.source_id].outlet,
                        f"answers \u201c{question.text}\u201d with {answer.display}", first_sentence(check.says),
                        href))
            if comparison.verdict in ("contradict", "timing"):
                found[comparison.verdict].append(Finding(
                    comparison.verdict, comparison.verdict_label, None, question.text,
                    " ".join(comparison.differences), href))
        self._findings = tuple(f for kind in found.values() for f in kind)
        return self._findings

    def verdict_counts(self) -> tuple[tuple[str, int, str], ...]:
        """How many questions have each verdict: (key, count, 'where …')."""
        counts = Counter(c.verdict for c in self.site.comparisons.values())
        return tuple((key, counts[key], VERDICT_TALLY[key]) for key in VERDICTS if counts[key])

    # ------------------------------------------------------------ sources
    def sources(self) -> Page:
        site = self.site
        rows = tuple(
            {"href": url_for(site, source_rel(s.id)), "outlet": s.outlet, "title": s.title,
             "published": published_text(s), "claims": len(self.claims_of.get(s.id, ())),
             "passages": len(s.passages), "url": s.url, "scorecard": self.scorecard(s)}
            for s in sorted(site.sources.values(), key=lambda s: (s.outlet, s.id))
        )
        description = ("The articles this explainer is built on, word for word, with every quote highlighted and "
                       "the parts that are not reporting marked.")
        return self.page("sources", "sources.html", "sources/", "Sources", description, "sources",
                         {"sources": rows})

    def scorecard(self, source: Source) -> Scorecard:
        counts = Counter(judge_claim(c, source, self.site.config.as_of).key for c in self.claims_of.get(source.id, ()))
        total = sum(counts.values())
        return Scorecard(tuple((key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a later event"),
                                counts[key]) for key in JUDGEMENTS if counts[key]),
                         total - counts["unchecked"], total)

    def source(self, source: Source) -> Page:
        site = self.site
        rel = source_rel(source.id)
        self.citing(rel, source.title)
        claims = tuple(self.view(c) for c in self.claims_of.get(source.id, ()))
        passages = tuple(view_passage(p) for p in source.passages)
        description = (f"{source.outlet}, \u201c{source.title}\u201d: the full text as captured, "
                       f"{len(claims)} claims highlighted where they appear and checked against the references.")
        reviews = [self.claim_review_ld(site.claims[c.id], source, c.check) for c in claims
                   if c.check.key != "unchecked"]
        article = self.article_ld(rel, source.title, description, isBasedOn=source.url, about={
            "@type": "NewsArticle", "headline": source.title, "url": source.url, "inLanguage": source.language,
            "publisher": {"@type": "Organization", "name": source.outlet},
        })
        return self.page("source", "source.html", rel, source.title, description, "sources", {
            "source": source, "outlet_label": source.outlet, "published": published_text(source),
            "retrieved": source.retrieved.window.human,
            "blocks": cut_body(site, source, self.numbers, self.claims_of.get(source.id, [])),
            "passages": passages, "claims": claims, "language": language_name(source.language),
            "index": Link(url_for(site, "sources/"), "Sources"), "scorecard": self.scorecard(source),
            "dating_cites": self.citer.links(source.published.cite),
        }, json_ld=[article, *reviews])

    def claim_review_ld(self, claim: Claim, source: Source, check: CheckView) -> dict[str, Any]:
        author: dict[str, Any] = {"@type": "Organization", "name": source.outlet}
        if claim.speaker and claim.kind in ("quote", "paraphrase", "social-post"):
            author = {"@type": "Person" if claim.kind == "social-post" else "Thing", "name": claim.speaker}
        item: dict[str, Any] = {"@type": "Claim", "author": author, "appearance": {
            "@type": "CreativeWork", "url": source.url, "headline": source.title,
            "publisher": {"@type": "Organization", "name": source.outlet}}}
        if claim.when:
            item["datePublished"] = claim.when.iso
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
        views = tuple(
            ReferenceView(r.id, reference_anchor(r.id), r.id.upper(), r.statement, r.value, r.confidence,
                          tuple(view_page(p) for p in (r, *r.also) if p.url or p.excerpt),
                          tuple(self.citer.cited_on.get(r.id, ())[:CITED_ON_SHOWN]),
                          max(0, len(self.citer.cited_on.get(r.id, ())) - CITED_ON_SHOWN))
            for r in site.references.values()
        )
        # Grouped by what they are about, countries first: the contents list is the page's filter, and works
        # without a script.
        by_subject: dict[str, list[ReferenceView]] = {}
        for view, reference in zip(views, site.references.values(), strict=True):
            by_subject.setdefault(reference.subject, []).append(view)
        names = {c.name.lower(): c.name for c in site.countries.values()}
        order = sorted(by_subject, key=lambda subject: (subject not in names, names.get(subject, "")))
        groups = tuple((f"subject-{subject}", names.get(subject) or subject.replace("-", " ").capitalize(),
                        tuple(by_subject[subject])) for subject in order)
        description = (f"The {len(views)} background facts the site relies on, each with its statement, a "
                       "verbatim excerpt, and the outlet, date and address of the page it comes from.")
        return self.page("references", "references.html", "references/", "References", description,
                         "references", {"groups": groups,
                                        "unconfirmed": sum(v.confidence == "unconfirmed" for v in views)})

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

    def verdict_examples(self) -> tuple[tuple[str, str, str, str, Link | None], ...]:
        """Each verdict, what it means, and the first question of this site that has it."""
        site = self.site
        first: dict[str, Link] = {}
        for question_id, comparison in site.comparisons.items():
            first.setdefault(comparison.verdict, Link(url_for(site, "compare/") + "#" + question_anchor(question_id),
                                                      site.questions[question_id].text))
        return tuple((key, VERDICT_SYMBOLS[key], VERDICTS[key], VERDICT_MEANINGS[key], first.get(key))
                     for key in VERDICTS)

    def judgement_examples(self) -> tuple[tuple[str, str, str, str, Link | None], ...]:
        """Each judgement, what it means, and the first claim (or else answer) of this site that has it."""
        site = self.site
        first: dict[str, Link] = {}
        for claim in self.claims:
            check = judge_claim(claim, site.sources[claim.source_id], site.config.as_of)
            first.setdefault(check.key, Link(claim_href(site, claim), site.sources[claim.source_id].outlet + ": \u201c"
                                             + clip(claim.quote, QUOTE_IN_FINDING) + "\u201d", check.label))
        for question_id, comparison in site.comparisons.items():
            for answer in comparison.answers:
                if answer.judgement:
                    first.setdefault(answer.judgement.key, Link(
                        url_for(site, "compare/") + "#" + question_anchor(question_id),
                        f"{site.sources[answer.source_id].outlet}\u2019s answer to "
                        f"\u201c{site.questions[question_id].text}\u201d", answer.judgement.label))
        return tuple((key, JUDGEMENT_SYMBOLS[key], JUDGEMENTS[key].format(date="a date"), JUDGEMENT_MEANINGS[key],
                      first.get(key)) for key in JUDGEMENTS)

    def change_views(self) -> tuple[ChangeView, ...]:
        """The change log, newest first."""
        return tuple(ChangeView(anchor, change.date, change.kind, CHANGE_KINDS[change.kind], change.text,
                                self.citer.links(change.cite)) for anchor, change in anchored_changes(self.site))

    def changes(self) -> Page:
        site = self.site
        self.citing(CHANGES, "What changed")
        description = ("What changed in this site's facts and when: new sources and references, corrected reviews "
                       "and status changes, newest first, with an Atom feed.")
        return self.page("changes", "changes.html", CHANGES, "What changed", description, "methodology", {
            "changes": self.change_views(), "feed": Link(url_for(site, FEED), "Atom feed of these changes"),
            "methodology": Link(url_for(site, "methodology/") + "#corrections", "Corrections policy"),
        })

    def search(self) -> Page:
        site = self.site
        description = f"Search every page, claim and reference of {site.config.title}."
        return self.page("search", "search.html", "search/", "Search", description, "search", {
            "bundle": url_for(site, "pagefind/"), "script": url_for(site, "assets/search.js"),
        })

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


@functools.cache
def language_name(tag: str) -> str:
    """'en' -> 'English (en)': the reader gets a word, the tag stays visible for the record."""
    primary = tag.split("-", 1)[0]
    if len(primary) == 2:
        name = LANGUAGE_NAMES.get(primary)
    else:  # rare: pycountry's whole database is read only for a three-letter tag
        import pycountry

        found = pycountry.languages.get(alpha_3=primary)
        name = found.name if found else None
    return f"{name} ({tag})" if name else tag


def or_list(items: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1] if items else ""


def article_lines(text: str) -> tuple[ArticleLine, ...]:
    """An article's wording line by line, each with its depth of indentation (sub-paragraphs a), (i)...)."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    indents = sorted({len(line) - len(line.lstrip()) for line in lines})
    return tuple(ArticleLine(line.strip(), indents.index(len(line) - len(line.lstrip()))) for line in lines)


def anchored_changes(site: Site) -> list[tuple[str, Change]]:
    """Each change-log entry with its anchor: its date and its place among that day's entries (the feed's ids)."""
    counts: Counter[date] = Counter()
    found = []
    for change in site.changes:
        counts[change.date] += 1
        found.append((f"change-{change.date.isoformat()}-{counts[change.date]}", change))
    return found


PageJob = tuple[str, str | None]  # a Planner method and the id of the record it shows


def page_jobs(site: Site) -> list[PageJob]:
    """Every page but the references page, in the site map's order; each can be planned on its own."""
    jobs: list[PageJob] = [("home", None), ("treaty", None), ("countries", None)]
    jobs += [("country", country_id) for country_id in sorted(site.countries)]
    jobs += [("map_series", None), ("compare", None), ("sources", None)]
    jobs += [("source", source_id) for source_id in sorted(site.sources)]
    jobs += [("methodology", None), ("changes", None), ("search", None), ("not_found", None)]
    return jobs


def page_inputs(planner: Planner, job: PageJob) -> tuple[Any, ...] | None:
    """The records a source or country page is made from, besides what every page shares (the site's settings,
    questions, countries, references, treaty and templates); None for a page made from more, or from all.

    A warm builder keeps each page with these: while they are the very same objects, the page is the same. (A
    claim's review cites references only, so no other claim shows in a claim's entry.)
    """
    site = planner.site
    method, record_id = job
    if method == "source":
        return (site.sources[str(record_id)], *planner.claims_of.get(str(record_id), []))
    if method == "country" and not is_leaving(site.countries[str(record_id)]):  # a leaving country's page also
        claims = planner.claims_about.get(str(record_id), [])  # shows the claims about the withdrawals at large
        return (*claims, *(site.sources[c.source_id] for c in claims))
    return None


def plan_pages(site: Site, templates_dir: Path | None = None) -> list[Page]:
    """Every page of the site, one per URL; the references page comes last so it knows where each is cited.

    The maps' geometry is read from `templates_dir`/geo (the site's own templates), by default the project's.
    """
    planner = Planner(site, templates_dir)
    return [planner.plan(job) for job in page_jobs(site)] + [planner.references()]
