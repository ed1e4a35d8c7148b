"""The pictures in Chromium: the status maps (today's, a country's, the series), the timelines and the
comparison grid, each at phone and wide widths in light and dark mode.

No screenshots are taken (nothing would compare them). axe checks each picture (the map's table and the grid
included) in test_pages_browser.py, whose axe run on the whole page in each viewport and scheme takes it in, and
here only a picture folded away there, which is looked at unfolded here (in the dark scheme, axe's colour rules
only, as there). The Nu checker checks the pages that hold them with every other page of the same build
(test_pages_browser.py). Pages must not scroll sideways; the grid scrolls inside its own focusable region instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.model import Site
from tests.browser.test_pages_browser import SCHEMES, SUBPATH, VIEWPORTS, axe_category
from tests.support.browser import Tab
from tests.support.checkers import format_axe, require_axe, run_axe


def leaving_country(site: Site) -> str:
    return next(c.id for c in sorted(site.countries.values(), key=lambda c: c.id)
                if c.status_today and c.status_today.key in ("announced", "pending", "withdrawn"))


def pictures(site: Site) -> dict[str, tuple[str, str]]:
    """Each picture: (the page it is on, relative to the base; a selector for it)."""
    country = f"countries/{leaving_country(site)}/"
    return {
        "map": ("", "#status-today ~ .map-figure"),
        "map-table": ("", "#status-today ~ .map-table-wrap"),
        "country-map": (country, ".status-today .map-figure"),
        "country-map-table": (country, ".status-today .map-table-wrap"),
        "series": ("map/", ".map-series"),
        "timeline": ("", "#key-dates ~ ol.timeline"),
        "country-timeline": (country, "#timeline ~ ol.timeline"),
        "matrix": ("compare/", ".matrix-scroll"),
    }


@pytest.mark.parametrize("name", ["map", "map-table", "country-map", "country-map-table", "series", "timeline",
                                  "country-timeline", "matrix"])
def test_picture_in_every_viewport_and_scheme(name: str, built: tuple[Site, Path], server: str,
                                              tabs: dict[str, Tab]) -> None:
    require_axe()
    site, _ = built
    path, selector = pictures(site)[name]
    tab = tabs["policy"]  # under the page's own policy, as test_pages_browser
    page = tab.page
    for width, height in VIEWPORTS.values():
        tab.load(server + path, width, height)
        folded = page.locator("details:has(" + selector.split()[-1] + ")").all()
        for details in folded:
            details.evaluate("details => details.open = true")  # a folded table is looked at unfolded
        picture = page.locator(selector)
        assert picture.count() == 1, f"{name}: {selector}"
        for scheme in SCHEMES:
            where = f"{name} at {width}x{height}, {scheme}"
            page.emulate_media(color_scheme=scheme)
            assert picture.is_visible(), where
            box = picture.bounding_box()
            assert box is not None and box["width"] <= width and box["x"] >= 0, f"{where}: wider than the screen"
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, f"{where}: the page is {overflow}px wider than the screen"
            if folded:  # else test_pages_browser's axe run on the whole page, same viewport and scheme, covers it
                violations = run_axe(page, context=selector, category=axe_category(scheme))
                assert violations == [], f"{where}:\n{format_axe(violations)}"
        assert tab.errors == [], f"{name} at {width}x{height}: console errors"


def test_map_links_and_colours_are_drawn(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    """Every country with a page is a visible, linked shape, filled by its status's colour (not left black)."""
    site, _ = built
    page = tabs["policy"].page
    tabs["policy"].load(server, *VIEWPORTS["wide"])
    for country in site.countries.values():
        link = page.locator(f"svg.status-map a.country-{country.iso2.lower()}")
        assert link.count() == 1, country.id
        assert link.get_attribute("href") == f"{SUBPATH}countries/{country.id}/"
        box = link.bounding_box()
        assert box is not None and box["width"] > 3 and box["height"] > 3, f"{country.id}: too small to click"
        fill = link.locator(".country").evaluate("e => getComputedStyle(e).fill")
        assert fill not in ("rgb(0, 0, 0)", "none"), f"{country.id}: not coloured ({fill})"
    # A keyboard user reaches the countries: Tab lands on a map link with its name and status.
    page.locator("svg.status-map a").first.focus()
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label and ":" in label


def test_matrix_scrolls_inside_its_region_on_a_phone(built: tuple[Site, Path], server: str,
                                                     tabs: dict[str, Tab]) -> None:
    page = tabs["policy"].page
    tabs["policy"].load(server + "compare/", *VIEWPORTS["phone"])
    region = page.locator(".matrix-scroll")
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    # The region may scroll; the question column stays in view when it does.
    first = page.locator(".matrix tbody th").first
    before = first.bounding_box()
    region.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    after = first.bounding_box()
    assert before is not None and after is not None and abs(before["x"] - after["x"]) < 1


def test_pictures_print_with_their_text(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    """In print the map's table, the timeline and the whole grid are shown (nothing cut off by a scroll box)."""
    site, _ = built
    page = tabs["policy"].page
    tabs["policy"].load(server, 800, 1000)
    page.emulate_media(media="print")
    assert page.locator(".map-table").is_visible()
    assert page.locator("#key-dates ~ ol.timeline").is_visible()
    page.goto(server + "compare/")
    page.emulate_media(media="print")
    region = page.locator(".matrix-scroll")
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the grid is cut off in print"


def test_series_works_without_javascript(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    page = tabs["no script"].page
    tabs["no script"].load(server + "map/")
    figures = page.locator(".map-series figure")
    assert figures.count() >= 1
    for index in range(figures.count()):
        figure = figures.nth(index)
        assert figure.locator("svg").is_visible() and figure.locator("figcaption time").is_visible()
