"""Share cards: the PNG a link to a page shows where it is shared (og:image), drawn as SVG and rasterised by
resvg at build time, without a browser.

A card says the site's name, the page's kind, its title and one line (a country's status, a source's outlet),
beside the page's own status map where it has one. The bytes depend only on the card's words, the map and the
fonts named here (loaded explicitly, never the system's font list), so two builds give the same PNG.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 1200, 630  # drawn at Open Graph's recommended size
CARD_WIDTH, CARD_HEIGHT = 800, 420  # written at two thirds of it: a PNG costs its pixels (20 ms at full size)
# Debian's fonts-dejavu-core, on every machine this project builds on; named so no other font is ever picked.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
# The map's colours as the light stylesheet sets them (resvg reads no CSS variables): the theme's
# assets/style.css. A card whose site names a status otherwise carries that status's fill under its own class.
STATUS_FILLS = {"party": "#7fb0d9", "announced": "#f2c94c", "pending": "#f08c3a", "withdrawn": "#c8413b",
                "never-joined": "#b9b1c9", "disputed": "#9b6fc0", "signed": "#a7d3b5", "none": "#dcdcdc",
                "unknown": "#e9e9e9"}
MAP_STYLE = """
.map-sea, .map-strip { fill: #e8eff5; }
.country { stroke: #ffffff; }
.map-hatch { stroke: #1b1b1b; stroke-opacity: 0.55; fill: none; } .map-hatch-horizontal { stroke-opacity: 0.3; }
.map-dot { fill: #1b1b1b; fill-opacity: 0.6; } .map-pattern { stroke: none; }
.map-outline { fill: none; stroke: #111111; stroke-width: 3.5; }
.map-label, .map-inset-caption { display: none; }
""" + "".join(f".status-{key} {{ fill: {fill}; }}\n" for key, fill in STATUS_FILLS.items())
INK, MUTED, PAPER, ACCENT = "#1a1a1a", "#555555", "#faf8f4", "#a3322d"


@dataclass(frozen=True)
class Card:
    """What one card shows; `out_path` is where its PNG is written, shared by every page of a kind that uses it."""

    out_path: str
    site: str
    kicker: str
    title: str
    line: str
    map_svg: str = ""
    status_classes: tuple[tuple[str, str], ...] = ()  # (status, class) where the site names a status otherwise

    width = CARD_WIDTH
    height = CARD_HEIGHT

    @property
    def alt(self) -> str:
        """The og:image:alt text: the card's words, as a reader of the image would take them in."""
        return f"{self.site}: {self.kicker}, \u201c{self.title}\u201d. {self.line}".strip()


def card_svg(card: Card) -> str:
    """The card as an SVG document: words on the left (or across, without a map), the map on the right."""
    text_width = 600 if card.map_svg else 1040
    size = 60 if len(card.title) <= 40 else 48 if len(card.title) <= 90 else 40
    lines = textwrap.wrap(card.title, width=max(12, int(text_width / (size * 0.6))), max_lines=4,
                          placeholder=" \u2026", break_on_hyphens=False)
    body = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>',
            f'<rect width="{WIDTH}" height="12" fill="{ACCENT}"/>',
            f'<text x="80" y="100" font-family="DejaVu Sans" font-size="30" font-weight="bold" fill="{INK}">'
            f"{escape(card.site)}</text>",
            f'<text x="80" y="160" font-family="DejaVu Sans" font-size="26" fill="{ACCENT}">'
            f"{escape(card.kicker.upper())}</text>"]
    y = 160 + size * 1.3
    for line in lines:
        body.append(f'<text x="80" y="{y:.0f}" font-family="DejaVu Sans" font-size="{size}" font-weight="bold" '
                    f'fill="{INK}">{escape(line)}</text>')
        y += size * 1.2
    for line in textwrap.wrap(card.line, width=max(20, int(text_width / 16)), max_lines=3, placeholder=" \u2026",
                              break_on_hyphens=False):
        body.append(f'<text x="80" y="{y + 20:.0f}" font-family="DejaVu Sans" font-size="28" fill="{MUTED}">'
                    f"{escape(line)}</text>")
        y += 36
    if card.map_svg:
        if card.status_classes:  # in the SVG, so that the SVG alone decides the PNG (the cache's key)
            body.append("<style>" + "".join(f".status-{name} {{ fill: {STATUS_FILLS[key]}; }}"
                                            for key, name in card.status_classes) + "</style>")
        body.append(_placed(card.map_svg, x=720, y=60, width=440, height=510))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">{"".join(body)}</svg>')


def _placed(svg: str, *, x: int, y: int, width: int, height: int) -> str:
    """An inline map's outer <svg> given a place and size on the card (its viewBox keeps its proportions)."""
    return re.sub(r"^<svg\b", f'<svg x="{x}" y="{y}" width="{width}" height="{height}"', svg.strip(), count=1)


def render_card(card: Card) -> bytes:
    """The card as PNG bytes."""
    return _png(card_svg(card))


def card_files(cards: Iterable[Card], draw: Callable[[str, str], bytes] | None = None) -> dict[str, bytes]:
    """Each distinct card's PNG, by output path (pages of a kind may share one), in the order first named.

    `draw(out_path, svg)` may give a PNG drawn before from the same SVG (the on-disk cache's); by default each is
    drawn here.
    """
    found: dict[str, Card] = {}
    for card in cards:
        found.setdefault(card.out_path, card)
    return {out_path: (draw or _draw)(out_path, card_svg(card)) for out_path, card in found.items()}


def _draw(out_path: str, svg: str) -> bytes:
    return _png(svg)


@functools.lru_cache(maxsize=256)
def _png(svg: str) -> bytes:
    """The PNG of an SVG; a preview that keeps its process draws an unchanged card once."""
    import resvg_py  # here: a check that makes no card need not load it

    return bytes(resvg_py.svg_to_bytes(svg_string=svg, skip_system_fonts=True, width=CARD_WIDTH,
                                       font_files=[str(FONT_DIR / name) for name in FONTS], style_sheet=MAP_STYLE))
