"""Every page type in Chromium: phone and wide screen, light and dark; no console errors, no axe violations,
nothing fetched from another host, readable without JavaScript; and the Nu checker over every HTML file.

No screenshots: nothing would compare them; every check here is an assertion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.model import Site
from tests.support.browser import Tab
from tests.support.checkers import format_axe, format_vnu, require_axe, require_vnu, run_axe, run_vnu

SUBPATH = "/ottawa-exit/"
VIEWPORTS = {"phone": (390, 844), "wide": (1280, 900)}
SCHEMES = ("light", "dark")


def page_paths(site: Site) -> dict[str, str]:
    """One URL (relative to the base) per page type."""
    leaving = next(c for c in sorted(site.countries.values(), key=lambda c: c.id)
                   if c.status_today and c.status_today.key in ("announced", "pending", "withdrawn"))
    return {
        "home": "", "treaty": "treaty/", "countries": "countries/", "country": f"countries/{leaving.id}/",
        "map": "map/", "compare": "compare/", "sources": "sources/", "source": f"sources/{sorted(site.sources)[0]}/",
        "references": "references/", "methodology": "methodology/", "changes": "changes/",
        "search": "search/?q=Finland", "404": "no-such-page/",
    }


PAGE_KINDS = ("home", "treaty", "countries", "country", "map", "compare", "sources", "source", "references",
              "methodology", "changes", "search", "404")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_in_every_viewport_and_scheme(kind: str, built: tuple[Site, Path], server: str,
                                           tabs: dict[str, Tab]) -> None:
    require_axe()
    site, _ = built
    url = server + page_paths(site)[kind]
    status = 404 if kind == "404" else 200
    # The server answers a missing page with 404.html, and Chromium logs that status as a console error.
    expected = (lambda e: "404" in e) if kind == "404" else (lambda e: False)

    # Once with the page's own Content-Security-Policy: anything it blocks is logged as a console error.
    tab = tabs["policy"]
    response = tab.load(url)
    assert response is not None and response.status == status
    assert [e for e in tab.errors if not expected(e)] == [], f"{kind}: console errors under the CSP"
    assert tab.foreign == [], f"{kind}: fetched from another host"

    # axe injects its own script, which that policy rightly refuses, so the rest runs with the CSP bypassed.
    tab = tabs["axe"]
    page = tab.page
    for width, height in VIEWPORTS.values():
        tab.load(url, width, height)
        if kind == "search":  # the results, searched for by the address, are part of what axe checks
            page.wait_for_selector(".search-count")
        for scheme in SCHEMES:
            where = f"{kind} at {width}x{height}, {scheme}"
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches"), where
            assert page.locator("h1").count() == 1, where
            # Nothing may scroll sideways, least of all on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, f"{where}: the page is {overflow}px wider than the screen"
            violations = run_axe(page)
            assert violations == [], f"{where}:\n{format_axe(violations)}"
        assert [e for e in tab.errors if not expected(e)] == [], f"{kind} at {width}x{height}: console errors"
        assert tab.foreign == [], f"{kind} at {width}x{height}: fetched from another host"


def test_pages_work_without_javascript(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    site, _ = built
    page = tabs["no script"].page
    for kind, path in page_paths(site).items():
        tabs["no script"].load(server + path)
        assert page.locator("h1").is_visible(), kind
        assert page.locator("nav[aria-label=Main] a").count() >= 6, kind


def test_print_stylesheet_hides_navigation(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    site, _ = built
    page = tabs["policy"].page
    tabs["policy"].load(server + page_paths(site)["source"], 800, 1000)
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert not page.locator(".skip-link").is_visible()
    assert page.locator("mark[id^=claim-]").first.is_visible()


def test_skip_link_moves_focus_to_main(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    page = tabs["policy"].page
    tabs["policy"].load(server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_claim_links_land_on_the_highlight(built: tuple[Site, Path], server: str, tabs: dict[str, Tab]) -> None:
    site, _ = built
    claim = next(c for c in site.claims.values() if not c.draft)
    page = tabs["policy"].page
    tabs["policy"].load(server + f"sources/{claim.source_id}/#claim-{claim.id}")
    mark = page.locator(f"mark#claim-{claim.id}")
    assert mark.is_visible()
    assert page.evaluate(f"document.querySelector('#claim-{claim.id}').matches(':target')")


def test_nu_checker_finds_no_errors(built: tuple[Site, Path]) -> None:
    require_vnu()
    _, out = built
    files = sorted(out.rglob("*.html"))
    assert len(files) >= len(PAGE_KINDS) - 1
    errors = run_vnu(files)
    assert errors == [], format_vnu(errors)
    print(f"\nNu checker: {len(files)} files, {len(errors)} errors")
