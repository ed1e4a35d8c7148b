"""cards.py: share cards drawn without a browser (words by Pillow, the map by resvg), the same PNG every build."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from builder import cards
from builder.cards import Card, card_files, card_svg, render_card, render_cards

SVG = "{http://www.w3.org/2000/svg}"
MAP = '<svg viewBox="0 0 100 120" class="status-map"><path class="country status-withdrawn" d="M0 0h10v10z"/></svg>'


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_a_card_says_site_kind_title_and_line_escaped() -> None:
    card = Card("cards/x.png", "Mines & <Treaties>", "Source: A&B", 'The "title" <b>', "One line")
    svg = card_svg(card)
    assert texts(svg) == ["Mines & <Treaties>", "SOURCE: A&B", 'The "title" <b>', "One line"]
    assert "<b>" not in svg and "<Treaties>" not in svg


def test_a_quoted_title_is_drawn_in_quotation_marks_and_read_once_quoted() -> None:
    """A source's headline is the outlet's words, which the site checks: the card quotes it, as its alt text does."""
    card = Card("cards/s.png", "Site", "Headline, as Outlet published it", "NATO Nations Exit", "undated", quoted=True)
    assert texts(card_svg(card))[2] == "\u201cNATO Nations Exit\u201d"
    # The line after the title starts a sentence: its first letter in capitals ("undated: ..." no longer).
    assert card.alt == "Site: Headline, as Outlet published it, \u201cNATO Nations Exit\u201d. Undated"
    assert texts(card_svg(Card("cards/c.png", "Site", "Country", "Poland", "")))[2] == "Poland", "a name unquoted"


def test_a_long_title_wraps_in_at_most_four_lines_and_says_it_was_cut() -> None:
    title = " ".join(["withdrawal"] * 60)
    lines = texts(card_svg(Card("cards/x.png", "Site", "Source", title, "")))[2:]
    assert len(lines) == 4 and lines[-1].endswith(" \u2026")
    assert all(word == "withdrawal" for line in lines for word in line.removesuffix(" \u2026").split())


def test_the_map_is_placed_on_the_right_and_narrows_the_words() -> None:
    title = "Poland and the Baltic states leave the Ottawa Convention on anti-personnel mines"
    with_map = card_svg(Card("cards/pl.png", "Site", "Country", title, "", MAP))
    without = card_svg(Card("cards/pl.png", "Site", "Country", title, ""))
    placed = [s for s in ET.fromstring(with_map).iter(SVG + "svg")][1]
    assert (placed.get("x"), placed.get("y"), placed.get("width"), placed.get("height")) == ("720", "60", "440", "510")
    assert placed.get("viewBox") == "0 0 100 120", "the map keeps its own proportions"
    assert len(texts(with_map)) > len(texts(without)), "beside a map, the title takes more lines"


def test_the_png_is_written_at_two_thirds_of_open_graph_size_and_draws_its_words() -> None:
    one = render_card(Card("cards/a.png", "Site", "Source", "The first title", "line"))
    other = render_card(Card("cards/a.png", "Site", "Source", "The other title", "line"))
    assert png_size(one) == (cards.CARD_WIDTH, cards.CARD_HEIGHT) == (800, 420)
    assert one != other, "the words are drawn with the named fonts, so a different title is a different image"


def test_the_same_card_gives_the_same_bytes_when_drawn_again() -> None:
    card = Card("cards/a.png", "Site", "Country", "Poland", "Withdrawn", MAP)
    first = render_card(card)
    cards._map_tile.cache_clear()
    assert render_card(card) == first


def test_pages_sharing_a_card_get_one_file_the_first_named() -> None:
    first = Card("cards/source.png", "Site", "Sources", "The articles", "one")
    again = Card("cards/source.png", "Site", "Sources", "Another title", "two")
    own = Card("cards/home.png", "Site", "Explainer", "Home", "")
    files = card_files([first, again, own])
    assert list(files) == ["cards/source.png", "cards/home.png"]
    assert files["cards/source.png"] == render_card(first)


def test_alt_text_reads_the_card_aloud() -> None:
    card = Card("cards/pl.png", "Leaving the mine ban", "Country", "Poland", "Withdrawal pending")
    assert card.alt == "Leaving the mine ban: Country, \u201cPoland\u201d. Withdrawal pending"
    assert Card("cards/x.png", "S", "K", "T", "").alt == "S: K, \u201cT\u201d."


OUTLINED = '<path class="map-outline" d="M0 0h10v10z" stroke-width="2"/>'


def test_the_outline_is_drawn_over_the_map_in_the_maps_own_units() -> None:
    plain = Card("cards/pl.png", "Site", "Country", "Poland", "Withdrawn", MAP)
    outlined = Card("cards/pl.png", "Site", "Country", "Poland", "Withdrawn", MAP, outline=OUTLINED)
    placed = [s for s in ET.fromstring(card_svg(outlined)).iter(SVG + "svg")][1:]
    assert [p.get("viewBox") for p in placed] == ["0 0 100 120", "0 0 100 120"], "the same frame as the map"
    assert [e.get("class") for e in placed[1]] == ["map-outline"], "the outline alone, over the map"
    assert render_card(outlined) != render_card(plain)


def test_the_png_is_an_rgb_image_any_decoder_reads() -> None:
    image = Image.new("RGB", (5, 3), "#faf8f4")
    image.putpixel((4, 2), (1, 2, 3))
    data = cards.png_bytes(image)
    read = Image.open(io.BytesIO(data))
    assert read.mode == "RGB" and read.size == (5, 3)
    assert read.tobytes() == image.tobytes()


def test_the_map_is_drawn_where_its_box_is_and_the_words_beside_it() -> None:
    card = Card("cards/pl.png", "Site", "Country", "Poland", "Withdrawn", MAP)
    image = Image.open(io.BytesIO(render_card(card))).convert("RGB")
    paper = (0xfa, 0xf8, 0xf4)
    x, y, width, height = cards.MAP_BOX
    # MAP's shape is a triangle, (0, 0) (10, 0) (10, 10), in its 100 x 120 viewBox, which fits the box by its height
    unit = height / 120
    left = x + (width - 100 * unit) / 2
    inside = (round((left + 7 * unit) * cards.SCALE), round((y + 3 * unit) * cards.SCALE))
    assert image.getpixel(inside) == (0xc8, 0x41, 0x3b), "the withdrawn status's fill"
    assert image.getpixel((round((left - 5) * cards.SCALE), inside[1])) == paper
    assert image.getpixel((60, 60)) != paper, "the site's name, in ink"


def test_a_card_drawn_before_is_taken_only_for_the_very_same_card() -> None:
    card = Card("cards/a.png", "Site", "Country", "Poland", "Withdrawn", MAP, outline=OUTLINED)
    other = Card("cards/b.png", "Site", "Source", "An article", "One line")
    assert render_cards([card, other], [card], lambda: [b"drawn by the child"]) == [b"drawn by the child",
                                                                                 render_card(other)]
    edited = Card("cards/a.png", "Site", "Country", "Poland", "Withdrawn since today", MAP, outline=OUTLINED)
    assert render_cards([edited], [card], lambda: [b"drawn by the child"]) == [render_card(edited)]


def test_the_cards_not_drawn_before_are_drawn_here_before_the_others_are_waited_for(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # render.py's child draws the cards known from the model while the pages are made: this process draws the rest
    # meanwhile, rather than after waiting for the child
    first = Card("cards/a.png", "Site", "Country", "Poland", "Withdrawn", MAP, outline=OUTLINED)
    others = [Card("cards/b.png", "Site", "Treaty", "The treaty", ""), Card("cards/c.png", "Site", "Search", "", "")]
    done: list[str] = []
    monkeypatch.setattr(cards, "render_card", lambda card: done.append(card.out_path) or card.out_path.encode())

    def drawn_first() -> list[bytes]:
        done.append("waited")
        return [b"drawn by the child"]

    assert render_cards([others[0], first, others[1]], [first], drawn_first) == [
        b"cards/b.png", b"drawn by the child", b"cards/c.png"]
    assert done == ["cards/b.png", "cards/c.png", "waited"]
    done.clear()
    assert render_cards(others, [first], drawn_first) == [b"cards/b.png", b"cards/c.png"]
    assert done == ["cards/b.png", "cards/c.png"], "not waited for when none of its cards is asked for"
