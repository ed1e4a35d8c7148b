"""The change log as readers and feed readers see it: its order, each entry's anchor, which is also its feed id,
from the id written in content/changes.yaml (never from its place, so adding or removing an entry re-delivers no
other), and its times: when it was added, which feed readers sort by, and when it was last reworded, which the feed
gives as the entry's `<updated>` so that a reader fetches the new words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .model import CHANGE_KINDS, CITATION_MARK, Change, PartialDate, Site
from .views import CiteLink, Citer, Link


@dataclass(frozen=True)
class ChangeView:
    """A change-log entry as the page shows it: its date, kind in words, text and citations, its anchor, and when
    it was reworded ("" if never, or not by the build's day)."""

    anchor: str
    date: date
    kind: str
    label: str
    text: str
    cites: tuple[CiteLink, ...]
    reworded: str = ""  # e.g. "6 December 2026, 15:34 UTC"
    reworded_iso: str = ""  # the same as an Atom and HTML date-time
    see: tuple[Link, ...] = ()  # the entries it refers to, each by its title in the feed


def change_anchor(change: Change | str) -> str:
    """The entry's anchor (of the entry or its id) on the changes page and, after the page's address, its id in
    the feed."""
    return f"change-{change if isinstance(change, str) else change.id}"


def reworded_at(change: Change, as_of: date) -> datetime | None:
    """When the entry was last reworded, in UTC; None if never, or if after the build's day, which a build as of an
    earlier date does not show."""
    updated = change.updated
    if updated is None:
        return None
    moment = (updated.astimezone(UTC) if isinstance(updated, datetime)
              else datetime(updated.year, updated.month, updated.day, tzinfo=UTC))
    return moment if moment.date() <= as_of else None


def atom_time(moment: date) -> str:
    """A day (at midnight UTC) or a UTC time as RFC 3339, the feed's form: the same every build."""
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{moment.isoformat()}T00:00:00Z"


def entry_time(change: Change, as_of: date) -> date:
    """The entry's `<updated>` in the feed: when it was last reworded, else when it was added, else its day."""
    return reworded_at(change, as_of) or change.published or change.date


TITLE_WORDS = 72  # characters of an entry's words in its feed title, at most, cut at a word
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def entry_titles(changes: tuple[Change, ...]) -> dict[str, str]:
    """Each entry's title in the feed, by id: its kind, day and first words ('Correction, 6 December 2026: The
    downloads now tell a claim…'), so a feed reader's list tells the entries of one day apart; two that would still
    read the same end with their ids. From the entry alone, so the same every build."""
    titles = {}
    for change in changes:
        words = " ".join(_LINK.sub(r"\1", CITATION_MARK.sub("", change.text)).split())
        if len(words) > TITLE_WORDS:
            words = words[:TITLE_WORDS + 1].rsplit(" ", 1)[0].rstrip(",;:.") + "\u2026"
        titles[change.id] = f"{CHANGE_KINDS[change.kind]}, {PartialDate.of(change.date).human}: {words}"
    seen: dict[str, int] = {}
    for title in titles.values():
        seen[title] = seen.get(title, 0) + 1
    return {key: f"{title} ({key})" if seen[title] > 1 else title for key, title in titles.items()}


def referred(change: Change, titles: dict[str, str]) -> list[tuple[str, str]]:
    """The anchors and titles of the entries a change refers to (`see`) that the build shows: a build as of an
    earlier day may leave one out."""
    return [(change_anchor(see), titles[see]) for see in change.see if see in titles]


def view_changes(site: Site, citer: Citer) -> tuple[ChangeView, ...]:
    """The change log as the page lists it, newest first (validate.py's order)."""
    found = []
    titles = entry_titles(site.changes)
    for change in site.changes:
        moment = reworded_at(change, site.config.as_of)
        shown = "" if moment is None else (PartialDate.of(moment.date()).human + (
            f", {moment:%H:%M} UTC" if isinstance(change.updated, datetime) else ""))
        found.append(ChangeView(change_anchor(change), change.date, change.kind, CHANGE_KINDS[change.kind],
                                change.text, citer.links(change.cite), shown,
                                atom_time(moment) if moment else "",
                                tuple(Link(f"#{anchor}", title) for anchor, title in referred(change, titles))))
    return tuple(found)
