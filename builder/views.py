"""What templates receive: a record for everything a page shows, each computed from the model (views), and the
rules that decide it (which countries are leaving, how a citation is linked, how an answer is shortened)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .cards import Card
from .compare import CLAIM_ORDER, display_value
from .iso_codes import LANGUAGE_NAMES
from .model import (
    JUDGEMENTS,
    AnswerValue,
    Citation,
    Claim,
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
    foreign,
)
from .rules import LEAVING, Rules
from .urls import (
    claim_anchor,
    claim_entry_anchor,
    claim_href,
    country_rel,
    original_url,
    question_href,
    reference_anchor,
    source_rel,
    url_for,
)

# Pages in the order the navigation lists them: (key, relative URL, link text).

SECTIONS = (
    ("treaty", "treaty/", ""),  # the agreement's label, from content/rules.yaml (sections())
    ("countries", "countries/", "Countries"),
    ("map", "map/", "Map"),
    ("compare", "compare/", "What the sources say"),
    ("sources", "sources/", "Sources"),
    ("references", "references/", "References"),
    ("methodology", "methodology/", "Methodology"),
)

if TYPE_CHECKING:
    from .mapviews import MapRow


# The roles (content/rules.yaml) of the steps a timeline marks more strongly than the others: each way out.
STEP_ROLES = (*LEAVING, "suspension")
# The kind of a claim in one word, for the numbered label that follows its highlight in a source's text.
KIND_SHORT = {k: k for k in ("reporting", "quote", "paraphrase", "opinion")} | {"social-post": "embedded post"}
# A reference cited all over a large site lists the first pages that cite it, then how many more.
CITED_ON_SHOWN = 12
# A checked claim's standing as schema.org's ClaimReview rates it, worst first.
# "Imprecise if written before" a date is between imprecise and the right-when-written ones: imprecise on some of
# its source's possible dates, not imprecise in that way on the others, and the references do not say which.
RATING_SCALE = {"wrong": 1, "imprecise": 2, "imprecise-if": 3, "incomplete": 3, "right-if": 4, "overtaken": 4,
                "contested": 4, "right": 5}
# Each judgement's sign, so that a reader tells them apart without colour (always shown with the words); one that
# holds if written before a date has the sign of what it is then.
JUDGEMENT_SYMBOLS = {"wrong": "\u2717", "imprecise": "\u2248", "imprecise-if": "\u2248", "incomplete": "\u25d0",
                     "right-if": "\u2713", "overtaken": "\u2713", "contested": "\u2713", "right": "\u2713",
                     "unchecked": "?"}
# The maps draw every status builder.status computes but "joining" (joined, not yet in force), drawn as signed.
MAP_STATUS = {"joining": "signed"}
# The order of a map's legend and table: inside the Convention, on the way out, outside it, then the rest.
STATUS_ORDER = ("party", "signed", "joining", "announced", "pending", "withdrawn", "disputed", "never-joined",
                "unknown", "none")
NOT_COVERED = "Not covered: no page on this site"
# A kind with more pages than this (a newsroom's thousands of sources) shares one card: a card takes 10 ms, a page 1.
CARDS_PER_KIND = 100
# What a share card calls each kind of page.
CARD_KICKERS = {"home": "Explainer", "countries": "Countries", "country": "Country",
                "map": "Map", "compare": "The sources compared", "sources": "Sources", "source": "Source",
                "references": "References", "methodology": "Methodology", "changes": "Change log",
                "search": "Search", "404": "Page not found"}
# A series with more dates of change than this shows one map per month (the status at its last change).
SERIES_MAX = 16
# The comparison grid shows an answer in a few words; the whole answer is in the question's detail below it.
SHORT_ANSWER = 44
# The home page's first screen says where the sources err or disagree in at most this many lines.
FINDINGS_ON_HOME = 3
# The grid has a column per source up to this many sources; with more, only each question's verdict.
GRID_SOURCES = 8
# How the grid marks a source's answer (beside its words): the verdict it shares, and no answer at all.
MARKS = {"agree": ("=", "Agrees"), "contradict": ("\u2260", "Contradicts"), "complement": ("+", "Other details"),
         "timing": ("\u29d6", "Differs in timing"), "only-one": ("1", "Only source"), "none": ("\u2013", "No answer")}
VERDICT_SYMBOLS = {key: symbol for key, (symbol, _) in MARKS.items()}
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
    quote: str = ""  # the source's words that follow `text` (ours): a headline, a claim's quote
    language: str | None = None  # the quote's language, where it is not the site's (marked so)
    note: str | None = None  # a claim's answer to a question: how it was read from the quote (shown with it)


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


# A claim's views are made for every claim before the pages (render._share_views): plain slotted classes, hashed
# and compared by their fields as frozen ones are, which take four times as long to make.
@dataclass(slots=True, unsafe_hash=True)
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


@dataclass(slots=True, unsafe_hash=True)
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
    quote_language: str | None = None  # the quote's language tag, where it is not the site's (marked in the page)
    title_language: str | None = None  # its source's headline's, likewise


@dataclass(frozen=True)
class StatusView:
    key: str  # the site's key for the status (its CSS class)
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
    notes: tuple[str, ...] = ()  # how the answer was read from the claims' quotes (the answers' notes)


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
    """One entry at the top of the comparison (and on the home page): where a source is wrong or imprecise, where
    the sources contradict each other, or where they differ only because of when they wrote."""

    kind: str  # wrong, contradict, imprecise, timing
    label: str
    outlet: str | None
    text: str
    reason: str | None  # the whole review: its first sentence alone may say only what the source got right
    href: str
    language: str | None = None  # the text's language tag, where it is a quote in another language than the site's


@dataclass(frozen=True)
class Standing:
    """Countries that stand alike on the site's date, as the home page's first lines say it."""

    countries: tuple[Link, ...]
    label: str
    key: str  # the site's key for the status (its CSS class)
    since: PartialDate | date
    cites: tuple[CiteLink, ...]


@dataclass(frozen=True)
class Scorecard:
    """How a source's claims stood against the references: a count per judgement, worst first."""

    counts: tuple[tuple[str, str, str, int], ...]  # (key, symbol, label, count), those with a count only
    checked: int
    total: int


