"""Finding a quote in a source's text the way a reader would: alike after white space, quotes and dashes."""

from __future__ import annotations

import difflib
import re
from functools import cached_property

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
_SPACE = re.compile(r"\s+")
_ELISION = re.compile(r"\s*(?:\.\.\.|\[\.\.\.\]|\[…\])\s*")
MAX_ELISION_GAP = 400


def normalise(text: str) -> str:
    """Fold the differences that typing a quote by hand introduces; used for matching only, never for display."""
    return _normalise_with_map(text)[0]


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset of the original character."""
    out: list[str] = []
    where: list[int] = []
    pending_space = -1
    for i, char in enumerate(text):
        if char.isspace():
            if out and pending_space < 0:
                pending_space = i
            continue
        char = char.translate(_FOLD)
        pieces = "..." if char == "\u2026" else char
        if pending_space >= 0:
            # White space around a dash is a matter of style, not of wording.
            if pieces != "-" and out[-1] != "-":
                out.append(" ")
                where.append(pending_space)
            pending_space = -1
        for piece in pieces:
            out.append(piece)
            where.append(i)
    return "".join(out), where


class SearchableText:
    """A source body prepared once for many quote look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm, self._where = _normalise_with_map(text)

    def _span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        return self._where[start], self._where[end - 1] + 1

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Every place where the quote occurs, as (start, end) offsets into the original text."""
        needle = normalise(quote)
        if not needle:
            return []
        spans = []
        start = self.norm.find(needle)
        while start >= 0:
            spans.append(self._span(start, start + len(needle)))
            start = self.norm.find(needle, start + 1)
        if spans or "..." not in needle:
            return spans
        found = self._find_elided(needle)
        return [found] if found else []

    def find(self, quote: str) -> tuple[int, int] | None:
        """The first place where the quote occurs, or None."""
        spans = self.find_all(quote)
        return spans[0] if spans else None

    def _find_elided(self, needle: str) -> tuple[int, int] | None:
        """Match a quote whose '...' marks left-out words: each part in order, close together."""
        parts = [part for part in _ELISION.split(needle) if part]
        if not parts:
            return None
        first = self.norm.find(parts[0])
        while first >= 0:
            position, end = first + len(parts[0]), first + len(parts[0])
            for part in parts[1:]:
                found = self.norm.find(part, position)
                if found < 0 or found - position > MAX_ELISION_GAP:
                    break
                position = end = found + len(part)
            else:
                return self._span(first, end)
            first = self.norm.find(parts[0], first + 1)
        return None

    @cached_property
    def _words(self) -> list[tuple[str, int, int]]:
        return [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", self.text)]

    def closest(self, quote: str) -> str:
        """The passage of the text most like the quote, to show next to a quote that does not match."""
        words = self._words
        if not words:
            return ""
        wanted = normalise(quote).split(" ")
        matcher = difflib.SequenceMatcher(None, wanted, [normalise(w) for w, _, _ in words])
        match = matcher.find_longest_match(0, len(wanted), 0, len(words))
        if match.size == 0:
            return ""
        first = max(0, match.b - match.a)
        last = min(len(words), first + len(wanted)) - 1
        return self.text[words[first][1] : words[last][2]]
