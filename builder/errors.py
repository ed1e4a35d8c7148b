"""Where a problem is (file, line, column), what it is, and what to do about it."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

# Control characters (C0, DEL, C1) and the characters that reorder text (bidirectional marks, embeddings,
# overrides and isolates) or break lines (U+2028, U+2029). Written raw to a terminal they can move the cursor,
# retitle the window, write the clipboard (ESC ] 52) or reverse the rest of the line.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
MAX_MESSAGE = 1000  # characters of a message or hint shown; a value echoed whole could be a megabyte


def printable(text: str) -> str:
    """The text with every control and bidirectional formatting character written visibly ('\\x1b', '\\u202e')."""
    return _UNSAFE.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(value: str, limit: int = 200) -> str:
    """A value quoted for a message: a long one is cut to its first `limit` characters and says its length."""
    if len(value) <= limit:
        return f"'{value}'"
    return f"'{value[:limit]}…' ({len(value):,} characters)"


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else f"{text[:MAX_MESSAGE]}… ({len(text):,} characters)"


@dataclass(frozen=True, order=True)
class ContentError:
    """A mistake in the content or configuration, reported to a person rather than raised as a bug."""

    src_path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """The message as a terminal or a log shows it: every control character visible, nothing endless."""
        text = f"{printable(_clipped(self.src_path))}:{self.line}:{self.column}: {printable(_clipped(self.message))}"
        return f"{text}\n  hint: {printable(_clipped(self.hint))}" if self.hint else text


@dataclass
class ErrorLog:
    """Collects every problem of a run so that all are reported at once, sorted by file and line."""

    errors: list[ContentError] = field(default_factory=list)

    def add(self, src_path: str, line: int, column: int, message: str, hint: str = "") -> None:
        self.errors.append(ContentError(src_path, line, column, message, hint))

    def extend(self, errors: Iterable[ContentError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self) -> list[ContentError]:
        return sorted(set(self.errors))


class ContentErrors(Exception):
    """Raised once a stage has found content errors; carries all of them."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} content error(s)")

    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        count = len(self.errors)
        lines.append(f"{count} error{'s' if count != 1 else ''}; nothing was written.")
        return "\n".join(lines)


def invalid_value(value: str, exc: Exception) -> tuple[str, str]:
    """What is wrong with a date or time YAML could not read, and its hint: a zone's offset of a day or more is said
    so, not in the words of Python's timedelta."""
    why = "its offset from UTC must be under 24 hours" if str(exc).startswith("offset must be") else str(exc)
    return f"invalid value '{value}' ({why})", (
        "write a real time as YYYY-MM-DDTHH:MM:SSZ (UTC), or with an offset under 24 hours, such as +01:00"
        if len(value) > 10 else "dates must be real calendar dates written YYYY-MM-DD")


def did_you_mean(value: str, choices: Iterable[str], what: str) -> str:
    """Suggest the closest known names, so a typo is fixed in one look."""
    known = sorted(set(choices))
    close = [c for c in difflib.get_close_matches(value, known, n=3, cutoff=0.5) if _alike_past(value, c)][:1]
    listing = ", ".join(f"'{c}'" for c in known[:12]) + (", ..." if len(known) > 12 else "")
    if close:
        return f"did you mean '{close[0]}'? known {what}: {listing}"
    return f"known {what}: {listing}" if known else f"there are no {what} yet"


def _alike_past(value: str, choice: str) -> bool:
    """Whether two names are alike past the words they start with, or one is the other cut short: ids that start
    with one outlet's word ('politi-adorni-…', 'politi-office-…') are otherwise alike enough to be taken for each
    other however different the rest."""
    shared = os.path.commonprefix([value, choice])
    words = shared[:shared.rfind("-") + 1]
    rest, other = value[len(words):], choice[len(words):]
    return not words or not rest or not other or difflib.SequenceMatcher(None, rest, other).ratio() >= 0.5


# The notes of the command running (collecting_notes): what the site leaves out, or cannot establish, though
# nothing is wrong enough to stop the build: the command line and the preview's worker print them.
_NOTES: ContextVar[list[ContentError] | None] = ContextVar("sourcesite_notes", default=None)


@contextmanager
def collecting_notes() -> Iterator[list[ContentError]]:
    """The notes made meanwhile (note), for the command line to print once its command is done."""
    notes: list[ContentError] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def note(found: ContentError) -> None:
    """Tell the user, once, of something left out or not established that stops nothing: never in silence."""
    notes = _NOTES.get()
    if notes is not None and found not in notes:
        notes.append(found)
