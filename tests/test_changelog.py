"""changelog.py and content/changes.yaml: entries keep the id written for them, a reworded entry says when, the log
lists the newest first, and an id given twice is an error at its place."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from builder.build import check_site
from builder.changelog import view_changes
from builder.errors import ContentErrors
from builder.feed import render_feed
from builder.model import Site
from builder.views import Citer, Link
from tests.conftest import copy_site

ATOM = "{http://www.w3.org/2005/Atom}"

LOG = """\
- id: first-edition
  date: 2025-06-01
  kind: published
  text: "First edition."
- id: 2025-07-01-1
  date: 2025-07-01
  kind: correction
  text: "A date corrected."
- id: 2025-07-01-2
  date: 2025-07-01
  updated: 2025-07-02T09:30:00Z
  kind: correction
  text: "A rating corrected, reworded the next day."
"""


def checked(tmp_path: Path, log: str) -> Site:
    site_dir = copy_site(tmp_path / f"site{len(list(tmp_path.iterdir()))}", templates=False)
    (site_dir / "content" / "changes.yaml").write_text(log, encoding="utf-8")
    return check_site(site_dir)


def errors(tmp_path: Path, log: str) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        checked(tmp_path, log)
    return caught.value.report().splitlines()


def feed_entries(site: Site) -> list[tuple[str, str, str]]:
    root = ET.fromstring(render_feed(site))
    return [(e.findtext(ATOM + "id", "").split("#")[1], e.findtext(ATOM + "updated", ""),
             e.findtext(ATOM + "content", "")) for e in root.iter(ATOM + "entry")]


def test_entries_keep_their_ids_and_the_newest_of_a_day_comes_first(tmp_path: Path) -> None:
    """The anchors were each entry's place among its day's; an entry added before the others renumbered them all,
    and the feed re-delivered every one. Within a day the newest, written last, came last under "newest first"."""
    inserted = LOG.replace("- id: 2025-07-01-1", '- id: added\n  date: 2025-07-01\n  kind: review\n  text: "New."\n'
                                                 "- id: 2025-07-01-1", 1)
    site = checked(tmp_path, inserted)
    assert [(anchor, text) for anchor, _, text in feed_entries(site)] == [
        ("change-2025-07-01-2", "A rating corrected, reworded the next day."),
        ("change-2025-07-01-1", "A date corrected."),
        ("change-added", "New."),
        ("change-first-edition", "First edition."),
    ]


def test_a_reworded_entry_is_dated_when_it_was_reworded_in_the_feed_and_on_the_page(tmp_path: Path) -> None:
    """A feed reader knows an entry by its id and an edit by its <updated>: with the day alone it kept the old
    words of an entry reworded the day it was written."""
    site = checked(tmp_path, LOG)
    assert [(anchor, updated) for anchor, updated, _ in feed_entries(site)] == [
        ("change-2025-07-01-2", "2025-07-02T09:30:00Z"), ("change-2025-07-01-1", "2025-07-01T00:00:00Z"),
        ("change-first-edition", "2025-06-01T00:00:00Z")]
    assert ET.fromstring(render_feed(site)).findtext(ATOM + "updated") == "2025-07-02T09:30:00Z"
    views = view_changes(site, Citer(site, current=Link("/sub/changes/", "What changed")))
    assert [(v.anchor, v.reworded, v.reworded_iso) for v in views] == [
        ("change-2025-07-01-2", "2 July 2025, 09:30 UTC", "2025-07-02T09:30:00Z"),
        ("change-2025-07-01-1", "", ""), ("change-first-edition", "", "")]


def test_a_build_as_of_a_day_before_the_rewording_does_not_date_it(tmp_path: Path) -> None:
    site = checked(tmp_path, LOG)
    earlier = replace(site, config=replace(site.config, as_of=date(2025, 7, 1)))
    assert feed_entries(earlier)[0][1] == "2025-07-01T00:00:00Z"
    views = view_changes(earlier, Citer(earlier, current=Link("/sub/changes/", "What changed")))
    assert views[0].reworded == ""


def test_a_time_is_read_in_utc_and_a_day_alone_is_midnight(tmp_path: Path) -> None:
    site = checked(tmp_path, LOG.replace("2025-07-02T09:30:00Z", "2025-07-02T11:30:00+02:00")
                   .replace("kind: published", "updated: 2025-06-03\n  kind: published"))
    assert site.changes[0].updated == datetime(2025, 7, 2, 9, 30, tzinfo=UTC)
    assert [updated for _, updated, _ in feed_entries(site)] == [
        "2025-07-02T09:30:00Z", "2025-07-01T00:00:00Z", "2025-06-03T00:00:00Z"]


def test_an_id_given_twice_is_an_error_at_the_second(tmp_path: Path) -> None:
    assert errors(tmp_path, LOG.replace("id: 2025-07-01-2", "id: 2025-07-01-1")) == [
        "content/changes.yaml:9:3: change-log entry '2025-07-01-1' is defined twice",
        "  hint: first defined at content/changes.yaml:5; give one of them another id",
        "1 error; nothing was written."]


def test_an_entry_without_an_id_is_an_error(tmp_path: Path) -> None:
    assert errors(tmp_path, LOG.replace("- id: first-edition\n  date", "- date")) == [
        "content/changes.yaml:1:3: change-log entry is missing required field 'id'",
        "  hint: add 'id:' (see docs/content-model.md)",
        "1 error; nothing was written."]


def test_a_rewording_before_the_entry_or_without_a_zone_is_an_error(tmp_path: Path) -> None:
    assert errors(tmp_path, LOG.replace("2025-07-02T09:30:00Z", "2025-06-30")) == [
        "content/changes.yaml:11:12: field 'updated' of change-log entry is before its date, 2025-07-01 "
        "(found '2025-06-30')",
        "  hint: give the day or time the entry was reworded, on or after its date",
        "1 error; nothing was written."]
    assert errors(tmp_path, LOG.replace("2025-07-02T09:30:00Z", "2025-07-02T09:30:00")) == [
        "content/changes.yaml:11:12: field 'updated' of change-log entry must be a date or a time with its zone "
        "(found '2025-07-02 09:30:00')",
        "  hint: write YYYY-MM-DD, or a UTC time as YYYY-MM-DDTHH:MM:SSZ, unquoted",
        "1 error; nothing was written."]


TIMED = """\
- id: first-edition
  date: 2025-06-01
  updated: 2025-07-01T10:00:00Z
  kind: published
  text: "First edition, reworded on 1 July at 10:00."
