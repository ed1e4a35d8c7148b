"""What every browser test shares: one Chromium per session, two tabs in it for the tests that load a page and look
at it, and the shipped site built once under a project subpath and served (a module that needs another site defines
its own `built` and `server`). Under pytest-xdist, each worker has its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from builder.model import Site
from tests.support.browser import Tab, chromium_browser, require_chromium, serve_directory

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parents[2]
SUBPATH = "/ottawa-exit/"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    require_chromium()
    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def built(build_once: Callable[[Path, str], tuple[Site, Path]]) -> tuple[Site, Path]:
    return build_once(REPO, "https://example.org" + SUBPATH)  # the build test_site.py reads at a subpath


@pytest.fixture(scope="session")
def server(built: tuple[Site, Path]) -> Iterator[str]:
    with serve_directory(built[1], SUBPATH) as base:
        yield base


@pytest.fixture(scope="session")
def tabs(browser: Browser) -> Iterator[dict[str, Tab]]:
    """Two tabs for the whole session: "policy" loads a page under its own Content-Security-Policy (axe runs there
    too: run_axe evaluates it as DevTools would, which that policy does not govern), and "no script" with
    JavaScript off. A test that needs more of its browser (a touch screen, a pointer, an init script) makes its own
    context."""
    contexts = {"policy": browser.new_context(), "no script": browser.new_context(java_script_enabled=False)}
    yield {name: Tab(context.new_page()) for name, context in contexts.items()}
    for context in contexts.values():
        context.close()
