"""Drafting a new source from a saved article: its verbatim text, the passages that are not reporting, and
candidate claims for an editor to accept, correct or delete.

`python -m builder ingest FILE` reads a saved web page (main text and metadata through trafilatura), a text or
Markdown file, or standard input, and writes content/sources/<id>.md and content/claims/<id>.yaml together, or
nothing. Everything it adds is a guess that names its grounds: each passage's `note`, and the YAML comments above
each claim, say which rule fired on which words, so the editor can overrule it. Candidates carry `draft: true`,
which the site does not show, and the pair is run through the validator before either file is written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import pycountry
import yaml

from .errors import ContentError, ContentErrors, shown
from .load import ID_PATTERN, RESERVED_IDS, Node, load_content, load_markdown, parse_yaml, reserved_hint
from .model import MONTHS, UNQUOTABLE_PASSAGES, PartialDate
from .quotes import SearchableText, normalise
from .validate import validate_site

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
MAX_INPUT_BYTES = 5_000_000
POST_LIMIT = 280  # characters in a post on X; how far back an embedded post can reach
TCO_LENGTH = 23  # X counts every link as this many characters

_URL = re.compile(r"^https?://[^\s<>\"'\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+\Z")
_NOT_IN_URL = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINK = re.compile(r"(?:https?://)?(?:t\.co|pic\.twitter\.com|x\.com|twitter\.com)/\S*|https?://\S+")
_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _error(src: str, message: str, hint: str, line: int = 1, column: int = 1) -> ContentErrors:
    """A problem with the input or the options, reported the way content errors are."""
    return ContentErrors([ContentError(src, line, column, message, hint)])


# ------------------------------------------------------------------------------------------------ reading input

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
            raise _error(src, "expected a file but found a folder", "name the saved page or text file itself")
        try:
            with path.open("rb") as stream:
                data = read_bounded(stream, src)
        except FileNotFoundError:
            raise _error(src, "no such file", "check the path; use '-' to read standard input") from None
        except OSError as exc:
            raise _error(src, f"cannot read the file ({exc.strerror})", "check that it is readable") from None
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
        raise _error(src, f"the {'input' if src == '<stdin>' else 'file'} is too large ({info.st_size:,} bytes)",
                     hint)
    pieces, size = [], 0
    while size <= MAX_INPUT_BYTES and (piece := stream.read(MAX_INPUT_BYTES + 1 - size)):
        pieces.append(piece)
        size += len(piece)
    if size > MAX_INPUT_BYTES:
        raise _error(src, f"the input is too large (more than {MAX_INPUT_BYTES:,} bytes)", hint)
    return b"".join(pieces)


def decode_input(data: bytes, src: str) -> str:
    """Bytes to text: UTF-8 (or UTF-16 with a byte-order mark, or a page's declared charset), never a guess."""
    if not data.strip():
        raise _error(src, "the input is empty", "save the article's page or text into the file first")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _error(src, f"the input is binary: it looks like {kind}",
                         "save the article as a web page (.html) or as text (.txt or .md) and ingest that")
    codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if codec:
        data = data[len(next(bom for bom, c in _BOMS if c == codec)):]
    elif b"\x00" in data:
        at = data.index(b"\x00")
        raise _error(src, "the input contains NUL bytes; it looks binary",
                     "save the article as a web page (.html) or as text (.txt or .md)", *_position(data, at))
    try:
        text = data.decode(codec or "utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_declared(data, src, exc)
    if not text.strip():
        raise _error(src, "the input is empty", "save the article's page or text into the file first")
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        raise _error(src, f"the input contains a control character (U+{ord(control.group()):04X}); it looks binary",
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
            raise _error(src, f"the page declares charset '{name}' but cannot be read with it",
                         "save the page again as UTF-8", *_position(data, exc.start)) from None
    raise _error(src, f"the input is not UTF-8 text (byte 0x{data[exc.start]:02x})",
                 "save it as UTF-8 (or, for a web page, keep its <meta charset>)", *_position(data, exc.start))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def looks_like_html(text: str) -> bool:
    """Whether text read without a telling file name is a web page rather than plain text."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or bool(re.search(r"<(?:html|head|body)\b", head))


# ------------------------------------------------------------------------------------------------ extracting

@dataclass(frozen=True)
class Extracted:
    """What the input says about itself, before the command line's options override it."""

    body: str
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    published_how: str = ""
    language: str | None = None
    found: tuple[str, ...] = ()  # where each field came from, for the front matter's comments
    post_texts: tuple[str, ...] = ()  # the text of each embedded post, as the page's markup delimits it


def extract_html(text: str, src: str) -> Extracted:
    """Take a saved page's main text, title, byline, date and site name with trafilatura."""
    # Imported here: trafilatura takes a second to load, and every other command would pay for it.
    import trafilatura

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=True,
                                      favor_recall=True)
    body = (getattr(doc, "text", None) or "").strip("\n")
    if not body.strip():
        raise _error(src, "no article text found in the page",
                     "copy the article's text into a .txt file and ingest that instead")
    published = _iso_date(getattr(doc, "date", None))
    language = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", text[:4096])
    url = getattr(doc, "url", None)
    return Extracted(
        body=body + "\n", title=getattr(doc, "title", None) or None, byline=getattr(doc, "author", None) or None,
        outlet=getattr(doc, "sitename", None) or None, url=url if url and _URL.match(url) else None,
        published=published,
        published_how=f"Found in the page by trafilatura ({published.isoformat()}); check it against the page."
        if published else "",
        language=language.group(1).lower() if language else None,
        found=("title, byline, date, site name and address as trafilatura found them in the page",),
        post_texts=embedded_post_texts(text),
    )


_EMBED_CLASSES = ("twitter-tweet", "bluesky-embed", "mastodon-embed", "instagram-media", "threads-post")


def embedded_post_texts(html: str) -> tuple[str, ...]:
    """The text of each embedded post as the page's own markup delimits it (an embed is a blockquote with a
    known class), so a post's start is known rather than guessed from its length."""
    from lxml import html as lxml_html  # installed with trafilatura

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ()
    condition = " or ".join(f"contains(@class, '{name}')" for name in _EMBED_CLASSES)
    texts = []
    for quote in tree.xpath(f"//blockquote[{condition}]"):
        first = quote.find(".//p")
        text = " ".join((first if first is not None else quote).text_content().split())
        if text:
            texts.append(text)
    return tuple(texts)


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n", re.DOTALL | re.MULTILINE)


def extract_text(text: str) -> Extracted:
    """Keep a text or Markdown file verbatim as the body; read a title, byline and date from its first lines."""
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict):
            meta, text = loaded, text[match.end():]
    lines = [line.strip() for line in text.splitlines() if line.strip()][:8]
    title = _meta_text(meta, "title") or _title_line(lines)
    byline = _meta_text(meta, "byline") or _meta_text(meta, "author") or _byline_line(lines)
    published = _iso_date(meta.get("published") or meta.get("date"))
    how = "Taken from the Markdown file's front matter." if published else ""
    if not published:
        published, how = _dateline(lines)
    url = _meta_text(meta, "url")
    return Extracted(
        body=text, title=title, byline=byline, outlet=_meta_text(meta, "outlet"),
        url=url if url and _URL.match(url) else None, published=published, published_how=how,
        language=_meta_text(meta, "language"),
        found=("title from the first line, byline and date from the first lines of the text",),
    )


def _meta_text(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return str(value).strip() if isinstance(value, str | int) and str(value).strip() else None


def _title_line(lines: list[str]) -> str | None:
    """A headline is the first line when it is short and is not a sentence (or is a Markdown heading)."""
    if not lines:
        return None
    first = lines[0]
    if first.startswith("#"):
        return first.lstrip("#").strip() or None
    if len(first) <= 200 and not first.endswith((".", ":", ";", ",")):
        return first
    return None


def _byline_line(lines: list[str]) -> str | None:
    for line in lines[:6]:
        match = re.match(r"^(?:By|BY)\s+([A-Z][^\n|·•]{2,80}?)\s*(?:[|·•,]\s*.*)?$", line)
        if match:
            return match.group(1).strip()
    return None


def _dateline(lines: list[str]) -> tuple[date | None, str]:
    """A full date in the first lines is taken as the publication date, saying so."""
    for line in lines[:6]:
        for mention in explicit_dates(line):
            if mention.value.day:
                return mention.value.first, (f"Taken from the date near the top of the text ('{mention.words}'); "
                                             "check that it is the publication date.")
    return None, ""


# ------------------------------------------------------------------------------------------------ dates

@dataclass(frozen=True)
class Published:
    """When the article appeared, as exactly as it can be told, and how that was established."""

    exact: date | None
    not_before: date | None
    not_after: date | None
    how: str

    def anchor(self) -> Anchor:
        """What relative words such as 'today' or 'this year' can be resolved against."""
        if self.exact:
            return Anchor(self.exact, self.exact.year, f"the publication date, {_human(self.exact)}")
        if self.not_before and self.not_after and self.not_before.year == self.not_after.year:
            return Anchor(None, self.not_before.year, f"the publication window ({self.not_before.isoformat()} to "
                                                      f"{self.not_after.isoformat()})")
        return Anchor(None, None, "an unknown publication date")


@dataclass(frozen=True)
class Anchor:
    """The day (or only the year) that relative dates in a passage of text count from."""

    day: date | None
    year: int | None
    what: str


@dataclass(frozen=True)
class DateMention:
    """A date named in a sentence; `inferred` says how a relative or year-less date was resolved."""

    start: int
    end: int
    words: str
    value: PartialDate
    inferred: str | None = None


def _human(day: date) -> str:
    return PartialDate.of(day).human


def _month_number(word: str) -> int:
    return next(i for i, name in enumerate(MONTHS, 1) if name.lower().startswith(word.rstrip(".").lower()[:3]))


_DATE_PATTERNS = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<year>\d{4})\b)?"),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
_YEAR = re.compile(r"(?<![\w$£€.,/-])(?P<year>1[89]\d{2}|20\d{2})(?![\w/]|[.,]\d)")


