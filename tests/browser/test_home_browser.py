"""The home page's first screen says who left, when it took effect, and where the sources err or disagree: at
1280x800 without scrolling, and within the first two screens of a phone."""

from __future__ import annotations

import pytest

from tests.support.browser import Tab


@pytest.mark.parametrize(("width", "height", "screens"), [(1280, 800, 1), (390, 844, 2)])
def test_the_first_screens_say_who_left_when_and_where_the_sources_err(server: str, tabs: dict[str, Tab], width: int,
                                                                       height: int, screens: int) -> None:
    page = tabs["policy"].page
    tabs["policy"].load(server, width, height)
    standings = page.locator(".standings li")
    findings = page.locator(".glance-findings .finding")
    assert standings.count() == 3  # Estonia, Latvia and Lithuania together; Finland; Poland
    assert 1 <= findings.count() <= 3
    texts = " ".join(standings.all_inner_texts())
    for words in ("Estonia", "Finland", "Poland", "Withdrawn", "27 December 2025", "20 February 2026"):
        assert words in texts
    assert "Wrong when written" in findings.first.inner_text()
    for element in (*standings.all(), *findings.all()):
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height * screens, element.inner_text()
