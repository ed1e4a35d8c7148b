"""The live preview in Chromium: an edit shows up without a manual reload, an error replaces the page, a fix
brings it back; for content, a template and the stylesheet. Every wait is bounded; nothing sleeps."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import copy_site
from tests.test_serve import PreviewProcess, running_preview

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, WebSocket

WAIT_MS = 60_000  # bounds a failure only: every wait ends at its event
COUNTRY = "content/countries/pl.yaml"
TEMPLATE = "templates/country.html"
STYLESHEET = "templates/assets/style.css"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


@pytest.fixture
def preview(site: Path) -> Iterator[PreviewProcess]:
    with running_preview(site, args=("--verbose",)) as running:  # it prints each page a browser opens
        yield running


@pytest.fixture
def page(browser: Browser, preview: PreviewProcess) -> Iterator[Page]:
    from playwright.sync_api import expect

    context = browser.new_context()
    tab = context.new_page()
    open_watched(tab, preview, "countries/pl/")
    expect(tab.locator("h1")).to_have_text("Poland", timeout=WAIT_MS)
    try:
        yield tab
    finally:
        context.close()


def open_watched(tab: Page, preview: PreviewProcess, page: str) -> None:
    """Open a page of the preview and wait until it has told the preview which page and build it shows, and the
    preview has taken it in (`--verbose` prints "open: <its file>"): the event after which an edit rebuilds (and
    reloads) it first. A frame sent is not yet one read: an edit saved just after could be built first, without
    the page. Its WebSocket's frames are listened to from the moment it opens, so a report sent before the wait
    began is not missed."""
    opened = f"open: {page}index.html\n"
    seen = preview.lines.count(opened)
    sockets: list[WebSocket] = []
    reports: list[str] = []

    def listen(socket: WebSocket) -> None:
        sockets.append(socket)
        socket.on("framesent", lambda payload: reports.append(str(payload)) if "preview-build" in str(payload)
                  else None)

    tab.on("websocket", listen)
    tab.goto(preview.url + page)
    while not reports:  # each frame sent (hello, info, then the report) ends one wait
        socket = sockets[-1] if sockets else tab.wait_for_event("websocket", timeout=WAIT_MS)
        if not reports:
            socket.wait_for_event("framesent", timeout=WAIT_MS)
    preview.wait_for_lines(lambda lines: lines.count(opened) > seen)


def edit(path: Path, old: str, new: str) -> None:
    """Save an edit as most editors do: the new text under another name, then renamed over the file. Written in
    place, a loaded machine could let the watcher see the file emptied before it is written (a build of an empty
    claims file fails, and the open page is then not made first: it shows the errors until a build succeeds)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    root = next(folder for folder in path.parents if (folder / "site.yaml").is_file())
    saved = root.parent / f"{path.name}.saving"  # beside the site, not in a folder the preview watches
    saved.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(saved, path)


def expect_error_page(page: Page, where: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#preview-errors")).to_contain_text(where, timeout=WAIT_MS)


def test_country_change_error_and_fix_show_without_reload(page: Page, site: Path) -> None:
    from playwright.sync_api import expect

    country = site / COUNTRY
    edit(country, 'name: "Poland"', 'name: "Polska"')
    expect(page.locator("h1")).to_have_text("Polska", timeout=WAIT_MS)
    edit(country, 'name: "Polska"', 'name: ["Polska"')
    expect_error_page(page, "content/countries/pl.yaml:")
    edit(country, 'name: ["Polska"', 'name: "Poland again"')
    expect(page.locator("h1")).to_have_text("Poland again", timeout=WAIT_MS)


def test_template_change_error_and_fix_show_without_reload(page: Page, site: Path) -> None:
    from playwright.sync_api import expect

    template = site / TEMPLATE
    edit(template, "<h1>{{ country.name }}</h1>", "<h1>{{ country.name }} (edited)</h1>")
    expect(page.locator("h1")).to_have_text("Poland (edited)", timeout=WAIT_MS)
    edit(template, "{{ country.name }} (edited)", "{{ country.name }} {% if %}")
    expect_error_page(page, "country.html")
    edit(template, "{{ country.name }} {% if %}", "{{ country.name }} (fixed)")
    expect(page.locator("h1")).to_have_text("Poland (fixed)", timeout=WAIT_MS)


def test_stylesheet_change_removal_and_return_show_without_reload(page: Page, site: Path) -> None:
    from playwright.sync_api import expect

    stylesheet = site / STYLESHEET
    original = stylesheet.read_text(encoding="utf-8")
    stylesheet.write_text(original + "\nh1 { outline: 3px solid rgb(1, 2, 3); }\n", encoding="utf-8")
    expect(page.locator("h1")).to_have_css("outline-color", "rgb(1, 2, 3)", timeout=WAIT_MS)
    stylesheet.unlink()  # the site's override gone, the theme's stylesheet is the site's again
    expect(page.locator("h1")).not_to_have_css("outline-color", "rgb(1, 2, 3)", timeout=WAIT_MS)
    expect(page.locator("h1")).to_have_text("Poland")
    stylesheet.write_text(original + "\nh1 { outline: 3px solid rgb(4, 5, 6); }\n", encoding="utf-8")
    expect(page.locator("h1")).to_have_css("outline-color", "rgb(4, 5, 6)", timeout=WAIT_MS)
    expect(page.locator("h1")).to_have_text("Poland")


def test_hundred_rapid_saves_leave_the_open_page_current(page: Page, site: Path) -> None:
    from playwright.sync_api import expect

    country = site / COUNTRY
    text = country.read_text(encoding="utf-8")
    for n in range(100):
        country.write_text(text.replace('name: "Poland"', f'name: "Poland {n:03}"'), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Poland 099", timeout=WAIT_MS)
    country.write_text(text.replace('name: "Poland"', 'name: "Poland, after the storm"'), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Poland, after the storm", timeout=WAIT_MS)


def test_a_claim_edit_reloads_its_open_source_page_first(browser: Browser, preview: PreviewProcess,
                                                         site: Path) -> None:
    from playwright.sync_api import expect

    context = browser.new_context()
    tab = context.new_page()
    try:
        open_watched(tab, preview, "sources/wire/")
        edit(site / "content/claims/wire.yaml", "Poland will leave the Convention.", "Poland quits the Convention.")
        expect(tab.locator("main")).to_contain_text("Poland quits the Convention.", timeout=WAIT_MS)
        # Printed before the page is told to reload, but read by another thread: waited for, not looked up.
        preview.wait_for_lines(lambda lines: any(line.startswith("made first: sources/wire/index.html")
                                                 for line in lines))
    finally:
        context.close()


def test_an_open_page_says_which_page_it_is_then_that_it_is_loaded(browser: Browser, preview: PreviewProcess
                                                                   ) -> None:
    """The second report lets the worker build the whole site once the pages it made first are loaded again."""
    context = browser.new_context()
    tab = context.new_page()
    sent: list[str] = []
    tab.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append(str(payload))))
    try:
        with tab.expect_websocket(timeout=WAIT_MS) as opened:
            tab.goto(preview.url + "countries/pl/")
        socket = opened.value
        while not any("preview-loaded" in frame for frame in sent):
            socket.wait_for_event("framesent", timeout=WAIT_MS)
        reports = [frame for frame in sent if "preview-" in frame]
        assert "preview-build" in reports[0] and "preview-loaded" in reports[1]
        assert tab.evaluate("document.readyState") == "complete"
    finally:
        context.close()