# A scorecard's possible rows in order, each judgement's sign and words: the same for every source listed.
SCORE_ROWS = tuple((key, JUDGEMENT_SYMBOLS[key], label.format(date="a later event"))
                   for key, label in JUDGEMENTS.items())


@functools.cache  # a few dozen mixes of judgements among ten thousand sources
def view_scorecard(keys: tuple[str, ...]) -> Scorecard:
    """A source's scorecard from its claims' judgements (compare.judge_claim's keys), in any order."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    return Scorecard(tuple((key, symbol, label, counts[key]) for key, symbol, label in SCORE_ROWS if key in counts),
                     total - counts.get("unchecked", 0), total)


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
    language: str | None  # the passage's own (a post in another language): its text is marked so in the page
    label_language: str | None = None  # the site's, for our words within it, where its text is in another language


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
    more: str = ""  # what the pages after the first are: more excerpts of it, other pages (more_pages)
    logged_only: bool = False  # cited by the change log alone: a record of a correction, not a fact relied on


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
    of_claims: bool = False  # `check` is its claims' own: the references do not answer the question


@dataclass(frozen=True)
class DatedMap:
    """The map page's date control: the days it spans, the map it recolours, and each country's changes (as JSON:
    [day, map status, label, since as ISO, since in words] from the series' start, one per change a reader sees),
    with the map's pattern for each status, its key, and the countries outside the map as links for a phone."""

    start: date
    end: date
    svg: Markup
    rows: tuple[tuple[MapRow, str], ...]
    patterns: str
    legend: tuple[Any, ...] = ()  # mapviews.LegendEntry: every status the control can show
    insets: tuple[tuple[MapRow, Markup], ...] = ()


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

    def references_in(self, cites: Iterable[Citation]) -> tuple[str, ...]:
        """The references among the citations (those links() records): what record() is given."""
        return tuple(c.id for c in cites if c.kind != "claim" and c.id in self.site.references)

    def record(self, reference_ids: Iterable[str]) -> None:
        """What links() records of the page being planned, without making the links: a claim's view, made once,
        cites the same references (references_in) on every page that shows it."""
        for reference_id in reference_ids:
            self._note(reference_id)

    def _note(self, reference_id: str) -> None:
        """That the page being planned cites this reference (once a page)."""
        if self.current is not None and (reference_id, self.current) not in self.recorded:
            self.recorded.add((reference_id, self.current))
            self.cited_on.setdefault(reference_id, []).append(self.current)

    def link(self, citation: Citation) -> CiteLink:
        if citation.kind == "claim":
            claim = self.site.claims[citation.id]
            source = self.site.sources[claim.source_id]
            # The kind shows even in a citation: a sentence resting on a quote is not resting on reporting.
            return CiteLink("claim", claim_href(self.site, claim), f"{source.outlet}, {KIND_SHORT[claim.kind]}",
                            f"{claim.kind_label} in {source.outlet}: \u201c{claim.quote}\u201d",
                            source.outlet, published_text(source), source.url)
        reference = self.site.references[citation.id]
        self._note(citation.id)
        return CiteLink("ref", url_for(self.site, "references/") + "#" + reference_anchor(reference.id),
                        reference.id.upper(), reference.title or reference.statement, reference.outlet,
                        page_date(reference.published), reference.url)


# ---------------------------------------------------------------- shared views

def one_card(site: Site, kind: str) -> bool:
    """Whether the pages of a kind ('country', 'source') share one share card: more than CARDS_PER_KIND of them."""
    return len(site.countries if kind == "country" else site.sources) > CARDS_PER_KIND


def visible_claims(site: Site) -> list[Claim]:
    """The claims the site shows (never ingest's drafts), in the order of their sources and their text."""
    claims = [c for c in site.claims.values() if not c.draft]
    return sorted(claims, key=CLAIM_ORDER)


def claim_numbers(site: Site, visible: Iterable[Claim] | None = None) -> dict[str, int]:
    """Each claim's number within its source, in the order its quote appears in the text (`visible`: the site's
    visible_claims, where they are made already)."""
    numbers: dict[str, int] = {}
    counts: dict[str, int] = {}
    for claim in visible_claims(site) if visible is None else visible:
        counts[claim.source_id] = counts.get(claim.source_id, 0) + 1
        numbers[claim.id] = counts[claim.source_id]
    return numbers


def view_check(citer: Citer, judgement: Judgement) -> CheckView:
    later = judgement.later
    return CheckView(judgement.key, judgement.label, JUDGEMENT_SYMBOLS[judgement.key], judgement.says,
                     citer.links(judgement.cite), later.says if later else None, later.on if later else None,
                     citer.links(later.cite) if later else ())


def view_claim(site: Site, citer: Citer, claim: Claim, numbers: Mapping[str, int], judgement: Judgement,
               split_compare: bool = False) -> ClaimView:
    source = site.sources[claim.source_id]
    answers = tuple(
        Link(question_href(site, a.question_id, split_compare),
             display_value(a.value, site.questions[a.question_id], site.countries),
             site.questions[a.question_id].text, note=a.note)
        for a in claim.answers
    ) if claim.answers else ()
    passage = source.passage(claim.passage_id)
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
        entry_id=claim_entry_anchor(claim.id), original_href=original_url(source, claim),
        check=view_check(citer, judgement), answers=answers, passage_note=passage_note, when=claim.when,
        restates=restates(claim.quote, claim.says), quote_language=quote_language(site, claim, passage),
        title_language=foreign(source.language, site.config.language),
    )


