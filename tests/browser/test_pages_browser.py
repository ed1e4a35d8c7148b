"""Every page type in Chromium: phone and wide screen, light and dark; no console errors, no axe violations,
nothing fetched from another host, readable without JavaScript; and the Nu checker over every HTML file.

axe runs every rule in the light scheme and, in the dark one, the rules of its colour category (colour contrast,
links told from text by colour): the dark scheme changes colours only (test_the_dark_scheme_changes_colours_only),
so any other rule finds there what it found in the light scheme, at the same size.

No screenshots: nothing would compare them; every check here is an assertion.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.model import Site
from tests.support.browser import Tab
from tests.support.checkers import format_axe, format_vnu, require_axe, require_vnu, run_axe, run_vnu

SUBPATH = "/ottawa-exit/"
VIEWPORTS = {"phone": (390, 844), "wide": (1280, 900)}
SCHEMES = ("light", "dark")
# axe's category of the rules that read colours; in the dark scheme only these run (see above).
COLOUR_RULES = "cat.color"


def axe_category(scheme: str) -> str | None:
    """The rules axe runs in a scheme: all of them in the light one, those that read colours in the dark one."""
    return None if scheme == "light" else COLOUR_RULES


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

    # Under the page's own Content-Security-Policy: anything it blocks is logged as a console error.
    tab = tabs["policy"]
    page = tab.page
    for width, height in VIEWPORTS.values():
        response = tab.load(url, width, height)
        assert response is not None and response.status == status, f"{kind} at {width}x{height}"
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
            violations = run_axe(page, category=axe_category(scheme))
            assert violations == [], f"{where}:\n{format_axe(violations)}"
        assert [e for e in tab.errors if not expected(e)] == [], f"{kind} at {width}x{height}: console errors " \
                                                                 "under the CSP"
        assert tab.foreign == [], f"{kind} at {width}x{height}: fetched from another host"


DARK = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{")
COLOUR_SETTING = re.compile(r"--[\w-]+\s*:\s*#[0-9a-fA-F]{3,8}")  # a custom property set to a colour


def dark_blocks(css: str) -> list[str]:
    """The text inside each `@media (prefers-color-scheme: dark)` block, its rules' braces included."""
    blocks = []
    for found in DARK.finditer(css):
        depth, at = 1, found.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[at], 0)
            at += 1
        blocks.append(css[found.end():at - 1])
    return blocks


def test_the_dark_scheme_changes_colours_only(built: tuple[Site, Path]) -> None:
    """What lets axe run only its colour rules in the dark scheme: nothing the site sends asks for the scheme but
    its stylesheet's dark blocks, and those set custom properties to colours, nothing else."""
    _, out = built
    asking = sorted(path.relative_to(out).as_posix() for path in out.rglob("*")
                    if path.is_file() and b"prefers-color-scheme" in path.read_bytes())
    assert asking == ["assets/style.css"]
    css = re.sub(r"/\*.*?\*/", "", (out / "assets/style.css").read_text(encoding="utf-8"), flags=re.S)
    blocks = dark_blocks(css)
    assert len(blocks) == css.count("prefers-color-scheme") >= 1
    for block in blocks:
        rules = re.findall(r"([^{}]*)\{([^{}]*)\}", block)
        assert "".join(selector + body for selector, body in rules).strip() == re.sub(r"[{}]", "", block).strip()
        for selector, body in rules:
            settings = [s.strip() for s in body.split(";") if s.strip()]
            assert [s for s in settings if not COLOUR_SETTING.fullmatch(s)] == [], selector.strip()


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
