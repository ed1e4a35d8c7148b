"""The check of an earlier wording's end against the references it cites (fields.earlier_notes) refuses only a
wording that no build could show with its pages: never a right one, never one the site's own build leaves alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.build import check_site
from builder.errors import ContentErrors
from tests.conftest import REPO


def shipped(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    return site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_earlier_wording_may_end_before_a_later_page_that_only_confirms(tmp_path: Path) -> None:
    """rev-final3: Estonia's notice of 27 June cites ee05 (29 June), ee09 (1 July) and ee08 (27 December). An
    earlier wording for the days before ee09 was refused unless it lasted until 27 December. (The shipped wording
    lasts until then, as only EE08 dates the notice: whether it must is the editor's call, not the check's.)"""
    site = shipped(tmp_path)
    edit(site / "content/countries/ee.yaml", "      - before: 2025-12-27\n", "      - before: 2025-07-01\n")
    assert check_site(site).countries["ee"].events  # checked without an error


def test_a_reference_the_sites_own_build_leaves_out_does_not_bind_an_earlier_wording(tmp_path: Path) -> None:
    """rev-final3: a reference page dated after the site's date is a note (the site leaves it out); with Tonga's
    earlier wording citing beside it, it was an error whose hint (end the wording after that date) was another."""
    site = shipped(tmp_path)
    whole = check_site(site)
    edit(site / "content/references/facts.yaml", '  published: "2025-12-09"  # the date in the page\'s address',
         '  published: "2026-12-10"')
    left = check_site(site)
    # As the note says (rev-final4): the words that cite it go with it, here the States Parties fact that names its
    # date; the others stand.
    gone = [f.id for f in whole.treaty.facts if any(c.id == "sp07" for c in f.cite)]
    assert gone and [f.id for f in left.treaty.facts] == [f.id for f in whole.treaty.facts if f.id not in gone]
    # Nor does an earlier wording that cites it: its hint (end the wording after 10 December 2026) would be an error.
    edit(site / "content/treaty.yaml", "cite: [ref:sp06, ref:sp03]\n", "cite: [ref:sp06, ref:sp03, ref:sp07]\n")
    check_site(site)


def test_a_reviews_earlier_wording_is_checked_as_an_events(tmp_path: Path) -> None:
    """rev-final4: a review's overtaken or contested `earlier` wording was not checked against the references' days,
    nor the site's date, nor refused a claim as a citation, as the record's own citations are."""
    site = shipped(tmp_path)
    claims = site / "content/claims/liberty-post.yaml"
    anchor = "      cite: [ref:ee06, ref:lv07]\n    earlier:  # as the pages of 18 March"
    original = claims.read_text(encoding="utf-8")
    cases = {
        "[{before: 2026-01-10, says: \"x\", cite: [ref:ee06, ref:pl10]}]": "but it cites 'pl10', which a build shows",
        "[{before: 2099-01-01, says: \"x\", cite: [ref:ee06]}]": "after the site's date (2026-12-06)",
        "[{before: 2026-01-10, says: \"x\", cite: [claim:lp-four-members]}]": "a claim cannot be checked against",
    }
    for wording, message in cases.items():
        claims.write_text(original, encoding="utf-8")
        edit(claims, anchor, anchor.replace("\n", f"\n      earlier: {wording}\n", 1))
        with pytest.raises(ContentErrors) as caught:
            check_site(site)
        assert message in caught.value.report(), (wording, caught.value.report())


def test_an_events_earlier_wording_dates_it_on_or_before_a_day_only_where_a_build_can_show_it(tmp_path: Path) -> None:
    """An event's earlier wording may date it only as on or before a day (`by`: Latvia's notice, which the pages of
    29 June to 26 December 2025 record but do not date): a day before the event's own, or one no build shows with
    the wording, is refused at `by`; a treaty fact's wording has no `by` (an unknown field)."""
    site = shipped(tmp_path)
    latvia, treaty = site / "content/countries/lv.yaml", site / "content/treaty.yaml"
    original = latvia.read_text(encoding="utf-8")
    cases = {
        "2025-06-26": "lv.yaml:48:13: earlier wording dates the event on or before 2025-06-26, before its own date "
                      "(2025-06-27)",
        "2025-12-27": "lv.yaml:48:13: earlier wording dates the event on or before 2025-12-27, but ends on 2025-12-27",
    }
    for day, message in cases.items():
        latvia.write_text(original.replace("        by: 2025-06-29\n", f"        by: {day}\n"), encoding="utf-8")
        with pytest.raises(ContentErrors) as caught:
            check_site(site)
        assert message in caught.value.report(), (day, caught.value.report())
    latvia.write_text(original, encoding="utf-8")
    edit(treaty, "[{before: 2013-12-31, value:", "[{by: 2013-01-01, before: 2013-12-31, value:")
    with pytest.raises(ContentErrors) as caught:
        check_site(site)
    assert "'by'" in caught.value.report(), caught.value.report()
