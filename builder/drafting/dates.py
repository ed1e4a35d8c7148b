"""Dates in an article: every date a sentence names, with its full value (the publication date is published.py's).

The patterns below only find where a date is written ('Dec. 27', 'in March', 'on Tuesday', 'from December to
February', 'mid-2025', 'last night'); dateparser reads each one against the publication date, preferring the past
or the future as the sentence does ('will take effect on Jan. 10' in a December article is next January). Where
only a window of publication is known, a date is read against both of its ends and kept only when they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from ..model import MONTHS, PartialDate

_MONTH_NAMES = (r"January|February|March|April|May|June|July|August|September|October|November|December|"
                r"Jan\.?|Feb\.?|Mar\.|Apr\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?")
MONTH_PATTERN = rf"(?P<month>{_MONTH_NAMES})"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_PART = {"early": "early", "mid": "mid", "mid-": "mid", "late": "late"}

# The sentence speaks of what will be: a year-less date is read forward from the publication date.
# ... or of what was: then it is read back from it.
_PAST = re.compile(r"\b(?:said|told|was|were|had|did|took|made|began|became|met|voted|announced|signed|decided|"
                   r"approved|adopted|joined|ratified|confirmed|recommended|notified|deposited|called|urged|"
                   r"(?!(?:indeed|proceed|exceed|succeed|need|speed)\b)[a-z]\w{2,}ed)\b")
_FUTURE = re.compile(r"\b(?:will|shall|is due|are due|due to|is expected|are expected|scheduled|"
                     r"is set to|are set to|takes? effect|come into force|comes into force|next|upcoming|"
                     r"ahead of)\b|\w[’']ll\b", re.I)


@dataclass(frozen=True)
class Anchor:
    """The days between which the text was written, that relative and year-less dates count from."""

    first: date | None
    last: date | None
    what: str

    @property
    def day(self) -> date | None:
        return self.first if self.first == self.last else None

    @property
    def year(self) -> int | None:
        return self.first.year if self.first and self.last and self.first.year == self.last.year else None


@dataclass(frozen=True)
class DateMention:
    """A date named in a sentence (a day, month or year, or a span of them from `value` to `until`); `inferred`
    says how a relative or year-less date was resolved."""

    start: int
    end: int
    words: str
    value: PartialDate
    inferred: str | None = None
    until: PartialDate | None = None
    doubt: str | None = None  # why the reading may be wrong (the sentence speaks of both past and future)

    @property
    def iso(self) -> str:
        return f"{self.value.iso}..{self.until.iso}" if self.until else self.value.iso

    @property
    def human(self) -> str:
        return f"{self.value.human} to {self.until.human}" if self.until else self.value.human


def human_date(day: date) -> str:
    return PartialDate.of(day).human


def month_number(word: str) -> int:
    return next(i for i, name in enumerate(MONTHS, 1) if name.lower().startswith(word.rstrip(".").lower()[:3]))


# ------------------------------------------------------------------------------------------------ finding dates

_M = MONTH_PATTERN
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR_GROUP = r"(?P<year>(?:1[89]|20)\d{2})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")),
    ("day-range", re.compile(rf"\b{_M}\s+(?P<day>\d{{1,2}})\s*[–-]\s*(?P<day2>\d{{1,2}})\b(?:,?\s+{_YEAR_GROUP})?")),
    ("day-range", re.compile(rf"\b(?P<day>\d{{1,2}})\s*[–-]\s*(?P<day2>\d{{1,2}})\s+{_M}(?:,?\s+{_YEAR_GROUP})?")),
    ("month-range", re.compile(rf"\b(?:from|between)\s+{_M}\s+(?:to|and|until|through)\s+"
                               rf"(?P<month2>{_MONTH_NAMES})(?:,?\s+{_YEAR_GROUP})?")),
    ("day", re.compile(rf"\b{_M}\s+{_DAY}\b(?:(?:,\s*|\s+){_YEAR_GROUP}\b)?(?!\s*[–-]\s*\d)")),
    ("day", re.compile(rf"\b{_DAY}\s+{_M}(?:,?\s+{_YEAR_GROUP}\b)?")),
    ("month", re.compile(rf"\b(?:(?P<part>early|mid-?|late|the end of|the beginning of)\s*)?{_M},?\s+{_YEAR_GROUP}\b")),
    ("month-of-year", re.compile(r"\b(?:in\s+)?(?P<month>January|February|March|April|May|June|July|August|September|"
                                 r"October|November|December)\s+(?P<which>this|last|next)\s+year\b")),
    ("month", re.compile(r"\b(?:(?P<which>(?i:last|next|this|since|in|by|until|from|of|during|early|late))\s+|"
                         r"(?P<mid>(?i:mid))-?\s*)(?P<month>January|February|March|April|May|June|July|August|"
                         r"September|October|November|December)\b(?!\s+\d)")),
    ("season", re.compile(r"\b(?:(?P<which>this|last|next)\s+)?(?P<season>spring|summer|autumn|fall|winter)"
                          r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("part-year", re.compile(r"\b(?P<part>early|mid|late)[- ](?P<year>(?:19|20)\d{2})\b", re.I)),
    ("relative-day", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening)|yesterday|tomorrow|"
                                r"last night)\b", re.I)),
    ("weekday", re.compile(r"\b(?:(?P<which>last|this|next|on|since|by|until|from)\s+)?(?P<weekday>"
                           + "|".join(WEEKDAYS) + r")\b")),
    ("period", re.compile(r"\b(?P<which>this|last|next)\s+(?P<unit>year|month)\b", re.I)),
    ("year", re.compile(r"(?<![\w$£€.,/-])(?P<year>1[89]\d{2}|20\d{2})(?![\w/]|[.,]\d)")),
)
DATE_PATTERNS = tuple(pattern for _, pattern in _PATTERNS)


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates are written in a text, whether or not they can be resolved (numbers inside them are not counts)."""
    return [m.span() for pattern in DATE_PATTERNS for m in pattern.finditer(text)]


