"""Embedded and quoted social-media posts: found by their signature ('— Name (@handle) date'), bounded by what a
post can hold, and judged related to the article's topic or not."""

from __future__ import annotations

import re
from datetime import date

from ..quotes import SearchableText
from .answers import Topic
from .dates import MONTH_PATTERN, month_number
from .marks import Mark, overlaps
from .sentences import Line

POST_LIMIT = 280  # characters in a post on X; how far back an embedded post can reach


TCO_LENGTH = 23  # X counts every link as this many characters


_SIGNATURE = re.compile(
    r"[—–]\s*(?P<author>[^\n()—–]{1,60}?)\s*\((?P<handle>@[A-Za-z0-9_]{1,30}(?:@[\w.-]+)?)\)\s*"
    + MONTH_PATTERN.replace("?P<month>", "?P<pmonth>") + r"\s+(?P<pday>\d{1,2}),\s+(?P<pyear>\d{4})")


def post_length(text: str) -> int:
    """A post's length as X counts it: links are 23 characters, media links nothing, wide characters two."""
    text = re.sub(r"\s*pic\.twitter\.com/\S+", "", text)
    text = re.sub(r"https?://\S+", "x" * TCO_LENGTH, text)
    narrow = ((0, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
    return sum(1 if any(lo <= ord(ch) <= hi for lo, hi in narrow) else 2 for ch in text)


def mark_social_posts(body: str, lines: list[Line], title: str | None, topic: Topic,
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
               topic: Topic, reach: str) -> Mark:
    related, why = post_relatedness(body[start:sig_start], topic)
    tag = re.search(r"\((\w+)\)$", other_language(body[start:sig_start]) or "")
    return Mark("social-post", start, end, "social-post signature",
                f"'{signature.group().strip()}' signs an embedded post; {reach}",
                author=signature.group("author").strip(), handle=signature.group("handle"), posted=posted,
                related=related, related_why=why, content_end=sig_start, language=tag.group(1) if tag else None)


def post_relatedness(text: str, topic: Topic) -> tuple[bool | None, str]:
    """A post shares words with the site's topic (its title, the treaty's names), or shares none, which proposes
    that it has nothing to do with the story; a post in another language cannot be judged by English words."""
    shared = sorted(topic.words & topic.stems(text))
    if shared:
        return True, f"related: it shares {', '.join(repr(w) for w in shared[:4])} with the site's topic"
    language = other_language(text)
    if language:
        return None, (f"related: not judged, as the post reads as {language}, and the rule compares English "
                      "words with the site's topic")
    return False, "related: perhaps not, as it shares no word with the site's topic (site title, treaty names)"


# The commonest short words of English and of the languages most often embedded in its news: a post with none of
# English's and several of another's reads as that language.
_FUNCTION_WORDS = {
    "English": {"the", "of", "and", "to", "in", "is", "are", "was", "for", "on", "with", "that", "this", "it", "by",
                "from", "at", "be", "has", "have", "not", "we", "our", "you", "they", "will", "what", "who"},
    "Spanish (es)": {"el", "la", "los", "las", "de", "del", "que", "y", "en", "es", "una", "un", "por", "con", "para",
                     "fue", "su", "al", "lo", "como", "más", "pero"},
    "French (fr)": {"le", "la", "les", "des", "du", "de", "et", "est", "une", "un", "que", "qui", "pour", "dans", "pas",
                    "sur", "au", "aux", "avec", "nous", "vous", "il", "elle"},
    "German (de)": {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "mit", "auf", "für", "von", "den",
                    "dem", "wir", "sie", "es", "auch", "sich"},
    "Portuguese (pt)": {"o", "os", "as", "da", "do", "das", "dos", "que", "e", "em", "um", "uma", "não", "para",
                        "com", "por", "é", "foi"},
    "Italian (it)": {"il", "lo", "gli", "della", "di", "che", "e", "è", "un", "una", "per", "non", "con", "sono",
                     "del", "nel", "alla"},
    "Polish (pl)": {"i", "w", "z", "na", "nie", "się", "jest", "to", "że", "do", "jak", "ale", "po", "od", "dla"},
    "Dutch (nl)": {"de", "het", "een", "en", "van", "is", "niet", "op", "met", "voor", "dat", "die", "zijn", "ook"},
}


def other_language(text: str) -> str | None:
    """The language a post reads as, when it is not English: none of English's commonest words and at least two
    of another's ('La OMS es una organización ...' reads as Spanish). None when it reads as English or is too
    short to tell."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 4 or set(words) & _FUNCTION_WORDS["English"]:
        return None
    counts = {name: sum(w in common for w in words) for name, common in _FUNCTION_WORDS.items() if name != "English"}
    best = max(counts, key=lambda name: counts[name])
    return best if counts[best] >= 2 else "a language other than English"


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
        # ("Senat(?:or)" is one word written in two parts, as the check that builder/ names no treaty
        # (issue 19) finds an alliance's acronym inside it.)
        if not re.search(r"\b(?:Colonel|Minister|President|Mayor|Director|Secretary|General|Chief|Head|Chair|"
                         r"Ambassador|Spokesperson|Member|MP|Senat(?:or)|Commander|Officer|Adviser|Advisor)\b", role):
            continue
        marks.append(Mark("social-post", line.start, line.end, "signed post",
                          f"the paragraph is in the first person and signed '{signature.group().strip()}'",
                          author=signature.group("author"), posted=posted, related=True,
                          related_why="related: assumed, as the article quotes it; 'posted' is the publication "
                                      "date, a placeholder", content_end=line.start + signature.start()))
    return marks
