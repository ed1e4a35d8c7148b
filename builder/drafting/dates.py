"""Dates in an article: the publication date, dates written out, and relative ones resolved against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import MONTHS, PartialDate

if TYPE_CHECKING:
    from .extract import Extracted

MONTH_PATTERN = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|"
                 r"December|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Published:
    """When the article appeared, as exactly as it can be told, and how that was established."""

    exact: date | None
    not_before: date | None
    not_after: date | None
    how: str

    def anchor(self) -> Anchor:
        """What relative words such as 'today' or 'this year' can be resolved against."""
        if self.exact:
            return Anchor(self.exact, self.exact.year, f"the publication date, {human_date(self.exact)}")
        if self.not_before and self.not_after and self.not_before.year == self.not_after.year:
            return Anchor(None, self.not_before.year, f"the publication window ({self.not_before.isoformat()} to "
                                                      f"{self.not_after.isoformat()})")
        return Anchor(None, None, "an unknown publication date")


@dataclass(frozen=True)
class Anchor:
    """The day (or only the year) that relative dates in a passage of text count from."""

    day: date | None
    year: int | None
    what: str


@dataclass(frozen=True)
class DateMention:
    """A date named in a sentence; `inferred` says how a relative or year-less date was resolved."""

    start: int
    end: int
    words: str
    value: PartialDate
    inferred: str | None = None


def human_date(day: date) -> str:
    return PartialDate.of(day).human


def month_number(word: str) -> int:
    return next(i for i, name in enumerate(MONTHS, 1) if name.lower().startswith(word.rstrip(".").lower()[:3]))


DATE_PATTERNS = (
    re.compile(MONTH_PATTERN + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + MONTH_PATTERN + r"(?:,?\s+(?P<year>\d{4})\b)?"),
    re.compile(MONTH_PATTERN + r",?\s+(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
YEAR_PATTERN = re.compile(r"(?<![\w$£€.,/-])(?P<year>1[89]\d{2}|20\d{2})(?![\w/]|[.,]\d)")


def explicit_dates(text: str, anchor: Anchor | None = None) -> list[DateMention]:
    """Dates written out ('March 18, 2025', '18 March', 'March 2025', '2025-03-18', '1997'), in order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            month = int(groups["month"]) if groups["month"].isdigit() else month_number(groups["month"])
            day = int(groups["day"]) if groups.get("day") else None
            year, inferred = int(groups["year"]) if groups.get("year") else None, None
            if year is None and anchor and anchor.year:
                year, inferred = anchor.year, f"the year taken from {anchor.what}"
            if year is None:
                continue  # 'April 4' with no year to read it in: reported by yearless_dates
            value = PartialDate(year, month, day)
            try:
                value.first  # noqa: B018 - raises on 'February 30'
            except ValueError:
                continue
            taken.append(match.span())
            found.append(DateMention(match.start(), match.end(), match.group(), value, inferred))
    for match in YEAR_PATTERN.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            found.append(DateMention(match.start(), match.end(), match.group(), PartialDate(int(match.group()))))
    return sorted(found, key=lambda m: m.start)


def yearless_dates(text: str) -> list[str]:
    """Days named without a year ('April 4'), which only a known publication year can complete."""
    return [m.group() for pattern in DATE_PATTERNS[:2] for m in pattern.finditer(text) if not m.group("year")]


_RELATIVE_DAY = re.compile(r"\b(today|tonight|this (?:morning|afternoon|evening)|yesterday|tomorrow)\b", re.I)
_RELATIVE_WEEKDAY = re.compile(r"\b(?:(?P<which>last|this|next|on|since|by|until|from)\s+)?(?P<weekday>"
                               + "|".join(WEEKDAYS) + r")\b")
_RELATIVE_PERIOD = re.compile(r"\b(?P<which>this|last|next)\s+(?P<unit>year|month)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|would|is due|are due|is expected|are expected|plans? to|scheduled|is set to|"
                     r"are set to|next)\b", re.I)