def find_dates(text: str, anchor: Anchor | None = None) -> tuple[list[DateMention], list[str]]:
    """Every date a sentence names, in order, with its full value; and the words that name a date which the
    anchor cannot complete ('April 4' in an undated article)."""
    anchor = anchor or Anchor(None, None, "an unknown publication date")
    found: list[DateMention] = []
    unresolved: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            future, past, doubt = _tense(text, match.start(), match.end())
            mention = _read(kind, match, anchor, future, past)
            if isinstance(mention, DateMention) and mention.inferred and doubt:
                other = _read(kind, match, anchor, not future, future)
                if isinstance(other, DateMention) and other.value != mention.value:
                    mention = replace(mention, doubt=f"{doubt}: it may be {other.value.human}")
            if mention is None:
                continue
            taken.append(match.span())
            if isinstance(mention, str):
                unresolved.append((match.start(), mention))
            else:
                found.append(mention)
    return sorted(found, key=lambda m: m.start), [words for _, words in sorted(unresolved)]


_CLAUSE_MARKS = (";", ". ", "! ", "? ")


def _tense(text: str, start: int, end: int) -> tuple[bool, bool, str | None]:
    """Whether the date at text[start:end] is read forward (future) or back (past), and why that may be wrong.

    The verb nearest the date in its clause governs it: in 'Argentina will leave, the spokesperson said on
    Wednesday' the date is the saying's, in the past, though the sentence speaks of the future too. When the
    nearest verb is not right beside the date and one of the other tense is about as near, the reading is a
    guess, and says so."""
    clause = max(text.rfind(mark, 0, start) for mark in _CLAUSE_MARKS) + 1
    ends = [i for mark in _CLAUSE_MARKS if (i := text.find(mark, end)) >= 0]
    stop = min(ends, default=len(text))
    markers: list[tuple[int, bool]] = []  # (distance in words from the date, future?)
    for pattern, future in ((_FUTURE, True), (_PAST, False)):
        for found in pattern.finditer(text, clause, stop):
            if found.end() <= start:
                gap = text[found.end():start]
            elif found.start() >= end:
                gap = text[end:found.start()]
            else:
                continue
            markers.append((len(re.findall(r"\w+", gap)), future))
    if not markers:
        return False, False, None
    distance, future = min(markers, key=lambda m: (m[0], not m[1]))  # "is scheduled": the future
    other = min((d for d, f in markers if f != future), default=None)
    doubt = None
    if other is not None and distance > 2 and other - distance < 4:
        doubt = "the sentence speaks of both the past and the future, and neither stands right beside the date"
    return future, not future, doubt


