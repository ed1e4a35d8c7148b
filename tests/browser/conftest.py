"""What every browser test shares: one Chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.browser import chromium_browser, require_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator:
    require_chromium()
    with chromium_browser() as browser:
        yield browser
