"""text.py: a source's text cut into paragraphs and pieces; the pieces put together are the text, word for word."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from builder.compare import judge_claim
from builder.model import Site
from builder.text import Block, cut_body, paragraph_spans, parts_needed
from builder.views import claim_numbers, visible_claims


def joined(blocks: tuple[Block, ...]) -> list[str]:
    return [p if isinstance(p, str) else "".join(piece.text for run in p for piece in run.pieces)
            for block in blocks for p in block.paragraphs]


def test_every_source_of_the_shipped_site_is_cut_without_losing_a_character(shipped_site: Site) -> None:
    site = shipped_site
    numbers = claim_numbers(site)
    for source in site.sources.values():
        claims = [c for c in visible_claims(site) if c.source_id == source.id]
        paragraphs = [source.body[a:b] for a, b in paragraph_spans(source.body)]
        assert joined(cut_body(site, source, numbers, claims)) == paragraphs, source.id


def test_each_claim_is_anchored_once_and_numbered_in_its_sources_order(shipped_site: Site) -> None:
    site = shipped_site
    numbers = claim_numbers(site)
    source = max(site.sources.values(), key=lambda s: sum(c.source_id == s.id for c in site.claims.values()))
    claims = [c for c in visible_claims(site) if c.source_id == source.id]
    marks = [m for block in cut_body(site, source, numbers, claims) for p in block.paragraphs
             if not isinstance(p, str) for run in p for piece in run.pieces for m in piece.marks]
    anchored = [m.claim_id for m in marks if m.anchor]
    assert sorted(anchored) == sorted(c.id for c in claims) and len(set(anchored)) == len(anchored)
    assert [numbers[c] for c in dict.fromkeys(anchored)] == sorted(numbers[c] for c in anchored)


def test_paragraphs_are_each_lines_text_without_the_space_around_it() -> None:
    """What a regular expression finds: from a line's first character that is not white space (str.isspace, as
    regular expressions mean it) to its last; a line break is only '\\n', other line separators stay inside."""
    same_as = re.compile(r"\S(?:[^\n]*\S)?")
    for body in ["", "\n", "  \n\t\n", "a", " a ", "One line.\n\nTwo\n  Three  \n",
                 "x\r\ny\r\n", "\u2028a\u2028b\u2028\n\x1c c \x1f\n\u3000\u00a0d\u00a0\u3000",
                 "\u00e9t\u00e9 \u201cquoted\u201d\n\n\u202eend\n\x0b\x0c\n", "last line without a break  "]:
        assert paragraph_spans(body) == [m.span() for m in same_as.finditer(body)], repr(body)


def parts_of(blocks: tuple[Block, ...]) -> int:
    """The most parts cut_body numbered: the claims it cut into more than one piece."""
    return max((m.part for block in blocks for p in block.paragraphs if not isinstance(p, str) for run in p
                for piece in run.pieces for m in piece.marks), default=0)


def test_parts_needed_counts_at_least_the_claims_cut_into_pieces(shipped_site: Site) -> None:
    """The build writes an outline rule per part number its sources need (render.with_part_rules), counted without
    cutting the text: never fewer than cut_body numbers, for the shipped sources and for claims placed at random
    over their text (overlapping, nested, across line ends and passages' edges)."""
    site = shipped_site
    numbers = claim_numbers(site)
    rng = random.Random(7)
    for source in site.sources.values():
        claims = [c for c in visible_claims(site) if c.source_id == source.id]
        assert parts_needed(source, claims) == parts_of(cut_body(site, source, numbers, claims)) > 0, source.id
        judged = judge_claim(claims[0], source, site.config.as_of)
        for trial in range(150):
            placed = []
            for n in range(rng.randint(1, 8)):
                start = rng.randrange(len(source.body) - 1)
                placed.append(replace(claims[0], id=f"c{trial}-{n}", span=(start, rng.randint(start + 1, min(
                    len(source.body), start + rng.choice((20, 200, 2000)))))))
            numbered = {c.id: n for n, c in enumerate(placed, 1)}
            cut = cut_body(site, source, numbered, placed, lambda _, judged=judged: judged)
            assert parts_needed(source, placed) >= parts_of(cut), (source.id, [c.span for c in placed])
