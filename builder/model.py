"""Frozen records for the explainer's nouns: source, claim, question, country, treaty, reference, site."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from .urls import base_path

if TYPE_CHECKING:
    from .rules import Rules

CLAIM_KINDS = {
    "reporting": "Reporting",
    "quote": "Quote",
    "paraphrase": "Attributed paraphrase",
    "opinion": "Outlet's opinion or analysis",
    "social-post": "Embedded social-media post",
}
PASSAGE_KINDS = {
    "social-post": "Embedded social-media post",
    "donation-appeal": "Donation appeal",
    "advertising": "Advertising",
    "player-prompt": "Audio player prompt",
    "caption": "Caption",
    "read-more": "Read-more link",
    "promo": "Promotion or newsletter box",
    "byline": "Byline",
    "dateline": "Dateline",
    "credit": "Agency or editor credit",
    "related": "Related-stories list",
    "cross-reference": "Cross-reference",
}
UNQUOTABLE_PASSAGES = {"donation-appeal", "advertising", "player-prompt", "read-more", "promo", "byline", "dateline",
                       "credit", "related", "cross-reference"}
# What an editor rates a claim, as the references stood when its source wrote (a later change is `overtaken`).
RATINGS = {
    "accurate": "Accurate",
    "inaccurate": "Inaccurate",
    "imprecise": "Imprecise",
    "unchecked": "Not checked",
}
# What the site tells a reader of a claim or an answer, computed from the rating, the dates and the references.
JUDGEMENTS = {
    "wrong": "Wrong when written",
    "imprecise": "Imprecise",
    "imprecise-if": "Imprecise if written before {date}",
    "incomplete": "Incomplete",
    "right-if": "Right if written before {date}",
    "overtaken": "Right when written, since overtaken",
    "contested": "Right when written, since contested",
    "right": "Right when written",
    "unchecked": "Not checked against the references",
}
# How the sources' answers to one question relate, computed from the answers and their dates.
VERDICTS = {
    "contradict": "Sources contradict each other",
    "timing": "They differ because of timing",
    "complement": "Different details, compatible",
    "agree": "Sources agree",
    "only-one": "Only one source",
    "none": "No source answers",
}
ANSWER_TYPES = ("countries", "points", "date", "number", "text")
# The statuses the builder computes, by its own keys; a site may give any its own words and its own key
# (content/rules.yaml's `statuses` and `status_keys`).
STATUSES = {
    "never-joined": "Never joined",
    "signed": "Signed, not yet a party",
    "joining": "Joined, not yet in force",
    "party": "State Party",
    "announced": "State Party, withdrawal announced",
    "pending": "State Party, withdrawal pending",
    "withdrawn": "Withdrawn",
    "disputed": "Status disputed",
    "unknown": "Not established",
}
# A citation written into a Markdown text (the methodology): [ref:ID] or [claim:ID].
CITATION_MARK = re.compile(r"\[(ref|claim):([^\]\s]+)\]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year; or (`by`) only as on or before a day: the day the first
    page that records the event was written, where the pages of a build's day do not give the event's own."""

    year: int
    month: int | None = None
    day: int | None = None
    by: bool = False

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        if self.day:
            return self.first
        if self.month:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p]
        return "-".join(parts)

    @property
    def on(self) -> str:
        """'on 18 March 2025', 'in July 2025' or 'in 2025', as a sentence needs it."""
        return f"on {self.human}" if self.day else f"in {self.human}"

    @property
    def human(self) -> str:
        if self.by:  # reads in every place a date does: "deposited on 29 June 2025 or earlier", "pending since ..."
            return f"{replace(self, by=False).human} or earlier"
        if self.day and self.month:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)


@dataclass(frozen=True)
class DateWindow:
    """What is known of when something happened: a range, either end possibly open."""

    not_before: date | None = None
    not_after: date | None = None

    @property
    def exact(self) -> date | None:
        return self.not_before if self.not_before and self.not_before == self.not_after else None

    def overlaps(self, other: DateWindow) -> bool:
        starts_before_other_ends = not (self.not_before and other.not_after and self.not_before > other.not_after)
        ends_after_other_starts = not (self.not_after and other.not_before and self.not_after < other.not_before)
        return starts_before_other_ends and ends_after_other_starts

    @property
    def human(self) -> str:
        return _window_words(self)