def explicit_dates(text: str, anchor: Anchor | None = None) -> list[DateMention]:
    """The dates of a text that can be resolved (see find_dates)."""
    return find_dates(text, anchor)[0]


def _read(kind: str, match: re.Match[str], anchor: Anchor, future: bool, past: bool = False
          ) -> DateMention | str | None:
    """One match read into a mention; a string when it names a date the anchor cannot complete; None when it is
    no date after all ('May' the verb, 'February 30')."""
    g = match.groupdict()
    words = match.group().strip()
    start, end = match.start() + (len(match.group()) - len(match.group().lstrip())), match.end()

    def mention(value: PartialDate, until: PartialDate | None = None, how: str | None = None) -> DateMention:
        return DateMention(start, end, words, value, how, until)

    year = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        return _valid(mention, PartialDate(int(g["year"]), int(g["month"]), int(g["day"])))
    if kind == "year":
        return mention(PartialDate(int(g["year"])))
    if kind == "part-year":
        return mention(PartialDate(year or 0), how=f"'{words}' read as the year {year}")
    if kind in ("day", "day-range"):
        month, day = month_number(g["month"]), int(g["day"])
        if year:
            value = PartialDate(year, month, day)
            until = PartialDate(year, month, int(g["day2"])) if g.get("day2") else None
            return _valid(mention, value, until)
        resolved = _resolve(f"{MONTHS[month - 1]} {day}", anchor, future, past)
        if resolved is None:
            return words if anchor.first is None else None
        value, how = resolved
        until = PartialDate(value.year, month, int(g["day2"])) if g.get("day2") else None
        return _valid(mention, value, until, how=f"the year of '{words}' {how}")
    if kind == "month-range":
        first, second = month_number(g["month"]), month_number(g["month2"])
        if year:  # 'from December to February 2026': the year is the end's
            start_year = year - 1 if second < first else year
            return mention(PartialDate(start_year, first), PartialDate(year, second))
        resolved = _resolve(MONTHS[first - 1], anchor, future, past)
        if resolved is None:
            return words if anchor.first is None else None
        value, how = resolved
        end_year = value.year + (1 if second < first else 0)
        return mention(PartialDate(value.year, first), PartialDate(end_year, second), f"'{words}' {how}")
    if kind == "month":
        month = month_number(g["month"])
        if year:
            return mention(PartialDate(year, month))
        which = (g.get("which") or "").lower()
        if g["month"] == "May" and which not in ("in", "since", "by", "until", "last", "next", "early", "late",
                                                 "mid", "mid-", "during"):
            return None  # 'May' the verb
        if which == "last":
            resolved = _resolve(MONTHS[month - 1], _shift(anchor, months=-1), False, True)
        elif which == "next":
            resolved = _resolve(MONTHS[month - 1], _shift(anchor, months=1), True)
        else:
            resolved = _resolve(MONTHS[month - 1], anchor, future, past)
        if resolved is None:
            return words if anchor.first is None else None
        value, how = resolved
        return mention(PartialDate(value.year, month), how=f"'{words}' {how}")
    if kind == "month-of-year":
        if anchor.year is None:
            return words
        year = anchor.year + {"this": 0, "last": -1, "next": 1}[g["which"]]
        value = PartialDate(year, month_number(g["month"]))
        return mention(value, how=f"'{words}' read as {value.human}, from {anchor.what}")
    if kind == "season":
        season = g["season"].lower()
        first, last = _SEASONS[season]
        if year is None:
            which = (g.get("which") or "").lower()
            if not which:
                return None  # 'in spring' of no year: a season, not a date
            if anchor.year is None:
                return words
            year = anchor.year + {"this": 0, "last": -1, "next": 1}[which]
            how = f"'{words}' read as the {season} of {year}, from {anchor.what}"
        else:
            how = None
        end_year = year + 1 if last < first else year
        return mention(PartialDate(year, first), PartialDate(end_year, last), how)
    if kind == "period":
        which, unit = g["which"].lower(), g["unit"].lower()
        shift = {"this": 0, "last": -1, "next": 1}[which]
        if unit == "year" and anchor.year:
            value = PartialDate(anchor.year + shift)
        elif unit == "month" and anchor.first and anchor.last and \
                _month_of(anchor.first, shift) == _month_of(anchor.last, shift):
            value = _month_of(anchor.first, shift)
        else:
            return words
        return mention(value, how=f"'{words}' read as {value.human}, from {anchor.what}")
    # relative days and weekdays: dateparser reads them against each end of the anchor
    if kind == "weekday" and (g.get("which") or "").lower() in ("next", "this"):
        future = future or g["which"].lower() == "next"
    if kind == "relative-day":
        phrase = "today" if re.match(r"(?i)tonight|this ", words) else words
    elif not g.get("which") or g["which"].lower() in ("on", "since", "by", "until", "from"):
        phrase = g["weekday"]
    else:
        phrase = words
    resolved = _resolve(phrase, anchor, future)
    if resolved is None:
        return words
    value, how = resolved
    return mention(value, how=f"'{words}' read as {value.human}, {how}")


