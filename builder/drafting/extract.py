"""Reading a saved page or a text file into the article's text and what it says about itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from ..errors import ContentError, ContentErrors
from .dates import explicit_dates

URL_PATTERN = re.compile(r"^https?://[^\s<>\"']+$")


@dataclass(frozen=True)
class Extracted:
    """What the input says about itself, before the command line's options override it."""

    body: str
    title: str | None = None
    byline: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    published_how: str = ""  # how the date is known, as the source's page tells readers
    published_check: str = ""  # where ingest found it and what to check: a comment for the editor only
    language: str | None = None
    found: tuple[str, ...] = ()  # where each field came from, for the front matter's comments
    post_texts: tuple[str, ...] = ()  # the text of each embedded post, as the page's markup delimits it
    warnings: tuple[str, ...] = ()  # what the extraction left out that may matter (a quotation, say)
    published_window: tuple[date, date] | None = None  # when only the month (or year) is shown


def extract_html(text: str, src: str) -> Extracted:
    """Take a saved page's main text, title, byline, date and site name with trafilatura, at its precise
    settings (boxes around the article stay out); the publication date with htmldate, the original one rather
    than the last update. A paragraph with a quotation that the extraction left out is warned about."""
    # Imported here: trafilatura takes a second to load, and every other command would pay for it.
    import trafilatura

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=True,
                                      favor_precision=True, deduplicate=False)
    body = (getattr(doc, "text", None) or "").strip("\n")
    if not body.strip():
        raise ContentErrors([ContentError(src, 1, 1, "no article text found in the page",
                                          "copy the article's text into a .txt file and ingest that instead")])
    # Not trafilatura's own date, whose wider search reads a copyright line ('© 2025') as 1 January.
    published = _original_date(text)
    language = re.search(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", text[:4096])
    url = getattr(doc, "url", None)
    return Extracted(
        body=body + "\n", title=getattr(doc, "title", None) or None, byline=getattr(doc, "author", None) or None,
        outlet=getattr(doc, "sitename", None) or None, url=url if url and URL_PATTERN.match(url) else None,
        published=published,
        published_how="The page's metadata gives this date as the article's original publication date, not its last "
                      "update." if published else "",
        published_check=f"found in the page's metadata by htmldate ({published.isoformat()}): check it against the "
                        "page" if published else "",
        language=language.group(1).lower() if language else None,
        found=("title, byline, date, site name and address as trafilatura found them in the page",),
        post_texts=embedded_post_texts(text), warnings=dropped_quotations(text, body),
    )


def _original_date(html: str) -> date | None:
    """The page's original publication date as htmldate finds it (meta tags, structured data, the URL, the
    text), not its last update."""
    from htmldate import find_date  # installed with trafilatura

    try:
        found = find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return _iso_date(found)


_QUOTATION = re.compile(r"[“\"‘](?:\W*\w+\W+){3,}")


def dropped_quotations(html: str, body: str) -> tuple[str, ...]:
    """The paragraphs among the article's own that hold a quotation and that the extraction left out, each with
    its line in the page: a quotation is never dropped silently."""
    from lxml import html as lxml_html

    from ..quotes import SearchableText

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return ()
    searchable = SearchableText(body)
    blocks = [(el.sourceline or 0, " ".join(el.text_content().split())) for el in tree.iter("p", "blockquote", "li")]
    kept = [line for line, text in blocks if text and searchable.find(text[:80])]
    if not kept:
        return ()
    first, last = min(kept), max(kept)
    return tuple(f"line {line} of the page: a paragraph with a quotation was left out by the extraction: "
                 f"'{text[:120]}'; copy it in by hand if it is the article's"
                 for line, text in blocks
                 if first <= line <= last and _QUOTATION.search(text) and not searchable.find(text[:80]))


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


_HTML_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def extract_text(text: str, markdown: bool = False) -> Extracted:
    """Keep a text or Markdown file verbatim as the body; read a title, byline and date from its first lines.
    Markdown is read as Markdown: its HTML comments are no text, so they are left out (and said so)."""
    meta: dict[str, Any] = {}
    warnings: tuple[str, ...] = ()
    if markdown and _HTML_COMMENT.search(text):
        count = len(_HTML_COMMENT.findall(text))
        text = _HTML_COMMENT.sub("", text)
        warnings = (f"{count} HTML comment(s) left out of the Markdown file: they are not part of its text",)
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
    how = "Given with the copy of the article." if published else ""
    check = "taken from the Markdown file's front matter: check it against the page" if published else ""
    window = None
    if not published:
        published, window, how = _dateline(lines)
        check = "taken from the top of the text: check that it is the publication date" if how else ""
    url = _meta_text(meta, "url")
    return Extracted(
        body=text, title=title, byline=byline, outlet=_meta_text(meta, "outlet"),
        url=url if url and URL_PATTERN.match(url) else None, published=published, published_how=how,
        published_check=check,
        published_window=window, language=_meta_text(meta, "language"), warnings=warnings,
        found=("title from the first line, byline and date from the first lines of the text",),
    )


def _meta_text(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return str(value).strip() if isinstance(value, str | int) and str(value).strip() else None


def _title_line(lines: list[str]) -> str | None:
    """A headline is the first line when it is short and is not a sentence (or is a Markdown heading)."""
    if not lines:
        return None
    first = _without_leading_date(lines[0])
    if not first:  # the first line is only a date: the headline is the next line
        return _title_line(lines[1:])
    if first.startswith("#"):
        return first.lstrip("#").strip() or None
    if len(first) <= 200 and not first.endswith((".", ":", ";", ",")):
        return first
    return None


def _without_leading_date(line: str) -> str:
    """The line without a date that opens it ('date 2025-02-06 Argentina says ...', 'Published: 5 Feb 2025 |
    ...'): the date is the dateline's, not the headline's."""
    lead = re.match(r"(?i)(?:(?:date|published|updated|posted)\b[:\s]*)?", line)
    mention = next(iter(explicit_dates(line)), None)
    if lead is None or mention is None or mention.start != lead.end():
        return line
    rest = line[mention.end:]
    if not lead.group() and rest.strip() and not re.match(r"\s*[,:;|·•–—-]", rest):
        return line  # 'March 2025 was cold': a headline that opens with a date
    return rest.lstrip(" ,:;|·•–—-")


def _byline_line(lines: list[str]) -> str | None:
    for line in lines[:6]:
        match = re.match(r"^(?:By|BY)\s+([A-Z][^\n|·•]{2,80}?)\s*(?:[|·•,]\s*.*)?$", line)
        if match:
            return match.group(1).strip()
    return None


def _dateline(lines: list[str]) -> tuple[date | None, tuple[date, date] | None, str]:
    """A date in the first lines, alone on its line or leading it ('MILITARISM, 8 Dec 2025', 'April 2025',
    'Geneva 1 July 2025 -'), is taken as the publication date (a month as a window), saying so."""
    for line in lines[:6]:
        for mention in explicit_dates(line):
            if mention.start > 40 or mention.until:
                continue
            how = f"The date at the top of the article's text ('{mention.words}')."
            if mention.value.day:
                return mention.value.first, None, how
            if mention.value.month and len(line) <= 30:
                return None, (mention.value.first, mention.value.last), how
    return None, None, ""