def same_language(tag: str, other: str) -> bool:
    """Whether two language tags name one language (en-GB is en): text is marked only where it is another."""
    return tag.split("-")[0].lower() == other.split("-")[0].lower()


@functools.cache  # asked of every claim's quote and source: a handful of languages
def foreign(tag: str, site_language: str) -> str | None:
    """The tag, if it is not the site's language: the pages mark text in it so (lang)."""
    return None if same_language(tag, site_language) else tag


@functools.cache  # ten thousand sources have a few hundred windows, each shown on several pages
def _window_words(window: DateWindow) -> str:
    """DateWindow.human: the day when it is exact, else the ends that are known."""
    if window.exact:
        return PartialDate.of(window.exact).human
    if window.not_before and window.not_after:
        return f"between {PartialDate.of(window.not_before).human} and {PartialDate.of(window.not_after).human}"
    if window.not_before:
        return f"not before {PartialDate.of(window.not_before).human}"
    if window.not_after:
        return f"not after {PartialDate.of(window.not_after).human}"
    return "unknown"


@dataclass(frozen=True)
class Citation:
    kind: Literal["ref", "claim"]
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Dating:
    """A date as established for a source: the window, how it was inferred, and what that rests on."""

    window: DateWindow
    how: str
    cite: tuple[Citation, ...] = ()

    @property
    def inferred(self) -> bool:
        """Whether the date was worked out rather than shown: then it is never stated as a plain fact."""
        return self.window.exact is None


@dataclass(frozen=True)
class Support:
    """A further page that supports a reference's fact, with its own verbatim excerpt."""

    url: str
    title: str
    outlet: str
    excerpt: str
    language: str
    translation: str = ""  # ours, where the excerpt is not in English
    published: PartialDate | None = None


