"""drafting/candidates.py: which sentences become claims, and where a claim starts and ends."""

from __future__ import annotations

from builder.drafting import (
    answers,
    candidates,
    passages,
)

TOPIC = answers.stems("Leaving the mine ban Ottawa Convention Mine Ban Treaty")


def test_a_dateline_or_credit_that_opens_a_sentence_is_cut_from_its_claim() -> None:
    body = "VILNIUS (Reuters) - Lithuania notified the United Nations on Friday of its withdrawal.\n"
    marks = passages.mark_passages(body, None, TOPIC, None)
    [candidate], _ = candidates.candidate_sentences(body, marks, None)
    assert body[candidate.start:candidate.end] == "Lithuania notified the United Nations on Friday of its withdrawal."
