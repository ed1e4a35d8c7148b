"""A second site, on another kind of agreement (tests/fixtures/second-site: an invented pact one leaves at once, with
its own event kinds, background facts and labels), builds with the same code: the topic's rules are content."""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from builder.build import check_site, publish
from builder.cards import Card, render_card
from builder.model import Site
from tests.conftest import REPO

SECOND = REPO / "tests" / "fixtures" / "second-site"
PAGES = ["404.html", "changes/index.html", "compare/index.html", "countries/index.html", "countries/xb/index.html",
         "countries/xc/index.html", "index.html", "map/index.html", "methodology/index.html", "references/index.html",
         "search/index.html", "sources/example-daily/index.html", "sources/index.html", "treaty/index.html"]


@pytest.fixture(scope="module")
def site() -> Site:
    return check_site(SECOND)


@pytest.fixture(scope="module")
def public(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("second") / "public"
    publish(site, SECOND / "templates", out)
    return out


def test_its_pages_are_the_generators_pages(public: Path) -> None:
    assert sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html")) == PAGES


def test_a_pact_left_at_once_has_its_statuses_from_its_own_rules(site: Site) -> None:
    north, south = site.countries["xb"], site.countries["xc"]
    assert north.effective_date == date(2026, 3, 2)
    assert north.status_today is not None and north.status_today.key == "withdrawn"
    assert north.status_today.label == "Left the pact"
    assert [s.label for s in south.status_history] == ["Member"]
    assert north.status_today.explanation == ("Exit notified on 2 March 2026; under Article 7 of the example pact "
                                              "the withdrawal took effect at once, on 2 March 2026.")
    assert [s.key for s in north.status_history] == ["signed", "joining", "party", "announced", "withdrawn"]
    assert south.status_today is not None and south.status_today.explanation == (
        "The pact has been in force for it since 1 January 2012.")


def test_its_labels_facts_and_navigation_are_its_own(public: Path) -> None:
    page = (public / "countries/xb/index.html").read_text(encoding="utf-8")
    for own in ("The pact</a>", "Founding member", ">Left the pact</span>", "In the example customs union",
                "Parliament voted to leave",
                "Left the pact", "Example North (invented)"):
        assert own in page, own
    every = "".join(p.read_text(encoding="utf-8") for p in public.rglob("*.html"))
    for shipped in ("Ottawa", "Convention", "NATO", "Russia</th>", "Article 20", "The treaty"):
        assert shipped not in every, shipped


def test_a_site_that_names_a_status_otherwise_gets_its_key_in_classes_and_data(tmp_path: Path) -> None:
    root = tmp_path / "renamed"
    shutil.copytree(SECOND, root)
    with (root / "content" / "rules.yaml").open("a", encoding="utf-8") as rules:
        rules.write("\nstatus_keys:\n  party: member\n  withdrawn: left\n")
    site = check_site(root)
    south = site.countries["xc"]
    assert south.status_today is not None and (south.status_today.key, south.status_today.site_key) == (
        "party", "member")
    publish(site, root / "templates", root / "public")
    page = (root / "public/countries/xc/index.html").read_text(encoding="utf-8")
    assert '<span class="badge status status-member">Member</span>' in page
    # Its countries are all outside the map (of Europe): the page shows the map's table, its row under the key.
    assert '<tr class="map-row status-row-member is-current">' in page
    assert "status-party" not in page
    data = json.loads((root / "public/data/site.json").read_bytes())
    assert data["countries"]["xb"]["status_today"]["key"] == "left"
    assert [s["key"] for s in data["countries"]["xb"]["status_history"]] == [
        "signed", "joining", "member", "announced", "left"]
    map_page = (root / "public/map/index.html").read_text(encoding="utf-8")
    assert '"left":"diagonal"' in html.unescape(map_page)
    assert 'class="country status-member"' in map_page  # its maps draw it in a box below, under the site's key


def test_a_share_cards_map_colours_a_status_under_the_sites_own_class() -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
           '<path class="country status-{}" d="M0 0H10V10H0z"/></svg>')
    plain = Card("cards/home.png", "Site", "Explainer", "Title", "Line", svg.format("party"))
    renamed = Card("cards/home.png", "Site", "Explainer", "Title", "Line", svg.format("member"),
                   (("party", "member"),))
    assert render_card(renamed) == render_card(plain) != render_card(replace(renamed, status_classes=()))
