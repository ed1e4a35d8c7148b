"""The page's furniture: datelines, bylines and credits, captions, player prompts, 'read more' links, related
lists, and appeals for donations or subscriptions; each rule names the words it fired on."""

from __future__ import annotations

import re

from .marks import Mark, overlaps
from .sentences import Line, short, split_sentences

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
    r"(?:Getty Images|AFP via Getty|AP Photo|EPA-EFE|Shutterstock|Reuters/[A-Z]\w+)\W*$|"
    r"\bSource:\s+[^/]{2,40}\s*/\s*[A-Z]{2,}\s*$|^Click to expand Image\b", re.I)


def mark_captions(lines: list[Line]) -> list[Mark]:
    """A photo caption and its credit ('Photo: ...', '... (Chris McGrath/Getty Images)', '... Source: Siim Lõvi
    /ERR'), with the lines of the same caption around it: its first words alone above it, the same caption twice,
    and a short untranslated label below it."""
    marks = []
    for index, line in enumerate(lines):
        match = _CAPTION.search(line.text) if len(line.text) <= 300 else None
        if not match:
            continue
        first = last = index
        while first > 0 and lines[first - 1].text and (
                lines[first - 1].text == line.text or (len(lines[first - 1].text) <= 60
                                                       and line.text.startswith(lines[first - 1].text))):
            first -= 1
        while last + 1 < len(lines) and lines[last + 1].text and (
                lines[last + 1].text == line.text
                or (len(lines[last + 1].text) <= 40 and not re.search(r"[.!?:]$", lines[last + 1].text)
                    and not _RELATED_HEADING.match(lines[last + 1].text))):
            last += 1
        marks.append(Mark("caption", lines[first].start, lines[last].end, "caption", f"'{match.group().strip()}'"))
    return marks


_MONTH_WORD = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
              r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"


_DATE_WORDS = rf"(?:\d{{1,2}}\s+{_MONTH_WORD}(?:,?\s+\d{{4}})?|" \
              rf"{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|{_MONTH_WORD}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"


_DASH = r"\s*[-–—]+(?=\s)"


# A dateline opens the text: 'VILNIUS (Reuters) -', 'WARSAW –', 'Geneva 1 July 2025 -', '5 Dec 2025 –', or is a line
# of its own near the top: 'MILITARISM, 8 Dec 2025', 'April 2025'. (' date 2025-06-29' is how some stored copies
# put the page's date.)
_DATELINE_PREFIX = re.compile(
    rf"^(?:date\s+\d{{4}}-\d{{2}}-\d{{2}}(?=\s)|(?:[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+)?,?\s+)?{_DATE_WORDS}{_DASH}|"
    rf"[A-Z]{{3,}}(?:[ -][A-Z]{{2,}})*(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?(?:\s*\([A-Za-z .]+\))?{_DASH}|"
    rf"[A-Z]{{3,}}(?:[ -][A-Z]{{2,}})*,\s+{_DATE_WORDS}\s*[-–—/]\s*[A-Z][\w .]+\.|"
    rf"[A-Z]{{3,}}(?:[ -][A-Z]{{2,}})*,?\s+{_DATE_WORDS}\s*(?:\([A-Za-z .]+\))?{_DASH}|"
    rf"[A-Z]{{3,}}(?:[ -][A-Z]{{2,}})*,\s+{_DATE_WORDS}\.?\s*/\w+/\.)")


# Within a run-on paragraph: '(New York, July 1, 2025) –', a caption 'Click to expand Image ... © 2025 Name', and a
# player's 'Play Video'.
_INLINE = (
    ("dateline", "inline dateline",
     re.compile(rf"\((?:[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*),\s+{_DATE_WORDS}\)\s*[-–—]")),
    ("caption", "inline caption",
     re.compile(r"\bClick to expand Image\b.{0,400}?©\s*\d{4}\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*")),
    ("player-prompt", "player prompt", re.compile(r"\b(?:Play Video|Watch Video|Listen to this article)\b")),
)


def mark_inline(body: str) -> list[Mark]:
    """Datelines, captions and player prompts inside a paragraph, where a page's text was run together."""
    return [Mark(kind, match.start(), match.end(), rule, f"'{short(match.group(), 40)}'")
            for kind, rule, pattern in _INLINE for match in pattern.finditer(body)]


_DATELINE_LINE = re.compile(rf"^(?:[A-Z][A-Za-z]+,\s+)?{_DATE_WORDS}(?:\s+[A-Za-z]+(?:\s+(?:and|&)\s+[A-Za-z]+)?)?$|"
                            r"^[A-Z][\w-]+\s*[•|·]\s*[A-Z]{2,}$")


_BYLINE = re.compile(r"^(?:By|BY|Written by|Words by|Author:?)\s+[A-Z][^.!?]{1,80}$|"
                     r"^[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){1,3}\s+\|\s+[^.!?]{2,80}$")


_CREDIT_LINE = re.compile(r"^\(?(?:Editor|Editors|Edited by|Editing by|Reporting by|Writing by|Compiled by|"
                          r"Additional reporting by|With agencies|Agencies|Translation|Translated by|"
                          r"Region)\b\s*[.:]?\s*[^.!?]{0,120}$|^An important disclaimer\b.{0,80}$|"
                          r"^Sources?:\s*\S[^!?]{0,100}$|"
                          r"^[—–-]\s*(?:Agencies|AFP|AP|Reuters|dpa|Xinhua|PAP|Anadolu)\s*$", re.I)


