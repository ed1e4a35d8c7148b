"""A source's text cut into pieces for its page: paragraphs, each cut where a claim's quote or a passage starts or
ends, so that the template marks each highlight without computing anything."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from .compare import judge_claim
from .model import (
    PASSAGE_KINDS,
    Claim,
    Judgement,
    Passage,
    Site,
    Source,
    same_language,
)
from .urls import claim_anchor, claim_entry_anchor, passage_anchor
from .views import JUDGEMENT_SYMBOLS, KIND_SHORT, PassageView, visible_claims

# The pieces of a source's text are the most numerous objects of a build (several per paragraph): plain slotted
# dataclasses, made faster than frozen ones.

@dataclass(slots=True)
class Mark:
    """One claim's highlight over one piece of text; a claim crossing a paragraph is cut into several."""

    claim_id: str
    number: int
    kind: str
    short_label: str
    anchor: str | None
    entry_href: str
    last: bool
    check: str  # the claim's judgement (compare.judge_claim), marked in words and signs, not colour alone
    check_symbol: str
    check_label: str
    part: int = 0  # for a claim cut into several pieces (where quotes overlap), its number among those of the source


@dataclass(slots=True)
class Piece:
    text: str
    marks: tuple[Mark, ...]


@dataclass(slots=True)
class Run:
    """Consecutive pieces inside one paragraph that share the same inline passage (or none)."""

    passage: PassageView | None
    starts_passage: bool
    pieces: tuple[Piece, ...]


@dataclass(slots=True)
class Block:
    """Paragraphs of a source's text; those wholly inside a passage are grouped and labelled as one block.

    A paragraph no claim or inline passage meets (most are) is just its text, with no run or piece to make here
    and walk in the template.
    """

    passage: PassageView | None
    paragraphs: tuple[str | tuple[Run, ...], ...]
    label_language: str | None = None  # the site's, for our words within it, where its text is in another language



# ---------------------------------------------------------------- the source text, cut into pieces

def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Each non-empty line of the captured text is a paragraph: (start, end) without surrounding space."""
    return _paragraphs(body)[0]


def _paragraphs(body: str) -> tuple[list[tuple[int, int]], list[str]]:
    """paragraph_spans, and each paragraph's text.

    The lines split and stripped in C: a regular expression's pass over the whole text (\\S(?:[^\\n]*\\S)?, the
    same paragraphs) took longer than this loop over its lines, and the texts were then cut again."""
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    end = -1
    for line in body.split("\n"):
        start = end + 1
        end = start + len(line)
        kept = line.lstrip()
        if kept:
            first = end - len(kept)
            kept = kept.rstrip()
            spans.append((first, first + len(kept)))
            texts.append(kept)
    return spans, texts


T = TypeVar("T")


def spans_at(paragraphs: list[tuple[int, int]], items: Iterable[T], span: Callable[[T], tuple[int, int]]
             ) -> dict[int, list[T]]:
    """The items whose span meets each paragraph, by the paragraph's index, in the items' order."""
    ends = [end for _, end in paragraphs]
    found: dict[int, list[T]] = {}
    for item in items:
        start, end = span(item)
        index = bisect.bisect_right(ends, start)  # the first paragraph that ends after the item starts
        while index < len(paragraphs) and paragraphs[index][0] < end:
            found.setdefault(index, []).append(item)
            index += 1
    return found


def view_passage(passage: Passage, source_language: str = "", site_language: str = "") -> PassageView:
    """A passage as the templates show it; given the source's and the site's languages, with the language of our
    labels within it where its text is in another."""
    from .model import UNQUOTABLE_PASSAGES

    return PassageView(passage.id, passage_anchor(passage.id), passage.kind, PASSAGE_KINDS[passage.kind],
                       passage.note, passage.author, passage.handle, passage.posted, passage.related,
                       passage.kind not in UNQUOTABLE_PASSAGES, passage.language,
                       label_language(passage.language or source_language, site_language))


def label_language(text_language: str, site_language: str) -> str | None:
    """The site's language, for the labels we write into text in another (a claim's tag, a passage's): else None,
    and they take the text's."""
    return None if not site_language or same_language(text_language, site_language) else site_language


def cut_body(site: Site, source: Source, numbers: Mapping[str, int], claims: list[Claim] | None = None,
             check: Callable[[Claim], Judgement] | None = None) -> tuple[Block, ...]:
    """The source's text as blocks of paragraphs, each cut where a claim or a passage starts or ends; `check`
    judges a claim (by default compare.judge_claim, as of the site's date)."""
    if claims is None:  # the source's visible claims, which the Planner passes in rather than search for
        claims = [c for c in visible_claims(site) if c.source_id == source.id]
    if check is None:
        check = partial(lambda as_of, claim: judge_claim(claim, source, as_of), site.config.as_of)
    body = source.body
    paragraphs, texts = _paragraphs(body)
    cut: list[str | tuple[Run, ...]] = list(texts)
    # Most sources have no passage and a few claims: only what they have is looked at (a page per source).
    block_of, inline = _placed(source.passages, paragraphs) if source.passages else ({}, [])
    claims_at = spans_at(paragraphs, claims, _claim_span) if claims else {}
    inline_at = spans_at(paragraphs, inline, _passage_span) if inline else {}
    site_language = site.config.language
    passages = {p.id: view_passage(p, source.language, site_language) for p in source.passages}
    ours = label_language(source.language, site_language)  # outside the passages
    if claims_at or inline_at:
        _cut_paragraphs(body, paragraphs, cut, claims_at, inline_at, passages, numbers,
                        {claim.id: check(claim) for claim in claims})
    if not block_of:  # no passage is a block of its own, as in most sources: the text is one block
        return (Block(None, tuple(cut), ours),) if cut else ()
    # Consecutive paragraphs of one passage, or of none, make one block: the paragraphs of a block without a
    # passage are written just as they would be one block each.
    grouped: list[tuple[PassageView | None, list[str | tuple[Run, ...]]]] = []
    for index, paragraph in enumerate(cut):
        block_passage = block_of.get(index)
        view = passages[block_passage.id] if block_passage else None
        if grouped and grouped[-1][0] is view:
            grouped[-1][1].append(paragraph)
        else:
            grouped.append((view, [paragraph]))
    return tuple(Block(view, tuple(runs_of), view.label_language if view else ours) for view, runs_of in grouped)


