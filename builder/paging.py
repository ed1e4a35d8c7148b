"""How a large site's pages are cut so that each stays readable (no HTML page near a megabyte; a claim card weighs
2-4 KB): the limits, what the site's size decides for many pages at once, and the pager of a listing cut in pages."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import Site
from .urls import paged_rel, url_for

if TYPE_CHECKING:
    from .views import KeyDate

# "What the sources say" shows more claims than this on one page only by splitting into a page per question,
COMPARE_CLAIMS_ON_ONE_PAGE = 200
# a country's or a question's page lists at most this many claims, and the rest on further pages,
CLAIMS_PER_PAGE = 100
# the sources list at most this many sources a page (a row is about 600 bytes),
SOURCES_PER_PAGE = 500
# a question's own page at most this many of its differences and of its timing notes (one per source and event),
NOTES_ON_PAGE = 40
# the split comparison's index at most this many findings of each kind (each question's page has its own),
FINDINGS_PER_KIND = 25
# and the home page at most this many key dates: the Convention's and the steps out of it first, then the newest.
KEY_DATES_ON_HOME = 60
# A site with more sources than this offers each source's claims as downloads of its own, beside the whole files.
SOURCE_DOWNLOADS_FROM = 100

@functools.cache  # one object per value: a warm build compares a page's inputs by identity (cache.py)
def make_scale(split_compare: bool, source_downloads: bool) -> Scale:
    return Scale(split_compare, source_downloads)


@dataclass(frozen=True)
class Scale:
    """What the site's size decides for many pages at once (site_scale, below): whether "What the sources say" is a
    page per question (every link to a question changes) and whether each source has downloads of its own."""

    split_compare: bool
    source_downloads: bool


@dataclass(frozen=True)
class Pager:
    """Where a page stands among the pages of one listing: its number, the links to every page (None for itself),
    and the previous and next pages'."""

    number: int
    pages: tuple[tuple[int, str | None], ...]
    previous: str | None
    next: str | None
    label: str  # what the listing is, for the navigation's name


def make_pager(site: Site, rel: str, number: int, count: int, label: str) -> Pager | None:
    """The pager of page `number` of `count` pages at `rel` (urls.paged_rel); None when there is one page."""
    if count == 1:
        return None
    href = [url_for(site, paged_rel(rel, n)) for n in range(1, count + 1)]
    return Pager(number, tuple((n, None if n == number else href[n - 1]) for n in range(1, count + 1)),
                 href[number - 2] if number > 1 else None, href[number] if number < count else None, label)


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """`items` cut into pages of at most `size`; one (empty) page when there are none."""
    return [items[start:start + size] for start in range(0, len(items), size)] or [items[:0]]


def page_count(count: int, size: int) -> int:
    """How many pages chunks cuts `count` items into."""
    return max(1, -(-count // size))


def site_scale(site: Site) -> Scale:
    """What the site's size decides for many pages at once: whether the comparison shows more claims than one page
    can hold (COMPARE_CLAIMS_ON_ONE_PAGE), and whether there are more sources than the whole downloads serve well
    (SOURCE_DOWNLOADS_FROM)."""
    shown = sum(len(answer.claim_ids) for comparison in site.comparisons.values() for answer in comparison.answers)
    return make_scale(shown > COMPARE_CLAIMS_ON_ONE_PAGE, len(site.sources) > SOURCE_DOWNLOADS_FROM)


def home_dates(key_dates: Sequence[KeyDate]) -> tuple[KeyDate, ...]:
    """The key dates the home page shows: all of them up to KEY_DATES_ON_HOME; past that, the Convention's and
    each step out of it first, then the newest of the others, in the order of the dates."""
    if len(key_dates) <= KEY_DATES_ON_HOME:
        return tuple(key_dates)
    first = [k for k in key_dates if k.step or k.kind == "fact"]
    others = [k for k in key_dates if not (k.step or k.kind == "fact")]
    chosen = set(map(id, first[-KEY_DATES_ON_HOME:]))
    chosen.update(map(id, others[len(others) - max(0, KEY_DATES_ON_HOME - len(chosen)):]))
    return tuple(k for k in key_dates if id(k) in chosen)