_CREDIT_PREFIX = re.compile(r"^\((?:Adnkronos|AFP|AP|Reuters|dpa|ANSA|PAP|Xinhua|Anadolu|UNN|BNS|LETA|ERR)\)"
                            rf"{_DASH}|^(?:News agency|Agency)\s+[A-Z][\w-]+\s+(?:adds|reports|writes):", re.I)


_FURNITURE = re.compile(r"^(?:logo|share|print|menu|advertisement|comments?|related|tags?|x!)$", re.I)


_PROMPT = re.compile(r"^(?:What is your opinion|What do you think|Leave (?:the first|a) comment|Join the "
                     r"(?:conversation|discussion)|Follow (?:us|[A-Z][\w ]{1,30}) on (?:Facebook|Twitter|X|Telegram|"
                     r"Instagram|WhatsApp|Google News)|Share (?:this|on)|Subscribe to our)", re.I)


_TRAILING_SHARE = re.compile(r"(?<=[.!?”\"])\s+(Share)$")


_RELATED_HEADING = re.compile(r"^(?:Related|Related (?:articles|stories|news|coverage)|Read next|More (?:stories|news|"
                              r"from [\w ]+)|Most read|Latest news|You may also like|Recommended|Tags?)$", re.I)


_TAG_ITEM = re.compile(r"^[-•*]\s+\S.{0,40}$")


_LANGUAGE_LINKS = re.compile(r"\b(?:Lire|lesen|Lea|Leggi|Leia|Czytaj|Read (?:this )?in|version en|versión en|"
                             r"auf Deutsch|in English)\b")


def mark_datelines(body: str, lines: list[Line]) -> list[Mark]:
    """Where and when the text was filed, before its first words ('VILNIUS (Reuters) -') or on a line of its own
    near the top ('MILITARISM, 8 Dec 2025')."""
    marks = []
    for index, line in enumerate(lines):
        prefix = _DATELINE_PREFIX.match(line.text)
        if prefix and line.text[prefix.end():].strip():
            marks.append(Mark("dateline", line.start, line.start + len(prefix.group().rstrip()), "dateline",
                              f"'{prefix.group().strip()}' opens the text"))
        elif index < 8 and len(line.text) <= 40 and _DATELINE_LINE.match(line.text):
            marks.append(Mark("dateline", line.start, line.end, "dateline", f"'{line.text}' is a date line"))
    return marks


def mark_bylines_and_credits(lines: list[Line]) -> list[Mark]:
    """Bylines ('By Xiaodon Liang', 'Name | Agency - Outlet') and credits ('Editor: Helen Wright', '— Agencies',
    '(Adnkronos) –', 'News agency Xinhua adds:'): who wrote or supplied the text, not what it reports."""
    marks = []
    for line in lines:
        if not line.text:
            continue
        if _BYLINE.match(line.text) and not re.search(r"[.!?]\s", line.text):
            marks.append(Mark("byline", line.start, line.end, "byline", f"'{short(line.text)}' names the author"))
        elif _CREDIT_LINE.match(line.text):
            marks.append(Mark("credit", line.start, line.end, "credit", f"'{short(line.text)}' credits the text"))
        elif prefix := _CREDIT_PREFIX.match(line.text):
            marks.append(Mark("credit", line.start, line.start + len(prefix.group().rstrip()), "credit",
                              f"'{prefix.group().strip()}' credits the text that follows"))
    return marks


def mark_page_furniture(body: str, lines: list[Line]) -> list[Mark]:
    """The page's own words captured with the text: 'logo', 'Share', 'Follow us on Facebook', a comment prompt,
    and pages in other languages ('Lire la version en français / ...')."""
    marks = []
    for line in lines:
        if not line.text:
            continue
        if _FURNITURE.match(line.text) and not _RELATED_HEADING.match(line.text):
            marks.append(Mark("promo", line.start, line.end, "page furniture", f"'{line.text}'"))
        elif len(line.text) <= 160 and (found := _PROMPT.match(line.text)):
            marks.append(Mark("promo", line.start, line.end, "page prompt", f"'{found.group()}'"))
        elif len(line.text) <= 160 and len(_LANGUAGE_LINKS.findall(line.text)) >= 2:
            marks.append(Mark("cross-reference", line.start, line.end, "other-language links",
                              f"'{short(line.text, 40)}' links the page in other languages"))
        elif share := _TRAILING_SHARE.search(line.text):
            marks.append(Mark("promo", line.start + share.start(1), line.end, "share button",
                              "'Share' ends the paragraph: a button captured with the text"))
    return marks


def mark_related_lists(lines: list[Line], taken: list[Mark]) -> list[Mark]:
    """A list of other stories: under a heading ('Related', 'Read next'), or a run of short tag items at the end,
    to the last line before another marked passage."""
    marks = []
    for index, line in enumerate(lines):
        heading = _RELATED_HEADING.match(line.text)
        hashtags = len(re.findall(r"(?:^|\s)#\w", line.text)) >= 3 and line.text.startswith("#")
        if hashtags:
            marks.append(Mark("related", line.start, line.end, "hashtag list", "a line of hashtags (topic links)"))
            continue
        tags = _TAG_ITEM.match(line.text) and (index == 0 or not _TAG_ITEM.match(lines[index - 1].text))
        if not heading and not tags:
            continue
        last = index
        for following in lines[index + 1:]:
            if overlaps(following.start, following.end, taken) or (tags and following.text
                                                                   and not _TAG_ITEM.match(following.text)):
                break
            if following.text:
                last = lines.index(following)
        if tags and last - index < 2:
            continue
        marks.append(Mark("related", line.start, lines[last].end, "related-stories list",
                          f"'{line.text}' heads a list of other stories" if heading else
                          "a run of short list items (tags or links) after the text"))
    return marks
