"""A marked passage: a span of the body that is not the outlet's reporting, with the rule and the words that
marked it; every rule of posts.py and furniture.py gives these, and claims are drafted only outside them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


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
    related: bool | None = True  # None: not judged (the post is not in the site's language); no claims from it
    related_why: str = ""
    content_end: int | None = None  # for a post: where its text ends and its signature begins
    language: str | None = None  # for a post: the language tag it reads as, where that is not English


def overlaps(start: int, end: int, marks: Iterable[Mark]) -> bool:
    return any(start < m.end and m.start < end for m in marks)
