"""A citation tells who published the cited page and when: on hover and keyboard focus on a desktop, on a tap of
its "i" on a phone, and in print with the page's address."""

from __future__ import annotations

from pathlib import Path

from builder.model import Site

FIRST_CITE = "main .summary-sentence .cite-wrap:has(a.cite-ref)"



def expected_tip(site: Site, wrap) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    ref_id = wrap.locator("a.cite").get_attribute("href").rsplit("#ref-", 1)[1]
    reference = site.references[ref_id]
    return reference.outlet, reference.published.human if reference.published else "date not stated"


def tip_shown(wrap) -> bool:  # type: ignore[no-untyped-def]
    """The tip is laid out as a box a person can read, not clipped to the 1px that screen readers get."""
    box = wrap.locator(".cite-tip").bounding_box()
    return box is not None and box["width"] > 40 and box["height"] > 10


def test_hover_and_keyboard_focus_show_outlet_and_date(built: tuple[Site, Path], server: str, browser) -> None:
    site, _ = built
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server)
    wrap = page.locator(FIRST_CITE).first
    outlet, when = expected_tip(site, wrap)
    assert not tip_shown(wrap)
    assert not wrap.locator(".cite-more").is_visible(), "a mouse needs no 'i'"
    wrap.locator("a.cite").hover()
    assert tip_shown(wrap)
    assert wrap.locator(".cite-outlet").inner_text() == outlet
    assert wrap.locator(".cite-date").inner_text() == when
    page.mouse.move(0, 0)
    assert not tip_shown(wrap)
    page.keyboard.press("Tab")  # the skip link, then on until the citation's link has focus
    for _ in range(200):
        if page.evaluate("document.activeElement.matches('main .summary-sentence a.cite-ref')"):
            break
        page.keyboard.press("Tab")
    focused = page.locator("main .summary-sentence .cite-wrap:focus-within").first
    assert tip_shown(focused)
    context.close()


def test_a_tap_shows_outlet_and_date_on_a_phone(built: tuple[Site, Path], server: str, browser) -> None:
    site, _ = built
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    page = context.new_page()
    page.goto(server)
    assert page.evaluate("matchMedia('(hover: none)').matches")
    wrap = page.locator(FIRST_CITE).first
    outlet, when = expected_tip(site, wrap)
    more = wrap.locator(".cite-more")
    assert more.is_visible()
    box = more.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, "a target a finger can hit (WCAG 2.5.8)"
    assert not tip_shown(wrap)
    more.tap()
    assert tip_shown(wrap)
    assert page.url.rstrip("/") == server.rstrip("/"), "the tap showed the tip without leaving the page"
    assert wrap.locator(".cite-outlet").inner_text() == outlet
    assert wrap.locator(".cite-date").inner_text() == when
    context.close()


def test_print_shows_each_citations_outlet_date_and_address(built: tuple[Site, Path], server: str,
                                                            browser) -> None:
    site, _ = built
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    page = context.new_page()
    page.goto(server)
    wrap = page.locator(FIRST_CITE).first
    address = site.references[wrap.locator("a.cite").get_attribute("href").rsplit("#ref-", 1)[1]].url
    assert not wrap.locator(".cite-address").is_visible()
    page.emulate_media(media="print")
    assert wrap.locator(".cite-address").is_visible()
    assert wrap.locator(".cite-address").inner_text() == f", {address}"
    assert page.evaluate("getComputedStyle(document.querySelector('.cite-tip')).position") == "static"
    assert not wrap.locator(".cite-more").is_visible()
    context.close()
