"""feed.py: the change log's Atom feed, one entry per change, newest first, escaped, the same bytes every build."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from xml.sax import saxutils

from builder import feed
from builder.feed import render_feed
from builder.model import Change, Site

ATOM = "{http://www.w3.org/2005/Atom}"


def with_changes(site: Site, *changes: Change) -> Site:
    return replace(site, changes=changes)


def entries(feed: bytes) -> list[dict[str, str]]:
    root = ET.fromstring(feed)
    return [{"title": e.findtext(ATOM + "title", ""), "id": e.findtext(ATOM + "id", ""),
             "href": e.find(ATOM + "link").get("href", ""), "updated": e.findtext(ATOM + "updated", ""),
             "term": e.find(ATOM + "category").get("term", ""), "text": e.findtext(ATOM + "content", "")}
            for e in root.iter(ATOM + "entry")]


def test_each_change_is_an_entry_in_order_with_its_own_id(mini_site: Site) -> None:
    site = with_changes(mini_site, Change("2025-12-28-1", date(2025, 12, 28), "status",
                                          "Estonia, Latvia and Lithuania are out."),
                        Change("2025-06-27-1", date(2025, 6, 27), "source", "A new source."),
                        Change("2025-06-27-2", date(2025, 6, 27), "correction", "A date corrected."))
    found = entries(render_feed(site))
    page = "https://example.org/mini/changes/"
    assert found == [
        {"title": "Status change, 28 December 2025: Estonia, Latvia and Lithuania are out.",
         "id": page + "#change-2025-12-28-1",
         "href": page + "#change-2025-12-28-1", "updated": "2025-12-28T00:00:00Z", "term": "status",
         "text": "Estonia, Latvia and Lithuania are out."},
        {"title": "New source, 27 June 2025: A new source.", "id": page + "#change-2025-06-27-1",
         "href": page + "#change-2025-06-27-1", "updated": "2025-06-27T00:00:00Z", "term": "source",
         "text": "A new source."},
        {"title": "Correction, 27 June 2025: A date corrected.", "id": page + "#change-2025-06-27-2",
         "href": page + "#change-2025-06-27-2", "updated": "2025-06-27T00:00:00Z", "term": "correction",
         "text": "A date corrected."},
    ]


def test_entries_of_one_day_and_kind_have_titles_a_reader_tells_apart(mini_site: Site) -> None:
    """A feed reader lists titles: each says the entry's first words (without citation marks or link addresses,
    cut at a word), from the entry alone; two that would read the same end with their ids."""
    long = ("The downloads now tell a claim that a later event only disputes [ref:js01] apart from one that a later "
            "event overtook, in [claims.csv](../data/claims.csv).")
    site = with_changes(mini_site, Change("a", date(2026, 12, 6), "correction", long),
                        Change("b", date(2026, 12, 6), "correction", "A date corrected."),
                        Change("c", date(2026, 12, 6), "correction", "A date corrected."))
    titles = [e["title"] for e in entries(render_feed(site))]
    assert titles == ["Correction, 6 December 2026: The downloads now tell a claim that a later event only disputes "
                      "apart\u2026",
                      "Correction, 6 December 2026: A date corrected. (b)",
                      "Correction, 6 December 2026: A date corrected. (c)"]
    alone = entries(render_feed(with_changes(mini_site, Change("a", date(2026, 12, 6), "correction", long))))
    assert alone[0]["title"] == titles[0], "the same title whatever other entries there are"


def test_the_feed_names_itself_its_page_and_its_newest_day(mini_site: Site) -> None:
    site = with_changes(mini_site, Change("c2025-3-1", date(2025, 3, 1), "published", "First."),
                        Change("c2025-7-9", date(2025, 7, 9), "review", "Reviewed."))
    root = ET.fromstring(render_feed(site))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext(ATOM + "title") == "Leaving the mine ban (fixture): what changed"
    assert root.findtext(ATOM + "id") == "https://example.org/mini/changes/feed.xml"
    links = {link.get("rel"): link.get("href") for link in root.findall(ATOM + "link")}
    assert links == {"self": "https://example.org/mini/changes/feed.xml",
                     "alternate": "https://example.org/mini/changes/"}
    assert root.findtext(ATOM + "updated") == "2025-07-09T00:00:00Z", "the newest entry, wherever it stands"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Fixture Desk"


def test_without_changes_the_feed_is_dated_on_the_site_date(mini_site: Site) -> None:
    root = ET.fromstring(render_feed(with_changes(mini_site)))
    assert root.findtext(ATOM + "updated") == "2026-01-05T00:00:00Z"
    assert root.findall(ATOM + "entry") == []


def test_text_that_looks_like_markup_stays_text(mini_site: Site) -> None:
    hostile = 'Fixed <script>alert("x")</script> & "quotes" ]]> here'
    site = replace(with_changes(mini_site, Change("c2025-1-2", date(2025, 1, 2), "correction", hostile)),
                   config=replace(mini_site.config, title='A & B <i>"title"</i>'))
    feed = render_feed(site)
    assert b"<script>" not in feed and b"<i>" not in feed
    root = ET.fromstring(feed)
    assert root.findtext(ATOM + "title") == 'A & B <i>"title"</i>: what changed'
    assert entries(feed)[0]["text"] == hostile


def test_two_renders_give_the_same_bytes(mini_site: Site) -> None:
    site = with_changes(mini_site, Change("c2025-6-27", date(2025, 6, 27), "source", "A new source."))
    assert render_feed(site) == render_feed(site)
    assert render_feed(site).startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed ')


def test_escaping_is_the_standard_librarys() -> None:
    for text in ["plain", "a & b < c > d", 'say "no"', "it's", "both ' and \"", "lines\nand\ttabs\r", ""]:
        assert feed.escape(text) == saxutils.escape(text)
        assert feed.quoteattr(text) == saxutils.quoteattr(text)
