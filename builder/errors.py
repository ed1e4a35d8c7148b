"""Where a problem is (file, line, column), what it is, and what to do about it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ContentError:
    """A mistake in the content or configuration, reported to a person rather than raised as a bug."""

    src_path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.src_path}:{self.line}:{self.column}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


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


def did_you_mean(value: str, choices: Iterable[str], what: str) -> str:
    """Suggest the closest known names, so a typo is fixed in one look."""
    known = sorted(set(choices))
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    listing = ", ".join(f"'{c}'" for c in known[:12]) + (", ..." if len(known) > 12 else "")
    if close:
        return f"did you mean '{close[0]}'? known {what}: {listing}"
    return f"known {what}: {listing}" if known else f"there are no {what} yet"
