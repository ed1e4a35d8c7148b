"""What every browser test shares: one Chromium per session, and the shipped site built once under a project
subpath and served (a module that needs another site defines its own `built` and `server`). Under pytest-xdist,
each worker has its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import check_site, publish
from builder.model import Site
from tests.support.browser import chromium_browser, require_chromium, serve_directory

REPO = Path(__file__).resolve().parents[2]
SUBPATH = "/ottawa-exit/"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    require_chromium()
    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    site = check_site(REPO, base_url="https://example.org" + SUBPATH)
    out = tmp_path_factory.mktemp("shipped") / "public"
    publish(site, REPO / "templates", out)
    return site, out


@pytest.fixture(scope="session")
def server(built: tuple[Site, Path]) -> Iterator[str]:
    with serve_directory(built[1], SUBPATH) as base:
        yield base
