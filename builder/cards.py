"""Share cards: the PNG a link to a page shows where it is shared (og:image), drawn at build time without a
browser.

A card says the site's name, the page's kind, its title and one line (a country's status, a source's outlet),
beside the site's status map where it has one, with the page's country outlined on it. The words are laid out by
HarfBuzz and drawn by FreeType (both Pillow's own, pinned), the map by resvg, and the PNG is written here. The
bytes depend only on the card's words, the map and the fonts named here (loaded explicitly, never the system's
font list), so two builds give the same PNG.

Why not resvg for the whole card: most of its time went on its own PNG encoding of every pixel, and on drawing the
same map again for each country. Here the map of the day is drawn once for all the cards that show it (a
country's outline alone, over it), and the card is written with the "none" filter, which suits its flat colours.
"""

from __future__ import annotations

import functools
import math
import re
import struct
import textwrap
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageFont

WIDTH, HEIGHT = 1200, 630  # laid out at Open Graph's recommended size
CARD_WIDTH, CARD_HEIGHT = 800, 420  # written at two thirds of it: a PNG costs its pixels
SCALE = CARD_WIDTH / WIDTH
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
MAP_BOX = (720, 60, 440, 510)  # where the map goes on the card (x, y, width, height), its proportions kept
BOLD = ' font-weight="bold"'
COMPRESSION = 3  # zlib's level: 6 took twice as long for files a fifth smaller, 9 ten times as long


@dataclass(frozen=True)
class Card:
    """What one card shows; `out_path` is where its PNG is written, shared by every page of a kind that uses it.
    `outline` is the page's country outlined on the map (maps.outline_of), in the map's own units."""

    out_path: str
    site: str
    kicker: str
    title: str
    line: str
    map_svg: str = ""
    status_classes: tuple[tuple[str, str], ...] = ()  # (status, class) where the site names a status otherwise
    outline: str = ""
    quoted: bool = False  # the title is someone else's words (a source's headline): drawn in quotation marks

    width = CARD_WIDTH
    height = CARD_HEIGHT

    @property
    def alt(self) -> str:
        """The og:image:alt text: the card's words, as a reader of the image would take them in."""
        return f"{self.site}: {self.kicker}, \u201c{self.title}\u201d. {self.line[:1].upper()}{self.line[1:]}".strip()


@dataclass(frozen=True)
class Words:
    """One line of a card's words: where its baseline starts (in the 1200 x 630 layout), its size and colour."""

    x: int
    y: int
    size: int
    bold: bool
    fill: str
    text: str


def card_words(card: Card) -> list[Words]:
    """The card's lines of words: on the left (or across, without a map), the title wrapped to its width."""
    text_width = 600 if card.map_svg else 1040
    title = f"\u201c{card.title}\u201d" if card.quoted else card.title
    size = 60 if len(title) <= 40 else 48 if len(title) <= 90 else 40
    words = [Words(80, 100, 30, True, INK, card.site), Words(80, 160, 26, False, ACCENT, card.kicker.upper())]
    y = 160 + size * 1.3
    for line in textwrap.wrap(title, width=max(12, int(text_width / (size * 0.6))), max_lines=4,
                              placeholder=" \u2026", break_on_hyphens=False):
        words.append(Words(80, round(y), size, True, INK, line))
        y += size * 1.2
    for line in textwrap.wrap(card.line, width=max(20, int(text_width / 16)), max_lines=3, placeholder=" \u2026",
                              break_on_hyphens=False):
        words.append(Words(80, round(y + 20), 28, False, MUTED, line))
        y += 36
    return words


def card_svg(card: Card) -> str:
    """The card as an SVG document, which decides its PNG (the cache's key): what render_card draws."""
    body = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/>',
            f'<rect width="{WIDTH}" height="12" fill="{ACCENT}"/>']
    body += [f'<text x="{w.x}" y="{w.y}" font-family="DejaVu Sans" font-size="{w.size}"{BOLD * w.bold} '
             f'fill="{w.fill}">{_escape(w.text)}</text>' for w in card_words(card)]
    if card.map_svg:
        body.append(_map_layers(card.map_svg, card.status_classes))
        if card.outline:
            body.append(_map_layers(_outline_only(card.map_svg, card.outline), card.status_classes))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}">{"".join(body)}</svg>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _map_layers(map_svg: str, status_classes: tuple[tuple[str, str], ...]) -> str:
    """An inline map placed on the card, with the fills of the statuses the site names otherwise (in the SVG, so
    that the SVG alone decides the PNG)."""
    style = ("<style>" + "".join(f".status-{name} {{ fill: {STATUS_FILLS[key]}; }}" for key, name in status_classes)
             + "</style>") if status_classes else ""
    return style + _placed(map_svg, *MAP_BOX)


def _outline_only(map_svg: str, outline: str) -> str:
    """The map's outer <svg> (its viewBox) holding only the outline: drawn over the map, it lands where the
    country is."""
    root = re.match(r"\s*<svg\b[^>]*>", map_svg)
    return (root.group(0) if root else '<svg xmlns="http://www.w3.org/2000/svg">') + outline + "</svg>"