def explicit_dates(text: str, anchor: Anchor | None = None) -> list[DateMention]:
    """Dates written out ('March 18, 2025', '18 March', 'March 2025', '2025-03-18', '1997'), in order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            month = int(groups["month"]) if groups["month"].isdigit() else _month_number(groups["month"])
            day = int(groups["day"]) if groups.get("day") else None
            year, inferred = int(groups["year"]) if groups.get("year") else None, None
            if year is None and anchor and anchor.year:
                year, inferred = anchor.year, f"the year taken from {anchor.what}"
            if year is None:
                continue  # 'April 4' with no year to read it in: reported by yearless_dates
            value = PartialDate(year, month, day)
            try:
                value.first  # noqa: B018 - raises on 'February 30'
            except ValueError:
                continue
            taken.append(match.span())
            found.append(DateMention(match.start(), match.end(), match.group(), value, inferred))
    for match in _YEAR.finditer(text):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            found.append(DateMention(match.start(), match.end(), match.group(), PartialDate(int(match.group()))))
    return sorted(found, key=lambda m: m.start)


def yearless_dates(text: str) -> list[str]:
    """Days named without a year ('April 4'), which only a known publication year can complete."""
    return [m.group() for pattern in _DATE_PATTERNS[:2] for m in pattern.finditer(text) if not m.group("year")]


_RELATIVE_DAY = re.compile(r"\b(today|tonight|this (?:morning|afternoon|evening)|yesterday|tomorrow)\b", re.I)
_RELATIVE_WEEKDAY = re.compile(r"\b(?:(?P<which>last|this|next|on|since|by|until|from)\s+)?(?P<weekday>"
                               + "|".join(_WEEKDAYS) + r")\b")
_RELATIVE_PERIOD = re.compile(r"\b(?P<which>this|last|next)\s+(?P<unit>year|month)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|would|is due|are due|is expected|are expected|plans? to|scheduled|is set to|"
                     r"are set to|next)\b", re.I)


def relative_dates(text: str, anchor: Anchor) -> tuple[list[DateMention], list[str]]:
    """Resolve 'today', 'on Tuesday', 'this year' and the like against the anchor; say which could not be."""
    found: list[DateMention] = []
    unresolved: list[str] = []
    source = anchor.what
    for match in _RELATIVE_DAY.finditer(text):
        word = match.group(1).lower()
        if anchor.day is None:
            unresolved.append(match.group())
            continue
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        day = anchor.day + timedelta(days=shift)
        found.append(DateMention(match.start(), match.end(), match.group(), PartialDate.of(day),
                                 f"'{match.group()}' read as {_human(day)}, from {source}"))
    for match in _RELATIVE_WEEKDAY.finditer(text):
        if anchor.day is None:
            unresolved.append(match.group())
            continue
        future = bool(_FUTURE.search(text, max(0, match.start() - 40), match.start()))
        day = _resolve_weekday(anchor.day, _WEEKDAYS.index(match.group("weekday")), match.group("which"), future)
        found.append(DateMention(match.start(), match.end(), match.group(), PartialDate.of(day),
                                 f"'{match.group()}' read as {_human(day)}, the nearest "
                                 f"{match.group('weekday')} {'after' if day > anchor.day else 'up to'} {source}"))
    for match in _RELATIVE_PERIOD.finditer(text):
        which, unit = match.group("which").lower(), match.group("unit").lower()
        shift = {"this": 0, "last": -1, "next": 1}[which]
        if unit == "year" and anchor.year:
            value = PartialDate(anchor.year + shift)
        elif unit == "month" and anchor.day:
            month_index = anchor.day.year * 12 + anchor.day.month - 1 + shift
            value = PartialDate(month_index // 12, month_index % 12 + 1)
        else:
            unresolved.append(match.group())
            continue
        found.append(DateMention(match.start(), match.end(), match.group(), value,
                                 f"'{match.group()}' read as {value.human}, from {source}"))
    return found, unresolved


def _resolve_weekday(anchor: date, weekday: int, which: str | None, future: bool) -> date:
    """News says 'on Tuesday' for the last Tuesday up to the day it is written, unless it speaks of what will be."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if which == "last":
        return anchor - timedelta(days=back or 7)
    if which == "next":
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead) if future else anchor - timedelta(days=back)


def date_publication(extracted: Extracted, option: date | None, body: str) -> Published:
    """The publication date from the options, the input, or else a lower bound from the latest date it names."""
    if option:
        return Published(option, None, None, "Given on the command line (--published) when the article was "
                                             "ingested.")
    if extracted.published:
        return Published(extracted.published, None, None, extracted.published_how)
    full = [m for m in explicit_dates(body) if m.value.day]
    if full:
        latest = max(full, key=lambda m: m.value.first)
        return Published(None, latest.value.first, None,
                         f"No date found in the input. The text names {latest.value.human} ('{latest.words}'), so it "
                         "appeared on that day or later; no upper bound is known. Set the date if the page shows it.")
    return Published(None, None, None, "No date found in the input; set the date, or a window with how it was "
                                       "inferred, from the page.")


# ------------------------------------------------------------------------------------------------ countries

# pycountry has official and common names; news also uses these, which it lacks.
_COUNTRY_ALIASES = {
    "Russia": "ru", "Britain": "gb", "Great Britain": "gb", "UK": "gb", "U.K.": "gb", "US": "us", "U.S.": "us",
    "USA": "us", "U.S.A.": "us", "Turkey": "tr", "Czech Republic": "cz", "Holland": "nl", "Ivory Coast": "ci",
    "Cape Verde": "cv", "Burma": "mm", "Macedonia": "mk", "Swaziland": "sz", "Vatican": "va", "Palestine": "ps",
    "the Netherlands": "nl", "East Timor": "tl",
}
_DEMONYMS = {
    "Afghan": "af", "Albanian": "al", "Algerian": "dz", "American": "us", "Argentine": "ar", "Argentinian": "ar",
    "Armenian": "am", "Australian": "au", "Austrian": "at", "Azerbaijani": "az", "Belarusian": "by",
    "Belgian": "be", "Bosnian": "ba", "Brazilian": "br", "British": "gb", "Bulgarian": "bg", "Canadian": "ca",
    "Chinese": "cn", "Colombian": "co", "Croatian": "hr", "Cypriot": "cy", "Czech": "cz", "Danish": "dk",
    "Dutch": "nl", "Egyptian": "eg", "Emirati": "ae", "Estonian": "ee", "Ethiopian": "et", "Finnish": "fi",
    "French": "fr", "Georgian": "ge", "German": "de", "Greek": "gr", "Hungarian": "hu", "Icelandic": "is",
    "Indian": "in", "Indonesian": "id", "Iranian": "ir", "Iraqi": "iq", "Irish": "ie", "Israeli": "il",
    "Italian": "it", "Japanese": "jp", "Jordanian": "jo", "Kazakh": "kz", "Kenyan": "ke", "Kuwaiti": "kw",
    "Latvian": "lv", "Lebanese": "lb", "Libyan": "ly", "Lithuanian": "lt", "Luxembourgish": "lu",
    "Mexican": "mx", "Moldovan": "md", "Montenegrin": "me", "Moroccan": "ma", "Nigerian": "ng",
    "Norwegian": "no", "Pakistani": "pk", "Palestinian": "ps", "Polish": "pl", "Portuguese": "pt",
    "Qatari": "qa", "Romanian": "ro", "Russian": "ru", "Saudi": "sa", "Serbian": "rs", "Slovak": "sk",
    "Slovenian": "si", "Somali": "so", "Spanish": "es", "Sudanese": "sd", "Swedish": "se", "Swiss": "ch",
    "Syrian": "sy", "Turkish": "tr", "Ukrainian": "ua", "Uzbek": "uz", "Venezuelan": "ve", "Vietnamese": "vn",
    "Yemeni": "ye",
    # irregular plurals: the people rather than the adjective
    "Poles": "pl", "Finns": "fi", "Swedes": "se", "Danes": "dk", "Turks": "tr", "Brits": "gb",
}
# Capitals that news uses for their governments ('Moscow says'); not Ottawa or Oslo, which name treaties here.
_CAPITALS = {
    "Moscow": "ru", "Kyiv": "ua", "Kiev": "ua", "Warsaw": "pl", "Vilnius": "lt", "Riga": "lv", "Tallinn": "ee",
    "Helsinki": "fi", "Minsk": "by", "Beijing": "cn", "Tehran": "ir", "Beirut": "lb", "Washington": "us",
    "Berlin": "de", "Paris": "fr", "London": "gb", "Ankara": "tr", "Damascus": "sy", "Baghdad": "iq",
    "Tokyo": "jp", "Seoul": "kr", "Pyongyang": "kp", "Islamabad": "pk", "New Delhi": "in", "Budapest": "hu",
    "Prague": "cz", "Bucharest": "ro", "Stockholm": "se", "Copenhagen": "dk",
}
# Groups of countries named as one, with the words that name them.
_COUNTRY_GROUPS = (
    (r"Baltics?(?!\s+Sea)", ("ee", "lv", "lt")),
    (r"Nordics?", ("dk", "fi", "is", "no", "se")),
    (r"Scandinavian?", ("dk", "no", "se")),
    (r"Benelux", ("be", "nl", "lu")),
    (r"Visegr[aá]d", ("cz", "hu", "pl", "sk")),
    (r"South Caucasus", ("am", "az", "ge")),
)


@dataclass(frozen=True)
class CountryMention:
    """A country, or a group of them, named in a text; `how` is 'name', 'demonym', 'capital' or 'group'."""

    start: int
    end: int
    words: str
    codes: tuple[str, ...]
    how: str


@cache
def _country_names() -> tuple[re.Pattern[str], dict[str, tuple[tuple[str, ...], str]]]:
    """Every spelling that names a country, one pattern to find them, and what each one names."""
    names: dict[str, tuple[tuple[str, ...], str]] = {}
    before_comma: dict[str, set[str]] = {}
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[value] = ((code,), "name")
        if ", " in country.name:  # 'Iran, Islamic Republic of' is called 'Iran'
            before_comma.setdefault(country.name.split(", ")[0], set()).add(code)
    for short, codes in before_comma.items():
        if len(codes) == 1 and short not in names:  # 'Korea' and 'Congo' name two countries: left out
            names[short] = ((codes.pop(),), "name")
    for alias, code in _COUNTRY_ALIASES.items():
        names[alias] = ((code,), "name")
    for capital, code in _CAPITALS.items():
        names[capital] = ((code,), "capital")
    for demonym, code in _DEMONYMS.items():
        names[demonym] = ((code,), "demonym")
        if demonym.endswith(("an", "i")) and demonym + "s" not in names:
            names[demonym + "s"] = ((code,), "demonym")
    spelled = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    groups = "|".join(f"(?:{pattern})" for pattern, _ in _COUNTRY_GROUPS)
    pattern = re.compile(rf"(?<![\w@#/])(?:(?P<name>{spelled})|(?P<group>{groups}))(?![\w])")
    return pattern, names