def quote_language(site: Site, claim: Claim, passage: Passage | None = None) -> str | None:
    """Its quote's language tag (its passage's, given or found, else its source's) where not the site's: marked so."""
    source = site.sources[claim.source_id]
    passage = passage or source.passage(claim.passage_id)
    return foreign((passage and passage.language) or source.language, site.config.language)


def restates(quote: str, says: str) -> bool:
    """Whether a claim's plain words are mostly the quote's own words (two thirds of them or more)."""
    words = set(_WORDS.findall(says.lower()))
    return bool(words) and len(words & set(_WORDS.findall(quote.lower()))) >= len(words) * 2 / 3


_WORDS = re.compile(r"[a-z0-9]+")


def view_status(citer: Citer, status: Status) -> StatusView:
    return StatusView(status.site_key, status.label, status.on, status.since or status.on, status.explanation,
                      citer.links(status.cite))


def sections(site: Site) -> tuple[tuple[str, str, str], ...]:
    """The navigation's sections, the agreement's named as its rules say."""
    return tuple((key, rel, text or rules_of(site).agreement_nav) for key, rel, text in SECTIONS)


def rules_of(site: Site) -> Rules:
    """The site's topic rules: every validated site has them."""
    assert site.rules is not None, "a site made without content/rules.yaml"
    return site.rules


