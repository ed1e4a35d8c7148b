"""A site whose countries are all outside the map (the theme's is of Europe and its neighbours) shows the map's
table alone: no drawing of countries it does not cover, read out to screen readers, and no boxes below it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import builder.pages
from builder.__main__ import main
from builder.maps import Geometry, load_geometry
from tests.conftest import copy_site


def without_poland(path: Path) -> Geometry:
    geometry = load_geometry(path)
    return replace(geometry, countries={k: v for k, v in geometry.countries.items() if k != "PL"})


@pytest.mark.parametrize("on_map", [True, False])
def test_a_map_none_of_whose_countries_is_on_it_is_left_out(on_map: bool, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if not on_map:
        monkeypatch.setattr(builder.pages, "load_geometry", without_poland)
    site = copy_site(tmp_path / "site", templates=False)
    assert main(["--root", str(site), "build", "--no-cache"]) == 0
    home = (site / "public/index.html").read_text(encoding="utf-8")
    country = (site / "public/countries/pl/index.html").read_text(encoding="utf-8")
    note = ('<p class="map-none">The map shows Europe and its neighbours, and none of the countries this site covers '
            'is on it: the table says where each stands.</p>')
    for page in (home, country):
        assert ('<figure class="map-figure"' in page) is on_map
        assert (note in page) is not on_map
        assert "(box below the map)" not in page and "Outside the map" not in page
    assert ("<summary>The map as a list of countries</summary>" in country) is on_map  # the table folded
    assert "<caption>Each country this site covers, with its status on" in home or on_map