def find_countries(text: str) -> list[CountryMention]:
    """Countries named in a text by name, demonym ('Polish'), capital ('Moscow') or group ('the Baltic states'),
    as ISO codes."""
    pattern, names = _country_names()
    found = []
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 8):match.start()]
        if before.endswith("New "):  # New Mexico, New Jersey: not the countries
            continue
        if match.group("name") in ("American", "Americans") and re.search(r"(?:Latin|South|North|Central) $",
                                                                          before):
            continue
        if match.group("name"):
            codes, how = names[match.group("name")]
        else:
            codes = next(c for p, c in _COUNTRY_GROUPS if re.fullmatch(p, match.group("group")))
            how = "group"
        found.append(CountryMention(match.start(), match.end(), match.group(), codes, how))
    return found


# A dash introduces a list ('bordering Russia—Poland, Finland') rather than joining its items.
_LIST_SEPARATOR = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)(?:the\s+)?$")


def country_group(text: str, mentions: list[CountryMention]) -> tuple[str, ...]:
    """The longest list of countries named together ('Poland, Finland, and the Baltic states'), if any."""
    best: list[CountryMention] = []
    run: list[CountryMention] = []
    for mention in mentions:
        if run and _LIST_SEPARATOR.match(text[run[-1].end:mention.start]):
            run.append(mention)
        else:
            run = [mention]
        if sum(len(m.codes) for m in run) > sum(len(m.codes) for m in best):
            best = list(run)
    codes = _unique(code for m in best for code in m.codes)
    return codes if len(codes) >= 2 else ()


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or (country.name if country else code)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# ------------------------------------------------------------------------------------------------ passages

@dataclass(frozen=True)
class Mark:
    """A span of the body that is not the outlet's reporting, with the rule and the words that marked it."""

    kind: str
    start: int
    end: int
    rule: str
    trigger: str
    author: str | None = None
    handle: str | None = None
    posted: date | None = None
    related: bool = True
    related_why: str = ""
    content_end: int | None = None  # for a post: where its text ends and its signature begins


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


_MARKDOWN_MARKER = re.compile(r"^(?:(?:>[ \t]?)+|#{1,6}[ \t]+)")


def split_lines(body: str) -> list[Line]:
    """The body's lines with their offsets, without the white space or Markdown quote and heading markers at
    their edges, which are layout rather than words."""
    lines = []
    offset = 0
    for raw in body.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        lead = len(content) - len(content.lstrip())
        marker = _MARKDOWN_MARKER.match(content, lead)
        if marker:
            lead = marker.end() + len(content[marker.end():]) - len(content[marker.end():].lstrip())
        stripped = content[lead:].strip()
        lines.append(Line(offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw)
    return lines


_SIGNATURE = re.compile(
    r"[—–]\s*(?P<author>[^\n()—–]{1,60}?)\s*\((?P<handle>@[A-Za-z0-9_]{1,30}(?:@[\w.-]+)?)\)\s*"
    + _MONTH.replace("?P<month>", "?P<pmonth>") + r"\s+(?P<pday>\d{1,2}),\s+(?P<pyear>\d{4})")


def post_length(text: str) -> int:
    """A post's length as X counts it: links are 23 characters, media links nothing, wide characters two."""
    text = re.sub(r"\s*pic\.twitter\.com/\S+", "", text)
    text = re.sub(r"https?://\S+", "x" * TCO_LENGTH, text)
    narrow = ((0, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
    return sum(1 if any(lo <= ord(ch) <= hi for lo, hi in narrow) else 2 for ch in text)


def mark_social_posts(body: str, lines: list[Line], title: str | None, topic: set[str],
                      post_texts: tuple[str, ...] = ()) -> list[Mark]:
    """Embedded posts end in a signature, '— Name (@handle) Month D, YYYY'; their text starts where the page's
    markup says, or else is the lines above the signature, as many as fit in one 280-character post."""
    marks: list[Mark] = []
    floor = 0
    searchable = SearchableText(body)
    known_starts = sorted(span[0] for text in post_texts for span in searchable.find_all(" ".join(text.split()[:8])))
    for index, line in enumerate(lines):
        signature = _SIGNATURE.search(line.text)
        if not signature:
            continue
        sig_start = line.start + signature.start()
        floor_offset = lines[floor].start if floor < len(lines) else 0
        known = [start for start in known_starts if floor_offset <= start < sig_start]
        if known:
            posted = date(int(signature.group("pyear")), _month_number(signature.group("pmonth")),
                          int(signature.group("pday")))
            marks.append(_post_mark(body, known[-1], line.start + signature.end(), sig_start, signature, posted,
                                    topic, "its text starts where the page's embed markup puts it"))
            floor = index + 1
            continue
        first = index
        length = post_length(line.text[:signature.start()])
        while first > floor:
            previous = lines[first - 1]
            if not previous.text:
                if length > 0 or first - 2 < floor or not lines[first - 2].text:
                    break  # a blank line ends a post that already has text; two end any
                first -= 1
                continue
            if (previous.text.endswith(":") or previous.text == (title or "").strip()
                    or _SIGNATURE.search(previous.text)):
                break
            added = post_length(previous.text) + 1
            if length + added > POST_LIMIT and (length > 0 or first < index):
                break
            length += added
            first -= 1
        start = next(ln.start for ln in lines[first:index + 1] if ln.text)
        if start == sig_start and first == index:
            continue  # a signature with nothing above it to sign
        posted = date(int(signature.group("pyear")), _month_number(signature.group("pmonth")),
                      int(signature.group("pday")))
        reach = index - first + (1 if signature.start() else 0)
        marks.append(_post_mark(body, start, line.start + signature.end(), sig_start, signature, posted, topic,
                                f"its text was taken as the {reach} line(s) above, as much as fits in a "
                                f"{POST_LIMIT}-character post"))
        floor = index + 1
    return marks


def _post_mark(body: str, start: int, end: int, sig_start: int, signature: re.Match[str], posted: date,
               topic: set[str], reach: str) -> Mark:
    related, why = post_relatedness(body[start:sig_start], topic)
    return Mark("social-post", start, end, "social-post signature",
                f"'{signature.group().strip()}' signs an embedded post; {reach}",
                author=signature.group("author").strip(), handle=signature.group("handle"), posted=posted,
                related=related, related_why=why, content_end=sig_start)


def post_relatedness(text: str, topic: set[str]) -> tuple[bool, str]:
    """A post shares words with the site's topic (its title, the treaty's names) or has nothing to do with it."""
    shared = sorted(topic & _stems(text))
    if shared:
        return True, f"related: it shares {', '.join(repr(w) for w in shared[:4])} with the site's topic"
    return False, "related: false because it shares no word with the site's topic (site title, treaty names)"


def mark_post_links(body: str, lines: list[Line], taken: list[Mark], posted: date | None) -> list[Mark]:
    """A line with a t.co or pic.twitter.com link outside any signed post is part of an embedded post too."""
    marks = []
    for line in lines:
        link = re.search(r"\b(?:t\.co|pic\.twitter\.com)/\w+", line.text)
        if not link or _overlaps(line.start, line.end, taken):
            continue
        marks.append(Mark(
            "social-post", line.start, line.end, "post link", f"the link '{link.group()}' belongs to an embedded "
            "post; no signature names its author or date, so 'posted' is the publication date, a placeholder",
            author="unknown (no signature captured)", posted=posted, related=True,
            related_why="related: assumed; check it"))
    return marks


_DONATION = re.compile(
    r"\b(?:donate(?:\s+(?:now|today|here))?|make a (?:donation|gift|contribution)|your (?:donation|gift|support) "
    r"(?:helps|makes|keeps|matters)|give to:|please (?:give|donate|support)|support (?:our|independent|quality|"
    r"free|trusted) (?:journalism|reporting|work|newsroom)|become a (?:member|supporter|patron)|chip in|"
    r"tax[- ]deductible)(?:\b|(?<=:))", re.I)
_SUBSCRIPTION = re.compile(
    r"^(?:subscribe|sign up)\b|\b(?:sign up for|subscribe to) (?:our|the) (?:\w+ )?(?:newsletter|updates|"
    r"briefing|digest)|\bnewsletter\b.*\b(?:inbox|sign up|subscribe)\b|\balready a subscriber\b|"
    r"\bdelivered (?:straight )?to your inbox\b|\bcreate a free account\b", re.I)
_APPEAL_WORDS = re.compile(r"\b(?:we|our|us|you|your|support|donat\w*|journalism|reporting|independent|"
                           r"newsroom|subscri\w*|members?\w*|give|gift|contribut\w*|inbox|newsletter)\b", re.I)
MAX_APPEAL_LINES = 8


def mark_donation_appeals(lines: list[Line]) -> list[Mark]:
    """An outlet's fundraising box: a line asking for money, and the short lines of the box around it."""
    return [_appeal_block(lines, index, "donation-appeal", "donation appeal", match.group())
            for index, line in enumerate(lines)
            if len(line.text) <= 300 and (match := _DONATION.search(line.text))]


def mark_subscription_appeals(lines: list[Line]) -> list[Mark]:
    """A newsletter or subscription box ('Sign up for our newsletter'), marked as a promotion."""
    return [_appeal_block(lines, index, "promo", "subscription appeal", match.group())
            for index, line in enumerate(lines)
            if len(line.text) <= 300 and (match := _SUBSCRIPTION.search(line.text))]


def _appeal_block(lines: list[Line], index: int, kind: str, rule: str, trigger: str) -> Mark:
    """A box of appeal text ends at a blank line; it takes a short heading above and lines that keep appealing."""
    first = index
    if index > 0 and _heading_like(lines[index - 1].text):
        first = index - 1
    last = index
    while last + 1 < len(lines) and last - first < MAX_APPEAL_LINES:
        following = lines[last + 1].text
        if not following or not (len(following) <= 60 or _APPEAL_WORDS.search(following)):
            break
        last += 1
    return Mark(kind, lines[first].start, lines[last].end, rule,
                f"'{trigger}'; the box runs {last - first + 1} line(s), to the next blank line or non-appeal line")


def _heading_like(text: str) -> bool:
    return bool(text) and len(text) <= 60 and not text.endswith((".", "!", "?", ":", ",", ";", "”", '"'))


_PLAYER = re.compile(
    r"^\W*(?:listen to (?:this|the) (?:story|article|report|piece)|listen to story above|listen now|"
    r"listen(?: to this)?\s*[:(]?\s*\d+\s*min|\d+\s*min(?:ute)?s?\s+listen|press play|"
    r"play (?:audio|video|the (?:audio|story))|audio (?:version|player)|voiced by|hear this story|"
    r"this (?:article|story) is (?:also )?available (?:in|as) audio)", re.I)


def mark_player_prompts(lines: list[Line]) -> list[Mark]:
    """The label of an audio or video player ('Listen To Story Above'), captured with the page's text."""
    return [Mark("player-prompt", line.start, line.end, "player prompt", f"'{match.group().strip()}'")
            for line in lines if len(line.text) <= 100 and (match := _PLAYER.search(line.text))]


_READ_MORE_LINE = re.compile(
    r"^\W*(?:read more|read also|also read|related(?: stories| articles| coverage| content)?|see also|"
    r"more on this(?: story)?|recommended(?: reading)?|further reading|continue reading|most read|"
    r"you may also like|more from)\b", re.I)
_READ_MORE_SENTENCE = re.compile(
    r"\bread (?:[\w’'.-]+\s+){0,6}?(?:full|whole|entire|original) (?:article|story|report|piece|interview)\b|"
    r"\bclick here to read\b|\bfull (?:article|story) (?:here|at)\b", re.I)


def mark_read_more(body: str, lines: list[Line]) -> list[Mark]:
    """Links to other articles: a 'Read more:' line, or a sentence sending the reader to a full article."""
    marks = []
    for line in lines:
        match = _READ_MORE_LINE.search(line.text)
        if match and len(line.text) <= 250:
            marks.append(Mark("read-more", line.start, line.end, "read-more line", f"'{match.group().strip()}'"))
            continue
        for sentence in split_sentences(body, line):
            found = _READ_MORE_SENTENCE.search(body[sentence[0]:sentence[1]])
            if found:
                marks.append(Mark("read-more", sentence[0], sentence[1], "read-more sentence",
                                  f"'{found.group()}'"))
    return marks


_CAPTION = re.compile(
    r"^\W*(?:photo|image|picture|file photo|pictured|caption|illustration|credit)s?\s*(?:by\b|:|\||—|–)|"
    r"\((?:photo|image|credit|file photo|photograph|picture)s?\s*(?:by\b|:)[^)]*\)\s*$|"
    r"(?:Getty Images|AFP via Getty|AP Photo|EPA-EFE|Shutterstock|Reuters/[A-Z]\w+)\W*$", re.I)


def mark_captions(lines: list[Line]) -> list[Mark]:
    """A photo caption or credit line ('Photo: ...', '... (Photo: Reuters)'), captured with the text."""
    return [Mark("caption", line.start, line.end, "caption", f"'{match.group().strip()}'")
            for line in lines if len(line.text) <= 300 and (match := _CAPTION.search(line.text))]


def _overlaps(start: int, end: int, marks: Iterable[Mark]) -> bool:
    return any(start < m.end and m.start < end for m in marks)


def mark_passages(body: str, title: str | None, topic: set[str], posted_fallback: date | None,
                  post_texts: tuple[str, ...] = ()) -> list[Mark]:
    """Every rule over the body; where two marks overlap, the rule run first keeps the passage."""
    lines = split_lines(body)
    marks: list[Mark] = []
    rules = (
        lambda: mark_social_posts(body, lines, title, topic, post_texts),
        lambda: mark_post_links(body, lines, marks, posted_fallback),
        lambda: mark_player_prompts(lines),
        lambda: mark_read_more(body, lines),
        lambda: mark_captions(lines),
        lambda: mark_donation_appeals(lines),
        lambda: mark_subscription_appeals(lines),
    )
    for rule in rules:
        for mark in rule():
            if mark.end > mark.start and not _overlaps(mark.start, mark.end, marks):
                marks.append(mark)
    return sorted(marks, key=lambda m: m.start)


def anchor_passage(body: SearchableText, start: int, end: int) -> tuple[str, str | None] | None:
    """The shortest 'from' text that occurs once, at the start, and 'to' text whose first match after it ends
    the passage, as the validator reads them; None when the passage cannot be pinned down."""
    text = body.text[start:end]
    words = [m.end() for m in re.finditer(r"\S+", text)]
    start_text = None
    for count in range(min(4, len(words)), len(words) + 1):
        candidate = text[:words[count - 1]].strip()
        spans = body.find_all(candidate)
        if len(spans) == 1 and spans[0][0] == start:
            start_text = candidate
            break
    if start_text is None:
        return None
    if body.find(start_text) == (start, end):
        return start_text, None
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    for count in range(min(3, len(starts)), len(starts) + 1):
        candidate = text[starts[-count]:].strip()
        after = [span for span in body.find_all(candidate) if span[1] > start]
        if after and after[0][1] == end:
            return start_text, candidate
    return None


# ------------------------------------------------------------------------------------------------ sentences

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-Þ])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "st", "jr", "sr", "inc", "ltd",
                  "co", "corp", "no", "vs", "etc", "jan", "feb", "aug", "sept", "sep", "oct", "nov", "dec", "gov",
                  "sen", "rep", "rev", "mt", "capt", "maj", "adm", "cmdr", "pres", "dept", "est", "approx"}