def relative_dates(text: str, anchor: Anchor) -> tuple[list[DateMention], list[str]]:
    """Resolve 'today', 'on Tuesday', 'this year' and the like against the anchor; say which could not be."""
    found: list[DateMention] = []
    unresolved: list[str] = []
    source = anchor.what
    for match in _RELATIVE_DAY.finditer(text):
        word = match.group(1).lower()
        if anchor.day is None:
            unresolved.append(match.group())
            continue
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        day = anchor.day + timedelta(days=shift)
        found.append(DateMention(match.start(), match.end(), match.group(), PartialDate.of(day),
                                 f"'{match.group()}' read as {human_date(day)}, from {source}"))
    for match in _RELATIVE_WEEKDAY.finditer(text):
        if anchor.day is None:
            unresolved.append(match.group())
            continue
        future = bool(_FUTURE.search(text, max(0, match.start() - 40), match.start()))
        day = _resolve_weekday(anchor.day, WEEKDAYS.index(match.group("weekday")), match.group("which"), future)
        found.append(DateMention(match.start(), match.end(), match.group(), PartialDate.of(day),
                                 f"'{match.group()}' read as {human_date(day)}, the nearest "
                                 f"{match.group('weekday')} {'after' if day > anchor.day else 'up to'} {source}"))
    for match in _RELATIVE_PERIOD.finditer(text):
        which, unit = match.group("which").lower(), match.group("unit").lower()
        shift = {"this": 0, "last": -1, "next": 1}[which]
        if unit == "year" and anchor.year:
            value = PartialDate(anchor.year + shift)
        elif unit == "month" and anchor.day:
            month_index = anchor.day.year * 12 + anchor.day.month - 1 + shift
            value = PartialDate(month_index // 12, month_index % 12 + 1)
        else:
            unresolved.append(match.group())
            continue
        found.append(DateMention(match.start(), match.end(), match.group(), value,
                                 f"'{match.group()}' read as {value.human}, from {source}"))
    return found, unresolved


def _resolve_weekday(anchor: date, weekday: int, which: str | None, future: bool) -> date:
    """News says 'on Tuesday' for the last Tuesday up to the day it is written, unless it speaks of what will be."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if which == "last":
        return anchor - timedelta(days=back or 7)
    if which == "next":
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead) if future else anchor - timedelta(days=back)


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def read_published_option(text: str) -> Published:
    """--published as the content model allows: a date, a month ('2026-01'), a year ('2026'), or a window
    'FROM..TO' of such (either end may be left out); ValueError says what is wrong."""
    given = "Given on the command line (--published " + text + ") when the article was ingested"
    if ".." not in text:
        value = _partial(text)
        if value.day:
            return Published(value.first, None, None, given + ".")
        return Published(None, value.first, value.last, f"{given}: only the {'month' if value.month else 'year'}"
                                                        " is known.")
    low, _, high = text.partition("..")
    first = _partial(low).first if low else None
    last = _partial(high).last if high else None
    if not (first or last):
        raise ValueError("a window needs at least one end")
    if first and last and first > last:
        raise ValueError(f"the window starts ({first}) after it ends ({last})")
    return Published(None, first, last, f"{given}: a window, as the page does not show the day.")


def _partial(text: str) -> PartialDate:
    match = _PARTIAL.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a date")
    year, month, day = (int(g) if g else None for g in match.groups())
    value = PartialDate(year, month, day)  # type: ignore[arg-type]
    try:
        value.first  # noqa: B018 - raises on an impossible month or day
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None
    return value


def date_publication(extracted: Extracted, option: Published | None, body: str) -> Published:
    """The publication date from the options, the input, or else a lower bound from the latest date it names."""
    if option:
        return option
    if extracted.published:
        return Published(extracted.published, None, None, extracted.published_how)
    full = [m for m in explicit_dates(body) if m.value.day]
    if full:
        latest = max(full, key=lambda m: m.value.first)
        return Published(None, latest.value.first, None,
                         f"No date found in the input. The text names {latest.value.human} ('{latest.words}'), so it "
                         "appeared on that day or later; no upper bound is known. Set the date if the page shows it.")
    return Published(None, None, None, "No date found in the input; set the date, or a window with how it was "
                                       "inferred, from the page.")
