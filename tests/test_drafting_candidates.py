"""drafting/candidates.py: which sentences become claims, and where a claim starts and ends."""

from __future__ import annotations

from builder.drafting import (
    candidates,
    passages,
)
from tests.support.topic import shipped_topic

TOPIC = shipped_topic()


def test_a_dateline_or_credit_that_opens_a_sentence_is_cut_from_its_claim() -> None:
    body = "VILNIUS (Reuters) - Lithuania notified the United Nations on Friday of its withdrawal.\n"
    marks = passages.mark_passages(body, None, TOPIC, None)
    [candidate], _ = candidates.candidate_sentences(body, marks, None)
    assert body[candidate.start:candidate.end] == "Lithuania notified the United Nations on Friday of its withdrawal."


def sentences_of(body: str) -> list[str]:
    found, _ = candidates.candidate_sentences(body, [], None)
    return [body[c.start:c.end] for c in found]


def test_a_sentence_quoting_several_speakers_is_one_claim_each() -> None:
    body = ("Amnesty International called the move “disastrous”, while Human Rights Watch said it was “alarming”, and "
            "the ICRC warned it “weakens vital protections for civilians”.\n")
    assert sentences_of(body) == ["Amnesty International called the move “disastrous”",
                                  "Human Rights Watch said it was “alarming”",
                                  "the ICRC warned it “weakens vital protections for civilians”."]


def test_a_sentence_quoting_one_speaker_twice_stays_whole() -> None:
    body = "Gabelnick called it “wrong”, and she said it was “dangerous” for civilians.\n"
    assert sentences_of(body) == [body.strip()]


def test_a_quotation_in_single_marks_over_two_sentences_is_one_claim() -> None:
    body = ("‘By agreeing to withdraw from the Convention, we will add this element to our arsenal. We do this so "
            "that opponents think twice,’ said Ruslanas Baranovas, Member of the Committee on Foreign Affairs.\n")
    assert sentences_of(body) == [body.strip()]


def test_a_quotation_too_short_to_be_a_claim_is_said_to_be_left_out() -> None:
    body = "Was the decision final?\n“No.”\nThe vote is next week in the Seimas.\n"
    found, skipped = candidates.candidate_sentences(body, [], None)
    assert [body[c.start:c.end] for c in found] == ["The vote is next week in the Seimas."]
    assert skipped == ["a question, not a statement: 'Was the decision final?'",
                       "too short to be a claim, but a quotation: '“No.”'"]
