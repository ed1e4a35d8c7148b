"""drafting/read.py: the input read within its size limit and decoded without guessing (the whole refusals,
through the command, are in tests/test_ingest.py)."""

from __future__ import annotations

import io

import pytest

from builder.drafting import read
from builder.errors import ContentError, ContentErrors


@pytest.mark.parametrize(("text", "is_html"), [
    ("<!DOCTYPE html><html><body>Hi</body></html>", True),
    ("\n\n  <html lang='en'>", True),
    ("<p>A fragment</p> and <body> later", True),
    ("Poland said <b>no</b>.", False),
    ("Plain text about the treaty.", False),
])
def test_a_web_page_is_told_from_text_by_its_markup(text: str, is_html: bool) -> None:
    assert read.looks_like_html(text) is is_html


def test_a_byte_order_mark_says_the_encoding() -> None:
    assert read.decode_input(b"\xff\xfe" + "Poland left.".encode("utf-16-le"), "x") == "Poland left."
    assert read.decode_input(b"\xef\xbb\xbfPoland left.", "x") == "Poland left."


def test_a_declared_charset_is_used_and_anything_else_undecodable_is_refused() -> None:
    page = '<meta charset="iso-8859-1"><p>Tallinn caf\xe9</p>'.encode("latin-1")
    assert read.decode_input(page, "page.html").endswith("Tallinn café</p>")
    with pytest.raises(ContentErrors) as caught:
        read.decode_input(b"Tallinn caf\xe9 owner", "note.txt")
    assert caught.value.errors == [ContentError("note.txt", 1, 12, "the input is not UTF-8 text (byte 0xe9)",
                                                "save it as UTF-8 (or, for a web page, keep its <meta charset>)")]


def test_a_stream_is_read_whole_up_to_the_limit() -> None:
    assert read.read_bounded(io.BytesIO(b"a" * 1000), "<stdin>") == b"a" * 1000
    with pytest.raises(ContentErrors) as caught:
        read.read_bounded(io.BytesIO(b"a" * (read.MAX_INPUT_BYTES + 1)), "<stdin>")
    assert caught.value.errors[0].message == "the input is too large (more than 5,000,000 bytes)"
