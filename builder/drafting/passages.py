"""The passages of an article that are not the outlet's reporting: every rule of posts.py and furniture.py run
in order over the body (the first to mark a passage keeps it), and how each passage is pinned in the source."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..quotes import SearchableText
from .answers import Topic
from .furniture import (
    mark_bylines_and_credits,
    mark_captions,
    mark_datelines,
    mark_donation_appeals,
    mark_inline,
    mark_page_furniture,
    mark_player_prompts,
    mark_read_more,
    mark_related_lists,
    mark_subscription_appeals,
)
from .marks import Mark, overlaps
from .posts import mark_post_links, mark_signed_posts, mark_social_posts
from .sentences import split_lines


def mark_passages(body: str, title: str | None, topic: Topic, posted_fallback: date | None,
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