@dataclass(frozen=True)
class Reference:
    """A background fact from a stored public document, copied with its URL and verbatim excerpt.

    `outlet` names who published the page; `published` is the page's date where the page states it; `language`
    is the excerpt's, and `translation` our English rendering of an excerpt in another language. `also` lists
    further pages, each with its own excerpt, for the parts of the fact the first page does not carry."""

    id: str
    subject: str
    statement: str
    value: str
    url: str
    title: str
    excerpt: str
    confidence: Literal["confirmed", "unconfirmed"]
    outlet: str = ""
    language: str = ""
    translation: str = ""
    published: PartialDate | None = None
    also: tuple[Support, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A part of a source's body that is not the outlet's own reporting."""

    id: str
    kind: str
    start: int
    end: int
    text: str
    note: str
    author: str | None = None
    handle: str | None = None
    posted: date | None = None
    related: bool = True
    language: str | None = None  # its language tag, where it is not the source's (a post in Spanish, say)

    @property
    def label(self) -> str:
        return PASSAGE_KINDS[self.kind]


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    title: str
    url: str
    language: str
    published: Dating
    retrieved: Dating
    body: str  # the text, verbatim
    passages: tuple[Passage, ...]
    outlet_url: str | None = None
    section: str | None = None
    byline: str | None = None
    byline_note: str | None = None
    captured_as: str | None = None
    src_path: str = ""

    def passage(self, passage_id: str | None) -> Passage | None:
        """The passage of this id (a claim's `passage_id`: the embedded post its quote is in), if any."""
        return next((p for p in self.passages if p.id == passage_id), None) if passage_id else None


@dataclass(frozen=True)
class AnswerValue:
    """A structured answer: exactly one of the fields is set, as the question's type says."""

    items: tuple[str, ...] = ()
    window: DateWindow | None = None
    number: float | None = None
    text: str | None = None


@dataclass(frozen=True)
class Answer:
    question_id: str
    value: AnswerValue
    note: str | None = None
    complete: bool = False  # the source says its set is the whole answer, so another's extra item contradicts it


@dataclass(frozen=True)
class ReferenceValue:
    """What the references establish as a question's answer from a date on (None: from the start)."""

    since: date | None
    value: AnswerValue
    cite: tuple[Citation, ...]
    note: str | None = None
    contested: bool = False  # the answer is in dispute from `since`: an earlier one is "since contested", not wrong
    earlier: tuple[EarlierNote, ...] = ()  # the note as the pages of earlier days word it, oldest first


@dataclass(frozen=True)
class Overtaken:
    """A later event that changed what was right when the source wrote (of an imprecise claim: made what it says
    come true, so that written on or after that day it would not be imprecise in that way), or (`contested`) put
    it in dispute: a reader is not told the answer is now otherwise when the references only dispute it."""

    on: PartialDate
    says: str
    cite: tuple[Citation, ...]
    contested: bool = False
    earlier: tuple[EarlierNote, ...] = ()  # `says` as the pages of earlier days word it, oldest first

    @property
    def key(self) -> str:
        """Its field in a review, and the judgement of what was right before it."""
        return "contested" if self.contested else "overtaken"


@dataclass(frozen=True)
class Review:
    """A claim checked against the references."""

    rating: str
    says: str
    cite: tuple[Citation, ...]
    overtaken: Overtaken | None = None  # or contested: see Overtaken
    earlier: Review | None = None  # the check as earlier pages settle it, for a day before `cite`'s pages

    @property
    def label(self) -> str:
        return RATINGS[self.rating]


@dataclass(frozen=True)
class Judgement:
    """A claim or an answer against the references: as they stood when its source wrote, and on the site's date."""

    key: str
    label: str
    says: str | None = None
    cite: tuple[Citation, ...] = ()
    later: Overtaken | None = None  # what changed since, shown only when it happened by the site's date


@dataclass(frozen=True)
class Claim:
    id: str
    source_id: str
    quote: str  # as the editor typed it: white space, quote marks and dashes may differ from the source's
    says: str
    kind: str
    span: tuple[int, int]  # where the quote is in its source's body
    speaker: str | None = None
    countries: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    when: PartialDate | None = None
    answers: tuple[Answer, ...] = ()
    review: Review | None = None
    passage_id: str | None = None
    draft: bool = False

    @property
    def kind_label(self) -> str:
        return CLAIM_KINDS[self.kind]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    type: str
    options: dict[str, str] = field(default_factory=dict)
    references: tuple[ReferenceValue, ...] = ()  # oldest first

    def reference_on(self, day: date) -> ReferenceValue | None:
        """The references' answer in force on `day`, if any."""
        found = None
        for value in self.references:
            if value.since is None or value.since <= day:
                found = value
        return found


@dataclass(frozen=True)
class CitedValue:
    value: bool
    cite: tuple[Citation, ...]
    note: str | None = None


@dataclass(frozen=True)
class EarlierNote:
    """An event's note or a treaty fact's value, with its citations, as a build as of a day before `before` shows
    it: the words the pages of those days carry, where the record's own name a later page (dated.worded_on)."""

    before: date
    text: str
    cite: tuple[Citation, ...]
    by: date | None = None  # an event's: its date as those pages give it, on or before this day (PartialDate.by)


@dataclass(frozen=True)
class Event:
    kind: str
    date: PartialDate
    cite: tuple[Citation, ...]
    note: str | None = None
    earlier: tuple[EarlierNote, ...] = ()  # oldest first


@dataclass(frozen=True)
class Status:
    """A country's standing under the treaty on one date, with the reason and what it rests on."""

    key: str
    on: date
    explanation: str
    cite: tuple[Citation, ...] = ()
    since: PartialDate | None = None  # the event that brought this status, as precisely as it is known
    label: str = ""  # the status in words: content/rules.yaml's, else the generator's (STATUSES)
    site_key: str = ""  # the key the site writes (CSS classes, site.json): content/rules.yaml's, else `key`

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", STATUSES[self.key])
        if not self.site_key:
            object.__setattr__(self, "site_key", self.key)


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    iso2: str
    events: tuple[Event, ...]
    # The background facts content/rules.yaml declares, by field id: a cited yes/no, or one per name (borders).
    background: dict[str, CitedValue | dict[str, CitedValue] | None] = field(default_factory=dict)
    never_joined: tuple[Citation, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    effective_date: date | None = None
    status_today: Status | None = None
    status_history: tuple[Status, ...] = ()

    def fact(self, field_id: str | None) -> CitedValue | None:
        """A yes/no background fact, if the country states it."""
        value = self.background.get(field_id) if field_id else None
        return value if isinstance(value, CitedValue) else None


@dataclass(frozen=True)
class TreatyFact:
    id: str
    label: str
    value: str
    cite: tuple[Citation, ...]
    date: PartialDate | None = None
    earlier: tuple[EarlierNote, ...] = ()  # oldest first


@dataclass(frozen=True)
class Article:
    number: str
    title: str
    text: str
    summary: str
    cite: tuple[Citation, ...]
    earlier: tuple[EarlierNote, ...] = ()  # the summary as earlier pages word it, oldest first (dated.article_on)


@dataclass(frozen=True)
class TextSource:
    """Where the quoted article texts come from, said as plainly as it is: a copy is named a copy."""

    name: str
    url: str
    note: str


@dataclass(frozen=True)
class Treaty:
    name: str
    name_cite: tuple[Citation, ...]
    short_names: tuple[str, ...]
    facts: tuple[TreatyFact, ...]
    articles: tuple[Article, ...]
    unconfirmed: tuple[str, ...] = ()
    short_names_cite: tuple[Citation, ...] = ()
    text_source: TextSource | None = None


@dataclass(frozen=True)
class Sentence:
    """Something the site says in its own voice, with what it rests on, and the date of the newest thing it states."""

    text: str
    cite: tuple[Citation, ...]
    date: PartialDate | None = None


@dataclass(frozen=True)
class SourceAnswer:
    """One source's answer to a question, with the claims it rests on."""

    source_id: str
    value: AnswerValue
    display: str
    claim_ids: tuple[str, ...]
    judgement: Judgement | None = None  # None where no reference answers the question
    complete: bool = False  # the source says its set is the whole answer


@dataclass(frozen=True)
class Comparison:
    """What the sources say on one question, and whether they agree; computed, never typed in."""

    question_id: str
    verdict: str  # a key of VERDICTS
    answers: tuple[SourceAnswer, ...]
    differences: tuple[str, ...] = ()
    timing: tuple[Sentence, ...] = ()
    reference: ReferenceValue | None = None  # the references' answer on the site's date
    reference_display: str | None = None

    @property
    def verdict_label(self) -> str:
        return VERDICTS[self.verdict]


# What a change-log entry says changed, in the reader's words (content/changes.yaml).
CHANGE_KINDS = {"published": "Published", "source": "New source", "reference": "References",
                "review": "Reviews", "correction": "Correction", "status": "Status change"}


@dataclass(frozen=True)
class Change:
    """One dated entry of the change log: what changed in the facts and when, with what it rests on; its id never
    changes (the feed's readers know the entry by it), `published` when it was added and `updated` when its words
    last changed."""

    id: str
    date: date
    kind: str
    text: str
    cite: tuple[Citation, ...] = ()
    updated: date | None = None  # a day, or a time with its zone (a datetime)
    published: datetime | None = None  # when it was added, if the log gives its day's times
    see: tuple[str, ...] = ()  # the ids of the entries it refers to, linked after its words


@dataclass(frozen=True)
class EarlierText:
    """A passage of the methodology as a build as of a day before `before` shows it: `says` in place of `text` (a
    passage that tells what only later pages record, or what had not happened); "" leaves it out
    (dated.methodology_on)."""

    before: date
    text: str
    says: str


@dataclass(frozen=True)
class EarlierWords:
    """The site's tagline and description in a build as of a day before `before`: today's ("Why five NATO states
    left ...") are not true of every earlier day (dated.words_on)."""

    before: date
    tagline: str
    description: str


@dataclass(frozen=True)
class SiteConfig:
    title: str
    tagline: str
    description: str
    language: str
    base_url: str
    as_of: date
    publisher: str | None = None
    contact: str | None = None  # where readers send corrections: an https: or mailto: address
    map_region: str = "europe"  # the status maps' region (maps.REGIONS), site.yaml's `map: {region: ...}`

    @property
    def base_path(self) -> str:
        """The URL path every page lives under: '/' at a domain's root, '/repo/' on a project site."""
        return base_path(self.base_url)


@dataclass(frozen=True)
class Site:
    """The whole validated explainer; everything the pages show is here or computed from here."""

    config: SiteConfig
    sources: dict[str, Source]
    claims: dict[str, Claim]
    questions: dict[str, Question]
    countries: dict[str, Country]
    treaty: Treaty
    references: dict[str, Reference]
    summary: tuple[Sentence, ...]
    methodology: str
    treaty_text: str
    comparisons: dict[str, Comparison] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()  # the change log, newest first
    rules: Rules | None = None  # the topic's rules (content/rules.yaml); None only in a site made by hand

    def event_label(self, event: Event) -> str:
        return self.rules.label(event.kind) if self.rules else event.kind

    def claims_of(self, source_id: str) -> list[Claim]:
        return [c for c in self.claims.values() if c.source_id == source_id]