def _valid(make: Any, value: PartialDate, until: PartialDate | None = None, how: str | None = None
           ) -> DateMention | None:
    try:
        value.first  # noqa: B018 - raises on 'February 30'
        if until:
            until.first  # noqa: B018
    except ValueError:
        return None
    return make(value, until, how)


def _month_of(day: date, shift: int) -> PartialDate:
    index = day.year * 12 + day.month - 1 + shift
    return PartialDate(index // 12, index % 12 + 1)


def _shift(anchor: Anchor, months: int) -> Anchor:
    """The anchor moved into the month before (or after) each end: 'last March' written in March is a year ago."""
    if anchor.first is None or anchor.last is None:
        return anchor
    ends = [_month_of(day, months) for day in (anchor.first, anchor.last)]
    if months < 0:
        return Anchor(ends[0].last, ends[1].last, anchor.what)
    return Anchor(ends[0].first, ends[1].first, anchor.what)


def _resolve(phrase: str, anchor: Anchor, future: bool, past: bool = False) -> tuple[PartialDate, str] | None:
    """The date `phrase` names, read against both ends of the anchor; None if they disagree. Without a word of
    the future before it, the reading nearest the anchor wins ('Dec. 18' in April is last December)."""
    if anchor.first is None or anchor.last is None:
        return None
    values = {_nearest(phrase, day, future, past) for day in (anchor.first, anchor.last)}
    if len(values) != 1 or None in values:
        return None
    value = values.pop()
    assert value is not None
    way = "forward" if future else "back" if past else "to the nearest"
    return value, f"counted {way} from {anchor.what}"


def _nearest(phrase: str, base: date, future: bool, past: bool = False) -> PartialDate | None:
    ahead, back = _parse(phrase, base, True), _parse(phrase, base, False)
    if back is not None and back.day and back.first == base:
        return back  # 'June 17' written on 17 June is that day, whichever way the sentence looks
    if past and back is not None:
        return back
    if phrase in WEEKDAYS or re.match(r"(?i)today|yesterday|tomorrow|last night", phrase):
        return ahead if future else back  # news says 'on Friday' of the last Friday up to the day it is written
    if future or back is None:
        return ahead
    if ahead is None:
        return back
    return ahead if abs(ahead.first - base) < abs(back.first - base) else back


@cache
def _parse(phrase: str, base: date, future: bool) -> PartialDate | None:
    """What dateparser reads `phrase` as, counting forward (or back) from `base`, at the day included."""
    weekday = phrase.capitalize() if phrase.capitalize() in WEEKDAYS else None
    if weekday:  # news says 'on Friday' of the day it is written, which dateparser reads as a week before
        shift = (WEEKDAYS.index(weekday) - base.weekday()) % 7
        return PartialDate.of(base + timedelta(days=shift if future else shift - 7 if shift else 0))
    month = phrase.capitalize() if phrase.capitalize() in MONTHS else None
    if month:
        number = MONTHS.index(month) + 1
        year = base.year + (1 if future and number < base.month else 0) - (0 if future or number <= base.month else 1)
        return PartialDate(year, number)
    data = _parser(future, base).get_date_data(phrase)
    if data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "year":
        return PartialDate(found.year)
    if data.period == "month":
        return PartialDate(found.year, found.month)
    return PartialDate.of(found)


@cache
def _parser(future: bool, base: date) -> Any:
    # Imported here: dateparser takes a third of a second to load, and only ingest needs it.
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(base.year, base.month, base.day, 12),
        "PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first"})


