"""When an article appeared: from --published (a date, a month, a year or a window), the page's metadata, or
else a lower bound from the latest full date the text names; and how that was established."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..model import PartialDate
from .dates import Anchor, explicit_dates, human_date

if TYPE_CHECKING:
    from .extract import Extracted


@dataclass(frozen=True)
class Published:
    """When the article appeared, as exactly as it can be told, and how that was established."""

    exact: date | None
    not_before: date | None
    not_after: date | None
    how: str  # as the source's page tells readers how the date is known
    check: str = ""  # where ingest found it and what to check: a comment above `published:`, never shown

    def anchor(self) -> Anchor:
        """What relative words such as 'today' or 'this year' can be resolved against."""
        if self.exact:
            return Anchor(self.exact, self.exact, f"the publication date, {human_date(self.exact)}")
        if self.not_before and self.not_after:
            return Anchor(self.not_before, self.not_after, f"the publication window ({self.not_before.isoformat()}"
                                                           f" to {self.not_after.isoformat()})")
        return Anchor(None, None, "an unknown publication date")


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def read_published_option(text: str) -> Published:
    """--published as the content model allows: a date, a month ('2026-01'), a year ('2026'), or a window
    'FROM..TO' of such (either end may be left out); ValueError says what is wrong."""
    given = "Dated by the editor when the article was ingested"
    check = (f"given with --published {text}: say how it is known (the page's date line, an archived copy) "
             "before removing draft")
    if ".." not in text:
        value = _partial(text)
        if value.day:
            return Published(value.first, None, None, given + ".", check)
        return Published(None, value.first, value.last, f"{given}: only the {'month' if value.month else 'year'}"
                                                        " is known.", check)
    low, _, high = text.partition("..")
    first = _partial(low).first if low else None
    last = _partial(high).last if high else None
    if not (first or last):
        raise ValueError("a window needs at least one end")
    if first and last and first > last:
        raise ValueError(f"the window starts ({first}) after it ends ({last})")
    return Published(None, first, last, f"{given}: a window, as the page does not show the day.", check)


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
        return Published(extracted.published, None, None, extracted.published_how, extracted.published_check)
    if extracted.published_window:
        first, last = extracted.published_window
        return Published(None, first, last, extracted.published_how, extracted.published_check)
    full = [m for m in explicit_dates(body) if m.value.day]
    if full:
        latest = max(full, key=lambda m: m.value.first)
        return Published(None, latest.value.first, None,
                         f"The page as captured shows no date. The text names {latest.value.human} "
                         f"('{latest.words}'), so it appeared on that day or later; no upper bound is known.",
                         "no date found in the input: set the date if the page shows it")
    return Published(None, None, None, "The page as captured shows no date.",
                     "no date found in the input: set the date, or a window with how it was inferred, from the page")
