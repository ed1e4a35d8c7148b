"""Finding a quote in a source's text the way a reader would (alike after white space, quotes and dashes), and
linking to it in the original article."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from functools import cached_property
from urllib.parse import quote

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


# Only these places change length when normalised: the ellipsis character, and a run of white space that is
# not one plain space between two words. Everything between them maps one to one, so the map from normalised
# to original offsets is kept as a few segments rather than one integer per character (a 50 MB corpus would
# need 50 million of them). Such a run contains a line break, two spaces, a space next to a dash, or white space
# but the plain space and the line break (that of \s and str.isspace, unchanged since Unicode 6.3: _RARE_SPACES);
# or it is at an end.
_RARE_SPACES = ("\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_SEEDS = ("\n", "  ", "\u2026", *_RARE_SPACES)
_FOLDS = tuple((chr(code), folded) for code, folded in _FOLD.items())
# Most quotes, and many sources once folded, are ASCII (which str.isascii knows without reading the text):
# there, only these can occur. Looking for the others took 40% of the time of normalising 20,000 quotes.
_ASCII_SEEDS = tuple(seed for seed in _SEEDS if seed.isascii())
_ASCII_FOLDS = tuple(fold for fold in _FOLDS if fold[0].isascii())


def _fold(text: str) -> tuple[str, list[int]]:
    """The text with quotes and dashes folded, and the places where normalising may change it (see _SEEDS).

    str.find and str.replace look for one string at a time, in C: faster than a regular-expression scan for the
    characters that matter, which took a Python step per quote and dash found (docs/performance.md). A dash is
    looked for, not a space beside one: the spaces of a text make a two-character search slow.
    """
    for char, plain in _ASCII_FOLDS if text.isascii() else _FOLDS:
        if char in text:
            text = text.replace(char, plain)
    places = [0, len(text) - 1]
    find = text.find
    for seed in _ASCII_SEEDS if text.isascii() else _SEEDS:
        at = find(seed)
        while at >= 0:
            places.append(at)
            at = find(seed, at + len(seed))
    at = find("-")
    while at >= 0:  # a space before or after a dash
        if text[at - 1:at] == " ":
            places.append(at - 1)
        if text[at + 1:at + 2] == " ":
            places.append(at + 1)
        at = find("-", at + 1)
    return text, places


def _normalise_with_map(text: str) -> tuple[str, tuple[list[int], list[int]]]:
    """The normalised text, and where its segments start: (normalised offsets, original offsets)."""
    folded, places = _fold(text)
    size = len(folded)
    pieces: list[str] = []
    norm_starts, orig_starts = [0], [0]
    done = length = 0  # characters of `folded` consumed; characters of the normalised text produced
    for at in sorted(places):
        if at < done or at >= size:
            continue
        char = folded[at]
        if char == "\u2026":
            pieces += (folded[done:at], "...")
            length += at - done
            norm_starts += [length + 1, length + 2, length + 3]
            orig_starts += [at, at, at + 1]
            length += 3
            done = at + 1
            continue
        if not char.isspace():
            continue
        start, end = at, at + 1  # widened to the whole run of white space
        while start > done and folded[start - 1].isspace():
            start -= 1
        while end < size and folded[end].isspace():
            end += 1
        at_an_end = start == 0 or end == size
        if not at_an_end and char == " " and end - start == 1 and folded[start - 1] != "-" and folded[end] != "-":
            continue  # one plain space between words
        pieces.append(folded[done:start])
        length += start - done
        if at_an_end or folded[start - 1] == "-" or folded[end] == "-":
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
        """Every place where the quote occurs, as (start, end) offsets into the original text.

        A quote in another Unicode normalisation than the text ('é' as 'e' and a combining accent, or the other
        way) is the same words: both are composed (NFC) and compared again, only once the first try failed.
        """
        spans = self._find_all(quote)
        if spans:
            return spans
        composed = unicodedata.normalize("NFC", quote)
        if self._composed is None:  # the text is composed already
            return self._find_all(composed) if composed != quote else []
        view, clusters = self._composed
        return [_uncompose(span, clusters) for span in view._find_all(composed)]

    @cached_property
    def _composed(self) -> tuple[SearchableText, list[tuple[int, int, int, int]]] | None:
        """The text composed (NFC), searchable, with the clusters composing changed; None if it is NFC already."""
        if unicodedata.is_normalized("NFC", self.text):
            return None
        pieces: list[str] = []
        clusters: list[tuple[int, int, int, int]] = []  # (composed offset, length; original offset, length)
        done = shift = 0
        for run in re.finditer(r"[^\x00-\x7f]+", self.text):
            start = max(run.start() - 1, done)  # the ASCII letter before may take the run's first accent
            for begin, end in _clusters(self.text, start, run.end()):
                piece = unicodedata.normalize("NFC", self.text[begin:end])
                if piece != self.text[begin:end]:
                    pieces += (self.text[done:begin], piece)
                    clusters.append((begin + shift, len(piece), begin, end - begin))
                    shift += len(piece) - (end - begin)
                    done = end
        pieces.append(self.text[done:])
        return SearchableText("".join(pieces)), clusters

    def _find_all(self, quote: str) -> list[tuple[int, int]]:
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


def _clusters(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut before each character that composes with nothing before it, so that each cluster
    composes (NFC) alone as it does in the whole: a letter and its accents, a Hangul syllable's jamo."""
    found = []
    begin = start
    for at in range(start + 1, end):
        char = text[at]
        if unicodedata.combining(char):
            continue
        before = unicodedata.normalize("NFC", text[begin:at])
        if unicodedata.normalize("NFC", text[begin:at + 1]) == before + unicodedata.normalize("NFC", char):
            found.append((begin, at))
            begin = at
    found.append((begin, end))
    return found


def _uncompose(span: tuple[int, int], clusters: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """A span of the composed text as the span of the original characters: a cluster is taken whole."""
    starts = [cluster[0] for cluster in clusters]

    def back(offset: int, at_end: bool) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        composed, length, original, original_length = clusters[index]
        if offset == composed:
            return original
        if offset < composed + length:  # inside a cluster that composing shortened or lengthened
            return original + original_length if at_end else original
        return original + original_length + offset - composed - length

    return back(span[0], False), back(span[1], True)


# A text fragment names a long quote by its first and last words (textStart,textEnd), which survives small
# differences in the middle of the live page; short quotes are named whole.
FRAGMENT_EDGE_WORDS = 4

# What quote(text, safe="") does to ASCII, as one str.translate table: quote works byte by byte in Python.
FRAGMENT_ASCII = {code: f"%{code:02X}" for code in range(128)
                  if not (chr(code).isascii() and chr(code).isalnum()) and chr(code) not in "_.~"}


def fragment_encode(text: str) -> str:
    """Percent-encode a text directive term; '-', '&' and ',' have meanings in the syntax, so they are encoded."""
    if text.isascii():
        return text.translate(FRAGMENT_ASCII)
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_url(url: str, text: str) -> str:
    """A link that scrolls the original article to the quoted words and highlights them (URL text fragment)."""
    words = text.split()
    if len(words) <= 2 * FRAGMENT_EDGE_WORDS:
        directive = fragment_encode(" ".join(words))
    else:
        directive = (fragment_encode(" ".join(words[:FRAGMENT_EDGE_WORDS])) + ","
                     + fragment_encode(" ".join(words[-FRAGMENT_EDGE_WORDS:])))
    return url.split("#", 1)[0] + "#:~:text=" + directive
