"""Finding a quote in a source's text the way a reader would: alike after white space, quotes and dashes."""

from __future__ import annotations

import bisect
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


# Only these places change length when normalised: the ellipsis character, and white space that is not one
# plain space between two words (the look-behind skips those). Everything between them maps one to one, so
# the map from normalised to original offsets is kept as a few segments rather than one integer per
# character (a 50 MB corpus would need 50 million of them). The pattern is tried only where a match can
# start (see _fold).
_IRREGULAR = re.compile(r"[\s\u2026](?<!(?<=[^\s-]) (?![\s-]|\Z))(?:(?<=\s)\s*)?")
# The characters that decide where normalising changes the text: those that fold (see _FOLD), white space but
# the plain space, the ellipsis and the dash. The white space is that of \s and str.isspace, unchanged since
# Unicode 6.3.
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _FOLD))) +
                      "\t-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u2026-]")
_FOLDED = {chr(code): folded for code, folded in _FOLD.items()}


def _fold(text: str) -> tuple[str, list[int]]:
    """The text with quotes and dashes folded, and the places where _IRREGULAR may match in it.

    Trying _IRREGULAR at each space, as finditer did, took most of the time of reading a large site's sources.
    A match can only start at a special character other than a quote (see _SPECIAL), at a space before another,
    or at either end; one scan finds the characters both to fold and to try. Substituting the few characters
    that fold is much faster than str.translate, which looks up every character in a dict.
    """
    pieces: list[str] = []
    starts = [0, len(text) - 1]
    done = 0
    for match in _SPECIAL.finditer(text):
        at = match.start()
        char = text[at]
        if char in _FOLDED:
            char = _FOLDED[char]
            pieces += (text[done:at], char)
            done = at + 1
        if char == "-":
            starts += (at - 1, at + 1)  # white space touching a dash
        elif char not in "'\"":
            starts.append(at)
    pieces.append(text[done:])
    folded = "".join(pieces)
    at = folded.find("  ")
    while at >= 0:
        starts.append(at)
        at = folded.find("  ", at + 2)
    return folded, starts


def _irregular_spans(folded: str, starts: list[int]) -> list[tuple[int, int]]:
    """The spans of _IRREGULAR.finditer(folded), trying the pattern only at `starts` (see _fold)."""
    spans = []
    done = 0
    for at in sorted(starts):
        if at < done or at >= len(folded):
            continue
        while at > done and folded[at].isspace() and folded[at - 1].isspace():
            at -= 1  # back to the start of the run of white space
        match = _IRREGULAR.match(folded, at)
        if match:
            spans.append(match.span())
            done = match.end()
    return spans


def _normalise_with_map(text: str) -> tuple[str, tuple[list[int], list[int]]]:
    """The normalised text, and where its segments start: (normalised offsets, original offsets)."""
    folded, starts = _fold(text)
    pieces: list[str] = []
    norm_starts, orig_starts = [0], [0]
    done = length = 0  # characters of `folded` consumed; characters of the normalised text produced
    for start, end in _irregular_spans(folded, starts):
        pieces.append(folded[done:start])
        length += start - done
        if folded[start] == "\u2026":
            pieces.append("...")
            norm_starts += [length + 1, length + 2, length + 3]
            orig_starts += [start, start, end]
            length += 3
        elif start == 0 or end == len(folded) or folded[start - 1] == "-" or folded[end] == "-":
            # Leading and trailing space goes; space around a dash is a matter of style, not of wording.
            norm_starts.append(length)
            orig_starts.append(end)
        else:
            pieces.append(" ")
            norm_starts.append(length + 1)
            orig_starts.append(end)
            length += 1
        done = end
    pieces.append(folded[done:])
    return "".join(pieces), (norm_starts, orig_starts)


class SearchableText:
    """A source body prepared once for many quote look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm, (self._norm_starts, self._orig_starts) = _normalise_with_map(text)

    def _where(self, offset: int) -> int:
        """The original offset of one character of the normalised text."""
        segment = bisect.bisect_right(self._norm_starts, offset) - 1
        return self._orig_starts[segment] + offset - self._norm_starts[segment]

    def _span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        return self._where(start), self._where(end - 1) + 1

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