def _placed(svg: str, x: int, y: int, width: int, height: int) -> str:
    """An inline map's outer <svg> given a place and size on the card (its viewBox keeps its proportions)."""
    return re.sub(r"^<svg\b", f'<svg x="{x}" y="{y}" width="{width}" height="{height}"', svg.strip(), count=1)


@functools.lru_cache(maxsize=256)
def render_card(card: Card) -> bytes:
    """The card as PNG bytes: the paper, the words, the map and its outline. A preview that keeps its process
    draws an unchanged card once."""
    from PIL import Image, ImageDraw  # here: a check that makes no card need not load it

    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_WIDTH - 1, round(12 * SCALE) - 1), fill=ACCENT)
    for words in card_words(card):
        draw.text((words.x * SCALE, words.y * SCALE), words.text, font=_font(words.bold, words.size * SCALE),
                  fill=words.fill, anchor="ls")
    if card.map_svg:
        left, top, tile = _map_tile(card.map_svg, card.status_classes)
        image.paste(tile, (left, top), tile)
        if card.outline:
            _, _, tile = _map_tile(_outline_only(card.map_svg, card.outline), card.status_classes)
            image.paste(tile, (left, top), tile)
    return png_bytes(image)


@functools.lru_cache(maxsize=16)
def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    # HarfBuzz's layout (Pillow's own, as FreeType is) with the fonts' kerning, as resvg set them: the basic layout
    # rounds each letter's advance up to whole pixels, and the words came out a few per cent wider.
    return ImageFont.truetype(str(FONT_DIR / FONTS[bold]), size, layout_engine=ImageFont.Layout.RAQM)


@functools.lru_cache(maxsize=8)
def _map_tile(map_svg: str, status_classes: tuple[tuple[str, str], ...]) -> tuple[int, int, Image.Image]:
    """The map drawn by resvg as it falls on the card, on a transparent tile the size of its box in whole pixels:
    its left and top on the card and the tile. The same map (the day's, on several cards) is drawn once."""
    import io

    import resvg_py
    from PIL import PngImagePlugin

    x, y, width, height = MAP_BOX
    left, top = int(x * SCALE), int(y * SCALE)
    right, bottom = math.ceil((x + width) * SCALE), math.ceil((y + height) * SCALE)
    box = (left / SCALE, top / SCALE, (right - left) / SCALE, (bottom - top) / SCALE)
    view = " ".join(f"{v:g}" for v in box)
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{box[2]:g}" height="{box[3]:g}" viewBox="{view}">'
           f"{_map_layers(map_svg, status_classes)}</svg>")
    png = resvg_py.svg_to_bytes(svg_string=svg, skip_system_fonts=True, width=right - left,
                                font_files=[str(FONT_DIR / name) for name in FONTS], style_sheet=MAP_STYLE)
    tile = PngImagePlugin.PngImageFile(io.BytesIO(bytes(png)))  # not Image.open: it loads every format's reader
    tile.load()
    return left, top, tile


def png_bytes(image: Image.Image) -> bytes:
    """An RGB image as a PNG: each row unfiltered (filter type 0), the rows deflated at COMPRESSION."""
    width, height = image.size
    # Pillow pads each row to the stride it is given with zeros: row, 0, row, 0... is the rows each after their
    # filter byte, but for the first 0 and the last. Deflated as one stream, without joining them again.
    rows = memoryview(image.tobytes("raw", "RGB", width * 3 + 1))
    packer = zlib.compressobj(COMPRESSION)
    deflated = packer.compress(b"\x00") + packer.compress(rows[:-1]) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", deflated) + chunk(b"IEND", b""))


def load_drawing() -> None:
    """Load what drawing a card needs (Pillow and its PNG reader, resvg) now: before forking a child that draws
    cards, so that neither it nor this process loads them again."""
    import resvg_py  # noqa: F401
    from PIL import ImageDraw, ImageFont, PngImagePlugin  # noqa: F401


def render_cards(cards: Sequence[Card], first: Sequence[Card] = (),
                 drawn_first: Callable[[], Sequence[bytes]] | None = None) -> list[bytes]:
    """Each card's PNG, in order. The cards `first`, drawn before (by render.py's child, while the pages were made),
    are taken from `drawn_first()` where the very same card is asked for; the others are drawn here first, while
    that child may still be drawing."""
    taken = set(first) if drawn_first is not None else set()
    own = {card.out_path: render_card(card) for card in cards if card not in taken}
    if drawn_first is not None and len(own) < len(cards):
        asked = set(cards)
        own.update((card.out_path, png) for card, png in zip(first, drawn_first(), strict=True) if card in asked)
    return [own[card.out_path] for card in cards]


def card_files(cards: Iterable[Card], draw: Callable[[Sequence[Card]], list[bytes]] | None = None
               ) -> dict[str, bytes]:
    """Each distinct card's PNG, by output path (pages of a kind may share one), in the order first named.

    `draw(cards)` may give PNGs drawn before (the on-disk cache's, the child's); by default each is drawn here.
    """
    found: dict[str, Card] = {}
    for card in cards:
        found.setdefault(card.out_path, card)
    return dict(zip(found, (draw or render_cards)(list(found.values())), strict=True))