def view_event(site: Site, citer: Citer, event: Event) -> EventView:
    rules = rules_of(site)
    return EventView(event.date, event.kind, rules.label(event.kind), event.note, citer.links(event.cite),
                     event.date.first > site.config.as_of, event.kind in rules.kinds(*STEP_ROLES))


def is_contested(country: Country, rules: Rules) -> bool:
    """A state that took another path than leaving under the notice rule (a 'suspension', or steps while the fact
    that stops a withdrawal holds)."""
    blocker = country.fact(rules.blocked_by)
    return any(e.kind in rules.kinds("suspension") for e in country.events) or bool(
        blocker and blocker.value and any(e.kind in rules.kinds(*LEAVING) for e in country.events))


def is_leaving(country: Country, rules: Rules) -> bool:
    """A state on its way out of (or already out of) the agreement under its notice rule."""
    return any(e.kind in rules.kinds(*LEAVING) for e in country.events) and not is_contested(country, rules)


def country_groups(site: Site) -> dict[str, list[Country]]:
    """Countries as the pages group them: leaving, contested, and the others the sources name."""
    rules = rules_of(site)
    groups: dict[str, list[Country]] = {"leaving": [], "contested": [], "others": []}
    for country in sorted(site.countries.values(), key=lambda c: c.name):
        key = ("leaving" if is_leaving(country, rules) else "contested" if is_contested(country, rules)
               else "others")
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


def more_pages(pages: tuple[PageView, ...]) -> str:
    """What the pages after the first are, counted as pages: a second excerpt of one address is not another page."""
    first, rest = pages[0].url if pages else "", pages[1:]
    same = sum(1 for p in rest if p.url and p.url == first)
    others = len({p.url or str(i) for i, p in enumerate(rest) if not (p.url and p.url == first)})
    parts = ([f"{same} more excerpt{'s' if same > 1 else ''} of this page"] if same else []) + (
        [f"{others} more {'page says' if others == 1 else 'pages say'} the same"] if others else [])
    return ", and ".join(parts)


def why_questions(site: Site) -> list[Question]:
    """The questions that ask why the countries are leaving."""
    return [q for q in site.questions.values() if q.id.startswith("why") or q.text.lower().startswith("why")]


def _day_of(when: PartialDate | date) -> date:
    return when.first if isinstance(when, PartialDate) else when


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
    """The latest dated event (a country's, or a treaty fact's) the references establish by the site's date: nothing
    later has been checked. Latest by its last day (a month's may be its end), then by its first."""
    dates = [e.date for c in site.countries.values() for e in c.events] + [f.date for f in site.treaty.facts if f.date]
    return max((d for d in dates if d.last <= site.config.as_of), key=lambda d: (d.last, d.first, not d.by),
               default=None)  # an exact day before one known only as "on or before" it


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