def split_sentences(body: str, line: Line) -> list[tuple[int, int]]:
    """A line's sentences as body offsets; a full stop after an abbreviation or an initial does not end one."""
    spans = []
    start = line.start
    for match in _SENTENCE_END.finditer(body, line.start, line.end):
        before = re.search(r"(\S+?)[.!?…]+[\"'”’)\]]*$", body[start:match.end()])
        word = before.group(1).lower().strip("“\"'(") if before else ""
        if match.group().startswith(".") and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word)
                                              or "." in word):
            continue
        spans.append((start, match.end()))
        start = match.end()
        while start < line.end and body[start].isspace():
            start += 1
    if start < line.end:
        spans.append((start, line.end))
    return spans


# ------------------------------------------------------------------------------------------------ speakers, kinds

_QUOTED = re.compile(r"“[^”]*(?:”|$)|\"[^\"\n]*\"")
_SAY = (r"said|says|say|told|tells|wrote|writes|added|adds|argued|argues|argue|warned|warns|warn|stated|states|"
        r"noted|notes|called|calls|described|describes|insisted|insists|explained|explains|emphasi[sz]ed|"
        r"emphasi[sz]es|stressed|stresses|claimed|claims|believes|asked|asks|urged|urges|acknowledged|admitted|"
        r"declared|tweeted|posted|reports|reported|replied|commented|cautioned|conceded|maintained|maintains")
_SAY_VERB = re.compile(rf"\b(?P<verb>{_SAY})\b")
_ACCORDING = re.compile(r"\baccording to (?P<who>[^,.;§]{2,80})")
_CLAUSE_BREAK = re.compile(r"[,;:§(—–]|\b(?:that|while|but|and|as|because|after|when|although|though|if)\b")
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
_NAME_AFTER = re.compile(r"^\s+(?P<name>(?:[A-ZÀ-Þ][\w’'.-]*)(?:\s+(?:[A-ZÀ-Þ][\w’'.-]*|de|van|von|al|bin))"
                         r"{0,4})(?P<role>,\s+[^,.;§]{3,120}?(?:,|\.|$))?")
_OPINION = re.compile(
    r"\b(?:stark|serious setback|setback|fragil\w*|exposes|underscores|turning point|unravel\w*|necessary|"
    r"should|must|ought to|clearly|obviously|arguably|unfortunately|sadly|regrettabl\w*|dangerous|reckless|"
    r"shameful|disgrace\w*|misguided|short-sighted|hypocri\w*|betray\w*|absurd|alarming|troubling|worrying|"
    r"remarkabl\w*|crucial|vital|mistake|i think|i believe|we believe|in my view|in our view|it is time|"
    r"reminder|growing belief|ironic\w*|irony|tragic\w*|cynical|naive|naïve|foolish|deserves?|worse|"
    r"(?-i:I))\b", re.I)


@dataclass(frozen=True)
class Attribution:
    """Who a sentence says is speaking, the verb that says so, and the speaker's role where it is given."""

    speaker: str
    verb: str
    role: str | None = None


def mask_quotes(text: str) -> str:
    """The text with quoted words blanked out, so attribution and opinion are read from the outlet's words."""
    return _QUOTED.sub(lambda m: "§" * len(m.group()), text)


def quoted_parts(text: str) -> list[str]:
    return [m.group().strip("“”\"") for m in _QUOTED.finditer(text) if re.search(r"\w", m.group())]


def find_speaker(text: str, last_speaker: str | None = None) -> Attribution | None:
    """Who says it: 'X said', 'X, role, said', '"...," said X, role', 'according to X'; 'he' is the last speaker."""
    masked = mask_quotes(text)
    for match in _SAY_VERB.finditer(masked):
        left = masked[:match.start()].rstrip()
        if not left or left.endswith(("§", ",")) and not _appositive(left):
            after = _NAME_AFTER.match(masked[match.end():])
            if after:
                role = (after.group("role") or "").strip(" ,.") or None
                return Attribution(after.group("name"), match.group(), role)
        subject = _subject_before(left)
        if subject:
            name, role = subject
            if name.lower() in _PRONOUNS:
                if last_speaker and name.lower() in ("he", "she", "they"):
                    return Attribution(last_speaker, match.group())
                continue
            return Attribution(name, match.group(), role)
    according = _ACCORDING.search(masked)
    if according:
        return Attribution(according.group("who").strip(), "according to")
    return None


def _appositive(left: str) -> tuple[str, str] | None:
    """'Martin Barber, former director of the service,' → ('Martin Barber', 'former director of the service')."""
    if not left.endswith(","):
        return None
    inner = left[:-1]
    cut = inner.rfind(",")
    if cut < 0:
        return None
    head = inner[:cut].rstrip()
    name = re.search(r"(?:^|[,;:§(—–]\s*)((?:[A-ZÀ-Þ][\w’'.-]*\s+){1,3}[A-ZÀ-Þ][\w’'.-]*)$", head)
    if not name:
        return None
    return name.group(1), inner[cut + 1:].strip()


def _subject_before(left: str) -> tuple[str, str | None] | None:
    """The words just before a 'said' that name the speaker: the end of the clause, a few words long."""
    apposition = _appositive(left)
    if apposition:
        return apposition
    tail = left
    for match in _CLAUSE_BREAK.finditer(left):
        tail = left[match.end():]
    tail = tail.strip(" §")
    if not tail or len(tail.split()) > 10:
        return None
    if not (tail[0].isupper() or re.match(r"(?:the|these|those|some|many|several|most|other|critics|officials|"
                                          r"he|she|they|we|i)\b", tail)):
        return None
    of = re.match(r"^((?:[A-ZÀ-Þ][\w’'.-]*\s+){1,3}[A-ZÀ-Þ][\w’'.-]*) ((?:of|at|from|for) .+)$", tail)
    if of:
        return of.group(1), of.group(2)
    return tail, None


