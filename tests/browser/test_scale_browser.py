"""The pages a large site is cut into, in Chromium at phone and wide-screen widths: the split comparison's index
and a question's page, a country's first and second pages, the sources list's second page. Each has one h1,
scrolls nowhere sideways, passes axe, logs no error under its Content-Security-Policy, and its pager leads on.

The site is the golden test's synthetic one (600 pages), large enough to be cut (tests/test_scale.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from builder.model import Site
from tests.browser.test_pages_browser import VIEWPORTS
from tests.support.browser import Tab, serve_directory
from tests.support.checkers import format_axe, require_axe, run_axe


@pytest.fixture(scope="module")
def built(build_once: Callable[[Path, str | None], tuple[Site, Path]], synthetic_site: Path) -> tuple[Site, Path]:
    """The synthetic site built at its own base URL, whose path is a subpath (/bench/): the build test_scale.py
    reads (once per test run: tests/conftest.py), not a second build of 600 pages at another subpath."""
    site, out = build_once(synthetic_site, None)
    assert site.config.base_path not in ("", "/"), "served at a subpath, as a project site is"
    return site, out


@pytest.fixture(scope="module")
def server(built: tuple[Site, Path]) -> Iterator[str]:
    with serve_directory(built[1], built[0].config.base_path) as base:
        yield base


def paged_country(out: Path) -> str:
    return next(folder.parent.name for folder in sorted(out.glob("countries/*/page")))


def cut_pages(out: Path, site: Site) -> dict[str, str]:
    country = paged_country(out)
    return {"compare index": "compare/", "question": f"compare/{next(iter(site.comparisons))}/",
            "country": f"countries/{country}/", "country page 2": f"countries/{country}/page/2/",
            "sources page 2": "sources/page/2/"}


@pytest.mark.parametrize("kind", ["compare index", "question", "country", "country page 2", "sources page 2"])
def test_a_cut_page_in_every_viewport(kind: str, built: tuple[Site, Path], server: str,
                                      tabs: dict[str, Tab]) -> None:
    require_axe()
    site, out = built
    url = server + cut_pages(out, site)[kind]
    tab = tabs["policy"]  # the page's own policy: anything it blocks is logged as a console error
    page = tab.page
    for width, height in VIEWPORTS.values():
        where = f"{kind} at {width}x{height}"
        response = tab.load(url, width, height)
        assert response is not None and response.status == 200, where
        assert page.locator("h1").count() == 1, where
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{where}: the page is {overflow}px wider than the screen"
        violations = run_axe(page)
        assert violations == [], f"{where}:\n{format_axe(violations)}"
        assert tab.errors == [] and tab.foreign == [], where


def test_the_pager_leads_from_a_countrys_first_page_to_its_second_and_back(built: tuple[Site, Path], server: str,
                                                                           tabs: dict[str, Tab]) -> None:
    _, out = built
    country = paged_country(out)
    page = tabs["policy"].page
    tabs["policy"].load(server + f"countries/{country}/", *VIEWPORTS["phone"])
    page.locator("nav.pager a[rel=next]").click()
    assert page.url == server + f"countries/{country}/page/2/"
    assert page.locator("nav.pager [aria-current=page]").first.text_content() == "Page 2"
    page.locator("nav.pager a[rel=prev]").first.click()
    assert page.url == server + f"countries/{country}/"
