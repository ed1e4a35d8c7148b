"""Each distinct share card drawn once per test run, in the test processes and in the builds they start.

A card's PNG is a function of its Card alone (builder/cards.py), and drawing a small site's 13 took 90 ms of CPU of
a 125 ms build (docs/performance.md, The test suite). The PNGs are kept as files in the run's own temporary folder,
named by the digest of the card's fields: the xdist workers, the processes a build forks and the builds a test
starts as processes of their own (which read the folder from the environment, FOLDER_VARIABLE) share them. What a
card looks like is tested by test_cards.py and test_second_site.py, which import `render_card` itself, and every
card is still drawn by it once, so each build's bytes are the ones it would draw."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import builder.cards
from builder.cards import Card

FOLDER_VARIABLE = "SOURCESITE_TEST_CARDS"  # set by tests/conftest.py for the whole run


def drawn_once(draw: Callable[[Card], bytes], folder: Path) -> Callable[[Card], bytes]:
    """`draw`, each card's PNG kept in `folder` and read from there the next time."""

    def draw_once(card: Card) -> bytes:
        path = folder / (hashlib.sha256(repr(card).encode()).hexdigest() + ".png")
        try:
            return path.read_bytes()
        except FileNotFoundError:
            png = draw(card)
            part = path.with_name(f"{path.name}.{os.getpid()}.part")  # whole or not there, even if killed
            part.write_bytes(png)
            part.replace(path)
            return png

    return draw_once


def draw_once_in_this_process() -> None:
    """For a build started as a process of its own by a test (a `python -c` script): its cards drawn once, like the
    test processes'. Nothing when the folder is not given (the script run by hand)."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if folder:
        builder.cards.render_card = drawn_once(builder.cards.render_card, Path(folder))  # type: ignore[assignment]