@dataclass(frozen=True)
class KindGuess:
    kind: str
    because: str
    speaker: str | None = None


def guess_kind(text: str, attribution: Attribution | None, post: Mark | None) -> KindGuess:
    """reporting, quote, paraphrase, opinion or social-post, with the words the guess rests on."""
    if post is not None:
        speaker = f"{post.author} ({post.handle})" if post.handle else post.author
        return KindGuess("social-post", f"inside the embedded post by {speaker}", speaker)
    quotes = quoted_parts(text)
    if quotes and attribution:
        opening = " ".join(quotes[0].split()[:6])
        return KindGuess("quote", f"{attribution.verb}, “{opening}…”", _speaker_label(attribution))
    opinion = _OPINION.findall(mask_quotes(text))
    if opinion:
        return KindGuess("opinion", ", ".join(repr(w) for w in _unique(w.lower() for w in opinion)))
    if attribution:
        return KindGuess("paraphrase", f"{attribution.verb} (no quotation marks)", _speaker_label(attribution))
    if quotes:
        return KindGuess("reporting", "quotation marks, but no speaker found: set kind: quote and a speaker if "
                                      "someone is quoted")
    return KindGuess("reporting", "no attribution, quotation marks or opinion words")


def _speaker_label(attribution: Attribution) -> str:
    if attribution.role and not attribution.role.startswith(("of ", "at ", "from ", "for ")):
        return f"{attribution.speaker}, {attribution.role}"
    if attribution.role:
        return f"{attribution.speaker} {attribution.role}"
    return attribution.speaker


# ------------------------------------------------------------------------------------------------ names

_ORG_WORDS = {
    "Campaign", "Service", "Ministry", "Agency", "Organization", "Organisation", "Union", "Council", "Committee",
    "Commission", "Office", "Institute", "Foundation", "Party", "Army", "Forces", "Force", "Navy", "Government",
    "Parliament", "Assembly", "Court", "Bank", "Fund", "Watch", "Network", "Alliance", "Association",
    "Federation", "League", "Group", "Coalition", "Centre", "Center", "University", "Department", "Cross",
    "Crescent", "Programme", "Program", "Mission", "Monitor", "Society", "Initiative", "Corporation", "Company",
    "Bureau", "Secretariat", "Senate", "Congress", "Pentagon", "Kremlin", "Times", "Post", "Line", "News",
    "Press", "Administration", "Ministries", "Command", "Guard", "Authority", "Board",
}
_SKIP_WORDS = {"Treaty", "Convention", "Protocol", "Agreement", "Day", "War", "Act", "Sea", "Ocean", "Street",
               "Award", "Prize", "Law", "Declaration", "Charter", "Accord"}
_NOT_NAMES = {
    "The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "For", "With", "Despite", "While",
    "Meanwhile", "Other", "Several", "It", "Its", "Their", "They", "He", "She", "We", "Our", "I", "But", "And",
    "As", "If", "When", "After", "Before", "Since", "Clearing", "Did", "Do", "Does", "Eastern", "Western",
    "Northern", "Southern", "Central", "European", "Soviet", "Arab", "African", "Asian", "Latin", "International",
    "Global", "Four", "Five", "Three", "Two", "Six", "Many", "Most", "Some", "All", "Critics", "Officials",
    "According", "However", "Today", "Yesterday", "Tomorrow", "Read", "Listen", "Photo", "Former", "Here",
    "There", "What", "Why", "How", "Who", "Where", "Which", "Both", "Each", "Every", "No", "Not", "Only", "Under",
    "Over", "From", "To", "By", "Of", "Also", "Such", "Instead", "Still", "Yet", "So", "Then", "Now",
}
_TITLES = {"President", "Prime", "Minister", "Defence", "Defense", "Foreign", "Secretary", "General", "Chancellor",
           "Senator", "Ambassador", "Director", "Spokesperson", "Spokesman", "Spokeswoman", "Commissioner", "Chair",
           "Chairman", "King", "Queen", "Pope", "Gen.", "Dr.", "Mr.", "Mrs.", "Ms.", "Colonel", "Col.", "Lt.",
           "Deputy", "Vice", "Head", "Chief", "Professor", "Prof.", "Rep.", "Sen.", "Gov.", "Governor", "Mayor"}
_CONNECTORS = {"of", "the", "for", "to", "and", "on", "de", "van", "von", "al", "bin", "&"}


@dataclass(frozen=True)
class Names:
    people: tuple[str, ...]
    organisations: tuple[str, ...]


def find_names(text: str, known_people: dict[str, str]) -> Names:
    """People and organisations named in a sentence, from runs of capitalised words; roles where given."""
    title_case = _is_title_case(text)
    country_words = {word for m in find_countries(text) for word in m.words.split()}
    people: list[str] = []
    organisations: list[str] = []
    for run, _start, end in _capitalised_runs(text):
        words = run.split()
        if all(w in _NOT_NAMES or w in country_words or w in MONTHS or w in _WEEKDAYS for w in words):
            continue
        if any(w in _SKIP_WORDS for w in words):
            continue
        acronyms = [w for w in words if re.fullmatch(r"[A-Z]{2,6}s?", w) and w not in _COUNTRY_ALIASES]
        if title_case:
            organisations.extend(acronyms)
            continue
        person, rest = _person_and_rest(words, country_words)
        if person:
            people.append(_with_role(person, text, end, rest))
            known_people[person.split()[-1]] = person
            if rest and any(w in _ORG_WORDS for w in rest.split()):
                organisations.append(rest)
            continue
        if any(w in _ORG_WORDS for w in words) or acronyms:
            organisations.append(" ".join(_trim_connectors(words, leading=True)))
            continue
        if len(words) == 1 and words[0] in known_people:
            people.append(known_people[words[0]])
    return Names(_unique(people), _unique(organisations))


