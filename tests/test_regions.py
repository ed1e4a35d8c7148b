"""The status maps' region (site.yaml's `map: {region: ...}`): a world map draws the countries a map of Europe
leaves in boxes, every map of the site follows it, and a site left on the default hears of the countries its map
cannot draw."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builder.__main__ import main
from tests.conftest import copy_site

ARGENTINA = """name: "Argentina"
iso2: "AR"
events:
  - kind: in-force
    date: 1999-09-01
    cite: [ref:r1]
  - kind: withdrawal-announced
    date: 2025-06-02
    cite: [ref:r1]
"""
UNITED_STATES = """name: "United States"
iso2: "US"
never_joined: {cite: [ref:r1]}
"""


def site_with_argentina(root: Path, region: str | None, *, templates: bool = False) -> Path:
    """The error tests' small site (Poland), with Argentina, which announced its withdrawal, and the United States,
    which never joined, on the map of `region` (None: site.yaml says nothing of the map)."""
    site = copy_site(root, templates=templates)
    (site / "content/countries/ar.yaml").write_text(ARGENTINA, encoding="utf-8")
    (site / "content/countries/us.yaml").write_text(UNITED_STATES, encoding="utf-8")
    if region is not None:
        with (site / "site.yaml").open("a", encoding="utf-8") as config:
            config.write(f"map:\n  region: {region}\n")
    return site


def built(site: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, str], str]:
    """The home, map and Argentina's pages of a build, and what the build printed to stderr."""
    capsys.readouterr()
    assert main(["--root", str(site), "build", "--no-cache"]) == 0
    pages = {rel: (site / "public" / rel / "index.html").read_text(encoding="utf-8")
             for rel in ("", "map", "countries/ar", "countries/us")}
    return pages, capsys.readouterr().err


def shape(page: str, iso2: str) -> str:
    """The linked group of a country on the page's first map: its shape (a path on the map, a rect in a box)."""
    found = re.search(rf'<a href="[^"]*" aria-label="[^"]*" class="map-link country-{iso2}">.*?</a>', page)
    assert found, f"{iso2} is not linked on the map"
    return found.group()


def test_the_world_map_draws_argentina_and_the_united_states(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    pages, err = built(site_with_argentina(tmp_path / "site", "world"), capsys)
    for rel, page in pages.items():
        # drawn with their shapes and statuses, on every map; none in a box below it
        assert re.search(r'<path class="country status-announced( is-highlighted)?" d="m', shape(page, "ar")), rel
        assert re.search(r'<path class="country status-never-joined( is-highlighted)?" d="m', shape(page, "us")), rel
        assert "Outside the map" not in page and "(box below the map)" not in page, rel
        assert "Europe" not in page, rel
    home = pages[""]
    assert '<title id="status-map">Map of the world: each country' in home
    assert 'aria-label="Argentina: State Party, withdrawal announced"' in shape(home, "ar")
    # the screen-reader names of the countries it draws but does not cover are the world's, not Europe's
    assert "<title>Brazil</title>" in home and "<title>Australia</title>" in home
    assert 'class="country status-announced is-highlighted"' in shape(pages["countries/ar"], "ar")
    # the map page: its date control's rows, and small maps zoomed on Poland and Argentina, whose statuses changed
    dated = json.loads(re.search(r'<tr data-iso="ar" data-changes="([^"]*)"', pages["map"]).group(1)
                       .replace("&#34;", '"').replace("&quot;", '"'))
    assert [step[1] for step in dated] == ["party", "announced"]
    series = re.search(r'<svg [^>]*class="status-map is-compact" viewBox="([-\d. ]+)"', pages["map"])
    assert series and float(series.group(1).split()[2]) < 600  # their part of the world, not all of it
    assert "note:" not in err


def test_a_map_of_europe_is_the_default_and_says_whom_it_cannot_draw(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    default, err = built(site_with_argentina(tmp_path / "default", None), capsys)
    assert '<title id="status-map">Map of Europe and its neighbours: each country' in default[""]
    assert '<rect class="country status-announced"' in shape(default[""], "ar")  # a box below the map
    assert "Outside the map" in default[""] and "<title>Brazil</title>" not in default[""]
    assert err == (
        "site.yaml:1:1: note: Argentina and United States are not on the status map, which shows Europe and its "
        "neighbours (the default region): the pages show each in a box below the map\n"
        "  hint: to draw them, add 'map:' to site.yaml with 'region: world' under it (docs/content-model.md); "
        "'region: europe' keeps this map and says no more\n")
    chosen, err = built(site_with_argentina(tmp_path / "chosen", "europe"), capsys)
    assert chosen == default and "note:" not in err  # the same pages; a site that chose its map is told no more
    capsys.readouterr()
    assert main(["--root", str(tmp_path / "default"), "check"]) == 0
    assert "note: Argentina and United States are not on the status map" in capsys.readouterr().err
    with (tmp_path / "default/site.yaml").open("a", encoding="utf-8") as config:
        config.write("map:\n")  # an empty setting chooses nothing
    assert main(["--root", str(tmp_path / "default"), "check"]) == 0
    assert "note: Argentina and United States are not on the status map" in capsys.readouterr().err


def test_a_site_s_own_geometry_replaces_the_theme_s(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = site_with_argentina(tmp_path / "site", "world", templates=True)
    geometry = site / "templates/geo/world.json"
    data = json.loads(geometry.read_text(encoding="utf-8"))
    data["outside"]["AR"] = data["countries"].pop("AR")["name"]  # its world without Argentina's shape
    geometry.write_text(json.dumps(data), encoding="utf-8")
    pages, _ = built(site, capsys)
    assert '<rect class="country status-announced"' in shape(pages[""], "ar")
    assert '<path class="country status-never-joined" d="m' in shape(pages[""], "us")


def test_the_note_follows_an_edit_of_the_site_s_own_geometry(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # the disk cache keeps the site's own files validated, notes and all: an edit of its map's geometry is one of them
    site = site_with_argentina(tmp_path / "site", None, templates=True)
    capsys.readouterr()
    for _ in range(2):  # a cold cache keeps none of them: the build after it does (made, not "nothing changed")
        assert main(["--root", str(site), "build", "--take-over"]) == 0
        assert "note: Argentina and United States are not on the status map" in capsys.readouterr().err
    geometry = site / "templates/geo/europe.json"
    data = json.loads(geometry.read_text(encoding="utf-8"))
    world = json.loads((site / "templates/geo/world.json").read_text(encoding="utf-8"))
    data["countries"]["AR"] = world["countries"]["AR"]  # (where the world map has it: it only needs to be drawn)
    geometry.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--root", str(site), "build"]) == 0
    assert "note: United States is not on the status map" in capsys.readouterr().err
