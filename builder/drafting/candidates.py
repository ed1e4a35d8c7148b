"""Which sentences become candidate claims: those outside the marked passages (and inside related posts), a
quotation that runs over several sentences as one, and a sentence quoting several speakers as one each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import UNQUOTABLE_PASSAGES
from .marks import Mark, overlaps
from .sentences import find_speaker, mask_quotes, open_quotation, quoted_parts, short, split_lines, split_sentences


@dataclass(frozen=True)
class Candidate:
    """A sentence that may become a claim: its span, its paragraph, and the post it belongs to, if any."""

    start: int
    end: int
    paragraph: int
    post: Mark | None
    last_paragraph: int = -1  # where it ends, when a quotation joined it to the sentences after it

    @property
    def ends_in(self) -> int:
        return max(self.paragraph, self.last_paragraph)


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
            else:
                start, end = _outside_marks(body, start, end, marks)
                if start >= end:
                    continue
            text = _without_links(body[start:end])
            if not text:
                continue
            end = start + body[start:end].find(text) + len(text)
            start = end - len(text)
            if len(re.findall(r"[^\W\d_]{2,}", text)) < 3:
                if quoted_parts(text):  # a quotation is never left out without a word: '“No.”'
                    skipped.append(f"too short to be a claim, but a quotation: '{short(text)}'")
                continue
            if _CREDIT_LINE.match(text):
                skipped.append(f"a byline or credit line, not a statement: '{short(text)}'")
                continue
            if text.endswith("?") and not quoted_parts(text):
                skipped.append(f"a question, not a statement: '{short(text)}'")
                continue
            found.extend(Candidate(s, e, paragraph, post) for s, e in _one_speaker_each(body, start, end))
    found = _join_open_quotations(body, found)
    unrelated = [m for m in marks if m.kind == "social-post" and not m.related]
    skipped.extend(f"no claims drafted from the post by {m.author} ({m.handle}): {m.related_why}" for m in unrelated)
    return found, skipped


_CLAUSE_JOIN = re.compile(r",\s+(?:while|whereas|and|but)\s+")


def _one_speaker_each(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence that quotes several speakers, one claim each: 'Amnesty International called the move
    “disastrous”, while Human Rights Watch said it was “alarming”'."""
    text = body[start:end]
    if len(quoted_parts(text)) < 2:
        return [(start, end)]
    masked = mask_quotes(text)
    cuts = list(_CLAUSE_JOIN.finditer(masked))
    starts = [0, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), len(text)]
    parts = list(zip(starts, ends, strict=True))
    speakers = [find_speaker(text[s:e]) for s, e in parts]
    if not all(speakers) or not all(quoted_parts(text[s:e]) for s, e in parts) or \
            len({s.speaker for s in speakers if s}) < len(parts):
        return [(start, end)]
    return [(start + s, start + e) for s, e in parts]


MAX_QUOTATION = 800  # characters: a quotation still open after this is a stray mark, not one quotation


def _join_open_quotations(body: str, found: list[Candidate]) -> list[Candidate]:
    """A quotation that runs over two sentences (or a line break) is one claim, so that its speaker, named at its
    end, is found: '“... long demanded. Russia is not a party ...,” Kostenko said.'"""
    joined: list[Candidate] = []
    for candidate in found:
        last = joined[-1] if joined else None
        if (last is not None and last.post is None and candidate.post is None
                and open_quotation(body[last.start:last.end]) and candidate.paragraph - last.paragraph <= 2
                and candidate.end - last.start <= MAX_QUOTATION):
            joined[-1] = Candidate(last.start, candidate.end, last.paragraph, None, candidate.paragraph)
        else:
            joined.append(candidate)
    return joined


def _outside_marks(body: str, start: int, end: int, marks: list[Mark]) -> tuple[int, int]:
    """The sentence without a passage that opens or closes it (a dateline, 'Share'); empty if one covers more."""
    for mark in marks:
        if mark.kind not in UNQUOTABLE_PASSAGES and mark.kind != "caption" or not overlaps(start, end, [mark]):
            continue
        if mark.start <= start < mark.end < end:
            start = mark.end
        elif start < mark.start < end <= mark.end:
            end = mark.start
        else:
            return start, start
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


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