def _is_title_case(text: str) -> bool:
    """A headline capitalises every word; its capitals say nothing about names."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _capitalised_runs(text: str) -> list[tuple[str, int, int]]:
    """Runs of capitalised words (with 'of', 'the' and such inside them), broken by punctuation."""
    runs: list[tuple[str, int, int]] = []
    current: list[tuple[str, int, int]] = []

    def flush() -> None:
        while current and current[-1][0] in _CONNECTORS:
            current.pop()
        if current:
            runs.append((" ".join(w for w, _, _ in current), current[0][1], current[-1][2]))
        current.clear()

    for match in re.finditer(r"[^\s—–]+", text):
        raw = match.group()
        if raw[0] in "“\"(‘[":
            flush()
        word = raw.strip("“”\"‘()[]{}:;,!?")
        possessive = word.endswith(("’s", "'s"))
        if possessive:
            word = word[:-2]
        word = word.rstrip("’'") if not word.endswith(".") or len(word) > 4 else word
        if word.endswith(".") and word[:-1] not in ("U.S", "U.K", "Dr", "Mr", "Mrs", "Ms", "Gen", "Col", "Lt"):
            word = word.rstrip(".")
        if word and (word[0].isupper() or (current and word in _CONNECTORS)):
            current.append((word, match.start(), match.start() + len(raw)))
        else:
            flush()
        if possessive or raw[-1] in ",.;:!?)”\"’]":
            flush()
    flush()
    return runs


_FUNCTION_WORDS = {"The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "For", "With", "By",
                   "From", "Of", "To", "And", "But", "As", "If", "When", "While", "Despite", "Meanwhile", "After",
                   "Before", "Since", "According", "However", "Under", "Over", "Its", "Their", "Our"}


def _trim_connectors(words: list[str], leading: bool = False) -> list[str]:
    """A run without the function words ('The', 'of') that a sentence, not the name, put at its start."""
    words = list(words)
    while leading and words and (words[0] in _CONNECTORS or words[0] in _FUNCTION_WORDS):
        words.pop(0)
    return words


def _person_and_rest(words: list[str], country_words: set[str]) -> tuple[str | None, str | None]:
    """A person's name is two to four capitalised words ('Tamar Gabelnick'), perhaps after a title and before
    'of the ...'; the rest of the run is returned as where they work."""
    head = _trim_connectors(words, leading=True)
    titles = []
    while head and head[0] in _TITLES:
        titles.append(head.pop(0))
    name = []
    rest: list[str] = []
    for index, word in enumerate(head):
        if word in _CONNECTORS and word not in ("de", "van", "von", "al", "bin"):
            rest = head[index + 1:]
            break
        name.append(word)
    rest = _trim_connectors(rest, leading=True)
    plausible = (2 <= len(name) <= 4 and all(re.fullmatch(r"[A-ZÀ-Þ][a-zà-ÿ’'-]+(?:-[A-ZÀ-Þ][a-zà-ÿ’'-]+)?", w)
                                              or w in ("de", "van", "von", "al", "bin") for w in name)
                 and not any(w in _ORG_WORDS or w in _NOT_NAMES or w in country_words or w in _TITLES
                             or w in MONTHS or w in _WEEKDAYS for w in name))
    if not plausible:
        return None, None
    role = " ".join(titles) if titles else None
    person = " ".join(name)
    return (f"{person}|{role}" if role else person), (" ".join(rest) or None)


def _with_role(person: str, text: str, end: int, rest: str | None) -> str:
    """'Name (role)' from a title before the name, 'of the ...' after it, or an appositive ', role,'."""
    name, _, title = person.partition("|")
    if title:
        return f"{name} ({title})"
    if rest:
        return f"{name} ({rest})"
    # The run ends after the name's own comma, if it has one: 'Martin Barber, former director of ..., said'.
    appositive = text[end - 1:end] == "," and re.match(r"\s+((?:former |the |a |an |[a-z])[^,.;“\"]{2,100}?),",
                                                        text[end:])
    if appositive:
        return f"{name} ({appositive.group(1).strip()})"
    return name


# ------------------------------------------------------------------------------------------------ numbers, questions

_NUMBER = re.compile(r"(?<![\w.,/@#-])(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?(?P<percent>\s?%| percent"
                     r"| per cent)?(?![\w/])")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000, "dozen": 12, "million": 1_000_000,
                 "billion": 1_000_000_000}
_NUMBER_WORD = re.compile(r"\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")s?\b", re.I)


@dataclass(frozen=True)
class NumberMention:
    words: str
    value: float


def find_numbers(text: str) -> list[NumberMention]:
    """Numbers written in digits or words, leaving out those that are part of a date."""
    found = []
    dates = [m.span() for pattern in (*_DATE_PATTERNS, _YEAR) for m in pattern.finditer(text)]
    for match in _NUMBER.finditer(text):
        if any(start <= match.start() < end for start, end in dates):
            continue
        value = float(match.group("digits").replace(",", "") + (match.group("decimals") or ""))
        found.append((match.start(), NumberMention(match.group().strip(), value)))
    for match in _NUMBER_WORD.finditer(text):
        found.append((match.start(), NumberMention(match.group(), _NUMBER_WORDS[match.group("word").lower()])))
    return [n for _, n in sorted(found, key=lambda item: item[0])]


_STOPWORDS = {
    "a", "about", "above", "according", "after", "again", "against", "all", "also", "am", "an", "and",
    "any", "are", "article", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "many", "me", "more", "most",
    "much", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our",
    "ours", "out", "over", "own", "said", "same", "say", "says", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your"
}
_SYNONYMS = {
    "withdraw": "leave", "withdrawal": "leave", "withdrawing": "leave", "withdrew": "leave", "exit": "leave",
    "exiting": "leave", "quit": "leave", "quitting": "leave", "leaving": "leave", "left": "leave",
    "nation": "country", "state": "country", "member": "country", "ally": "country", "allie": "country",
    "landmine": "mine", "antipersonnel": "mine", "anti-personnel": "mine", "prohibit": "ban", "banning": "ban",
    "convention": "treaty", "defense": "defence", "concluded": "adopt", "adopted": "adopt",
}


def _stems(text: str) -> set[str]:
    """Content words, folded so that 'withdrawing' meets 'leaving' and 'landmines' meets 'mines'."""
    found = set()
    for word in re.findall(r"[a-z][a-z-]+", normalise(text).lower().replace("'s ", " ")):
        if word in _STOPWORDS or len(word) < 3:
            continue
        word = _SYNONYMS.get(word, word)
        stem = word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word
        stem = stem[:-1] if stem.endswith("s") and not stem.endswith("ss") and len(stem) > 3 else stem
        found.add(_SYNONYMS.get(stem, stem))
    return found


@dataclass(frozen=True)
class QuestionInfo:
    id: str
    text: str
    type: str
    options: dict[str, str]


def propose_answers(question: QuestionInfo, words: set[str], countries: tuple[str, ...], when: PartialDate | None,
                    numbers: list[NumberMention], years: list[int], generic: set[str]) -> str | None:
    """A suggested answer to one question, as a comment line, when the claim shares enough of its words.

    Words that many questions share ('country', 'treaty') count once, the question's own words twice, so that
    a sentence about borders is offered to the border question and not to every question about countries."""
    shared = _stems(question.text) & words
    score = sum(1 if word in generic else 2 for word in shared)
    because = f"(shares {', '.join(sorted(shared))})"
    if question.type == "points":
        keys = [key for key, label in question.options.items()
                if len(_stems(label) & words) >= max(2, len(_stems(label)) / 2)]
        return f"{question.id} -> [{', '.join(keys)}] (option words in the sentence)" if keys else None
    if question.type == "countries" and score >= 3:
        own = {code for m in find_countries(question.text) for code in m.codes}
        value = [code for code in countries if code not in own]
        return f"{question.id} -> [{', '.join(value)}] {because}" if value else None
    if question.type == "date" and when and score >= 2:
        return f"{question.id} -> {when.iso} {because}"
    if question.type == "number" and "year" in question.text.lower():
        return f"{question.id} -> {years[0]} {because}" if years and score >= 2 else None
    if question.type == "number" and numbers and score >= 3:
        return f"{question.id} -> {numbers[0].value:g} {because}"
    if question.type == "text" and score >= 3:
        return f"{question.id} -> (write the answer) {because}"
    return None


def generic_words(questions: tuple[QuestionInfo, ...]) -> set[str]:
    """The words that a quarter or more of the questions use, and so say little about any one of them."""
    counts = Counter(word for q in questions for word in _stems(q.text))
    total = len(questions)
    return {word for word, count in counts.items() if count >= max(3, total / 4)}


# ------------------------------------------------------------------------------------------------ claims

@dataclass
class Draft:
    """One candidate claim, and the reasons for each guess, written as comments above it."""

    quote: str
    says: str
    kind: str
    span: tuple[int, int]
    speaker: str | None = None
    countries: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    when: PartialDate | None = None
    comments: list[str] = field(default_factory=list)
    id: str = ""


@dataclass(frozen=True)
class SiteFacts:
    """What ingest needs to know of the site it adds to."""

    source_ids: set[str]
    claim_ids: set[str]
    country_ids: set[str]
    questions: tuple[QuestionInfo, ...]
    topic: set[str]
    generic: set[str] = field(default_factory=set)


_BACK_REFERENCE = re.compile(r"\b(?:it|its|they|their|them|this|these|those|such)\b", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\s+(?:\w+\s+)?(?:decision|move|step|announcement|policy|plan|"
                            r"shift|change|position|withdrawal|weapons|mines|areas?|country|countries|nations?|"
                            r"governments?)\b", re.I)
_GROUP_REFERENCE = re.compile(r"\b(?:the|these|those|both|all)\s+(?:(?:two|three|four|five|six|seven|\d+)\s+)?"
                              r"(?:[a-z]\w*\s+)?(?-i:countries|nations|states|governments|ministers|allies|"
                              r"members)\b", re.I)
_COUNTED_GROUP = re.compile(r"\b(?P<count>two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w-]+\s+){0,3}?"
                            r"(?:countries|nations|states|members|allies|governments)\b", re.I)
MAX_GROUP_DISTANCE = 6  # sentences a group such as 'the ministers' can refer back over


@dataclass
class Context:
    """What earlier sentences named, for words such as 'their decision' or 'the ministers' that refer back."""

    previous: tuple[str, ...] = ()
    previous_group: tuple[str, ...] = ()
    previous_paragraph: int = -1
    quote_paragraph: int = -1  # the paragraph of the last sentence guessed to be a quotation
    group: tuple[str, ...] = ()
    group_at: int = -100
    speaker: str | None = None
    people: dict[str, str] = field(default_factory=dict)


def resolve_countries(text: str, index: int, paragraph: int, context: Context, next_text: str | None,
                      continues_quote: bool = False) -> tuple[tuple[str, ...], list[str]]:
    """The countries a sentence concerns: those it names, and those its back-references ('their decision',
    'the ministers') or a count ('four members', named in the next sentence) point to; with the reasons."""
    mentions = find_countries(text)
    codes = list(_unique(code for m in mentions for code in m.codes))
    reasons = [", ".join(f"'{m.words}' -> {'/'.join(m.codes)}" for m in mentions)] if mentions else []
    group = country_group(text, mentions)
    same_paragraph = paragraph == context.previous_paragraph and context.previous
    back = _BACK_REFERENCE.search(text)
    opening = _BACK_REFERENCE.match(text.lstrip("“\"‘'"))
    demonstrative = _DEMONSTRATIVE.search(text)
    if same_paragraph and continues_quote:
        codes.extend(c for c in context.previous if c not in codes)
        reasons.append(f"continues the previous sentence's quotation: {', '.join(context.previous)}")
    elif same_paragraph and ((back and not codes) or opening or demonstrative):
        word = (demonstrative or opening or back).group()  # type: ignore[union-attr]
        inherited = context.previous_group or context.previous
        codes.extend(c for c in inherited if c not in codes)
        reasons.append(f"'{word}' refers to the previous sentence: {', '.join(inherited)}")
    strong = _GROUP_REFERENCE.search(text)
    if strong and context.group and index - context.group_at <= MAX_GROUP_DISTANCE and not group:
        codes.extend(c for c in context.group if c not in codes)
        reasons.append(f"'{strong.group()}' refers to the countries named together before: "
                       f"{', '.join(context.group)}")
    counted = _COUNTED_GROUP.search(text)
    if counted and not group and next_text:
        wanted = _count_value(counted.group("count"))
        following = country_group(next_text, find_countries(next_text))
        if wanted and len(following) == wanted:
            codes.extend(c for c in following if c not in codes)
            group = following
            reasons.append(f"'{counted.group()}' are named in the next sentence: {', '.join(following)}")
    final = tuple(codes)
    if group:
        context.group, context.group_at = group, index
    elif strong and context.group and set(context.group) <= set(final):
        context.group_at = index
    context.previous, context.previous_group, context.previous_paragraph = final, group, paragraph
    return final, reasons


def _count_value(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


@dataclass(frozen=True)
class Candidate:
    """A sentence that may become a claim: its span, its paragraph, and the post it belongs to, if any."""

    start: int
    end: int
    paragraph: int
    post: Mark | None


def candidate_sentences(body: str, marks: list[Mark], title: str | None) -> tuple[list[Candidate], list[str]]:
    """Sentences outside non-reporting passages (and the text of related posts), with what was left out."""
    skipped: list[str] = []
    found = []
    for paragraph, line in enumerate(split_lines(body)):
        if not line.text:
            continue
        for start, end in split_sentences(body, line):
            post = next((m for m in marks if m.kind == "social-post" and m.start <= start < m.end), None)
            if post is not None:
                end = min(end, post.content_end or post.end)
                if not post.related:
                    continue
            elif _overlaps(start, end, [m for m in marks if m.kind in UNQUOTABLE_PASSAGES or m.kind == "caption"]):
                continue
            text = _without_links(body[start:end])
            if not text:
                continue
            end = start + body[start:end].find(text) + len(text)
            start = end - len(text)
            if len(re.findall(r"[^\W\d_]{2,}", text)) < 3:
                continue
            if _CREDIT_LINE.match(text):
                skipped.append(f"a byline or credit line, not a statement: '{_short(text)}'")
                continue
            if text.endswith("?") and not quoted_parts(text):
                skipped.append(f"a question, not a statement: '{_short(text)}'")
                continue
            found.append(Candidate(start, end, paragraph, post))
    unrelated = [m for m in marks if m.kind == "social-post" and not m.related]
    skipped.extend(f"no claims drafted from the post by {m.author} ({m.handle}): {m.related_why}" for m in unrelated)
    return found, skipped


_CREDIT_LINE = re.compile(r"^\(?(?:by|reporting by|writing by|editing by|additional reporting by|"
                          r"compiled by)\s+[A-Z][^.!?]*$", re.I)


def _without_links(text: str) -> str:
    """A sentence without the links at its end (a post's t.co and pic.twitter.com links) or its edges' spaces."""
    text = text.strip()
    while True:
        trimmed = re.sub(r"\s*(?:https?://\S+|pic\.twitter\.com/\S+|t\.co/\S+)[\s—–]*$", "", text).strip()
        if trimmed == text:
            return text
        text = trimmed


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def draft_claims(body: str, marks: list[Mark], title: str | None, published: Published, site: SiteFacts
                 ) -> tuple[list[Draft], list[str]]:
    """One candidate claim per statement, with its countries, people, speaker, dates, numbers and kind."""
    candidates, skipped = candidate_sentences(body, marks, title)
    context = Context()
    drafts = []
    for index, candidate in enumerate(candidates):
        text = body[candidate.start:candidate.end]
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        next_text = body[following.start:following.end] if following else None
        drafts.append(draft_claim(text, (candidate.start, candidate.end), candidate, index, next_text, context,
                                  published, site))
    return drafts, skipped


def draft_claim(text: str, span: tuple[int, int], candidate: Candidate, index: int, next_text: str | None,
                context: Context, published: Published, site: SiteFacts) -> Draft:
    """Every guess about one sentence, and the words each rests on."""
    post = candidate.post
    anchor = (Anchor(post.posted, post.posted.year, f"the post's date, {_human(post.posted)}")
              if post and post.posted else published.anchor())
    attribution = find_speaker(text, context.speaker) if post is None else None
    continues = continues_quotation(text, attribution, post, candidate.paragraph, context)
    if continues:
        attribution = Attribution(context.speaker or "", "continues the quotation of the sentence before")
    guess = guess_kind(text, attribution, post)
    if attribution and guess.kind in ("quote", "paraphrase"):
        context.speaker = attribution.speaker
    context.quote_paragraph = candidate.paragraph if guess.kind == "quote" else -1
    codes, country_reasons = resolve_countries(text, index, candidate.paragraph, context, next_text, continues)
    known = tuple(c for c in codes if c in site.country_ids)
    unknown = [c for c in codes if c not in site.country_ids]
    names = find_names(text, context.people)
    people = names.people
    if post and post.author and not post.author.startswith("unknown"):
        people = _unique((post.author, *people))
    dates = explicit_dates(text, anchor)
    relative, unresolved = relative_dates(text, anchor)
    if anchor.year is None:
        unresolved += yearless_dates(text)
    dates = sorted(dates + [d for d in relative if not any(d.start < e.end and e.start < d.end for e in dates)],
                   key=lambda d: d.start)
    when = _choose_when(dates)
    numbers = find_numbers(text)
    inferred = [d.inferred for d in dates if d.inferred]
    says = " ".join(text.split())
    if inferred:
        says += " [inferred: " + "; ".join(inferred) + "]"
    comments = [f"kind guessed from: {guess.because}"]
    if attribution and guess.kind in ("quote", "paraphrase"):
        comments.append(f"speaker from: '{_short(attribution.speaker, 50)}' + '{attribution.verb}'")
    if country_reasons:
        comments.append("countries: " + "; ".join(country_reasons))
    if unknown:
        comments.append("also concerns, with no file in content/countries: "
                        + ", ".join(f"{c} ({country_name(c)})" for c in unknown))
    if dates:
        comments.append("dates: " + "; ".join(
            f"'{d.words}' = {d.value.iso}" + (" (inferred)" if d.inferred else "") for d in dates))
    if unresolved:
        comments.append(f"not resolved ({anchor.what}): " + ", ".join(f"'{w}'" for w in unresolved))
    if numbers:
        comments.append("numbers: " + ", ".join(f"'{n.words}'" for n in numbers))
    words = _stems(text)
    years = [d.value.year for d in dates if d.value.month is None]
    proposals = [p for q in site.questions
                 if (p := propose_answers(q, words, known, when, numbers, years, site.generic))]
    comments.extend(f"may answer: {p}" for p in proposals[:5])
    return Draft(quote=text, says=says, kind=guess.kind, span=span, speaker=guess.speaker, countries=known,
                 organisations=names.organisations, people=people, when=when, comments=comments)


def continues_quotation(text: str, attribution: Attribution | None, post: Mark | None, paragraph: int,
                        context: Context) -> bool:
    """A sentence that is all quotation, right after a quote in the same paragraph, is the same speaker going on:
    '"...," the minister said. "We must ..."'."""
    return (post is None and attribution is None and context.speaker is not None
            and context.quote_paragraph == paragraph and text.lstrip()[:1] in "“\"")


def _choose_when(dates: list[DateMention]) -> PartialDate | None:
    """The date a claim speaks of: its first full date, else its first month, else its first year."""
    for precise in (lambda d: d.value.day, lambda d: d.value.month, lambda d: True):
        chosen = next((d.value for d in dates if precise(d)), None)
        if chosen:
            return chosen
    return None


def name_claims(drafts: list[Draft], source_id: str, taken: set[str]) -> None:
    """Readable ids: the source's initials and the quote's first content words, unique across the site."""
    parts = source_id.split("-")
    prefix = "".join(p[0] for p in parts) if len(parts) > 1 else source_id[:6]
    used = set(taken) | RESERVED_IDS
    for draft in drafts:
        words = [w for w in re.findall(r"[a-z0-9]+", _ascii(draft.quote).lower()) if w not in _STOPWORDS][:4]
        base = "-".join([prefix, *words])[:48].strip("-") or prefix
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}-{number}", number + 1
        used.add(candidate)
        draft.id = candidate


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_words: int = 4) -> str:
    """An id from a name: 'The Media Line' -> 'media-line'."""
    words = re.findall(r"[a-z0-9]+", _ascii(text).lower())
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return "-".join(words[:max_words])


# ------------------------------------------------------------------------------------------------ writing YAML

def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufeff]", lambda m: f"\\u{ord(m.group()):04x}", quoted)


def yaml_comment(text: str) -> str:
    return "# " + " ".join(text.split())


@dataclass(frozen=True)
class SourceDraft:
    """The front matter's fields, as found or given."""

    source_id: str
    outlet: str
    title: str
    url: str
    byline: str | None
    language: str
    published: Published
    retrieved_how: str
    captured_as: str | None
    outlet_url: str | None
    header: tuple[str, ...]


def render_source(draft: SourceDraft, body: str, marks: list[Mark]) -> tuple[str, dict[int, range], list[str]]:
    """The source file: front matter, then the body verbatim; with the lines each passage occupies."""
    lines = ["---", *(yaml_comment(h) for h in draft.header)]
    lines.append(f"outlet: {yaml_string(draft.outlet)}")
    if draft.outlet_url:
        lines.append(f"outlet_url: {yaml_string(draft.outlet_url)}")
    lines += [f"title: {yaml_string(draft.title)}", f"url: {yaml_string(draft.url)}",
              f"byline: {yaml_string(draft.byline) if draft.byline else 'null'}",
              f"language: {yaml_string(draft.language)}", "published:"]
    published = draft.published
    if published.exact:
        lines.append(f"  date: {published.exact.isoformat()}")
    else:
        lines.append("  date: null")
        lines += [f"  {key}: {value.isoformat()}" for key, value in
                  (("not_before", published.not_before), ("not_after", published.not_after)) if value]
    lines += [f"  how: {yaml_string(published.how)}", "retrieved:", "  date: null",
              f"  how: {yaml_string(draft.retrieved_how)}"]
    if draft.captured_as:
        lines.append(f"captured_as: {yaml_string(draft.captured_as)}")
    ranges: dict[int, range] = {}
    unanchored: list[str] = []
    searchable = SearchableText(body)
    ids: set[str] = set()
    entries: list[list[str]] = []
    for index, mark in enumerate(marks):
        anchors = anchor_passage(searchable, mark.start, mark.end)
        if anchors is None:
            unanchored.append(f"{mark.kind} at '{_short(body[mark.start:mark.end], 40)}': its text occurs more "
                              "than once, so it cannot be marked by 'from'/'to'")
            continue
        entries.append(_passage_lines(mark, anchors, _passage_id(mark, ids)))
        ranges[index] = range(0)  # filled in below, once the lines are placed
    if entries:
        lines.append("passages:")
    kept = [i for i in range(len(marks)) if i in ranges]
    for index, entry in zip(kept, entries, strict=True):
        first = len(lines) + 1
        lines += entry
        ranges[index] = range(first, len(lines) + 1)
    lines += [yaml_comment(f"not marked: {u}") for u in unanchored]
    lines.append("---")
    return "\n".join(lines) + "\n" + body, ranges, unanchored


def _passage_id(mark: Mark, ids: set[str]) -> str:
    base = f"{slugify(mark.handle.lstrip('@').replace('_', '-'), 6)}-post" if mark.handle else mark.kind
    candidate, number = base, 2
    while candidate in ids:
        candidate, number = f"{base}-{number}", number + 1
    ids.add(candidate)
    return candidate


def _passage_lines(mark: Mark, anchors: tuple[str, str | None], passage_id: str) -> list[str]:
    start_text, end_text = anchors
    note = f"Marked by ingest's '{mark.rule}' rule: {mark.trigger}."
    if mark.kind == "social-post":
        note += f" {mark.related_why}."
    entry = [f"  - id: {passage_id}", f"    kind: {mark.kind}", f"    from: {yaml_string(start_text)}"]
    if end_text:
        entry.append(f"    to: {yaml_string(end_text)}")
    entry.append(f"    note: {yaml_string(note)}")
    if mark.kind == "social-post":
        entry.append(f"    author: {yaml_string(mark.author or 'unknown')}")
        if mark.handle:
            entry.append(f"    handle: {yaml_string(mark.handle)}")
        if mark.posted:
            entry.append(f"    posted: {mark.posted.isoformat()}")
        entry.append(f"    related: {'true' if mark.related else 'false'}")
    return entry


def render_claims(drafts: list[Draft], header: list[str], footer: list[str]) -> tuple[str, dict[int, range]]:
    """The claims file: each candidate with `draft: true`, the reasons for its guesses in comments above it."""
    lines = [yaml_comment(h) for h in header]
    ranges: dict[int, range] = {}
    for index, draft in enumerate(drafts):
        lines.append("")
        lines += [yaml_comment(c) for c in draft.comments]
        first = len(lines) + 1
        lines += [f"- id: {draft.id}", f"  quote: {yaml_string(draft.quote)}", f"  says: {yaml_string(draft.says)}",
                  f"  kind: {draft.kind}"]
        if draft.kind in ("quote", "paraphrase", "social-post"):
            lines.append(f"  speaker: {yaml_string(draft.speaker) if draft.speaker else 'null'}")
        if draft.countries:
            lines.append(f"  countries: [{', '.join(draft.countries)}]")
        for key, values in (("organisations", draft.organisations), ("people", draft.people)):
            if values:
                lines.append(f"  {key}: [{', '.join(yaml_string(v) for v in values)}]")
        if draft.when:
            when = draft.when.iso
            lines.append(f"  when: {when if draft.when.day else yaml_string(when)}")
        lines.append("  draft: true")
        ranges[index] = range(first, len(lines) + 1)
    if not drafts:
        lines.append("[]")
    if footer:
        lines.append("")
        lines += [yaml_comment(f) for f in footer]
    return "\n".join(lines) + "\n", ranges


# ------------------------------------------------------------------------------------------------ the site

def read_site_facts(root: Path) -> SiteFacts:
    """The ids already taken, the countries and questions, and the words of the site's topic."""
    raw, _ = load_content(root)
    claim_ids = {str(_field(item, "id")) for node in raw.claims.values() for item in _list(node)
                 if _field(item, "id")}
    questions = []
    for item in _list(raw.questions):
        options = _field(item, "options")
        questions.append(QuestionInfo(
            str(_field(item, "id") or ""), str(_field(item, "text") or ""), str(_field(item, "type") or ""),
            {str(k): str(v.value) for k, v in options.items()} if isinstance(options, dict) else {}))
    topic_text = [str(_field(raw.site, "title") or "")]
    treaty_name = _field(raw.treaty, "name")
    if isinstance(treaty_name, dict) and "value" in treaty_name:
        topic_text.append(str(treaty_name["value"].value))
    topic_text += [str(n.value) for n in _list(_node(raw.treaty, "short_names"))]
    sources = {p.stem for p in (root / "content" / "sources").glob("*.md")} | set(raw.sources)
    known = tuple(q for q in questions if q.id)
    return SiteFacts(sources, claim_ids, set(raw.countries), known, _stems(" ".join(topic_text)),
                     generic_words(known))


def _node(node: Node | None, key: str) -> Node | None:
    return node.value.get(key) if node is not None and isinstance(node.value, dict) else None


def _field(node: Node | None, key: str) -> Any:
    found = _node(node, key)
    return found.value if found is not None else None


def _list(node: Node | None) -> list[Node]:
    return node.value if node is not None and isinstance(node.value, list) else []


def check_draft(root: Path, source_id: str, source_text: str, claims_text: str) -> list[ContentError]:
    """The errors the validator finds in the two drafted files, read as if they were already in content/."""
    raw, log = load_content(root)
    source_src, claims_src = f"content/sources/{source_id}.md", f"content/claims/{source_id}.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / source_src
        path.parent.mkdir(parents=True)
        path.write_bytes(source_text.encode("utf-8"))
        doc = load_markdown(path, Path(tmp), log)
    if doc is not None and doc.meta is not None:
        raw.sources[source_id] = doc
    node = parse_yaml(claims_text, claims_src, log)
    if node is not None:
        raw.claims[source_id] = node
    try:
        validate_site(raw, log)
        found = log.errors
    except ContentErrors as errors:
        found = errors.errors
    return sorted({e for e in found if e.src_path in (source_src, claims_src)})


# ------------------------------------------------------------------------------------------------ the command

@dataclass(frozen=True)
class IngestOptions:
    """What the command line says, each overriding what the input says."""

    id: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    title: str | None = None
    byline: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Ingested:
    source_path: Path
    claims_path: Path
    passages: int
    claims: int


def ingest(root: Path, file_arg: str, options: IngestOptions, stdin: BinaryIO | None = None,
           today: date | None = None) -> Ingested:
    """Read, extract, mark, draft, check, then write both files, or raise ContentErrors and write nothing."""
    today = today or date.today()
    captured = read_input(file_arg, stdin)
    extracted = extract_html(captured.text, captured.src) if captured.is_html else extract_text(captured.text)
    site = read_site_facts(root)
    url = options.url or extracted.url
    if options.url and _NOT_IN_URL.search(options.url):
        raise _error("--url", f"{shown(options.url)} contains a line break, a space or a control character",
                     "write the address alone, quoted, e.g. --url 'https://example.org/news/story'")
    if options.url and not _URL.match(options.url):
        raise _error("--url", f"{shown(options.url)} is not an http(s) address", "write the article's full "
                     "address, starting with https://")
    if not url:
        raise _error(captured.src, "the input does not say where the article was published",
                     "pass --url with the article's address")
    outlet = options.outlet or extracted.outlet or url.split("/")[2].removeprefix("www.")
    source_id = options.id or slugify(outlet) or "source"
    if not options.id and source_id in RESERVED_IDS:
        source_id += "-source"  # an outlet called 'AUX' cannot name a file on Windows
    if not ID_PATTERN.match(source_id):
        raise _error("--id", f"{shown(source_id)} is not a valid id",
                     "use lowercase letters, digits and single hyphens, e.g. 'media-line'")
    if source_id in RESERVED_IDS:
        raise _error("--id", f"'{source_id}' is a device name on Windows", reserved_hint(source_id))
    source_path = root / "content" / "sources" / f"{source_id}.md"
    claims_path = root / "content" / "claims" / f"{source_id}.yaml"
    for path in (source_path, claims_path):
        if path.exists() or source_id in site.source_ids:
            taken = path if path.exists() else source_path
            raise _error(taken.relative_to(root).as_posix(), f"the id '{source_id}' is already taken",
                         f"choose another with --id, e.g. '{_free_id(source_id, site, root)}'; "
                         "existing files are never overwritten")
    body = extracted.body
    title = options.title or extracted.title
    published = date_publication(extracted, options.published, body)
    marks = mark_passages(body, title, site.topic, published.exact, extracted.post_texts)
    drafts, skipped = draft_claims(body, marks, title, published, site)
    name_claims(drafts, source_id, site.claim_ids)
    where = captured.name or "standard input"
    header = (f"Drafted by `python -m builder ingest` from {where} on {today.isoformat()}: check every field. "
              "Each passage's note says which rule marked it and on which words.",)
    if not title:
        title = _short(body.strip().splitlines()[0], 100)
        header += ("No headline found: the title is the first line, shortened; pass --title or correct it.",)
    source = SourceDraft(
        source_id=source_id, outlet=outlet, title=title, url=url, byline=options.byline or extracted.byline,
        language=options.language or extracted.language or "en", published=published,
        retrieved_how=f"The capture date was not recorded with the copy; ingested from {where} on "
                      f"{today.isoformat()}.",
        captured_as=captured.name, outlet_url=_outlet_url(url, options, extracted), header=header)
    source_text, claims_text = _render_checked(root, source, body, marks, drafts, skipped)
    _write_new_files({source_path: source_text, claims_path: claims_text}, root)
    return Ingested(source_path, claims_path, len(marks), len(drafts))


def _outlet_url(url: str, options: IngestOptions, extracted: Extracted) -> str | None:
    """The outlet's home page is its address's scheme and host, when the address is the article's own."""
    if options.url or extracted.url:
        scheme, _, host = url.split("/")[:3]
        return f"{scheme}//{host}"
    return None


def _free_id(source_id: str, site: SiteFacts, root: Path) -> str:
    number = 2
    while (f"{source_id}-{number}" in site.source_ids
           or (root / "content" / "claims" / f"{source_id}-{number}.yaml").exists()):
        number += 1
    return f"{source_id}-{number}"


def _render_checked(root: Path, source: SourceDraft, body: str, marks: list[Mark], drafts: list[Draft],
                    skipped: list[str]) -> tuple[str, str]:
    """Render both files and run them through the validator; a candidate it rejects is left out, saying why."""
    claims_header = [
        f"Candidate claims drafted by `python -m builder ingest` from content/sources/{source.source_id}.md.",
        "Each is `draft: true`, which the site does not show: correct it, delete it, or accept it by removing "
        "`draft`. Rewrite `says` in plain words.",
        "The comments above each claim say what each guess rests on; 'may answer' lines propose answers to "
        "content/questions.yaml, to copy in as `answers:` where they are right.",
    ]
    dropped: list[str] = []
    for _ in range(4):
        source_text, passage_lines, _unanchored = render_source(source, body, marks)
        footer = [f"left out: {s}" for s in skipped] + dropped
        claims_text, claim_lines = render_claims(drafts, claims_header, footer)
        errors = check_draft(root, source.source_id, source_text, claims_text)
        if not errors:
            return source_text, claims_text
        bad_marks = {i for e in errors if e.src_path.endswith(".md")
                     for i, lines in passage_lines.items() if e.line in lines}
        bad_drafts = {i for e in errors if e.src_path.endswith(".yaml")
                      for i, lines in claim_lines.items() if e.line in lines}
        if not bad_marks and not bad_drafts:
            break
        dropped += [f"dropped: '{_short(drafts[i].quote)}': {e.message}" for e in errors
                    for i in sorted(bad_drafts) if e.line in claim_lines[i]]
        marks = [m for i, m in enumerate(marks) if i not in bad_marks]
        drafts = [d for i, d in enumerate(drafts) if i not in bad_drafts]
    raise RuntimeError("ingest drafted files that the validator rejects:\n" + "\n".join(str(e) for e in errors))


def _write_new_files(files: dict[Path, str], root: Path) -> None:
    """Write every file or none: each is staged beside its target, then linked into place, which never
    overwrites; if a target appeared meanwhile, the files already placed are taken back."""
    staged: dict[Path, Path] = {}
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".ingest", dir=target.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(tmp, 0o644)
            staged[target] = Path(tmp)
        placed: list[Path] = []
        for target, tmp in staged.items():
            try:
                os.link(tmp, target)
            except FileExistsError:
                for done in placed:
                    done.unlink()
                raise _error(target.relative_to(root).as_posix(), "the file appeared while ingesting",
                             "choose another id with --id; existing files are never overwritten") from None
            placed.append(target)
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def run_ingest(args: argparse.Namespace) -> int:
    """Run `ingest` for parsed arguments; print what was written, or every error; return the exit code."""
    root = Path(getattr(args, "root", None) or Path.cwd()).resolve()
    options = IngestOptions(id=args.id, url=args.url, outlet=args.outlet, published=args.published,
                            title=getattr(args, "title", None), byline=getattr(args, "byline", None),
                            language=getattr(args, "language", None))
    try:
        done = ingest(root, args.file, options)
    except ContentErrors as errors:
        print(errors.report(), file=sys.stderr)
        return 1
    source, claims = (p.relative_to(root).as_posix() for p in (done.source_path, done.claims_path))
    print(f"wrote {source} ({done.passages} passage(s) marked) and {claims} ({done.claims} draft claim(s))")
    print("next: review both files, then run `python -m builder check`")
    return 0

