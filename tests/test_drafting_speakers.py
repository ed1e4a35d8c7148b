"""drafting/speakers.py: the speaker of a sentence that does not name one, read through the sentences around it,
each reading with the words it rests on and its confidence in the draft's comments."""

from __future__ import annotations

from builder.drafting.claims import Draft, SiteFacts, draft_claims
from builder.drafting.published import Published
from tests.support.topic import shipped_topic

SITE = SiteFacts(set(), set(), {"ee", "fi", "lt", "lv", "pl"}, (), shipped_topic(""))


def drafted(body: str) -> list[Draft]:
    drafts, _ = draft_claims(body, [], None, Published(None, None, None, "unknown"), SITE)
    return drafts


def speaker_comment(draft: Draft) -> str:
    return next(c for c in draft.comments if c.startswith("speaker from:"))


def test_an_office_is_read_as_the_last_person_named_with_it() -> None:
    *_, quote = drafted("Polish Prime Minister Donald Tusk told the Sejm that his position is positive.\n"
                        "“Everyone has these weapons,” the prime minister said.\n")
    assert (quote.kind, quote.speaker) == ("quote", "Donald Tusk")
    assert speaker_comment(quote) == ("speaker from: 'Donald Tusk' + 'said (“the prime minister”: the last person "
                                      "named so)' (70%)")


def test_a_bare_quotation_after_a_sentence_naming_a_person_is_guessed_theirs() -> None:
    _, quote = drafted("Finnish Defence Minister Antti Häkkänen was blunt on Monday in Helsinki. "
                       "“We will not wait for anyone.”\n")
    assert (quote.kind, quote.speaker) == ("quote", "Antti Häkkänen")
    assert speaker_comment(quote) == ("speaker from: 'Antti Häkkänen' + 'the person the sentence before named' "
                                      "(60%)")


def test_a_bare_quotation_in_its_own_paragraph_is_not_guessed_from_a_name_above() -> None:
    _, bare = drafted("Finnish Defence Minister Antti Häkkänen was blunt on Monday in Helsinki.\n\n"
                      "“We will not wait for anyone.”\n")
    assert (bare.kind, bare.speaker) == ("reporting", None)


def test_a_quotation_whose_speaker_ends_the_next_sentence() -> None:
    first, second = drafted("“We will not wait for anyone.”\n“We act now,” Tsahkna said.\n")
    assert (first.speaker, second.speaker) == ("Tsahkna", "Tsahkna")
    assert speaker_comment(first) == "speaker from: 'Tsahkna' + ''said' after the next sentence's quotation' (75%)"


def test_a_quotation_going_on_in_its_own_paragraph_keeps_its_speaker() -> None:
    *_, said, going_on = drafted(
        "Minister of Foreign Affairs Margus Tsahkna (Eesti 200) said leaving it “sends a clear message”.\n\n"
        "“Russia is not a party to the Ottawa Convention,” he said.\n"
        "“It is essential for the Defence Forces to have greater flexibility.”\n")
    assert (said.speaker, going_on.speaker) == ("Minister of Foreign Affairs Margus Tsahkna",) * 2
    assert speaker_comment(going_on).endswith("+ 'continues the quotation of the sentence before' (75%)")


def test_a_view_without_a_verb_is_read_less_surely() -> None:
    [view] = drafted("For Gabelnick, the withdrawal is “a tragedy” for civilians.\n")
    assert speaker_comment(view) == "speaker from: 'Gabelnick' + 'for ..., “...”' (70%)"
