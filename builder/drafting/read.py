"""Reading the user's file for ingest: bounded in size, decoded without guessing, refused with a clear error
when it is empty, binary or not text; a content error, never a traceback."""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import ContentError, ContentErrors

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}


MAX_INPUT_BYTES = 5_000_000


def input_error(src: str, message: str, hint: str, line: int = 1, column: int = 1) -> ContentErrors:
    """A problem with the input or the options, reported the way content errors are."""
    return ContentErrors([ContentError(src, line, column, message, hint)])


@dataclass(frozen=True)
class Captured:
    """The input as read: its text, what errors call it, its file name, and whether it is a web page."""

    text: str
    src: str
    name: str | None
    is_html: bool


_MAGIC = (
    (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"PK\x03\x04", "a ZIP archive (a .docx or .epub is one)"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def read_input(file_arg: str, stdin: BinaryIO | None = None) -> Captured:
    """Read FILE, or standard input for '-', as text; refuse what is empty, too large, binary or undecodable."""
    if file_arg == "-":
        src, name = "<stdin>", None
        data = read_bounded(stdin or sys.stdin.buffer, src)
    else:
        path = Path(file_arg)
        src, name = file_arg, path.name
        if path.is_dir():
            raise input_error(src, "expected a file but found a folder", "name the saved page or text file itself")
        try:
            with path.open("rb") as stream:
                data = read_bounded(stream, src)
        except FileNotFoundError:
            raise input_error(src, "no such file", "check the path; use '-' to read standard input") from None
        except OSError as exc:
            raise input_error(src, f"cannot read the file ({exc.strerror})", "check that it is readable") from None
    text = decode_input(data, src)
    suffix = Path(name or "").suffix.lower()
    is_html = suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text))
    return Captured(text, src, name, is_html)


def read_bounded(stream: BinaryIO, src: str) -> bytes:
    """The stream's bytes, never more than MAX_INPUT_BYTES: a file, a pipe or a device (/dev/zero) alike."""
    hint = f"an article is far smaller than {MAX_INPUT_BYTES:,} bytes; save only the page"
    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):  # not a file descriptor (a test's BytesIO)
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and info.st_size > MAX_INPUT_BYTES:
        raise input_error(src, f"the {'input' if src == '<stdin>' else 'file'} is too large ({info.st_size:,} bytes)",
                          hint)
    pieces, size = [], 0
    while size <= MAX_INPUT_BYTES and (piece := stream.read(MAX_INPUT_BYTES + 1 - size)):
        pieces.append(piece)
        size += len(piece)
    if size > MAX_INPUT_BYTES:
        raise input_error(src, f"the input is too large (more than {MAX_INPUT_BYTES:,} bytes)", hint)
    return b"".join(pieces)


def decode_input(data: bytes, src: str) -> str:
    """Bytes to text: UTF-8 (or UTF-16 with a byte-order mark, or a page's declared charset), never a guess."""
    if not data.strip():
        raise input_error(src, "the input is empty", "save the article's page or text into the file first")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise input_error(src, f"the input is binary: it looks like {kind}",
                              "save the article as a web page (.html) or as text (.txt or .md) and ingest that")
    codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if codec:
        data = data[len(next(bom for bom, c in _BOMS if c == codec)):]
    elif b"\x00" in data:
        at = data.index(b"\x00")
        raise input_error(src, "the input contains NUL bytes; it looks binary",
                          "save the article as a web page (.html) or as text (.txt or .md)", *_position(data, at))
    try:
        text = data.decode(codec or "utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_declared(data, src, exc)
    if not text.strip():
        raise input_error(src, "the input is empty", "save the article's page or text into the file first")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise input_error(src, f"the input contains a control character (U+{ord(control.group()):04X}); "
                               "it looks binary",
                          "save the article as plain UTF-8 text", line, 1)
    return text


def _decode_declared(data: bytes, src: str, exc: UnicodeDecodeError) -> str:
    """A page that declares its charset may use it; anything else that is not UTF-8 is refused, not guessed."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace")
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            raise input_error(src, f"the page declares charset '{name}' but cannot be read with it",
                              "save the page again as UTF-8", *_position(data, exc.start)) from None
    raise input_error(src, f"the input is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                      "save it as UTF-8 (or, for a web page, keep its <meta charset>)", *_position(data, exc.start))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def looks_like_html(text: str) -> bool:
    """Whether text read without a telling file name is a web page rather than plain text."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:html|head|body)\b", head))
