"""The passages of an article that are not the outlet's reporting: embedded posts, appeals, captions and the
like, each marked with the rule and the words that marked it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from ..quotes import SearchableText
from .answers import stems
from .dates import MONTH_PATTERN, month_number
from .sentences import Line, short, split_lines, split_sentences

POST_LIMIT = 280  # characters in a post on X; how far back an embedded post can reach
TCO_LENGTH = 23  # X counts every link as this many characters


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


_SIGNATURE = re.compile(
    r"[—–]\s*(?P<author>[^\n()—–]{1,60}?)\s*\((?P<handle>@[A-Za-z0-9_]{1,30}(?:@[\w.-]+)?)\)\s*"
    + MONTH_PATTERN.replace("?P<month>", "?P<pmonth>") + r"\s+(?P<pday>\d{1,2}),\s+(?P<pyear>\d{4})")


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
            posted = date(int(signature.group("pyear")), month_number(signature.group("pmonth")),
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
        posted = date(int(signature.group("pyear")), month_number(signature.group("pmonth")),
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
    shared = sorted(topic & stems(text))
    if shared:
        return True, f"related: it shares {', '.join(repr(w) for w in shared[:4])} with the site's topic"
    return False, "related: false because it shares no word with the site's topic (site title, treaty names)"


def mark_post_links(body: str, lines: list[Line], taken: list[Mark], posted: date | None) -> list[Mark]:
    """A line with a t.co or pic.twitter.com link outside any signed post is part of an embedded post too."""
    marks = []
    for line in lines:
        link = re.search(r"\b(?:t\.co|pic\.twitter\.com)/\w+", line.text)
        if not link or overlaps(line.start, line.end, taken):
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
# A dateline opens the text: 'VILNIUS (Reuters) -', 'OTTAWA –', 'Geneva 1 July 2025 -', '5 Dec 2025 –', or is a line
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


_POST_SIGNATURE = re.compile(r"(?<=[.!?”\"])\s+(?P<author>[A-ZÀ-Þ][\w’'-]+(?:\s+[A-ZÀ-Þ][\w’'-]+){1,2})"
                             r"\s+(?P<role>[A-Z][\w ]{2,40}?(?:\s+of\s+the\s+[A-Z][\w ]{1,20})?)$")
_FIRST_PERSON = re.compile(r"^(?:I|We)\b|\b(?:I|my|we|our)\b")
_TESTIMONIAL = re.compile(r"^[\"“].*\[[^\]]+\].*[\"”]$")


def mark_signed_posts(body: str, lines: list[Line], posted: date | None) -> list[Mark]:
    """A post quoted whole and signed with its author's name and role, as pages embed Facebook posts: a paragraph
    in the first person that ends 'Roman Kostenko Colonel of the SBU'. And a reader's praise of the outlet, quoted
    at the top ('"[Arms Control Today] has become indispensable! ..."'), which is a promotion."""
    marks = []
    for index, line in enumerate(lines):
        if index < 3 and _TESTIMONIAL.match(line.text):
            marks.append(Mark("promo", line.start, line.end, "testimonial",
                              "a quotation praising the outlet ('[...]' names it) above the article"))
            continue
        signature = _POST_SIGNATURE.search(line.text)
        if not signature or not _FIRST_PERSON.search(line.text[:signature.start()]):
            continue
        role = signature.group("role")
        if not re.search(r"\b(?:Colonel|Minister|President|Mayor|Director|Secretary|General|Chief|Head|Chair|"
                         r"Ambassador|Spokesperson|Member|MP|Senator|Commander|Officer|Adviser|Advisor)\b", role):
            continue
        marks.append(Mark("social-post", line.start, line.end, "signed post",
                          f"the paragraph is in the first person and signed '{signature.group().strip()}'",
                          author=signature.group("author"), posted=posted, related=True,
                          related_why="related: assumed, as the article quotes it; 'posted' is the publication "
                                      "date, a placeholder", content_end=line.start + signature.start()))
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


def overlaps(start: int, end: int, marks: Iterable[Mark]) -> bool:
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
        lambda: mark_datelines(body, lines),
        lambda: mark_bylines_and_credits(lines),
        lambda: mark_page_furniture(body, lines),
        lambda: mark_signed_posts(body, lines, posted_fallback),
        lambda: mark_inline(body),
        lambda: mark_related_lists(lines, marks),
        lambda: mark_read_more(body, lines),
        lambda: mark_captions(lines),
        lambda: mark_donation_appeals(lines),
        lambda: mark_subscription_appeals(lines),
    )
    for rule in rules:
        for mark in rule():
            if mark.end > mark.start and not overlaps(mark.start, mark.end, marks):
                marks.append(mark)
    return _join_neighbours(body, sorted(marks, key=lambda m: m.start))


def _join_neighbours(body: str, marks: list[Mark]) -> list[Mark]:
    """Credits or promotions on consecutive lines are one passage (a block of them), not one each."""
    joined: list[Mark] = []
    for mark in marks:
        last = joined[-1] if joined else None
        if (last is not None and last.kind == mark.kind and mark.kind in ("credit", "promo", "byline", "caption")
                and not body[last.end:mark.start].strip()):
            joined[-1] = replace(last, end=mark.end, trigger=f"{last.trigger}; {mark.trigger}")
        else:
            joined.append(mark)
    return joined


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