- id: morning
  date: 2025-07-01
  published: 2025-07-01T09:00:00Z
  kind: correction
  text: "Added at 9:00."
- id: noon
  date: 2025-07-01
  published: 2025-07-01T12:00:00Z
  kind: review
  text: "Added at noon, after the first edition's rewording."
"""


def test_an_entry_added_after_a_rewording_sorts_above_it_in_the_feed(tmp_path: Path) -> None:
    """An entry carried its day's midnight and a reworded one its time, so a feed reader that sorts by <updated>
    put an entry reworded at 10:00 above one added at noon; with the time each was added it sorts as it was."""
    root = ET.fromstring(render_feed(checked(tmp_path, TIMED)))
    times = [(e.findtext(ATOM + "id", "").split("#")[1], e.findtext(ATOM + "published"),
              e.findtext(ATOM + "updated")) for e in root.iter(ATOM + "entry")]
    assert times == [("change-noon", "2025-07-01T12:00:00Z", "2025-07-01T12:00:00Z"),
                     ("change-morning", "2025-07-01T09:00:00Z", "2025-07-01T09:00:00Z"),
                     ("change-first-edition", "2025-06-01T00:00:00Z", "2025-07-01T10:00:00Z")]
    assert sorted(times, key=lambda t: t[2], reverse=True)[0][0] == "change-noon"
    assert root.findtext(ATOM + "updated") == "2025-07-01T12:00:00Z"


def test_a_day_is_ordered_by_the_times_its_entries_were_added(tmp_path: Path) -> None:
    """The file's order says which was written last; an entry merged in later but written above another that was
    published first sorts below it, as the times say, on the page and in the feed."""
    swapped = TIMED.replace("2025-07-01T09:00:00Z", "2025-07-01T13:00:00Z")
    assert [c.id for c in checked(tmp_path, swapped).changes] == ["morning", "noon", "first-edition"]


def test_a_day_with_a_time_needs_every_time_on_it(tmp_path: Path) -> None:
    """An entry with no time is its day's midnight in the feed, so it would sort below the day's rewordings and
    entries added before it: on a day the log gives a time on, it is an error, as is a day alone for a rewording."""
    assert errors(tmp_path, TIMED.replace("  published: 2025-07-01T12:00:00Z\n", "")) == [
        "content/changes.yaml:12:9: change-log entry 'noon' has no 'published' time, but entry 'morning' gives a "
        "time on 2025-07-01",
        "  hint: add 'published:' with the UTC time the entry was added (YYYY-MM-DDTHH:MM:SSZ): feed readers sort "
        "by time, and a day alone is its midnight, before the day's other times",
        "1 error; nothing was written."]
    assert errors(tmp_path, TIMED.replace("updated: 2025-07-01T10:00:00Z", "updated: 2025-07-01")) == [
        "content/changes.yaml:3:12: field 'updated' of change-log entry gives a day with no time, but entry "
        "'noon' gives a time on it (found '2025-07-01')",
        "  hint: give the UTC time it was reworded (YYYY-MM-DDTHH:MM:SSZ): a day alone is its midnight, which feed "
        "readers sort before that day's other times",
        "1 error; nothing was written."]


def test_published_times_must_be_true_of_the_entry(tmp_path: Path) -> None:
    """A time off the entry's day, a rewording before the entry was added, and a rewording on the entry's own day
    with no time (the feed would show it unchanged) are each an error at the field."""
    assert errors(tmp_path, TIMED.replace("published: 2025-07-01T09:00:00Z", "published: 2025-06-30T23:00:00Z")
                  .replace("published: 2025-07-01T12:00:00Z", "published: 2025-07-01T12:00:00")
                  .replace("updated: 2025-07-01T10:00:00Z", "updated: 2025-06-01")) == [
        "content/changes.yaml:3:12: field 'updated' of change-log entry gives the entry's own day with no time "
        "(found '2025-06-01')",
        "  hint: give the UTC time it was reworded (YYYY-MM-DDTHH:MM:SSZ): a day alone is its midnight, before the "
        "entry was reworded, so feed readers would keep its first words",
        "content/changes.yaml:8:14: field 'published' of change-log entry is not on its date, 2025-07-01 (found "
        "'2025-06-30T23:00:00Z')",
        "  hint: give the UTC time on the entry's date when it was added",
        "content/changes.yaml:13:14: field 'published' of change-log entry must be a time with its zone (found "
        "'2025-07-01 12:00:00')",
        "  hint: write the UTC time as YYYY-MM-DDTHH:MM:SSZ, unquoted",
        "3 errors; nothing was written."]
    reworded_early = TIMED.replace("  published: 2025-07-01T09:00:00Z\n",
                                   "  published: 2025-07-01T09:00:00Z\n  updated: 2025-07-01T08:00:00Z\n")
    assert errors(tmp_path, reworded_early)[:2] == [
        "content/changes.yaml:9:12: field 'updated' of change-log entry is before it was published, "
        "2025-07-01T09:00:00Z (found '2025-07-01T08:00:00Z')",
        "  hint: give the time the entry was reworded, after the time it was added"]


def test_the_shipped_feed_is_valid_atom_in_the_page_s_order() -> None:
    """The site's own feed: unique ids, a <published> and an <updated> on each entry, never updated before
    published, the feed's <updated> the newest entry's, and the page's order that of the times entries were added;
    no entry added later sorts below a rewording made before it."""
    site = check_site(Path(__file__).parent.parent)
    root = ET.fromstring(render_feed(site))
    found = [(e.findtext(ATOM + "id", ""), e.findtext(ATOM + "published", ""), e.findtext(ATOM + "updated", ""))
             for e in root.iter(ATOM + "entry")]
    assert len({i for i, _, _ in found}) == len(found) == len(site.changes)
    assert all(published and updated and published <= updated for _, published, updated in found)
    assert root.findtext(ATOM + "updated") == max(updated for _, _, updated in found)
    published = [p for _, p, _ in found]
    assert published == sorted(published, reverse=True)
    for _, added, _ in found:  # an entry's time is never a day's midnight when that day has other times
        if added.endswith("T00:00:00Z"):
            assert not any(u.startswith(added[:10]) and not u.endswith("T00:00:00Z") for _, _, u in found)
def test_an_entry_links_the_entries_it_refers_to(tmp_path: Path) -> None:
    """Entry 2026-12-06-16 said "(see that entry)" of a later one with no link: `see` names entries by their ids,
    linked on the page by their feed titles and in the feed as related links; one a build leaves out is not linked."""
    from builder.dated import site_as_of

    site = checked(tmp_path, LOG.replace('  text: "First edition."', '  text: "First edition."\n'
                                         "  see: [2025-07-01-1]")
                   .replace('reworded the next day."', 'reworded the next day."\n  see: [2025-07-01-1, first-edition]'))
    views = {v.anchor: v.see for v in view_changes(site, Citer(site, current=Link("/sub/changes/", "What changed")))}
    assert views["change-2025-07-01-2"] == (
        Link("#change-2025-07-01-1", "Correction, 1 July 2025: A date corrected."),
        Link("#change-first-edition", "Published, 1 June 2025: First edition."))
    assert views["change-2025-07-01-1"] == ()
    related = [(e.findtext(ATOM + "id", "").split("#")[1], [link.get("href", "").split("#")[1] for link in
                e.iter(ATOM + "link") if link.get("rel") == "related"])
               for e in ET.fromstring(render_feed(site)).iter(ATOM + "entry")]
    assert related == [("change-2025-07-01-2", ["change-2025-07-01-1", "change-first-edition"]),
                       ("change-2025-07-01-1", []), ("change-first-edition", ["change-2025-07-01-1"])]
    june = site_as_of(replace(site, config=replace(site.config, as_of=date(2025, 6, 15))))
    assert [v.see for v in view_changes(june, Citer(june, current=Link("/sub/changes/", "What changed")))] == [()]
    assert [c.see for c in june.changes] == [()]  # nor does the model that data/site.json holds (rev-code23)


def test_an_entry_referring_to_an_unknown_entry_or_itself_is_an_error(tmp_path: Path) -> None:
    assert errors(tmp_path, LOG + "  see: [2025-07-01-3, 2025-07-01-2]\n") == [
        "content/changes.yaml:14:9: change-log entry '2025-07-01-2' refers to unknown entry '2025-07-01-3'",
        "  hint: known change-log entries: '2025-07-01-1', '2025-07-01-2', 'first-edition'",
        "content/changes.yaml:14:23: change-log entry '2025-07-01-2' refers to itself",
        "  hint: remove its own id from 'see'",
        "2 errors; nothing was written."]


def test_an_entry_with_a_mistake_is_reported_once(tmp_path: Path) -> None:
    """rev-code23: an entry that `see` names but whose kind is misspelt was also 'unknown' to `see` (with a wrong
    "did you mean"), and a `published` that is not a time was also 'no published time'."""
    bad = (LOG.replace('  text: "A rating corrected, reworded the next day."',
                       '  text: "A rating corrected, reworded the next day."\n  see: [2025-07-01-1]')
           .replace('  kind: correction\n  text: "A date corrected."', '  kind: corection\n  text: "A date corrected."')
           .replace("- id: first-edition\n  date: 2025-06-01\n",
                    "- id: first-edition\n  date: 2025-06-01\n  published: garbage\n  updated: 2025-06-01T10:00:00Z\n"))
    assert errors(tmp_path, bad) == [
        "content/changes.yaml:3:14: field 'published' of change-log entry must be a time with its zone (found "
        "'garbage')",
        "  hint: write the UTC time as YYYY-MM-DDTHH:MM:SSZ, unquoted",
        "content/changes.yaml:9:9: field 'kind' of change-log entry is not one of the allowed values (found "
        "'corection')",
        "  hint: did you mean 'correction'? known values: 'correction', 'published', 'reference', 'review', 'source', "
        "'status'",
        "2 errors; nothing was written."]


def test_a_rewording_time_before_its_entry_is_one_error_not_three(tmp_path: Path) -> None:
    """One mistake (a rewording timed before its entry's date, on the day of the first edition) is one error at
    that field, its time not counted as one of that day's: not also two errors blaming other, correct entries."""
    assert errors(tmp_path, LOG.replace("2025-07-02T09:30:00Z", "2025-06-01T09:30:00Z")) == [
        "content/changes.yaml:11:12: field 'updated' of change-log entry is before its date, 2025-07-01 "
        "(found '2025-06-01T09:30:00+00:00')",
        "  hint: give the day or time the entry was reworded, on or after its date",
        "1 error; nothing was written."]