def _claim_span(claim: Claim) -> tuple[int, int]:
    return claim.span


def _passage_span(passage: Passage) -> tuple[int, int]:
    return passage.start, passage.end


def _placed(passages: Iterable[Passage], paragraphs: list[tuple[int, int]]
            ) -> tuple[dict[int, Passage], list[Passage]]:
    """Each paragraph's passage where a passage begins a paragraph and ends one (shown as a labelled block), and
    the passages marked inline (any other)."""
    starts = {p[0] for p in paragraphs}
    ends = {p[1] for p in paragraphs}
    block_of: dict[int, Passage] = {}
    inline: list[Passage] = []
    for passage in passages:
        start = passage.start + len(passage.text) - len(passage.text.lstrip())
        end = passage.end - (len(passage.text) - len(passage.text.rstrip()))
        if start in starts and end in ends:
            for index, (p_start, p_end) in enumerate(paragraphs):
                if start <= p_start and p_end <= end:
                    block_of[index] = passage
        else:
            inline.append(passage)
    return block_of, inline


def _cut_paragraphs(body: str, paragraphs: list[tuple[int, int]], cut: list[str | tuple[Run, ...]],
                    claims_at: dict[int, list[Claim]], inline_at: dict[int, list[Passage]],
                    passages: Mapping[str, PassageView], numbers: Mapping[str, int],
                    checks: Mapping[str, Judgement]) -> None:
    """Replace in `cut` each paragraph that a claim or an inline passage meets by its runs of pieces."""
    first_piece_of: set[str] = set()
    label_shown: set[str] = set()
    marks_of: dict[str, list[Mark]] = {}
    for index in sorted(claims_at.keys() | inline_at.keys()):  # in order: a claim's first piece has its anchor
        p_start, p_end = paragraphs[index]
        here = claims_at.get(index, ())
        inline_here = inline_at.get(index, ())
        cuts = {p_start, p_end}
        for claim in here:
            start, end = claim.span
            if p_start < start < p_end:
                cuts.add(start)
            if p_start < end < p_end:
                cuts.add(end)
        for passage in inline_here:
            cuts.update(x for x in (passage.start, passage.end) if p_start < x < p_end)
        points = sorted(cuts)
        runs: list[Run] = []
        a = points[0]
        for b in points[1:]:
            marks = []
            for claim in here:
                start, end = claim.span
                if start < b and a < end:
                    anchor = None
                    if claim.id not in first_piece_of:
                        first_piece_of.add(claim.id)
                        anchor = claim_anchor(claim.id)
                    check = checks[claim.id]
                    mark = Mark(claim.id, numbers[claim.id], claim.kind, KIND_SHORT[claim.kind], anchor,
                                "#" + claim_entry_anchor(claim.id), b >= end, check.key,
                                JUDGEMENT_SYMBOLS[check.key], check.label)
                    marks.append(mark)
                    marks_of.setdefault(claim.id, []).append(mark)
            piece = Piece(body[a:b], tuple(marks))
            passage = next((p for p in inline_here if p.start < b and a < p.end), None) if inline_here else None
            view = passages[passage.id] if passage else None
            if runs and runs[-1].passage is view:
                last = runs[-1]
                runs[-1] = Run(last.passage, last.starts_passage, last.pieces + (piece,))
            else:
                starts_passage = bool(passage and passage.id not in label_shown)
                if passage:
                    label_shown.add(passage.id)
                runs.append(Run(view, starts_passage, (piece,)))
            a = b
        cut[index] = tuple(runs)
    # A link to a claim lands on its first piece; the style sheet outlines every piece of that part with it.
    for part, pieces in enumerate((m for m in marks_of.values() if len(m) > 1), 1):
        for mark in pieces:
            mark.part = part


def parts_needed(source: Source, claims: Iterable[Claim]) -> int:
    """At least the number of the source's claims that _cut_paragraphs cuts into pieces, and so numbers as parts:
    those inside whose quote another claim's or a passage's edge falls, or a line ends. Without cutting the text."""
    spans = [claim.span for claim in claims]
    edges = sorted({x for span in spans for x in span} | {x for p in source.passages for x in (p.start, p.end)})
    body, count = source.body, 0
    for start, end in spans:
        after = bisect.bisect_right(edges, start)
        if (after < len(edges) and edges[after] < end) or body.find("\n", start, end) >= 0:
            count += 1
    return count
